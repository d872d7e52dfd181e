// The settings page's item count per 栏目 and 投送频道: exact, and read from each column's index
// (migration 0022), never by reading every item.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "kysely";
import { catalogOverview, itemsPerEntry } from "~/models/catalog-admin.server";
import { setupCounty, type County } from "../support/app";
import { insertItem } from "../support/item-fixtures";

let county: County;
beforeAll(async () => {
  county = await setupCounty();
});
afterAll(async () => county.dbs.dispose());

describe("items per 栏目 and 投送频道", () => {
  it("counts each entry's items, the unused ones at 0, and an item without a channel under none", async () => {
    const { db } = county.dbs;
    const categories = await db.selectFrom("categories").select(["id", "name"]).orderBy("sort_order").orderBy("id").execute();
    for (const [name, n] of [[categories[0].name, 3], [categories[2].name, 1]] as const) {
      for (let i = 0; i < n; i++) await insertItem(db, { unitId: county.units.A, createdBy: county.ids.correspondentA, category: name });
    }
    const bare = await insertItem(db, { unitId: county.units.A, createdBy: county.ids.correspondentA });
    await db.updateTable("items").set({ channel_id: null }).where("id", "=", bare).execute();
    const overview = await catalogOverview(db);
    expect(overview.category.map((c) => c.items)).toEqual(categories.map((_, i) => (i === 0 ? 4 : i === 2 ? 1 : 0)));
    expect(overview.channel.map((c) => c.items)).toEqual(overview.channel.map((_, i) => (i === 0 ? 4 : 0)));
  });

  it("reads each count from its column's index", async () => {
    const { db } = county.dbs;
    for (const [kind, index] of [["category", "items_category"], ["channel", "items_channel"]] as const) {
      const { sql: text, parameters } = itemsPerEntry(db, kind).compile();
      const plan = await db.executeQuery<{ detail: string }>({ ...itemsPerEntry(db, kind).compile(), sql: `explain query plan ${text}`, parameters });
      expect(plan.rows.map((r) => r.detail).join(" | ")).toContain(`USING COVERING INDEX ${index}`);
    }
    const indexes = await sql<{ name: string }>`select name from sqlite_master where type = 'index' and name in ('items_category', 'items_channel')`.execute(db);
    expect(indexes.rows.map((r) => r.name).sort()).toEqual(["items_category", "items_channel"]);
  });
});
