// /notices/:id.xlsx: a notice's lists as a workbook for the reviewers. A province's draft page shows
// each kind's first entries; the workbook holds every entry of each list as the draft stands (after
// each adjustment), numbered, with the notice's reasons and who put it there. Nobody but a reviewer
// gets it, draft or signed (a year's summary sends them to its own workbook: tests/routes/notices.test.ts).
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LIST_ENTRIES_SHOWN } from "~/domain/notice-pages";
import { NOTICE_LIST_COLUMNS, PASSED_OVER_SHEET, type ListEntry } from "~/domain/notices";
import { getConfig } from "~/models/env.server";
import { closeMonth } from "~/models/month-close.server";
import { draftMonthlyNotice, getNotice, publishNotice, updateNoticeText } from "~/models/notices.server";
import * as exportRoute from "~/routes/notices.$id.export";
import * as noticePage from "~/routes/notices.$id";
import { bodyOf, call, type County, type UserKey } from "../support/app";
import { EXTRA_UNITS, setupProvince } from "../support/province";
import { renderPage } from "../support/render-page";

let county: County;
let ids: Record<string, number>;
let id = 0;
const reviewer = () => ({ id: county.ids.reviewer, username: "reviewer", displayName: "赵审核" });

beforeAll(async () => {
  ({ county, ids } = await setupProvince());
  const closed = await closeMonth(county.dbs.db, { month: "2026-10", actor: reviewer(), now: new Date("2026-11-05T02:00:00Z") });
  if (!closed.ok) throw new Error(closed.message);
  const notice = await draftMonthlyNotice(county.dbs.db, { month: "2026-10", actor: reviewer() });
  if (!notice.ok) throw new Error("notice");
  id = notice.id;
}, 120_000);
afterAll(async () => county.dbs.dispose());

const lists = (noticeId: number, user?: UserKey, query = "format=xlsx") =>
  call(exportRoute.loader, county, { url: `/notices/${noticeId}/export?${query}`, user, params: { id: String(noticeId) } });

type Row = Record<string, string | number | null>;
async function sheetsOf(res: Response): Promise<Map<string, Row[]>> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(await res.arrayBuffer());
  const out = new Map<string, Row[]>();
  wb.eachSheet((ws) => {
    const headers = (ws.getRow(1).values as unknown[]).slice(1).map(String);
    expect(headers).toEqual(NOTICE_LIST_COLUMNS.map((c) => c.header));
    const rows: Row[] = [];
    ws.eachRow((row, n) => {
      if (n > 1) rows.push(Object.fromEntries(headers.map((h, i) => [h, ((row.values as unknown[]).slice(1)[i] ?? null) as Row[string]])));
    });
    out.set(ws.name, rows);
  });
  return out;
}
/** What the sheet of a list should hold: every entry, in the notice's order. */
const expected = (entries: readonly ListEntry[]) =>
  entries.map((e, i) => ({ 序号: i + 1, 单位代码: e.code, 单位名称: e.name, 类别: e.kindName, 原因: e.reasons.join("；"), 来源: e.adjusted ? "审核员调整" : "按规则" }));
const draftBody = async () => (await getNotice(county.dbs.db, id, { role: "reviewer", unitId: null }))!.doc.body;

