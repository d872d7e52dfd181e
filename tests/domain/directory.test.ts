import { describe, expect, it } from "vitest";
import {
  ACCOUNT_COLUMNS,
  accountCreateSchema,
  accountEditSchema,
  kindFromText,
  normalizePhone,
  normalizeUnitCode,
  normalizeUsername,
  phoneProblem,
  readRecords,
  roleFromText,
  roleUnitProblem,
  UNIT_COLUMNS,
  unitCodeProblem,
  unitFormSchema,
  usernameProblem,
  validateAccountRows,
  validateUnitRows,
  type SheetRow,
} from "~/domain/directory";
import type { Role } from "~/domain/permissions";

const KINDS = [
  { code: "township_central", name: "乡镇中心校" },
  { code: "district_school", name: "区直中小学" },
  { code: "kindergarten", name: "幼儿园" },
];

/** A test per input: `problem` answers null for each `accepted` one and the given message for each `refused` one. */
function problemCases(problem: (input: string) => string | null, accepted: string[], refused: Array<[string, string]>) {
  const cases: Array<[string, string | null]> = [...accepted.map((input): [string, null] => [input, null]), ...refused];
  for (const [input, expected] of cases) {
    it(`"${input}" → ${expected ?? "ok"}`, () => expect(problem(input)).toBe(expected));
  }
}

describe("unit codes", () => {
  const charset = "单位代码只能包含字母、数字和连字符（-）";
  problemCases(unitCodeProblem, ["A01", "XZ-0101", "1", "A".repeat(20)], [
    ["", "请填写单位代码"],
    ["A".repeat(21), "单位代码不能超过 20 个字符"],
    ["A 01", charset],
    ["城关01", charset],
    ["A_01", charset],
  ]);
  it("is trimmed and upper-cased", () => expect(normalizeUnitCode("  xz-01 ")).toBe("XZ-01"));
});

describe("usernames", () => {
  const length = "用户名应为 3-32 个字符";
  const charset = "用户名只能包含小写字母、数字和 . _ -";
  problemCases(usernameProblem, ["abc", "zhang.xm_01-a", "a".repeat(32)], [
    ["", "请填写用户名"],
    ["ab", length],
    ["a".repeat(33), length],
    ["张晓梅", charset],
    ["zhang xm", charset],
    ["zhang@x", charset],
  ]);
  it("is trimmed and lower-cased before the check", () => expect(normalizeUsername(" ZhangXM ")).toBe("zhangxm"));
});

describe("phone numbers", () => {
  const cases: Array<[string, string, string | null]> = [
    ["", "", null],
    ["13800000000", "13800000000", null],
    ["138 0000 0000", "13800000000", null],
    ["138-0000-0000", "13800000000", null],
    ["+86 13912345678", "13912345678", null],
    ["12800000000", "12800000000", "手机号应为 11 位手机号码，或留空"],
    ["1380000000", "1380000000", "手机号应为 11 位手机号码，或留空"],
    ["0371-12345678", "037112345678", "手机号应为 11 位手机号码，或留空"],
  ];
  for (const [raw, normal, expected] of cases) {
    it(`"${raw}" → ${normal} ${expected ?? "ok"}`, () => {
      expect(normalizePhone(raw)).toBe(normal);
      expect(phoneProblem(normalizePhone(raw))).toBe(expected);
    });
  }
});

describe("role ↔ unit", () => {
  const active = { active: true };
  const stopped = { active: false };
  const cases: Array<[Role, { active: boolean } | null, string | null]> = [
    ["correspondent", active, null],
    ["school_lead", active, null],
    ["correspondent", null, "信息员必须属于一个单位"],
    ["school_lead", null, "分管领导必须属于一个单位"],
    ["correspondent", stopped, "该单位已停用，不能再添加或调入账号"],
    ["reviewer", null, null],
    ["admin", null, null],
    ["reviewer", active, "审核员不属于任何单位，单位请留空"],
    ["admin", active, "管理员不属于任何单位，单位请留空"],
  ];
  for (const [role, unit, expected] of cases) {
    it(`${role} with ${unit ? (unit.active ? "an active unit" : "a stopped unit") : "no unit"} → ${expected ?? "ok"}`, () =>
      expect(roleUnitProblem(role, unit)).toBe(expected));
  }
});

