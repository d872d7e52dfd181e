import { describe, expect, it } from "vitest";
import type { Role } from "~/domain/permissions";
import {
  dateLabel, deadlinePassed, entryChanges, gapText, parseRegisterYear, registeredLate, registeredOnProblem,
  registerDeadline, registerEntrySchema, registerGaps, registerRows, registerScope, type RegisterGap, type RegisterMember,
} from "~/domain/register";

const lead = (active = true): RegisterMember => ({ role: "school_lead", active });
const corr = (active = true): RegisterMember => ({ role: "correspondent", active });

describe("registerGaps: a unit needs an active lead and an active correspondent", () => {
  const cases: Array<[string, RegisterMember[], RegisterGap[]]> = [
    ["城关镇中心学校：领导一人、信息员两人", [lead(), corr(), corr()], []],
    ["县实验小学：只有信息员", [corr()], ["lead"]],
    ["柳河镇中心幼儿园：只有分管领导", [lead()], ["correspondent"]],
    ["新建单位：谁都没有", [], ["lead", "correspondent"]],
    ["信息员调走（已停用），没有补人", [lead(), corr(false)], ["correspondent"]],
    ["领导已停用，信息员在岗", [lead(false), corr()], ["lead"]],
    ["两人都已停用", [lead(false), corr(false)], ["lead", "correspondent"]],
    ["停用的旧信息员 + 新信息员", [lead(), corr(false), corr()], []],
    ["审核员、管理员不算", [{ role: "reviewer", active: true }, { role: "admin", active: true }], ["lead", "correspondent"]],
  ];
  it.each(cases)("%s", (_label, members, gaps) => expect(registerGaps(members)).toEqual(gaps));

  it("says what is missing in Chinese", () => {
    expect(gapText([])).toBe("");
    expect(gapText(["lead"])).toBe("缺少分管领导");
    expect(gapText(["correspondent"])).toBe("缺少在岗信息员");
    expect(gapText(["lead", "correspondent"])).toBe("缺少分管领导、在岗信息员");
  });
});

describe("registerDeadline: the year's deadline from the MM-DD setting", () => {
  const cases: Array<[number, string, string]> = [
    [2026, "04-10", "2026-04-10"],
    [2027, "04-10", "2027-04-10"],
    [2026, "03-31", "2026-03-31"],
    [2028, "02-29", "2028-02-29"],
    [2026, "02-29", "2026-02-28"],
    [2026, " 05-01 ", "2026-05-01"],
    [2026, "4月10日", "2026-04-10"],
    [2026, "13-01", "2026-04-10"],
    [2026, "04-31", "2026-04-10"],
    [2026, "", "2026-04-10"],
  ];
  it.each(cases)("%i with %j → %s", (year, setting, date) => expect(registerDeadline(year, setting)).toBe(date));

  it("reads as a Chinese date", () => {
    expect(dateLabel("2026-04-10")).toBe("2026年4月10日");
    expect(dateLabel("2027-12-01")).toBe("2027年12月1日");
  });

  const passed: Array<[string, string, boolean]> = [
    ["2026-04-09", "2026-04-10", false],
    ["2026-04-10", "2026-04-10", false],
    ["2026-04-11", "2026-04-10", true],
    ["2027-01-01", "2026-04-10", true],
  ];
  it.each(passed)("on %s the deadline %s has passed: %s", (today, deadline, yes) => expect(deadlinePassed(deadline, today)).toBe(yes));

  const late: Array<[string | null, number, boolean]> = [
    ["2026-04-10", 2026, false],
    ["2026-04-11", 2026, true],
    ["2026-03-15", 2026, false],
    ["2025-05-20", 2026, false],
    ["2026-05-20", 2025, false],
    [null, 2026, false],
  ];
  it.each(late)("registered %s is late for %i: %s", (on, year, yes) => expect(registeredLate(on, year, registerDeadline(year, "04-10"))).toBe(yes));
});

