import { describe, expect, it } from "vitest";
import type { Role } from "~/domain/permissions";
import {
  autoReasonText, dueReminders, manualReminderTooSoon, reminderMessage, reminderScope, reminderStartDay, remindersOpen,
  type DueInput, type ReminderUnit,
} from "~/domain/reminders";

// 城关镇中心学校 (1) is on track, 县第一中学 (2) is heading short, 县第一幼儿园 (3) has sent nothing,
// 县特殊教育学校 (4) has no quota this month.
const onTrack: ReminderUnit = { unitId: 1, quota: 10, adopted: 9, submitted: 12, shortBy: 0 };
const short: ReminderUnit = { unitId: 2, quota: 5, adopted: 1, submitted: 2, shortBy: 3 };
const none: ReminderUnit = { unitId: 3, quota: 5, adopted: 0, submitted: 0, shortBy: 5 };
const noQuota: ReminderUnit = { unitId: 4, quota: 0, adopted: 0, submitted: 0, shortBy: 0 };
const met: ReminderUnit = { unitId: 5, quota: 5, adopted: 6, submitted: 6, shortBy: 0 };

const base: DueInput = { dayOfMonth: 20, daysInMonth: 30, fromDay: 20, units: [onTrack, short, none, noQuota, met], alreadyReminded: new Set() };

describe("dueReminders", () => {
  const cases: Array<[string, Partial<DueInput>, Array<[number, "none" | "short"]>]> = [
    ["19日，设定 20 日起：谁都不催", { dayOfMonth: 19 }, []],
    ["1日：谁都不催", { dayOfMonth: 1 }, []],
    ["20日当天：差额单位和不报单位", {}, [[2, "short"], [3, "none"]]],
    ["月末 30 日：同上", { dayOfMonth: 30 }, [[2, "short"], [3, "none"]]],
    ["设定 15 日起，16 日", { fromDay: 15, dayOfMonth: 16 }, [[2, "short"], [3, "none"]]],
    ["设定 15 日起，14 日", { fromDay: 15, dayOfMonth: 14 }, []],
    ["设定 31 日起，30 天的月份最后一天照样催", { fromDay: 31, dayOfMonth: 30 }, [[2, "short"], [3, "none"]]],
    ["设定 31 日起，30 天的月份 29 日不催", { fromDay: 31, dayOfMonth: 29 }, []],
    ["设定 0：视为 1 日起", { fromDay: 0, dayOfMonth: 1 }, [[2, "short"], [3, "none"]]],
    ["本月已自动催过县第一中学：只催幼儿园", { alreadyReminded: new Set([2]) }, [[3, "none"]]],
    ["本月都已催过：谁都不催", { alreadyReminded: new Set([1, 2, 3, 4, 5]) }, []],
    ["本月已结算：谁都不催", { monthClosed: true }, []],
    ["任务数为 0 且不报：不催", { units: [noQuota] }, []],
    ["已达标：不催", { units: [met] }, []],
    ["预测能完成：不催", { units: [onTrack] }, []],
  ];
  it.each(cases)("%s", (_label, change, expected) => {
    const due = dueReminders({ ...base, ...change });
    expect(due.map((d) => [d.unitId, d.reason])).toEqual(expected);
  });

  it("opens on the start day, clamped to the month", () => {
    expect([reminderStartDay(20, 30), reminderStartDay(31, 28), reminderStartDay(-3, 30), reminderStartDay(Number.NaN, 31)]).toEqual([20, 28, 1, 20]);
    expect([remindersOpen(19, 20, 31), remindersOpen(20, 20, 31), remindersOpen(28, 30, 28)]).toEqual([false, true, true]);
  });
});

describe("what the unit reads", () => {
  it("names the figures and the shortfall", () => {
    const m = reminderMessage({ month: "2026-11", quota: 10, adopted: 4, submitted: 6, shortBy: 3 });
    expect(m.title).toBe("催报：2026年11月信息报送");
    expect(m.body).toBe("本月已采用 4 条，任务 10 条，预计差 3 条，请抓紧报送。");
  });
  it("asks a unit that sent nothing to report and to sign off what is written", () => {
    const m = reminderMessage({ month: "2026-11", quota: 5, adopted: 0, submitted: 0, shortBy: 5 });
    expect(m.body).toBe("本月尚无稿件报送到教体局，任务 5 条，请抓紧报送；已写好的稿件请分管领导尽快签发。");
  });
  it("adds the reviewer's words", () => {
    const m = reminderMessage({ month: "2026-11", quota: 5, adopted: 5, submitted: 5, shortBy: 0 }, "请报送运动会稿件");
    expect(m.body).toBe("本月已采用 5 条，任务 5 条，请抓紧报送。审核员留言：请报送运动会稿件");
  });
  it("records why an automatic reminder went out", () => {
    const f = { month: "2026-11", quota: 10, adopted: 4, submitted: 6, shortBy: 3 };
    expect(autoReasonText("short", f)).toBe("预计差 3 条（已采用 4 条，任务 10 条）");
    expect(autoReasonText("none", f)).toBe("本月尚无稿件报送到教体局（任务 10 条）");
  });
});

describe("manual reminders", () => {
  const now = new Date("2026-11-21T02:00:00Z");
  const cases: Array<[string | null, boolean]> = [
    [null, false],
    ["2026-11-21T01:55:00.000Z", true],
    ["2026-11-21T01:50:00.001Z", true],
    ["2026-11-21T01:50:00.000Z", false],
    ["2026-11-20T02:00:00.000Z", false],
  ];
  it.each(cases)("last at %j → too soon: %s", (last, yes) => expect(manualReminderTooSoon(last, now)).toBe(yes));

  const scopes: Array<[Role, number | null, ReturnType<typeof reminderScope>]> = [
    ["reviewer", null, { all: true }],
    ["school_lead", 3, { all: false, unitId: 3 }],
    ["correspondent", 3, { all: false, unitId: 3 }],
    ["admin", null, null],
  ];
  it.each(scopes)("%s of unit %j lists %j", (role, unitId, scope) => expect(reminderScope({ role, unitId })).toEqual(scope));
});

describe("where a reminder's notification leads", () => {
  it("to the month's league at the unit's own line, with words about the month", async () => {
    const { reminderLink, notificationLinkText } = await import("~/domain/reminders");
    expect(reminderLink("2026-11")).toBe("/rankings/2026-11#own-unit");
    const table: Array<[string, string]> = [
      ["reminder", "查看本月情况"],
      ["item_adopted", "查看稿件"],
      ["item_returned", "查看稿件"],
      ["signoff_waiting", "查看稿件"],
    ];
    for (const [kind, text] of table) expect(notificationLinkText(kind)).toBe(text);
  });
});
