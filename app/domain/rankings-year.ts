// Units' rows of a league table over several months: each unit's Σ over the months' rows (or
// closed months already summed), ranked inside its kind with the month's cascade, and the table
// across kinds by completion.
import type { UnitMonthRow } from "./league";
import { completion, type QuotaStatus } from "./points";
import { movement, rankBy, rankInPlace, type Ranked } from "./ranking";

export interface StatusMonths {
  met: number;
  short: number;
  none: number;
}

/**
 * A row of a league table, month or year to date: a month's row as it is, or a unit's year to
 * date (no `status`; its months counted by status in `months`).
 */
export type UnitRankingRow = Omit<UnitMonthRow, "status"> & { status: QuotaStatus | null; months?: StatusMonths | null };

type YearTotals = Omit<UnitMonthRow, "rank" | "tied" | "movement" | "completion" | "status" | "channels"> & { months: StatusMonths };

/**
 * A unit's Σ over several closed months as SQL sums their snapshots: points in hundredths, the
 * months counted by status, and the unit's kind in the latest of those months (`latest`).
 */
export type UnitMonthsSum = Pick<
  UnitMonthRow,
  "unitId" | "code" | "name" | "kind" | "kindName" | "quota" | "submitted" | "adopted" | "late" | "national" | "province" | "city"
> & { latest: string; cents: number; met: number; short: number; none: number };

/** Months of a year to date: one month's league rows, or closed months already summed. */
export type YearPart = { month: string; rows: readonly UnitMonthRow[] } | { sums: readonly UnitMonthsSum[] };

type Acc = YearTotals & { cents: number; latest: string };

type Counts = Pick<Acc, "quota" | "submitted" | "adopted" | "late" | "national" | "province" | "city">;

/** Adds a month's (or a run of months') counts to a unit's running totals. */
function addCounts(t: Acc, r: Counts): Acc {
  t.quota += r.quota;
  t.submitted += r.submitted;
  t.adopted += r.adopted;
  t.late += r.late;
  t.national += r.national;
  t.province += r.province;
  t.city += r.city;
  return t;
}

function accumulate(totals: Map<number, Acc>, part: YearPart): void {
  const add = (r: { unitId: number; code: string; name: string; kind: string; kindName: string }, latest: string) => {
    let t = totals.get(r.unitId);
    if (!t) {
      t = {
        unitId: r.unitId, code: r.code, name: r.name, kind: r.kind, kindName: r.kindName, quota: 0, submitted: 0, adopted: 0, late: 0,
        national: 0, province: 0, city: 0, points: 0, cents: 0, months: { met: 0, short: 0, none: 0 }, latest,
      };
      totals.set(r.unitId, t);
    } else if (latest >= t.latest) {
      t.code = r.code;
      t.name = r.name;
      t.kind = r.kind;
      t.kindName = r.kindName;
      t.latest = latest;
    }
    return t;
  };
  if ("sums" in part) {
    for (const r of part.sums) {
      const t = addCounts(add(r, r.latest), r);
      t.cents += r.cents;
      t.months.met += r.met;
      t.months.short += r.short;
      t.months.none += r.none;
    }
    return;
  }
  for (const r of part.rows) {
    const t = addCounts(add(r, part.month), r);
    // Points are kept in hundredths so a year of 0.5s adds up exactly.
    t.cents += Math.round(r.points * 100);
    t.months[r.status]++;
  }
}

function finish(totals: Map<number, Acc>): YearTotals[] {
  const out: YearTotals[] = [];
  for (const t of totals.values()) {
    out.push({
      unitId: t.unitId, code: t.code, name: t.name, kind: t.kind, kindName: t.kindName, quota: t.quota, submitted: t.submitted,
      adopted: t.adopted, late: t.late, national: t.national, province: t.province, city: t.city, points: t.cents / 100,
      months: { ...t.months },
    });
  }
  return out;
}

/** Σ of each unit over the months' rows; a unit's kind and name are those of its latest month. */
export function sumUnitMonths(months: ReadonlyArray<readonly UnitMonthRow[]>): YearTotals[] {
  const totals = new Map<number, Acc>();
  // Month labels only need to grow with the index here.
  months.forEach((rows, i) => accumulate(totals, { month: String(i).padStart(4, "0"), rows }));
  return finish(totals);
}

function rankTotals(totals: readonly YearTotals[], previous: ReadonlyMap<number, number>): UnitRankingRow[] {
  const byKind = new Map<string, UnitRankingRow[]>();
  for (const t of totals) {
    const row: UnitRankingRow = { ...t, completion: completion(t.adopted, t.quota), rank: 0, tied: false, movement: null, status: null };
    const rows = byKind.get(t.kind);
    if (rows) rows.push(row);
    else byKind.set(t.kind, [row]);
  }
  const rows: UnitRankingRow[] = [];
  for (const kindRows of byKind.values()) {
    for (const r of rankInPlace(kindRows)) {
      r.movement = movement(previous.get(r.unitId), r.rank);
      rows.push(r);
    }
  }
  return rows;
}

/**
 * Year to date: each unit's Σ over the months, ranked inside its kind with the month's cascade;
 * movement against the year to date through the month before the last (新 when absent).
 */
export function yearToDate(months: ReadonlyArray<readonly UnitMonthRow[]>): UnitRankingRow[] {
  return yearToDateOf(months.map((rows, i) => ({ month: String(i).padStart(4, "0"), rows })));
}

/** yearToDate over parts in month order (the last part is the last month alone when there are several). */
export function yearToDateOf(parts: readonly YearPart[]): UnitRankingRow[] {
  const totals = new Map<number, Acc>();
  for (const part of parts.slice(0, -1)) accumulate(totals, part);
  const previous = parts.length > 1 ? new Map(rankTotals(finish(totals), new Map()).map((r) => [r.unitId, r.rank])) : new Map<number, number>();
  if (parts.length > 0) accumulate(totals, parts[parts.length - 1]);
  return rankTotals(finish(totals), previous);
}

/** Every unit ranked by completion only (a table across kinds never ranks by raw counts); equal completion shares a rank, listed by code. */
export function crossKind<T extends { code: string; completion: number }>(rows: readonly T[]): Array<T & Ranked> {
  return rankBy(rows, (r) => r.completion, (a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
}
