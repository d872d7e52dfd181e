// What moved between two readings of the reached items, and finding a row by id: the near-duplicates
// compare again only what movedIds lists, so an id it misses would keep a stale answer.
import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { movedIds, reachedItems, reachedQuery, rowOf, type ReachedRow } from "~/models/reached-items.server";
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
