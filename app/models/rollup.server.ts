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
import type { GradeCode, InstructionLevelCode, ItemStatusCode, TierCode } from "~/domain/catalog";
import { AT_BUREAU_STATUSES, bylineCents, itemCounts, itemReceipt, round2 } from "~/domain/points";
import { NO_REQUESTS, requestPoints } from "~/domain/requests";
import { requestCountsOf, requestsOfMonthColumn } from "~/models/request-outcomes.server";
import { pointsRulesOf } from "~/models/rules.server";

type DB = Kysely<Database> | Transaction<Database>;

/**
 * The domain's itemCounts (adopted, or withdrawn with its points kept) as SQL, for the few
 * aggregates the rollup does not hold (by category, adoption rates). 1 when the item counts.
 */
export const countsAsAdopted = sql<number>`(case when status = 'adopted' or (status = 'withdrawn' and points_revoked = 0) then 1 else 0 end)`;

/**
 * Each person's items in the months that count as adopted (countsAsAdopted), each item bearing
 * their name counted whole, as the items stand now (a close freezes it per month).
 */
export async function adoptedItemsByName(db: Kysely<Database> | Transaction<Database>, months: readonly string[]): Promise<Map<number, number>> {
  if (months.length === 0) return new Map();
  const rows = await db
    .selectFrom("item_bylines as b")
    .innerJoin("items as i", "i.id", "b.item_id")
    .select(["b.account_id", (eb) => eb.fn.countAll<number>().as("n")])
    .where("i.report_month", "in", [...months])
    .where(sql<boolean>`${countsAsAdopted} = 1`)
    .groupBy("b.account_id")
    .execute();
  return new Map(rows.map((r) => [r.account_id, Number(r.n)]));
}

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

/** The stored rollup tables: each row's key within its month, and the values a refresh writes. */
const TABLES = {
  units: {
    table: "unit_month_stats", conflict: ["unit_id", "month"], key: ["unit_id"],
    values: [
      "submitted", "adopted", "late", "item_points", "pickups_national", "pickups_province", "pickups_city",
      "requests_fulfilled", "requests_late", "requests_missed", "requests_declined", "request_points",
    ],
  },
  correspondents: { table: "correspondent_month_stats", conflict: ["account_id", "month"], key: ["account_id"], values: ["unit_id", "items", "points"] },
  channels: { table: "unit_month_channel_stats", conflict: ["unit_id", "month", "channel_id"], key: ["unit_id", "channel_id"], values: ["submitted", "adopted"] },
} as const;

type Rollup = { units: UnitMonthRow[]; correspondents: CorrespondentMonthRow[]; channels: ChannelMonthRow[] };
type Part = keyof typeof TABLES;
type StoredRow = Record<string, number | string>;

const unitScope = (unitId: number | undefined, column = "unit_id") => (unitId === undefined ? sql`` : sql` and ${sql.ref(column)} = ${unitId}`);

/** A rollup table's stored rows of the month (of one unit), as one JSON column. */
function storedColumn(part: Part, month: string, unitId: number | undefined) {
  const { table, key, values } = TABLES[part];
  const fields = [...key, ...values].map((c) => sql`${sql.lit(c)}, ${sql.ref(c)}`);
  return sql<string>`(select json_group_array(json_object(${sql.join(fields)})) from ${sql.table(table)} where month = ${month}${unitScope(unitId)})`;
}

/** An item at the bureau; photos, tiers, levels and bylines (comma-separated) only when it counts. */
type ItemJson = [
  id: number, unitId: number, status: ItemStatusCode, grade: GradeCode | null, late: number, pointsRevoked: number, channelId: number | null,
  photos: number | null, tiers: string | null, levels: string | null, bylines: string | null,
];

/**
 * Everything a month's (or a unit-month's) rollup is computed from, and the rows stored for it now,
 * in one statement: the items at the bureau with their photo counts, pickup tiers, 批示 levels and
 * bylines; the 约稿 settled with the month; the points rule versions. Each statement inside a
 * write transaction is a round trip while the turn to write is held.
 */
