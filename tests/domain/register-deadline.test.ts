// The register's dates: the year's deadline when the setting changed during the year (the one in
// force when it fell), who was on the register at the end of a day, what a unit lacked at the
// deadline, and the table of incomplete units the page and the Excel sheet share.
import { describe, expect, it } from "vitest";
import {
  gapsAtDeadline, incompleteTable, onRegisterAt, yearRegisterDeadline, type DatedMember, type RegisterGap, type RegisterUnit,
} from "~/domain/register";

describe("yearRegisterDeadline: the deadline in force when it fell", () => {
  const v = (effectiveMonth: string, value: string) => ({ effectiveMonth, value });
  const cases: Array<[string, number, Array<{ effectiveMonth: string; value: string }>, string]> = [
    ["从未设置：默认 4月10日", 2026, [], "2026-04-10"],
    ["一直是 04-10", 2026, [v("2024-01", "04-10")], "2026-04-10"],
    ["12月改为 03-31（为明年）：今年仍是 4月10日", 2026, [v("2024-01", "04-10"), v("2026-12", "03-31")], "2026-04-10"],
    ["12月改为 03-31：明年起是 3月31日", 2027, [v("2024-01", "04-10"), v("2026-12", "03-31")], "2027-03-31"],
    ["5月改为 03-31：今年 4月10日已过，不变", 2026, [v("2024-01", "04-10"), v("2026-05", "03-31")], "2026-04-10"],
    ["6月推迟到 06-30：今年 4月10日已过，不变", 2026, [v("2024-01", "04-10"), v("2026-06", "06-30")], "2026-04-10"],
    ["1月是 04-10，3月起是 03-31：3月31日", 2026, [v("2024-01", "04-10"), v("2026-03", "03-31")], "2026-03-31"],
    ["1月起 03-31，3月起又改回 04-10：4月10日", 2026, [v("2026-01", "03-31"), v("2026-03", "04-10")], "2026-04-10"],
    ["4月起推迟到 04-20（当月生效）：4月20日", 2026, [v("2024-01", "04-10"), v("2026-04", "04-20")], "2026-04-20"],
    ["4月起提前到 04-05（当月生效）：4月5日", 2026, [v("2024-01", "04-10"), v("2026-04", "04-05")], "2026-04-05"],
    ["4月起改为 03-31（生效时已过）：3月底截止", 2026, [v("2024-01", "04-10"), v("2026-04", "03-31")], "2026-03-31"],
    ["原为 05-10，5月起改为 04-10（生效时已过）：4月底截止，4月登记的不算逾期", 2026, [v("2024-01", "05-10"), v("2026-05", "04-10")], "2026-04-30"],
    ["闰年 02-29", 2028, [v("2024-01", "02-29")], "2028-02-29"],
    ["平年 02-29 按 2月28日", 2026, [v("2024-01", "02-29")], "2026-02-28"],
    ["年底 12-31", 2026, [v("2024-01", "12-31")], "2026-12-31"],
    ["设置值无效：按默认", 2026, [v("2024-01", "13-01")], "2026-04-10"],
    ["只有明年起的设置：今年按默认", 2026, [v("2027-01", "03-01")], "2026-04-10"],
    ["版本顺序无关", 2026, [v("2026-03", "03-31"), v("2024-01", "04-10")], "2026-03-31"],
  ];
  it.each(cases)("%s", (_label, year, versions, deadline) => expect(yearRegisterDeadline(year, versions)).toBe(deadline));
});

const person = (role: string, registeredOn: string | null, deactivatedOn: string | null = null, createdOn = "2025-01-01"): DatedMember => ({
  role, active: deactivatedOn === null, registeredOn, createdOn, deactivatedOn,
});

describe("onRegisterAt: on the register at the end of a day", () => {
  const day = "2026-04-10";
  const cases: Array<[string, DatedMember, boolean]> = [
    ["去年登记，在岗", person("correspondent", "2025-03-01"), true],
    ["截止日当天登记", person("correspondent", "2026-04-10"), true],
    ["截止日后一天登记", person("correspondent", "2026-04-11"), false],
    ["登记日期未填，账号截止日前建立", person("correspondent", null, null, "2026-03-01"), true],
    ["登记日期未填，账号截止日后建立", person("correspondent", null, null, "2026-04-20"), false],
    ["登记日期早于建账号日期：按登记日期", person("correspondent", "2026-01-05", null, "2026-06-01"), true],
    ["登记日期在以后年份（重新登记）、账号去年已建：按建账号日期", person("correspondent", "2027-03-01", null, "2025-05-01"), true],
    ["登记日期在以后年份、账号截止日后才建", person("correspondent", "2027-03-01", null, "2026-05-01"), false],
    ["截止日后停用：截止日仍在岗", person("correspondent", "2025-03-01", "2026-06-15"), true],
    ["截止日当天停用：截止日已不在岗", person("correspondent", "2025-03-01", "2026-04-10"), false],
    ["截止日前停用", person("correspondent", "2025-03-01", "2026-02-01"), false],
    ["已停用、停用日期未记录：不算在岗", { ...person("correspondent", "2025-03-01"), active: false }, false],
  ];
  it.each(cases)("%s", (_label, m, on) => expect(onRegisterAt(m, day)).toBe(on));
});