describe("a draft's lists as a workbook", () => {
  it("holds every entry of each list, where the page shows each kind's first ones", async () => {
    const res = await lists(id, "reviewer");
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toContain("spreadsheetml");
    expect(res.headers.get("Cache-Control")).toBe("private, no-store");
    expect(res.headers.get("Content-Disposition")).toContain(encodeURIComponent("2026年10月信息报送情况通报名单（草稿）.xlsx"));
    expect(res.headers.get("Content-Disposition")).toContain('filename="notice-2026-10-lists-draft.xlsx"');
    const sheets = await sheetsOf(res);
    const body = await draftBody();
    // Every unit of the province had too few items: all of them criticised, none commended.
    expect(body.criticised).toHaveLength(EXTRA_UNITS + 2);
    expect(sheets.get("通报批评")).toEqual(expected(body.criticised));
    expect(sheets.get("表扬")).toEqual([{ 序号: null, 单位代码: null, 单位名称: "（无）", 类别: null, 原因: null, 来源: null }]);
    expect([...sheets.keys()]).toEqual(body.passedOver.length > 0 ? ["表扬", "通报批评", PASSED_OVER_SHEET] : ["表扬", "通报批评"]);
    // The page itself carries each kind's first entries and a link to this workbook.
    const page = await bodyOf(await call(noticePage.loader, county, { url: `/notices/${id}`, user: "reviewer", params: { id: String(id) } }));
    expect(page.notice.doc.body.criticised.length).toBeLessThanOrEqual(2 * LIST_ENTRIES_SHOWN);
    const html = await renderPage(noticePage.default, page);
    expect(html).toMatch(new RegExp(`href="/notices/${id}\\.xlsx" download="">下载名单（Excel）`));
  });

  it("follows the reviewer's adjustments: a unit moved to 表扬 is there with the reason given, and off 通报批评", async () => {
    const adjust = (body: Record<string, string>) =>
      call(noticePage.action, county, { url: `/notices/${id}`, user: "reviewer", params: { id: String(id) }, body: { intent: "adjust", unit_by: "text", ...body } });
    expect((await adjust({ list: "criticised", action: "remove", unit_id: "P0007", reason: "已补报" })).status).toBe(302);
    expect((await adjust({ list: "commended", action: "add", unit_id: "P0007", reason: "专题报道突出" })).status).toBe(302);
    const sheets = await sheetsOf(await lists(id, "reviewer"));
    const body = await draftBody();
    expect(sheets.get("表扬")).toEqual(expected(body.commended));
    expect(sheets.get("表扬")).toEqual([expect.objectContaining({ 序号: 1, 单位代码: "P0007", 单位名称: "第7号学校", 原因: expect.stringContaining("专题报道突出"), 来源: "审核员调整" })]);
    expect(sheets.get("通报批评")).toHaveLength(EXTRA_UNITS + 1);
    expect(sheets.get("通报批评")!.some((r) => r.单位代码 === "P0007")).toBe(false);
    expect(sheets.get("通报批评")).toEqual(expected(body.criticised));
    expect(ids.P0007).toBe(body.commended[0].unitId);
  });

  it("is the reviewers' alone, draft or signed", async () => {
    const anonymous = await lists(id);
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get("Location")).toMatch(/^\/login/);
    for (const user of ["leadA", "admin"] as const) expect((await lists(id, user)).status).toBe(403);
    expect((await lists(999999, "reviewer")).status).toBe(404);
    expect((await lists(id, "reviewer", "format=pdf")).status).toBe(400);
    // No Word file for a draft, for anybody.
    expect((await lists(id, "reviewer", "format=docx")).status).toBe(404);

    await updateNoticeText(county.dbs.db, { id, actor: reviewer(), fields: { addressee: "各学校", docNumber: "X教体办〔2026〕9号", opening: "通报如下。", closing: "" } });
    const signed = await publishNotice(county.dbs.db, { id, actor: reviewer(), signerName: "赵审核", dataDir: getConfig().dataDir });
    if (!signed.ok) throw new Error(signed.message);
    const res = await lists(id, "reviewer");
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Disposition")).toContain(encodeURIComponent("2026年10月信息报送情况通报名单（X教体办〔2026〕9号）.xlsx"));
    expect((await sheetsOf(res)).get("通报批评")).toHaveLength(EXTRA_UNITS + 1);
    for (const user of [undefined, "leadA", "admin"] as const) expect((await lists(id, user)).status).not.toBe(200);
    // The public page of the signed notice offers its Word file, not the lists.
    const html = await renderPage(noticePage.default, await bodyOf(await call(noticePage.loader, county, { url: `/notices/${id}`, params: { id: String(id) } })));
    expect(html).toContain(`href="/notices/${id}.docx"`);
    expect(html).not.toContain(".xlsx");
  });

});
