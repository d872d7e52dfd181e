import { describe, expect, it } from "vitest";
import { DEFAULT_POINTS_RULES, parsePointsRules } from "~/domain/catalog";
import { monthFigures } from "~/domain/notice-monthly";
import { requestsSentence } from "~/domain/notice-outline";
import { monthlyCriticismReasons } from "~/domain/notice-selection";
import { unitMonthReceipt, unitMonthTotal } from "~/domain/points";
import {
  answerProblem, cancelProblem, countOutcomes, declineSchema, newRequestSchema, requestMonth, requestOutcome, requestPoints,
  shanghaiInstant, timeLeftText, type LinkedItemFacts, type RequestOutcome,
} from "~/domain/requests";

const DUE = "2026-11-20T09:00:00.000Z"; // 17:00 in Shanghai
const BEFORE = "2026-11-19T09:00:00.000Z";
const AFTER = "2026-11-21T09:00:00.000Z";
const item = (status: LinkedItemFacts["status"], submittedAt: string | null, pointsRevoked = false): LinkedItemFacts => ({ status, submittedAt, pointsRevoked });

describe("a unit's 约稿 outcome", () => {
  const cases: Array<[string, { now: string; declinedAt?: string; items: LinkedItemFacts[] }, RequestOutcome]> = [
    ["按时报送并采用：按时完成", { now: AFTER, items: [item("adopted", BEFORE)] }, "fulfilled"],
    ["截止前采用，截止前也已按时完成", { now: BEFORE, items: [item("adopted", "2026-11-18T00:00:00.000Z")] }, "fulfilled"],
    ["恰在截止时刻到达并采用：按时完成", { now: AFTER, items: [item("adopted", DUE)] }, "fulfilled"],
    ["按时到达、截止后才采用：仍是按时完成", { now: AFTER, items: [item("adopted", BEFORE)] }, "fulfilled"],
    ["撤稿但保留积分：按时完成", { now: AFTER, items: [item("withdrawn", BEFORE)] }, "fulfilled"],
    ["撤稿并取消积分：未报送", { now: AFTER, items: [item("withdrawn", BEFORE, true)] }, "missed"],
    ["截止后才到达教体局：逾期", { now: AFTER, items: [item("adopted", "2026-11-20T09:00:01.000Z")] }, "late"],
    ["截止后到达、尚未审核：逾期", { now: AFTER, items: [item("submitted", "2026-11-20T10:00:00.000Z")] }, "late"],
    ["截止后到达且不采用：逾期", { now: AFTER, items: [item("rejected", "2026-11-20T10:00:00.000Z")] }, "late"],
    ["截止后什么都没有：未报送", { now: AFTER, items: [] }, "missed"],
    ["只有草稿：未报送", { now: AFTER, items: [item("draft", null)] }, "missed"],
    ["按时到达但不采用：未报送", { now: AFTER, items: [item("rejected", BEFORE)] }, "missed"],
    ["按时到达被退回、截止后未再报送：未报送", { now: AFTER, items: [item("draft", BEFORE)] }, "missed"],
    ["按时到达被退回、截止后再报送：逾期", { now: AFTER, items: [item("submitted", "2026-11-22T00:00:00.000Z")] }, "late"],
    ["按时的不采用、另一篇逾期：逾期", { now: AFTER, items: [item("rejected", BEFORE), item("adopted", AFTER)] }, "late"],
    ["截止前婉拒：婉拒", { now: AFTER, declinedAt: BEFORE, items: [] }, "declined"],
    ["婉拒后截止前仍未到：截止前即为婉拒", { now: BEFORE, declinedAt: BEFORE, items: [] }, "declined"],
    ["婉拒后又按时报送并采用：按时完成", { now: AFTER, declinedAt: BEFORE, items: [item("adopted", BEFORE)] }, "fulfilled"],
    ["婉拒后截止后又报送：仍是婉拒", { now: AFTER, declinedAt: BEFORE, items: [item("adopted", AFTER)] }, "declined"],
    ["截止前、尚无采用：进行中", { now: BEFORE, items: [item("submitted", BEFORE)] }, "open"],
    ["截止前、什么都没有：进行中", { now: BEFORE, items: [] }, "open"],
    ["截止后、按时的稿件仍待审核：待审核", { now: AFTER, items: [item("submitted", BEFORE)] }, "awaiting"],
    ["按时的待审核、另有逾期稿件：待审核", { now: AFTER, items: [item("submitted", BEFORE), item("adopted", AFTER)] }, "awaiting"],
    ["按时的待审核、已婉拒：待审核", { now: AFTER, declinedAt: BEFORE, items: [item("submitted", BEFORE)] }, "awaiting"],
  ];
  it.each(cases)("%s", (_, f, expected) => {
    expect(requestOutcome({ dueAt: DUE, now: f.now, declinedAt: f.declinedAt ?? null, items: f.items })).toBe(expected);
  });
});

