// A month's league: each unit's quota status, completion, points and rank inside its kind,
// with movement since the previous month. Used live for open months and frozen at close.
import type { PointsRules } from "./catalog";
import { completion, unitMonthTotal, type QuotaStatus } from "./points";
import { movement, rankInPlace } from "./ranking";

export interface LeagueInputUnit {
  unitId: number;
  code: string;
  name: string;
  kind: string;
  quota: number;
  submitted: number;
  adopted: number;
  late: number;
  itemPoints: number;
  national: number;
  province: number;
  city: number;
}

export interface LeagueRow extends LeagueInputUnit {
  status: QuotaStatus;
  completion: number;
  points: number;
  rank: number;
  tied: boolean;
  movement: string;
}

/**
 * Kinds in the order they first appear, each kind's rows in league order. One object per unit,
 * built once: at province scale (20,000 units) copying rows is what the time went to.
 */
export function buildLeague(
  units: readonly LeagueInputUnit[],
  rules: PointsRules,
  previousRanks: ReadonlyMap<number, number>,
): LeagueRow[] {
  const byKind = new Map<string, LeagueRow[]>();
  for (const u of units) {
    const { status, total } = unitMonthTotal(u, rules);
    const row: LeagueRow = {
      unitId: u.unitId, code: u.code, name: u.name, kind: u.kind, quota: u.quota, submitted: u.submitted, adopted: u.adopted,
      late: u.late, itemPoints: u.itemPoints, national: u.national, province: u.province, city: u.city, status,
      completion: completion(u.adopted, u.quota), points: total, rank: 0, tied: false, movement: "",
    };
    const rows = byKind.get(u.kind);
    if (rows) rows.push(row);
    else byKind.set(u.kind, [row]);
  }
  const out: LeagueRow[] = [];
  for (const rows of byKind.values()) {
    for (const r of rankInPlace(rows)) {
      r.movement = movement(previousRanks.get(r.unitId), r.rank);
      out.push(r);
    }
  }
  return out;
}
