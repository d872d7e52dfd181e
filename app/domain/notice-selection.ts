// Who a notice commends and criticises, from a closed month's (or a year's) frozen rows.
// Thresholds are settings (defaults in catalog.ts); the reviewer may still add or remove names
// with a recorded reason, on top of what these rules select.
import { QUOTA_STATUS_NAMES, type QuotaStatus } from "./points";

export interface MonthSelectionRow {
  unitId: number;
  code: string;
  name: string;
  kind: string;
  status: QuotaStatus;
  completion: number;
  late: number;
  rank: number;
}

export interface Selected {
  unitId: number;
  kind: string;
  name: string;
  reasons: string[];
}

/**
 * Commended: per kind, the units ranked in the top N that met their quota. A unit tied with the
 * Nth place is commended too (equal on every criterion, equal treatment).
 */
export function monthlyCommended(rows: readonly MonthSelectionRow[], topN: number): Selected[] {
  const out: Selected[] = [];
  for (const kind of [...new Set(rows.map((r) => r.kind))]) {
    const met = rows.filter((r) => r.kind === kind && r.status === "met").sort((a, b) => a.rank - b.rank || (a.code < b.code ? -1 : 1));
    if (met.length === 0 || topN <= 0) continue;
    const cutoff = met[Math.min(topN, met.length) - 1].rank;
    for (const r of met.filter((m) => m.rank <= cutoff)) {
      out.push({ unitId: r.unitId, kind, name: r.name, reasons: [`${kindRankText(r.rank)}，完成月度任务`] });
    }
  }
  return out;
}

/** Criticised: 不报, completion below the threshold, or late items — every reason named. */
export function monthlyCriticised(rows: readonly MonthSelectionRow[], belowCompletion: number): Selected[] {
  const out: Selected[] = [];
  for (const r of [...rows].sort((a, b) => (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : a.code < b.code ? -1 : 1))) {
    const reasons: string[] = [];
    if (r.status === "none") reasons.push(`当月${QUOTA_STATUS_NAMES.none}`);
    else if (r.completion < belowCompletion) {
      reasons.push(`任务完成率 ${Math.round(r.completion * 100)}%，低于 ${Math.round(belowCompletion * 100)}%`);
    }
    if (r.late > 0) reasons.push(`迟报 ${r.late} 篇`);
    if (reasons.length) out.push({ unitId: r.unitId, kind: r.kind, name: r.name, reasons });
  }
  return out;
}

function kindRankText(rank: number): string {
  return `本类别第 ${rank} 名`;
}

export interface YearSelectionRow {
  unitId: number;
  code: string;
  name: string;
  kind: string;
  points: number;
  rank: number;
  monthsNone: number;
}

/** The year's commended units: per kind, the top N by annual points (ties at the cutoff included). */
export function annualCommended(rows: readonly YearSelectionRow[], topN: number): Selected[] {
  const out: Selected[] = [];
  for (const kind of [...new Set(rows.map((r) => r.kind))]) {
    const ranked = rows.filter((r) => r.kind === kind).sort((a, b) => a.rank - b.rank || (a.code < b.code ? -1 : 1));
    if (ranked.length === 0 || topN <= 0) continue;
    const cutoff = ranked[Math.min(topN, ranked.length) - 1].rank;
    for (const r of ranked.filter((x) => x.rank <= cutoff)) {
      out.push({ unitId: r.unitId, kind, name: r.name, reasons: [`年度积分 ${r.points}，${kindRankText(r.rank)}`] });
    }
  }
  return out;
}

/** Units with `minMonths` or more months of 不报 in the year are criticised. */
export function annualCriticised(rows: readonly YearSelectionRow[], minMonths: number): Selected[] {
  return rows
    .filter((r) => r.monthsNone >= minMonths)
    .sort((a, b) => b.monthsNone - a.monthsNone || (a.code < b.code ? -1 : 1))
    .map((r) => ({ unitId: r.unitId, kind: r.kind, name: r.name, reasons: [`全年 ${r.monthsNone} 个月不报`] }));
}

export interface CorrespondentYearRow {
  accountId: number;
  displayName: string;
  unitName: string;
  points: number;
  rank: number;
}

/** Outstanding correspondents: the top N by split points (ties at the cutoff included). */
export function outstandingCorrespondents<T extends CorrespondentYearRow>(rows: readonly T[], topN: number): T[] {
  const ranked = [...rows].sort((a, b) => a.rank - b.rank);
  if (ranked.length === 0 || topN <= 0) return [];
  const cutoff = ranked[Math.min(topN, ranked.length) - 1].rank;
  return ranked.filter((r) => r.rank <= cutoff && r.points > 0);
}
