import { describe, expect, it } from "vitest";
import { changedMeanwhile, settingsFormSchema, settingVersions, versionChangedMeanwhile, versionMonths, withdrawProblem, withdrawSettingSchema } from "~/domain/settings-form";

describe("the settings form", () => {
  const parse = (values: Record<string, string>) => settingsFormSchema().safeParse(values);
  const errors = (values: Record<string, string>) => {
    const result = parse(values);
    if (result.success) return {};
    return Object.fromEntries(result.error.issues.map((i) => [String(i.path[0]), i.message]));
  };

  it("reads each setting the form carries, and the month only when one of them is month-effective", () => {
    expect(parse({ intent: "save_settings", countyName: "临溪县", autoReminders: "0" }).data).toEqual({
      changes: [{ key: "countyName", value: "临溪县" }, { key: "autoReminders", value: false }],
      effectiveMonth: null,
    });
    expect(parse({ commendTopN: "5", criticiseBelowCompletion: "40%", effective_month: "2026年12月" }).data).toEqual({
      changes: [{ key: "commendTopN", value: 5 }, { key: "criticiseBelowCompletion", value: 0.4 }],
      effectiveMonth: "2026-12",
    });
  });

  const bad: Array<[string, Record<string, string>, Record<string, string>]> = [
    ["a count that is not a number", { commendTopN: "abc", effective_month: "2026-12" }, { commendTopN: "每类表扬名额应为 0–50 名之间的整数" }],
    ["a count out of bounds", { reminderFromDay: "31" }, { reminderFromDay: "自动催报日应在 1–28 日之间" }],
    ["a percentage above 100", { criticiseBelowCompletion: "150", effective_month: "2026-12" }, { criticiseBelowCompletion: "批评：任务完成率低于应为 0–100 之间的整数（百分比）" }],
    ["a day that does not exist", { registerDeadline: "02-30", effective_month: "2026-12" }, { registerDeadline: "信息员登记截止日有误：2月只有 29 天，请填写 01–29 日" }],
    ["a month that does not exist", { registerDeadline: "13-01", effective_month: "2026-12" }, { registerDeadline: "信息员登记截止日的月份应在 01–12 之间" }],
    ["a date not written 月-日", { registerDeadline: "4月10日", effective_month: "2026-12" }, { registerDeadline: "信息员登记截止日格式应为 月-日，如 04-10" }],
    ["a required name left empty", { bureauName: " " }, { bureauName: "请填写教体局全称" }],
    ["a month setting without its month", { lateAfterDays: "8", effective_month: "下个月" }, { effective_month: "生效月份格式应为 年-月，如 2026-12" }],
    ["no setting at all", { intent: "save_settings" }, { _form: "没有可保存的设置，请刷新页面后重试。" }],
  ];
  for (const [label, values, expected] of bad) it(`refuses ${label}`, () => expect(errors(values)).toEqual(expected));

  // The page posts a whole group with what each field showed (`shown_<key>`): only what the person
  // changed is saved, and the effective month matters only when a monthly setting is among it.
  const group: Array<[string, Record<string, string>, { changes: unknown[]; effectiveMonth: string | null } | Record<string, string>]> = [
    [
      "only the reminder day changed: the lateness threshold shown (this month's) is not saved at the form's month",
      { lateAfterDays: "14", shown_lateAfterDays: "14", reminderFromDay: "23", shown_reminderFromDay: "20", autoReminders: "1", shown_autoReminders: "1", effective_month: "2026-10" },
      { changes: [{ key: "reminderFromDay", value: 23, shown: 20 }], effectiveMonth: null },
    ],
    [
      "a monthly setting changed: saved from the form's month, with what the page showed",
      { commendTopN: "4", shown_commendTopN: "3", criticiseBelowCompletion: "50%", shown_criticiseBelowCompletion: "50", effective_month: "2026-12" },
      { changes: [{ key: "commendTopN", value: 4, shown: 3 }], effectiveMonth: "2026-12" },
    ],
    ["nothing changed: nothing to save, and a month left stale does not matter", { commendTopN: "3", shown_commendTopN: "3", effective_month: "" }, { changes: [], effectiveMonth: null }],
    ["a form without what it showed (a script, an old page) changes every field it carries", { reminderFromDay: "20", autoReminders: "1" }, { changes: [{ key: "reminderFromDay", value: 20 }, { key: "autoReminders", value: true }], effectiveMonth: null }],
    ["what the page showed is not a value of the setting: a forged or broken page", { reminderFromDay: "22", shown_reminderFromDay: "abc" }, { _form: "页面已过期，请刷新后重试。" }],
    ["a monthly setting mistyped still asks for its month", { lateAfterDays: "x", shown_lateAfterDays: "7", effective_month: "" }, { lateAfterDays: "迟报天数应为 1–60 天之间的整数", effective_month: "生效月份格式应为 年-月，如 2026-12" }],
  ];
  for (const [label, values, expected] of group) {
    it(label, () => {
      const result = parse(values);
      if ("changes" in expected) expect(result.data).toEqual(expected);
      else expect(errors(values)).toEqual(expected);
    });
  }

  it("says which setting someone else changed meanwhile, to what, and that nothing was saved", () => {
    expect(changedMeanwhile("requestRemindHours", 48, 24)).toBe("约稿截止提醒已被他人改为 48 小时（您打开页面时为 24 小时），这次没有保存；请刷新页面后再改。");
    expect(changedMeanwhile("criticiseBelowCompletion", 0.4, 0.5)).toBe("批评：任务完成率低于已被他人改为 40%（您打开页面时为 50%），这次没有保存；请刷新页面后再改。");
  });
});

