// An independent, from-scratch recomputation of the monthly accounting straight from the raw
// tables, for tests to hold the rollup against. It shares only the domain's point rules.
import type { Kysely } from "kysely";
import type { Database } from "../../db/schema";
import { DEFAULT_POINTS_RULES, type GradeCode, type InstructionLevelCode, type PointsRules, type TierCode } from "~/domain/catalog";
import { itemReceipt } from "~/domain/points";
import { versionFor } from "~/domain/rule-versions";

export interface Recomputed {
  submitted: number;
  adopted: number;
  late: number;
  item_points: number;
  pickups_national: number;
  pickups_province: number;
  pickups_city: number;
}

export async function recomputeFromScratch(db: Kysely<Database>): Promise<Map<string, Recomputed>> {
  const [items, photos, pickups, instructions, versions] = await Promise.all([
    db.selectFrom("items").selectAll().where("report_month", "is not", null).execute(),
    db.selectFrom("photos").select("item_id").execute(),
    db.selectFrom("pickups").select(["item_id", "tier"]).execute(),
    db.selectFrom("instructions").select(["item_id", "level"]).execute(),
    db.selectFrom("points_rule_versions").selectAll().execute(),
  ]);
  const rulesFor = (month: string): PointsRules => {
    const v = versionFor(versions.map((x) => ({ ...x, effectiveMonth: x.effective_month })), month);
    return v ? JSON.parse(v.rules_json) : DEFAULT_POINTS_RULES;
  };
  const out = new Map<string, Recomputed>();
  for (const item of items) {
    // Back in the school's hands (returned, or waiting for sign-off again): counted in no month.
    if (item.status === "draft" || item.status === "pending_school") continue;
    const key = `${item.unit_id}:${item.report_month}`;
    const row = out.get(key) ?? { submitted: 0, adopted: 0, late: 0, item_points: 0, pickups_national: 0, pickups_province: 0, pickups_city: 0 };
    row.submitted += 1;
    row.late += item.late;
    const counts = item.status === "adopted" || (item.status === "withdrawn" && item.points_revoked === 0);
    if (counts) {
      const tiers = pickups.filter((p) => p.item_id === item.id).map((p) => p.tier as TierCode);
      row.adopted += 1;
      row.item_points += itemReceipt(
        {
          status: item.status, grade: item.grade as GradeCode, pointsRevoked: item.points_revoked === 1,
          photoCount: photos.filter((p) => p.item_id === item.id).length, late: item.late === 1, pickupTiers: tiers,
          instructionLevels: instructions.filter((i) => i.item_id === item.id).map((i) => i.level as InstructionLevelCode),
        },
        rulesFor(item.report_month!),
      ).total;
      // Items picked up at a tier, not pickups: two outlets of one tier count once.
      row.pickups_national += tiers.some((t) => t === "national") ? 1 : 0;
      row.pickups_province += tiers.some((t) => t === "province") ? 1 : 0;
      row.pickups_city += tiers.some((t) => t === "city") ? 1 : 0;
    }
    out.set(key, row);
  }
  for (const row of out.values()) row.item_points = Math.round(row.item_points * 100) / 100;
  return out;
}

export async function rollupAsMap(db: Kysely<Database>): Promise<Map<string, Recomputed>> {
  const rows = await db.selectFrom("unit_month_stats").selectAll().execute();
  return new Map(
    rows.map((r) => [
      `${r.unit_id}:${r.month}`,
      {
        submitted: r.submitted, adopted: r.adopted, late: r.late, item_points: r.item_points,
        pickups_national: r.pickups_national, pickups_province: r.pickups_province, pickups_city: r.pickups_city,
      },
    ]),
  );
}
