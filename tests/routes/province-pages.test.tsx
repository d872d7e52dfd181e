// Pages at province scale. The unit filter of every list is a search box, not a drop-down of every
// unit: the pages stay small, the field keeps its name, links by id keep working, a code or name
// finds the unit, and text naming several lists them to choose from. The forms that pick one unit
// to write (a reminder, a quota override) take an exact code or name the same way. The register
// shows one kind and one page of its units.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as audit from "~/routes/admin.audit";
import * as accounts from "~/routes/admin.accounts._index";
import * as rules from "~/routes/admin.rules";
import * as news from "~/routes/news._index";
import * as register from "~/routes/register.$year";
import * as noticePage from "~/routes/notices.$id";
import * as publishPage from "~/routes/notices.$id_.publish";
import { ANNEX_ROWS_SHOWN, LIST_ENTRIES_SHOWN } from "~/domain/notice-pages";
import { UNIT_SELECT_MAX } from "~/domain/unit-pick";
import { getConfig } from "~/models/env.server";
import { closeMonth } from "~/models/month-close.server";
import { draftMonthlyNotice, publishNotice, updateNoticeText } from "~/models/notices.server";
import * as reminders from "~/routes/reminders";
import * as review from "~/routes/review._index";
import * as newRequest from "~/routes/requests.new";
import { bodyOf, call, type County } from "../support/app";
import { EXTRA_UNITS, setupProvince } from "../support/province";
import { renderPage } from "../support/render-page";

let county: County;
let ids: Record<string, number>;
const EXTRA = EXTRA_UNITS;

beforeAll(async () => {
  ({ county, ids } = await setupProvince());
});
afterAll(async () => county.dbs.dispose());

const text = (html: string) => html.replace(/<!-- -->/g, "");
const get = async (route: { loader: unknown }, url: string, user?: "admin" | "reviewer" | "leadA") => {
  const res = await call(route.loader as never, county, { url, user });
  expect(res.status).toBe(200);
  return bodyOf(res);
};

describe("the review queue's unit filter at province scale", () => {
  it("sends no list of units and renders a search box named unit", async () => {
    const body = await get(review, "/review?status=adopted", "reviewer");
    expect(body.unitFilter).toEqual({ mode: "search", chosen: null, text: "", matches: [], matchCount: 0 });
    expect(body.choices.units).toBeUndefined();
    expect(JSON.stringify(body).length).toBeLessThan(30_000);
    const html = await renderPage(review.default, body);
    expect(html).toMatch(/<input[^>]*id="unit"[^>]*name="unit"[^>]*type="search"/);
    expect(html.match(/<option/g)?.length ?? 0).toBeLessThan(60);
  });

  it("finds a unit by code in any case, by id (every link), by whole name, and by a unique part of its name", async () => {
    for (const value of ["P0123", "p0123", String(ids.P0123), "第123号学校", "P0123 第123号学校"]) {
      const body = await get(review, `/review?status=adopted&unit=${encodeURIComponent(value)}`, "reviewer");
      expect(body.filters.unit).toBe(ids.P0123);
      expect(body.rows.map((r: { title: string }) => r.title)).toEqual(["P0123的稿件"]);
      expect(body.unitFilter).toMatchObject({ chosen: { id: ids.P0123, code: "P0123" }, text: "P0123 第123号学校" });
    }
    const html = text(await renderPage(review.default, await get(review, "/review?status=adopted&unit=P0123", "reviewer")));
    expect(html).toContain('value="P0123 第123号学校"');
    expect(html).not.toContain("unit-matches");
  });

  it("lists the units a part of a name matches, each a link to the queue filtered by it, and filters by none", async () => {
    const body = await get(review, `/review?status=adopted&unit=${encodeURIComponent("第12")}&page=2`, "reviewer");
    // 第12, 第120–129 号学校 and 第12x… : every name containing 第12.
    const expected = Object.keys(ids).filter((c) => `第${Number(c.slice(1))}号学校`.includes("第12")).length;
    expect(body.unitFilter).toMatchObject({ mode: "search", chosen: null, text: "第12", matchCount: expected });
    expect(body.unitFilter.matches.length).toBe(Math.min(20, expected));
    expect(body.filters.unit).toBeNull();
    const html = text(await renderPage(review.default, body));
    expect(html).toContain(`名称或代码含“第12”的单位有 ${expected} 个`);
    // Each match keeps the rest of the view (here the page is drawn at "/") and drops the page number.
    expect(html).toContain(`href="/?unit=${ids.P0012}"`);
    const none = text(await renderPage(review.default, await get(review, `/review?unit=${encodeURIComponent("青龙")}`, "reviewer")));
    expect(none).toContain("没有名称或代码含“青龙”的单位，下面的结果未按单位筛选。");
  });
});

