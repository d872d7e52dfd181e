// Per-channel counts of a month (frozen at its close, else live from the rollup) or of several
// months, as the domain's breakdown (app/domain/channels.ts).
import type { Kysely, Transaction } from "kysely";
import type { Database } from "../../db/schema";
import { channelBreakdown, NO_CHANNEL_NAME, type ChannelBreakdown, type ChannelCountRow } from "~/domain/channels";
import { currentClose } from "~/models/months.server";

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

async function offeredChannels(db: DB) {
  const rows = await db.selectFrom("channels").select(["id", "name", "sort_order"]).where("active", "=", 1).execute();
  return rows.map((r) => ({ id: r.id, name: r.name, sortOrder: r.sort_order }));
}

/** The channels of the months given, summed; names as in the newest month that has them. */
export async function channelStats(db: DB, months: readonly string[]): Promise<ChannelBreakdown> {
  const rows: ChannelCountRow[] = [];
  for (const month of [...months].sort().reverse()) rows.push(...(await monthRows(db, month)));
  return channelBreakdown(rows, await offeredChannels(db));
}

/** Each month's breakdown, in the order given (the year summary's units × months per channel). */
export async function channelStatsByMonth(db: DB, months: readonly string[]): Promise<Map<string, ChannelBreakdown>> {
  const offered = await offeredChannels(db);
  const out = new Map<string, ChannelBreakdown>();
  for (const month of months) out.set(month, channelBreakdown(await monthRows(db, month), offered));
  return out;
}
