// Month close and 签发 are each confirmed on a page of their own: the page shows what will be
// frozen (or what blocks it), and the POST there does it. The older one-step POSTs are covered
// by tests/routes/months.test.ts and tests/routes/notices.test.ts.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readFlash } from "~/lib/flash.server";
import type { SessionUser } from "~/models/auth.server";
import { transitionItem } from "~/models/item-workflow.server";
import { draftMonthlyNotice, updateNoticeText } from "~/models/notices.server";
import * as closePage from "~/routes/months.$month_.close";
import * as publishPage from "~/routes/notices.$id_.publish";
import { bodyOf, call, type County } from "../support/app";
import { renderAfterPost } from "../support/render-page";
import { closeDemoCounty, openDemoCountyAt } from "../support/demo";

// The demo county on 2026-11-21: months up to 2026-09 are closed, 2026-10 has items waiting.
let county: County;
let reviewer: SessionUser;
beforeAll(async () => {
  ({ county, reviewer } = await openDemoCountyAt(["admin", "reviewer", "leadA", "correspondentA"]));
}, 120_000);
afterAll(() => closeDemoCounty(county));

const db = () => county.dbs.db;
type Who = "admin" | "reviewer" | "leadA" | "correspondentA";
const M = "2026-10";

const viewClose = (month: string, user?: Who) => call(closePage.loader, county, { url: `/months/${month}/close`, user, params: { month } });
const postClose = (month: string, body: Record<string, string> = { intent: "close" }, user: Who = "reviewer") =>
  call(closePage.action, county, { url: `/months/${month}/close`, user, params: { month }, body });
const closesOf = (month: string) => db().selectFrom("month_closes").selectAll().where("month", "=", month).orderBy("id").execute();

async function flashOf(response: Response) {
  const cookie = (response.headers.get("Set-Cookie") ?? "").split(";")[0];
  return (await readFlash(new Request("http://localhost/", { headers: { Cookie: cookie } })))?.message;
}

describe("GET and POST /months/:month/close", () => {
  it("is the reviewer's only; anonymous to the login page; nothing written by others", async () => {
    for (const user of ["admin", "leadA", "correspondentA"] as const) {
      expect((await viewClose(M, user)).status).toBe(403);
      expect((await postClose(M, { intent: "close" }, user)).status).toBe(403);
    }
    const anonymous = await viewClose(M);
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get("Location")).toBe(`/login?${new URLSearchParams({ redirectTo: `/months/${M}/close` })}`);
    expect(await closesOf(M)).toEqual([]);
  });

  it("answers 404 for a month that is not one, or one the desk does not list", async () => {
    expect((await viewClose("2026-13", "reviewer")).status).toBe(404);
    expect((await viewClose("2030-01", "reviewer")).status).toBe(404);
  });

  it("shows what blocks the close: the month's waiting items, by title; a POST is refused 409 and writes nothing", async () => {
    const waiting = await db().selectFrom("items").select("id").where("report_month", "=", M).where("status", "=", "submitted").execute();
    expect(waiting.length).toBeGreaterThan(0);
    const page = (await bodyOf(await viewClose(M, "reviewer"))).preview;
    expect(page).toMatchObject({ month: M, state: "open", waiting: waiting.length, timingProblem: null });
    expect(page.waitingItems.map((w: { id: number }) => w.id).sort()).toEqual(waiting.map((w) => w.id).sort());

    const res = await postClose(M);
    expect(res.status).toBe(409);
    const body = await bodyOf(res);
    expect(body.formError).toContain("待审核");
    expect(body.waiting).toHaveLength(waiting.length);
    expect(await closesOf(M)).toEqual([]);
  });

  it("the current month cannot be closed yet: the page says why, a POST is refused", async () => {
    const page = (await bodyOf(await viewClose("2026-11", "reviewer"))).preview;
    expect(page.timingProblem).toBe("2026年11月尚未结束，2026年12月1日起才能结算");
    expect((await postClose("2026-11")).status).toBe(409);
    expect(await closesOf("2026-11")).toEqual([]);
  });

  it("once nothing waits, shows exactly what the close then freezes, and closes on the confirming POST", async () => {
    const waiting = await db().selectFrom("items").select(["id", "version"]).where("report_month", "=", M).where("status", "=", "submitted").execute();
    for (const w of waiting) {
      const done = await transitionItem(db(), { itemId: w.id, action: "adopt", grade: "good", actor: reviewer, expectedVersion: w.version });
      expect(done.ok).toBe(true);
    }
    const page = (await bodyOf(await viewClose(M, "reviewer"))).preview;
    expect(page).toMatchObject({ state: "open", waiting: 0, waitingItems: [] });
    expect(page.totals.units).toBe(page.units.length);
    expect(page.totals.units).toBeGreaterThan(0);
    expect(page.totals.adopted).toBeGreaterThan(0);

    expect((await postClose(M, {})).status).toBe(400);
    expect(await closesOf(M)).toEqual([]);

    const res = await postClose(M);
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe("/months");
    expect(await flashOf(res)).toBe("已结算 2026年10月");
    const [close] = await closesOf(M);
    const frozen = await db().selectFrom("month_unit_snapshots").select(["unit_id", "adopted", "points"]).where("close_id", "=", close.id).execute();
    // What the page showed is what was frozen, unit by unit.
    expect(frozen.map((f) => [f.unit_id, f.adopted, f.points]).sort((a, b) => a[0] - b[0])).toEqual(
      page.units.map((u: { unitId: number; adopted: number; points: number }) => [u.unitId, u.adopted, u.points]).sort((a: number[], b: number[]) => a[0] - b[0]),
    );
    expect(frozen.reduce((s, f) => s + f.adopted, 0)).toBe(page.totals.adopted);

    // Closed now: the page says so and a second POST is refused.
    expect((await bodyOf(await viewClose(M, "reviewer"))).preview.state).toBe("closed");
    expect((await postClose(M)).status).toBe(409);
    expect(await closesOf(M)).toHaveLength(1);
  });
});