describe("约稿 points on the unit's month", () => {
  const R = DEFAULT_POINTS_RULES;
  it("defaults: fulfilled +2, missed −3, declined 0", () => {
    expect([R.requestFulfilled, R.requestMissed, R.requestDeclined]).toEqual([2, -3, 0]);
  });
  const cases: Array<[string, RequestOutcome[], number, string[]]> = [
    ["按时完成 2 项 +4", ["fulfilled", "fulfilled"], 4, ["request.fulfilled"]],
    ["未报送 1 项 −3", ["missed"], -3, ["request.missed"]],
    ["逾期按未完成计 −3", ["late"], -3, ["request.missed"]],
    ["逾期与未报送合为一行 −6", ["late", "missed"], -6, ["request.missed"]],
    ["婉拒 0 分，但列出规则", ["declined"], 0, ["request.declined"]],
    ["进行中与待审核不计分", ["open", "awaiting"], 0, []],
    ["各种结果", ["fulfilled", "late", "missed", "declined", "open"], 2 - 6, ["request.fulfilled", "request.missed", "request.declined"]],
  ];
  it.each(cases)("%s", (_, outcomes, points, rules) => {
    const c = countOutcomes(outcomes);
    expect(requestPoints(c, R)).toBe(points);
    const facts = { submitted: 6, adopted: 5, quota: 5, itemPoints: 11.5, requests: c };
    const receipt = unitMonthReceipt(facts, R);
    expect(receipt.lines.filter((l) => l.rule.startsWith("request.")).map((l) => l.rule)).toEqual(rules);
    expect(receipt.total).toBe(11.5 + 2 + points);
    expect(unitMonthTotal(facts, R)).toEqual({ status: receipt.status, total: receipt.total });
  });
  it("names the count on the receipt line", () => {
    const lines = unitMonthReceipt({ submitted: 1, adopted: 1, quota: 1, itemPoints: 2, requests: countOutcomes(["fulfilled", "fulfilled", "missed"]) }, R).lines;
    expect(lines.map((l) => l.label)).toContain("约稿按时完成 ×2");
    expect(lines.map((l) => l.label)).toContain("约稿未完成（逾期或未报送）×1");
  });
  it("reads the rules a version sets, and the defaults a version saved before 约稿 lacks", () => {
    const old = JSON.stringify({ ...R, requestFulfilled: undefined, requestMissed: undefined, requestDeclined: undefined });
    expect(parsePointsRules(old).requestMissed).toBe(-3);
    const own = parsePointsRules(JSON.stringify({ ...R, requestMissed: -1 }));
    expect(requestPoints(countOutcomes(["missed", "late"]), own)).toBe(-2);
  });
});

