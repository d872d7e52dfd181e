import { describe, expect, it } from "vitest";
import {
  annualCommended, annualCriticised, monthlyCommended, monthlyCriticised, outstandingCorrespondents,
  type MonthSelectionRow, type YearSelectionRow,
} from "~/domain/notice-selection";

const m = (code: string, kind: string, rank: number, status: MonthSelectionRow["status"], completion: number, late = 0): MonthSelectionRow => ({
  unitId: Number(code.slice(1)), code, name: `${code}学校`, kind, rank, status, completion, late,
});

describe("monthly commendations (top 3 per kind that met quota)", () => {
  const cases: Array<[string, MonthSelectionRow[], string[]]> = [
    ["前三名都达标", [m("X1", "t", 1, "met", 1.2), m("X2", "t", 2, "met", 1), m("X3", "t", 3, "met", 1), m("X4", "t", 4, "met", 1)], ["X1", "X2", "X3"]],
    ["第二名未达标则顺延", [m("X1", "t", 1, "met", 1), m("X2", "t", 2, "short", 0.9), m("X3", "t", 3, "met", 1), m("X4", "t", 4, "met", 1)], ["X1", "X3", "X4"]],
    ["第三名并列，一并表彰", [m("X1", "t", 1, "met", 1), m("X2", "t", 2, "met", 1), m("X3", "t", 3, "met", 1), m("X4", "t", 3, "met", 1), m("X5", "t", 5, "met", 1)], ["X1", "X2", "X3", "X4"]],
    ["无人达标", [m("X1", "t", 1, "short", 0.8), m("X2", "t", 2, "none", 0)], []],
    ["各类别分别表彰", [m("X1", "t", 1, "met", 1), m("Q1", "d", 1, "met", 1)], ["X1", "Q1"]],
    ["没有单位", [], []],
  ];
  it.each(cases)("%s", (_l, rows, codes) => {
    const picked = monthlyCommended(rows, 3);
    expect(picked.map((p) => rows.find((r) => r.unitId === p.unitId && r.kind === p.kind)!.code)).toEqual(codes);
    for (const p of picked) expect(p.reasons[0]).toMatch(/第 \d+ 名，完成月度任务/);
  });
});

describe("monthly criticisms", () => {
  const cases: Array<[string, MonthSelectionRow, string[]]> = [
    ["不报", m("X1", "t", 9, "none", 0), ["当月不报"]],
    ["完成率 40% 低于 50%", m("X1", "t", 8, "short", 0.4), ["任务完成率 40%，低于 50%"]],
    ["完成率恰好 50% 不批评", m("X1", "t", 7, "short", 0.5), []],
    ["达标但有迟报", m("X1", "t", 1, "met", 1, 2), ["迟报 2 篇"]],
    ["完成率低且迟报", m("X1", "t", 8, "short", 0.2, 1), ["任务完成率 20%，低于 50%", "迟报 1 篇"]],
  ];
  it.each(cases)("%s", (_l, row, reasons) => {
    const got = monthlyCriticised([row], 0.5);
    expect(got.flatMap((g) => g.reasons)).toEqual(reasons);
  });
});

describe("year-end selections", () => {
  const y = (code: string, kind: string, rank: number, points: number, monthsNone: number): YearSelectionRow => ({
    unitId: Number(code.slice(1)), code, name: code, kind, rank, points, monthsNone,
  });
  it("commends the top N per kind, ties at the cutoff included", () => {
    const rows = [y("X1", "t", 1, 90, 0), y("X2", "t", 2, 80, 0), y("X3", "t", 2, 80, 0), y("X4", "t", 4, 70, 0), y("Q1", "d", 1, 50, 0)];
    expect(annualCommended(rows, 2).map((r) => r.name)).toEqual(["X1", "X2", "X3", "Q1"]);
  });
  const crit: Array<[number, boolean]> = [
    [2, false],
    [3, true],
    [7, true],
  ];
  it.each(crit)("%i months of 不报 criticised: %s", (months, expected) => {
    expect(annualCriticised([y("X1", "t", 9, -40, months)], 3).length > 0).toBe(expected);
  });
  it("names outstanding correspondents by split points, ties at the cutoff included, nobody with no points", () => {
    const people = [
      { accountId: 1, displayName: "甲", unitName: "一", points: 30, rank: 1 },
      { accountId: 2, displayName: "乙", unitName: "二", points: 20, rank: 2 },
      { accountId: 3, displayName: "丙", unitName: "三", points: 20, rank: 2 },
      { accountId: 4, displayName: "丁", unitName: "四", points: 0, rank: 4 },
    ];
    expect(outstandingCorrespondents(people, 2).map((p) => p.displayName)).toEqual(["甲", "乙", "丙"]);
    expect(outstandingCorrespondents(people, 10).map((p) => p.displayName)).toEqual(["甲", "乙", "丙"]);
  });
});
