// The rule versions in force for a month: points rules and quotas (kind default, unit override).
import type { Kysely, Transaction } from "kysely";
import type { Database } from "../../db/schema";
import { DEFAULT_POINTS_RULES, parsePointsRules, type PointsRules } from "~/domain/catalog";
import { versionFor } from "~/domain/rule-versions";
import { writeCache } from "~/models/write-cache.server";

type DB = Kysely<Database> | Transaction<Database>;

export interface RulesInForce {
  versionId: number | null;
  rules: PointsRules;
}

/**
 * The points rules in force for a month. Read once per write to the rule versions (a table of
 * figures of its own: any write to it reaches everything) and shared read-only; a transaction reads
 * them afresh.
 */
export async function pointsRulesFor(db: DB, month: string): Promise<RulesInForce> {
  return pointsRulesInForce.get(db, month, async () => pointsRulesOf(await db.selectFrom("points_rule_versions").select(["id", "effective_month", "rules_json"]).execute(), month), "none");
}

const pointsRulesInForce = writeCache<RulesInForce>({ frozen: true });

/** The points rules in force for a month, from the versions as stored. */
export function pointsRulesOf(rows: ReadonlyArray<{ id: number; effective_month: string; rules_json: string }>, month: string): RulesInForce {
  const v = versionFor(rows.map((r) => ({ ...r, effectiveMonth: r.effective_month })), month);
  return v ? { versionId: v.id, rules: parsePointsRules(v.rules_json) } : { versionId: null, rules: DEFAULT_POINTS_RULES };
}

export interface QuotasInForce {
  versionId: number | null;
  /** Quota of every unit for the month, override applied. */
  byUnit: Map<number, number>;
  byKind: Map<string, number>;
}

/** Quotas of all units (or one) for a month. */
export async function quotasFor(db: DB, month: string, unitId?: number): Promise<QuotasInForce> {
  const versions = await db.selectFrom("quota_rule_versions").select(["id", "effective_month"]).execute();
  const v = versionFor(versions.map((r) => ({ ...r, effectiveMonth: r.effective_month })), month);
  const kindRows = v ? await db.selectFrom("quota_rules").select(["kind_code", "quota"]).where("version_id", "=", v.id).execute() : [];
  const byKind = new Map(kindRows.map((r) => [r.kind_code, r.quota]));
  let unitsQ = db.selectFrom("units").select(["id", "kind_code"]);
  if (unitId !== undefined) unitsQ = unitsQ.where("id", "=", unitId);
  let overridesQ = db
    .selectFrom("unit_quota_overrides")
    .select(["unit_id", "quota", "effective_month"])
    .where("effective_month", "<=", month)
    .orderBy("effective_month", "asc");
  if (unitId !== undefined) overridesQ = overridesQ.where("unit_id", "=", unitId);
  const [units, overrides] = await Promise.all([unitsQ.execute(), overridesQ.execute()]);
  const byUnit = new Map<number, number>();
  for (const u of units) byUnit.set(u.id, byKind.get(u.kind_code) ?? 0);
  // Ascending by month: the latest override on or before the month wins.
  for (const o of overrides) if (byUnit.has(o.unit_id)) byUnit.set(o.unit_id, o.quota);
  return { versionId: v?.id ?? null, byUnit, byKind };
}

/** One unit's quota for a month: read once per write to the quotas or units (any reaches everything) and shared. */
export async function quotaFor(db: DB, unitId: number, month: string): Promise<number> {
  return unitQuotas.get(db, `${unitId}|${month}`, async () => (await quotasFor(db, month, unitId)).byUnit.get(unitId) ?? 0, "none");
}

const unitQuotas = writeCache<number>();
