// Units' rows of a league table over several months: each unit's Σ over the months' rows (or
// closed months already summed), ranked inside its kind with the month's cascade, and the table
// across kinds by completion.
import type { ScoredLeague, UnitMonthRow } from "./league";
import { completion, type QuotaStatus } from "./points";
import type { ChannelCounts } from "./channels";
import { movement, rankByValueInPlace, rankColumns, rankLeagueByKind, valueKey, type Movement, type Ranked } from "./ranking";

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

/**
 * Closed months summed per unit as columns (entry i of every column is one unit): SQL returns
 * them so, one JSON array per column, and nothing is built per unit until the year's rows are.
 */
export type UnitMonthsSums = { readonly [K in keyof UnitMonthsSum]: ReadonlyArray<UnitMonthsSum[K]> };

/** UnitMonthsSums without the units' codes and names and the kinds' names (read from the unit directory instead). */
export type UnitMonthsCounts = Omit<UnitMonthsSums, "code" | "name" | "kindName">;

/** Every unit's code and name, by id (as the portal's unit directory has them). */
export interface UnitNames {
  unitId: readonly number[];
  code: readonly string[];
  name: readonly string[];
}

/** The sums as one object per unit (for reading them one unit at a time). */
export function unitMonthsSumRows(sums: UnitMonthsSums): UnitMonthsSum[] {
  return sums.unitId.map((unitId, i) => ({
    unitId, code: sums.code[i], name: sums.name[i], kind: sums.kind[i], kindName: sums.kindName[i], quota: sums.quota[i], submitted: sums.submitted[i],
    adopted: sums.adopted[i], late: sums.late[i], national: sums.national[i], province: sums.province[i], city: sums.city[i], latest: sums.latest[i],
    cents: sums.cents[i], met: sums.met[i], short: sums.short[i], none: sums.none[i],
  }));
}

/**
 * Months of a year to date: one month's league rows, one month's league scored as columns (no
 * rows; its kinds' names from `kindNames`, else the code), or closed months already summed (with
 * the units' codes and names, or without them and with `units` and `kindNames` to look them up).
 */
export type YearPart =
  | { month: string; rows: readonly UnitMonthRow[] }
  | { month: string; scored: ScoredLeague; kindNames: ReadonlyMap<string, string> }
  | { sums: UnitMonthsSums }
  | { sums: UnitMonthsCounts; units: UnitNames; kindNames: ReadonlyMap<string, string> };

type YearRow = UnitRankingRow & { months: StatusMonths };

/**
 * The year being summed, as columns: entry i of every column is one unit (a province has 20,000),
 * so adding a month builds nothing and ranking sorts numbers; each unit's row object is built once,
 * in league order, when the year is done. The name and kind are those of the unit's latest month.
 */
class YearColumns {
  /** Each unit's slot + 1 by unit id, for ids below its length (0: none yet); others in `slot`. */
  private readonly byId: Int32Array;
  private readonly slot = new Map<number, number>();
  readonly unitId: number[] = [];
  readonly code: string[] = [];
  readonly name: string[] = [];
  readonly kind: string[] = [];
  readonly kindName: string[] = [];
  private readonly latest: string[] = [];
  // The sums as numbers in place, one entry per slot (room for `capacity` units): nothing grows.
  readonly quota: Float64Array;
  readonly submitted: Float64Array;
  readonly adopted: Float64Array;
  readonly late: Float64Array;
  readonly national: Float64Array;
  readonly province: Float64Array;
  readonly city: Float64Array;
  /** Points in hundredths, so a year of 0.5s adds up exactly. */
  readonly cents: Float64Array;
  readonly met: Float64Array;
  readonly short: Float64Array;
  readonly none: Float64Array;

  /** `capacity`: at most how many units will come (the parts' sizes added up). */
  constructor(capacity: number) {
    this.byId = new Int32Array(capacity * 4 + 1024);
    this.quota = new Float64Array(capacity);
    this.submitted = new Float64Array(capacity);
    this.adopted = new Float64Array(capacity);
    this.late = new Float64Array(capacity);
    this.national = new Float64Array(capacity);
    this.province = new Float64Array(capacity);
    this.city = new Float64Array(capacity);
    this.cents = new Float64Array(capacity);
    this.met = new Float64Array(capacity);
    this.short = new Float64Array(capacity);
    this.none = new Float64Array(capacity);
  }

  get size(): number {
    return this.unitId.length;
  }

  private slotOf(unitId: number, code: string, name: string, kind: string, kindName: string, latest: string): number {
    const dense = unitId >= 0 && unitId < this.byId.length && (unitId | 0) === unitId;
    let i = dense ? this.byId[unitId] - 1 : (this.slot.get(unitId) ?? -1);
    if (i < 0) {
      i = this.unitId.length;
      if (dense) this.byId[unitId] = i + 1;
      else this.slot.set(unitId, i);
      this.unitId.push(unitId);
      this.code.push(code);
      this.name.push(name);
      this.kind.push(kind);
      this.kindName.push(kindName);
      this.latest.push(latest);
    } else if (latest >= this.latest[i]) {
      this.code[i] = code;
      this.name[i] = name;
      this.kind[i] = kind;
      this.kindName[i] = kindName;
      this.latest[i] = latest;
    }
    return i;
  }

