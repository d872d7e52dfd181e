import { describe, expect, it } from "vitest";
import { adjustSchema, noticeTextSchema } from "~/domain/notice-forms";
import {
  adjustmentProblem,
  annualDraftProblem,
  applyAdjustments,
  attachedTables,
  chineseDate,
  composeAnnualBody,
  composeMonthlyBody,
  docNumberProblem,
  monthFigures,
  publishDocNumberProblem,
  monthsOfYear,
  nextDocNumber,
  normalizeDocNumber,
  noticeOutline,
  paragraphsOf,
  standingOf,
  titleLines,
  type Adjustment,
  type AnnualUnitRow,
  type KindTable,
  type ListEntry,
  type NoticeDocument,
  type NoticeMonthRow,
} from "~/domain/notices";

const KINDS = { t: "乡镇中心校", d: "区直中小学" } as const;

const row = (
  code: string, kind: keyof typeof KINDS, rank: number, status: NoticeMonthRow["status"], adopted: number, quota: number, extra: Partial<NoticeMonthRow> = {},
): NoticeMonthRow => ({
  unitId: Number(code.slice(1)) + (kind === "d" ? 100 : 0), code, name: `${code}学校`, kind, kindName: KINDS[kind], quota, submitted: adopted + 1,
  adopted, late: 0, completion: quota ? adopted / quota : 1, status, points: 10 - rank, rank, tied: false, movement: 0, ...extra,
});

const tables = (rows: NoticeMonthRow[]): Array<KindTable<NoticeMonthRow>> =>
  (["t", "d"] as const).map((k) => ({ kind: k, kindName: KINDS[k], rows: rows.filter((r) => r.kind === k) })).filter((t) => t.rows.length);

const entry = (r: NoticeMonthRow, reasons: string[] = ["规则"]): ListEntry => ({
  unitId: r.unitId, code: r.code, name: r.name, kind: r.kind, kindName: r.kindName, reasons, adjusted: false,
});

const X1 = row("X1", "t", 1, "met", 12, 10);
const X2 = row("X2", "t", 2, "met", 10, 10);
const X3 = row("X3", "t", 3, "short", 4, 10, { late: 2 });
const X4 = row("X4", "t", 4, "none", 0, 10, { submitted: 0 });
const Q1 = row("Q1", "d", 1, "met", 6, 5);
const Q2 = row("Q2", "d", 2, "short", 1, 5);
const ALL = [X1, X2, X3, X4, Q1, Q2];
const UNITS = new Map(ALL.map((r) => [r.unitId, r]));
const ORDER = ["t", "d"];

describe("adjusting the lists", () => {
  const base = { commended: [entry(X1), entry(Q1)], criticised: [entry(X4)] };
  const cases: Array<[string, Adjustment[], { commended: string[]; criticised: string[] }]> = [
    ["没有调整", [], { commended: ["X1", "Q1"], criticised: ["X4"] }],
    ["移出表扬单位", [{ unitId: X1.unitId, list: "commended", action: "remove", reason: "有违规信息" }], { commended: ["Q1"], criticised: ["X4"] }],
    ["移出不在名单的单位：不变", [{ unitId: X2.unitId, list: "commended", action: "remove", reason: "x" }], { commended: ["X1", "Q1"], criticised: ["X4"] }],
    ["增加批评单位，按类别排列", [{ unitId: Q2.unitId, list: "criticised", action: "add", reason: "漏报" }], { commended: ["X1", "Q1"], criticised: ["X4", "Q2"] }],
    ["增加已在名单的单位：不变", [{ unitId: X4.unitId, list: "criticised", action: "add", reason: "x" }], { commended: ["X1", "Q1"], criticised: ["X4"] }],
    [
      "移出后又加回，按记录顺序",
      [
        { unitId: X1.unitId, list: "commended", action: "remove", reason: "误" },
        { unitId: X1.unitId, list: "commended", action: "add", reason: "更正：恢复表扬" },
      ],
      { commended: ["X1", "Q1"], criticised: ["X4"] },
    ],
    ["增加同类别单位排在该类别之后", [{ unitId: X2.unitId, list: "commended", action: "add", reason: "专题报道突出" }], { commended: ["X1", "X2", "Q1"], criticised: ["X4"] }],
    ["批评一个表扬单位：批评优先，移出表扬", [{ unitId: X1.unitId, list: "criticised", action: "add", reason: "报送虚假信息" }], { commended: ["Q1"], criticised: ["X4", "X1"] }],
    ["表扬一个批评单位（旧记录）：仍只批评", [{ unitId: X4.unitId, list: "commended", action: "add", reason: "x" }], { commended: ["X1", "Q1"], criticised: ["X4"] }],
  ];
  it.each(cases)("%s", (_l, adjustments, expected) => {
    const out = applyAdjustments(base, adjustments, UNITS, ORDER);
    expect({ commended: out.commended.map((e) => e.code), criticised: out.criticised.map((e) => e.code) }).toEqual(expected);
  });

  it("names an added unit with the adjustment's reason and marks it adjusted", () => {
    const out = applyAdjustments(base, [{ unitId: Q2.unitId, list: "criticised", action: "add", reason: "连续两月漏报" }], UNITS, ORDER);
    expect(out.criticised.at(-1)).toMatchObject({ name: "Q2学校", kindName: "区直中小学", reasons: ["连续两月漏报"], adjusted: true });
  });

  const problems: Array<[string, Omit<Adjustment, "reason">, string | null]> = [
    ["移出名单中的单位", { unitId: X1.unitId, list: "commended", action: "remove" }, null],
    ["移出不在名单中的单位", { unitId: X2.unitId, list: "commended", action: "remove" }, "X2学校不在表扬名单中，无需移出。"],
    ["增加已在名单的单位", { unitId: X4.unitId, list: "criticised", action: "add" }, "X4学校已在通报批评名单中。"],
    ["增加不在名单的单位", { unitId: X2.unitId, list: "criticised", action: "add" }, null],
    ["表扬一个被批评的单位", { unitId: X4.unitId, list: "commended", action: "add" }, "X4学校在通报批评名单中，同一期通报不能既表扬又批评；如确需表扬，请先将其移出通报批评名单并写明理由。"],
  ];
  it.each(problems)("%s", (_l, a, expected) => {
    expect(adjustmentProblem(base, a, UNITS.get(a.unitId)!.name)).toBe(expected);
  });
});

