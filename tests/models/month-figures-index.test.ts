// The reviewer's home reads the open month's arrivals per day and per 栏目 and each unit's adoption
// rate from one covering index (migration 0023), never from the table that holds the texts: with
// no statistics (a county's database) and with a province's (after ANALYZE, the migration gathering
// the new index's own). The counts stay exact.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adoptionRates, adoptionRatesQuery, arrivalsByCategory, arrivalsByDay } from "~/models/dashboard.server";
import { setupCounty, type County } from "../support/app";
import { insertItem } from "../support/item-fixtures";
import { planOf, planWith, PROVINCE_STATISTICS } from "../support/query-plan";

let county: County;
beforeAll(async () => {
  county = await setupCounty();
});
afterAll(async () => county.dbs.dispose());

const COVERED = "USING COVERING INDEX items_month_figures";

describe("the reviewer home's month figures", () => {
  it("count the month's arrivals per day and per 栏目, and the units' adoption over the months before", async () => {
    const { db } = county.dbs;
    const item = (status: "submitted" | "adopted" | "rejected" | "draft", reportMonth: string, day: string, category?: string) =>
      insertItem(db, {
        unitId: county.units.A, createdBy: county.ids.correspondentA, status, reportMonth, category,
        firstSubmittedAt: status === "draft" ? null : `${day}T02:00:00.000Z`, grade: status === "adopted" ? "good" : null,
      });
    const [first, second] = (await db.selectFrom("categories").select("name").orderBy("sort_order").orderBy("id").limit(2).execute()).map((c) => c.name);
    await item("submitted", "2026-11", "2026-11-03", first);
    await item("adopted", "2026-11", "2026-11-03", first);
    await item("rejected", "2026-11", "2026-11-05", second);
    await item("draft", "2026-11", "2026-11-05", second);
    await item("adopted", "2026-10", "2026-10-08", first);
    await item("rejected", "2026-09", "2026-09-08", first);
    expect((await arrivalsByDay(db, "2026-11").execute()).map((r) => [r.day, Number(r.n)])).toEqual([["2026-11-03", 2], ["2026-11-05", 1]]);
    expect((await arrivalsByCategory(db, "2026-11").execute()).map((r) => [r.category, Number(r.submitted), Number(r.adopted)])).toEqual([
      [first, 2, 1], [second, 1, 0],
    ]);
    expect(await adoptionRates(db, "2026-11")).toEqual(new Map([[county.units.A, 0.5]]));
  });

  it("are read from the covering index, without statistics and with a province's", async () => {
    const { db } = county.dbs;
    const plans = async () => [
      await planOf(db, arrivalsByDay(db, "2026-11")),
      await planOf(db, arrivalsByCategory(db, "2026-11")),
      await planOf(db, adoptionRatesQuery(db, "2026-11")),
    ];
    for (const plan of await plans()) expect(plan).toContain(COVERED);
    await planWith(db, [...PROVINCE_STATISTICS, ["items", "items_month_figures", "2000000 166667 80000 33334 33334 33334 34"]]);
    for (const plan of await plans()) expect(plan).toContain(COVERED);
  });
});
