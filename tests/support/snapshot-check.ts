// Checks of the monthly accounting against the raw tables, for the concurrency tests: the
// correspondents' rollup recomputed from scratch, and what a month's frozen snapshot must hold
// when recomputed from the items at the moment it is compared.
import type { Kysely } from "kysely";
import type { Database } from "../../db/schema";
import { DEFAULT_POINTS_RULES, type GradeCode, type InstructionLevelCode, type PointsRules, type TierCode } from "~/domain/catalog";
import { buildLeague, type LeagueInputUnit } from "~/domain/league";
import { bylineCents, itemCounts, itemReceipt } from "~/domain/points";
import { versionFor } from "~/domain/rule-versions";
import { recomputeFromScratch } from "./recompute";

type DB = Kysely<Database>;

export interface PersonMonth {
  unit_id: number;
  items: number;
  points: number;
}

async function rulesOf(db: DB): Promise<(month: string) => PointsRules> {
  const versions = await db.selectFrom("points_rule_versions").selectAll().execute();
  return (month) => {
    const v = versionFor(versions.map((x) => ({ ...x, effectiveMonth: x.effective_month })), month);
    return v ? JSON.parse(v.rules_json) : DEFAULT_POINTS_RULES;
  };
}

/** Every correspondent's month (`${account}:${month}`): counted items split equally among bylines. */
export async function recomputeCorrespondentsFromScratch(db: DB): Promise<Map<string, PersonMonth>> {
  const [items, photos, pickups, instructions, bylines, rulesFor] = await Promise.all([
    db.selectFrom("items").selectAll().where("report_month", "is not", null).orderBy("id").execute(),
    db.selectFrom("photos").select("item_id").execute(),
    db.selectFrom("pickups").select(["item_id", "tier"]).execute(),
    db.selectFrom("instructions").select(["item_id", "level"]).execute(),
    db.selectFrom("item_bylines").select(["item_id", "account_id"]).execute(),
    rulesOf(db),
  ]);
  const out = new Map<string, PersonMonth>();
  for (const item of items) {
    if (!itemCounts({ status: item.status, pointsRevoked: item.points_revoked === 1 })) continue;
    const total = itemReceipt(
      {
        status: item.status, grade: item.grade as GradeCode, pointsRevoked: item.points_revoked === 1,
        photoCount: photos.filter((p) => p.item_id === item.id).length, late: item.late === 1,
        pickupTiers: pickups.filter((p) => p.item_id === item.id).map((p) => p.tier as TierCode),
        instructionLevels: instructions.filter((i) => i.item_id === item.id).map((i) => i.level as InstructionLevelCode),
      },
      rulesFor(item.report_month!),
    ).total;
    const people = bylines.filter((b) => b.item_id === item.id).map((b) => b.account_id);
    const itemShares = bylineCents(100, people, item.id);
    for (const [account, cents] of bylineCents(Math.round(total * 100), people, item.id)) {
      const key = `${account}:${item.report_month}`;
      const row = out.get(key) ?? { unit_id: item.unit_id, items: 0, points: 0 };
      // In hundredths until the end, as the rollup counts them.
      row.items += itemShares.get(account)!;
      row.points += cents;
      out.set(key, row);
    }
  }
  for (const row of out.values()) {
    row.items /= 100;
    row.points /= 100;
  }
  return out;
}

export async function correspondentRollupAsMap(db: DB): Promise<Map<string, PersonMonth>> {
  const rows = await db.selectFrom("correspondent_month_stats").selectAll().execute();
  return new Map(rows.map((r) => [`${r.account_id}:${r.month}`, { unit_id: r.unit_id, items: r.items, points: r.points }]));
}

/**
 * Differences between the correspondents' rollup and a recomputation, as text (empty when equal).
 * Both split each item in hundredths that sum to the item exactly: they must agree to the hundredth.
 */
export function correspondentDifferences(rollup: Map<string, PersonMonth>, scratch: Map<string, PersonMonth>): string[] {
  const problems: string[] = [];
  for (const key of new Set([...rollup.keys(), ...scratch.keys()])) {
    const a = rollup.get(key);
    const b = scratch.get(key);
    if (!a || !b) {
      problems.push(`${key}: rollup ${JSON.stringify(a)} vs recomputed ${JSON.stringify(b)}`);
      continue;
    }
    if (a.unit_id !== b.unit_id || a.items !== b.items || a.points !== b.points) {
      problems.push(`${key}: rollup ${JSON.stringify(a)} vs recomputed ${JSON.stringify(b)}`);
    }
  }
  return problems;
}