describe("the monthly notice", () => {
  it("adds up the overall figures and each kind's completion", () => {
    const f = monthFigures(tables(ALL));
    expect(f).toMatchObject({ units: 6, adopted: 33, met: 3, short: 2, none: 1, late: 2 });
    expect(f.submitted).toBe(ALL.reduce((s, r) => s + r.submitted, 0));
    expect(f.byKind.map((k) => [k.kindName, k.units, k.quota, k.adopted, Math.round(k.completion * 1000) / 10])).toEqual([
      ["乡镇中心校", 4, 40, 26, 65],
      ["区直中小学", 2, 10, 7, 70],
    ]);
  });

  const thresholds: Array<[number, number, string[], string[]]> = [
    [3, 0.5, ["X1", "X2", "Q1"], ["X3", "X4", "Q2"]],
    [1, 0.5, ["X1", "Q1"], ["X3", "X4", "Q2"]],
    [3, 0.3, ["X1", "X2", "Q1"], ["X4", "Q2"]],
    [3, 0.1, ["X1", "X2", "Q1"], ["X4"]],
    [0, 0.5, [], ["X3", "X4", "Q2"]],
  ];
  it.each(thresholds)("前 %i 名表扬、完成率低于 %f 批评", (topN, below, commended, criticised) => {
    const body = composeMonthlyBody({
      month: "2026-10", closeId: 7, closedAt: "2026-11-05T02:00:00.000Z", tables: tables(ALL),
      thresholds: { commendTopN: topN, criticiseBelowCompletion: below, criticiseMinLate: 3 }, adjustments: [],
    });
    expect(body.commended.map((e) => e.code)).toEqual(commended);
    expect(body.criticised.map((e) => e.code)).toEqual(criticised);
  });

  it("applies the reviewer's adjustments on top of the rules", () => {
    const body = composeMonthlyBody({
      month: "2026-10", closeId: 7, closedAt: "x", tables: tables(ALL), thresholds: { commendTopN: 3, criticiseBelowCompletion: 0.5, criticiseMinLate: 3 },
      adjustments: [{ unitId: X2.unitId, list: "commended", action: "remove", reason: "稿件质量问题" }],
    });
    expect(body.commended.map((e) => e.code)).toEqual(["X1", "Q1"]);
    expect(body.criticised.find((e) => e.code === "X3")!.reasons).toEqual(["任务完成率 40%，低于 50%"]);
  });

  it("lays the notice out: opening, numbered headings, lists by kind, closing; tables per kind with the page's columns", () => {
    const body = composeMonthlyBody({
      month: "2026-10", closeId: 7, closedAt: "x", tables: tables(ALL), thresholds: { commendTopN: 3, criticiseBelowCompletion: 0.5, criticiseMinLate: 3 }, adjustments: [],
    });
    const doc: NoticeDocument = {
      header: { title: "t", docNumber: "", addressee: "各校", opening: "第一段\n\n  第二段", closing: "要求", issuer: "办公室", signerName: null, publishedAt: null },
      body,
    };
    const blocks = noticeOutline(doc);
    expect(blocks.filter((b) => b.type === "heading").map((b) => (b as { text: string }).text)).toEqual([
      "一、总体情况", "二、表扬单位", "三、通报批评单位", "四、有关要求",
    ]);
    expect(blocks.slice(0, 2)).toEqual([{ type: "paragraph", text: "第一段" }, { type: "paragraph", text: "第二段" }]);
    // The lead-ins say how the lists are made: the commended are the first N of those eligible (a
    // unit above them that is criticised or short leaves its place to the next), the criticised are
    // there for the reasons written after each (a 约稿 left undone, or the reviewer's own, included).
    const texts = blocks.map((b) => ("text" in b ? b.text : ""));
    expect(texts).toContain("以下单位完成月度报送任务、未被通报批评，在本类别中按积分取前 3 名（并列的一同表扬），予以通报表扬：");
    expect(texts).toContain("以下单位因当月不报、任务完成率低于 50%、迟报信息达到 3 篇等原因（见各单位后），予以通报批评：");
    const withRequests = noticeOutline({ ...doc, body: { ...body, thresholds: { ...body.thresholds, requestMissThreshold: 1 } } }).map((b) => ("text" in b ? b.text : ""));
    expect(withRequests).toContain("以下单位因当月不报、任务完成率低于 50%、迟报信息达到 3 篇、约稿未完成达到 1 项等原因（见各单位后），予以通报批评：");
    // A notice published with the first wording keeps it.
    const { leadIns: _, ...before } = body;
    const published = noticeOutline({ ...doc, body: before }).map((b) => ("text" in b ? b.text : ""));
    expect(published).toContain("以下单位完成月度报送任务、未被通报批评，且积分在本类别排名前 3 位，予以通报表扬：");
    expect(published).toContain("以下单位当月不报、任务完成率低于 50% 或迟报信息达到 3 篇，予以通报批评：");
    const criticised = blocks.find((b) => b.type === "entries" && b.list === "criticised");
    expect(criticised).toMatchObject({
      groups: [
        { label: "（一）乡镇中心校（2 个）", entries: [{ name: "X3学校", note: "任务完成率 40%，低于 50%" }, { name: "X4学校", note: "当月不报" }] },
        { label: "（二）区直中小学（1 个）", entries: [{ name: "Q2学校", note: "任务完成率 20%，低于 50%" }] },
      ],
    });
    const annex = attachedTables(body);
    expect(annex.map((t) => t.title)).toEqual(["乡镇中心校2026年10月信息报送情况排名表", "区直中小学2026年10月信息报送情况排名表"]);
    expect(annex[0].columns.map((c) => c.header)).toEqual(["名次", "单位", "任务数", "采用", "完成率", "状态", "积分", "变化"]);
    expect(annex[0].rows[0].cells).toEqual(["1", "X1学校", "10", "12", "120%", "达标", "9", "—"]);
    expect(annex[0].rows[3].cells[5]).toBe("不报");
  });

  it("says so when nobody is commended or criticised, and drops the closing heading with no closing text", () => {
    const body = composeMonthlyBody({
      month: "2026-10", closeId: 7, closedAt: "x", tables: tables([X1]), thresholds: { commendTopN: 0, criticiseBelowCompletion: 0.5, criticiseMinLate: 3 }, adjustments: [],
    });
    const doc: NoticeDocument = {
      header: { title: "t", docNumber: "", addressee: "a", opening: "", closing: " \n", issuer: "i", signerName: null, publishedAt: null },
      body,
    };
    const texts = noticeOutline(doc).map((b) => ("text" in b ? b.text : b.type));
    expect(texts).toContain("本期没有符合表扬条件的单位。");
    expect(texts).toContain("本期没有被通报批评的单位。");
    expect(texts).not.toContain("四、有关要求");
  });

  it("tells a school where it stands", () => {
    const body = composeMonthlyBody({
      month: "2026-10", closeId: 7, closedAt: "x", tables: tables(ALL), thresholds: { commendTopN: 3, criticiseBelowCompletion: 0.5, criticiseMinLate: 3 }, adjustments: [],
    });
    expect(standingOf(body, X4.unitId)).toMatchObject({ commended: null, criticised: { reasons: ["当月不报"] } });
    expect(standingOf(body, X1.unitId)).toMatchObject({ commended: { reasons: ["本类别第 1 名，完成月度任务"] }, criticised: null });
    expect(standingOf(body, 999)).toEqual({ commended: null, criticised: null });
  });
});

