// What moved between two readings of the reached items, and finding a row by id: the near-duplicates
// compare again only what movedIds lists, so an id it misses would keep a stale answer.
import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import sqlite3 from "sqlite3";
import { databaseFileOf } from "../../db/connect";
import { movedIds, patched, reachedItems, reachedQuery, rowOf, type ReachedRow } from "~/models/reached-items.server";
import { setupCounty } from "../support/app";
import { insertItem } from "../support/item-fixtures";

const row = (id: number, updatedAt = "2026-11-01T00:00:00.000Z", len = 100, at = "2026-11-01T00:00:00.000Z"): ReachedRow => [id, updatedAt, len, at];

describe("movedIds", () => {
  it.each([
    { name: "nothing moved", before: [row(1), row(2)], after: [row(1), row(2)], moved: [] },
    { name: "a new item at the end", before: [row(1)], after: [row(1), row(5)], moved: [5] },
    { name: "a new item in the middle", before: [row(1), row(9)], after: [row(1), row(4), row(9)], moved: [4] },
    { name: "a gone item", before: [row(1), row(2), row(3)], after: [row(1), row(3)], moved: [2] },
    { name: "everything gone", before: [row(1), row(2)], after: [], moved: [1, 2] },
    { name: "from nothing", before: [], after: [row(3), row(4)], moved: [3, 4] },
    { name: "an edit (edit time)", before: [row(1), row(2)], after: [row(1), row(2, "2026-11-02T00:00:00.000Z")], moved: [2] },
    { name: "an edit of the same moment (length)", before: [row(1), row(2)], after: [row(1, undefined, 101), row(2)], moved: [1] },
    { name: "arrival moved", before: [row(1)], after: [row(1, undefined, undefined, "2026-12-01T00:00:00.000Z")], moved: [1] },
    { name: "gone, new and edited at once", before: [row(1), row(2), row(4)], after: [row(2, "x"), row(3), row(4)], moved: [1, 2, 3] },
  ])("$name", ({ before, after, moved }) => {
    expect(movedIds(before, after).sort((a, b) => a - b)).toEqual(moved);
  });
});

describe("rowOf", () => {
  const rows = [1, 3, 4, 10, 200].map((id) => row(id));
  it.each([1, 3, 4, 10, 200])("finds %i", (id) => expect(rowOf(rows, id)?.[0]).toBe(id));
  it.each([0, 2, 5, 11, 201])("does not find %i", (id) => expect(rowOf(rows, id)).toBeUndefined());
  it("finds nothing in no rows", () => expect(rowOf([], 1)).toBeUndefined());
});

describe("reachedItems", () => {
  it("lists every item that reached the bureau (id, edit time, text length, arrival) and reads none of the items' text", async () => {
    const county = await setupCounty();
    try {
      const { db } = county.dbs;
      const a = county.units.A;
      const by = county.ids.correspondentA;
      const first = await insertItem(db, { unitId: a, createdBy: by, title: "春季运动会", body: "全校师生参加。", status: "submitted", firstSubmittedAt: "2026-11-03T01:00:00.000Z" });
      await insertItem(db, { unitId: a, createdBy: by, title: "草稿", body: "未报送", status: "draft" });
      const second = await insertItem(db, { unitId: a, createdBy: by, title: "读书节", body: "好书分享。", status: "adopted", firstSubmittedAt: "2026-11-02T01:00:00.000Z" });
      const edited = await db.selectFrom("items").select(["id", "updated_at"]).where("id", "in", [first, second]).orderBy("id").execute();

      expect(await reachedItems(county.dbs.reader)).toEqual([
        [first, edited[0].updated_at, "春季运动会".length + "全校师生参加。".length, "2026-11-03T01:00:00.000Z"],
        [second, edited[1].updated_at, "读书节".length + "好书分享。".length, "2026-11-02T01:00:00.000Z"],
      ]);

      const { sql: text, parameters } = reachedQuery(db).compile();
      const plan = await sql.raw<{ detail: string }>(`explain query plan ${text}`).execute(db);
      expect(parameters).toEqual([]);
      expect(plan.rows.map((r) => r.detail)).toContain("SCAN items USING COVERING INDEX items_reached");
    } finally {
      await county.dbs.dispose();
    }
  });
});

