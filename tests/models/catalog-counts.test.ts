// The settings page's item count per 栏目 and 投送频道: exact, and read from each column's index
// (migration 0022), never by reading every item.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "kysely";
import { catalogOverview, itemsPerEntry } from "~/models/catalog-admin.server";
import { setupCounty, type County } from "../support/app";
import { insertItem } from "../support/item-fixtures";
import { planOf, planWith, PROVINCE_STATISTICS } from "../support/query-plan";

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

  it("reads each count from its index, which the queries joining items to 栏目 never pick", async () => {
    const { db } = county.dbs;
    for (const [kind, index] of [["category", "items_category_use"], ["channel", "items_channel_use"]] as const) {
      expect(await planOf(db, itemsPerEntry(db, kind))).toContain(`USING INDEX ${index}`);
    }
    // The review queue's shape (newest submitted items with their unit, kind and 栏目), planned with
    // a province's statistics gathered before this migration's indexes (a county upgraded after its
    // last ANALYZE).
    await planWith(db, PROVINCE_STATISTICS);
    const queue = db
      .selectFrom("items")
      .innerJoin("units", "units.id", "items.unit_id")
      .innerJoin("unit_kinds", "unit_kinds.code", "units.kind_code")
      .innerJoin("categories", "categories.id", "items.category_id")
      .select(["items.id", "units.name", "unit_kinds.name as kind", "categories.name as category"])
      .where("items.report_month", "is not", null)
      .where("items.status", "=", "submitted")
      .orderBy("items.submitted_at", "desc").orderBy("items.id", "desc").limit(20);
    const plan = await planOf(db, queue);
    expect(plan).toContain("SEARCH items USING INDEX items_status_submitted");
    expect(plan).not.toMatch(/items_(category|channel)/);
    const indexes = await sql<{ name: string }>`select name from sqlite_master where type = 'index' and name like 'items_%_use'`.execute(db);
    expect(indexes.rows.map((r) => r.name).sort()).toEqual(["items_category_use", "items_channel_use"]);
  });
});
