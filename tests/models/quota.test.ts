// The quota in force for a unit and a month: its kind's quota in the latest rule version effective
// on or before the month, unless the unit has its own override from a month on or before it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { quotaFor } from "~/models/rules.server";
import { unitQuotaProgress } from "~/models/review.server";
import { setupCounty, type County } from "../support/app";
import { insertItem } from "../support/item-fixtures";

let county: County;
let kindergarten = 0;
beforeAll(async () => {
  county = await setupCounty();
  const now = new Date().toISOString();
  kindergarten = (
    await county.dbs.db
      .insertInto("units")
      .values({ code: "K01", name: "县第一幼儿园", kind_code: "kindergarten", created_at: now, updated_at: now })
      .returning("id")
      .executeTakeFirstOrThrow()
  ).id;
});
afterAll(async () => county.dbs.dispose());

const at = new Date().toISOString();
async function addVersion(month: string, quotas: Record<string, number>) {
  const { id } = await county.dbs.db
    .insertInto("quota_rule_versions")
    .values({ effective_month: month, note: "测试", created_at: at })
    .returning("id")
    .executeTakeFirstOrThrow();
  await county.dbs.db
    .insertInto("quota_rules")
    .values(Object.entries(quotas).map(([kind_code, quota]) => ({ version_id: id, kind_code, quota })))
    .execute();
}
const override = (unitId: number, month: string, quota: number) =>
  county.dbs.db.insertInto("unit_quota_overrides").values({ unit_id: unitId, effective_month: month, quota, reason: "测试", created_at: at }).execute();

describe("quotaFor", () => {
  it("takes the kind's default quota", async () => {
    expect(await quotaFor(county.dbs.db, county.units.A, "2026-03")).toBe(10); // 乡镇中心校
    expect(await quotaFor(county.dbs.db, county.units.B, "2026-03")).toBe(5); // 区直中小学
    expect(await quotaFor(county.dbs.db, kindergarten, "2026-03")).toBe(5); // 幼儿园
  });

  it("changes with a new rule version exactly from its effective month", async () => {
    await addVersion("2026-07", { township_central: 12, district_school: 6, kindergarten: 4 });
    const cases: Array<[string, number, number, number]> = [
      // month, 乡镇中心校, 区直中小学, 幼儿园
      ["2026-06", 10, 5, 5],
      ["2026-07", 12, 6, 4],
      ["2027-01", 12, 6, 4],
    ];
    for (const [month, a, b, k] of cases) {
      expect([
        await quotaFor(county.dbs.db, county.units.A, month),
        await quotaFor(county.dbs.db, county.units.B, month),
        await quotaFor(county.dbs.db, kindergarten, month),
      ], month).toEqual([a, b, k]);
    }
  });

  it("lets a unit's override rule from its month on, the latest one winning, over any version", async () => {
    await override(county.units.B, "2026-05", 3);
    await override(county.units.B, "2026-09", 8);
    const cases: Array<[string, number]> = [
      ["2026-04", 5], // before any override: the kind's quota
      ["2026-05", 3],
      ["2026-06", 3],
      ["2026-07", 3], // a new version does not undo the unit's own quota
      ["2026-08", 3],
      ["2026-09", 8],
      ["2027-03", 8],
    ];
    for (const [month, quota] of cases) expect(await quotaFor(county.dbs.db, county.units.B, month), month).toBe(quota);
    // Other units are untouched.
    expect(await quotaFor(county.dbs.db, county.units.A, "2026-09")).toBe(12);
  });
});

describe("unitQuotaProgress", () => {
  it("counts the unit's adopted items of the month (withdrawn ones only while they keep their points) against the quota, and its items at the bureau", async () => {
    const month = "2026-09";
    const B = { unitId: county.units.B, createdBy: county.ids.correspondentB, reportMonth: month };
    expect(await unitQuotaProgress(county.dbs.db, county.units.B, month)).toEqual({
      month, adopted: 0, submitted: 0, quota: 8, completion: 0, status: "none",
    });
    // A returned item keeps its report month but is back at the school: not 报送 (as in the league).
    await insertItem(county.dbs.db, { ...B, status: "draft" });
    expect(await unitQuotaProgress(county.dbs.db, county.units.B, month)).toMatchObject({ submitted: 0, status: "none" });
    for (const status of ["adopted", "adopted", "submitted", "rejected", "withdrawn"] as const) await insertItem(county.dbs.db, { ...B, status });
    await insertItem(county.dbs.db, { ...B, status: "withdrawn", pointsRevoked: true });
    await insertItem(county.dbs.db, { ...B, status: "adopted", reportMonth: "2026-08" });
    expect(await unitQuotaProgress(county.dbs.db, county.units.B, month)).toEqual({
      month, adopted: 3, submitted: 6, quota: 8, completion: 0.375, status: "short",
    });
  });
});
