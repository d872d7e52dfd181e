// A change of the 迟报 day limit re-marks the items of its months from their dates, except an item
// whose mark a reviewer corrected: the correction stands, and so do its points and the month's
// late count.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { clearLate } from "~/models/corrections.server";
import { rebuildAllRollups } from "~/models/rollup.server";
import { saveSettings } from "~/models/settings.server";
import { setupCounty, type County } from "../support/app";
import { insertItem } from "../support/item-fixtures";

const NOW = new Date("2026-12-06T04:00:00Z");
const MONTH = "2026-12";

let county: County;
/** Arrived 15 days after its event (late under 7 and 10 days), 迟报 cleared by a reviewer. */
let cleared: number;
/** Arrived 9 days after its event: late under 7 days, on time under 10. */
let nineDays: number;
/** Arrived 15 days after its event, never corrected. */
let fifteenDays: number;

beforeEach(async () => {
  county = await setupCounty();
  const db = county.dbs.db;
  const item = (eventDate: string, late: boolean) =>
    insertItem(db, {
      unitId: county.units.A, createdBy: county.ids.correspondentA, status: "adopted", grade: "good", reportMonth: MONTH,
      firstSubmittedAt: "2026-12-05T02:00:00.000Z", eventDate, late,
    });
  cleared = await item("2026-11-20", true);
  nineDays = await item("2026-11-26", true);
  fifteenDays = await item("2026-11-20", true);
  await rebuildAllRollups(db, NOW);
  const { version } = await db.selectFrom("items").select("version").where("id", "=", cleared).executeTakeFirstOrThrow();
  const reviewer = { id: county.ids.reviewer, username: "reviewer", role: "reviewer" as const, unitId: null, ip: "10.0.0.9" };
  const r = await clearLate(db, { actor: reviewer, itemId: cleared, expectedVersion: version, reason: "申诉成立：活动延期", appealId: null, now: NOW });
  expect(r.ok).toBe(true);
}, 60_000);
afterEach(async () => county.dbs.dispose());

const marks = async () => {
  const rows = await county.dbs.db.selectFrom("items").select(["id", "late"]).where("id", "in", [cleared, nineDays, fifteenDays]).execute();
  const late = new Map(rows.map((r) => [r.id, r.late]));
  return { cleared: late.get(cleared), nineDays: late.get(nineDays), fifteenDays: late.get(fifteenDays) };
};
const monthStat = () =>
  county.dbs.db.selectFrom("unit_month_stats").select(["late", "item_points"])
    .where("unit_id", "=", county.units.A).where("month", "=", MONTH).executeTakeFirstOrThrow();
const setLimit = async (days: number) => {
  const saved = await saveSettings(county.dbs.db, {
    changes: [{ key: "lateAfterDays", value: days }], effectiveMonth: MONTH, actor: { id: county.ids.admin, username: "admin" }, now: NOW,
  });
  expect(saved).toEqual({ ok: true, changed: ["lateAfterDays"], refreshedMonths: [MONTH] });
};

describe("a new 迟报 day limit and a reviewer's 迟报 correction", () => {
  it("relaxing the limit keeps a cleared 迟报 cleared and re-marks the other items by their dates", async () => {
    // 3 × 良 (2 points) less 0.5 for each of the two items still late.
    expect(await monthStat()).toEqual({ late: 2, item_points: 5 });
    await setLimit(10);
    expect(await marks()).toEqual({ cleared: 0, nineDays: 0, fifteenDays: 1 });
    expect(await monthStat()).toEqual({ late: 1, item_points: 5.5 });
  });

  it("tightening the limit keeps a cleared 迟报 cleared too", async () => {
    await setLimit(3);
    expect(await marks()).toEqual({ cleared: 0, nineDays: 1, fifteenDays: 1 });
    expect(await monthStat()).toEqual({ late: 2, item_points: 5 });
  });

  it("leaves the correction's trail as the reviewer left it", async () => {
    const db = county.dbs.db;
    const trail = () => db.selectFrom("review_events").select(["action", "reason"]).where("item_id", "=", cleared).orderBy("id").execute();
    const before = await trail();
    await setLimit(10);
    await setLimit(3);
    expect(await trail()).toEqual(before);
    expect(await db.selectFrom("corrections").select(["kind", "before_text", "after_text"]).where("item_id", "=", cleared).execute())
      .toEqual([{ kind: "late_cleared", before_text: "迟报", after_text: "不计迟报" }]);
    expect(await marks()).toEqual({ cleared: 0, nineDays: 1, fifteenDays: 1 });
  });
});