describe("Chinese names ↔ codes", () => {
  const roles: Array<[string, Role | null]> = [
    ["信息员", "correspondent"],
    ["分管领导", "school_lead"],
    ["校长", "school_lead"],
    ["审核员", "reviewer"],
    [" 管理员 ", "admin"],
    ["admin", "admin"],
    ["Reviewer", "reviewer"],
    ["局长", null],
    ["", null],
  ];
  for (const [text, code] of roles) it(`角色 "${text}" → ${code}`, () => expect(roleFromText(text)).toBe(code));

  const kinds: Array<[string, string | null]> = [
    ["乡镇中心校", "township_central"],
    ["区直中小学", "district_school"],
    ["幼儿园", "kindergarten"],
    ["kindergarten", "kindergarten"],
    ["Township_Central", "township_central"],
    ["中学", null],
    ["", null],
  ];
  for (const [text, code] of kinds) it(`单位类别 "${text}" → ${code}`, () => expect(kindFromText(text, KINDS)).toBe(code));
});

describe("form schemas", () => {
  it("unit form: normalises the code and reads the checkbox", () => {
    const ok = unitFormSchema().safeParse({ code: " a01 ", name: " 城关镇中心学校 ", township: "城关镇", kind: "township_central", signoff_required: "1" });
    expect(ok.success && ok.data).toEqual({ code: "A01", name: "城关镇中心学校", township: "城关镇", kind: "township_central", signoff_required: 1 });
    const off = unitFormSchema().safeParse({ code: "A01", name: "某校", kind: "kindergarten" });
    expect(off.success && off.data.signoff_required).toBe(0);
  });

  it("unit form: a message per bad field", () => {
    const bad = unitFormSchema().safeParse({ code: "A 01", name: "", kind: "" });
    expect(bad.success).toBe(false);
    const byField = Object.fromEntries(bad.error!.issues.map((i) => [String(i.path[0]), i.message]));
    expect(byField).toEqual({ code: "单位代码只能包含字母、数字和连字符（-）", name: "请填写单位名称", kind: "请选择单位类别" });
  });

  it("account form: school roles need a unit, bureau roles may not have one", () => {
    const noUnit = accountEditSchema().safeParse({ display_name: "张晓梅", role: "correspondent", unit_id: "" });
    expect(noUnit.error?.issues.map((i) => [i.path[0], i.message])).toEqual([["unit_id", "信息员必须选择所属单位"]]);
    const withUnit = accountEditSchema().safeParse({ display_name: "赵审核", role: "reviewer", unit_id: "3" });
    expect(withUnit.error?.issues.map((i) => [i.path[0], i.message])).toEqual([["unit_id", "审核员不属于任何单位，单位请选择“无”"]]);
    const good = accountEditSchema().safeParse({ display_name: "张晓梅", phone: "138 0000 0000", role: "correspondent", unit_id: "3" });
    expect(good.success && good.data).toEqual({ display_name: "张晓梅", phone: "13800000000", role: "correspondent", unit_id: 3 });
  });

  // A missing field or an unknown role stops zod's checks of the whole form unless they say which fields they read.
  it.each([
    ["no name at all and a school role without a unit", accountEditSchema, { role: "correspondent", unit_id: "" }, [
      ["display_name", "请填写姓名"], ["unit_id", "信息员必须选择所属单位"],
    ]],
    ["a bad phone, an unknown role and a weak password", accountCreateSchema, { username: "zhangxm", display_name: "张", phone: "12", role: "boss", unit_id: "3", password: "abcdefghijk" }, [
      ["phone", "手机号应为 11 位手机号码，或留空"], ["role", "请选择角色"], ["password", "密码需包含字母、数字、符号中的至少两类"],
    ]],
  ])("account form with %s: every problem at once", (_, schema, input, expected) => {
    expect(schema().safeParse(input).error?.issues.map((i) => [i.path[0], i.message])).toEqual(expected);
  });

  it("account creation: checks the password against the policy and the username", () => {
    const weak = accountCreateSchema().safeParse({ username: "zhangxm", display_name: "张", role: "admin", password: "abcdefghijk" });
    expect(weak.error?.issues.map((i) => [i.path[0], i.message])).toEqual([["password", "密码需包含字母、数字、符号中的至少两类"]]);
    const containsName = accountCreateSchema().safeParse({ username: "zhangxm", display_name: "张", role: "admin", password: "Zhangxm2024" });
    expect(containsName.error?.issues.map((i) => i.message)).toEqual(["密码不能包含用户名"]);
    const empty = accountCreateSchema().safeParse({ username: "zhangxm", display_name: "张", role: "admin", password: "" });
    expect(empty.error?.issues.map((i) => [i.path[0], i.message])).toEqual([["password", "请填写初始密码"]]);
    const unknownRole = accountCreateSchema().safeParse({ username: "zhangxm", display_name: "张", role: "boss", password: "Good@2024xyz" });
    expect(unknownRole.error?.issues.map((i) => [i.path[0], i.message])).toEqual([["role", "请选择角色"]]);
  });
});

