// The monthly accounting per unit and per correspondent, kept in rollup tables and refreshed
// inside the same transaction as every change that moves it, so pages never aggregate raw items.
// A refresh recomputes the affected unit-months from their items with the domain's rules: the
// rollup cannot drift from the items.
//
// One late item counts once: an item back in the school's hands (returned to draft, or waiting
// for the lead's sign-off again) counts in no month for 报送 or 迟报. If its month closes meanwhile
// it is in no closed month at all; once it reaches the bureau again it counts in the month it then
// takes (report-month.ts), where it is decided.
import { sql, type Kysely, type Transaction } from "kysely";
import type { Database } from "../../db/schema";
import type { InstructionLevelCode, TierCode } from "~/domain/catalog";
import { AT_BUREAU_STATUSES, itemCounts, itemReceipt, round2, splitPoints } from "~/domain/points";
import { NO_REQUESTS, requestPoints } from "~/domain/requests";
import { requestCountsOfMonth } from "~/models/request-outcomes.server";
import { pointsRulesFor } from "~/models/rules.server";

type DB = Kysely<Database> | Transaction<Database>;

/**
 * The domain's itemCounts (adopted, or withdrawn with its points kept) as SQL, for the few
 * aggregates the rollup does not hold (by category, adoption rates). 1 when the item counts.
 */
export const countsAsAdopted = sql<number>`(case when status = 'adopted' or (status = 'withdrawn' and points_revoked = 0) then 1 else 0 end)`;

export interface UnitMonthRow {
  unit_id: number;
  month: string;
  submitted: number;
  adopted: number;
  late: number;
  item_points: number;
  pickups_national: number;
  pickups_province: number;
  pickups_city: number;
  requests_fulfilled: number;
  requests_late: number;
  requests_missed: number;
  requests_declined: number;
  request_points: number;
}

export interface ChannelMonthRow {
  unit_id: number;
  month: string;
  channel_id: number;
  submitted: number;
  adopted: number;
}

export interface CorrespondentMonthRow {
  account_id: number;
  month: string;
  unit_id: number;
  items: number;
  points: number;
}

const CHUNK = 500;

/**
 * The rollup rows of one month (optionally one unit), computed from the items and from the 约稿
 * settled with the month (their outcomes as of `now`).
 */
export async function computeMonthRollup(db: DB, month: string, unitId?: number, now = new Date()) {
  let itemsQ = db
    .selectFrom("items")
    .select(["id", "unit_id", "status", "grade", "late", "points_revoked", "channel_id"])
    .where("report_month", "=", month)
    .where("status", "in", AT_BUREAU_STATUSES);
  if (unitId !== undefined) itemsQ = itemsQ.where("unit_id", "=", unitId);
  const items = await itemsQ.execute();

  const counted = items.filter((i) => itemCounts({ status: i.status, pointsRevoked: i.points_revoked === 1 }));
  const photoCount = new Map<number, number>();
  const tiers = new Map<number, TierCode[]>();
  const levels = new Map<number, InstructionLevelCode[]>();
  const bylines = new Map<number, number[]>();
  for (let i = 0; i < counted.length; i += CHUNK) {
    const ids = counted.slice(i, i + CHUNK).map((x) => x.id);
    const [photos, pickups, instructions, people] = await Promise.all([
      db.selectFrom("photos").select(["item_id", (eb) => eb.fn.countAll<number>().as("n")]).where("item_id", "in", ids).groupBy("item_id").execute(),
      db.selectFrom("pickups").select(["item_id", "tier"]).where("item_id", "in", ids).execute(),
      db.selectFrom("instructions").select(["item_id", "level"]).where("item_id", "in", ids).execute(),
      db.selectFrom("item_bylines").select(["item_id", "account_id"]).where("item_id", "in", ids).execute(),
    ]);
    for (const p of photos) photoCount.set(p.item_id, Number(p.n));
    for (const p of pickups) tiers.set(p.item_id, [...(tiers.get(p.item_id) ?? []), p.tier]);
    for (const x of instructions) levels.set(x.item_id, [...(levels.get(x.item_id) ?? []), x.level]);
    for (const b of people) bylines.set(b.item_id, [...(bylines.get(b.item_id) ?? []), b.account_id]);
  }

  const { rules } = await pointsRulesFor(db, month);
  const units = new Map<number, UnitMonthRow>();
  const unitRow = (id: number) => {
    let row = units.get(id);
    if (!row) {
      row = {
        unit_id: id, month, submitted: 0, adopted: 0, late: 0, item_points: 0, pickups_national: 0, pickups_province: 0, pickups_city: 0,
        requests_fulfilled: 0, requests_late: 0, requests_missed: 0, requests_declined: 0, request_points: 0,
      };
      units.set(id, row);
    }
    return row;
  };
  const channels = new Map<string, ChannelMonthRow>();
  const channelRow = (unitId: number, channelId: number | null) => {
    const key = `${unitId}:${channelId ?? 0}`;
    let row = channels.get(key);
    if (!row) {
      row = { unit_id: unitId, month, channel_id: channelId ?? 0, submitted: 0, adopted: 0 };
      channels.set(key, row);
    }
    return row;
  };
  for (const i of items) {
    const row = unitRow(i.unit_id);
    row.submitted++;
    if (i.late) row.late++;
    channelRow(i.unit_id, i.channel_id).submitted++;
  }
  const people = new Map<number, CorrespondentMonthRow>();
  for (const i of counted) {
    const row = unitRow(i.unit_id);
    const itemTiers = tiers.get(i.id) ?? [];
    const r = itemReceipt(
      {
        status: i.status, grade: i.grade, pointsRevoked: i.points_revoked === 1, photoCount: photoCount.get(i.id) ?? 0,
        late: i.late === 1, pickupTiers: itemTiers, instructionLevels: levels.get(i.id) ?? [],
      },
      rules,
    );
    row.adopted++;
    channelRow(i.unit_id, i.channel_id).adopted++;
    row.item_points = round2(row.item_points + r.total);
    // The tie-break counts items, like the points: an item carried by two outlets of one tier
    // counts once for that tier.
    row.pickups_national += itemTiers.includes("national") ? 1 : 0;
    row.pickups_province += itemTiers.includes("province") ? 1 : 0;
    row.pickups_city += itemTiers.includes("city") ? 1 : 0;
    const by = bylines.get(i.id) ?? [];
    for (const accountId of by) {
      const p = people.get(accountId) ?? { account_id: accountId, month, unit_id: i.unit_id, items: 0, points: 0 };
      p.items = round2(p.items + 1 / by.length);
      p.points = round2(p.points + splitPoints(r.total, by.length));
      people.set(accountId, p);
    }
  }
  for (const [id, c] of await requestCountsOfMonth(db, month, now, unitId)) {
    if (c === NO_REQUESTS || c.fulfilled + c.late + c.missed + c.declined === 0) continue;
    const row = unitRow(id);
    row.requests_fulfilled = c.fulfilled;
    row.requests_late = c.late;
    row.requests_missed = c.missed;
    row.requests_declined = c.declined;
    row.request_points = requestPoints(c, rules);
  }
  return { units: [...units.values()], correspondents: [...people.values()], channels: [...channels.values()] };
}

