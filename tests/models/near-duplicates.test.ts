// The review page's near-duplicates keep each pair's similarity between views; every view must
// still list exactly what comparing the whole window afresh lists, after edits on either side,
// new items and items leaving the window.
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import type { CompiledQuery, QueryResult } from "kysely";
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { openDatabases } from "../../db/connect";
import { Sqlite3Connection } from "../../db/sqlite3-connection";
import { nearDuplicates } from "~/domain/similarity";
import { comparisonWork, findNearDuplicates } from "~/models/near-duplicates.server";
import { reachedItems } from "~/models/reached-items.server";
import { slicing } from "~/models/time-slices.server";
import { setupCounty, type County } from "../support/app";
import { insertItem } from "../support/item-fixtures";

let county: County;
beforeAll(async () => {
  county = await setupCounty();
});
afterAll(async () => county.dbs.dispose());

const BASE = "本校组织开展校园安全教育活动，全体师生参加，活动内容丰富，效果良好，受到家长好评。";

/** What the page must list: the window compared afresh with the domain rule, top 10. */
async function fresh(itemId: number, now: Date) {
  const db = county.dbs.db;
  const item = await db.selectFrom("items").select(["id", "title", "body"]).where("id", "=", itemId).executeTakeFirstOrThrow();
  const since = new Date(now);
  since.setUTCMonth(since.getUTCMonth() - 12);
  const window = await db
    .selectFrom("items")
    .select(["id", "title", "body"])
    .where("id", "!=", itemId)
    .where("first_submitted_at", "is not", null)
    .where("first_submitted_at", ">=", since.toISOString())
    .execute();
  return nearDuplicates(`${item.title}\n${item.body}`, window.map((w) => ({ id: w.id, text: `${w.title}\n${w.body}` }))).slice(0, 10);
}

/**
 * An item submitted now with `body`, and another of the same text submitted six months before it
 * (titled `copyTitle`), both of `unit`.
 */
async function itemWithOlderCopy(unit: "A" | "B", title: string, copyTitle: string, body: string) {
  const db = county.dbs.db;
  const now = new Date();
  const unitId = county.units[unit];
  const createdBy = unit === "A" ? county.ids.correspondentA : county.ids.correspondentB;
  const target = await insertItem(db, { unitId, createdBy, title, body, firstSubmittedAt: now.toISOString() });
  const sixMonthsAgo = new Date(now);
  sixMonthsAgo.setUTCMonth(sixMonthsAgo.getUTCMonth() - 6);
  const copy = await insertItem(db, { unitId, createdBy, title: copyTitle, body, firstSubmittedAt: sixMonthsAgo.toISOString() });
  return { now, unitId, createdBy, target, copy };
}

async function listed(itemId: number, now: Date) {
  const db = county.dbs.db;
  const item = await db.selectFrom("items").select(["id", "title", "body"]).where("id", "=", itemId).executeTakeFirstOrThrow();
  return (await findNearDuplicates(db, item, now)).map((d) => ({ id: d.id, similarity: d.similarity }));
}

