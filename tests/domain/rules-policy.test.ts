import { describe, expect, it } from "vitest";
import { DEFAULT_POINTS_RULES } from "~/domain/catalog";
import { closeTimingProblem, closeUnitsListed, monthsToList } from "~/domain/month-closing";
import { PAGED_ABOVE } from "~/domain/rankings-view";
import { changedPoints, checkPoints, checkQuota, overrideSchema, POINTS_FIELDS, pointsRulesOf, pointsValuesOf, pointsVersionSchema, quotaVersionSchema, signedPoints } from "~/domain/rules-policy";
import { versionSeen, earliestEffectiveMonth, effectiveMonthProblem, governedLabel, isEditable, suggestedEffectiveMonth, versionName } from "~/domain/rule-versions";
import { normalizeMonth } from "~/domain/time";

describe("effective month of a new version", () => {
  it.each([
    // month, latest closed, current month, problem (null = allowed)
    ["2026-10", "2026-09", "2026-11", null],
    ["2026-12", "2026-09", "2026-11", null],
    ["2026-09", "2026-09", "2026-11", "2026年9月已结算，新规则最早从 2026年10月 起生效"],
    ["2026-01", "2026-09", "2026-11", "2026年9月已结算，新规则最早从 2026年10月 起生效"],
    ["2026-12", "2026-12", "2027-02", "2026年12月已结算，新规则最早从 2027年1月 起生效"],
    ["2027-01", "2026-12", "2027-02", null],
    ["2020-01", null, "2026-11", null],
    ["2028-11", null, "2026-11", null],
    ["2028-12", null, "2026-11", "生效月份不能晚于 2028年11月，请核对年份"],
    ["2026-13", null, "2026-11", "生效月份格式应为 年-月，如 2026-12"],
    ["2026-1", null, "2026-11", "生效月份格式应为 年-月，如 2026-12"],
  ] as const)("%s with %s closed in %s → %s", (month, latestClosed, currentMonth, problem) => {
    expect(effectiveMonthProblem({ month, latestClosed, currentMonth })).toBe(problem);
  });

  it.each([
    [null, "2026-11", null, "2026-12"],
    ["2026-09", "2026-11", "2026-10", "2026-12"],
    ["2026-12", "2026-11", "2027-01", "2027-01"],
    ["2027-02", "2026-11", "2027-03", "2027-03"],
  ] as const)("after %s closed in %s: earliest %s, suggested %s", (latestClosed, currentMonth, earliest, suggested) => {
    expect(earliestEffectiveMonth(latestClosed)).toBe(earliest);
    expect(suggestedEffectiveMonth({ latestClosed, currentMonth })).toBe(suggested);
  });

  it.each([
    ["2026-10", "2026-09", true],
    ["2026-09", "2026-09", false],
    ["2000-01", "2026-09", false],
    ["2000-01", null, true],
  ] as const)("a version from %s with %s closed is editable: %s", (month, latestClosed, editable) => {
    expect(isEditable(month, latestClosed)).toBe(editable);
  });

  it.each([
    ["2026-12", "2026-12"],
    ["2026-1", "2026-01"],
    ["2026/3", "2026-03"],
    ["2026年12月", "2026-12"],
    ["２０２６－１２", "2026-12"],
    [" 2026.07 ", "2026-07"],
    ["2026-00", null],
    ["2026-13", null],
    ["1999-12", null],
    ["26-12", null],
    ["十二月", null],
    ["", null],
  ] as const)("reads %j as %s", (raw, month) => {
    expect(normalizeMonth(raw)).toBe(month);
  });
});

