// The reviewer's changes to a notice's 通报批评 list come before the commendations are chosen:
// criticism wins and the next qualifying unit takes the place; a unit taken off the list may win the
// place it qualifies for. Removals from the commendation list are the reviewer's own and are not refilled.
import { describe, expect, it } from "vitest";
import {
  composeAnnualBody,
  composeMonthlyBody,
  monthsOfYear,
  type Adjustment,
  type AnnualThresholds,
  type AnnualUnitRow,
  type KindTable,
  type NoticeMonthRow,
} from "~/domain/notices";

const KINDS = { t: "乡镇中心校", d: "区直中小学" } as const;
type Kind = keyof typeof KINDS;

const unitIdOf = (code: string, kind: Kind) => Number(code.slice(1)) + (kind === "d" ? 100 : 0);

const m = (code: string, kind: Kind, rank: number, status: NoticeMonthRow["status"] = "met", extra: Partial<NoticeMonthRow> = {}): NoticeMonthRow => ({
  unitId: unitIdOf(code, kind), code, name: `${code}学校`, kind, kindName: KINDS[kind], quota: 10, submitted: 12,
  adopted: status === "met" ? 11 : status === "short" ? 4 : 0, late: 0, completion: status === "met" ? 1.1 : status === "short" ? 0.4 : 0,
  status, points: 40 - rank, rank, tied: false, movement: 0, ...extra,
});

const tablesOf = <R extends { kind: string }>(rows: R[]): Array<KindTable<R>> =>
  (["t", "d"] as const).map((k) => ({ kind: k, kindName: KINDS[k], rows: rows.filter((r) => r.kind === k) })).filter((t) => t.rows.length);

const criticise = (code: string, reason = "稿件出现严重差错", kind: Kind = "t"): Adjustment => ({ unitId: unitIdOf(code, kind), list: "criticised", action: "add", reason });
const uncriticise = (code: string, reason = "迟报系平台故障所致", kind: Kind = "t"): Adjustment => ({ unitId: unitIdOf(code, kind), list: "criticised", action: "remove", reason });
const uncommend = (code: string, reason = "所报信息存在错敏词", kind: Kind = "t"): Adjustment => ({ unitId: unitIdOf(code, kind), list: "commended", action: "remove", reason });
const commend = (code: string, reason = "专题报道突出", kind: Kind = "t"): Adjustment => ({ unitId: unitIdOf(code, kind), list: "commended", action: "add", reason });

const FOUR = [m("X1", "t", 1), m("X2", "t", 2), m("X3", "t", 3), m("X4", "t", 4)];
const LATE_FIRST = [m("X1", "t", 1, "met", { late: 3 }), m("X2", "t", 2), m("X3", "t", 3), m("X4", "t", 4), m("X5", "t", 5)];
const SHORT_FIRST = [m("X1", "t", 1, "short"), m("X2", "t", 2), m("X3", "t", 3), m("X4", "t", 4)];
const TIED_FOURTH = [m("X1", "t", 1), m("X2", "t", 2), m("X3", "t", 3), m("X4", "t", 4, "met", { tied: true }), m("X5", "t", 4, "met", { tied: true }), m("X6", "t", 6)];
const TWO_KINDS = [...FOUR, m("Q1", "d", 1), m("Q2", "d", 2), m("Q3", "d", 3), m("Q4", "d", 4)];