const sheet = (...rows: string[][]): SheetRow[] => rows.map((cells, i) => ({ row: i + 1, cells }));

describe("reading the header and records", () => {
  it("maps Chinese headers in any order, ignores extra columns and blank rows, keeps row numbers", () => {
    const result = readRecords(
      sheet(["单位名称", "备注", " 单位代码 ", "单位类别", "*所属乡镇"], ["城关镇中心学校", "x", "A01", "乡镇中心校", "城关镇"], ["", "", "", "", ""], ["实验小学", "", "B01", "区直中小学", ""]),
      UNIT_COLUMNS,
    );
    expect(result).toEqual({
      ok: true,
      records: [
        { row: 2, values: { code: "A01", name: "城关镇中心学校", township: "城关镇", kind: "乡镇中心校" } },
        { row: 4, values: { code: "B01", name: "实验小学", township: "", kind: "区直中小学" } },
      ],
    });
  });

  it("names each missing column", () => {
    const result = readRecords(sheet(["用户名", "姓名", "手机号"], ["a", "b", "c"]), ACCOUNT_COLUMNS);
    expect(result.ok).toBe(false);
    const problems = !result.ok ? result.problems : [];
    expect(problems.filter((p) => p.message === "表头缺少此列").map((p) => p.column)).toEqual(["角色", "单位代码", "初始密码"]);
  });

  const UNITS_HINT = { name: "单位", columns: UNIT_COLUMNS };
  const ACCOUNTS_HINT = { name: "账号", columns: ACCOUNT_COLUMNS };
  it.each([
    ["an accounts file sent as units", ["用户名", "姓名", "手机号", "角色", "单位代码", "初始密码"], UNIT_COLUMNS, ACCOUNTS_HINT, /^这是账号导入文件（表头为用户名、姓名、手机号、角色、单位代码、初始密码）：请在“导入内容”中选择“账号”后重新上传$/],
    ["a units file sent as accounts", ["单位代码", "单位名称", "所属乡镇", "单位类别"], ACCOUNT_COLUMNS, UNITS_HINT, /^这是单位导入文件.*选择“单位”后重新上传$/],
    ["a text that is no list", ["hello"], UNIT_COLUMNS, ACCOUNTS_HINT, /^第一行没有找到任何一列表头（应为单位代码、单位名称、所属乡镇、单位类别）：请下载导入模板/],
    ["no list, no other kind given", ["%PDF-1.4"], ACCOUNT_COLUMNS, undefined, /^第一行没有找到任何一列表头（应为用户名、/],
  ] as const)("%s: one problem that says what to do", (_name, header, columns, other, message) => {
    const result = readRecords(sheet([...header], header.map(() => "x")), columns, 10, other);
    expect(result.ok).toBe(false);
    const problems = !result.ok ? result.problems : [];
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ row: 1, column: "" });
    expect(problems[0].message).toMatch(message);
  });

  it("still lists the missing columns of a header that has some of them, even given the other kind", () => {
    const result = readRecords(sheet(["单位代码", "单位名称"], ["A1", "甲"]), UNIT_COLUMNS, 10, { name: "账号", columns: ACCOUNT_COLUMNS });
    const problems = !result.ok ? result.problems : [];
    expect(problems.filter((p) => p.message === "表头缺少此列").map((p) => p.column)).toEqual(["所属乡镇", "单位类别"]);
  });

  it("refuses a file without data rows and one over the row cap", () => {
    expect(readRecords(sheet(["单位代码", "单位名称", "所属乡镇", "单位类别"]), UNIT_COLUMNS)).toEqual({
      ok: false, problems: [{ row: 0, column: "", message: "文件中没有数据行" }],
    });
    const rows = sheet(["单位代码", "单位名称", "所属乡镇", "单位类别"], ["A1", "甲", "", "幼儿园"], ["A2", "乙", "", "幼儿园"], ["A3", "丙", "", "幼儿园"]);
    const capped = readRecords(rows, UNIT_COLUMNS, 2);
    expect(capped.ok).toBe(false);
    expect(!capped.ok && capped.problems[0].message).toBe("一次最多导入 2 行，此文件有 3 行，请分批导入");
  });
});

