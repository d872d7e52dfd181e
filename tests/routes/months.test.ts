import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readFlash } from "~/lib/flash.server";
import type { SessionUser } from "~/models/auth.server";
import { transitionItem } from "~/models/item-workflow.server";
import * as months from "~/routes/months._index";
import * as monthPage from "~/routes/months.$month";
import { bodyOf, call, expectFieldErrors, expectPageOnlyFor, type County } from "../support/app";
import { closeDemoCounty, DEMO_NOW, openDemoCountyAt } from "../support/demo";
import { renderPage } from "../support/render-page";

// The demo county on 2026-11-21: every month up to 2026-09 is closed; 2026-10 still has items
// waiting for review; 2026-11 is the current month.
let county: County;
let closedMonths: string[];
let reviewer: SessionUser;
beforeAll(async () => {
  ({ county, closedMonths, reviewer } = await openDemoCountyAt(["admin", "reviewer", "leadA", "correspondentA"]));
}, 120_000);
afterAll(() => closeDemoCounty(county));

const db = () => county.dbs.db;
type Who = "admin" | "reviewer" | "leadA" | "correspondentA";

const post = (body: Record<string, string>, user: Who = "reviewer") => call(months.action, county, { url: "/months", user, body });
const list = async () => (await bodyOf(await call(months.loader, county, { url: "/months", user: "reviewer" }))).months as any[];
const rowOf = async (month: string) => (await list()).find((m) => m.month === month);
const detail = async (month: string) =>
  bodyOf(await call(monthPage.loader, county, { url: `/months/${month}`, user: "reviewer", params: { month } }));

const closesOf = (month: string) => db().selectFrom("month_closes").selectAll().where("month", "=", month).orderBy("id").execute();
const monthAudits = (month: string) =>
  db().selectFrom("audit_events").selectAll().where("entity_type", "=", "month").where("entity_id", "=", month).orderBy("id").execute();
const waitingIn = (month: string) =>
  db().selectFrom("items").select(["id", "version"]).where("report_month", "=", month).where("status", "=", "submitted").orderBy("id").execute();

async function flashOf(response: Response) {
  const cookie = (response.headers.get("Set-Cookie") ?? "").split(";")[0];
  return (await readFlash(new Request("http://localhost/", { headers: { Cookie: cookie } })))?.message;
}

describe("access", () => {
  const pages = [
    ["/months", months.loader, {}],
    ["/months/2026-09", monthPage.loader, { month: "2026-09" }],
  ] as const;
  for (const [url, loader, params] of pages) {
    it(`${url}: reviewer only; anonymous to the login page`, () =>
      expectPageOnlyFor(loader, county, { url, params, allowed: "reviewer", refused: ["admin", "leadA", "correspondentA"] }));
  }

  it("refuses closing and reopening to other roles, writing nothing", async () => {
    const before = await db().selectFrom("month_closes").selectAll().execute();
    for (const user of ["admin", "leadA", "correspondentA"] as const) {
      expect((await post({ intent: "close", month: "2026-10" }, user)).status).toBe(403);
      expect((await post({ intent: "reopen", month: "2026-09", reason: "试试" }, user)).status).toBe(403);
    }
    const anonymous = await call(months.action, county, { url: "/months", body: { intent: "reopen", month: "2026-09", reason: "x" } });
    expect(anonymous.status).toBe(302);
    expect(await db().selectFrom("month_closes").selectAll().execute()).toEqual(before);
  });

  it("answers a month that is not a month with 404", async () => {
    expect((await call(monthPage.loader, county, { url: "/months/2026-13", user: "reviewer", params: { month: "2026-13" } })).status).toBe(404);
  });
});

