// Choosing one unit by id, code or name (app/domain/unit-pick.ts): what each typed value names.
import { describe, expect, it } from "vitest";
import { pickUnit, pickUnitList, unitFieldValue, unitFilterView, unitLabel, unitPickProblem, unitText, UNIT_SELECT_MAX } from "~/domain/unit-pick";

const UNITS = [
  { id: 1, code: "A01", name: "城关镇中心学校", active: 1 },
  { id: 2, code: "B01", name: "县实验小学", active: 1 },
  { id: 3, code: "B02", name: "县实验中学", active: 0 },
  { id: 4, code: "1001", name: "柳河镇中心学校", active: 1 },
  { id: 1001, code: "K09", name: "县第一幼儿园", active: 1 },
];

describe("pickUnit", () => {
  const cases: Array<[string, string | undefined, Parameters<typeof pickUnit>[2], number | undefined, number]> = [
    // [what, typed, options, the unit's id, how many matches]
    ["nothing", undefined, {}, undefined, 0],
    ["only spaces", "   ", {}, undefined, 0],
    ["an id", "2", {}, 2, 0],
    ["an id that is also a code: the id wins in a URL", "1001", {}, 1001, 0],
    ["the same number where ids are not read: the code", "1001", { ids: false }, 4, 0],
    ["a number no unit has as id or code", "777", {}, undefined, 0],
    ["a code", "B01", {}, 2, 0],
    ["a code in lower case", "b01", {}, 2, 0],
    ["code and name, as the box shows a chosen unit", "B02 县实验中学", {}, 3, 0],
    ["a code with the wrong name", "B02 县实验小学", { partial: false }, undefined, 0],
    ["a whole name", "县实验小学", {}, 2, 0],
    ["part of a name shared by two", "县实验", {}, undefined, 2],
    ["part of one name only", "柳河", {}, 4, 0],
    ["part of one name only, where only exact names count", "柳河", { partial: false }, undefined, 1],
    ["part of codes", "b0", {}, undefined, 2],
    ["no unit at all", "青龙", {}, undefined, 0],
  ];
  it.each(cases)("%s", (_what, typed, options, id, matchCount) => {
    const pick = pickUnit(UNITS, typed, options);
    expect(pick.unit?.id).toBe(id);
    expect(pick.matchCount).toBe(matchCount);
    expect(pick.matches).toHaveLength(matchCount);
  });

  it("lists only the first matches and counts them all", () => {
    const many = Array.from({ length: 50 }, (_, i) => ({ id: i + 1, code: `P${String(i + 1).padStart(3, "0")}`, name: `第${i + 1}号学校` }));
    const pick = pickUnit(many, "学校", { shown: 20 });
    expect(pick.unit).toBeUndefined();
    expect(pick.matchCount).toBe(50);
    expect(pick.matches.map((u) => u.id)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  });

  it("reads no more than 50 characters", () => {
    expect(pickUnit(UNITS, "县".repeat(80)).text).toHaveLength(50);
  });
});

describe("the unit filter's view", () => {
  it("is a drop-down of every unit while they are few, a search box's state beyond", () => {
    expect(unitFilterView(UNITS, pickUnit(UNITS, "2"))).toEqual({ mode: "select", units: UNITS });
    expect(unitFilterView(UNITS, pickUnit(UNITS, "2"), 4)).toEqual({
      mode: "search", chosen: UNITS[1], text: "B01 县实验小学", matches: [], matchCount: 0,
    });
    expect(unitFilterView(UNITS, pickUnit(UNITS, "县实验"), 4)).toMatchObject({
      mode: "search", chosen: null, text: "县实验", matchCount: 2, matches: [UNITS[1], UNITS[2]],
    });
    expect(UNIT_SELECT_MAX).toBeGreaterThanOrEqual(100);
  });

  it("names a unit by code and name, marks one no longer in use, and shows no code a unit was not given with", () => {
    expect(unitText(UNITS[0])).toBe("A01 城关镇中心学校");
    expect(unitLabel(UNITS[2])).toBe("B02 县实验中学（已停用）");
    expect(unitLabel({ id: 9, name: "县实验小学" })).toBe("县实验小学");
  });

  it("says why typed text names no one unit", () => {
    expect(unitPickProblem(pickUnit(UNITS, "青龙"))).toBe("没有名称或代码含“青龙”的单位");
    expect(unitPickProblem(pickUnit(UNITS, "县实验"))).toBe("名称或代码含“县实验”的单位有 2 个，请输入完整的单位代码");
    expect(unitPickProblem(pickUnit(UNITS, "柳河", { partial: false }))).toBe(
      "没有代码或名称为“柳河”的单位，是否要找“1001 柳河镇中心学校”？请输入完整的单位代码",
    );
  });
});

describe("pickUnitList", () => {
  const cases: Array<[string, string, number[], string | null]> = [
    // [what, typed, ids, problem]
    ["nothing", "  \n ", [], null],
    ["codes in any case, each once, in the order typed", "b01\nA01, B01", [2, 1], null],
    ["separated by Chinese commas, 、 and semicolons", "A01，B01、K09；1001", [1, 2, 1001, 4], null],
    ["a whole name", "县实验小学 柳河镇中心学校", [2, 4], null],
    ["a number is a code, never an id", "1001", [4], null],
    ["part of a name or an unknown code", "A01 县实验 Z99", [1], "找不到单位代码或名称：县实验、Z99。请逐个填写完整的单位代码"],
  ];
  it.each(cases)("%s", (_what, typed, ids, problem) => {
    expect(pickUnitList(UNITS, typed)).toEqual({ ids, problem });
  });

  it("names the first ten it cannot find and counts the rest", () => {
    const typed = Array.from({ length: 12 }, (_, i) => `Z${i}`).join(" ");
    expect(pickUnitList(UNITS, typed).problem).toBe("找不到单位代码或名称：Z0、Z1、Z2、Z3、Z4、Z5、Z6、Z7、Z8、Z9 等 12 个。请逐个填写完整的单位代码");
  });
});

describe("unitFieldValue", () => {
  const unit = { id: 42, code: "P0042", name: "第42号学校" };
  it.each([
    ["a unit in a drop-down", unit, [unit], "42"],
    ["a unit in the box", unit, null, "P0042 第42号学校"],
    ["no unit in a drop-down", undefined, [unit], ""],
    ["no unit in the box", undefined, null, ""],
  ] as const)("%s", (_case, chosen, dropDown, value) => {
    expect(unitFieldValue(chosen, dropDown)).toBe(value);
    // What the box shows is read back to the same unit.
    if (chosen && !dropDown) expect(pickUnit([unit], value, { ids: false, partial: false }).unit).toBe(unit);
  });
});