describe("a rule's points", () => {
  const reward = { label: "采用（优）", penalty: false };
  const penalty = { label: "迟报", penalty: true };
  it.each([
    [reward, "3", { ok: true, value: 3 }],
    [reward, " 2.5 ", { ok: true, value: 2.5 }],
    [reward, "0.25", { ok: true, value: 0.25 }],
    [reward, "0.50", { ok: true, value: 0.5 }],
    [reward, ".5", { ok: true, value: 0.5 }],
    [reward, "+1", { ok: true, value: 1 }],
    [reward, "３", { ok: true, value: 3 }],
    [reward, "0", { ok: true, value: 0 }],
    [reward, "100", { ok: true, value: 100 }],
    [penalty, "-0.5", { ok: true, value: -0.5 }],
    [penalty, "－５", { ok: true, value: -5 }],
    [penalty, "−1", { ok: true, value: -1 }],
    [penalty, "-0", { ok: true, value: 0 }],
    [penalty, "-100", { ok: true, value: -100 }],
    [reward, "", { ok: false, message: "请填写“采用（优）”的分值" }],
    [reward, undefined, { ok: false, message: "请填写“采用（优）”的分值" }],
    [reward, "三", { ok: false, message: "“采用（优）”请填写数字，如 2 或 0.5" }],
    [reward, "1e2", { ok: false, message: "“采用（优）”请填写数字，如 2 或 0.5" }],
    [reward, "2分", { ok: false, message: "“采用（优）”请填写数字，如 2 或 0.5" }],
    [reward, "-", { ok: false, message: "“采用（优）”请填写数字，如 2 或 0.5" }],
    [reward, "0.125", { ok: false, message: "“采用（优）”最多保留两位小数" }],
    [reward, "-1", { ok: false, message: "“采用（优）”应在 0 到 100 之间" }],
    [reward, "100.01", { ok: false, message: "“采用（优）”应在 0 到 100 之间" }],
    [penalty, "0.5", { ok: false, message: "“迟报”是扣分项，应填 -100 到 0 之间的数，如 -0.5" }],
    [penalty, "-101", { ok: false, message: "“迟报”是扣分项，应填 -100 到 0 之间的数，如 -0.5" }],
  ] as const)("%o %j → %o", (field, raw, expected) => {
    expect(checkPoints(raw, field)).toEqual(expected);
  });

  it("marks exactly the five penalties as penalties", () => {
    expect(POINTS_FIELDS.filter((f) => f.penalty).map((f) => f.name)).toEqual(["late_penalty", "per_item_short", "none_sent", "request_missed", "request_declined"]);
    expect(POINTS_FIELDS).toHaveLength(18);
  });

  it("turns the flat fields into a rule set and back without loss", () => {
    expect(pointsRulesOf(pointsValuesOf(DEFAULT_POINTS_RULES))).toEqual(DEFAULT_POINTS_RULES);
    const changed = pointsRulesOf({ ...pointsValuesOf(DEFAULT_POINTS_RULES), grade_excellent: 4, none_sent: -6 });
    expect(changedPoints(DEFAULT_POINTS_RULES, changed)).toEqual([
      { name: "grade_excellent", label: "采用（优）", before: 3, after: 4 },
      { name: "none_sent", label: "当月不报", before: -5, after: -6 },
    ]);
  });

  it.each([
    [2, "+2"],
    [-0.5, "−0.5"],
    [0, "0"],
  ])("shows %d as %s", (n, shown) => expect(signedPoints(n)).toBe(shown));
});

describe("a quota", () => {
  it.each([
    ["10", { ok: true, value: 10 }],
    ["0", { ok: true, value: 0 }],
    ["９９９", { ok: true, value: 999 }],
    ["", { ok: false, message: "请填写任务数" }],
    ["1000", { ok: false, message: "任务数应为 0 到 999 之间的整数" }],
    ["2.5", { ok: false, message: "任务数应为 0 到 999 之间的整数" }],
    ["-1", { ok: false, message: "任务数应为 0 到 999 之间的整数" }],
    ["十", { ok: false, message: "任务数应为 0 到 999 之间的整数" }],
  ] as const)("%j → %o", (raw, expected) => {
    expect(checkQuota(raw, "任务数")).toEqual(expected);
  });
});