describe("GET and POST /notices/:id/publish", () => {
  let id = 0;
  const view = (query = "", user?: Who) =>
    call(publishPage.loader, county, { url: `/notices/${id}/publish${query}`, user, params: { id: String(id) } });
  const post = (body: Record<string, string>, user: Who = "reviewer") =>
    call(publishPage.action, county, { url: `/notices/${id}/publish`, user, params: { id: String(id) }, body });
  const noticeRow = () => db().selectFrom("notices").selectAll().where("id", "=", id).executeTakeFirstOrThrow();

  beforeAll(async () => {
    // October was closed above; its notice is drafted without a 文号.
    const drafted = await draftMonthlyNotice(db(), { month: M, actor: reviewer });
    if (!drafted.ok) throw new Error(drafted.message);
    id = drafted.id;
  });

  it("is the reviewer's only, and 404 for a missing notice", async () => {
    for (const user of ["admin", "leadA", "correspondentA"] as const) {
      expect((await view("", user)).status).toBe(403);
      expect((await post({ intent: "publish", signer_name: "张局长" }, user)).status).toBe(403);
    }
    expect((await view()).status).toBe(302);
    const missing = await call(publishPage.loader, county, { url: "/notices/999999/publish", user: "reviewer", params: { id: "999999" } });
    expect(missing.status).toBe(404);
    expect((await noticeRow()).status).toBe("draft");
  });

  it("shows the 文号, both lists and the signer; without a 文号 it says why it cannot be signed and a POST is refused", async () => {
    const page = await bodyOf(await view("?signer_name=%20张局长%20", "reviewer"));
    expect(page).toMatchObject({ status: "draft", docNumber: "", signerName: "张局长", problem: "签发前请先填写文号并保存。", href: `/notices/${id}` });
    expect((await bodyOf(await view("", "reviewer"))).signerName).toBe(reviewer.displayName);
    // The lists are the draft's as composed now (at least one unit is named on them).
    expect(page.commended.length + page.criticised.length).toBeGreaterThan(0);

    const res = await post({ intent: "publish", signer_name: "张局长" });
    expect(res.status).toBe(409);
    expect((await bodyOf(res)).formError).toBe("签发前请先填写文号并保存。");
    expect((await noticeRow()).status).toBe("draft");
  });

  it("refuses a missing signer (400) and an unknown intent (400), writing nothing", async () => {
    await updateNoticeText(db(), { id, actor: reviewer, fields: { addressee: "各学校", docNumber: "青教体办〔2026〕30号", opening: "现将情况通报如下。", closing: "" } });
    const noSigner = await post({ intent: "publish", signer_name: "  " });
    expect(noSigner.status).toBe(400);
    expect((await bodyOf(noSigner)).fieldErrors.signer_name).toBe("请填写签发人");
    expect((await post({ intent: "save", signer_name: "张局长" })).status).toBe(400);
    expect((await noticeRow()).status).toBe("draft");
  });

  it("leaves the signer to the server: the form says novalidate, and an empty signer is answered in Chinese at the field", async () => {
    const before = await noticeRow();
    const noSigner = await post({ intent: "publish", signer_name: "" });
    expect(noSigner.status).toBe(400);
    const html = await renderAfterPost(publishPage.default, {
      url: `/notices/${id}/publish`, loaderData: await bodyOf(await view("", "reviewer")), actionData: await bodyOf(noSigner),
    });
    const form = /<form[^>]*aria-label="确认签发"[^>]*>/.exec(html)?.[0];
    expect(form).toContain('method="post"');
    expect(form).toContain("novalidate");
    expect(html).toContain('<span class="error" id="signer_name-error" role="alert">请填写签发人</span>');
    expect(html).toMatch(/<input[^>]*aria-invalid="true"[^>]*id="signer_name"|<input[^>]*id="signer_name"[^>]*aria-invalid="true"/);
    expect(await noticeRow()).toEqual(before);
  });

  it("with a 文号: the page lists what is signed, the confirming POST publishes and goes back to the notice", async () => {
    const page = await bodyOf(await view("", "reviewer"));
    expect(page).toMatchObject({ docNumber: "青教体办〔2026〕30号", problem: null });
    const res = await post({ intent: "publish", signer_name: "张局长" });
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe(`/notices/${id}`);
    expect(await flashOf(res)).toBe("已签发，通报已公开发布");
    const row = await noticeRow();
    expect(row).toMatchObject({ status: "published", signer_name: "张局长", doc_number: "青教体办〔2026〕30号" });
    // The published lists are the ones the page showed.
    const published = JSON.parse(row.data_json);
    const names = (list: Array<{ name: string }>) => list.map((e) => e.name);
    expect(names(published.body.commended)).toEqual(names(page.commended));
    expect(names(published.body.criticised)).toEqual(names(page.criticised));

    expect(await bodyOf(await view("", "reviewer"))).toMatchObject({ status: "published", publishedSigner: "张局长" });
    expect((await post({ intent: "publish", signer_name: "李局长" })).status).toBe(409);
    expect((await noticeRow()).signer_name).toBe("张局长");
  });
});
