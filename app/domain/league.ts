// A month's league: each unit's quota status, completion, points and rank inside its kind,
// with movement since the previous month. Used live for open months and frozen at close.
import type { PointsRules } from "./catalog";
import type { ChannelCounts } from "./channels";
import { completion, unitMonthTotal, type QuotaStatus } from "./points";
import type { RequestCounts } from "./requests";
import { movement, rankInPlace, type Movement } from "./ranking";

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
  const byKind = new Map<string, UnitMonthRow[]>();
  for (const u of units) {
    const { status, total } = unitMonthTotal(u, rules);
    const row: UnitMonthRow = {
      unitId: u.unitId, code: u.code, name: u.name, kind: u.kind, kindName: kindNames.get(u.kind) ?? u.kind, quota: u.quota,
      submitted: u.submitted, adopted: u.adopted, late: u.late, national: u.national, province: u.province, city: u.city, status,
      completion: completion(u.adopted, u.quota), points: total, rank: 0, tied: false, movement: null,
    };
    if (u.requests) row.requests = u.requests;
    const rows = byKind.get(u.kind);
    if (rows) rows.push(row);
    else byKind.set(u.kind, [row]);
  }
  const out: UnitMonthRow[] = [];
  for (const rows of byKind.values()) {
    for (const r of rankInPlace(rows)) {
      r.movement = movement(previousRanks.get(r.unitId), r.rank);
      out.push(r);
    }
  }
  return out;
}