  add(part: YearPart): void {
    if ("sums" in part) {
      const s = part.sums;
      const named = "units" in part ? null : (part.sums as UnitMonthsSums);
      const lookUp = "units" in part ? placesById(part.units.unitId) : null;
      for (let j = 0; j < s.unitId.length; j++) {
        let i: number;
        if (named) i = this.slotOf(s.unitId[j], named.code[j], named.name[j], s.kind[j], named.kindName[j], s.latest[j]);
        else {
          const { units, kindNames } = part as { units: UnitNames; kindNames: ReadonlyMap<string, string> };
          const at = lookUp!(s.unitId[j]);
          const kind = s.kind[j];
          i = this.slotOf(s.unitId[j], units.code[at], units.name[at], kind, kindNames.get(kind) ?? kind, s.latest[j]);
        }
        this.addCounts(i, s.quota[j], s.submitted[j], s.adopted[j], s.late[j], s.national[j], s.province[j], s.city[j], s.cents[j]);
        this.met[i] += s.met[j];
        this.short[i] += s.short[j];
        this.none[i] += s.none[j];
      }
      return;
    }
    if ("scored" in part) {
      const { units: u, cents, status } = part.scored;
      for (let j = 0; j < u.unitId.length; j++) {
        const kind = u.kind[j];
        const i = this.slotOf(u.unitId[j], u.code[j], u.name[j], kind, part.kindNames.get(kind) ?? kind, part.month);
        this.addCounts(i, u.quota[j], u.submitted[j], u.adopted[j], u.late[j], u.national[j], u.province[j], u.city[j], cents[j]);
        this.countStatus(i, status[j]);
      }
      return;
    }
    for (const r of part.rows) {
      const i = this.slotOf(r.unitId, r.code, r.name, r.kind, r.kindName, part.month);
      this.addCounts(i, r.quota, r.submitted, r.adopted, r.late, r.national, r.province, r.city, Math.round(r.points * 100));
      this.countStatus(i, r.status);
    }
  }

  /** One month's (or closed months' summed) counts and points in cents, added to slot `i`. */
  private addCounts(i: number, quota: number, submitted: number, adopted: number, late: number, national: number, province: number, city: number, cents: number): void {
    this.quota[i] += quota;
    this.submitted[i] += submitted;
    this.adopted[i] += adopted;
    this.late[i] += late;
    this.national[i] += national;
    this.province[i] += province;
    this.city[i] += city;
    this.cents[i] += cents;
  }

  /** One month of slot `i` in its status: met, short of its quota, or nothing reported. */
  private countStatus(i: number, status: string): void {
    if (status === "met") this.met[i]++;
    else if (status === "short") this.short[i]++;
    else this.none[i]++;
  }

  /**
   * Ranks every kind with the month's cascade (kinds in the order their first unit came): the
   * units' indices in league order, and each unit's rank and tie by index.
   */
  rank(): { order: number[]; rank: Int32Array; tied: Uint8Array } {
    const rank = new Int32Array(this.size);
    const tied = new Uint8Array(this.size);
    const order = rankLeagueByKind(this.kind, this, this.code, rank, tied).flat();
    return { order, rank, tied };
  }

  /** A year has few distinct counts of months by status: rows with the same counts share one (frozen) object. */
  private readonly monthsSeen = new Map<number, StatusMonths>();

  private statusMonths(met: number, short: number, none: number): StatusMonths {
    const key = (met * 1024 + short) * 1024 + none;
    let months = this.monthsSeen.get(key);
    if (months === undefined || months.met !== met || months.short !== short || months.none !== none) {
      months = Object.freeze({ met, short, none });
      this.monthsSeen.set(key, months);
    }
    return months;
  }

  /** Unit i's totals as a row (ranked or not yet). */
  row(i: number, rank: number, tied: boolean, movement: Movement, channels: ChannelCounts[] | undefined): YearRow {
    const adopted = this.adopted[i];
    const quota = this.quota[i];
    return {
      unitId: this.unitId[i], code: this.code[i], name: this.name[i], kind: this.kind[i], kindName: this.kindName[i], quota, submitted: this.submitted[i],
      adopted, late: this.late[i], national: this.national[i], province: this.province[i], city: this.city[i], points: this.cents[i] / 100,
      months: this.statusMonths(this.met[i], this.short[i], this.none[i]), completion: completion(adopted, quota), rank, tied, movement,
      status: null, channels,
    };
  }
}