describe("monthly notice: the reviewer's criticism list decides who can be commended", () => {
  const cases: Array<[string, NoticeMonthRow[], Adjustment[], { commended: string[]; criticised: string[] }]> = [
    ["审核员批评第一名：第四名递补", FOUR, [criticise("X1")], { commended: ["X2", "X3", "X4"], criticised: ["X1"] }],
    ["审核员批评第三名：第四名递补", FOUR, [criticise("X3")], { commended: ["X1", "X2", "X4"], criticised: ["X3"] }],
    ["审核员批评两家：只剩两家符合条件", FOUR, [criticise("X1"), criticise("X2")], { commended: ["X3", "X4"], criticised: ["X1", "X2"] }],
    ["递补时并列的单位一并表扬", TIED_FOURTH, [criticise("X2")], { commended: ["X1", "X3", "X4", "X5"], criticised: ["X2"] }],
    ["只在被批评单位的类别内递补", TWO_KINDS, [criticise("Q2", "漏报", "d")], { commended: ["X1", "X2", "X3", "Q1", "Q3", "Q4"], criticised: ["Q2"] }],
    ["审核员移出规则批评的单位：按名次重新表扬", LATE_FIRST, [uncriticise("X1")], { commended: ["X1", "X2", "X3"], criticised: [] }],
    ["移出批评但未完成任务：仍不表扬", SHORT_FIRST, [uncriticise("X1")], { commended: ["X2", "X3", "X4"], criticised: [] }],
    ["批评后又移出：恢复原表扬", FOUR, [criticise("X1"), uncriticise("X1")], { commended: ["X1", "X2", "X3"], criticised: [] }],
    ["移出批评后又批评：仍只批评", LATE_FIRST, [uncriticise("X1"), criticise("X1", "屡次迟报")], { commended: ["X2", "X3", "X4"], criticised: ["X1"] }],
    ["审核员移出表扬单位：名额不递补", FOUR, [uncommend("X1")], { commended: ["X2", "X3"], criticised: [] }],
    ["先移出一家表扬再批评另一家：只有被批评的名额递补", FOUR, [uncommend("X1"), criticise("X2")], { commended: ["X3", "X4"], criticised: ["X2"] }],
    ["递补的单位也可被移出表扬", FOUR, [criticise("X1"), uncommend("X4")], { commended: ["X2", "X3"], criticised: ["X1"] }],
    ["审核员增加表扬单位照旧", FOUR, [criticise("X1"), commend("X1"), commend("X4")], { commended: ["X2", "X3", "X4"], criticised: ["X1"] }],
  ];
  it.each(cases)("%s", (_l, rows, adjustments, expected) => {
    const body = composeMonthlyBody({
      month: "2026-10", closeId: 1, closedAt: "2026-11-03T00:00:00Z", tables: tablesOf(rows),
      thresholds: { commendTopN: 3, criticiseBelowCompletion: 0.5, criticiseMinLate: 3 }, adjustments,
    });
    expect({ commended: body.commended.map((e) => e.code), criticised: body.criticised.map((e) => e.code) }).toEqual(expected);
    const criticised = new Set(body.criticised.map((e) => e.unitId));
    expect(body.commended.filter((e) => criticised.has(e.unitId))).toEqual([]);
  });

  it("gives the unit that moves up its own rank as the reason, and tells the reviewer why the criticised one dropped out", () => {
    const body = composeMonthlyBody({
      month: "2026-10", closeId: 1, closedAt: "2026-11-03T00:00:00Z", tables: tablesOf(FOUR),
      thresholds: { commendTopN: 3, criticiseBelowCompletion: 0.5, criticiseMinLate: 3 }, adjustments: [criticise("X1")],
    });
    expect(body.commended.at(-1)).toMatchObject({ code: "X4", reasons: ["本类别第 4 名，完成月度任务"], adjusted: false });
    expect(body.criticised).toEqual([expect.objectContaining({ code: "X1", reasons: ["稿件出现严重差错"], adjusted: true })]);
    expect(body.passedOver.map((e) => [e.code, e.reasons])).toEqual([["X1", ["本类别第 1 名，已通报批评（稿件出现严重差错）", "审核员列入通报批评"]]]);
  });

  it("commends a unit taken off the criticism list with its rank, and no longer lists it as passed over", () => {
    const body = composeMonthlyBody({
      month: "2026-10", closeId: 1, closedAt: "2026-11-03T00:00:00Z", tables: tablesOf(LATE_FIRST),
      thresholds: { commendTopN: 3, criticiseBelowCompletion: 0.5, criticiseMinLate: 3 }, adjustments: [uncriticise("X1")],
    });
    expect(body.commended[0]).toMatchObject({ code: "X1", reasons: ["本类别第 1 名，完成月度任务"] });
    expect(body.passedOver).toEqual([]);
  });
});

