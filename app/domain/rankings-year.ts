// Units' rows of a league table over several months: each unit's Σ over the months' rows (or
// closed months already summed), ranked inside its kind with the month's cascade, and the table
// across kinds by completion.
import type { UnitMonthRow } from "./league";
import { completion, type QuotaStatus } from "./points";
import { movement, rankByValueInPlace, rankInPlace, type Ranked } from "./ranking";

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

type Counts = Pick<YearTotals, "quota" | "submitted" | "adopted" | "late" | "national" | "province" | "city">;

type YearRow = UnitRankingRow & { months: StatusMonths };

/**
 * The year being summed: one row per unit, built once and ranked in place (a province has 20,000
 * units); its points in hundredths and the month its name and kind come from kept beside it.
 */
class YearRows {
  readonly rows: YearRow[] = [];
  private readonly slot = new Map<number, number>();
  private readonly cents: number[] = [];
  private readonly latest: string[] = [];

  private rowOf(r: { unitId: number; code: string; name: string; kind: string; kindName: string }, latest: string): number {
    let i = this.slot.get(r.unitId);
    if (i === undefined) {
      i = this.rows.length;
      this.slot.set(r.unitId, i);
      this.rows.push({
        unitId: r.unitId, code: r.code, name: r.name, kind: r.kind, kindName: r.kindName, quota: 0, submitted: 0, adopted: 0, late: 0,
        national: 0, province: 0, city: 0, points: 0, months: { met: 0, short: 0, none: 0 }, completion: 0, rank: 0, tied: false,
        movement: null, status: null,
      });
      this.cents.push(0);
      this.latest.push(latest);
    } else if (latest >= this.latest[i]) {
      const t = this.rows[i];
      t.code = r.code;
      t.name = r.name;
      t.kind = r.kind;
      t.kindName = r.kindName;
      this.latest[i] = latest;
    }
    return i;
  }

  /** Adds a month's (or a run of months') counts to a unit's running totals. */
  private addCounts(i: number, r: Counts, cents: number): YearRow {
    const t = this.rows[i];
    t.quota += r.quota;
    t.submitted += r.submitted;
    t.adopted += r.adopted;
    t.late += r.late;
    t.national += r.national;
    t.province += r.province;
    t.city += r.city;
    this.cents[i] += cents;
    return t;
  }

  add(part: YearPart): void {
    if ("sums" in part) {
      for (const r of part.sums) {
        const t = this.addCounts(this.rowOf(r, r.latest), r, r.cents);
        t.months.met += r.met;
        t.months.short += r.short;
        t.months.none += r.none;
      }
      return;
    }
    for (const r of part.rows) {
      // Points are kept in hundredths so a year of 0.5s adds up exactly.
      const t = this.addCounts(this.rowOf(r, part.month), r, Math.round(r.points * 100));
      t.months[r.status]++;
    }
  }

  /** Sets points and completion from the totals so far. */
  settle(): void {
    for (let i = 0; i < this.rows.length; i++) {
      const t = this.rows[i];
      t.points = this.cents[i] / 100;
      t.completion = completion(t.adopted, t.quota);
    }
  }

  /** Ranks every kind (kinds in the order their first unit came) and returns the rows in league order. */
  rank(): YearRow[] {
    this.settle();
    const byKind = new Map<string, YearRow[]>();
    for (const t of this.rows) {
      const rows = byKind.get(t.kind);
      if (rows) rows.push(t);
      else byKind.set(t.kind, [t]);
    }
    const out: YearRow[] = [];
    for (const rows of byKind.values()) for (const r of rankInPlace(rows)) out.push(r);
    return out;
  }
}

/** Σ of each unit over the months' rows; a unit's kind and name are those of its latest month. */
export function sumUnitMonths(months: ReadonlyArray<readonly UnitMonthRow[]>): YearTotals[] {
  const year = new YearRows();
  // Month labels only need to grow with the index here.
  months.forEach((rows, i) => year.add({ month: String(i).padStart(4, "0"), rows }));
  year.settle();
  return year.rows.map(({ completion: _c, rank: _r, tied: _t, movement: _m, status: _s, ...t }) => t);
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
  const year = new YearRows();
  for (const part of parts.slice(0, -1)) year.add(part);
  // The ranks through the month before (each unit in the kind it had then).
  const previous = new Map<number, number>();
  if (parts.length > 1) for (const r of year.rank()) previous.set(r.unitId, r.rank);
  if (parts.length > 0) year.add(parts[parts.length - 1]);
  const rows = year.rank();
  for (const r of rows) r.movement = movement(previous.get(r.unitId), r.rank);
  return rows;
}

/** Every unit ranked by completion only (a table across kinds never ranks by raw counts); equal completion shares a rank, listed by code. */
export function crossKind<T extends { code: string; completion: number }>(rows: readonly T[]): Array<T & Ranked> {
  return rankByValueInPlace(rows.map((r) => ({ ...r, rank: 0, tied: false })), (r) => r.completion);
}

/**
 * The table across kinds of rows already ranked inside their kinds: each row copied once, its kind
 * rank kept as `kindRank` / `kindTied`, then ranked by completion like crossKind.
 */
export function crossKindOfRanked<T extends UnitRankingRow>(rows: readonly T[]): Array<T & { kindRank: number; kindTied: boolean }> {
  // A literal of the row's fields rather than a spread: at 20,000 rows the spread was most of the time.
  const copies = rows.map(
    (r): UnitRankingRow & { kindRank: number; kindTied: boolean } => ({
      unitId: r.unitId, code: r.code, name: r.name, kind: r.kind, kindName: r.kindName, quota: r.quota, submitted: r.submitted,
      adopted: r.adopted, late: r.late, national: r.national, province: r.province, city: r.city, status: r.status, completion: r.completion,
      points: r.points, rank: r.rank, tied: r.tied, movement: r.movement, months: r.months, channels: r.channels, kindRank: r.rank,
      kindTied: r.tied,
    }),
  );
  return rankByValueInPlace(copies, (r) => r.completion) as Array<T & { kindRank: number; kindTied: boolean }>;
}