it("lists what a fresh comparison lists, view after view, as texts change", async () => {
  const db = county.dbs.db;
  const now = new Date();
  const at = now.toISOString();
  const unitId = county.units.A;
  const createdBy = county.ids.correspondentA;
  const target = await insertItem(db, { unitId, createdBy, title: "安全教育", body: BASE, firstSubmittedAt: at });
  const others: number[] = [];
  for (let i = 0; i < 14; i++) {
    // Some nearly the same, some a little off, some unrelated.
    const body = i % 3 === 0 ? BASE : i % 3 === 1 ? `${BASE.slice(0, 30 + i)}另有第${i}项安排。` : `第${i}篇：教师节表彰大会隆重召开，共表彰优秀教师${i}名。`;
    others.push(await insertItem(db, { unitId, createdBy, title: "安全教育", body, firstSubmittedAt: at }));
  }
  const old = await insertItem(db, { unitId, createdBy, title: "安全教育", body: BASE, firstSubmittedAt: "2020-01-01T00:00:00.000Z" });

  const first = await listed(target, now);
  expect(first.length).toBe(10);
  expect(first).toEqual(await fresh(target, now));
  expect(first.map((d) => d.id)).not.toContain(old);
  // The same again, from what was kept.
  expect(await listed(target, now)).toEqual(first);

  // An item it resembled is rewritten: it drops out; one it did not resemble becomes a copy.
  const bump = (id: number, body: string) =>
    db.updateTable("items").set({ body, updated_at: new Date(Date.now() + 1000).toISOString() }).where("id", "=", id).execute();
  await bump(others[0], "第0篇：运动会圆满落幕，各班级积极参赛。");
  await bump(others[2], BASE);
  const afterEdit = await listed(target, now);
  expect(afterEdit.map((d) => d.id)).not.toContain(others[0]);
  expect(afterEdit.map((d) => d.id)).toContain(others[2]);
  expect(afterEdit).toEqual(await fresh(target, now));

  // The viewed item itself is rewritten: everything is compared against its new text.
  await bump(target, "教师节表彰大会隆重召开，共表彰优秀教师。");
  const afterOwnEdit = await listed(target, now);
  expect(afterOwnEdit).toEqual(await fresh(target, now));
  expect(afterOwnEdit.map((d) => d.id)).not.toContain(others[3]);

  // A new item arrives; an old one leaves the window as time passes.
  await bump(target, BASE);
  const newcomer = await insertItem(db, { unitId, createdBy, title: "安全教育", body: BASE, firstSubmittedAt: at });
  expect((await listed(target, now)).map((d) => d.id)).toContain(newcomer);
  const later = new Date(now);
  later.setUTCFullYear(later.getUTCFullYear() + 1);
  later.setUTCDate(later.getUTCDate() + 2);
  expect(await listed(target, later)).toEqual([]);
  expect(await listed(target, now)).toEqual(await fresh(target, now));
});

it("answers a view again from what it found until the next figures write or until an item leaves the window", async () => {
  const db = county.dbs.db;
  const { now, target, copy } = await itemWithOlderCopy("B", "第二组", "第二组副本", `${BASE}（第二组）`);
  const item = await db.selectFrom("items").select(["id", "title", "body"]).where("id", "=", target).executeTakeFirstOrThrow();
  const first = await findNearDuplicates(db, item, now);
  expect(first.find((d) => d.id === copy)).toMatchObject({ title: "第二组副本" });
  // Viewed again with nothing written: the same answer, shared and read-only.
  const again = await findNearDuplicates(db, item, now);
  expect(again).toBe(first);
  expect(() => again.push(again[0])).toThrow(TypeError);
  // A write (the copy's title) makes the next view read afresh.
  await db.updateTable("items").set({ title: "第二组改题" }).where("id", "=", copy).execute();
  const renamed = await findNearDuplicates(db, item, now);
  expect(renamed).not.toBe(first);
  expect(renamed.find((d) => d.id === copy)).toMatchObject({ title: "第二组改题" });
  // Seven months on, with nothing written, the copy has left the window.
  const later = new Date(now);
  later.setUTCMonth(later.getUTCMonth() + 7);
  expect((await findNearDuplicates(db, item, later)).map((d) => d.id)).not.toContain(copy);
  expect((await findNearDuplicates(db, item, now)).map((d) => d.id)).toContain(copy);
});

