// Shared bylines: an item's points and the item itself are split among its bylines in hundredths
// that sum exactly to the item, so the people's credit adds up to the unit's and nothing is lost
// or made up by rounding, month by month and over the year.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeMonth } from "~/models/month-close.server";
import { composeAnnual } from "~/models/notice-compose.server";
import { rankingsFor } from "~/models/rankings.server";
import { rebuildAllRollups } from "~/models/rollup.server";
import { setupCounty, type County } from "../support/app";
import { insertItem } from "../support/item-fixtures";

let county: County;
let c2: number, c3: number;
const YEAR = "2025";
const monthOf = (m: number) => `${YEAR}-${String(m).padStart(2, "0")}`;

beforeAll(async () => {
  county = await setupCounty();
  const db = county.dbs.db;
  const now = new Date().toISOString();
  const account = async (username: string) =>
    (await db.insertInto("accounts").values({ username, display_name: username, role: "correspondent", unit_id: county.units.A, password_hash: "x", created_at: now, updated_at: now }).returning("id").executeTakeFirstOrThrow()).id;
  c2 = await account("a-c2");
  c3 = await account("a-c3");
  // Every month of the year: three 中 items (1 point each) bylined by the same three people.
  for (let m = 1; m <= 12; m++) {
    for (let i = 0; i < 3; i++) {
      await insertItem(db, {
        unitId: county.units.A, createdBy: county.ids.correspondentA, status: "adopted", grade: "fair", reportMonth: monthOf(m),
        firstSubmittedAt: `${monthOf(m)}-1${i}T02:00:00.000Z`, eventDate: `${monthOf(m)}-09`, bylines: [county.ids.correspondentA, c2, c3],
      });
    }
  }
  // And in December one 良 item (2 points) for the same three: 2 does not divide by 3.
  await insertItem(db, {
    unitId: county.units.A, createdBy: county.ids.correspondentA, status: "adopted", grade: "good", reportMonth: monthOf(12),
    firstSubmittedAt: `${monthOf(12)}-20T02:00:00.000Z`, eventDate: `${monthOf(12)}-01`, bylines: [county.ids.correspondentA, c2, c3],
  });
  await rebuildAllRollups(db);
  for (let m = 1; m <= 12; m++) {
    const closed = await closeMonth(db, { month: monthOf(m), actor: { id: county.ids.reviewer, username: "reviewer" }, now: new Date("2026-01-05T02:00:00Z") });
    expect(closed.ok).toBe(true);
  }
}, 120_000);
afterAll(async () => county.dbs.dispose());

describe("shared bylines", () => {
  it("a month's three shared items are one item and one point for each of the three, summing to the unit's", async () => {
    const db = county.dbs.db;
    const unit = await db.selectFrom("unit_month_stats").select(["item_points", "adopted"]).where("month", "=", monthOf(3)).where("unit_id", "=", county.units.A).executeTakeFirstOrThrow();
    const people = await db.selectFrom("correspondent_month_stats").select(["items", "points"]).where("month", "=", monthOf(3)).orderBy("account_id").execute();
    expect(unit).toEqual({ item_points: 3, adopted: 3 });
    expect(people.map((p) => [p.items, p.points])).toEqual([[1, 1], [1, 1], [1, 1]]);
  });

  it("an item whose points do not divide evenly: the shares differ by a hundredth and sum to the item's", async () => {
    const db = county.dbs.db;
    const unit = await db.selectFrom("unit_month_stats").select(["item_points", "adopted"]).where("month", "=", monthOf(12)).where("unit_id", "=", county.units.A).executeTakeFirstOrThrow();
    const people = await db.selectFrom("correspondent_month_stats").select(["items", "points"]).where("month", "=", monthOf(12)).orderBy("account_id").execute();
    expect(unit).toEqual({ item_points: 5, adopted: 4 });
    const cents = people.map((p) => Math.round(p.points * 100));
    expect(cents.reduce((a, b) => a + b, 0)).toBe(500);
    expect(Math.max(...cents) - Math.min(...cents)).toBe(1);
    expect(Math.round(people.reduce((s, p) => s + p.items, 0) * 100)).toBe(400);
  });

  it("over the year each of the three has exactly their third: 12 of the 36 monthly items, and is eligible as 优秀信息员 (at least 12)", async () => {
    const view = await rankingsFor(county.dbs.db, YEAR, new Date("2026-01-05T02:00:00Z"));
    const people = view!.correspondents;
    expect(people.map((p) => Math.round(p.points * 100)).reduce((a, b) => a + b, 0)).toBe(36 * 100 + 200);
    expect(people.map((p) => Math.round(p.items * 100)).reduce((a, b) => a + b, 0)).toBe(37 * 100);
    for (const p of people) expect(p.items).toBeGreaterThanOrEqual(12);
  });

  it("the year-end summary counts each adopted item bearing a person's name whole for 优秀信息员 (37 each), and splits only the points", async () => {
    const { body } = await composeAnnual(county.dbs.db, YEAR, [], new Date("2026-01-05T02:00:00Z"));
    expect(body.kind).toBe("annual");
    if (body.kind !== "annual") return;
    expect(body.correspondents.map((p) => p.adopted)).toEqual([37, 37, 37]);
    expect(body.correspondents.map((p) => Math.round(p.items * 100)).reduce((a, b) => a + b, 0)).toBe(3700);
    expect(body.outstanding).toHaveLength(3);
  });

  it("an item taken down (points revoked) after its month closed leaves that month's whole-item count as frozen", async () => {
    const db = county.dbs.db;
    const march = await db.selectFrom("month_closes").select("id").where("month", "=", monthOf(3)).where("reopened_at", "is", null).executeTakeFirstOrThrow();
    const frozen = await db.selectFrom("month_correspondent_snapshots").select("adopted_items").where("close_id", "=", march.id).orderBy("account_id").execute();
    expect(frozen.map((r) => r.adopted_items)).toEqual([3, 3, 3]);
    const item = await db.selectFrom("items").select("id").where("report_month", "=", monthOf(3)).orderBy("id").executeTakeFirstOrThrow();
    await db.updateTable("items").set({ status: "withdrawn", points_revoked: 1 }).where("id", "=", item.id).execute();
    await rebuildAllRollups(db);
    const { body } = await composeAnnual(db, YEAR, [], new Date("2026-01-05T02:00:00Z"));
    if (body.kind !== "annual") throw new Error("not an annual body");
    expect(body.correspondents.map((p) => p.adopted)).toEqual([37, 37, 37]);
  });
});