describe("GET /months", () => {
  it("lists the months with items and the current month, newest first, with their state", async () => {
    const rows = await list();
    expect(rows.map((r) => r.month)).toEqual(["2026-11", "2026-10", ...[...closedMonths].reverse()]);
    expect(rows[0]).toMatchObject({ current: true, state: "open", timingProblem: "2026年11月尚未结束，2026年12月1日起才能结算" });
    expect(rows[1]).toMatchObject({ current: false, state: "open", timingProblem: null, closeCount: 0 });
    expect(rows[1].waiting).toBe((await waitingIn("2026-10")).length);
    expect(rows[1].waiting).toBeGreaterThan(0);
    // The month's own page says how many wait, and sends a count, not the items (a province's open month has tens of thousands).
    const open = await detail("2026-10");
    expect(open.waiting).toBe(rows[1].waiting);
    const html = (await renderPage(monthPage.default, open)).replace(/<!-- -->/g, "").replace(/<[^>]+>/g, "");
    expect(html).toContain(`该月还有 ${rows[1].waiting} 篇稿件待审核，审核完毕后才能结算。`);
    expect(rows[2]).toMatchObject({
      month: "2026-09", state: "closed", closedBy: reviewer.displayName, waiting: 0, closeCount: 1,
      pointsVersion: { effectiveMonth: "2000-01", name: "初始版本" }, quotaVersion: { effectiveMonth: "2000-01", name: "初始版本" },
    });
    expect(rows[2].closedAt).toBe("2026-10-05T02:00:00.000Z");
    const adopted = await db()
      .selectFrom("month_unit_snapshots as s")
      .innerJoin("month_closes as c", "c.id", "s.close_id")
      .select((eb) => eb.fn.sum<number>("s.adopted").as("n"))
      .where("c.month", "=", "2026-09")
      .executeTakeFirstOrThrow();
    expect(rows[2].adopted).toBe(Number(adopted.n));
    expect(rows[2].adopted).toBeGreaterThan(0);
  });

  it("counts the waiting items in 篇 in every row, none waiting too, as the adopted ones beside them", async () => {
    const html = await renderPage(months.default, await bodyOf(await call(months.loader, county, { url: "/months", user: "reviewer" })));
    const waiting = [...html.matchAll(/<td data-label="待审核" class="num">(.*?)<\/td>/g)].map((m) => m[1].replace(/<[^>]+>/g, ""));
    expect(waiting.length).toBe((await list()).length);
    expect(waiting).toContain("0 篇");
    for (const cell of waiting) expect(cell).toMatch(/^\d+ 篇$/);
  });
});