describe("unit rows", () => {
  const records = (rows: Array<[string, string, string, string]>) =>
    rows.map(([code, name, township, kind], i) => ({ row: i + 2, values: { code, name, township, kind } }));

  it("accepts good rows, kinds by name or code", () => {
    const { units, problems } = validateUnitRows(
      records([["a01", "城关镇中心学校", "城关镇", "乡镇中心校"], ["K01", "县第一幼儿园", "", "kindergarten"]]),
      { kinds: KINDS, existingCodes: new Set() },
    );
    expect(problems).toEqual([]);
    expect(units).toEqual([
      { row: 2, code: "A01", name: "城关镇中心学校", township: "城关镇", kind: "township_central" },
      { row: 3, code: "K01", name: "县第一幼儿园", township: "", kind: "kindergarten" },
    ]);
  });

  it("reports each problem with row and column", () => {
    const { units, problems } = validateUnitRows(
      records([
        ["A01", "甲校", "", "幼儿园"],
        ["a01", "乙校", "", "幼儿园"],
        ["B01", "", "", "职业学校"],
        ["C 1", "丙校", "", "幼儿园"],
        ["D01", "丁校", "", "区直中小学"],
      ]),
      { kinds: KINDS, existingCodes: new Set(["D01"]) },
    );
    expect(units.map((u) => u.code)).toEqual(["A01"]);
    expect(problems).toEqual([
      { row: 3, column: "单位代码", message: "单位代码 A01 与第 2 行重复" },
      { row: 4, column: "单位名称", message: "请填写单位名称" },
      { row: 4, column: "单位类别", message: "未知的单位类别“职业学校”，应为：乡镇中心校、区直中小学、幼儿园" },
      { row: 5, column: "单位代码", message: "单位代码只能包含字母、数字和连字符（-）" },
      { row: 6, column: "单位代码", message: "单位代码已存在：D01" },
    ]);
  });
});

describe("account rows", () => {
  const units = new Map([
    ["A01", { id: 1, active: true }],
    ["Z99", { id: 9, active: false }],
  ]);
  const ctx = { existingUsernames: new Set(["admin"]), units };
  const records = (rows: Array<[string, string, string, string, string, string]>) =>
    rows.map(([username, display_name, phone, role, unit_code, password], i) => ({
      row: i + 2, values: { username, display_name, phone, role, unit_code, password },
    }));

  it("accepts good rows and resolves unit codes", () => {
    const { accounts, problems } = validateAccountRows(
      records([
        ["ZhangXM", "张晓梅", "138 0000 0001", "信息员", "a01", "Chushi@2024"],
        ["wang.xz", "王校长", "", "校长", "A01", "Chushi@2024"],
        ["zhao-sh", "赵审核", "", "审核员", "", "Chushi@2024"],
      ]),
      ctx,
    );
    expect(problems).toEqual([]);
    expect(accounts.map((a) => [a.username, a.role, a.unit_id, a.phone])).toEqual([
      ["zhangxm", "correspondent", 1, "13800000001"],
      ["wang.xz", "school_lead", 1, ""],
      ["zhao-sh", "reviewer", null, ""],
    ]);
  });

  it("reports every bad cell and imports no bad row", () => {
    const { accounts, problems } = validateAccountRows(
      records([
        ["li", "李", "123", "信息员", "A01", "Chushi@2024"],
        ["ADMIN", "管理", "", "管理员", "", "Chushi@2024"],
        ["liu01", "刘", "", "信息员", "", "Chushi@2024"],
        ["chen01", "陈", "", "信息员", "B02", "Chushi@2024"],
        ["sun01", "孙", "", "信息员", "Z99", "Chushi@2024"],
        ["zhou01", "周", "", "审核员", "A01", "Chushi@2024"],
        ["wu01", "吴", "", "局长", "", "short"],
        ["zheng01", "郑", "", "信息员", "A01", ""],
        ["qian01", "钱", "", "信息员", "A01", "Chushi@2024"],
        ["QIAN01", "钱二", "", "信息员", "A01", "Chushi@2024"],
      ]),
      ctx,
    );
    expect(accounts.map((a) => a.username)).toEqual(["qian01"]);
    expect(problems).toEqual([
      { row: 2, column: "用户名", message: "用户名应为 3-32 个字符" },
      { row: 2, column: "手机号", message: "手机号应为 11 位手机号码，或留空" },
      { row: 3, column: "用户名", message: "用户名已存在：admin" },
      { row: 4, column: "单位代码", message: "信息员必须填写单位代码" },
      { row: 5, column: "单位代码", message: "单位代码 B02 不存在" },
      { row: 6, column: "单位代码", message: "该单位已停用，不能再添加或调入账号" },
      { row: 7, column: "单位代码", message: "审核员不属于任何单位，单位请留空" },
      { row: 8, column: "角色", message: "未知的角色“局长”，应为：信息员、分管领导、审核员、管理员" },
      { row: 8, column: "初始密码", message: "密码至少 10 位" },
      { row: 9, column: "初始密码", message: "请填写初始密码" },
      { row: 11, column: "用户名", message: "用户名 qian01 与第 10 行重复" },
    ]);
  });
});
