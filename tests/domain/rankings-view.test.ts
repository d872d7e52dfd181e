import { describe, expect, it } from "vitest";
import {
  CORRESPONDENT_ROWS_MAX,
  crossKind,
  crossKindOfRanked,
  listFrozenCorrespondents,
  parsePeriod,
  percentText,
  pointsText,
  periodInRange,
  peopleNote,
  periodNav,
  addPeopleMonth,
  addPeopleSums,
  rankCorrespondents,
  rankPeopleTotals,
  sumUnitMonths,
  viewFor,
  yearMonths,
  yearToDate,
  yearTablesOf,
  type CorrespondentMonth,
  type PeopleMonthColumns,
  type PeopleNames,
  type PeopleTotals,
  type RankingsView,
  type UnitRankingRow,
} from "~/domain/rankings-view";
import type { UnitMonthRow } from "~/domain/league";
import { movementText } from "~/domain/ranking";

describe("parsePeriod", () => {
  const cases: Array<[string | null, ReturnType<typeof parsePeriod>]> = [
    ["2026-10", { scope: "month", month: "2026-10" }],
    ["2026-01", { scope: "month", month: "2026-01" }],
    ["2026", { scope: "year", year: "2026" }],
    ["2026-13", null],
    ["2026-00", null],
    ["2026-1", null],
    ["26-10", null],
    ["2026-10.xlsx", null],
    ["abcd", null],
    ["", null],
    [null, null],
  ];
  it.each(cases)("%s", (value, expected) => expect(parsePeriod(value)).toEqual(expected));
});

describe("months of a year and the addresses around a period", () => {
  const bounds = { first: "2025-10", current: "2026-11" };
  it.each([
    ["2025", ["2025-10", "2025-11", "2025-12"]],
    ["2026", ["2026-01", "2026-02", "2026-03", "2026-04", "2026-05", "2026-06", "2026-07", "2026-08", "2026-09", "2026-10", "2026-11"]],
    ["2024", []],
    ["2027", []],
  ])("%s 年计入的月份", (year, months) => expect(yearMonths(year, bounds)).toEqual(months));

  const range: Array<[string, boolean]> = [
    ["2025-10", true], ["2025-09", false], ["2026-11", true], ["2026-12", false], ["2025", true], ["2026", true], ["2024", false], ["2027", false],
  ];
  it.each(range)("%s 有排行榜：%s", (p, ok) => expect(periodInRange(parsePeriod(p)!, bounds)).toBe(ok));

  const nav: Array<[string, ReturnType<typeof periodNav>]> = [
    ["2026-05", { previous: "2026-04", next: "2026-06", year: "2026", month: "2026-05" }],
    ["2025-10", { previous: null, next: "2025-11", year: "2025", month: "2025-10" }],
    ["2026-11", { previous: "2026-10", next: null, year: "2026", month: "2026-11" }],
    ["2026-01", { previous: "2025-12", next: "2026-02", year: "2026", month: "2026-01" }],
    ["2026", { previous: "2025", next: null, year: "2026", month: "2026-11" }],
    ["2025", { previous: null, next: "2026", year: "2025", month: "2025-12" }],
  ];
  it.each(nav)("%s 的前后", (p, expected) => expect(periodNav(parsePeriod(p)!, bounds)).toEqual(expected));
});

const m = (code: string, over: Partial<UnitMonthRow> = {}): UnitMonthRow => ({
  unitId: Number(code.replace(/\D/g, "")) + (code.startsWith("Q") ? 100 : 0), code, name: `${code}学校`, kind: code.startsWith("Q") ? "district_school" : "township_central",
  kindName: code.startsWith("Q") ? "区直中小学" : "乡镇中心校", quota: 10, submitted: 0, adopted: 0, late: 0, national: 0, province: 0, city: 0,
  status: "none", completion: 0, points: 0, rank: 1, tied: false, movement: null, ...over,
});