describe("patched", () => {
  it.each([
    { name: "nothing written", list: [row(1), row(3)], ids: [], rows: [], out: [row(1), row(3)] },
    { name: "an edit in place", list: [row(1), row(3), row(5)], ids: [3], rows: [row(3, "x")], out: [row(1), row(3, "x"), row(5)] },
    { name: "a new item between", list: [row(1), row(5)], ids: [3], rows: [row(3)], out: [row(1), row(3), row(5)] },
    { name: "new items first and last", list: [row(4)], ids: [9, 2], rows: [row(9), row(2)], out: [row(2), row(4), row(9)] },
    { name: "gone (or not reached any more)", list: [row(1), row(3)], ids: [1, 7], rows: [], out: [row(3)] },
    { name: "from an empty list", list: [], ids: [2, 1], rows: [row(2), row(1)], out: [row(1), row(2)] },
    { name: "gone, edited and new at once", list: [row(1), row(2), row(4)], ids: [1, 2, 3], rows: [row(3), row(2, "x")], out: [row(2, "x"), row(3), row(4)] },
  ])("$name", ({ list, ids, rows, out }) => {
    const before = structuredClone(list);
    expect(patched(list, new Set(ids), rows)).toEqual(out);
    expect(list).toEqual(before);
  });

  it("gives the same list when none of the written items is in it or read", () => {
    const list = [row(1), row(3)];
    expect(patched(list, new Set([2, 4]), [])).toBe(list);
    expect(patched(list, new Set([3]), [row(3)])).not.toBe(list);
  });
});

describe("reachedItems after writes", () => {
  it("reads again only the items a write wrote; a write that reached everything reads them all", async () => {
    const county = await setupCounty();
    const raw = new sqlite3.Database(databaseFileOf(county.dbs.db)!);
    // The write behind the portal's back is exactly what CACHE_CHECK would report.
    const check = process.env.CACHE_CHECK;
    process.env.CACHE_CHECK = "0";
    try {
      const { db, reader } = county.dbs;
      const a = county.units.A;
      const by = county.ids.correspondentA;
      const at = "2026-11-03T01:00:00.000Z";
      const x = await insertItem(db, { unitId: a, createdBy: by, title: "春季运动会", body: "全校师生参加。", status: "submitted", firstSubmittedAt: at });
      const y = await insertItem(db, { unitId: a, createdBy: by, title: "读书节", body: "好书分享。", status: "submitted", firstSubmittedAt: at });
      const lengthOf = async (id: number) => rowOf(await reachedItems(reader), id)?.[2];
      expect(await lengthOf(y)).toBe("读书节好书分享。".length);

      // Behind the portal's back (no write counted): a reading of only the written items misses it.
      await new Promise<void>((resolve, reject) => raw.run("update items set body = '好书分享，共读一本书。' where id = ?", [y], (err) => (err ? reject(err) : resolve())));
      await db.updateTable("items").set({ body: "全校师生参加，气氛热烈。" }).where("id", "=", x).execute();
      expect(await lengthOf(x)).toBe("春季运动会全校师生参加，气氛热烈。".length);
      expect(await lengthOf(y)).toBe("读书节好书分享。".length);

      // A draft moves no reached item: the same list.
      const kept = await reachedItems(reader);
      await insertItem(db, { unitId: a, createdBy: by, title: "草稿", body: "未报送", status: "draft" });
      expect(await reachedItems(reader)).toBe(kept);

      // A write to another table of figures reaches everything: the whole list is read again.
      await db.updateTable("units").set({ name: "城关镇中心学校" }).where("id", "=", a).execute();
      expect(await lengthOf(y)).toBe("读书节好书分享，共读一本书。".length);
      expect(await reachedItems(reader)).toEqual(JSON.parse((await reachedQuery(reader).executeTakeFirstOrThrow()).rows));
    } finally {
      process.env.CACHE_CHECK = check;
      await new Promise((resolve) => raw.close(resolve));
      await county.dbs.dispose();
    }
  });

  it("those who ask together after a write share one reading, and an item gone leaves the list", async () => {
    const county = await setupCounty();
    try {
      const { db, reader } = county.dbs;
      const by = county.ids.correspondentA;
      const ids = [];
      for (const title of ["一", "二", "三"]) ids.push(await insertItem(db, { unitId: county.units.A, createdBy: by, title, status: "submitted", firstSubmittedAt: "2026-11-03T01:00:00.000Z" }));
      await reachedItems(reader);
      await db.updateTable("items").set({ title: "二（改）" }).where("id", "=", ids[1]).execute();
      const [first, second] = await Promise.all([reachedItems(reader), reachedItems(reader)]);
      expect(second).toBe(first);
      expect(first.map((r) => r[0])).toEqual(ids);
      await db.updateTable("items").set({ first_submitted_at: null, status: "draft" }).where("id", "=", ids[0]).execute();
      expect((await reachedItems(reader)).map((r) => r[0])).toEqual(ids.slice(1));
    } finally {
      await county.dbs.dispose();
    }
  });
});