describe("parseRegisterYear", () => {
  const cases: Array<[string | undefined, number | null]> = [
    ["2026", 2026],
    ["2027", 2027],
    ["2028", null],
    ["2000", 2000],
    ["1999", null],
    ["26", null],
    ["2026.xlsx", null],
    ["二〇二六", null],
    [undefined, null],
  ];
  it.each(cases)("%j → %j (current year 2026)", (value, year) => expect(parseRegisterYear(value, 2026)).toBe(year));
});

describe("registeredOnProblem and the lead's form", () => {
  const today = "2026-11-21";
  const cases: Array<[string, string | null]> = [
    ["2026-03-20", null],
    ["2026-11-21", null],
    ["2026-11-22", "登记日期不能晚于今天"],
    ["", "请填写登记日期"],
    ["2026-02-30", "登记日期应为有效日期，如 2026-03-20"],
    ["2026/03/20", "登记日期应为有效日期，如 2026-03-20"],
    ["1999-12-31", "登记日期不能早于 2000 年"],
    ["2024-02-29", null],
  ];
  it.each(cases)("%j → %j", (value, problem) => expect(registeredOnProblem(value, today)).toBe(problem));

  const schema = registerEntrySchema(today);
  it("takes a phone in any common shape and stores 11 digits", () => {
    const r = schema.safeParse({ account_id: "7", phone: "+86 138-0013-8000", registered_on: "2026-03-20" });
    expect(r.success && r.data).toEqual({ account_id: 7, phone: "13800138000", registered_on: "2026-03-20" });
  });
  it.each([
    ["12345", "phone"],
    ["1380013800", "phone"],
    ["23800138000", "phone"],
  ])("refuses the phone %s", (phone, field) => {
    const r = schema.safeParse({ account_id: "7", phone, registered_on: "2026-03-20" });
    expect(r.success).toBe(false);
    expect(r.error?.issues.map((i) => i.path[0])).toEqual([field]);
    expect(r.error?.issues[0].message).toBe("手机号应为 11 位手机号码，或留空");
  });
  it("refuses a missing person", () => {
    expect(schema.safeParse({ phone: "", registered_on: "2026-03-20" }).success).toBe(false);
    expect(schema.safeParse({ account_id: "abc", phone: "", registered_on: "2026-03-20" }).success).toBe(false);
  });
  it("names the changes, field by field", () => {
    expect(entryChanges({ phone: "13800000000", registered_on: "2026-03-01" }, { phone: "13800000000", registered_on: "2026-03-01" })).toEqual({});
    expect(entryChanges({ phone: "", registered_on: null }, { phone: "13900000000", registered_on: "2026-03-01" })).toEqual({
      phone: ["", "13900000000"],
      registered_on: [null, "2026-03-01"],
    });
  });
});

describe("registerScope: who reads whose register", () => {
  const cases: Array<[Role, number | null, ReturnType<typeof registerScope>]> = [
    ["reviewer", null, { all: true }],
    ["admin", null, { all: true }],
    ["school_lead", 3, { all: false, unitId: 3 }],
    ["school_lead", null, null],
    ["correspondent", 3, null],
  ];
  it.each(cases)("%s of unit %j → %j", (role, unitId, scope) => expect(registerScope({ role, unitId })).toEqual(scope));
});

describe("registerRows: the export's rows", () => {
  it("lists people, then missing roles, then those who left", () => {
    const rows = registerRows([
      {
        code: "Q01", name: "县第一中学", kindName: "区直中小学", township: "城区",
        leads: [],
        correspondents: [{ role: "correspondent", name: "张晓梅", phone: "13800000001", registeredOn: "2026-04-12", late: true }],
        inactive: [{ role: "correspondent", name: "李建国", phone: "13800000002", registeredOn: "2024-03-01", deactivatedOn: "2026-08-31" }],
        gaps: ["lead"],
      },
    ]);
    expect(rows).toEqual([
      ["Q01", "县第一中学", "区直中小学", "城区", "信息员", "张晓梅", "13800000001", "2026-04-12", "在用（逾期登记）"],
      ["Q01", "县第一中学", "区直中小学", "城区", "分管领导", "", "", "", "未登记"],
      ["Q01", "县第一中学", "区直中小学", "城区", "信息员", "李建国", "13800000002", "2024-03-01", "已停用（2026-08-31）"],
    ]);
  });
});