it("compares in time slices, letting the event loop turn, and views compared at once with different windows each list what a fresh comparison lists", async () => {
  const db = county.dbs.db;
  const { now, unitId, createdBy, target, copy: older } = await itemWithOlderCopy("A", "第三组", "第三组旧稿", `${BASE}（第三组）`);
  for (let i = 0; i < 150; i++) {
    await insertItem(db, { unitId, createdBy, title: `第三组其他${i}`, body: `第${i}篇：${i % 2 ? "运动会圆满落幕" : "教师节表彰大会隆重召开"}，共${i}人参加。`, firstSubmittedAt: now.toISOString() });
  }
  const later = new Date(now);
  later.setUTCMonth(later.getUTCMonth() + 7);
  const immediate = vi.spyOn(globalThis, "setImmediate");
  const sliceMs = slicing.ms;
  slicing.ms = 0;
  try {
    const item = await db.selectFrom("items").select(["id", "title", "body"]).where("id", "=", target).executeTakeFirstOrThrow();
    // Seven months on, the older copy is out of that view's window, and that view drops it from
    // what is kept, while the view of today, compared at the same time, still needs it.
    const [inSevenMonths, today] = await Promise.all([findNearDuplicates(db, item, later), findNearDuplicates(db, item, now)]);
    expect(today.map((d) => d.id)).toContain(older);
    expect(today.map((d) => ({ id: d.id, similarity: d.similarity }))).toEqual(await fresh(target, now));
    expect(inSevenMonths.map((d) => d.id)).not.toContain(older);
    expect(inSevenMonths.map((d) => ({ id: d.id, similarity: d.similarity }))).toEqual(await fresh(target, later));
    // With slices of 0 ms, each text broken into bigrams and every 64 rows compared gave the loop a turn.
    expect(immediate.mock.calls.length).toBeGreaterThanOrEqual(150);
  } finally {
    slicing.ms = sliceMs;
    immediate.mockRestore();
  }
});

it("reads each stale text once when several views arrive together, and each lists what a fresh comparison lists", async () => {
  // A new handle on the same file: its caches start empty, as after a start.
  const started = await openDatabases({ filename: county.dbs.filename, readers: 1 });
  const now = new Date();
  const texts: number[] = [];
  const original = Sqlite3Connection.prototype.executeQuery;
  Sqlite3Connection.prototype.executeQuery = function <R>(this: Sqlite3Connection, query: CompiledQuery) {
    if (/^select "id", "title", "body", "updated_at"/.test(query.sql)) texts.push(query.parameters.length);
    return original.call(this, query) as Promise<QueryResult<R>>;
  };
  try {
    const items = await started.db.selectFrom("items").select(["id", "title", "body"]).where("first_submitted_at", "is not", null).orderBy("id").limit(4).execute();
    const views = await Promise.all(items.map((item) => findNearDuplicates(started.db, item, now)));
    const inWindow = await started.db.selectFrom("items").select((eb) => eb.fn.countAll<number>().as("n")).where("first_submitted_at", "is not", null).executeTakeFirstOrThrow();
    // Every item's text once (each view leaves out its own item; the others' views read it): four
    // views each reading its whole window read about four times as many.
    const read = texts.reduce((a, b) => a + b, 0);
    expect(read).toBeGreaterThanOrEqual(inWindow.n - 1);
    expect(read).toBeLessThanOrEqual(inWindow.n);
    for (const [i, item] of items.entries()) {
      expect(views[i].map((d) => ({ id: d.id, similarity: d.similarity }))).toEqual(await fresh(item.id, now));
    }
  } finally {
    Sqlite3Connection.prototype.executeQuery = original;
    await started.close();
  }
});

