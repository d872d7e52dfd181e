import { describe, expect, it } from "vitest";
import { isLate, lateWarning, reportMonthOnArrival } from "~/domain/report-month";

describe("report month at arrival (Asia/Shanghai)", () => {
  const cases: Array<[string, string | null, string, string[], string]> = [
    ["首次到达，上海时间 10 月 31 日 23:59", null, "2026-10-31T15:59:59Z", [], "2026-10"],
    ["首次到达，上海时间 11 月 1 日 00:00", null, "2026-10-31T16:00:00Z", [], "2026-11"],
    ["跨年：UTC 仍是 12 月 31 日", null, "2026-12-31T16:30:00Z", [], "2027-01"],
    ["退回后重报，原月份未结算：保持", "2026-10", "2026-11-03T02:00:00Z", [], "2026-10"],
    ["退回后重报，原月份已结算：滚入当前月", "2026-10", "2026-11-03T02:00:00Z", ["2026-10"], "2026-11"],
    ["退回后重报，原月份与当前月都已结算：滚入下一个未结算月", "2026-10", "2026-11-30T10:00:00Z", ["2026-10", "2026-11"], "2026-12"],
    ["首次到达时当月已提前结算", null, "2026-11-30T15:00:00Z", ["2026-11"], "2026-12"],
  ];
  it.each(cases)("%s", (_label, current, arrivedAt, closed, expected) => {
    expect(reportMonthOnArrival({ current, arrivedAt, closedMonths: new Set(closed) })).toBe(expected);
  });
});

describe("迟报", () => {
  const cases: Array<[string, string, string, number, boolean]> = [
    ["活动当天报送", "2026-11-10", "2026-11-10T02:00:00Z", 7, false],
    ["第 7 天报送不算迟报", "2026-11-10", "2026-11-17T10:00:00Z", 7, false],
    ["第 8 天报送算迟报", "2026-11-10", "2026-11-18T01:00:00Z", 7, true],
    ["上海已是第 8 天（UTC 仍是第 7 天）", "2026-11-10", "2026-11-17T16:30:00Z", 7, true],
    ["规则改为 3 天", "2026-11-10", "2026-11-14T03:00:00Z", 3, true],
  ];
  it.each(cases)("%s", (_l, event, arrived, days, expected) => {
    expect(isLate(event, arrived, days)).toBe(expected);
  });
});

describe("lateWarning (the item form's note on the event date)", () => {
  const TABLE: Array<[string, string, string, number, string | null]> = [
    ["today", "2026-11-20", "2026-11-20", 7, null],
    ["exactly at the limit", "2026-11-13", "2026-11-20", 7, null],
    ["one day past", "2026-11-12", "2026-11-20", 7, "事件已过去 8 天，超过 7 天的报送时限：现在报送到教体局将记为迟报。"],
    ["across a month", "2026-10-25", "2026-11-05", 7, "事件已过去 11 天，超过 7 天的报送时限：现在报送到教体局将记为迟报。"],
    ["a longer limit set by the bureau", "2026-11-12", "2026-11-20", 10, null],
    ["empty", "", "2026-11-20", 7, null],
    ["not a date", "2026-13-45", "2026-11-20", 7, null],
    ["garbage", "昨天", "2026-11-20", 7, null],
  ];
  it.each(TABLE)("%s", (_label, eventDate, today, limit, expected) => {
    expect(lateWarning(eventDate, today, limit)).toBe(expected);
  });

  it("warns exactly when arriving today would be 迟报", () => {
    for (let d = 0; d < 20; d++) {
      const event = new Date(Date.parse("2026-11-20T00:00:00Z") - d * 86_400_000).toISOString().slice(0, 10);
      expect(lateWarning(event, "2026-11-20", 7) !== null).toBe(isLate(event, "2026-11-20T04:00:00.000Z", 7));
    }
  });
});
