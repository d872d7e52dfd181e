// Per-channel counts of a month (frozen at its close, else live from the rollup) or of several
// months, as the domain's breakdown (app/domain/channels.ts).
import { sql, type Kysely, type Transaction } from "kysely";
import { closesCache } from "~/models/closes-cache.server";
import type { Database } from "../../db/schema";
import { channelBreakdown, channelBreakdownOfColumns, NO_CHANNEL_NAME, type ChannelBreakdown, type ChannelCountColumns, type ChannelCountRow } from "~/domain/channels";
import { closesInForceOf, currentClose } from "~/models/months.server";
import { readColumns } from "~/models/read-columns.server";
import { closedChannelSums } from "~/models/year-totals.server";

type DB = Kysely<Database> | Transaction<Database>;

async function monthRows(db: DB, month: string): Promise<ChannelCountRow[]> {
  const close = await currentClose(db, month);
  if (close) {
    const rows = await db
      .selectFrom("month_unit_channel_snapshots")
      .select(["unit_id", "channel_id", "channel_name", "sort_order", "submitted", "adopted"])
      .where("close_id", "=", close.id)
      .execute();
    return rows.map((r) => ({
      unitId: r.unit_id, channelId: r.channel_id, name: r.channel_name, sortOrder: r.sort_order, submitted: r.submitted, adopted: r.adopted,
    }));
  }
  const rows = await db
    .selectFrom("unit_month_channel_stats as s")
    .leftJoin("channels as c", "c.id", "s.channel_id")
    .select(["s.unit_id", "s.channel_id", "c.name", "c.sort_order", "s.submitted", "s.adopted"])
    .where("s.month", "=", month)
    .execute();
  return rows.map((r) => ({
    unitId: r.unit_id, channelId: r.channel_id, name: r.name ?? NO_CHANNEL_NAME, sortOrder: r.sort_order ?? 999,
    submitted: r.submitted, adopted: r.adopted,
  }));
}

/** The columns of ChannelCountColumns as SQL reads them from the closed months' sums (channelSumsOver's columns). */
const FROZEN_COLUMNS = {
  month: "latest", unitId: "unit_id", channelId: "channel_id", name: "channel_name", sortOrder: "sort_order", submitted: "submitted", adopted: "adopted",
};

/** The same from the open months' rollup, without the channels' names (looked up by id: one per channel, not one per row). */
const LIVE_COLUMNS = { month: "month", unitId: "unit_id", channelId: "channel_id", submitted: "submitted", adopted: "adopted" };

const NO_ROWS: ChannelCountColumns = { month: [], unitId: [], channelId: [], name: [], sortOrder: [], submitted: [], adopted: [] };

/** A close's channel snapshot never changes (names and order are frozen in it): read once per process. */
const frozenCache = closesCache<ChannelCountColumns>();

function frozenRows(db: DB, closes: ReadonlyArray<{ id: number; month: string }>): Promise<ChannelCountColumns> {
  if (closes.length === 0) return Promise.resolve(NO_ROWS);
  // Σ per unit and channel over the closes (stored at the latest close, else summed in SQL), as
  // one JSON array per column (a province's year is 50,000+ snapshot rows: one parse, no object
  // per row), each with the name and place of the newest of those months that has it.
  const closeIds = closes.map((c) => c.id);
  return frozenCache.get(db, closeIds, async () => readColumns<ChannelCountColumns>(db, FROZEN_COLUMNS, sql`from (${await closedChannelSums(db, closeIds)})`));
}

/** Forgets the closed months' channel rows (for measurements that must compute from the tables). */
export function clearFrozenChannelRows(): void {
  frozenCache.clear();
}

async function offeredChannels(db: DB) {
  const rows = await db.selectFrom("channels").select(["id", "name", "sort_order"]).where("active", "=", 1).execute();
  return rows.map((r) => ({ id: r.id, name: r.name, sortOrder: r.sort_order }));
}

/**
 * The channels of the months given, summed; names as in the newest month that has them. Two
 * queries whatever the number of months: the closed months' frozen rows and the open months' live ones.
 */
export async function channelStats(db: DB, months: readonly string[]): Promise<ChannelBreakdown> {
  if (months.length === 0) return channelBreakdown([], await offeredChannels(db));
  const closes = await closesInForceOf(db, months);
  const closed = new Set(closes.map((c) => c.month));
  const open = months.filter((m) => !closed.has(m));
  // The open months' rows as one JSON array per column: a province's open month is 20,000+ rows,
  // and node-sqlite3 spends far longer making them objects than SQLite spends finding them.
  const [frozen, live, offered, all] = await Promise.all([
    frozenRows(db, closes),
    open.length === 0
      ? Promise.resolve(NO_ROWS)
      : readColumns<ChannelCountColumns>(db, LIVE_COLUMNS, sql`from unit_month_channel_stats where month in (${sql.join(open)})`),
    offeredChannels(db),
    open.length === 0 ? Promise.resolve([]) : db.selectFrom("channels").select(["id", "name", "sort_order"]).execute(),
  ]);
  const channels = new Map(all.map((c) => [c.id, { name: c.name, sortOrder: c.sort_order }]));
  // Each channel named as in the newest month that has it.
  return channelBreakdownOfColumns([frozen, { ...live, channels }], offered);
}

/** Each month's breakdown, in the order given (the year summary's units × months per channel). */
export async function channelStatsByMonth(db: DB, months: readonly string[]): Promise<Map<string, ChannelBreakdown>> {
  const offered = await offeredChannels(db);
  const out = new Map<string, ChannelBreakdown>();
  for (const month of months) out.set(month, channelBreakdown(await monthRows(db, month), offered));
  return out;
}
