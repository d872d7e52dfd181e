// The league's tie-break counts items picked up at a tier, as the points do: an item carried by
// two provincial outlets earns the provincial points once and counts once for 省级上稿.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { leagueFor } from "~/models/months.server";
import { rebuildAllRollups } from "~/models/rollup.server";
import { setupCounty, type County } from "../support/app";
import { insertItem } from "../support/item-fixtures";

let county: County;
let unitC: number;
const MONTH = "2026-10";

beforeAll(async () => {
  county = await setupCounty();
  const db = county.dbs.db;
  const now = new Date().toISOString();
  unitC = (
    await db.insertInto("units").values({ code: "A02", name: "柳河镇中心学校", township: "柳河镇", kind_code: "township_central", created_at: now, updated_at: now })
      .returning("id").executeTakeFirstOrThrow()
  ).id;
  const adopted = (unitId: number) =>
    insertItem(db, { unitId, createdBy: county.ids.correspondentA, status: "adopted", grade: "good", reportMonth: MONTH, firstSubmittedAt: `${MONTH}-10T02:00:00.000Z`, eventDate: `${MONTH}-09` });
  const pickup = (itemId: number, outlet: string, tier: "province" | "city") =>
    db.insertInto("pickups").values({ item_id: itemId, outlet, tier, picked_on: `${MONTH}-12`, created_by: county.ids.reviewer, created_at: now }).execute();
  const a = await adopted(county.units.A);
  await pickup(a, "省教育厅网站", "province");
  await pickup(a, "省教育报", "province");
  const c = await adopted(unitC);
  await pickup(c, "省教育厅网站", "province");
  await rebuildAllRollups(db);
}, 60_000);
afterAll(async () => county.dbs.dispose());

describe("pickups in the tie-break", () => {
  it("count an item once per tier, however many outlets of that tier carried it", async () => {
    const stats = await county.dbs.db.selectFrom("unit_month_stats").select(["unit_id", "pickups_province", "item_points"]).where("month", "=", MONTH).execute();
    const of = (id: number) => stats.find((s) => s.unit_id === id)!;
    expect(of(county.units.A)).toEqual({ unit_id: county.units.A, pickups_province: 1, item_points: of(unitC).item_points });
    expect(of(unitC).pickups_province).toBe(1);
  });

  it("so two units equal on points and on items picked up share a rank", async () => {
    const league = await leagueFor(county.dbs.db, MONTH);
    const rows = league.rows.filter((r) => r.kind === "township_central");
    expect(rows.map((r) => [r.code, r.rank, r.tied, r.province])).toEqual([
      ["A01", 1, true, 1],
      ["A02", 1, true, 1],
    ]);
  });
});