describe("the year-end summary", () => {
  const y = (code: string, kind: keyof typeof KINDS, rank: number, points: number, none: number): AnnualUnitRow => ({
    unitId: Number(code.slice(1)), code, name: `${code}学校`, kind, kindName: KINDS[kind],
    months: monthsOfYear("2025").map((m) => (m >= "2025-10" ? { adopted: 3, points: points / 3, status: "met" as const } : null)),
    quota: 30, submitted: 9, adopted: 9, late: 0, points, completion: 0.3, rank, tied: false, met: 3 - none, short: 0, none,
  });
  const rows = [y("X1", "t", 1, 90, 0), y("X2", "t", 2, 60, 3), y("X3", "t", 3, 30, 1)];
  const people = [
    { accountId: 1, displayName: "甲", unitName: "X1学校", active: true, items: 5, adopted: 6, points: 20, rank: 1, tied: false, months: [] },
    { accountId: 2, displayName: "乙", unitName: "X2学校", active: false, items: 2, adopted: 2, points: 8, rank: 2, tied: false, months: [] },
  ];
  it("commends the top units per kind, criticises months of 不报, names outstanding correspondents", () => {
    const body = composeAnnualBody({
      year: "2025", months: ["2025-10", "2025-11", "2025-12"], tables: [{ kind: "t", kindName: "乡镇中心校", rows }], correspondents: people,
      thresholds: { yearCommendMinMonthsMet: 0, yearCommendTopN: 2, yearCorrespondentTopN: 1, yearCorrespondentMinAdopted: 0, yearCriticiseNoneMonths: 3, yearCriticiseBelowCompletion: 0.2 }, adjustments: [],
    });
    // X2 is criticised (3 months of 不报), so criticism wins and X3 takes the second place.
    expect(body.commended.map((e) => e.code)).toEqual(["X1", "X3"]);
    expect(body.criticised.map((e) => [e.code, e.reasons])).toEqual([["X2", ["全年 3 个月不报"]]]);
    expect(body.passedOver.map((e) => [e.code, e.reasons])).toEqual([["X2", ["本类别第 2 名，已通报批评（全年 3 个月不报）"]]]);
    expect(body.outstanding.map((p) => p.displayName)).toEqual(["甲"]);
    expect(body.figures).toMatchObject({ units: 3, adopted: 27, submitted: 27 });
    const doc: NoticeDocument = { header: { title: "t", docNumber: "", addressee: "a", opening: "", closing: "", issuer: "i", signerName: null, publishedAt: null }, body };
    const headings = noticeOutline(doc).filter((b) => b.type === "heading").map((b) => (b as { text: string }).text);
    expect(headings).toEqual(["一、全年总体情况", "二、年度表扬单位", "三、优秀信息员", "四、通报批评单位"]);
    const [table] = attachedTables(body);
    expect(table.landscape).toBe(true);
    expect(table.columns).toHaveLength(2 + 12 + 3);
    expect(table.rows[0].cells.slice(2, 14)).toEqual([...Array(9).fill("—"), "3\n30", "3\n30", "3\n30"]);
  });

  const ready: Array<[string, string, string[], string[], string | null]> = [
    ["全年已结算", "2025", ["2025-10", "2025-11", "2025-12"], ["2025-10", "2025-11", "2025-12"], null],
    ["当年未结束", "2026", ["2026-01"], ["2026-01"], "2026年尚未结束，年度汇总须在次年起草。"],
    ["有月份未结算", "2025", ["2025-11", "2025-12"], ["2025-11"], "2025年12月尚未结算，全年各月结算后才能起草年度汇总。"],
    ["没有数据", "2019", [], [], "2019年没有报送数据，无法起草年度汇总。"],
  ];
  it.each(ready)("%s", (_l, year, months, closed, expected) => {
    expect(annualDraftProblem(year, { months, closed: new Set(closed), currentMonth: "2026-11" })).toBe(expected);
  });
});