describe("the other lists' unit filters at province scale", () => {
  it("the public news list finds a unit by name and never shows a unit's code", async () => {
    const body = await get(news, `/news?unit=${encodeURIComponent("第7号学校")}`);
    expect(body.unitFilter).toMatchObject({ mode: "search", chosen: { id: ids.P0007, name: "第7号学校" }, text: "第7号学校" });
    expect(body.list.rows.map((r: { title: string }) => r.title)).toEqual(["P0007的稿件"]);
    expect(JSON.stringify(body)).not.toContain('"code"');
    expect(JSON.stringify(body).length).toBeLessThan(30_000);
    // The public cannot find a unit by the bureau's internal code.
    expect((await get(news, "/news?unit=P0007")).unitFilter.chosen).toBeNull();
  });

  it("the operations log and the accounts list filter by a typed code and send no unit list", async () => {
    const log = await get(audit, "/admin/audit?unit=P0200", "admin");
    expect(log.unitFilter).toMatchObject({ mode: "search", chosen: { id: ids.P0200 } });
    expect(log.values.unit).toBe(String(ids.P0200));
    expect(JSON.stringify(log).length).toBeLessThan(30_000);
    const list = await get(accounts, "/admin/accounts?unit=B01", "admin");
    expect(list.unitFilter).toMatchObject({ mode: "search", chosen: { id: county.units.B } });
    expect(list.list.rows.length).toBeGreaterThan(0);
    expect(list.list.rows.every((a: { unit_name: string }) => a.unit_name === "县实验小学")).toBe(true);
  });
});

