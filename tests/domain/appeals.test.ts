import { describe, expect, it } from "vitest";
import {
  addWorkingDays,
  appealDeadline,
  appealProblem,
  appealSubjects,
  appealWindow,
  gradeChangeProblem,
  type AppealableItem,
} from "~/domain/appeals";

describe("addWorkingDays", () => {
  // 2026-11-20 is a Friday, 2026-11-21 a Saturday.
  const cases: Array<[string, number, string]> = [
    ["2026-11-16", 3, "2026-11-19"], // Monday → Thursday
    ["2026-11-18", 3, "2026-11-23"], // Wednesday → next Monday
    ["2026-11-20", 1, "2026-11-23"], // Friday → Monday
    ["2026-11-21", 3, "2026-11-25"], // Saturday → Wednesday
    ["2026-11-22", 1, "2026-11-23"], // Sunday → Monday
    ["2026-11-30", 5, "2026-12-07"], // across a month
    ["2026-11-16", 0, "2026-11-16"],
  ];
  for (const [from, days, to] of cases) it(`${from} + ${days} working days = ${to}`, () => expect(addWorkingDays(from, days)).toBe(to));
});

describe("appealWindow", () => {
  // Closed at 2026-11-20 20:00 Shanghai (12:00 UTC), a Friday: 3 working days end on Wednesday 25th.
  const closedAt = "2026-11-20T12:00:00.000Z";
  const at = (shanghai: string) => new Date(Date.parse(`${shanghai}+08:00`));
  const cases: Array<[string, { closedAt: string | null; published: boolean; now: string; days?: number }, boolean, string?]> = [
    ["open month", { closedAt: null, published: false, now: "2026-11-30T10:00:00" }, true],
    ["the day of closing", { closedAt, published: false, now: "2026-11-20T21:00:00" }, true],
    ["last minute of the last day", { closedAt, published: false, now: "2026-11-25T23:59:00" }, true],
    ["the day after", { closedAt, published: false, now: "2026-11-26T00:00:00" }, false, "申诉期已于 2026-11-25 结束（月度结算后 3 个工作日）。"],
    ["a longer setting", { closedAt, published: false, now: "2026-11-26T09:00:00", days: 5 }, true],
    ["notice published first", { closedAt, published: true, now: "2026-11-21T09:00:00" }, false, "该月通报已签发，申诉期已结束。"],
    ["notice published, month reopened", { closedAt: null, published: true, now: "2026-11-21T09:00:00" }, false],
  ];
  for (const [name, f, open, why] of cases) {
    it(name, () => {
      const w = appealWindow({ closedAt: f.closedAt, noticePublished: f.published, appealDays: f.days ?? 3, now: at(f.now) });
      expect(w.open).toBe(open);
      if (!w.open && why) expect(w.why).toBe(why);
    });
  }
  it("the deadline is counted from the Shanghai date of the close", () => {
    // 2026-11-20 17:00 UTC is already Saturday 21st in Shanghai.
    expect(appealDeadline("2026-11-20T17:00:00.000Z", 1)).toBe("2026-11-23");
    expect(appealDeadline("2026-11-20T15:59:00.000Z", 1)).toBe("2026-11-23");
    expect(appealDeadline("2026-11-19T15:59:00.000Z", 1)).toBe("2026-11-20");
  });
});

describe("appealSubjects", () => {
  const base: AppealableItem = { status: "adopted", grade: "good", late: false, reportMonth: "2026-10", hasPickups: false };
  const cases: Array<[string, Partial<AppealableItem>, string[]]> = [
    ["adopted", {}, ["grade", "pickups"]],
    ["adopted and late", { late: true }, ["grade", "pickups", "late"]],
    ["withdrawn keeps its grade", { status: "withdrawn" }, ["grade", "pickups"]],
    ["rejected", { status: "rejected", grade: null }, ["rejected"]],
    ["rejected and late", { status: "rejected", grade: null, late: true }, ["rejected", "late"]],
    ["waiting for review", { status: "submitted", grade: null }, []],
    ["returned to draft", { status: "draft", grade: null }, []],
    ["never reached the bureau", { status: "draft", grade: null, reportMonth: null }, []],
  ];
  for (const [name, patch, subjects] of cases) it(name, () => expect(appealSubjects({ ...base, ...patch })).toEqual(subjects));
});

describe("appealProblem", () => {
  const item: AppealableItem = { status: "adopted", grade: "good", late: false, reportMonth: "2026-10", hasPickups: false };
  const open = { open: true as const, deadline: null };
  const cases: Array<[string, Parameters<typeof appealProblem>[0], number | null]> = [
    ["allowed", { item, subject: "grade", window: open, hasOpenAppeal: false }, null],
    ["a subject the item does not have", { item, subject: "rejected", window: open, hasOpenAppeal: false }, 409],
    ["window closed", { item, subject: "grade", window: { open: false, why: "x" }, hasOpenAppeal: false }, 409],
    ["one already open", { item, subject: "grade", window: open, hasOpenAppeal: true }, 409],
  ];
  for (const [name, input, status] of cases) it(name, () => expect(appealProblem(input)?.status ?? null).toBe(status));
});

describe("gradeChangeProblem", () => {
  const cases: Array<[string, { status: "adopted" | "withdrawn" | "rejected" | "submitted"; grade: "excellent" | "good" | "fair" | null }, "excellent" | "good" | "fair", number | null]> = [
    ["a new grade", { status: "adopted", grade: "good" }, "excellent", null],
    ["the same grade", { status: "adopted", grade: "good" }, "good", 400],
    ["withdrawn", { status: "withdrawn", grade: "fair" }, "good", null],
    ["rejected becomes adopted", { status: "rejected", grade: null }, "fair", null],
    ["still waiting", { status: "submitted", grade: null }, "good", 409],
  ];
  for (const [name, item, grade, status] of cases) it(name, () => expect(gradeChangeProblem(item, grade)?.status ?? null).toBe(status));
});