it("after a write compares only the items that moved (new, edited, gone, or arrived into the window), and lists what a fresh comparison lists", async () => {
  const db = county.dbs.db;
  const { now, unitId, createdBy, target, copy } = await itemWithOlderCopy("B", "第四组", "第四组副本", `${BASE}（第四组）`);
  const others: number[] = [];
  for (let i = 0; i < 40; i++) {
    others.push(await insertItem(db, { unitId, createdBy, title: `第四组其他${i}`, body: `第${i}篇：运动会圆满落幕，共${i}人参加。`, firstSubmittedAt: now.toISOString() }));
  }
  const outside = await insertItem(db, { unitId, createdBy, title: "第四组旧稿", body: `${BASE}（第四组）`, firstSubmittedAt: "2020-01-01T00:00:00.000Z" });
  /** Rows looked at by the next view. */
  const rowsOfView = async () => {
    const before = comparisonWork.rows;
    const view = await listed(target, now);
    return { view, rows: comparisonWork.rows - before };
  };
  // The first view compares the whole window (what every view after a write cost before).
  const first = await rowsOfView();
  expect(first.rows).toBeGreaterThan(40);
  expect(first.view.map((d) => d.id)).toContain(copy);
  expect(first.view.map((d) => d.id)).not.toContain(outside);
  expect(first.view).toEqual(await fresh(target, now));
  const later = () => new Date(Date.now() + 1000).toISOString();
  // One other item rewritten into a copy.
  await db.updateTable("items").set({ body: `${BASE}（第四组）`, updated_at: later() }).where("id", "=", others[5]).execute();
  const edited = await rowsOfView();
  expect(edited.rows).toBe(1);
  expect(edited.view.map((d) => d.id)).toContain(others[5]);
  expect(edited.view).toEqual(await fresh(target, now));
  // The copy deleted.
  await db.deleteFrom("items").where("id", "=", copy).execute();
  const deleted = await rowsOfView();
  expect(deleted.rows).toBe(0);
  expect(deleted.view.map((d) => d.id)).not.toContain(copy);
  expect(deleted.view).toEqual(await fresh(target, now));
  // The old copy's arrival moved into the window (its text unchanged).
  await db.updateTable("items").set({ first_submitted_at: now.toISOString() }).where("id", "=", outside).execute();
  const arrived = await rowsOfView();
  expect(arrived.rows).toBe(1);
  expect(arrived.view.map((d) => d.id)).toContain(outside);
  expect(arrived.view).toEqual(await fresh(target, now));
});

it("compares the whole window again when the item was last compared more writes ago than the chain keeps", async () => {
  const db = county.dbs.db;
  const { now, unitId, createdBy, target, copy } = await itemWithOlderCopy("A", "第五组", "第五组副本", `${BASE}（第五组）`);
  const other = await insertItem(db, { unitId, createdBy, title: "第五组其他", body: "运动会圆满落幕。", firstSubmittedAt: now.toISOString() });
  const otherItem = { id: other, title: "第五组其他", body: "运动会圆满落幕。" };
  expect((await listed(target, now)).map((d) => d.id)).toContain(copy);
  // The copy is rewritten away first, then 300 writes each seen by a view of another item: the
  // chain keeps 256 steps, so the next view of the target cannot follow it.
  await db.updateTable("items").set({ body: "教师节表彰大会隆重召开。", updated_at: new Date(Date.now() + 1000).toISOString() }).where("id", "=", copy).execute();
  for (let i = 0; i < 300; i++) {
    await db.updateTable("items").set({ title: `第五组其他${i}` }).where("id", "=", other).execute();
    await findNearDuplicates(db, { ...otherItem, title: `第五组其他${i}` }, now);
  }
  const inWindow = await db
    .selectFrom("items")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("first_submitted_at", ">=", new Date(now.getTime() - 366 * 86400_000).toISOString())
    .executeTakeFirstOrThrow();
  const before = comparisonWork.rows;
  const view = await listed(target, now);
  expect(comparisonWork.rows - before).toBeGreaterThanOrEqual(inWindow.n - 2);
  expect(view.map((d) => d.id)).not.toContain(copy);
  expect(view).toEqual(await fresh(target, now));
});

it("keeps no earlier reading of the reached items alive once a later one is in use", async () => {
  // The process's own collector, to see what is still reachable.
  setFlagsFromString("--expose-gc");
  const gc = runInNewContext("gc") as () => void;
  const db = county.dbs.db;
  const { now, target } = await itemWithOlderCopy("B", "第六组", "第六组副本", `${BASE}（第六组）`);
  const other = await insertItem(db, { unitId: county.units.B, createdBy: county.ids.correspondentB, title: "第六组其他", body: "运动会圆满落幕。", firstSubmittedAt: now.toISOString() });
  await listed(target, now);
  const before = new WeakRef(await reachedItems(db));
  // A write, then a view of another item: the chain and the cache move on to a new reading.
  await db.updateTable("items").set({ title: "第六组其他（改）" }).where("id", "=", other).execute();
  await listed(other, now);
  expect(await reachedItems(db)).not.toBe(before.deref());
  await new Promise((resolve) => setImmediate(resolve));
  gc();
  expect(before.deref()).toBeUndefined();
});
