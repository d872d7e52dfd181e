import { describe, expect, it } from "vitest";
import type { CorrectionKindCode } from "~/domain/appeals";
import { isLate } from "~/domain/report-month";
import { LATE_CORRECTION_KINDS, lateMark } from "~/domain/lateness";

describe("an item's 迟报 mark under a day limit", () => {
  // Event 2026-11-20; arrivals in Shanghai time.
  const cases: Array<[string, string, number, CorrectionKindCode[], boolean]> = [
    ["第 15 天到达，时限 7 天，无更正", "2026-12-05T02:00:00Z", 7, [], true],
    ["第 15 天到达，时限放宽到 20 天，无更正", "2026-12-05T02:00:00Z", 20, [], false],
    ["第 7 天到达，时限 7 天，无更正", "2026-11-27T02:00:00Z", 7, [], false],
    ["第 7 天到达，时限收紧到 3 天，无更正", "2026-11-27T02:00:00Z", 3, [], true],
    ["迟报已被更正取消，时限不变", "2026-12-05T02:00:00Z", 7, ["late_cleared"], false],
    ["迟报已被更正取消，时限放宽", "2026-12-05T02:00:00Z", 10, ["late_cleared"], false],
    ["迟报已被更正取消，时限收紧", "2026-12-05T02:00:00Z", 3, ["late_cleared"], false],
    ["只更正过等次：仍按日期", "2026-12-05T02:00:00Z", 7, ["grade"], true],
    ["删除上稿和批示：仍按日期", "2026-11-27T02:00:00Z", 7, ["pickup_removed", "instruction_removed"], false],
    ["取消迟报后又更正等次：取消仍有效", "2026-12-05T02:00:00Z", 3, ["late_cleared", "grade"], false],
  ];
  it.each(cases)("%s", (_label, arrivedAt, lateAfterDays, corrections, expected) => {
    expect(lateMark({ eventDate: "2026-11-20", arrivedAt, lateAfterDays, corrections })).toBe(expected);
  });

  it("follows the dates exactly as at arrival when nothing was corrected", () => {
    for (let d = 0; d < 20; d++) {
      const arrivedAt = new Date(Date.parse("2026-11-20T02:00:00Z") + d * 86_400_000).toISOString();
      for (const days of [3, 7, 10]) {
        expect(lateMark({ eventDate: "2026-11-20", arrivedAt, lateAfterDays: days, corrections: [] })).toBe(isLate("2026-11-20", arrivedAt, days));
      }
    }
  });

  it("reads only the corrections that set the mark", () => {
    expect(LATE_CORRECTION_KINDS).toEqual(["late_cleared"]);
  });
});
