// A year's closed months summed per unit: the totals stored at each close give the same numbers
// as summing the snapshots, and after a reopening (the stored basis no longer the closes in force)
// the sums are taken from the snapshots again; likewise per unit and channel, and per correspondent.
import { afterAll, beforeAll, expect, it } from "vitest";
import { unitMonthsSumRows } from "~/domain/rankings-view";
import { closeMonth, reopenMonth } from "~/models/month-close.server";
import { closedChannelSums, closedMonthSums, closedPeopleSums } from "~/models/year-totals.server";
import type { County } from "../support/app";
import { closeDemoCounty, openDemoCountyAt } from "../support/demo";

let county: County;
let reviewer: Awaited<ReturnType<typeof openDemoCountyAt>>["reviewer"];
beforeAll(async () => {
  ({ county, reviewer } = await openDemoCountyAt([]));
});
afterAll(async () => closeDemoCounty(county));

/** The year's closes in force, oldest month first. */
async function closesOf(year: string) {
  return county.dbs.db
    .selectFrom("month_closes")
    .select(["id", "month"])
    .where("reopened_at", "is", null)
    .where("month", "like", `${year}-%`)
    .orderBy("month")
    .execute();
}

/** Σ per unit over the closes, computed here from the snapshot rows themselves. */
async function snapshotSums(closeIds: number[]) {
  const rows = await county.dbs.db
    .selectFrom("month_unit_snapshots as s")
    .innerJoin("month_closes as c", "c.id", "s.close_id")
    .innerJoin("units as u", "u.id", "s.unit_id")
    .select(["s.unit_id", "u.code", "s.kind_code", "c.month", "s.quota", "s.submitted", "s.adopted", "s.late", "s.points", "s.status",
      "s.pickups_national", "s.pickups_province", "s.pickups_city"])
    .where("s.close_id", "in", closeIds)
    .orderBy("c.month")
    .execute();
  const out = new Map<number, Record<string, number | string>>();
  for (const r of rows) {
    const t = out.get(r.unit_id) ?? { unitId: r.unit_id, code: r.code, quota: 0, submitted: 0, adopted: 0, late: 0, national: 0, province: 0, city: 0, cents: 0, met: 0, short: 0, none: 0 };
    Object.assign(t, { kind: r.kind_code, latest: r.month });
    for (const [k, v] of [["quota", r.quota], ["submitted", r.submitted], ["adopted", r.adopted], ["late", r.late], ["national", r.pickups_national],
      ["province", r.pickups_province], ["city", r.pickups_city], ["cents", Math.round(r.points * 100)], [r.status, 1]] as const) {
      t[k] = (t[k] as number) + v;
    }
    out.set(r.unit_id, t);
  }
  return [...out.values()].sort((a, b) => (a.unitId as number) - (b.unitId as number));
}

/** Σ per unit and channel over the closes, computed here from the channel snapshot rows (name and place of the latest month). */
async function channelSnapshotSums(closeIds: number[]) {
  const rows = await county.dbs.db
    .selectFrom("month_unit_channel_snapshots as s")
    .innerJoin("month_closes as c", "c.id", "s.close_id")
    .select(["s.unit_id", "s.channel_id", "s.channel_name", "s.sort_order", "s.submitted", "s.adopted", "c.month"])
    .where("s.close_id", "in", closeIds)
    .orderBy("c.month")
    .execute();
  const out = new Map<string, { latest: string; unit_id: number; channel_id: number; channel_name: string; sort_order: number; submitted: number; adopted: number }>();
  for (const r of rows) {
    const key = `${r.unit_id}|${r.channel_id}`;
    const t = out.get(key) ?? { latest: r.month, unit_id: r.unit_id, channel_id: r.channel_id, channel_name: "", sort_order: 0, submitted: 0, adopted: 0 };
    Object.assign(t, { latest: r.month, channel_name: r.channel_name, sort_order: r.sort_order });
    t.submitted += r.submitted;
    t.adopted += r.adopted;
    out.set(key, t);
  }
  return [...out.values()].sort((a, b) => a.unit_id - b.unit_id || a.channel_id - b.channel_id);
}

async function channelSums(closeIds: number[]) {
  const { rows } = await (await closedChannelSums(county.dbs.reader, closeIds)).execute(county.dbs.reader);
  return [...(rows as Awaited<ReturnType<typeof channelSnapshotSums>>)].sort((a, b) => a.unit_id - b.unit_id || a.channel_id - b.channel_id);
}

/**
 * Σ per correspondent over the closes, computed here from the people snapshot rows: points and
 * items in hundredths, each month's rounded to the cent; the unit of their latest month.
 */
async function peopleSnapshotSums(closeIds: number[]) {
  const rows = await county.dbs.db
    .selectFrom("month_correspondent_snapshots as s")
    .innerJoin("month_closes as c", "c.id", "s.close_id")
    .select(["s.account_id", "s.unit_id", "s.items", "s.points", "c.month"])
    .where("s.close_id", "in", closeIds)
    .orderBy("c.month")
    .execute();
  const out = new Map<number, { account_id: number; unit_id: number; latest: string; cents: number; item_cents: number }>();
  for (const r of rows) {
    const t = out.get(r.account_id) ?? { account_id: r.account_id, unit_id: r.unit_id, latest: r.month, cents: 0, item_cents: 0 };
    Object.assign(t, { unit_id: r.unit_id, latest: r.month });
    t.cents += Math.round(r.points * 100);
    t.item_cents += Math.round(r.items * 100);
    out.set(r.account_id, t);
  }
  return [...out.values()].sort((a, b) => a.account_id - b.account_id);
}