describe("gapsAtDeadline: what a unit lacked at the end of the deadline day", () => {
  const lead = person("school_lead", "2025-03-01");
  const cases: Array<[string, string, DatedMember[], string, RegisterGap[] | null]> = [
    ["截止日前：还不判断", "2025-01-01", [lead], "2026-04-09", null],
    ["截止日当天：还不判断", "2025-01-01", [lead], "2026-04-10", null],
    ["城关镇中心学校：信息员 4月20日才登记", "2025-01-01", [lead, person("correspondent", "2026-04-20")], "2026-05-01", ["correspondent"]],
    ["柳河镇中心学校：信息员 6月离岗，截止日齐全", "2025-01-01", [lead, person("correspondent", "2025-03-01", "2026-06-15")], "2026-07-01", []],
    ["双河镇中心学校：截止日当天离岗，次日补人", "2025-01-01", [lead, person("correspondent", "2025-03-01", "2026-04-10"), person("correspondent", "2026-04-11")], "2026-07-01", ["correspondent"]],
    ["县实验小学：一直没有分管领导", "2025-01-01", [person("correspondent", "2025-03-01")], "2026-07-01", ["lead"]],
    ["新区实验学校：6月新增，截止日还不存在", "2026-06-01", [person("school_lead", "2026-06-01")], "2026-07-01", null],
    ["白沙镇中心学校：6月录入，分管领导 1月起在册", "2026-06-01", [person("school_lead", "2026-01-05")], "2026-07-01", ["correspondent"]],
    ["截止日录入的单位，谁都没有", "2026-04-10", [], "2026-07-01", ["lead", "correspondent"]],
  ];
  it.each(cases)("%s", (_label, createdOn, members, today, gaps) => expect(gapsAtDeadline(createdOn, members, "2026-04-10", today)).toEqual(gaps));
});

describe("incompleteTable: the units listed, with what they lacked then and lack now", () => {
  type U = Pick<RegisterUnit, "id" | "code" | "name" | "kindName" | "gaps" | "gapsAtDeadline">;
  const unit = (id: number, code: string, name: string, gapsAtDeadline: RegisterGap[] | null, gaps: RegisterGap[]): U => ({
    id, code, name, kindName: "乡镇中心校", gaps, gapsAtDeadline,
  });
  const units: U[] = [
    unit(1, "A01", "城关镇中心学校", ["correspondent"], []),
    unit(2, "A02", "柳河镇中心学校", [], ["correspondent"]),
    unit(3, "A03", "石桥镇中心学校", [], []),
    unit(4, "A04", "新区实验学校", null, ["lead", "correspondent"]),
    unit(5, "A05", "白沙镇中心学校", ["lead"], ["lead"]),
    unit(6, "A06", "双河镇中心学校", null, []),
  ];
  const cells = (rows: ReturnType<typeof incompleteTable>) =>
    rows.map((r) => [r.code, r.atDeadline && [r.atDeadline.text, r.atDeadline.missing], [r.today.text, r.today.missing]]);

  it("after the deadline: incomplete then or now, in the given order", () => {
    expect(cells(incompleteTable(units, true))).toEqual([
      ["A01", ["在岗信息员", true], ["已补齐", false]],
      ["A02", ["齐全", false], ["在岗信息员", true]],
      ["A04", ["截止日后新增", false], ["分管领导、在岗信息员", true]],
      ["A05", ["分管领导", true], ["分管领导", true]],
    ]);
  });

  it("before the deadline: today's gaps only", () => {
    const before = units.map((u) => ({ ...u, gapsAtDeadline: null }));
    expect(cells(incompleteTable(before, false))).toEqual([
      ["A02", null, ["在岗信息员", true]],
      ["A04", null, ["分管领导、在岗信息员", true]],
      ["A05", null, ["分管领导", true]],
    ]);
  });

  it("names the unit as the page links it", () => {
    expect(incompleteTable([units[0]], true)[0]).toMatchObject({ unitId: 1, code: "A01", name: "城关镇中心学校", kindName: "乡镇中心校" });
  });
});