/** Each id's place in `ids` (a dense array by id when the ids allow, else a Map). */
function placesById(ids: readonly number[]): (id: number) => number {
  let max = 0;
  for (const id of ids) if (id > max) max = id;
  if (max < 4 * ids.length + 1024 && ids.every((id) => id >= 0 && (id | 0) === id)) {
    const at = new Int32Array(max + 1).fill(-1);
    for (let i = 0; i < ids.length; i++) at[ids[i]] = i;
    return (id) => (id >= 0 && id <= max ? at[id] : -1);
  }
  const map = new Map(ids.map((id, i) => [id, i]));
  return (id) => map.get(id) ?? -1;
}

/** Σ of each unit over the months' rows; a unit's kind and name are those of its latest month. */
export function sumUnitMonths(months: ReadonlyArray<readonly UnitMonthRow[]>): YearTotals[] {
  const year = new YearColumns(months.reduce((n, rows) => n + rows.length, 0));
  // Month labels only need to grow with the index here.
  months.forEach((rows, i) => year.add({ month: String(i).padStart(4, "0"), rows }));
  return Array.from({ length: year.size }, (_, i) => {
    const { completion: _c, rank: _r, tied: _t, movement: _m, status: _s, channels: _ch, ...t } = year.row(i, 0, false, null, undefined);
    return t;
  });
}

/**
 * Year to date: each unit's Σ over the months, ranked inside its kind with the month's cascade;
 * movement against the year to date through the month before the last (新 when absent).
 */
export function yearToDate(months: ReadonlyArray<readonly UnitMonthRow[]>): UnitRankingRow[] {
  return yearToDateOf(months.map((rows, i) => ({ month: String(i).padStart(4, "0"), rows })));
}

/**
 * yearToDate over parts in month order (the last part is the last month alone when there are
 * several); `channels` gives a unit's counts per channel for its row (none when absent).
 */
export function yearToDateOf(parts: readonly YearPart[], channels?: (unitId: number) => ChannelCounts[]): UnitRankingRow[] {
  return yearTablesOf(parts, channels).rows;
}

/**
 * yearToDateOf and the table across kinds of the same year (as crossKindOfRanked gives it), the
 * latter ranked on the year's columns: units in the order they came (closed months' sums come in
 * unit order), so equal completions need no comparison of codes when that is code order too.
 */
export function yearTablesOf(
  parts: readonly YearPart[],
  channels?: (unitId: number) => ChannelCounts[],
): { rows: UnitRankingRow[]; crossKind: Array<UnitRankingRow & { kindRank: number; kindTied: boolean }> } {
  const year = new YearColumns(parts.reduce((n, p) => n + ("sums" in p ? p.sums.unitId.length : "scored" in p ? p.scored.units.unitId.length : p.rows.length), 0));
  for (const part of parts.slice(0, -1)) year.add(part);
  // The ranks through the month before (each unit in the kind it had then); units that came
  // with the last month (indices from `before` on) had none.
  const before = year.size;
  const previous = parts.length > 1 ? year.rank().rank : new Int32Array(0);
  if (parts.length > 0) year.add(parts[parts.length - 1]);
  const { order, rank, tied } = year.rank();
  const n = year.size;
  const rowAt: YearRow[] = new Array(n);
  const rows: YearRow[] = new Array(order.length);
  for (let k = 0; k < order.length; k++) {
    const i = order[k];
    const r = rank[i];
    rows[k] = rowAt[i] = year.row(i, r, tied[i] === 1, movement(i < before && parts.length > 1 ? previous[i] : null, r), channels?.(year.unitId[i]));
  }
  const completions = new Float64Array(n);
  const members: number[] = new Array(n);
  for (let i = 0; i < n; i++) {
    completions[i] = valueKey(rowAt[i].completion);
    members[i] = i;
  }
  const crossRank = new Int32Array(n);
  const crossTied = new Uint8Array(n);
  const crossKind = rankColumns(members, [completions], year.code, crossRank, crossTied).map((i) => crossRowOf(rowAt[i], crossRank[i], crossTied[i] === 1));
  return { rows, crossKind };
}

/** A row of the table across kinds: the unit's row copied once, its kind rank kept as `kindRank` / `kindTied`. */
function crossRowOf<T extends UnitRankingRow>(r: T, rank: number, tied: boolean): T & { kindRank: number; kindTied: boolean } {
  // A literal of the row's fields rather than a spread: at 20,000 rows the spread was most of the time.
  const copy: UnitRankingRow & { kindRank: number; kindTied: boolean } = {
    unitId: r.unitId, code: r.code, name: r.name, kind: r.kind, kindName: r.kindName, quota: r.quota, submitted: r.submitted,
    adopted: r.adopted, late: r.late, national: r.national, province: r.province, city: r.city, status: r.status, completion: r.completion,
    points: r.points, rank, tied, movement: r.movement, months: r.months, channels: r.channels, kindRank: r.rank, kindTied: r.tied,
  };
  return copy as T & { kindRank: number; kindTied: boolean };
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
  return rankByValueInPlace(
    rows.map((r) => crossRowOf(r, r.rank, r.tied)),
    (r) => r.completion,
  );
}
