import { describe, expect, it } from "vitest";
import { daysInMonth, forecastCallout, forecastMonth } from "~/domain/forecast";
import { governedRanges, versionFor } from "~/domain/rule-versions";

describe("forecastMonth", () => {
  const base = { quota: 10, adoptedSoFar: 0, submittedSoFar: 0, inReview: 0, adoptionRate: 0.8, dayOfMonth: 15, daysInMonth: 30 };
  const cases: Array<[string, Partial<typeof base>, number, string]> = [
    ["月中毫无进展", {}, 10, "预计差 10 条"],
    ["已采用 4、审核中 2、按进度还能再来", { adoptedSoFar: 4, submittedSoFar: 6, inReview: 2 }, 0, "预计可以完成"],
    ["已完成", { adoptedSoFar: 10, submittedSoFar: 11 }, 0, "已完成本月任务"],
    ["月末差 3 条", { adoptedSoFar: 6, submittedSoFar: 7, inReview: 1, dayOfMonth: 30, adoptionRate: 1 }, 3, "预计差 3 条"],
    ["任务数为 0", { quota: 0 }, 0, "本月无任务数要求"],
  ];
  it.each(cases)("%s", (_l, input, shortBy, message) => {
    const f = forecastMonth({ ...base, ...input });
    expect(f.shortBy).toBe(shortBy);
    expect(f.message).toBe(message);
  });
  // The school home's callout, above the card of what is still missing today: a shortfall is the month's end at the present pace.
  it.each(cases)("callout: %s", (_l, input) => {
    const f = forecastMonth({ ...base, ...input });
    const expected: Record<string, string> = {
      "月中毫无进展": "本月预测：按目前的报送进度，到月底预计还差 10 条，请抓紧报送。",
      "已采用 4、审核中 2、按进度还能再来": "本月预测：预计可以完成。",
      "已完成": "本月预测：已完成本月任务。",
      "月末差 3 条": "本月预测：按目前的报送进度，到月底预计还差 3 条，请抓紧报送。",
      "任务数为 0": "本月预测：本月无任务数要求。",
    };
    expect(forecastCallout(f)).toBe(expected[_l]);
  });
  it("knows month lengths", () => {
    expect([daysInMonth("2026-02"), daysInMonth("2028-02"), daysInMonth("2026-11"), daysInMonth("2026-12")]).toEqual([28, 29, 30, 31]);
  });
});

describe("rule versions", () => {
  const versions = [
    { id: 1, effectiveMonth: "2000-01" },
    { id: 2, effectiveMonth: "2026-07" },
    { id: 3, effectiveMonth: "2027-01" },
  ];
  const cases: Array<[string, number | null]> = [
    ["1999-12", null],
    ["2026-06", 1],
    ["2026-07", 2],
    ["2026-12", 2],
    ["2027-01", 3],
  ];
  it.each(cases)("%s uses version %s", (month, id) => expect(versionFor(versions, month)?.id ?? null).toBe(id));
  it("shows which months each version governs", () => {
    expect(governedRanges(versions).map((v) => [v.effectiveMonth, v.until])).toEqual([
      ["2000-01", "2026-06"],
      ["2026-07", "2026-12"],
      ["2027-01", null],
    ]);
  });
});