describe("year to date", () => {
  const september = [
    m("X01", { submitted: 12, adopted: 10, late: 1, points: 24.5, status: "met", city: 1 }),
    m("X02", { submitted: 6, adopted: 5, points: 8, status: "short" }),
    m("X03", { points: -15, status: "none" }),
    m("Q01", { quota: 5, submitted: 5, adopted: 5, points: 12, status: "met", national: 1 }),
  ];
  const october = [
    m("X01", { submitted: 3, adopted: 2, points: 0.5, status: "short" }),
    m("X02", { submitted: 11, adopted: 11, points: 26.5, status: "met", province: 1 }),
    m("X03", { submitted: 10, adopted: 10, points: 9.5, status: "met" }),
    m("Q01", { quota: 6, submitted: 1, adopted: 0, points: -6, status: "short" }),
  ];

  it("sums each unit's months: points, counts, quotas, pickups and status months", () => {
    const totals = sumUnitMonths([september, october]);
    const x01 = totals.find((t) => t.code === "X01")!;
    expect(x01).toMatchObject({ quota: 20, submitted: 15, adopted: 12, late: 1, points: 25, city: 1, months: { met: 1, short: 1, none: 0 } });
    expect(totals.find((t) => t.code === "Q01")).toMatchObject({ quota: 11, adopted: 5, points: 6, national: 1, months: { met: 1, short: 1, none: 0 } });
  });

  it("adds many 0.1s and 0.5s exactly", () => {
    const months = Array.from({ length: 12 }, () => [m("X01", { points: 0.1 }), m("X02", { points: 0.2 })]);
    const totals = sumUnitMonths(months);
    expect(totals.map((t) => t.points)).toEqual([1.2, 2.4]);
  });

  it("ranks inside each kind, with movement against the year to date through the previous month", () => {
    const rows = yearToDate([september, october]);
    const show = (r: UnitRankingRow) => `${r.code}:${r.rank}${r.tied ? "并列" : ""}:${movementText(r.movement)}:${Math.round(r.completion * 100)}%`;
    // Through September: X01 24.5, X02 8, X03 −15. Through October: X02 34.5, X01 25, X03 −5.5.
    expect(rows.filter((r) => r.kind === "township_central").map(show)).toEqual(["X02:1:↑1:80%", "X01:2:↓1:60%", "X03:3:—:50%"]);
    expect(rows.filter((r) => r.kind === "district_school").map(show)).toEqual(["Q01:1:—:45%"]);
    expect(rows.every((r) => r.status === null && r.months !== null)).toBe(true);
  });

  it("marks every unit 新 when the year has one month, and a unit that joined later 新", () => {
    expect(yearToDate([september]).map((r) => r.movement)).toEqual([null, null, null, null]);
    const joined = yearToDate([september, [...october, m("X04", { submitted: 10, adopted: 10, points: 50, status: "met" })]]);
    expect(joined.find((r) => r.code === "X04")).toMatchObject({ rank: 1, movement: null });
  });

  it("uses the month cascade for ties: equal points, then pickups, then adopted", () => {
    const rows = yearToDate([[m("X01", { points: 10, adopted: 3 }), m("X02", { points: 10, adopted: 4 }), m("X03", { points: 10, adopted: 4 })]]);
    expect(rows.map((r) => `${r.code}:${r.rank}${r.tied ? "并列" : ""}`)).toEqual(["X02:1并列", "X03:1并列", "X01:3"]);
  });

  it("gives the table across kinds of the year as crossKindOfRanked does from its rows, ties and all", () => {
    // Units out of code order, completions equal across kinds, a unit joining in the last month.
    const codes = ["X05", "Q02", "X01", "Q01", "X03", "X02", "Q03", "X04"];
    const month = (k: number) =>
      codes.map((code, i) => m(code, { quota: 4 + (i % 3), submitted: 3, adopted: (i * k) % 5, points: ((i * 7 + k) % 4) / 2, status: "short" }));
    const parts = [1, 2, 3].map((k) => ({ month: `2026-0${k}`, rows: month(k) }));
    parts.push({ month: "2026-04", rows: [...month(4), m("X09", { quota: 4, submitted: 4, adopted: 4, points: 9, status: "met" })] });
    const { rows, crossKind: across } = yearTablesOf(parts);
    expect(across).toEqual(crossKindOfRanked(rows));
    expect(across.some((r) => r.tied)).toBe(true);
    expect(across.map((r) => r.code)).not.toEqual([...across.map((r) => r.code)].sort());
  });

  it("counts a quota of 0 as complete", () => {
    const rows = yearToDate([[m("X01", { quota: 0, status: "met" })]]);
    expect(rows[0].completion).toBe(1);
  });
});