describe("the forms' schemas", () => {
  const full = Object.fromEntries(Object.entries(pointsValuesOf(DEFAULT_POINTS_RULES)).map(([k, v]) => [k, String(v)]));

  it("reads a whole points form, one message per bad field", () => {
    const ok = pointsVersionSchema().safeParse({ ...full, effective_month: "2026年12月", note: " 新规 " });
    expect(ok.success && ok.data).toMatchObject({ effective_month: "2026-12", note: "新规", grade_excellent: 3, late_penalty: -0.5 });
    const bad = pointsVersionSchema().safeParse({ ...full, effective_month: "", grade_good: "abc", late_penalty: "1", photo_bonus: undefined });
    expect(bad.success).toBe(false);
    const byField = Object.fromEntries((bad.error?.issues ?? []).map((i) => [String(i.path[0]), i.message]));
    expect(byField).toEqual({
      effective_month: "请填写生效月份",
      grade_good: "“采用（良）”请填写数字，如 2 或 0.5",
      late_penalty: "“迟报”是扣分项，应填 -100 到 0 之间的数，如 -0.5",
      photo_bonus: "请填写“配发图片”的分值",
    });
  });

  it("refuses points that put a lower grade, pickup or 批示 level above a higher one, on the lower one", () => {
    const bad = pointsVersionSchema().safeParse({ ...full, effective_month: "2026-12", grade_excellent: "1", grade_fair: "3", pickup_county: "20" });
    const byField = Object.fromEntries((bad.error?.issues ?? []).map((i) => [String(i.path[0]), i.message]));
    expect(byField).toEqual({
      grade_good: "“采用（良）”不能高于“采用（优）”（1 分）",
      grade_fair: "“采用（中）”不能高于“采用（良）”（2 分）",
      pickup_county: "“县区级媒体上稿”不能高于“市级媒体上稿”（2 分）",
    });
    expect(pointsVersionSchema().safeParse({ ...full, effective_month: "2026-12", grade_good: "3", grade_fair: "3" }).success).toBe(true);
  });

  it("names points out of order together with a missing month or a long note, and skips the order when a point itself is bad", () => {
    const byField = (v: Record<string, unknown>) =>
      Object.fromEntries((pointsVersionSchema().safeParse({ ...full, ...v }).error?.issues ?? []).map((i) => [String(i.path[0]), i.message]));
    expect(byField({ effective_month: "", note: "字".repeat(201), grade_excellent: "1" })).toEqual({
      effective_month: "请填写生效月份",
      note: "说明不能超过 200 个字",
      grade_good: "“采用（良）”不能高于“采用（优）”（1 分）",
    });
    expect(byField({ effective_month: "2026-12", grade_excellent: "1", grade_fair: "abc" })).toEqual({
      grade_fair: "“采用（中）”请填写数字，如 2 或 0.5",
    });
  });

  it("builds the quota form from the unit kinds", () => {
    const schema = quotaVersionSchema([
      { code: "township_central", name: "乡镇中心校" },
      { code: "kindergarten", name: "幼儿园" },
    ]);
    expect(schema.safeParse({ effective_month: "2027-01", quota_township_central: "12", quota_kindergarten: "4" }).data).toEqual({
      effectiveMonth: "2027-01", note: "", quotas: { township_central: 12, kindergarten: 4 },
    });
    const bad = schema.safeParse({ effective_month: "2027-01", quota_township_central: "1.5" });
    expect(bad.error?.issues.map((i) => [i.path[0], i.message])).toEqual([
      ["quota_township_central", "乡镇中心校的月度任务数应为 0 到 999 之间的整数"],
      ["quota_kindergarten", "请填写幼儿园的月度任务数"],
    ]);
  });

  it("requires a unit, a month, a quota and a reason for an override", () => {
    expect(overrideSchema().safeParse({ unit_id: "7", effective_month: "2027-01", quota: "3", reason: "新建园" }).data).toEqual({
      unit_id: 7, effective_month: "2027-01", quota: 3, reason: "新建园",
    });
    const bad = overrideSchema().safeParse({ unit_id: "", effective_month: "2027-13", quota: "", reason: " " });
    expect(Object.fromEntries((bad.error?.issues ?? []).map((i) => [String(i.path[0]), i.message]))).toEqual({
      unit_id: "请选择单位", effective_month: "生效月份格式应为 年-月，如 2026-12", quota: "请填写月度任务数", reason: "请填写设置理由",
    });
  });
});

