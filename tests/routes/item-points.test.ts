// Every adopted item shows its points as an itemised receipt naming each rule.
import { afterAll, beforeAll, expect, it } from "vitest";
import * as itemPage from "~/routes/items.$id";
import * as reviewPage from "~/routes/review.$id";
import { bodyOf, call, setupCounty, type County } from "../support/app";
import { insertItem } from "../support/item-fixtures";

let county: County;
let itemId: number;
beforeAll(async () => {
  county = await setupCounty();
  const { db } = county.dbs;
  itemId = await insertItem(db, {
    unitId: county.units.A, createdBy: county.ids.correspondentA, status: "adopted", grade: "excellent", late: true,
    bylines: [county.ids.correspondentA, county.ids.leadA],
  });
  const now = new Date().toISOString();
  await db.insertInto("photos").values({ item_id: itemId, sha256: "a".repeat(64), mime: "image/png", width: 10, height: 10, bytes: 1, created_at: now }).execute();
  await db.insertInto("pickups").values([
    { item_id: itemId, outlet: "市教育局网站", tier: "city", picked_on: "2026-11-02", created_by: county.ids.reviewer, created_at: now },
    { item_id: itemId, outlet: "市融媒体", tier: "city", picked_on: "2026-11-03", created_by: county.ids.reviewer, created_at: now },
  ]).execute();
  await db.insertInto("instructions").values({ item_id: itemId, level: "county", leader: "县长", instructed_on: "2026-11-04", created_by: county.ids.reviewer, created_at: now }).execute();
});
afterAll(async () => county.dbs.dispose());

const EXPECTED = [
  ["grade.excellent", 3],
  ["photo", 0.5],
  ["pickup.city", 2],
  ["instruction.county", 2],
  ["late", -0.5],
];

it("itemises the points on the unit's item page, split among the bylines", async () => {
  const res = await call(itemPage.loader, county, { url: `/items/${itemId}`, user: "correspondentA", params: { id: String(itemId) } });
  expect(res.status).toBe(200);
  const { points } = await bodyOf(res);
  expect(points.lines.map((l: { rule: string; points: number }) => [l.rule, l.points])).toEqual(EXPECTED);
  expect(points.total).toBe(7);
  expect(points.shares.map((share: { points: number }) => share.points)).toEqual([3.5, 3.5]);
  expect(points.lines.every((l: { label: string }) => /[\u4e00-\u9fa5]/.test(l.label))).toBe(true);
});

it("shows the same receipt to the reviewer; another school is sent to the public news page, without the review record", async () => {
  const review = await bodyOf(await call(reviewPage.loader, county, { url: `/review/${itemId}`, user: "reviewer", params: { id: String(itemId) } }));
  expect(review.points.total).toBe(7);
  const other = await call(itemPage.loader, county, { url: `/items/${itemId}`, user: "correspondentB", params: { id: String(itemId) } });
  expect(other.status).toBe(302);
  expect(other.headers.get("Location")).toBe(`/news/${itemId}`);
  expect(await other.text()).not.toMatch(/excellent|instruction|县长|pickup/);
  for (const user of ["correspondentA", "leadA", "reviewer", "admin"] as const) {
    const own = await bodyOf(await call(itemPage.loader, county, { url: `/items/${itemId}`, user, params: { id: String(itemId) } }));
    expect(own.item.grade).toBe("excellent");
    expect(own.instructions).toHaveLength(1);
  }
});
