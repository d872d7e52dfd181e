import { describe, expect, it } from "vitest";
import {
  annualCommended, annualCriticised, monthlyCommended, monthlyCriticised, outstandingCorrespondents, topWithTies,
  type MonthSelectionRow, type MonthlySelectionThresholds, type Selected, type YearSelectionRow, type YearSelectionThresholds,
} from "~/domain/notice-selection";
import { DEFAULT_SETTINGS } from "~/domain/settings";

const m = (code: string, kind: string, rank: number, status: MonthSelectionRow["status"], completion: number, late = 0, adopted = status === "none" ? 0 : 5): MonthSelectionRow => ({
  unitId: Number(code.slice(1)) + (kind === "d" ? 100 : 0), code, name: `${code}学校`, kind, rank, status, completion, late, adopted,
});
const T: MonthlySelectionThresholds = { commendTopN: 3, criticiseBelowCompletion: 0.5, criticiseMinLate: 3 };
const codes = (rows: MonthSelectionRow[], picked: Array<{ unitId: number }>) => picked.map((p) => rows.find((r) => r.unitId === p.unitId)!.code);
const reasonsByUnit = (criticised: readonly Selected[]) => new Map(criticised.map((s) => [s.unitId, s.reasons]));
/** The lists by the rules alone (no reviewer's changes): criticism first, then the commendations it leaves. */
const monthlySelection = (rows: readonly MonthSelectionRow[], t: MonthlySelectionThresholds) => {
  const criticised = monthlyCriticised(rows, t);
  return { ...monthlyCommended(rows, t, reasonsByUnit(criticised)), criticised };
};
const annualSelection = (rows: readonly YearSelectionRow[], t: YearSelectionThresholds) => {
  const criticised = annualCriticised(rows, t);
  return { ...annualCommended(rows, t, reasonsByUnit(criticised)), criticised };
};

describe("defaults are the issue's: top 3, below 50 %, 3 late; year 10 months, 60 %, 3 months of 不报, 10 correspondents with 12 items", () => {
  it.each([
    ["commendTopN", 3], ["criticiseBelowCompletion", 0.5], ["criticiseMinLate", 3], ["yearCommendMinMonthsMet", 10],
    ["yearCorrespondentTopN", 10], ["yearCorrespondentMinAdopted", 12], ["yearCriticiseNoneMonths", 3], ["yearCriticiseBelowCompletion", 0.6],
  ] as const)("%s = %s", (key, value) => {
    expect(DEFAULT_SETTINGS[key]).toBe(value);
  });
});

describe("monthly commendations: top N per kind among units that met quota and are not criticised", () => {
  const cases: Array<[string, MonthSelectionRow[], string[]]> = [
    ["前三名都达标", [m("X1", "t", 1, "met", 1.2), m("X2", "t", 2, "met", 1), m("X3", "t", 3, "met", 1), m("X4", "t", 4, "met", 1)], ["X1", "X2", "X3"]],
    ["第二名未达标则顺延", [m("X1", "t", 1, "met", 1), m("X2", "t", 2, "short", 0.9), m("X3", "t", 3, "met", 1), m("X4", "t", 4, "met", 1)], ["X1", "X3", "X4"]],
    ["第一名迟报 3 篇被批评，不表扬，名额顺延", [m("X1", "t", 1, "met", 1.5, 3), m("X2", "t", 2, "met", 1), m("X3", "t", 3, "met", 1), m("X4", "t", 4, "met", 1)], ["X2", "X3", "X4"]],
    ["迟报 2 篇不批评，照常表扬", [m("X1", "t", 1, "met", 1.5, 2), m("X2", "t", 2, "met", 1)], ["X1", "X2"]],
    ["第三名并列，一并表扬", [m("X1", "t", 1, "met", 1), m("X2", "t", 2, "met", 1), m("X3", "t", 3, "met", 1), m("X4", "t", 3, "met", 1), m("X5", "t", 5, "met", 1)], ["X1", "X2", "X3", "X4"]],
    ["无人达标", [m("X1", "t", 1, "short", 0.8), m("X2", "t", 2, "none", 0)], []],
    ["各类别分别表扬", [m("X1", "t", 1, "met", 1), m("Q1", "d", 1, "met", 1)], ["X1", "Q1"]],
    ["没有单位", [], []],
  ];
  it.each(cases)("%s", (_l, rows, expected) => {
    const s = monthlySelection(rows, T);
    expect(codes(rows, s.commended)).toEqual(expected);
    for (const p of s.commended) expect(p.reasons[0]).toMatch(/第 \d+ 名，完成月度任务/);
  });

  it("a unit both in the top 3 and late 3 times is criticised only, and the reviewer is told why it dropped out", () => {
    const rows = [m("X1", "t", 1, "met", 1.4, 3), m("X2", "t", 2, "met", 1.2), m("X3", "t", 3, "met", 1), m("X4", "t", 4, "met", 1)];
    const s = monthlySelection(rows, T);
    expect(codes(rows, s.criticised)).toEqual(["X1"]);
    expect(codes(rows, s.commended)).not.toContain("X1");
    expect(s.passedOver).toEqual([{ unitId: 1, kind: "t", name: "X1学校", reasons: ["本类别第 1 名，已通报批评（迟报 3 篇，达到 3 篇）"] }]);
  });

  it("a unit high in the ranking that missed its quota is passed over with that reason", () => {
    const rows = [m("X1", "t", 1, "short", 0.9), m("X2", "t", 2, "met", 1)];
    expect(monthlySelection(rows, T).passedOver.map((p) => p.reasons[0])).toEqual(["本类别第 1 名，未完成月度任务（未达标）"]);
  });

  it.each([
    [{ ...T, commendTopN: 1 }, ["X2"]],
    [{ ...T, commendTopN: 0 }, []],
    [{ ...T, criticiseMinLate: 5 }, ["X1", "X2", "X3"]],
  ] as const)("thresholds come from the settings passed in: %o", (t, expected) => {
    const rows = [m("X1", "t", 1, "met", 1.4, 3), m("X2", "t", 2, "met", 1.2), m("X3", "t", 3, "met", 1), m("X4", "t", 4, "met", 1)];
    expect(codes(rows, monthlySelection(rows, t).commended)).toEqual(expected);
  });
});

