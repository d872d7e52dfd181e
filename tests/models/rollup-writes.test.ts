// A refresh writes only what differs from the stored rollup: rows that are gone are deleted, new
// and changed rows are upserted, untouched tables are left alone. Whatever the change, the stored
// tables must equal the month computed afresh, for one unit-month and for a whole month.
import { afterAll, beforeAll, expect, it } from "vitest";
import type { CompiledQuery } from "kysely";
import { Sqlite3Connection } from "../../db/sqlite3-connection";
import { refreshMonth } from "~/models/rollup.server";
import { setupCounty, type County } from "../support/app";
import { insertItem } from "../support/item-fixtures";
import { recomputeFromScratch, rollupAsMap, storedAndFreshRollups } from "../support/recompute";

let county: County;
beforeAll(async () => {
  county = await setupCounty();
});
afterAll(async () => county.dbs.dispose());

const MONTH = "2026-10";

/** Refreshes `unit`'s month (or the whole month) and answers the statements that wrote. */
async function refresh(unit: "A" | "B" | "all"): Promise<string[]> {
  const writes: string[] = [];
  const original = Sqlite3Connection.prototype.executeQuery;
  Sqlite3Connection.prototype.executeQuery = function (this: Sqlite3Connection, query: CompiledQuery) {
    if (/^\s*(insert|update|delete)\b/i.test(query.sql)) writes.push(query.sql.replace(/\s+/g, " ").slice(0, 60));
    return original.call(this, query);
  } as typeof original;
  try {
    await county.dbs.db.transaction().execute((trx) => refreshMonth(trx, MONTH, unit === "all" ? undefined : county.units[unit]));
  } finally {
    Sqlite3Connection.prototype.executeQuery = original;
  }
  return writes;
}

const rowCounts = async () => {
  const { db } = county.dbs;
  const count = async (table: "unit_month_stats" | "correspondent_month_stats" | "unit_month_channel_stats") =>
    Number((await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as("n")).where("month", "=", MONTH).executeTakeFirstOrThrow()).n);
  return { units: await count("unit_month_stats"), people: await count("correspondent_month_stats"), channels: await count("unit_month_channel_stats") };
};

it("writes only what changed, and the tables always equal a fresh computation", async () => {
  const { db } = county.dbs;
  const [c1, c2] = [county.ids.correspondentA, county.ids.leadA];
  const channels = await db.selectFrom("channels").select("id").orderBy("sort_order").orderBy("id").execute();
  expect(channels.length).toBeGreaterThanOrEqual(2);
  const shared = await insertItem(db, { unitId: county.units.A, createdBy: c1, status: "adopted", reportMonth: MONTH, bylines: [c1, c2] });
  const alone = await insertItem(db, { unitId: county.units.A, createdBy: c1, status: "submitted", reportMonth: MONTH });
  const other = await insertItem(db, { unitId: county.units.B, createdBy: county.ids.correspondentB, status: "adopted", reportMonth: MONTH });
  let arrived = 0;
  const set = (id: number, patch: Record<string, unknown>) => db.updateTable("items").set(patch).where("id", "=", id).execute();

  const steps: Array<{ name: string; change: () => Promise<unknown>; refresh: "A" | "B" | "all"; writes: number; counts: { units: number; people: number; channels: number } }> = [
    { name: "first refresh of the month", change: async () => {}, refresh: "all", writes: 3, counts: { units: 2, people: 3, channels: 2 } },
    { name: "nothing changed: nothing written", change: async () => {}, refresh: "A", writes: 0, counts: { units: 2, people: 3, channels: 2 } },
    {
      name: "a sign-off: an item reaching the bureau moves the unit's and the channel's counts only",
      change: async () => (arrived = await insertItem(db, { unitId: county.units.A, createdBy: c1, status: "submitted", reportMonth: MONTH })),
      refresh: "A", writes: 2, counts: { units: 2, people: 3, channels: 2 },
    },
    { name: "rejected: still at the bureau and not counted, nothing to write", change: () => set(alone, { status: "rejected" }), refresh: "A", writes: 0, counts: { units: 2, people: 3, channels: 2 } },
    { name: "adopted: the correspondent's points move too", change: () => set(alone, { status: "adopted", grade: "excellent" }), refresh: "A", writes: 3, counts: { units: 2, people: 3, channels: 2 } },
    { name: "moved to another channel: the old channel's row shrinks, a new one appears", change: () => set(alone, { channel_id: channels[1].id }), refresh: "A", writes: 1, counts: { units: 2, people: 3, channels: 3 } },
    { name: "the shared item goes back to the school: the second author's row is deleted", change: () => set(shared, { status: "draft", grade: null }), refresh: "A", writes: 4, counts: { units: 2, people: 2, channels: 3 } },
    { name: "unit B's only item withdrawn with its points revoked", change: () => set(other, { status: "withdrawn", points_revoked: 1 }), refresh: "all", writes: 3, counts: { units: 2, people: 1, channels: 3 } },
    {
      name: "every item of unit A back with the school: its rows are deleted",
      change: async () => {
        await set(alone, { status: "pending_school", grade: null });
        await set(arrived, { status: "pending_school" });
      },
      refresh: "all", writes: 3, counts: { units: 1, people: 0, channels: 1 },
    },
  ];
  for (const step of steps) {
    await step.change();
    const writes = await refresh(step.refresh);
    expect(await rowCounts(), step.name).toEqual(step.counts);
    const { stored, fresh } = await storedAndFreshRollups(db);
    expect(stored, step.name).toEqual(fresh);
    expect(await rollupAsMap(db), step.name).toEqual(await recomputeFromScratch(db));
    expect(writes.length, `${step.name}: ${writes.join(" | ")}`).toBe(step.writes);
  }
});