describe("forms that pick one unit to write take a typed code or name", () => {
  const count = async (table: "reminders" | "unit_quota_overrides") =>
    Number((await county.dbs.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n);

  it("the reminder form is a text box, and a code sends the reminder to that unit", async () => {
    const page = await get(reminders, "/reminders", "reviewer");
    expect(page.units).toBeNull();
    const html = await renderPage(reminders.default, page);
    expect(html).toContain('name="unit_by" value="text"');
    const box = html.match(/<input[^>]*name="unit_id"[^>]*>/)?.[0] ?? "";
    expect(box).toContain('type="text"');
    expect(html).not.toMatch(/<select[^>]*name="unit_id"/);
    const res = await call(reminders.action, county, { url: "/reminders", user: "reviewer", body: { unit_by: "text", unit_id: "p0042", reason: "" } });
    expect(res.status).toBe(302);
    const row = await county.dbs.db.selectFrom("reminders").select("unit_id").orderBy("id", "desc").limit(1).executeTakeFirstOrThrow();
    expect(row.unit_id).toBe(ids.P0042);
  });

  it("refuses text naming several units, part of a name, or a bare id, and writes nothing", async () => {
    const before = await count("reminders");
    const cases: Array<[string, string]> = [
      ["第4", "请输入完整的单位代码"],
      ["第42号", "是否要找“P0042 第42号学校”"],
      [String(ids.P0042), "的单位"],
    ];
    for (const [typed, message] of cases) {
      const res = await call(reminders.action, county, { url: "/reminders", user: "reviewer", body: { unit_by: "text", unit_id: typed } });
      expect(res.status).toBe(400);
      const body = await bodyOf(res);
      expect(body.fieldErrors.unit_id).toContain(message);
      expect(body.values.unit_id).toBe(typed);
    }
    expect(await count("reminders")).toBe(before);
    // The drop-down's id still works as before.
    const byId = await call(reminders.action, county, { url: "/reminders", user: "reviewer", body: { unit_id: String(ids.P0043) } });
    expect(byId.status).toBe(302);
    expect(await count("reminders")).toBe(before + 1);
  });

  it("the quota override takes a unit's code, and refuses an unknown one with the field's message", async () => {
    const page = await get(rules, "/admin/rules", "admin");
    expect(page.units).toBeNull();
    const before = await count("unit_quota_overrides");
    const post = (unit: string) =>
      call(rules.action, county, {
        url: "/admin/rules", user: "admin",
        body: { intent: "set_override", unit_by: "text", unit_id: unit, effective_month: "2027-03", quota: "4", reason: "新开办" },
      });
    const unknown = await post("Q9999");
    expect(unknown.status).toBe(400);
    expect((await bodyOf(unknown)).fieldErrors.unit_id).toBe("没有名称或代码含“Q9999”的单位");
    expect(await count("unit_quota_overrides")).toBe(before);
    expect((await post("P0300")).status).toBe(302);
    const row = await county.dbs.db.selectFrom("unit_quota_overrides").select(["unit_id", "quota"]).orderBy("id", "desc").limit(1).executeTakeFirstOrThrow();
    expect(row).toEqual({ unit_id: ids.P0300, quota: 4 });
  });
});

describe("the register at province scale", () => {
  const year = new Date().toISOString().slice(0, 4);
  const load = async (query: string, user: "admin" | "reviewer" = "reviewer") => {
    const res = await call(register.loader, county, { url: `/register/${year}${query}`, user, params: { year } });
    expect(res.status).toBe(200);
    return bodyOf(res);
  };

  it("shows one kind and one page of its units, with the kind's incomplete units linked to their pages", async () => {
    const body = await load("");
    expect(body.shown.paging).toMatchObject({ kind: "township_central", page: 1, pages: Math.ceil((EXTRA + 1) / 50), matches: EXTRA + 1 });
    expect(body.shown.view.kinds).toHaveLength(1);
    expect(body.shown.view.kinds[0].units).toHaveLength(50);
    expect(JSON.stringify(body).length).toBeLessThan(80_000);
    const html = text(await renderPage(register.default, body));
    expect(html).toContain(`共 ${EXTRA + 1} 个单位，第 1 / ${body.shown.paging.pages} 页（每页 50 个）`);
    expect(html).toContain('aria-label="选择单位类别"');
    // Every P unit has nobody; A01's people were entered today, so once the deadline has passed A01 lacked them then.
    const listed = EXTRA + (body.shown.view.deadlinePassed ? 1 : 0);
    expect(html).toContain(`这里列出乡镇中心校中登记不全的 ${listed} 个单位的前 100 个`);
    // P0001 has nobody: its line in the incomplete list leads to its kind's page found by its code.
    expect(html).toContain('href="?kind=township_central&amp;q=P0001#unit-P0001"');
    expect((html.match(/<tr[^>]*id="unit-/g) ?? []).length).toBe(50);
  });

  it("finds a unit by code and goes to another kind", async () => {
    const found = await load("?kind=township_central&q=p0310");
    expect(found.shown.view.kinds[0].units.map((u: { code: string }) => u.code)).toEqual(["P0310"]);
    const district = await load("?kind=district_school", "admin");
    expect(district.shown.view.kinds[0].units.map((u: { code: string }) => u.code)).toEqual(["B01"]);
    expect(district.shown.incomplete).toMatchObject({ kindName: "区直中小学", listed: 1 });
  });
});

describe("a monthly notice at province scale", () => {
  const reviewer = () => ({ id: county.ids.reviewer, username: "reviewer", displayName: "赵审核" });
  let id = 0;
  beforeAll(async () => {
    const closed = await closeMonth(county.dbs.db, { month: "2026-10", actor: reviewer(), now: new Date("2026-11-05T02:00:00Z") });
    if (!closed.ok) throw new Error(closed.message);
    const notice = await draftMonthlyNotice(county.dbs.db, { month: "2026-10", actor: reviewer() });
    if (!notice.ok) throw new Error("notice");
    id = notice.id;
  });
  const open = async (user: "reviewer" | "leadA") => {
    const res = await call(noticePage.loader, county, { url: `/notices/${id}`, user, params: { id: String(id) } });
    expect(res.status).toBe(200);
    return bodyOf(res);
  };

  it("shows each table's first rows with the count and a link to the paged league, and adds a unit by its code", async () => {
    const body = await open("reviewer");
    const totals = body.notice.annexTotals as number[];
    expect(totals.reduce((a, b) => a + b, 0)).toBe(EXTRA + 2);
    const rows = body.notice.doc.body.tables.map((t: { rows: unknown[] }) => t.rows.length);
    expect(rows).toEqual(totals.map((n) => Math.min(n, ANNEX_ROWS_SHOWN)));
    const html = text(await renderPage(noticePage.default, body));
    expect(html.replace(/<[^>]+>/g, "")).toContain(`此表共 ${totals[0]} 个单位，这里列出排在最前的 ${ANNEX_ROWS_SHOWN} 个。逐页查看、查找单位和下载全部单位的 Excel 表格，请到排行榜。`);
    expect(html).toContain('href="/rankings/2026-10"');
    // The list editor takes a typed unit instead of a drop-down of every unit, to add and, from a
    // list of more units than a drop-down carries, to remove.
    // The list itself is cut like the tables: its first entries, its size, and where the rest is.
    expect(body.notice.doc.listsCut.criticised.total).toBe(EXTRA + 2);
    expect(body.notice.doc.listsCut.criticised.total).toBeGreaterThan(UNIT_SELECT_MAX);
    // Each kind's first entries: 50 of the township schools, the one district school.
    expect(body.notice.doc.body.criticised).toHaveLength(LIST_ENTRIES_SHOWN + 1);
    expect(html.replace(/<[^>]+>/g, "")).toContain(`名单共 ${EXTRA + 2} 个单位，这里列出每类前 ${LIST_ENTRIES_SHOWN} 个；完整名单签发前可在页首下载 Excel 核对，签发后的 Word 文件也载有全部单位。`);
    expect(html.replace(/<[^>]+>/g, "")).toContain(`调整通报批评名单（${EXTRA + 2} 个单位）`);
    expect(html.match(/name="unit_by" value="text"/g)?.length).toBe(3);
    expect(html.match(/<option/g)?.length ?? 0).toBeLessThan(60);
    const adjust = (body: Record<string, string>) =>
      call(noticePage.action, county, { url: `/notices/${id}`, user: "reviewer", params: { id: String(id) }, body: { intent: "adjust", ...body } });
    const add = (unit: string) => adjust({ list: "commended", action: "add", unit_by: "text", unit_id: unit, reason: "专题报道突出" });
    const refused = await add("第31");
    expect(refused.status).toBe(400);
    expect((await bodyOf(refused)).fieldErrors.unit_id).toContain("请输入完整的单位代码");
    // Read as the unit, then refused by the notice's own rule: the box gets back what was typed.
    const criticised = await add("p0310");
    expect(criticised.status).toBe(409);
    expect(await bodyOf(criticised)).toMatchObject({ formError: expect.stringContaining("第310号学校在通报批评名单中"), values: { unit_id: "p0310" } });
    expect(await county.dbs.db.selectFrom("notice_adjustments").selectAll().execute()).toEqual([]);
    expect((await adjust({ list: "criticised", action: "remove", unit_by: "text", unit_id: "P0310", reason: "已补报" })).status).toBe(302);
    expect((await add("p0310")).status).toBe(302);
    const adjustment = await county.dbs.db.selectFrom("notice_adjustments").selectAll().orderBy("id", "desc").limit(1).executeTakeFirstOrThrow();
    expect(adjustment).toMatchObject({ notice_id: id, unit_id: ids.P0310, action: "add" });
  });

  it("confirms 签发 with each long list's size and each kind's first entries", async () => {
    const res = await call(publishPage.loader, county, { url: `/notices/${id}/publish`, user: "reviewer", params: { id: String(id) } });
    expect(res.status).toBe(200);
    const page = await bodyOf(res);
    // Every unit less P0310, moved to the commended list above.
    expect(page.listTotals).toEqual({ commended: null, criticised: EXTRA + 1 });
    expect(page.criticised).toHaveLength(LIST_ENTRIES_SHOWN + 1);
    expect(page.listsHref).toBe(`/notices/${id}.xlsx`);
    const html = text(await renderPage(publishPage.default, page)).replace(/<[^>]+>/g, "");
    expect(html).toContain(`名单共 ${EXTRA + 1} 个单位，这里列出每类前 ${LIST_ENTRIES_SHOWN} 个；全部单位可下载 Excel逐个核对，签发后的 Word 文件也载有全部单位。`);
  });

  it("shows a school its own row wherever it ranks, once published", async () => {
    await updateNoticeText(county.dbs.db, {
      id, actor: reviewer(), fields: { addressee: "各学校", docNumber: "X教体办〔2026〕9号", opening: "通报如下。", closing: "" },
    });
    const signed = await publishNotice(county.dbs.db, { id, actor: reviewer(), signerName: "赵审核", dataDir: getConfig().dataDir });
    if (!signed.ok) throw new Error(signed.message);
    const body = await open("leadA");
    const township = body.notice.doc.body.tables.find((t: { rows: Array<{ unitId: number }> }) => t.rows.some((r) => r.unitId === county.units.A));
    expect(township.rows).toHaveLength(ANNEX_ROWS_SHOWN + 1);
    expect(township.rows.at(-1).unitId).toBe(county.units.A);
    const html = text(await renderPage(noticePage.default, body));
    expect(html.replace(/<[^>]+>/g, "")).toContain(`这里列出排在最前的 ${ANNEX_ROWS_SHOWN} 个和本单位。逐页查看、查找单位和下载全部单位的 Excel 表格，请到排行榜；签发的 Word 文件也载有全表。`);
  });
});

describe("a 约稿 to a province's units", () => {
  const inDays = (days: number) => new Date(Date.now() + days * 86_400_000 + 8 * 3_600_000).toISOString().slice(0, 10);
  const create = (body: Record<string, string>) => call(newRequest.action, county, { url: "/requests/new", user: "reviewer", body });
  const requests = async () => (await county.dbs.db.selectFrom("requests").selectAll().execute()).length;

  it("offers each kind whole and a box for codes instead of a checkbox per unit", async () => {
    const page = await get(newRequest, "/requests/new", "reviewer");
    expect(page.typed).toBe(true);
    expect(page.kinds.map((k: { code: string; count: number; units: unknown[] }) => [k.code, k.count, k.units.length])).toEqual([
      ["township_central", EXTRA + 1, 0], ["district_school", 1, 0],
    ]);
    const html = await renderPage(newRequest.default, page);
    expect(html).not.toContain('name="unit_ids"');
    expect(html).toMatch(/<textarea[^>]*name="unit_codes"/);
    expect(text(html)).toContain(`全选本类（${EXTRA + 1} 个单位）`);
  });

  it("sends it to the units typed by code or whole name, and refuses codes it cannot find, writing nothing", async () => {
    const before = await requests();
    const body = (units: string, token: string) => ({ topic: "防溺水", due_date: inDays(5), due_time: "17:00", form_token: token, unit_codes: units });
    const refused = await create(body("P0001, P0002 Q0404、第9999号学校", crypto.randomUUID()));
    expect(refused.status).toBe(400);
    const failure = await bodyOf(refused);
    expect(failure.fieldErrors.unit_codes).toBe("找不到单位代码或名称：Q0404、第9999号学校。请逐个填写完整的单位代码");
    expect(failure.values.unit_codes).toBe("P0001, P0002 Q0404、第9999号学校");
    expect(await requests()).toBe(before);
    const sent = await create(body("p0001\nP0002，第3号学校 B01 P0001", crypto.randomUUID()));
    expect(sent.status).toBe(302);
    const id = Number(/\/requests\/(\d+)/.exec(sent.headers.get("Location") ?? "")?.[1]);
    const units = await county.dbs.db.selectFrom("request_units").select("unit_id").where("request_id", "=", id).execute();
    expect(units.map((u) => u.unit_id).sort((a, b) => a - b)).toEqual([ids.P0001, ids.P0002, ids.P0003, county.units.B].sort((a, b) => a - b));
  });
});