describe("versions of a month setting", () => {
  const row = (effectiveMonth: string, value: number) => ({ effectiveMonth, value, updatedBy: null, updatedAt: "2026-11-01T00:00:00Z" });

  it("marks which months each version governs, relative to the current month", () => {
    const versions = settingVersions([row("2027-01", 5), row("0000-00", 3), row("2026-10", 4)], "2026-11");
    expect(versions.map((v) => [v.effectiveMonth, v.until, v.state])).toEqual([
      ["0000-00", "2026-09", "past"],
      ["2026-10", "2026-12", "current"],
      ["2027-01", null, "scheduled"],
    ]);
    expect(versions.map(versionMonths)).toEqual(["初始值（至 2026年9月）", "2026年10月 至 2026年12月", "2027年1月起"]);
  });

  it("a single initial value governs every month", () => {
    const [only] = settingVersions([row("0000-00", 3)], "2026-11");
    expect(only.state).toBe("current");
    expect(versionMonths(only)).toBe("初始值");
  });
});

describe("withdrawing (撤回) a version that has not begun", () => {
  const parse = (values: Record<string, string>) => withdrawSettingSchema().safeParse(values);
  const stale = { _form: "页面已过期，请刷新后重试。" };
  const cases: Array<[string, Record<string, string>, unknown]> = [
    ["a count as the list showed it", { key: "commendTopN", effective_month: "2027-01", shown: "5" }, { key: "commendTopN", effectiveMonth: "2027-01", shown: 5 }],
    ["a percentage as the field writes it", { key: "criticiseBelowCompletion", effective_month: "2027-03", shown: "40" }, { key: "criticiseBelowCompletion", effectiveMonth: "2027-03", shown: 0.4 }],
    ["a setting that takes effect at once (no versions by month)", { key: "countyName", effective_month: "2027-01", shown: "临溪县" }, stale],
    ["no such setting", { key: "__proto__", effective_month: "2027-01", shown: "5" }, stale],
    ["a month that is not one", { key: "commendTopN", effective_month: "2027-13", shown: "5" }, stale],
    ["the initial value's month", { key: "commendTopN", effective_month: "0000-00", shown: "3" }, stale],
    ["a value the setting cannot have", { key: "commendTopN", effective_month: "2027-01", shown: "-1" }, stale],
    ["a field missing", { key: "commendTopN", effective_month: "2027-01" }, { shown: "页面已过期，请刷新后重试。" }],
  ];
  for (const [label, values, expected] of cases) {
    it(`reads ${label}`, () => {
      const result = parse(values);
      if (result.success) return expect(result.data).toEqual(expected);
      expect(Object.fromEntries(result.error.issues.map((i) => [String(i.path[0]), i.message]))).toEqual(expected);
    });
  }

  const months: Array<[string, string, string | null]> = [
    ["next month", "2026-12", null],
    ["a month next year", "2027-03", null],
    ["this month", "2026-11", "每类表扬名额2026年11月起的版本已经开始执行，不能撤回；要改回原值，请在上面的输入框填写并选择生效月份。"],
    ["an earlier month", "2026-10", "每类表扬名额2026年10月起的版本已经开始执行，不能撤回；要改回原值，请在上面的输入框填写并选择生效月份。"],
  ];
  for (const [label, month, problem] of months) {
    it(`in November 2026, a version from ${label} ${problem ? "may not" : "may"} be withdrawn`, () => {
      expect(withdrawProblem("commendTopN", month, "2026-11")).toBe(problem);
    });
  }

  it("says the version's value changed meanwhile, to what, and that nothing was withdrawn", () => {
    expect(versionChangedMeanwhile("lateAfterDays", "2027-01", 12, 10)).toBe(
      "迟报天数2027年1月起的值已被他人改为 12 天（您打开页面时为 10 天），这次没有撤回；请刷新页面后再看。",
    );
  });
});
