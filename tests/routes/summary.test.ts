// The year-end summary. The demo county's 2025 summary was published when it was seeded: it is
// public, its numbers are the year's, and its Excel table reads back with the page's totals. A
// small county goes through the whole life of one: preview, draft, adjust, publish, frozen.
import { createHash } from "node:crypto";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { DEFAULT_POINTS_RULES } from "~/domain/catalog";
import { attachedTables, noticeOutline, type AnnualBody } from "~/domain/notices";
import { rebuildAllRollups } from "~/models/rollup.server";
import { transitionItem } from "~/models/item-workflow.server";
import { closeMonth, reopenMonth } from "~/models/month-close.server";
import { yearRankings } from "~/models/rankings.server";
import { createPointsVersion } from "~/models/rules-admin.server";
import type { SessionUser } from "~/models/auth.server";
import { summaryWorkbookOf } from "~/lib/notice-export.server";
import { annualSummaryDocument } from "~/models/notices.server";
import * as exportRoute from "~/routes/summary.$year.export";
import * as summaryPage from "~/routes/summary.$year";
import { bodyOf, call, setupCounty, type County, type UserKey } from "../support/app";
import { DEMO_NOW, setupDemoCounty } from "../support/demo";
import { insertItem } from "../support/item-fixtures";

type Who = UserKey | "anonymous";
const as = (who: Who) => (who === "anonymous" ? undefined : who);

function routes(county: () => County) {
  return {
    page: (year: string, who: Who = "anonymous") =>
      call(summaryPage.loader, county(), { url: `/summary/${year}`, user: as(who), params: { year } }),
    post: (year: string, body: Record<string, string>, who: Who = "reviewer") =>
      call(summaryPage.action, county(), { url: `/summary/${year}`, user: as(who), body, params: { year } }),
    file: (year: string, format: string, who: Who = "anonymous") =>
      call(exportRoute.loader, county(), { url: `/summary/${year}/export?format=${format}`, user: as(who), params: { year } }),
  };
}

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

interface SheetRow {
  [header: string]: string | number | null;
}

/** Each sheet of a workbook as rows keyed by the header row. */
async function readWorkbook(response: Response): Promise<Map<string, { headers: string[]; rows: SheetRow[] }>> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(await response.arrayBuffer());
  const out = new Map<string, { headers: string[]; rows: SheetRow[] }>();
  wb.eachSheet((ws) => {
    const headers = (ws.getRow(1).values as Array<string | undefined>).slice(1).map(String);
    const rows: SheetRow[] = [];
    ws.eachRow((row, n) => {
      if (n === 1) return;
      const values = (row.values as Array<string | number | null | undefined>).slice(1);
      rows.push(Object.fromEntries(headers.map((h, i) => [h, values[i] ?? null])));
    });
    out.set(ws.name, { headers, rows });
  });
  return out;
}

beforeAll(() => {
  vi.useFakeTimers({ toFake: ["Date"], now: DEMO_NOW });
});
afterAll(() => {
  vi.useRealTimers();
});

/**
 * Each unit's 约稿 [按时完成, 逾期, 未报送, 婉拒] over `months`, added up here: a month closed (a close
 * in force) from its snapshot rows, an open month from the live rollup, as the month's points are.
 */
async function recountRequests(county: County, months: readonly string[]): Promise<Map<number, [number, number, number, number]>> {
  const closed = await county.dbs.db
    .selectFrom("month_unit_snapshots as s")
    .innerJoin("month_closes as c", "c.id", "s.close_id")
    .select(["c.month", "s.unit_id", "s.requests_fulfilled", "s.requests_late", "s.requests_missed", "s.requests_declined"])
    .where("c.month", "in", [...months])
    .where("c.reopened_at", "is", null)
    .execute();
  const closedMonths = new Set(closed.map((x) => x.month));
  const open = months.filter((m) => !closedMonths.has(m));
  const live = open.length === 0 ? [] : await county.dbs.db
    .selectFrom("unit_month_stats")
    .select(["unit_id", "requests_fulfilled", "requests_late", "requests_missed", "requests_declined"])
    .where("month", "in", open)
    .execute();
  const recount = new Map<number, [number, number, number, number]>();
  for (const x of [...closed, ...live]) {
    const t = recount.get(x.unit_id) ?? [0, 0, 0, 0];
    recount.set(x.unit_id, [t[0] + x.requests_fulfilled, t[1] + x.requests_late, t[2] + x.requests_missed, t[3] + x.requests_declined]);
  }
  return recount;
}