describe("closing and reopening a month", () => {
  it("refuses to close a month while its items wait for review, listing them (409), writing nothing", async () => {
    const waiting = await waitingIn("2026-10");
    const res = await post({ intent: "close", month: "2026-10" });
    expect(res.status).toBe(409);
    const body = await bodyOf(res);
    expect(body.formError).toBe(`2026年10月还有 ${waiting.length} 篇稿件待审核，审核完毕后才能结算。`);
    expect(body.waiting.map((w: { id: number }) => w.id).sort((a: number, b: number) => a - b)).toEqual(waiting.map((w) => w.id));
    expect(body.waiting[0]).toEqual({ id: expect.any(Number), title: expect.any(String), unit_name: expect.any(String) });
    expect(body.values).toMatchObject({ intent: "close", month: "2026-10" });
    expect(await closesOf("2026-10")).toEqual([]);
    expect(await monthAudits("2026-10")).toEqual([]);
  });

  it("refuses to close the month that is still running, and a bad month", async () => {
    const running = await post({ intent: "close", month: "2026-11" });
    expect(running.status).toBe(409);
    expect((await bodyOf(running)).formError).toBe("2026年11月尚未结束，2026年12月1日起才能结算");
    const bad = await post({ intent: "close", month: "2026-1" });
    expect(bad.status).toBe(400);
    expect((await bodyOf(bad)).fieldErrors.month).toBe("月份格式不正确，请刷新页面后重试");
    expect(await closesOf("2026-11")).toEqual([]);
  });

  it("closes the month once its items are decided, audited, with a flash", async () => {
    const waiting = await waitingIn("2026-10");
    for (const [i, w] of waiting.entries()) {
      const r = await transitionItem(db(), {
        itemId: w.id, actor: reviewer, expectedVersion: w.version,
        ...(i % 3 === 2 ? { action: "reject", reason: "内容与本县无关" } : { action: "adopt", grade: "good" }),
      });
      expect(r.ok).toBe(true);
    }
    const res = await post({ intent: "close", month: "2026-10" });
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe("/months");
    expect(await flashOf(res)).toBe("已结算 2026年10月");
    const [close] = await closesOf("2026-10");
    expect(close).toMatchObject({ closed_by: reviewer.id, reopened_at: null, closed_at: DEMO_NOW.toISOString() });
    const audits = await monthAudits("2026-10");
    expect(audits.map((a) => [a.action, a.actor_id, a.from_state, a.to_state])).toEqual([["month_closed", reviewer.id, "open", "closed"]]);
    expect(await rowOf("2026-10")).toMatchObject({ state: "closed", waiting: 0, closedBy: reviewer.displayName, pointsVersion: { name: "初始版本" } });

    const again = await post({ intent: "close", month: "2026-10" });
    expect(again.status).toBe(409);
    expect((await bodyOf(again)).formError).toBe("2026年10月已经结算。");
  });

  it("reopens only with a reason; the reason is audited", async () => {
    const noReason = await post({ intent: "reopen", month: "2026-10", reason: "  " });
    await expectFieldErrors(noReason, { reason: "请填写重新打开的理由" });
    expect((await closesOf("2026-10"))[0].reopened_at).toBeNull();
    expect(await monthAudits("2026-10")).toHaveLength(1);

    const notClosed = await post({ intent: "reopen", month: "2026-11", reason: "误操作" });
    expect(notClosed.status).toBe(409);
    expect((await bodyOf(notClosed)).formError).toBe("2026年11月尚未结算。");

    const res = await post({ intent: "reopen", month: "2026-10", reason: "更正撤稿积分" });
    expect(res.status).toBe(302);
    expect(await flashOf(res)).toBe("已重新打开 2026年10月，核对后请再次结算");
    expect((await closesOf("2026-10"))[0]).toMatchObject({ reopened_by: reviewer.id, reopen_reason: "更正撤稿积分" });
    const audits = await monthAudits("2026-10");
    expect(audits.at(-1)).toMatchObject({ action: "month_reopened", actor_id: reviewer.id, reason: "更正撤稿积分", from_state: "closed", to_state: "open" });
    expect(await rowOf("2026-10")).toMatchObject({ state: "open", reopenedBy: reviewer.displayName, reopenReason: "更正撤稿积分", closeCount: 1 });
  });

  it("re-closing shows what changed against the previous close", async () => {
    const item = await db()
      .selectFrom("items")
      .innerJoin("units", "units.id", "items.unit_id")
      .select(["items.id", "items.version", "items.unit_id", "units.name"])
      .where("report_month", "=", "2026-10")
      .where("status", "=", "adopted")
      .orderBy("items.id")
      .executeTakeFirstOrThrow();
    const before = await db()
      .selectFrom("month_unit_snapshots")
      .select("adopted")
      .where("close_id", "=", (await closesOf("2026-10"))[0].id)
      .where("unit_id", "=", item.unit_id)
      .executeTakeFirstOrThrow();
    const taken = await transitionItem(db(), { itemId: item.id, action: "withdraw", actor: reviewer, reason: "内容有误", revokePoints: true, expectedVersion: item.version });
    expect(taken.ok).toBe(true);

    const res = await post({ intent: "close", month: "2026-10" });
    expect(res.status).toBe(302);
    expect(await flashOf(res)).toMatch(/^已结算 2026年10月，与上次结算相比有 \d+ 处变化$/);
    expect(await monthAudits("2026-10").then((a) => a.map((x) => x.action))).toEqual(["month_closed", "month_reopened", "month_closed"]);

    const page = await detail("2026-10");
    expect(page.state).toBe("closed");
    expect(page.closes).toHaveLength(2);
    expect(page.closes[0]).toMatchObject({ inForce: true, reopenedAt: null, closedBy: reviewer.displayName, pointsName: "初始版本", quotaName: "初始版本" });
    expect(page.closes[1]).toMatchObject({ inForce: false, reopenReason: "更正撤稿积分", reopenedBy: reviewer.displayName });
    expect(page.comparison.before.id).toBe(page.closes[1].id);
    expect(page.comparison.after.id).toBe(page.closes[0].id);
    expect(page.comparison.changes).toContainEqual({
      unitId: item.unit_id, name: item.name, field: "采用数", before: String(before.adopted), after: String(before.adopted - 1),
    });
    expect(page.comparison.changes.some((c: { unitId: number; field: string }) => c.unitId === item.unit_id && c.field === "积分")).toBe(true);
    expect(await rowOf("2026-10")).toMatchObject({ state: "closed", closeCount: 2 });
  });

  it("shows a month closed once with its history and nothing to compare", async () => {
    const page = await detail("2026-09");
    expect(page.closes).toHaveLength(1);
    expect(page.closes[0]).toMatchObject({ closedBy: reviewer.displayName, inForce: true, closedAt: "2026-10-05T02:00:00.000Z" });
    expect(page.comparison).toBeNull();
    const never = await detail("2026-11");
    expect(never).toMatchObject({ state: "open", closes: [], comparison: null });
  });
});
