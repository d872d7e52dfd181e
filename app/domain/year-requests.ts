// 约稿 over a year: each unit's 按时完成 / 逾期 / 未报送 / 婉拒 summed over the months the year-end
// summary counts (a closed month's frozen snapshot, an open month's rows as they stand, as for its
// points), the county's totals, and the summary's sentence and table cell. Pure.
import { NO_REQUESTS, type RequestCounts } from "./requests";

/** The county's 约稿 over a year: unit-requests (篇次) and their outcomes. */
export interface YearRequestTotals extends RequestCounts {
  /** fulfilled + late + missed + declined: one per unit addressed by a settled request. */
  pieces: number;
}

/** A unit's months added up (a month without 约稿 may be missing or all zero). */
export function sumRequestCounts(months: Iterable<RequestCounts | null | undefined>): RequestCounts {
  const c = { ...NO_REQUESTS };
  for (const m of months) {
    if (!m) continue;
    c.fulfilled += m.fulfilled;
    c.late += m.late;
    c.missed += m.missed;
    c.declined += m.declined;
  }
  return c;
}

/** The county's totals over its units' year counts. */
export function yearRequestTotals(units: Iterable<RequestCounts | null | undefined>): YearRequestTotals {
  const c = sumRequestCounts(units);
  return { ...c, pieces: c.fulfilled + c.late + c.missed + c.declined };
}

/** "全年约稿 N 篇次：按时完成 a、逾期 b、未报送 c、婉拒 d。" */
export function yearRequestsSentence(t: YearRequestTotals): string {
  return `全年约稿 ${t.pieces} 篇次：按时完成 ${t.fulfilled}、逾期 ${t.late}、未报送 ${t.missed}、婉拒 ${t.declined}。`;
}

/** A unit's cell in the attached table: "按时/逾期/未报送/婉拒", e.g. "3/1/0/1". */
export function yearRequestsCell(c: RequestCounts | null | undefined): string {
  const x = c ?? NO_REQUESTS;
  return `${x.fulfilled}/${x.late}/${x.missed}/${x.declined}`;
}