describe("deadlines in Asia/Shanghai", () => {
  it("settles a request with the Shanghai month of its deadline", () => {
    expect(requestMonth("2026-11-30T16:30:00.000Z")).toBe("2026-12"); // 00:30 on 1 December in Shanghai
    expect(requestMonth("2026-11-30T15:59:00.000Z")).toBe("2026-11");
  });
  it.each([
    ["2026-12-20", "17:00", "2026-12-20T09:00:00.000Z"],
    ["2026-12-01", "00:30", "2026-11-30T16:30:00.000Z"],
    ["2026-02-30", "10:00", null],
    ["2026-12-20", "25:00", null],
    ["20261220", "10:00", null],
  ])("%s %s → %s", (date, time, expected) => expect(shanghaiInstant(date, time)).toBe(expected));
  it.each([
    [DUE, "2026-11-18T07:00:00.000Z", "还剩 2 天 2 小时"],
    [DUE, "2026-11-20T05:00:00.000Z", "还剩 4 小时"],
    [DUE, "2026-11-20T08:50:00.000Z", "还剩 10 分钟"],
    [DUE, AFTER, "已截止"],
  ])("time left to %s at %s: %s", (due, now, text) => expect(timeLeftText(due, now)).toBe(text));
});

describe("the new-request form", () => {
  const now = new Date("2026-11-10T00:00:00.000Z");
  const units = [{ id: 1, kind: "township_central" }, { id: 2, kind: "township_central" }, { id: 3, kind: "kindergarten" }];
  const parse = (v: Record<string, unknown>) => newRequestSchema(now, units).safeParse({ topic: "防溺水", due_date: "2026-11-20", due_time: "17:00", ...v });
  it("expands a kind to its units and joins chosen ones", () => {
    const r = parse({ unit_ids: ["3"], kinds: ["township_central"] });
    expect(r.success && r.data).toEqual({ topic: "防溺水", guidance: "", dueAt: DUE, unitIds: [1, 2, 3] });
  });
  it.each([
    ["no unit", {}, "请至少选择一个约稿单位"],
    ["an unknown unit", { unit_ids: ["9"] }, "所选单位不存在或已停用，请刷新后重选"],
    ["a deadline in the past", { unit_ids: ["1"], due_date: "2026-11-09" }, "截止时间必须晚于现在"],
    ["a malformed date", { unit_ids: ["1"], due_date: "2026-13-01" }, "截止日期或时间无效，请按 2026-12-20 和 17:00 的格式填写"],
    ["no topic", { unit_ids: ["1"], topic: " " }, "请填写约稿主题"],
    ["a topic over 40", { unit_ids: ["1"], topic: "字".repeat(41) }, "约稿主题不能超过 40 个字"],
    ["guidance over 500", { unit_ids: ["1"], guidance: "字".repeat(501) }, "约稿说明不能超过 500 个字"],
  ])("refuses %s", (_, v, message) => {
    const r = parse(v);
    expect(r.success).toBe(false);
    expect(r.error?.issues[0].message).toBe(message);
  });
  it("names a past deadline and the missing units together, so one correction is enough", () => {
    const r = parse({ due_date: "2026-11-09" });
    expect(r.success).toBe(false);
    expect(r.error?.issues.map((i) => [i.path.join("."), i.message])).toEqual([
      ["due_date", "截止时间必须晚于现在"],
      ["unit_ids", "请至少选择一个约稿单位"],
    ]);
  });
  it.each([
    ["an empty form", { topic: "", due_date: "" }, [["topic", "请填写约稿主题"], ["due_date", "请填写截止日期"], ["unit_ids", "请至少选择一个约稿单位"]]],
    ["an empty topic, a past deadline and no unit", { topic: "", due_date: "2026-11-09" }, [
      ["topic", "请填写约稿主题"], ["due_date", "截止时间必须晚于现在"], ["unit_ids", "请至少选择一个约稿单位"],
    ]],
    ["a long topic and an unknown unit", { topic: "字".repeat(41), unit_ids: ["9"] }, [["topic", "约稿主题不能超过 40 个字"], ["unit_ids", "所选单位不存在或已停用，请刷新后重选"]]],
    ["long guidance and an unknown unit", { guidance: "字".repeat(501), unit_ids: ["9"] }, [
      ["guidance", "约稿说明不能超过 500 个字"], ["unit_ids", "所选单位不存在或已停用，请刷新后重选"],
    ]],
    // A missing date is its own field's problem; the deadline check does not add a second one.
    ["no topic and no date", { topic: " ", due_date: "", unit_ids: ["1"] }, [["topic", "请填写约稿主题"], ["due_date", "请填写截止日期"]]],
  ])("names every problem of a form with %s at once", (_, v, expected) => {
    const r = parse(v);
    expect(r.success).toBe(false);
    expect(r.error?.issues.map((i) => [i.path.join("."), i.message])).toEqual(expected);
  });
  it("asks for a decline reason of at least 5 characters", () => {
    expect(declineSchema().safeParse({ reason: "太忙了" }).success).toBe(false);
    expect(declineSchema().safeParse({ reason: "本月无相关活动可写" }).success).toBe(true);
  });
});