describe("crossKind", () => {
  const cases: Array<[string, Array<{ code: string; completion: number }>, string[]]> = [
    ["按完成率，不看类别和绝对数", [{ code: "X01", completion: 0.8 }, { code: "Q01", completion: 1.2 }, { code: "Y01", completion: 1 }], ["Q01:1", "Y01:2", "X01:3"]],
    ["完成率相同并列，按代码列出", [{ code: "X02", completion: 0.5 }, { code: "Q01", completion: 0.5 }, { code: "X01", completion: 1 }], ["X01:1", "Q01:2并列", "X02:2并列"]],
    ["2/3 与 4/6 相等", [{ code: "B", completion: 2 / 3 }, { code: "A", completion: 4 / 6 }], ["A:1并列", "B:1并列"]],
    ["没有单位", [], []],
  ];
  it.each(cases)("%s", (_l, rows, expected) =>
    expect(crossKind(rows).map((r) => `${r.code}:${r.rank}${r.tied ? "并列" : ""}`)).toEqual(expected),
  );
});

const person = (accountId: number, username: string, points: number, over: Partial<CorrespondentMonth> = {}): CorrespondentMonth => ({
  accountId, username, displayName: `信息员${accountId}`, active: true, unitId: 1, unitName: "城关镇中心学校", items: 1, points, ...over,
});

describe("correspondents", () => {
  it("ranks by split points; equal points share a rank, listed by username", () => {
    const rows = rankCorrespondents([person(1, "c", 3), person(2, "a", 5.5), person(3, "b", 3)]);
    expect(rows.map((r) => `${r.username}:${r.rank}${r.tied ? "并列" : ""}`)).toEqual(["a:1", "b:2并列", "c:2并列"]);
  });

  it("lists a closed month's frozen ranks as they are", () => {
    const rows = listFrozenCorrespondents([
      { ...person(1, "c", 3), rank: 2 }, { ...person(2, "a", 9), rank: 1 }, { ...person(3, "b", 3), rank: 2 },
    ]);
    expect(rows.map((r) => `${r.username}:${r.rank}${r.tied ? "并列" : ""}`)).toEqual(["a:1", "b:2并列", "c:2并列"]);
  });

  it("sums a person's months, taking the unit of their latest month", () => {
    const totals = addPeopleMonth(new Map(), "2026-09", columns([[1, 1, 0.5, 1.5], [2, 1, 1, 4]]));
    addPeopleMonth(totals, "2026-10", columns([[1, 2, 1.5, 2.25]]));
    expect(shown(rankPeopleTotals(totals, NAMES))).toEqual([
      ["b", 4, 1, "城关镇中心学校", 1],
      ["a", 3.75, 2, "县实验小学", 2],
    ]);
  });

  // [months in the order they are added: month, then rows of [account, unit, items, points]], expected [username, points, items, unit, rank]
  const cases: Array<[string, Array<[string, Array<[number, number, number, number]>]>, Array<[string, number, number, string, number]>]> = [
    [
      "the months in any order: the unit is still the latest month's",
      [["2026-10", [[1, 2, 1.5, 2.25]]], ["2026-09", [[1, 1, 0.5, 1.5]]]],
      [["a", 3.75, 2, "县实验小学", 1]],
    ],
    [
      "sums in hundredths: 0.1 + 0.2 is 0.3, a third of an item three times is 1",
      [["2026-08", [[1, 1, 0.33, 0.1]]], ["2026-09", [[1, 1, 0.33, 0.2]]], ["2026-10", [[1, 1, 0.34, 0]]]],
      [["a", 0.3, 1, "城关镇中心学校", 1]],
    ],
    [
      "an account no longer known is left out; equal points share a rank",
      [["2026-10", [[1, 1, 1, 2], [2, 2, 1, 2], [9, 1, 1, 5]]]],
      [["a", 2, 1, "城关镇中心学校", 1], ["b", 2, 1, "县实验小学", 1]],
    ],
    ["no rows", [["2026-10", []]], []],
  ];
  it.each(cases)("%s", (_name, months, expected) => {
    const totals: PeopleTotals = new Map();
    for (const [month, rows] of months) addPeopleMonth(totals, month, columns(rows));
    expect(shown(rankPeopleTotals(totals, NAMES))).toEqual(expected);
  });

  it("adds sums made over other months as it adds those months", () => {
    const months: Array<[string, PeopleMonthColumns]> = [
      ["2026-08", columns([[1, 1, 0.33, 0.1], [2, 1, 1, 4]])],
      ["2026-09", columns([[1, 2, 0.33, 0.2]])],
      ["2026-10", columns([[1, 1, 0.34, 1.25], [2, 2, 2, 0.05]])],
    ];
    const monthByMonth: PeopleTotals = new Map();
    for (const [month, rows] of months) addPeopleMonth(monthByMonth, month, rows);
    // The first two months as a close stores them: hundredths, and each person's latest month and unit.
    const stored = addPeopleSums(new Map(), {
      accountId: [1, 2], unitId: [2, 1], latest: ["2026-09", "2026-08"], cents: [30, 400], itemCents: [66, 100],
    });
    addPeopleMonth(stored, "2026-10", months[2][1]);
    expect(shown(rankPeopleTotals(stored, NAMES))).toEqual(shown(rankPeopleTotals(monthByMonth, NAMES)));
    expect(shown(rankPeopleTotals(stored, NAMES))).toEqual([["b", 4.05, 3, "县实验小学", 1], ["a", 1.55, 1, "城关镇中心学校", 2]]);
  });
});