describe("a unit whose quota is 0", () => {
  // Quota 0: met with nothing sent (completion 1 by definition), no 达标 points; its kind's others short of theirs.
  it.each([
    ["没有采用稿件：不表扬，名额不递补给未达标的单位", 0, [], ["本类别第 1 名，任务数为 0，当月没有采用稿件"]],
    ["有采用稿件：照常表扬", 2, ["Y1"], []],
  ] as const)("%s", (_label, adopted, expected, passedOver) => {
    const rows = [m("Y1", "k", 1, "met", 1, 0, adopted), m("Y2", "k", 2, "short", 0.8), m("Y3", "k", 3, "short", 0.6)];
    const selection = monthlySelection(rows, T);
    expect(codes(rows, selection.commended)).toEqual(expected);
    expect(selection.passedOver.filter((p) => p.unitId === rows[0].unitId).map((p) => p.reasons[0])).toEqual(passedOver);
  });
});

describe("monthly commendations against the criticism list as the reviewer left it", () => {
  const rows = [m("X1", "t", 1, "met", 1.4, 3), m("X2", "t", 2, "met", 1.2), m("X3", "t", 3, "met", 1), m("X4", "t", 4, "met", 1), m("X5", "t", 5, "short", 0.9)];
  const cases: Array<[string, string[], string[]]> = [
    ["规则名单：第一名被批评", ["X1"], ["X2", "X3", "X4"]],
    ["审核员移出第一名的批评", [], ["X1", "X2", "X3"]],
    ["审核员另批评第二名", ["X1", "X2"], ["X3", "X4"]],
    ["未达标的单位不递补", ["X1", "X2", "X3"], ["X4"]],
  ];
  it.each(cases)("%s", (_l, criticisedCodes, expected) => {
    const criticised = new Map(rows.filter((r) => criticisedCodes.includes(r.code)).map((r) => [r.unitId, ["审核员列入"]]));
    expect(codes(rows, monthlyCommended(rows, T, criticised).commended)).toEqual(expected);
  });
});

