// A month's league: each unit's quota status, completion, points and rank inside its kind,
// with movement since the previous month. Used live for open months and frozen at close.
import type { PointsRules } from "./catalog";
import type { ChannelCounts } from "./channels";
import { completion, unitMonthTotal, type QuotaStatus, type UnitMonthFacts } from "./points";
import type { RequestCounts } from "./requests";
import { movement, rankLeagueByKind, type Movement } from "./ranking";
import { addMonths } from "./time";

/** The months a month's league is computed from: its own, and for movement the month before. */
export function leagueMonths(month: string, withMovement: boolean): string[] {
  return withMovement ? [month, addMonths(month, -1)] : [month];
}

/**
 * One unit in one month, as every league table, export and notice reads it: live from the
 * rollup for an open month, from the frozen snapshot for a closed one.
 */
export interface UnitMonthRow {
  unitId: number;
  code: string;
  name: string;
  kind: string;
  kindName: string;
  quota: number;
  submitted: number;
  adopted: number;
  late: number;
  /** Pickups at national / provincial / city tier (the ranking's tie-breaks). */
  national: number;
  province: number;
  city: number;
  status: QuotaStatus;
  completion: number;
  points: number;
  rank: number;
  tied: boolean;
  movement: Movement;
  /** 报送 and 采用 per channel, aligned with the table's channel columns (set where a table has them). */
  channels?: ChannelCounts[];
  /** The 约稿 outcomes settled with the month (their points are in `points`). */
  requests?: RequestCounts;
}

/** A unit's counts for a month before scoring: the row's counts and the points its items earned. */
export type LeagueInputUnit = Pick<
  UnitMonthRow,
  "unitId" | "code" | "name" | "kind" | "quota" | "submitted" | "adopted" | "late" | "national" | "province" | "city"
> & { itemPoints: number; requests?: RequestCounts };

/** A month's units before scoring as columns: entry i of every column is one unit (as SQL reads them, one JSON array per column). */
export type LeagueInputColumns = { readonly [K in keyof LeagueInputUnit]-?: ReadonlyArray<LeagueInputUnit[K]> };

/**
 * Kinds in the order they first appear, each kind's rows in league order. One object per unit,
 * built once: at province scale (20,000 units) copying rows is what the time went to.
 */
export function buildLeague(
  units: readonly LeagueInputUnit[],
  rules: PointsRules,
  previousRanks: ReadonlyMap<number, number>,
  kindNames: ReadonlyMap<string, string> = new Map(),
): UnitMonthRow[] {
  const column = <K extends keyof LeagueInputUnit>(key: K) => units.map((u) => u[key]);
  const columns: LeagueInputColumns = {
    unitId: column("unitId"), code: column("code"), name: column("name"), kind: column("kind"), quota: column("quota"), submitted: column("submitted"),
    adopted: column("adopted"), late: column("late"), national: column("national"), province: column("province"), city: column("city"),
    itemPoints: column("itemPoints"), requests: column("requests"),
  };
  return buildLeagueOfColumns(columns, rules, (unitId) => previousRanks.get(unitId), kindNames);
}

/**
 * A month's units scored, still as columns (entry i of each is unit i of `units`): what a table
 * over several months reads, with no row built and no ranking done; leagueRowsOf ranks the month
 * and builds its rows.
 */
export interface ScoredLeague {
  units: LeagueInputColumns;
  status: QuotaStatus[];
  points: Float64Array;
  /** Points in hundredths (the ranking's first key). */
  cents: Float64Array;
  /** The month ranked inside each kind: done on the first call and kept (a year's sum never asks). */
  ranked(): LeagueRanking;
}

export interface LeagueRanking {
  rank: Int32Array;
  tied: Uint8Array;
  /** Each kind's unit indices in league order, kinds in the order their first unit comes. */
  order: number[][];
}

/** Every unit scored on numbers (points in hundredths), and ranked with the tie-breaks in arrays when first asked. */
export function scoreLeague(u: LeagueInputColumns, rules: PointsRules): ScoredLeague {
  const n = u.unitId.length;
  const status: QuotaStatus[] = new Array(n);
  const points = new Float64Array(n);
  const cents = new Float64Array(n);
  // One object to score every unit with (scoring reads it and keeps nothing).
  const facts: UnitMonthFacts = { submitted: 0, adopted: 0, quota: 0, itemPoints: 0, requests: undefined };
  for (let i = 0; i < n; i++) {
    facts.submitted = u.submitted[i];
    facts.adopted = u.adopted[i];
    facts.quota = u.quota[i];
    facts.itemPoints = u.itemPoints[i];
    facts.requests = u.requests[i];
    const scored = unitMonthTotal(facts, rules);
    status[i] = scored.status;
    points[i] = scored.total;
    cents[i] = Math.round(scored.total * 100);
  }
  let ranking: LeagueRanking | undefined;
  const ranked = (): LeagueRanking => {
    if (ranking) return ranking;
    const rank = new Int32Array(n);
    const tied = new Uint8Array(n);
    const keys = { cents, national: u.national, province: u.province, city: u.city, adopted: u.adopted };
    const order = rankLeagueByKind(u.kind, keys, u.code, rank, tied);
    ranking = { rank, tied, order };
    return ranking;
  };
  return { units: u, status, points, cents, ranked };
}

/**
 * A scored league's rows: each unit's row built once, in league order, with everything set; the
 * unit's rank last month from `previousRank` (none: 新).
 */
export function leagueRowsOf(
  s: ScoredLeague,
  previousRank: (unitId: number) => number | null | undefined,
  kindNames: ReadonlyMap<string, string> = new Map(),
): UnitMonthRow[] {
  const { units: u, status, points } = s;
  const { rank, tied, order } = s.ranked();
  const out: UnitMonthRow[] = [];
  for (const ordered of order) {
    const kindName = kindNames.get(u.kind[ordered[0]]) ?? u.kind[ordered[0]];
    for (const i of ordered) {
      const row: UnitMonthRow = {
        unitId: u.unitId[i], code: u.code[i], name: u.name[i], kind: u.kind[i], kindName, quota: u.quota[i],
        submitted: u.submitted[i], adopted: u.adopted[i], late: u.late[i], national: u.national[i], province: u.province[i], city: u.city[i],
        status: status[i], completion: completion(u.adopted[i], u.quota[i]), points: points[i], rank: rank[i], tied: tied[i] === 1,
        movement: movement(previousRank(u.unitId[i]), rank[i]),
      };
      const requests = u.requests[i];
      if (requests) row.requests = requests;
      out.push(row);
    }
  }
  return out;
}

/** buildLeague over columns: scoreLeague, then leagueRowsOf. */
export function buildLeagueOfColumns(
  u: LeagueInputColumns,
  rules: PointsRules,
  previousRank: (unitId: number) => number | null | undefined,
  kindNames: ReadonlyMap<string, string> = new Map(),
): UnitMonthRow[] {
  return leagueRowsOf(scoreLeague(u, rules), previousRank, kindNames);
}