async function monthFacts(db: DB, month: string, unitId: number | undefined, now: Date) {
  const statuses = sql.join(AT_BUREAU_STATUSES.map((s) => sql`${s}`));
  const { rows } = await sql<{ items: string; requests: string; rules: string } & Record<Part, string>>`select
    (select json_group_array(json_array(
        i.id, i.unit_id, i.status, i.grade, i.late, i.points_revoked, i.channel_id,
        case when ${countsAsAdopted} then (select count(*) from photos p where p.item_id = i.id) end,
        case when ${countsAsAdopted} then (select group_concat(k.tier) from pickups k where k.item_id = i.id) end,
        case when ${countsAsAdopted} then (select group_concat(n.level) from instructions n where n.item_id = i.id) end,
        case when ${countsAsAdopted} then (select group_concat(b.account_id, ',' order by b.account_id) from item_bylines b where b.item_id = i.id) end
      ))
      from items i where i.report_month = ${month} and i.status in (${statuses})${unitScope(unitId, "i.unit_id")}) as items,
    ${requestsOfMonthColumn(month, unitId)} as requests,
    (select json_group_array(json_array(id, effective_month, rules_json)) from points_rule_versions) as rules,
    ${storedColumn("units", month, unitId)} as units,
    ${storedColumn("correspondents", month, unitId)} as correspondents,
    ${storedColumn("channels", month, unitId)} as channels`.execute(db);
  const [row] = rows;
  const versions = (JSON.parse(row.rules) as Array<[number, string, string]>).map(([id, effective_month, rules_json]) => ({ id, effective_month, rules_json }));
  return {
    items: JSON.parse(row.items) as ItemJson[],
    requests: requestCountsOf(row.requests, now),
    rules: pointsRulesOf(versions, month).rules,
    stored: {
      units: JSON.parse(row.units) as StoredRow[],
      correspondents: JSON.parse(row.correspondents) as StoredRow[],
      channels: JSON.parse(row.channels) as StoredRow[],
    },
  };
}

/**
 * The rollup rows of one month (optionally one unit), computed from the items and from the 约稿
 * settled with the month (their outcomes as of `now`).
 */
export async function computeMonthRollup(db: DB, month: string, unitId?: number, now = new Date()): Promise<Rollup> {
  return rollupOf(month, await monthFacts(db, month, unitId, now));
}