describe("文号", () => {
  const normalized: Array<[string, string]> = [
    ["X教体办〔2026〕12号", "X教体办〔2026〕12号"],
    ["X教体办[2026]12号", "X教体办〔2026〕12号"],
    ["X教体办【2026】12号", "X教体办〔2026〕12号"],
    ["X教体办（2026）12号", "X教体办〔2026〕12号"],
    [" X教体办 〔2026〕 012号 ", "X教体办〔2026〕12号"],
  ];
  it.each(normalized)("%s → %s", (typed, expected) => expect(normalizeDocNumber(typed)).toBe(expected));

  const checked: Array<[string, boolean]> = [
    ["X教体办〔2026〕12号", true],
    ["X教体办〔2026〕第12号", false],
    ["X教体办〔26〕12号", false],
    ["〔2026〕12号", false],
    ["X教体办2026年12号", false],
    ["", false],
  ];
  it.each(checked)("%s valid: %s", (value, ok) => expect(docNumberProblem(value) === null).toBe(ok));

  const beforePublishing: Array<[string, string | null]> = [
    ["X教体办〔2026〕12号", null],
    ["", "签发前请先填写文号并保存。"],
    ["X教体办〔2026〕第12号", "文号格式应为“机关代字〔年份〕序号号”，如 X教体办〔2026〕12号。请修改后再签发。"],
  ];
  it.each(beforePublishing)("签发 with %s: %s", (value, problem) => expect(publishDocNumberProblem(value)).toBe(problem));

  const next: Array<[string[], string]> = [
    [[], "X教体办〔2026〕1号"],
    [["X教体办〔2026〕3号", "X教体办〔2026〕12号", "X教体办〔2025〕40号"], "X教体办〔2026〕13号"],
    [["Y教体办〔2026〕9号", "草稿"], "X教体办〔2026〕1号"],
  ];
  it.each(next)("after %j comes %s", (used, expected) => expect(nextDocNumber(used, "X教体办", "2026")).toBe(expected));

  it("is normalised and checked by the form", () => {
    const ok = noticeTextSchema().safeParse({ addressee: "各校", doc_number: "X教体办[2026]5号", opening_text: "开头", closing_text: "" });
    expect(ok.success && ok.data.doc_number).toBe("X教体办〔2026〕5号");
    const blank = noticeTextSchema().safeParse({ addressee: "各校", doc_number: "", opening_text: "开头" });
    expect(blank.success && blank.data.doc_number).toBe("");
    const bad = noticeTextSchema().safeParse({ addressee: "各校", doc_number: "2026-5", opening_text: "开头" });
    expect(bad.success).toBe(false);
  });
});

