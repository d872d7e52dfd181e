// One late item counts once: a late item returned to its school before its month closes counts
// in no closed month for 报送 or 迟报, and once, in the month where it is finally decided. Driven
// through the pages (item page, review page, month close) as the people involved would.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import * as itemPage from "~/routes/items.$id";
import * as months from "~/routes/months._index";
import * as reviewPage from "~/routes/review.$id";
import * as rankings from "~/routes/rankings.$period";
import { bodyOf, call, setupCounty, type County, type UserKey } from "../support/app";
import { insertItem } from "../support/item-fixtures";

let county: County;
let itemId: number;
const db = () => county.dbs.db;
/**
 * Shanghai wall-clock time as the instant the portal sees. The people stay signed in across the
 * weeks the test jumps (a real session would be renewed by signing in again).
 */
async function at(shanghai: string) {
  const now = new Date(`${shanghai}+08:00`);
  vi.setSystemTime(now);
  await db().updateTable("sessions").set({ expires_at: new Date(now.getTime() + 86_400_000).toISOString() }).execute();
}

beforeAll(async () => {
  vi.useFakeTimers({ toFake: ["Date"], now: new Date("2026-10-20T10:00:00+08:00") });
  county = await setupCounty();
  // Written on 20 October about an event on 5 October: 15 days, past the 7-day limit.
  itemId = await insertItem(db(), { unitId: county.units.A, createdBy: county.ids.correspondentA, status: "draft", eventDate: "2026-10-05" });
}, 60_000);
afterAll(async () => {
  vi.useRealTimers();
  await county.dbs.dispose();
});

const version = async () => (await db().selectFrom("items").select("version").where("id", "=", itemId).executeTakeFirstOrThrow()).version;
const item = () => db().selectFrom("items").selectAll().where("id", "=", itemId).executeTakeFirstOrThrow();
async function onItem(user: UserKey, intent: string) {
  const body = { intent, version: String(await version()), confidential_checked: "1" };
  const res = await call(itemPage.action, county, { url: `/items/${itemId}`, user, body, params: { id: String(itemId) } });
  expect(res.status, `${intent} by ${user}`).toBe(302);
}
async function review(intent: string, extra: Record<string, string>) {
  const body = { intent, version: String(await version()), ...extra };
  const res = await call(reviewPage.action, county, { url: `/review/${itemId}`, user: "reviewer", body, params: { id: String(itemId) } });
  expect(res.status, intent).toBe(302);
}
async function unitRow(period: string) {
  const data = await bodyOf(await call(rankings.loader, county, { url: `/rankings/${period}`, user: "reviewer", params: { period } }));
  return data.kinds.flatMap((k: { rows: unknown[] }) => k.rows).find((r: { unitId: number }) => r.unitId === county.units.A);
}
/** 迟报 of unit A in every month: frozen snapshots of closed months, the live rollup of open ones. */
async function lateEverywhere(): Promise<Record<string, number>> {
  const closed = await db()
    .selectFrom("month_unit_snapshots as s")
    .innerJoin("month_closes as c", "c.id", "s.close_id")
    .select(["c.month", "s.late"])
    .where("c.reopened_at", "is", null)
    .where("s.unit_id", "=", county.units.A)
    .execute();
  const closedMonths = new Set(closed.map((r) => r.month));
  const live = await db().selectFrom("unit_month_stats").select(["month", "late"]).where("unit_id", "=", county.units.A).execute();
  const out: Record<string, number> = {};
  for (const r of closed) out[r.month] = r.late;
  for (const r of live) if (!closedMonths.has(r.month)) out[r.month] = r.late;
  return out;
}

describe("a late item returned before its month closes", () => {
  it("arrives late in October", async () => {
    await onItem("correspondentA", "submit");
    await at("2026-10-20T15:00:00");
    await onItem("leadA", "sign_off");
    expect(await item()).toMatchObject({ status: "submitted", report_month: "2026-10", late: 1 });
    expect(await unitRow("2026-10")).toMatchObject({ submitted: 1, late: 1 });
  });

  it("is returned to the school and counts nowhere while it is there", async () => {
    await at("2026-10-22T09:00:00");
    await review("return", { reason: "请补充活动的具体成效" });
    expect(await item()).toMatchObject({ status: "draft", report_month: "2026-10" });
    expect(await unitRow("2026-10")).toMatchObject({ submitted: 0, late: 0, status: "none" });
  });

  it("is in no closed month when October closes with it still at the school", async () => {
    await at("2026-11-03T10:00:00");
    const res = await call(months.action, county, { url: "/months", user: "reviewer", body: { intent: "close", month: "2026-10" } });
    expect(res.status).toBe(302);
    const snapshot = await db()
      .selectFrom("month_unit_snapshots as s")
      .innerJoin("month_closes as c", "c.id", "s.close_id")
      .select(["s.submitted", "s.late", "s.status"])
      .where("c.month", "=", "2026-10")
      .where("s.unit_id", "=", county.units.A)
      .executeTakeFirstOrThrow();
    expect(snapshot).toEqual({ submitted: 0, late: 0, status: "none" });
  });

  it("is resubmitted in November, takes November, is decided there, and counts 迟报 once in all", async () => {
    await at("2026-11-04T09:00:00");
    await onItem("correspondentA", "submit");
    await onItem("leadA", "sign_off");
    expect(await item()).toMatchObject({ status: "submitted", report_month: "2026-11", late: 1 });
    await at("2026-11-05T09:00:00");
    await review("adopt", { grade: "good" });
    expect(await item()).toMatchObject({ status: "adopted", report_month: "2026-11" });
    expect(await unitRow("2026-11")).toMatchObject({ submitted: 1, adopted: 1, late: 1 });
    expect(await unitRow("2026-10")).toMatchObject({ submitted: 0, late: 0 });
    const late = await lateEverywhere();
    expect(Object.values(late).reduce((a, b) => a + b, 0)).toBe(1);
    expect(late["2026-11"]).toBe(1);
  });
});