/** Rows of [account, unit, items, points] as a month's columns. */
function columns(rows: Array<[number, number, number, number]>): PeopleMonthColumns {
  return { accountId: rows.map((r) => r[0]), unitId: rows.map((r) => r[1]), items: rows.map((r) => r[2]), points: rows.map((r) => r[3]) };
}

const NAMES: PeopleNames = {
  account: (id) => ({ 1: { username: "a", displayName: "信息员1", active: true }, 2: { username: "b", displayName: "信息员2", active: true } })[id],
  unitName: (id) => ({ 1: "城关镇中心学校", 2: "县实验小学" })[id],
};

const shown = (rows: ReturnType<typeof rankPeopleTotals>) => rows.map((r) => [r.username, r.points, r.items, r.unitName, r.rank]);

describe("viewFor", () => {
  const row = (unitId: number, code: string): UnitRankingRow => ({
    unitId, code, name: code, kind: "k", kindName: "乡镇中心校", quota: 10, submitted: 1, adopted: 1, late: 0, national: 0, province: 0,
    city: 0, completion: 0.1, points: 1, rank: unitId, tied: false, movement: 0, status: "short", months: null,
  });
  const people = rankCorrespondents([
    person(1, "a", 10), person(2, "b", 9), person(3, "c", 8), person(4, "d", 8), person(5, "e", 1),
  ]);
  const view: RankingsView = {
    period: "2026-10", scope: "month", months: ["2026-10"], provisional: false, openMonths: [], closedAt: "2026-11-05T02:00:00.000Z",
    kinds: [{ code: "k", name: "乡镇中心校", rows: [row(1, "X01"), row(2, "X02")] }],
    crossKind: [{ ...row(2, "X02"), kindRank: 2, kindTied: false }, { ...row(1, "X01"), kindRank: 1, kindTied: false }],
    correspondents: people,
    channels: [{ id: 1, name: "教育信息网" }],
    channelTotals: [{ submitted: 2, adopted: 2 }],
  };

  const cases: Array<[string, { accountId: number; unitId: number | null }, number, string[], string | null]> = [
    ["审核员：不标记单位，只看前 3 名（并列的第 3 名一起保留）", { accountId: 99, unitId: null }, 3, ["a", "b", "c", "d"], null],
    ["本人在前列之外：补上本人一行", { accountId: 5, unitId: 2 }, 3, ["a", "b", "c", "d", "e"], "X02"],
    ["本人在前列之内", { accountId: 2, unitId: 1 }, 2, ["a", "b"], "X01"],
  ];
  it.each(cases)("%s", (_l, viewer, top, expectedPeople, ownCode) => {
    const v = viewFor(view, viewer, top);
    expect(v.correspondents.map((p) => p.displayName.replace("信息员", ""))).toEqual(
      expectedPeople.map((u) => String(people.find((p) => p.username === u)!.accountId)),
    );
    expect(v.correspondents.filter((p) => p.own).map((p) => p.accountId)).toEqual(
      expectedPeople.includes(people.find((p) => p.accountId === viewer.accountId)?.username ?? "") ? [viewer.accountId] : [],
    );
    expect(v.correspondents.some((p) => "username" in p)).toBe(false);
    expect(v.kinds[0].rows.filter((r) => r.own).map((r) => r.code)).toEqual(ownCode ? [ownCode] : []);
    expect(v.crossKind.filter((r) => r.own).map((r) => r.code)).toEqual(ownCode ? [ownCode] : []);
    expect(v.ownUnit?.code ?? null).toBe(ownCode);
    expect(v.correspondentTotal).toBe(5);
  });

  // A province: 200 people share first place, then 1,000 more.
  const crowd = rankCorrespondents(
    Array.from({ length: 1200 }, (_, i) => person(i + 1, `u${String(i + 1).padStart(4, "0")}`, i < 200 ? 10 : 5)),
  );
  const tiedCases: Array<[string, number, number, string]> = [
    ["审核员：并列第 1 名的 200 人只列出 CORRESPONDENT_ROWS_MAX 人", 99_999, CORRESPONDENT_ROWS_MAX, "前 30 名有 200 人（名次并列），这里列出其中 50 人；全部 1200 人见导出的表格"],
    ["本人在并列之中但没有列出：补上本人一行", 150, CORRESPONDENT_ROWS_MAX + 1, "前 30 名有 200 人（名次并列），这里列出其中 50 人；全部 1200 人见导出的表格"],
    ["本人在前列之外：补上本人一行", 1200, CORRESPONDENT_ROWS_MAX + 1, "前 30 名有 200 人（名次并列），这里列出其中 50 人；全部 1200 人见导出的表格"],
  ];
  it.each(tiedCases)("%s", (_l, accountId, rows, note) => {
    const v = viewFor({ ...view, correspondents: crowd }, { accountId, unitId: null });
    expect(v.correspondents).toHaveLength(rows);
    expect(v.correspondents.slice(0, CORRESPONDENT_ROWS_MAX).map((p) => p.accountId)).toEqual(crowd.slice(0, CORRESPONDENT_ROWS_MAX).map((p) => p.accountId));
    expect(v.correspondents.filter((p) => p.own).map((p) => p.accountId)).toEqual(accountId <= 1200 ? [accountId] : []);
    expect(v.correspondentNote).toBe(note);
  });
});