describe("monthly criticisms: 不报, completion below the threshold, late items at the threshold", () => {
  const cases: Array<[string, MonthSelectionRow, MonthlySelectionThresholds, string[]]> = [
    ["不报", m("X1", "t", 9, "none", 0), T, ["当月不报"]],
    ["完成率 40% 低于 50%", m("X1", "t", 8, "short", 0.4), T, ["任务完成率 40%，低于 50%"]],
    ["完成率恰好 50% 不批评", m("X1", "t", 7, "short", 0.5), T, []],
    ["一篇迟报不批评", m("X1", "t", 1, "met", 1, 1), T, []],
    ["两篇迟报不批评", m("X1", "t", 1, "met", 1, 2), T, []],
    ["三篇迟报批评", m("X1", "t", 1, "met", 1, 3), T, ["迟报 3 篇，达到 3 篇"]],
    ["完成率低且迟报 4 篇", m("X1", "t", 8, "short", 0.2, 4), T, ["任务完成率 20%，低于 50%", "迟报 4 篇，达到 3 篇"]],
    ["阈值改为 1 篇", m("X1", "t", 1, "met", 1, 1), { ...T, criticiseMinLate: 1 }, ["迟报 1 篇，达到 1 篇"]],
    ["阈值改为完成率 80%", m("X1", "t", 5, "short", 0.6), { ...T, criticiseBelowCompletion: 0.8 }, ["任务完成率 60%，低于 80%"]],
    // Written as the attached table prints it (66.7%), never rounded up to the threshold it fell below.
    ["2/3 低于 67%", m("X1", "t", 5, "short", 2 / 3), { ...T, criticiseBelowCompletion: 0.67 }, ["任务完成率 66.7%，低于 67%"]],
    ["3/7 低于 50%", m("X1", "t", 5, "short", 3 / 7), T, ["任务完成率 42.9%，低于 50%"]],
    ["49.96% 不写成 50%", m("X1", "t", 5, "short", 0.4996), T, ["任务完成率 49.9%，低于 50%"]],
  ];
  it.each(cases)("%s", (_l, row, t, reasons) => {
    expect(monthlySelection([row], t).criticised.flatMap((g) => g.reasons)).toEqual(reasons);
  });

  it("writes every reason without brackets: the notice puts a unit's reasons in （） after its name", () => {
    const row = { ...m("X1", "t", 8, "short", 0.2, 4), requestsUnfinished: 2 };
    const reasons = monthlySelection([row], { ...T, requestMissThreshold: 2 }).criticised.flatMap((g) => g.reasons);
    expect(reasons).toEqual(["任务完成率 20%，低于 50%", "迟报 4 篇，达到 3 篇", "约稿未完成 2 项，达到 2 项"]);
    for (const reason of reasons) expect(reason).not.toMatch(/[（）()]/);
  });
});