describe("year-end summary: the reviewer's criticism list decides who can be commended", () => {
  const T: AnnualThresholds = {
    yearCommendMinMonthsMet: 9, yearCommendTopN: 2, yearCorrespondentTopN: 10, yearCorrespondentMinAdopted: 12,
    yearCriticiseNoneMonths: 3, yearCriticiseBelowCompletion: 0.6,
  };
  const y = (code: string, kind: Kind, rank: number, met: number, none = 0, extra: Partial<AnnualUnitRow> = {}): AnnualUnitRow => ({
    unitId: unitIdOf(code, kind), code, name: `${code}学校`, kind, kindName: KINDS[kind],
    months: monthsOfYear("2025").map((_, i) => ({ adopted: i < none ? 0 : 10, points: 10, status: i < none ? "none" as const : i < none + met ? "met" as const : "short" as const })),
    quota: 120, submitted: 120, adopted: 120 - 10 * none, late: 0, points: 200 - rank, completion: (120 - 10 * none) / 120, rank, tied: false,
    met, short: 12 - met - none, none, ...extra,
  });
  const THREE = [y("X1", "t", 1, 12), y("X2", "t", 2, 11), y("X3", "t", 3, 10), y("X4", "t", 4, 8)];
  const NONE_FIRST = [y("X1", "t", 1, 9, 3), y("X2", "t", 2, 11), y("X3", "t", 3, 10)];
  const FEW_MONTHS_FIRST = [y("X1", "t", 1, 6, 3, { completion: 0.5 }), y("X2", "t", 2, 11), y("X3", "t", 3, 10)];
  const TIED_THIRD = [y("X1", "t", 1, 12), y("X2", "t", 2, 12), y("X3", "t", 3, 12, 0, { tied: true }), y("X4", "t", 3, 12, 0, { tied: true })];

  const cases: Array<[string, AnnualUnitRow[], Adjustment[], { commended: string[]; criticised: string[] }]> = [
    ["审核员批评第一名：第三名递补", THREE, [criticise("X1")], { commended: ["X2", "X3"], criticised: ["X1"] }],
    ["递补者须达标月数足够：第四名不递补", THREE, [criticise("X1"), criticise("X2")], { commended: ["X3"], criticised: ["X1", "X2"] }],
    ["递补时并列的单位一并表扬", TIED_THIRD, [criticise("X2")], { commended: ["X1", "X3", "X4"], criticised: ["X2"] }],
    ["审核员移出规则批评的单位：按名次重新表扬", NONE_FIRST, [uncriticise("X1")], { commended: ["X1", "X2"], criticised: [] }],
    ["移出批评但达标月数不足：仍不表扬", FEW_MONTHS_FIRST, [uncriticise("X1")], { commended: ["X2", "X3"], criticised: [] }],
    ["审核员移出表扬单位：名额不递补", THREE, [uncommend("X1")], { commended: ["X2"], criticised: [] }],
  ];
  it.each(cases)("%s", (_l, rows, adjustments, expected) => {
    const body = composeAnnualBody({
      year: "2025", months: monthsOfYear("2025"), tables: tablesOf(rows), correspondents: [], thresholds: T, adjustments,
    });
    expect({ commended: body.commended.map((e) => e.code), criticised: body.criticised.map((e) => e.code) }).toEqual(expected);
  });

  it("tells the reviewer why the criticised unit dropped out", () => {
    const body = composeAnnualBody({
      year: "2025", months: monthsOfYear("2025"), tables: tablesOf(THREE), correspondents: [], thresholds: T, adjustments: [criticise("X1", "年内出现重大报送差错")],
    });
    expect(body.passedOver.map((e) => [e.code, e.reasons])).toEqual([["X1", ["本类别第 1 名，已通报批评（年内出现重大报送差错）", "审核员列入通报批评"]]]);
  });
});