/** The fields of a unit's frozen month that follow from the items (movement depends on the month before). */
export interface SnapshotRow {
  quota: number;
  submitted: number;
  adopted: number;
  late: number;
  points: number;
  status: string;
  rank: number;
  tied: boolean;
  pickups_national: number;
  pickups_province: number;
  pickups_city: number;
}

/** What a snapshot of `month` taken now must hold, by unit id, from the raw tables and the domain's rules. */
export async function expectedSnapshot(db: DB, month: string): Promise<Map<number, SnapshotRow>> {
  const [scratch, units, quotaVersions, overrides, rulesFor] = await Promise.all([
    recomputeFromScratch(db),
    db.selectFrom("units").select(["id", "code", "name", "kind_code", "active"]).execute(),
    db.selectFrom("quota_rule_versions").select(["id", "effective_month"]).execute(),
    db.selectFrom("unit_quota_overrides").selectAll().where("effective_month", "<=", month).orderBy("effective_month").execute(),
    rulesOf(db),
  ]);
  const version = versionFor(quotaVersions.map((v) => ({ ...v, effectiveMonth: v.effective_month })), month);
  const kindQuotas = version ? await db.selectFrom("quota_rules").select(["kind_code", "quota"]).where("version_id", "=", version.id).execute() : [];
  const quotaOf = (unit: { id: number; kind_code: string }) =>
    overrides.filter((o) => o.unit_id === unit.id).at(-1)?.quota ?? kindQuotas.find((k) => k.kind_code === unit.kind_code)?.quota ?? 0;
  const inputs: LeagueInputUnit[] = units
    .filter((u) => u.active === 1 || scratch.has(`${u.id}:${month}`))
    .map((u) => {
      const s = scratch.get(`${u.id}:${month}`);
      return {
        unitId: u.id, code: u.code, name: u.name, kind: u.kind_code, quota: quotaOf(u), submitted: s?.submitted ?? 0,
        adopted: s?.adopted ?? 0, late: s?.late ?? 0, itemPoints: s?.item_points ?? 0, national: s?.pickups_national ?? 0,
        province: s?.pickups_province ?? 0, city: s?.pickups_city ?? 0,
        requests: { fulfilled: s?.requests_fulfilled ?? 0, late: s?.requests_late ?? 0, missed: s?.requests_missed ?? 0, declined: s?.requests_declined ?? 0 },
      };
    });
  return new Map(
    buildLeague(inputs, rulesFor(month), new Map()).map((r) => [
      r.unitId,
      {
        quota: r.quota, submitted: r.submitted, adopted: r.adopted, late: r.late, points: r.points, status: r.status, rank: r.rank,
        tied: r.tied, pickups_national: r.national, pickups_province: r.province, pickups_city: r.city,
      },
    ]),
  );
}

/** The snapshot in force for `month` (null when the month is open), by unit id. */
export async function frozenSnapshot(db: DB, month: string): Promise<Map<number, SnapshotRow> | null> {
  const close = await db.selectFrom("month_closes").select("id").where("month", "=", month).where("reopened_at", "is", null).executeTakeFirst();
  if (!close) return null;
  const rows = await db.selectFrom("month_unit_snapshots").selectAll().where("close_id", "=", close.id).execute();
  return new Map(
    rows.map((r) => [
      r.unit_id,
      {
        quota: r.quota, submitted: r.submitted, adopted: r.adopted, late: r.late, points: r.points, status: r.status, rank: r.rank,
        tied: r.tied === 1, pickups_national: r.pickups_national, pickups_province: r.pickups_province, pickups_city: r.pickups_city,
      },
    ]),
  );
}

/** The correspondents' frozen month in force (`${account}`), or null when the month is open. */
export async function frozenPeople(db: DB, month: string): Promise<Map<number, { items: number; points: number }> | null> {
  const close = await db.selectFrom("month_closes").select("id").where("month", "=", month).where("reopened_at", "is", null).executeTakeFirst();
  if (!close) return null;
  const rows = await db.selectFrom("month_correspondent_snapshots").selectAll().where("close_id", "=", close.id).execute();
  return new Map(rows.map((r) => [r.account_id, { items: r.items, points: r.points }]));
}