describe("year-end selections", () => {
  const YT: YearSelectionThresholds = { yearCommendMinMonthsMet: 10, yearCommendTopN: 2, yearCriticiseNoneMonths: 3, yearCriticiseBelowCompletion: 0.6 };
  const y = (code: string, kind: string, rank: number, points: number, monthsMet: number, monthsNone = 0, completion = 1, monthsActive = 12): YearSelectionRow => ({
    unitId: Number(code.slice(1)) + (kind === "d" ? 100 : 0), code, name: code, kind, rank, points, monthsActive, monthsMet, monthsNone, completion,
  });

  it("commends only units that met their quota in enough months, then the top N by points per kind (ties included)", () => {
    const rows = [
      y("X1", "t", 1, 190, 11), y("X2", "t", 2, 180, 9), y("X3", "t", 3, 170, 10), y("X4", "t", 3, 170, 12), y("X5", "t", 5, 160, 12),
      y("Q1", "d", 1, 90, 12),
    ];
    const s = annualSelection(rows, YT);
    expect(s.commended.map((r) => r.name)).toEqual(["X1", "X3", "X4", "Q1"]);
    expect(s.passedOver.map((r) => [r.name, r.reasons[0]])).toEqual([["X2", "本类别第 2 名，全年 9 个月完成任务，不足 10 个月"]]);
  });

  it("a unit with 0 months met is never commended, however many points", () => {
    const rows = [y("X1", "t", 1, 500, 0, 0, 0.358), y("X2", "t", 2, 10, 12)];
    const s = annualSelection(rows, YT);
    expect(s.commended.map((r) => r.name)).toEqual(["X2"]);
    expect(s.criticised.map((r) => [r.name, r.reasons])).toEqual([["X1", ["全年任务完成率 35.8%，低于 60%"]]]);
  });

  it("a unit active for fewer months than the minimum cannot reach it", () => {
    const rows = [y("X1", "t", 1, 50, 3, 0, 1.2, 3)];
    expect(annualSelection(rows, YT).commended).toEqual([]);
    expect(annualSelection(rows, { ...YT, yearCommendMinMonthsMet: 3 }).commended.map((r) => r.name)).toEqual(["X1"]);
  });

  const crit: Array<[string, number, number, string[]]> = [
    ["2 个月不报、完成率 80%", 2, 0.8, []],
    ["3 个月不报", 3, 0.8, ["全年 3 个月不报"]],
    ["完成率 59%", 0, 0.59, ["全年任务完成率 59%，低于 60%"]],
    ["完成率恰好 60%", 0, 0.6, []],
    // 43 of 72 (a quota of 6 a month) is 59.7%: not "60%，低于 60%".
    ["43/72", 0, 43 / 72, ["全年任务完成率 59.7%，低于 60%"]],
    ["59.96% 不写成 60%", 0, 0.5996, ["全年任务完成率 59.9%，低于 60%"]],
    ["两条都有", 7, 0.2, ["全年 7 个月不报", "全年任务完成率 20%，低于 60%"]],
  ];
  it.each(crit)("criticism: %s", (_l, none, completion, reasons) => {
    expect(annualSelection([y("X1", "t", 9, -40, 12 - none, none, completion)], YT).criticised.flatMap((r) => r.reasons)).toEqual(reasons);
  });

  it("criticism wins over commendation", () => {
    const rows = [y("X1", "t", 1, 200, 10, 0, 0.5), y("X2", "t", 2, 100, 12)];
    const s = annualSelection(rows, YT);
    expect(s.commended.map((r) => r.name)).toEqual(["X2"]);
    expect(s.criticised.map((r) => r.name)).toEqual(["X1"]);
  });

  it.each([
    ["规则名单", ["X9"], ["X1", "X2"]],
    ["审核员批评第一名", ["X1"], ["X2", "X3"]],
    ["审核员批评前两名", ["X1", "X2"], ["X3"]],
  ] as const)("commendations against the reviewer's criticism list: %s", (_l, criticisedCodes, expected) => {
    const rows = [y("X1", "t", 1, 190, 12), y("X2", "t", 2, 180, 11), y("X3", "t", 3, 170, 10), y("X4", "t", 4, 160, 9), y("X9", "t", 9, -40, 0, 12, 0)];
    const criticised = new Map(rows.filter((r) => (criticisedCodes as readonly string[]).includes(r.code)).map((r) => [r.unitId, ["审核员列入"]]));
    expect(annualCommended(rows, YT, criticised).commended.map((r) => r.name)).toEqual(expected);
  });

  it("outstanding correspondents: top N by split points among those with at least the minimum adopted items (each item whole), ties included", () => {
    // `items`: split among bylines; `adopted`: the items bearing the name, each whole.
    const people = [
      { accountId: 1, displayName: "甲", unitName: "一", items: 30, adopted: 30, points: 80, rank: 1 },
      { accountId: 2, displayName: "乙", unitName: "二", items: 11.5, adopted: 11, points: 60, rank: 2 },
      { accountId: 3, displayName: "丙", unitName: "三", items: 12, adopted: 12, points: 40, rank: 3 },
      { accountId: 4, displayName: "丁", unitName: "四", items: 14, adopted: 14, points: 40, rank: 3 },
      { accountId: 5, displayName: "戊", unitName: "五", items: 20, adopted: 20, points: 30, rank: 5 },
      { accountId: 6, displayName: "己", unitName: "六", items: 20, adopted: 20, points: 0, rank: 6 },
      // 20 items written with one other person: 10 split, 20 bearing the name.
      { accountId: 7, displayName: "庚", unitName: "七", items: 10, adopted: 20, points: 25, rank: 7 },
      // 11.88 split (36 shared by three, rounded as before), 36 bearing the name.
      { accountId: 8, displayName: "辛", unitName: "八", items: 11.88, adopted: 36, points: 11.88, rank: 8 },
    ];
    expect(outstandingCorrespondents(people, 2, 12).map((p) => p.displayName)).toEqual(["甲", "丙", "丁"]);
    expect(outstandingCorrespondents(people, 10, 12).map((p) => p.displayName)).toEqual(["甲", "丙", "丁", "戊", "庚", "辛"]);
    expect(outstandingCorrespondents(people, 10, 21).map((p) => p.displayName)).toEqual(["甲", "辛"]);
    expect(outstandingCorrespondents(people, 10, 0).map((p) => p.displayName)).toEqual(["甲", "乙", "丙", "丁", "戊", "庚", "辛"]);
    expect(outstandingCorrespondents(people, 0, 0)).toEqual([]);
  });
});

describe("topWithTies", () => {
  const r = (code: string, rank: number) => ({ code, rank });
  it.each([
    [[r("a", 1), r("b", 2), r("c", 3)], 2, ["a", "b"]],
    [[r("a", 1), r("b", 2), r("c", 2)], 2, ["a", "b", "c"]],
    [[r("b", 1), r("a", 1)], 1, ["a", "b"]],
    [[r("a", 1)], 5, ["a"]],
    [[], 3, []],
  ] as const)("%o top %i", (rows, n, expected) => {
    expect(topWithTies(rows, n).map((x) => x.code)).toEqual(expected);
  });
});