function rollupOf(month: string, facts: Omit<Awaited<ReturnType<typeof monthFacts>>, "stored">): Rollup {
  const { items, rules } = facts;
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
  for (const [, unitId, , , late, , channelId] of items) {
    const row = unitRow(unitId);
    row.submitted++;
    if (late) row.late++;
    channelRow(unitId, channelId).submitted++;
  }
  // Each person's items and points in hundredths: every item's split sums exactly to the item.
  const people = new Map<number, { row: CorrespondentMonthRow; itemCents: number; cents: number }>();
  for (const [id, unitId, status, grade, late, revoked, channelId, photoCount, tierList, levelList, bylineList] of items) {
    if (!itemCounts({ status, pointsRevoked: revoked === 1 })) continue;
    // Read for the items countsAsAdopted picks: the same rule as itemCounts.
    if (photoCount === null) throw new Error(`稿件 ${id} 计分所需的数据没有读到`);
    const itemTiers = (tierList?.split(",") ?? []) as TierCode[];
    const levels = (levelList?.split(",") ?? []) as InstructionLevelCode[];
    const by = bylineList?.split(",").map(Number) ?? [];
    const row = unitRow(unitId);
    const r = itemReceipt(
      { status, grade, pointsRevoked: revoked === 1, photoCount, late: late === 1, pickupTiers: itemTiers, instructionLevels: levels },
      rules,
    );
    row.adopted++;
    channelRow(unitId, channelId).adopted++;
    row.item_points = round2(row.item_points + r.total);
    // The tie-break counts items, like the points: an item carried by two outlets of one tier
    // counts once for that tier.
    row.pickups_national += itemTiers.includes("national") ? 1 : 0;
    row.pickups_province += itemTiers.includes("province") ? 1 : 0;
    row.pickups_city += itemTiers.includes("city") ? 1 : 0;
    const itemShares = bylineCents(100, by, id);
    for (const [accountId, cents] of bylineCents(Math.round(r.total * 100), by, id)) {
      let p = people.get(accountId);
      if (!p) people.set(accountId, (p = { row: { account_id: accountId, month, unit_id: unitId, items: 0, points: 0 }, itemCents: 0, cents: 0 }));
      p.itemCents += itemShares.get(accountId)!;
      p.cents += cents;
    }
  }
  for (const [id, c] of facts.requests) {
    if (c === NO_REQUESTS || c.fulfilled + c.late + c.missed + c.declined === 0) continue;
    const row = unitRow(id);
    row.requests_fulfilled = c.fulfilled;
    row.requests_late = c.late;
    row.requests_missed = c.missed;
    row.requests_declined = c.declined;
    row.request_points = requestPoints(c, rules);
  }
  const correspondents = [...people.values()].map(({ row, itemCents, cents }) => ({ ...row, items: itemCents / 100, points: cents / 100 }));
  return { units: [...units.values()], correspondents, channels: [...channels.values()] };
}

/**
 * Replaces the rollup of one month (optionally one unit) with a fresh computation. Only what
 * differs from the stored rows is written: rows that are gone are deleted, new or changed rows are
 * upserted, and a table with nothing changed is not touched (a sign-off moves the unit's and the
 * channel's counts, never a correspondent's points).
 */
export async function refreshMonth(trx: Transaction<Database>, month: string, unitId?: number, now = new Date()): Promise<void> {
  const facts = await monthFacts(trx, month, unitId, now);
  const fresh = rollupOf(month, facts);
  for (const part of Object.keys(TABLES) as Part[]) {
    await writeChanges(trx, part, month, facts.stored[part], fresh[part] as unknown as StoredRow[]);
  }
}

async function writeChanges(trx: Transaction<Database>, part: Part, month: string, stored: readonly StoredRow[], fresh: readonly StoredRow[]) {
  const { table, conflict, key, values } = TABLES[part];
  const keyOf = (row: StoredRow) => key.map((c) => row[c]).join(":");
  const before = new Map(stored.map((r) => [keyOf(r), r]));
  const kept = new Set(fresh.map(keyOf));
  const gone = stored.filter((r) => !kept.has(keyOf(r)));
  const changed = fresh.filter((r) => {
    const old = before.get(keyOf(r));
    return !old || values.some((c) => old[c] !== r[c]);
  });
  const tuple = (row: StoredRow, columns: readonly string[]) => sql`(${sql.join(columns.map((c) => sql`${row[c]}`))})`;
  for (let i = 0; i < gone.length; i += CHUNK) {
    const keys = sql.join(gone.slice(i, i + CHUNK).map((r) => tuple(r, key)));
    await sql`delete from ${sql.table(table)} where month = ${month} and (${sql.join(key.map((c) => sql.ref(c)))}) in (values ${keys})`.execute(trx);
  }
  const columns = ["month", ...key, ...values];
  const updates = sql.join(values.map((c) => sql`${sql.ref(c)} = excluded.${sql.ref(c)}`));
  for (let i = 0; i < changed.length; i += CHUNK) {
    const rows = sql.join(changed.slice(i, i + CHUNK).map((r) => tuple({ ...r, month }, columns)));
    await sql`insert into ${sql.table(table)} (${sql.join(columns.map((c) => sql.ref(c)))}) values ${rows}
      on conflict (${sql.join(conflict.map((c) => sql.ref(c)))}) do update set ${updates}`.execute(trx);
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