async function peopleSums(closeIds: number[]) {
  const { rows } = await (await closedPeopleSums(county.dbs.reader, closeIds)).execute(county.dbs.reader);
  return [...(rows as Awaited<ReturnType<typeof peopleSnapshotSums>>)].sort((a, b) => a.account_id - b.account_id);
}

const comparable = (sums: Awaited<ReturnType<typeof closedMonthSums>>) =>
  unitMonthsSumRows(sums)
    .map(({ name: _n, kindName: _k, ...s }) => s)
    .sort((a, b) => a.unitId - b.unitId);

it("stores each close's year to date and reads it, equal to the snapshots summed", async () => {
  const closes = await closesOf("2026");
  expect(closes.length).toBeGreaterThanOrEqual(2);
  const ids = closes.map((c) => c.id);
  const stored = await county.dbs.db.selectFrom("month_close_year_totals").select("basis").where("close_id", "=", ids.at(-1)!).executeTakeFirstOrThrow();
  expect(stored.basis).toBe([...ids].sort((a, b) => a - b).join(","));
  expect(comparable(await closedMonthSums(county.dbs.reader, ids))).toEqual(await snapshotSums(ids));
  // A run of closes that is no stored basis (the first month left out) is summed from the snapshots.
  expect(comparable(await closedMonthSums(county.dbs.reader, ids.slice(1)))).toEqual(await snapshotSums(ids.slice(1)));
});

// [what is summed, the close's flag for it, the table it is stored in, read through the portal, summed here from the snapshots]
const storedParts = [
  ["unit and channel", "channels", "month_unit_channel_year_totals", channelSums, channelSnapshotSums],
  ["correspondent", "people", "month_correspondent_year_totals", peopleSums, peopleSnapshotSums],
] as const;

it.each(storedParts)("stores each close's year to date per %s, equal to its snapshots summed", async (_what, flag, table, read, expectedOf) => {
  const ids = (await closesOf("2026")).map((c) => c.id);
  const stored = await county.dbs.db.selectFrom("month_close_year_totals").select(flag).where("close_id", "=", ids.at(-1)!).executeTakeFirstOrThrow();
  expect(stored[flag]).toBe(1);
  const storedRows = await county.dbs.db.selectFrom(table).select("close_id").where("close_id", "=", ids.at(-1)!).execute();
  const expected = await expectedOf(ids);
  expect(expected.length).toBeGreaterThan(0);
  expect(storedRows.length).toBe(expected.length);
  expect(await read(ids)).toEqual(expected);
  // No stored basis for these closes: summed from the snapshots, the same way.
  expect(await read(ids.slice(1))).toEqual(await expectedOf(ids.slice(1)));
});

it("sums a correspondent who moved to another unit under their latest month's unit", async () => {
  const ids = (await closesOf("2026")).map((c) => c.id);
  expect(ids.length).toBeGreaterThanOrEqual(3);
  // Two closes that are no stored basis, so SQL sums their snapshots here.
  const pair = [ids[0], ids[2]];
  const [earlier, later] = await Promise.all(
    pair.map((id) => county.dbs.db.selectFrom("month_correspondent_snapshots").select(["account_id", "unit_id"]).where("close_id", "=", id).execute()),
  );
  const mover = later.find((p) => earlier.some((e) => e.account_id === p.account_id))!;
  const other = await county.dbs.db.selectFrom("units").select("id").where("id", "!=", mover.unit_id).orderBy("id").executeTakeFirstOrThrow();
  await county.dbs.db.updateTable("month_correspondent_snapshots").set({ unit_id: other.id }).where("close_id", "=", ids[2]).where("account_id", "=", mover.account_id).execute();
  try {
    const sums = await peopleSums(pair);
    expect(sums).toEqual(await peopleSnapshotSums(pair));
    expect(sums.find((p) => p.account_id === mover.account_id)?.unit_id).toBe(other.id);
  } finally {
    await county.dbs.db.updateTable("month_correspondent_snapshots").set({ unit_id: mover.unit_id }).where("close_id", "=", ids[2]).where("account_id", "=", mover.account_id).execute();
  }
});

it("after a month is reopened and closed again, later closes' stored totals are not used", async () => {
  const [first, ...rest] = await closesOf("2026");
  expect((await reopenMonth(county.dbs.db, { month: first.month, actor: reviewer, reason: "核对数据" })).ok).toBe(true);
  const reclosed = await closeMonth(county.dbs.db, { month: first.month, actor: reviewer });
  expect(reclosed.ok).toBe(true);
  const ids = (await closesOf("2026")).map((c) => c.id);
  expect(ids).not.toContain(first.id);
  // The latest close's basis still names the old close of the first month: the snapshots are summed.
  const latest = await county.dbs.db.selectFrom("month_close_year_totals").select("basis").where("close_id", "=", rest.at(-1)!.id).executeTakeFirstOrThrow();
  expect(latest.basis.split(",").map(Number)).toContain(first.id);
  expect(comparable(await closedMonthSums(county.dbs.reader, ids))).toEqual(await snapshotSums(ids));
  expect(await channelSums(ids)).toEqual(await channelSnapshotSums(ids));
  expect(await peopleSums(ids)).toEqual(await peopleSnapshotSums(ids));
});
