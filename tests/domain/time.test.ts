import { describe, expect, it } from "vitest";
import {
  addDays, addMonths, daysBetween, daysInMonth, formatShanghai, isMonth, isWeekend, monthLabel, monthsUpTo, shanghaiDate, shanghaiMidnight, shanghaiMonth,
} from "~/domain/time";

describe("monthsUpTo", () => {
  it.each([
    ["2026-12", 1, ["2026-12"]],
    ["2026-12", 3, ["2026-10", "2026-11", "2026-12"]],
    ["2027-02", 4, ["2026-11", "2026-12", "2027-01", "2027-02"]],
    ["2026-12", 0, []],
  ] as const)("%s, %i → %j", (month, count, months) => {
    expect(monthsUpTo(month, count)).toEqual(months);
  });
  it("12 months end with the month and begin eleven before it", () => {
    const year = monthsUpTo("2026-06", 12);
    expect([year.length, year[0], year[11]]).toEqual([12, "2025-07", "2026-06"]);
  });
});

describe("Asia/Shanghai month boundary", () => {
  const cases: Array<[string, string, string]> = [
    ["2026-10-31T15:59:59.999Z", "2026-10-31", "2026-10"], // 23:59:59.999 on the 31st in Shanghai
    ["2026-10-31T16:00:00.000Z", "2026-11-01", "2026-11"], // 00:00 on the 1st in Shanghai
    ["2026-12-31T16:00:00.000Z", "2027-01-01", "2027-01"], // new year in Shanghai, still 2026 in UTC
    ["2026-03-01T00:00:00.000Z", "2026-03-01", "2026-03"],
  ];
  for (const [instant, date, month] of cases) {
    it(`${instant} → ${date}`, () => {
      expect(shanghaiDate(instant)).toBe(date);
      expect(shanghaiMonth(instant)).toBe(month);
    });
  }
  it("midnight in Shanghai is 16:00 UTC the day before", () => {
    expect(shanghaiMidnight("2026-11-01")).toBe("2026-10-31T16:00:00.000Z");
  });
  it("rejects an invalid instant", () => expect(() => shanghaiDate("not a date")).toThrow());
});

describe("month arithmetic and labels", () => {
  const adds: Array<[string, number, string]> = [
    ["2026-11", 1, "2026-12"],
    ["2026-12", 1, "2027-01"],
    ["2026-01", -1, "2025-12"],
    ["2026-05", -13, "2025-04"],
  ];
  for (const [m, d, r] of adds) it(`${m} ${d >= 0 ? "+" : ""}${d} = ${r}`, () => expect(addMonths(m, d)).toBe(r));
  it("validates months", () => {
    expect(["2026-01", "2026-12"].map(isMonth)).toEqual([true, true]);
    expect(["2026-13", "2026-00", "2026-1", "26-01"].map(isMonth)).toEqual([false, false, false, false]);
  });
  it("counts days", () => {
    expect(daysBetween("2026-02-27", "2026-03-06")).toBe(7);
    expect(daysBetween("2026-03-06", "2026-02-27")).toBe(-7);
  });
  it("formats in Chinese and in Shanghai time", () => {
    expect(monthLabel("2026-03")).toBe("2026年3月");
    expect(formatShanghai("2026-10-31T16:05:00Z")).toBe("2026-11-01 00:05");
  });
});

describe("the calendar the demo county and the forecast share", () => {
  it.each([
    ["2026-02-27", 2, "2026-03-01"],
    ["2028-02-28", 1, "2028-02-29"],
    ["2026-01-01", -1, "2025-12-31"],
    ["2026-11-21", 0, "2026-11-21"],
  ] as const)("%s + %i days = %s", (date, days, expected) => {
    expect(addDays(date, days)).toBe(expected);
  });
  it.each([
    ["2026-02", 28], ["2028-02", 29], ["2026-04", 30], ["2026-12", 31],
  ] as const)("%s has %i days", (month, days) => {
    expect(daysInMonth(month)).toBe(days);
  });
  it.each([
    ["2026-12-05", true], ["2026-12-06", true], ["2026-12-07", false], ["2026-12-04", false],
  ] as const)("%s is a weekend: %s", (date, weekend) => {
    expect(isWeekend(date)).toBe(weekend);
  });
});
