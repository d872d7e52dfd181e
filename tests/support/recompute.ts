// An independent, from-scratch recomputation of the monthly accounting straight from the raw
// tables, for tests to hold the rollup against. It shares only the domain's point rules.
import type { Kysely } from "kysely";
import type { Database } from "../../db/schema";
import { DEFAULT_POINTS_RULES, type GradeCode, type InstructionLevelCode, type PointsRules, type TierCode } from "~/domain/catalog";
import { itemReceipt } from "~/domain/points";
import { versionFor } from "~/domain/rule-versions";
import { computeMonthRollup, type UnitMonthRow } from "~/models/rollup.server";

/** A unit's month as the rollup stores it, without its keys. */
export type Recomputed = Omit<UnitMonthRow, "unit_id" | "month">;

const EMPTY: Recomputed = {
  submitted: 0, adopted: 0, late: 0, item_points: 0, pickups_national: 0, pickups_province: 0, pickups_city: 0,
  requests_fulfilled: 0, requests_late: 0, requests_missed: 0, requests_declined: 0, request_points: 0,
};

/**
 * `now`: the instant the 约稿 outcomes are judged at (deadline passed or not). `closedAt`: month →
 * the instant it was closed, for the figures as that close froze them: the pickups and 批示 its
 * items had by then (those recorded later are on the items but not in the closed month).
 */
export async function recomputeFromScratch(db: Kysely<Database>, now = new Date(), closedAt: ReadonlyMap<string, string> = new Map()): Promise<Map<string, Recomputed>> {
  const [items, photos, allPickups, allInstructions, versions, requests, addressed] = await Promise.all([
    db.selectFrom("items").selectAll().where("report_month", "is not", null).execute(),
    db.selectFrom("photos").select("item_id").execute(),
    db.selectFrom("pickups").select(["item_id", "tier", "created_at"]).execute(),
    db.selectFrom("instructions").select(["item_id", "level", "created_at"]).execute(),
    db.selectFrom("points_rule_versions").selectAll().execute(),
    db.selectFrom("requests").selectAll().execute(),
    db.selectFrom("request_units").selectAll().execute(),
  ]);
  const rulesFor = (month: string): PointsRules => {
    const v = versionFor(versions.map((x) => ({ ...x, effectiveMonth: x.effective_month })), month);
    return { ...DEFAULT_POINTS_RULES, ...(v ? JSON.parse(v.rules_json) : {}) };
  };
  const monthOf = new Map(items.map((i) => [i.id, i.report_month!]));
  const byClose = (r: { item_id: number; created_at: string }) => {
    const closed = closedAt.get(monthOf.get(r.item_id) ?? "");
    return closed === undefined || r.created_at < closed;
  };
  const pickups = allPickups.filter(byClose);
  const instructions = allInstructions.filter(byClose);
  const out = new Map<string, Recomputed>();
  for (const item of items) {
    // Back in the school's hands (returned, or waiting for sign-off again): counted in no month.
    if (item.status === "draft" || item.status === "pending_school") continue;
    const key = `${item.unit_id}:${item.report_month}`;
    const row = out.get(key) ?? { ...EMPTY };
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

  // 约稿, written out again from the rule's words: per addressed unit of a request not cancelled,
  // settled with the Shanghai month of its deadline.
  const allItems = await db.selectFrom("items").select(["request_id", "unit_id", "status", "points_revoked", "submitted_at"]).where("request_id", "is not", null).execute();
  for (const a of addressed) {
    const r = requests.find((x) => x.id === a.request_id)!;
    if (r.cancelled_at) continue;
    const due = Date.parse(r.due_at);
    const mine = allItems.filter((i) => i.request_id === r.id && i.unit_id === a.unit_id && i.submitted_at !== null && !["draft", "pending_school"].includes(i.status));
    const onTime = mine.filter((i) => Date.parse(i.submitted_at!) <= due);
    const after = mine.filter((i) => Date.parse(i.submitted_at!) > due);
    const adoptedOnTime = onTime.some((i) => i.status === "adopted" || (i.status === "withdrawn" && i.points_revoked === 0));
    const past = now.getTime() > due;
    let outcome: "fulfilled" | "late" | "missed" | "declined" | null;
    if (adoptedOnTime) outcome = "fulfilled";
    else if (!past) outcome = a.declined_at ? "declined" : null;
    else if (onTime.some((i) => i.status === "submitted")) outcome = null;
    else if (a.declined_at) outcome = "declined";
    else if (after.length > 0) outcome = "late";
    else outcome = "missed";
    if (!outcome) continue;
    const month = new Date(due + 8 * 3_600_000).toISOString().slice(0, 7);
    const key = `${a.unit_id}:${month}`;
    const row = out.get(key) ?? { ...EMPTY };
    row[`requests_${outcome}`] += 1;
    const rules = rulesFor(month);
    row.request_points = Math.round(
      (row.requests_fulfilled * rules.requestFulfilled + (row.requests_missed + row.requests_late) * rules.requestMissed + row.requests_declined * rules.requestDeclined) * 100,
    ) / 100;
    out.set(key, row);
  }
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
        requests_fulfilled: r.requests_fulfilled, requests_late: r.requests_late, requests_missed: r.requests_missed,
        requests_declined: r.requests_declined, request_points: r.request_points,
      },
    ]),
  );
}

/**
 * All three rollup tables as stored (after refreshes that write only what changed) beside the same
 * months computed afresh from the items, each sorted by its key: they must be equal.
 */
export async function storedAndFreshRollups(db: Kysely<Database>, now = new Date()) {
  const [units, correspondents, channels, months] = await Promise.all([
    db.selectFrom("unit_month_stats").selectAll().execute(),
    db.selectFrom("correspondent_month_stats").selectAll().execute(),
    db.selectFrom("unit_month_channel_stats").selectAll().execute(),
    db.selectFrom("items").select("report_month").distinct().where("report_month", "is not", null).execute(),
  ]);
  const fresh = { units: [] as object[], correspondents: [] as object[], channels: [] as object[] };
  for (const { report_month } of months) {
    const rollup = await computeMonthRollup(db, report_month!, undefined, now);
    fresh.units.push(...rollup.units);
    fresh.correspondents.push(...rollup.correspondents);
    fresh.channels.push(...rollup.channels);
  }
  const keyOf = (r: Record<string, unknown>) => [r.month, r.unit_id, r.account_id ?? 0, r.channel_id ?? 0].join(":");
  const sorted = (rows: object[]) =>
    (rows as Array<Record<string, unknown>>).map((r) => ({ ...r })).sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : keyOf(a) > keyOf(b) ? 1 : 0));
  return {
    stored: { units: sorted(units), correspondents: sorted(correspondents), channels: sorted(channels) },
    fresh: { units: sorted(fresh.units), correspondents: sorted(fresh.correspondents), channels: sorted(fresh.channels) },
  };
}