describe("adjustment form", () => {
  const cases: Array<[Record<string, string>, string | null]> = [
    [{ list: "commended", action: "remove", unit_id: "12", reason: "有错敏词" }, null],
    [{ list: "commended", action: "remove", unit_id: "12", reason: "  " }, "reason"],
    [{ list: "commended", action: "remove", unit_id: "", reason: "x" }, "unit_id"],
    [{ list: "praised", action: "remove", unit_id: "12", reason: "x" }, "list"],
    [{ list: "criticised", action: "delete", unit_id: "12", reason: "x" }, "action"],
  ];
  it.each(cases)("%j → error on %s", (values, field) => {
    const r = adjustSchema().safeParse(values);
    if (field === null) expect(r.success).toBe(true);
    else expect(r.success ? null : r.error.issues[0].path[0]).toBe(field);
  });
});

describe("dates, titles and paragraphs", () => {
  const dates: Array<[string, string]> = [
    ["2026-11-05T02:00:00Z", "2026年11月5日"],
    ["2026-11-04T15:59:59Z", "2026年11月4日"],
    ["2026-11-04T16:00:00Z", "2026年11月5日"],
    ["2025-12-31T16:30:00Z", "2026年1月1日"],
  ];
  it.each(dates)("%s → %s (Asia/Shanghai)", (instant, expected) => expect(chineseDate(instant)).toBe(expected));

  const titles: Array<[string, string[]]> = [
    ["关于2026年10月全县教育信息报送情况的通报", ["关于2026年10月全县教育信息", "报送情况的通报"]],
    ["关于2025年度全县教育信息报送工作情况的通报", ["关于2025年度全县教育信息", "报送工作情况的通报"]],
    ["关于表彰的通报", ["关于表彰的通报"]],
  ];
  it.each(titles)("%s", (title, lines) => expect(titleLines(title)).toEqual(lines));

  it("keeps one paragraph per non-empty line, trimmed of full-width spaces", () => {
    expect(paragraphsOf("\u3000\u3000第一段。\r\n\r\n  第二段。 \n")).toEqual(["第一段。", "第二段。"]);
  });
});