describe("peopleNote", () => {
  it.each([
    [5, 5, 5, 30, "共 5 人"],
    [30, 30, 30, 30, "共 30 人"],
    [31, 30, 30, 30, "前 30 名（共 31 人）"],
    [80, 32, 32, 30, "前 30 名（共 80 人）"],
    [20000, 3852, 50, 30, "前 30 名有 3852 人（名次并列），这里列出其中 50 人；全部 20000 人见导出的表格"],
  ])("%i people, %i in the top places, %i listed", (total, leading, listed, top, note) => expect(peopleNote(total, leading, listed, top)).toBe(note));
});

describe("pointsText", () => {
  // A negative total keeps the ASCII "-": copied into a spreadsheet it is still a number.
  it.each([
    [3, "3"], [1.25, "1.25"], [0, "0"], [-0.001, "0"], [-10, "-10"], [-2.5, "-2.5"], [-1 / 3, "-0.33"], [2 / 3, "0.67"],
  ])("%f → %s", (v, text) => expect(pointsText(v)).toBe(text));
});

describe("percentText", () => {
  it.each([
    [1, "100%"], [0.8, "80%"], [2 / 3, "66.7%"], [0, "0%"], [1.25, "125%"], [0.0049, "0.5%"],
  ])("%f → %s", (v, text) => expect(percentText(v)).toBe(text));
});
