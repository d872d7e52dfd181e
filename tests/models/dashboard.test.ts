import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addMonths, shanghaiMonth } from "~/domain/time";
import { AT_BUREAU_STATUSES } from "~/domain/points";
import { reviewerDashboard, schoolDashboard } from "~/models/dashboard.server";
import { reviewerHome } from "~/models/home.server";
import { leagueFor } from "~/models/months.server";
import { rebuildAllRollups } from "~/models/rollup.server";
import { setupDemoCounty } from "../support/demo";
import { insertItem } from "../support/item-fixtures";

const NOW = new Date("2026-11-21T04:00:00Z");
let dbs: Awaited<ReturnType<typeof setupDemoCounty>>["county"]["dbs"];
beforeAll(async () => {
  // The run's demo county, seeded at NOW (tests/support/demo-template.ts).
  ({ county: { dbs } } = await setupDemoCounty());
}, 120_000);
afterAll(async () => dbs.dispose());

const unitId = async (code: string) => (await dbs.db.selectFrom("units").select("id").where("code", "=", code).executeTakeFirstOrThrow()).id;

describe("school dashboard", () => {
  it("shows this month's row of the league and a year of frozen history", async () => {
    const id = await unitId("X01");
    const d = await schoolDashboard(dbs.reader, id, NOW);
    const month = shanghaiMonth(NOW);
    const league = await leagueFor(dbs.reader, month);
    const row = league.rows.find((r) => r.unitId === id)!;
    expect(d.row).toMatchObject({ adopted: row.adopted, quota: row.quota, points: row.points, rank: row.rank, movement: row.movement });
    expect(d.kindSize).toBe(12);
    expect(d.history).toHaveLength(12);
    expect(d.history.at(-1)!.month).toBe(month);
    for (const h of d.history.slice(0, 10)) {
      const past = (await leagueFor(dbs.reader, h.month)).rows.find((r) => r.unitId === id)!;
      expect([h.month, h.rank, h.points]).toEqual([h.month, past.rank, past.points]);
    }
    expect(d.forecast?.message).toMatch(/预计|完成|无任务/);
  });

  it("explains the month's provisional points: the receipt's lines add up to the league's points, for every unit", async () => {
    const month = shanghaiMonth(NOW);
    const league = await leagueFor(dbs.reader, month);
    for (const r of league.rows) {
      const d = await schoolDashboard(dbs.reader, r.unitId, NOW);
      expect(d.receipt.total, r.code).toBe(r.points);
      const sum = d.receipt.lines.reduce((s, l) => s + Math.round(l.points * 100), 0) / 100;
      expect(sum, r.code).toBe(r.points);
      const short = d.receipt.lines.find((l) => l.rule === "quota.short");
      if (r.status !== "met" && r.adopted < r.quota) expect(short?.label, r.code).toBe(`差 ${r.quota - r.adopted} 条未完成任务`);
      else expect(short, r.code).toBeUndefined();
    }
  });
});

describe("reviewer dashboard", () => {
  it("counts the queue by age and lists units heading below quota", async () => {
    const d = await reviewerDashboard(dbs.reader, NOW);
    const waiting = await dbs.db.selectFrom("items").select((eb) => eb.fn.countAll<number>().as("n")).where("status", "=", "submitted").executeTakeFirstOrThrow();
    expect(d.waiting.total).toBe(Number(waiting.n));
    expect(d.waiting.buckets.reduce((s, b) => s + b.count, 0)).toBe(Number(waiting.n));
    expect(d.submissionsByDay).toHaveLength(21);
    expect(d.kinds.map((k) => k.units)).toEqual(expect.arrayContaining([12, 16, 12]));
    expect(d.atRisk.length).toBeGreaterThan(0);
    for (const u of d.atRisk) expect(u.forecast.shortBy).toBeGreaterThan(0);
    expect(addMonths(d.month, 0)).toBe("2026-11");
  });

  it("counts the month's arrivals by day and by category as the month's 报送 does: an item back at its school is in neither", async () => {
    const month = shanghaiMonth(NOW);
    const count = async (atBureau: boolean) =>
      Number(
        (await dbs.db
          .selectFrom("items")
          .select((eb) => eb.fn.countAll<number>().as("n"))
          .where("report_month", "=", month)
          .where("status", atBureau ? "in" : "not in", AT_BUREAU_STATUSES)
          .executeTakeFirstOrThrow()).n,
      );
    // The demo month has items the bureau sent back for changes (still in the month, at their school).
    expect(await count(false)).toBeGreaterThan(0);
    const [d, home] = await Promise.all([reviewerDashboard(dbs.reader, NOW), reviewerHome(dbs.reader, NOW)]);
    expect(home.monthSubmitted).toBe(await count(true));
    expect(d.submissionsByDay.reduce((s, x) => s + x.count, 0)).toBe(home.monthSubmitted);
    expect(d.byCategory.reduce((s, c) => s + c.submitted, 0)).toBe(home.monthSubmitted);
  });

  it("shares the units at risk until a figures write or the next day, read-only, and shows the write at once", async () => {
    const first = await reviewerDashboard(dbs.reader, NOW);
    const again = await reviewerDashboard(dbs.reader, new Date(NOW.getTime() + 60_000));
    expect(again.atRisk).toBe(first.atRisk);
    expect(again.kinds).toBe(first.kinds);
    expect(() => (first.atRisk as unknown[]).pop()).toThrow(TypeError);
    // The next day the forecasts count one more day gone: computed again.
    const tomorrow = await reviewerDashboard(dbs.reader, new Date(NOW.getTime() + 24 * 3_600_000));
    expect(tomorrow.atRisk).not.toBe(first.atRisk);
    // An adoption for the unit furthest behind: on the next read.
    const behind = first.atRisk[0];
    const month = shanghaiMonth(NOW);
    const creator = await dbs.db.selectFrom("accounts").select("id").where("unit_id", "=", behind.unitId).executeTakeFirstOrThrow();
    await insertItem(dbs.db, { unitId: behind.unitId, createdBy: creator.id, status: "adopted", grade: "good", reportMonth: month, firstSubmittedAt: `${month}-10T02:00:00.000Z`, eventDate: `${month}-08` });
    await rebuildAllRollups(dbs.db);
    const after = await reviewerDashboard(dbs.reader, NOW);
    expect(after.atRisk).not.toBe(first.atRisk);
    const row = after.atRisk.find((u) => u.unitId === behind.unitId);
    expect(row?.adopted ?? behind.quota).toBeGreaterThan(behind.adopted);
    expect(after.kinds.reduce((n, k) => n + k.units, 0)).toBe(first.kinds.reduce((n, k) => n + k.units, 0));
  });
});