describe("who may answer, decline, cancel", () => {
  const open = { cancelledAt: null, dueAt: DUE, addressed: true };
  it.each([
    ["a unit not addressed cannot link", { ...open, addressed: false }, "link", BEFORE, 403],
    ["a unit not addressed cannot decline", { ...open, addressed: false }, "decline", BEFORE, 403],
    ["a cancelled request cannot be answered", { ...open, cancelledAt: BEFORE }, "link", BEFORE, 409],
    ["a cancelled request cannot be declined", { ...open, cancelledAt: BEFORE }, "decline", BEFORE, 409],
    ["past the deadline nobody declines", open, "decline", AFTER, 409],
  ] as const)("%s", (_, r, action, now, status) => {
    expect(answerProblem(r, action, now)?.status).toBe(status);
  });
  it("an addressed unit may still file late, and decline before the deadline", () => {
    expect(answerProblem(open, "link", AFTER)).toBeNull();
    expect(answerProblem(open, "decline", BEFORE)).toBeNull();
  });
  it("cancels only before the deadline, once", () => {
    expect(cancelProblem({ cancelledAt: null, dueAt: DUE }, BEFORE)).toBeNull();
    expect(cancelProblem({ cancelledAt: null, dueAt: DUE }, AFTER)?.status).toBe(409);
    expect(cancelProblem({ cancelledAt: BEFORE, dueAt: DUE }, BEFORE)?.status).toBe(409);
  });
});

describe("the monthly notice", () => {
  const t = { commendTopN: 3, criticiseBelowCompletion: 0.5, criticiseMinLate: 3, requestMissThreshold: 2 };
  const met = { status: "met" as const, completion: 1, late: 0 };
  it.each([
    ["one unfinished: not criticised", 1, []],
    ["two unfinished (逾期 or 未报送): 约稿未完成", 2, ["约稿未完成 2 项，达到 2 项"]],
  ] as const)("%s", (_, n, reasons) => {
    expect(monthlyCriticismReasons({ ...met, requestsUnfinished: n }, t)).toEqual(reasons);
  });
  it("a notice frozen before 约稿 (no threshold) criticises nobody for them", () => {
    expect(monthlyCriticismReasons({ ...met, requestsUnfinished: 9 }, { ...t, requestMissThreshold: undefined })).toEqual([]);
  });
  it("says how the month's 约稿 went, from the frozen rows", () => {
    const row = (unitId: number, requests?: { fulfilled: number; late: number; missed: number; declined: number }) => ({
      unitId, code: `X${unitId}`, name: `单位${unitId}`, kind: "k", kindName: "乡镇中心校", quota: 5, submitted: 5, adopted: 5, late: 0,
      completion: 1, status: "met" as const, points: 10, rank: unitId, tied: false, movement: null, requests,
    });
    const f = monthFigures([{ kind: "k", kindName: "乡镇中心校", rows: [row(1, { fulfilled: 2, late: 1, missed: 0, declined: 0 }), row(2, { fulfilled: 0, late: 0, missed: 1, declined: 1 }), row(3)] }]);
    expect(requestsSentence(f.requests!)).toBe("本月约稿 5 篇（涉及 2 个单位）：按时完成 2、逾期 1、未报送 1、婉拒 1。");
    expect(monthFigures([{ kind: "k", kindName: "乡镇中心校", rows: [row(3)] }]).requests).toBeUndefined();
  });
});