describe("the demo county's 2025 summary", () => {
  let county: County;
  const r = routes(() => county);
  beforeAll(async () => {
    ({ county } = await setupDemoCounty());
  }, 120_000);
  afterAll(async () => county.dbs.dispose());

  it("is public, and school roles and the admin read it too", async () => {
    for (const who of ["anonymous", "correspondentA", "leadA", "admin", "reviewer"] as const) {
      expect((await r.page("2025", who)).status, who).toBe(200);
    }
    const { page, manage } = await bodyOf(await r.page("2025"));
    expect(manage).toBe(false);
    expect(page.state).toBe("notice");
    expect(page.notice).toMatchObject({ kind: "annual", period: "2025", status: "published" });
    expect(page.notice.doc.header).toMatchObject({ docNumber: "临教体办〔2026〕2号", title: "关于2025年度全县教育信息报送工作情况的通报" });
    expect(page.notice.doc.body.months).toEqual(["2025-10", "2025-11", "2025-12"]);
  });

  it("carries the year's numbers: units × months, totals, ranks and months met / short / 不报", async () => {
    const { page } = await bodyOf(await r.page("2025"));
    const body = page.notice.doc.body;
    const year = await yearRankings(county.dbs.db, "2025", DEMO_NOW);
    expect(body.tables.map((t: { kind: string }) => t.kind)).toEqual(year.kinds.map((k) => k.code));
    for (const kind of year.kinds) {
      const table = body.tables.find((t: { kind: string }) => t.kind === kind.code);
      for (const u of kind.rows) {
        const row = table.rows.find((x: { unitId: number }) => x.unitId === u.unitId);
        expect(row).toMatchObject({
          adopted: u.adopted, points: u.points, rank: u.rank, tied: u.tied, met: u.months!.met, short: u.months!.short, none: u.months!.none,
        });
        const counted = row.months.filter((m: unknown) => m !== null);
        expect(counted).toHaveLength(3);
        expect(counted.reduce((s: number, m: { adopted: number }) => s + m.adopted, 0)).toBe(u.adopted);
        expect(Math.round(counted.reduce((s: number, m: { points: number }) => s + m.points * 100, 0))).toBe(Math.round(u.points * 100));
      }
    }
    expect(body.correspondents.map((p: { accountId: number; points: number }) => [p.accountId, p.points])).toEqual(
      year.correspondents.map((p) => [p.accountId, p.points]),
    );
    expect(body.outstanding.length).toBeGreaterThan(0);
  });

  it("downloads as Excel with the page's totals, numbers as numbers", async () => {
    const { page } = await bodyOf(await r.page("2025"));
    const body = page.notice.doc.body;
    const res = await r.file("2025", "xlsx");
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toBe("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    const book = await readWorkbook(res);
    expect([...book.keys()]).toEqual([...body.tables.map((t: { kindName: string }) => t.kindName), "信息员", "分频道统计"]);
    for (const table of body.tables) {
      const sheet = book.get(table.kindName)!;
      expect(sheet.headers.slice(0, 6)).toEqual(["名次", "并列", "单位代码", "单位", "1月采用", "1月积分"]);
      expect(sheet.headers).toContain("采用合计");
      expect(sheet.rows).toHaveLength(table.rows.length);
      for (const [i, row] of table.rows.entries()) {
        const x = sheet.rows[i];
        expect(x["单位代码"]).toBe(row.code);
        expect(x["名次"]).toBe(row.rank);
        expect(x["采用合计"]).toBe(row.adopted);
        expect(x["积分合计"]).toBe(row.points);
        expect(x["不报月数"]).toBe(row.none);
        expect(x["1月采用"]).toBeNull();
        expect(typeof x["12月积分"]).toBe("number");
        const months = Array.from({ length: 12 }, (_, m) => Number(x[`${m + 1}月采用`] ?? 0));
        expect(months.reduce((a, b) => a + b, 0)).toBe(row.adopted);
        // Per channel: the year's 报送 and 采用 add up to the unit's totals.
        expect(Number(x["教育信息网报送"]) + Number(x["教育网报送"]), row.code).toBe(row.submitted);
        expect(Number(x["教育信息网采用"]) + Number(x["教育网采用"]), row.code).toBe(row.adopted);
      }
      const total = (f: string) => sheet.rows.reduce((s, x) => s + Number(x[f]), 0);
      expect(total("采用合计")).toBe(table.rows.reduce((s: number, x: { adopted: number }) => s + x.adopted, 0));
    }
    // The channels month by month, and the year's total row equal to the summary's totals.
    const channels = book.get("分频道统计")!;
    expect(channels.headers).toEqual(["月份", "教育信息网报送", "教育信息网采用", "教育网报送", "教育网采用"]);
    expect(channels.rows).toHaveLength(body.months.length + 1);
    const yearRow = channels.rows.at(-1)!;
    expect(yearRow["月份"]).toBe("全年合计");
    expect(Number(yearRow["教育信息网报送"]) + Number(yearRow["教育网报送"])).toBe(body.figures.submitted);
    expect(Number(yearRow["教育信息网采用"]) + Number(yearRow["教育网采用"])).toBe(body.figures.adopted);
    const people = book.get("信息员")!;
    expect(people.rows).toHaveLength(body.correspondents.length);
    expect(people.rows.map((x) => x["积分合计（按署名分摊）"])).toEqual(body.correspondents.map((p: { points: number }) => p.points));
    expect(people.rows.filter((x) => x["优秀信息员"] === "是")).toHaveLength(body.outstanding.length);
  });

  it("counts the year's 约稿 per unit — page, attached table, sentence and Excel — as a recount of the months' snapshots", async () => {
    const { page } = await bodyOf(await r.page("2025"));
    const body = page.notice.doc.body as AnnualBody;
    const recount = await recountRequests(county, body.months);
    const county4 = [...recount.values()].reduce<number[]>((a, t) => a.map((v, i) => v + t[i]), [0, 0, 0, 0]);
    // The demo county has every outcome in these months, so the comparison below means something.
    expect(county4.every((v) => v > 0), String(county4)).toBe(true);

    const rows = body.tables.flatMap((t) => t.rows);
    for (const row of rows) {
      const [fulfilled, late, missed, declined] = recount.get(row.unitId) ?? [0, 0, 0, 0];
      expect(row.requests, row.code).toEqual({ fulfilled, late, missed, declined });
    }
    const [a, b, c, d] = county4;
    expect(body.figures.requests).toEqual({ fulfilled: a, late: b, missed: c, declined: d, pieces: a + b + c + d });
    const texts = noticeOutline(page.notice.doc).map((x) => ("text" in x ? x.text : ""));
    expect(texts).toContain(`全年约稿 ${a + b + c + d} 篇次：按时完成 ${a}、逾期 ${b}、未报送 ${c}、婉拒 ${d}。`);

    // The page's attached tables (the Word document's too): one column "按时/逾期/未报送/婉拒".
    for (const [i, table] of attachedTables(body).filter((t) => t.title.endsWith("汇总表")).entries()) {
      const col = table.columns.findIndex((x) => x.header === "约稿\n按时/逾期/\n未报送/婉拒");
      expect(col).toBeGreaterThan(0);
      for (const [j, cells] of table.rows.entries()) {
        const unitId = body.tables[i].rows[j].unitId;
        expect(cells.unitId).toBe(unitId);
        expect(cells.cells[col]).toBe((recount.get(unitId) ?? [0, 0, 0, 0]).join("/"));
      }
    }

    // The Excel table: four columns per unit sheet, numbers as numbers.
    const book = await readWorkbook(await r.file("2025", "xlsx"));
    let checked = 0;
    for (const table of body.tables) {
      const sheet = book.get(table.kindName)!;
      for (const x of sheet.rows) {
        const unit = table.rows.find((u) => u.code === x["单位代码"])!;
        const [fulfilled, late, missed, declined] = recount.get(unit.unitId) ?? [0, 0, 0, 0];
        expect([x["约稿按时完成"], x["约稿逾期"], x["约稿未报送"], x["约稿婉拒"]], unit.code).toEqual([fulfilled, late, missed, declined]);
        checked++;
      }
    }
    expect(checked).toBe(rows.length);
  });

  it("a preview of the year under way counts the 约稿 of its open months too, as their points already do", async () => {
    const preview = await bodyOf(await r.page("2026", "reviewer"));
    const body = preview.page.doc.body as AnnualBody;
    const closes = await county.dbs.db.selectFrom("month_closes").select("month").where("reopened_at", "is", null).execute();
    const open = body.months.filter((m) => !closes.some((c) => c.month === m));
    // The demo county settles 约稿 in its open months, so leaving them out would show here.
    const openOnly = await recountRequests(county, open);
    expect([...openOnly.values()].some((t) => t.some((v) => v > 0)), open.join()).toBe(true);
    const recount = await recountRequests(county, body.months);
    for (const row of body.tables.flatMap((t) => t.rows)) {
      const [fulfilled, late, missed, declined] = recount.get(row.unitId) ?? [0, 0, 0, 0];
      expect(row.requests, row.code).toEqual({ fulfilled, late, missed, declined });
    }
  });

  it("names, in a preview of the year under way, the units and correspondents its rules name, recomputed here from the year's rows and the bylines", async () => {
    const body = (await bodyOf(await r.page("2026", "reviewer"))).page.doc.body as AnnualBody;
    const rows = body.tables.flatMap((t) => t.rows.map((row) => ({ ...row, kind: t.kind })));
    // 通报批评: 3 or more months of 不报, or the year's adopted items below 60 % of its quotas.
    const criticised = new Set(rows.filter((u) => u.none >= 3 || (u.quota > 0 && u.adopted < 0.6 * u.quota)).map((u) => u.unitId));
    // 表扬: per kind, among units met in 10 months or more and not criticised, the first 3 by rank (ties at the 3rd too).
    const commended = new Set<number>();
    for (const kind of new Set(rows.map((u) => u.kind))) {
      const eligible = rows.filter((u) => u.kind === kind && u.met >= 10 && !criticised.has(u.unitId)).sort((a, b) => a.rank - b.rank);
      if (eligible.length > 0) for (const u of eligible.filter((x) => x.rank <= eligible[Math.min(3, eligible.length) - 1].rank)) commended.add(u.unitId);
    }
    expect(criticised.size, "the demo year criticises someone").toBeGreaterThan(0);
    expect(commended.size, "the demo year commends someone").toBeGreaterThan(0);
    expect(new Set(body.criticised.map((e) => e.unitId))).toEqual(criticised);
    expect(new Set(body.commended.map((e) => e.unitId))).toEqual(commended);
    // 优秀信息员: 12 or more adopted items signed (a shared item counts 1 for each byline), then the
    // first 10 by split points, ties at the 10th too. The demo county only withdraws after a close,
    // keeping the points, so today's items count as the closes froze them.
    const signed = await county.dbs.db
      .selectFrom("item_bylines as b")
      .innerJoin("items as i", "i.id", "b.item_id")
      .select(["b.account_id", (eb) => eb.fn.countAll<number>().as("n")])
      .where("i.report_month", "in", body.months)
      .where((eb) => eb.or([eb("i.status", "=", "adopted"), eb.and([eb("i.status", "=", "withdrawn"), eb("i.points_revoked", "=", 0)])]))
      .groupBy("b.account_id")
      .execute();
    const adoptedBy = new Map(signed.map((x) => [x.account_id, Number(x.n)]));
    for (const p of body.correspondents) expect((p as { adopted?: number }).adopted, p.displayName).toBe(adoptedBy.get(p.accountId) ?? 0);
    const eligible = body.correspondents.filter((p) => (adoptedBy.get(p.accountId) ?? 0) >= 12).sort((a, b) => b.points - a.points);
    const cutoff = eligible[Math.min(10, eligible.length) - 1].points;
    expect(body.outstanding.map((p) => p.accountId).sort()).toEqual(eligible.filter((p) => p.points >= cutoff).map((p) => p.accountId).sort());
  });

  it("builds its Excel file once for all who are not reviewers, until the next write; a reviewer's is built afresh", async () => {
    const db = county.dbs.reader;
    const anonymous = await annualSummaryDocument(db, "2025", { role: null, unitId: null });
    const school = await annualSummaryDocument(db, "2025", { role: "school_lead", unitId: county.units.A });
    // Everyone but a reviewer is given the one shared, frozen document…
    expect(school!.doc).toBe(anonymous!.doc);
    expect(Object.isFrozen(anonymous!.doc)).toBe(true);
    // …so its workbook is built once.
    const first = summaryWorkbookOf(anonymous!.doc, true);
    expect(summaryWorkbookOf(school!.doc, true)).toBe(first);
    const reviewer = await annualSummaryDocument(db, "2025", { role: "reviewer", unitId: null });
    expect(summaryWorkbookOf(reviewer!.doc, true)).not.toBe(first);
    expect((await r.file("2025", "xlsx")).status).toBe(200);
  });

  it("downloads its Word document, the bytes stored when it was signed", async () => {
    const row = await county.dbs.db.selectFrom("notices").selectAll().where("kind", "=", "annual").where("period", "=", "2025").executeTakeFirstOrThrow();
    const res = await r.file("2025", "docx");
    expect(res.status).toBe(200);
    expect(sha256(Buffer.from(await res.arrayBuffer()))).toBe(row.docx_sha256);
  });

  it("refuses to draft a year that has not ended (409); before then only reviewers see a preview", async () => {
    expect((await r.page("2026")).status).toBe(404);
    expect((await r.page("2026", "leadA")).status).toBe(404);
    expect((await r.file("2026", "xlsx")).status).toBe(404);
    const preview = await bodyOf(await r.page("2026", "reviewer"));
    expect(preview.page).toMatchObject({ state: "preview", problem: "2026年尚未结束，年度汇总须在次年起草。" });
    const res = await r.post("2026", { intent: "draft" });
    expect(res.status).toBe(409);
    expect((await bodyOf(res)).formError).toBe("2026年尚未结束，年度汇总须在次年起草。");
    const again = await r.post("2025", { intent: "draft" });
    expect(again.status).toBe(409);
    expect((await bodyOf(again)).formError).toBe("2025年度汇总已经签发（临教体办〔2026〕2号）。每年只发一期。");
  });

  it("answers a year without data or a malformed year with 404", async () => {
    expect((await r.page("2019", "reviewer")).status).toBe(404);
    expect((await r.page("20x5", "reviewer")).status).toBe(404);
    expect((await r.file("2025", "pdf")).status).toBe(400);
  });
});

describe("a year's summary from preview to published (a small county)", () => {
  let county: County;
  const r = routes(() => county);
  let reviewer: SessionUser;
  beforeAll(async () => {
    county = await setupCounty();
    reviewer = { id: county.ids.reviewer, username: "reviewer", displayName: "赵审核", role: "reviewer", unitId: null, unitName: null, mustChangePassword: false };
    const db = county.dbs.db;
    for (const [month, n] of [["2025-11", 11], ["2025-12", 6]] as const) {
      for (let i = 0; i < n; i++) {
        await insertItem(db, {
          unitId: county.units.A, createdBy: county.ids.correspondentA, status: "adopted", grade: i % 2 ? "good" : "excellent",
          reportMonth: month, firstSubmittedAt: `${month}-10T02:00:00.000Z`, eventDate: `${month}-08`,
        });
      }
      await insertItem(db, {
        unitId: county.units.B, createdBy: county.ids.correspondentB, status: "adopted", grade: "fair",
        reportMonth: month, firstSubmittedAt: `${month}-12T02:00:00.000Z`, eventDate: `${month}-09`,
      });
    }
    await rebuildAllRollups(db);
    for (const month of ["2025-11", "2025-12"]) expect((await closeMonth(db, { month, actor: reviewer, now: DEMO_NOW })).ok).toBe(true);
    // A county two months old: its bureau commends any unit that is not criticised and criticises
    // nobody for completion, so both units start on the commendation list the test adjusts.
    await db
      .insertInto("settings")
      .values([
        { key: "yearCommendMinMonthsMet", value_json: "0", effective_month: "2025-01", updated_at: DEMO_NOW.toISOString() },
        { key: "yearCriticiseBelowCompletion", value_json: "0", effective_month: "2025-01", updated_at: DEMO_NOW.toISOString() },
      ])
      .execute();
  });
  afterAll(async () => county.dbs.dispose());

  let published: { doc: unknown; docx: Buffer; xlsx: Map<string, { headers: string[]; rows: SheetRow[] }> };

  it("previews, then drafts once", async () => {
    const preview = await bodyOf(await r.page("2025", "reviewer"));
    expect(preview.page).toMatchObject({ state: "preview", problem: null });
    expect(preview.page.doc.body.tables.flatMap((t: { rows: unknown[] }) => t.rows)).toHaveLength(2);
    expect((await r.page("2025")).status).toBe(404);
    expect((await r.post("2025", { intent: "draft" }, "leadA")).status).toBe(403);

    const res = await r.post("2025", { intent: "draft" });
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe("/summary/2025");
    const second = await r.post("2025", { intent: "draft" });
    expect(second.status).toBe(409);
    expect((await bodyOf(second)).formError).toBe("2025年度汇总已经起草，请在原草稿上修改。每年只发一期。");

    const draft = await bodyOf(await r.page("2025", "reviewer"));
    expect(draft.page.notice).toMatchObject({ kind: "annual", status: "draft" });
    expect(draft.page.notice.doc.body.commended.map((e: { unitId: number }) => e.unitId).sort()).toEqual([county.units.A, county.units.B].sort());
    for (const who of ["anonymous", "correspondentA", "leadA", "admin"] as const) expect((await r.page("2025", who)).status).toBe(404);
    expect((await r.file("2025", "xlsx")).status).toBe(404);
    expect((await r.file("2025", "xlsx", "reviewer")).status).toBe(200);
    expect((await r.file("2025", "docx", "reviewer")).status).toBe(404);
  });

  it("is adjusted with a reason and published only with a 文号", async () => {
    const missing = await r.post("2025", { intent: "adjust", list: "commended", action: "remove", unit_id: String(county.units.B), reason: "" });
    expect(missing.status).toBe(400);
    expect((await bodyOf(missing)).fieldErrors.reason).toBe("请填写理由");
    const removed = await r.post("2025", { intent: "adjust", list: "commended", action: "remove", unit_id: String(county.units.B), reason: "全年仅报送 2 篇" });
    expect(removed.status).toBe(302);

    const noNumber = await r.post("2025", { intent: "publish", signer_name: "王局长" });
    expect(noNumber.status).toBe(409);
    expect((await bodyOf(noNumber)).formError).toBe("签发前请先填写文号并保存。");
    const saved = await r.post("2025", {
      intent: "save", addressee: "各学校", doc_number: "X教体办〔2026〕3号", opening_text: "现将2025年度信息报送工作情况通报如下。", closing_text: "",
    });
    expect(saved.status).toBe(302);
    const res = await r.post("2025", { intent: "publish", signer_name: "王局长" });
    expect(res.status).toBe(302);

    const { page } = await bodyOf(await r.page("2025"));
    expect(page.notice.status).toBe("published");
    expect(page.notice.doc.body.commended.map((e: { unitId: number }) => e.unitId)).toEqual([county.units.A]);
    const docx = Buffer.from(await (await r.file("2025", "docx")).arrayBuffer());
    const xlsx = await readWorkbook(await r.file("2025", "xlsx"));
    published = { doc: page.notice.doc, docx, xlsx };
    const sheet = xlsx.get("乡镇中心校")!;
    expect(sheet.rows[0]).toMatchObject({ 单位代码: "A01", 采用合计: 17, "11月采用": 11, "12月采用": 6, 达标月数: 1, 未达标月数: 1, 年度通报: "表扬" });
  });

  it("stays the same — page, Word document and Excel table — after an item is withdrawn, December re-closed and the rules changed", async () => {
    const db = county.dbs.db;
    const item = await db.selectFrom("items").select(["id", "version"]).where("report_month", "=", "2025-12").where("unit_id", "=", county.units.A).orderBy("id").executeTakeFirstOrThrow();
    expect((await reopenMonth(db, { month: "2025-12", actor: reviewer, reason: "更正" })).ok).toBe(true);
    expect((await transitionItem(db, { itemId: item.id, action: "withdraw", actor: reviewer, reason: "失实", revokePoints: true, expectedVersion: item.version })).ok).toBe(true);
    const rule = await createPointsVersion(
      db, { effectiveMonth: "2025-12", note: "新规则", rules: { ...DEFAULT_POINTS_RULES, quotaMet: 20 } }, { id: reviewer.id, username: "reviewer", ip: "" }, DEMO_NOW,
    );
    expect(rule.ok).toBe(true);
    expect((await closeMonth(db, { month: "2025-12", actor: reviewer, now: DEMO_NOW })).ok).toBe(true);
    // The year itself moved…
    const year = await yearRankings(db, "2025", DEMO_NOW);
    expect(year.kinds[0].rows[0].adopted).toBe(16);

    // …its published summary did not.
    const { page } = await bodyOf(await r.page("2025"));
    expect(page.notice.doc).toEqual(published.doc);
    const docx = Buffer.from(await (await r.file("2025", "docx")).arrayBuffer());
    expect(docx.equals(published.docx)).toBe(true);
    const xlsx = await readWorkbook(await r.file("2025", "xlsx"));
    expect([...xlsx.entries()]).toEqual([...published.xlsx.entries()]);
  });
});