describe("names on screen", () => {
  it.each([
    ["2000-01", true, "初始版本"],
    ["2026-12", false, "2026年12月起"],
  ] as const)("version from %s (first: %s) is %s", (month, first, name) => expect(versionName(month, first)).toBe(name));

  it.each([
    // The first versions' month is the seed's placeholder before any real month, never shown as "2000年1月".
    ["2000-01", "2026-11", "平台启用起至 2026年11月"],
    ["2000-01", null, "平台启用起至今"],
    ["2026-12", "2026-12", "2026年12月"],
    ["2026-12", null, "2026年12月起至今"],
  ] as const)("governs %s…%s: %s", (from, until, label) => expect(governedLabel(from, until)).toBe(label));
});

describe("closing a month", () => {
  it.each([
    ["2026-10", "2026-11", null],
    ["2025-01", "2026-11", null],
    ["2026-11", "2026-11", "2026年11月尚未结束，2026年12月1日起才能结算"],
    ["2026-12", "2026-11", "2026年12月尚未结束，2027年1月1日起才能结算"],
  ] as const)("%s in %s → %s", (month, current, problem) => expect(closeTimingProblem(month, current)).toBe(problem));

  it("lists months with items and the current month, newest first, once each", () => {
    expect(monthsToList(["2026-09", "2026-11", "2026-10", "2026-11"], "2026-11")).toEqual(["2026-11", "2026-10", "2026-09"]);
    expect(monthsToList([], "2026-11")).toEqual(["2026-11"]);
  });

  it.each([
    [0, 0],
    [40, 40],
    [PAGED_ABOVE, PAGED_ABOVE],
    [PAGED_ABOVE + 1, null],
    [20_000, null],
  ] as const)("a close's confirmation of %i units lists %s of them", (count, listed) => {
    const units = Array.from({ length: count }, (_, i) => ({ unitId: i + 1 }));
    const shown = closeUnitsListed(units);
    expect(shown?.length ?? null).toBe(listed);
    if (shown) expect(shown).toEqual(units);
  });
});

describe("versionSeen: what an edit form showed of a version, to tell whether it changed meanwhile", () => {
  const table: Array<[string, [Record<string, unknown>, string], [Record<string, unknown>, string], boolean]> = [
    ["the same values and note", [{ grade_good: 3, grade_fair: 1 }, "试行"], [{ grade_good: 3, grade_fair: 1 }, "试行"], true],
    ["the same values in another order (the page lists kinds in its order, the table in its own)", [{ township_central: 10, kindergarten: 3 }, ""], [{ kindergarten: 3, township_central: 10 }, ""], true],
    ["one value changed", [{ grade_good: 3, grade_fair: 1 }, ""], [{ grade_good: 4, grade_fair: 1 }, ""], false],
    ["the note changed", [{ quota: 3 }, "校舍改造"], [{ quota: 3 }, "另一个理由"], false],
    ["a value added (a new unit kind)", [{ township_central: 10 }, ""], [{ township_central: 10, kindergarten: 0 }, ""], false],
  ];
  it.each(table)("%s", (_case, [valuesA, noteA], [valuesB, noteB], same) => {
    expect(versionSeen(valuesA, noteA) === versionSeen(valuesB, noteB)).toBe(same);
  });
});