/** Replaces the rollup of one month (optionally one unit) with a fresh computation. */
export async function refreshMonth(trx: Transaction<Database>, month: string, unitId?: number, now = new Date()): Promise<void> {
  const { units, correspondents, channels } = await computeMonthRollup(trx, month, unitId, now);
  let delUnits = trx.deleteFrom("unit_month_stats").where("month", "=", month);
  let delPeople = trx.deleteFrom("correspondent_month_stats").where("month", "=", month);
  let delChannels = trx.deleteFrom("unit_month_channel_stats").where("month", "=", month);
  if (unitId !== undefined) {
    delUnits = delUnits.where("unit_id", "=", unitId);
    delPeople = delPeople.where("unit_id", "=", unitId);
    delChannels = delChannels.where("unit_id", "=", unitId);
  }
  await delUnits.execute();
  await delPeople.execute();
  await delChannels.execute();
  for (let i = 0; i < channels.length; i += CHUNK) await trx.insertInto("unit_month_channel_stats").values(channels.slice(i, i + CHUNK)).execute();
  for (let i = 0; i < units.length; i += CHUNK) await trx.insertInto("unit_month_stats").values(units.slice(i, i + CHUNK)).execute();
  for (let i = 0; i < correspondents.length; i += CHUNK) {
    await trx.insertInto("correspondent_month_stats").values(correspondents.slice(i, i + CHUNK)).execute();
  }
}

/**
 * Refreshes each distinct (unit, month) pair; months may be null (never reached the bureau).
 * `now`: the instant 约稿 outcomes are judged at (the write's own instant).
 */
export async function refreshUnitMonths(trx: Transaction<Database>, pairs: Array<{ unitId: number; month: string | null }>, now = new Date()) {
  const seen = new Set<string>();
  for (const p of pairs) {
    if (!p.month) continue;
    const key = `${p.unitId}:${p.month}`;
    if (seen.has(key)) continue;
    seen.add(key);
    await refreshMonth(trx, p.month, p.unitId, now);
  }
}

/** The report months that have items, oldest first: all of them, or those from `from` on, or before `before`. */
export async function itemMonths(db: DB, range: { from?: string; before?: string } = {}): Promise<string[]> {
  let query = db.selectFrom("items").select("report_month").distinct().where("report_month", "is not", null);
  if (range.from !== undefined) query = query.where("report_month", ">=", range.from);
  if (range.before !== undefined) query = query.where("report_month", "<", range.before);
  const rows = await query.orderBy("report_month").execute();
  return rows.map((r) => r.report_month!);
}

/** The months 约稿 are settled with (their deadlines' months), oldest first. */
export async function requestMonths(db: DB, range: { from?: string } = {}): Promise<string[]> {
  let query = db.selectFrom("requests").select("month").distinct();
  if (range.from !== undefined) query = query.where("month", ">=", range.from);
  return (await query.orderBy("month").execute()).map((r) => r.month);
}

/** Rebuilds every month's rollup (after seeding, restoring, or a rule change); 约稿 judged at `now`. */
export async function rebuildAllRollups(db: Kysely<Database>, now = new Date()): Promise<void> {
  const months = [...new Set([...(await itemMonths(db)), ...(await requestMonths(db))])].sort();
  for (const month of months) {
    await db.transaction().execute((trx) => refreshMonth(trx, month, undefined, now));
  }
}
