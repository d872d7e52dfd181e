// A month's league: each unit's quota status, completion, points and rank inside its kind,
// with movement since the previous month. Used live for open months and frozen at close.
import type { PointsRules } from "./catalog";
import { completion, unitMonthReceipt, type QuotaStatus } from "./points";
import { movement, rankUnits } from "./ranking";

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

export function buildLeague(
  units: readonly LeagueInputUnit[],
  rules: PointsRules,
  previousRanks: ReadonlyMap<number, number>,
): LeagueRow[] {
  const scored = units.map((u) => {
    const receipt = unitMonthReceipt({ submitted: u.submitted, adopted: u.adopted, quota: u.quota, itemPoints: u.itemPoints }, rules);
    return { ...u, status: receipt.status, completion: completion(u.adopted, u.quota), points: receipt.total };
  });
  const kinds = [...new Set(scored.map((u) => u.kind))];
  const rows: LeagueRow[] = [];
  for (const kind of kinds) {
    const ranked = rankUnits(scored.filter((u) => u.kind === kind));
    for (const r of ranked) rows.push({ ...r, movement: movement(previousRanks.get(r.unitId), r.rank) });
  }
  return rows;
}
