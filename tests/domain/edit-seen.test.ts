import { describe, expect, it } from "vitest";
import { accountSeen, changedSinceShown, seenToken, unitSeen } from "~/domain/edit-seen";

describe("what an edit form showed of a row (seen)", () => {
  const cases: Array<[string, Record<string, unknown>, Record<string, unknown>, boolean]> = [
    ["the same values in another order", { a: 1, b: "x" }, { b: "x", a: 1 }, true],
    ["a value changed", { a: 1, b: "x" }, { a: 2, b: "x" }, false],
    ["a number and its text", { a: 1 }, { a: "1" }, false],
    ["no unit and unit 0", { unit_id: null }, { unit_id: 0 }, false],
    ["a value missing", { a: 1, b: "x" }, { a: 1 }, false],
  ];
  it.each(cases)("%s", (_label, a, b, same) => expect(seenToken(a) === seenToken(b)).toBe(same));

  const unit = { code: "A01", name: "城关镇中心学校", township: "城关镇", kind_code: "township_center", signoff_required: 1 };
  it.each([
    ["its kind", { kind_code: "kindergarten" }],
    ["whether its lead signs off", { signoff_required: 0 }],
    ["its name", { name: "城关镇中心小学" }],
  ])("a unit reads differently once %s changed", (_label, change) => expect(unitSeen({ ...unit, ...change })).not.toBe(unitSeen(unit)));
  it("a unit's other columns (when it was updated, whether active) are not what the form shows", () =>
    expect(unitSeen({ ...unit, updated_at: "2026-12-07", active: 0 } as typeof unit)).toBe(unitSeen(unit)));

  const account = { display_name: "李老师", phone: "13800000001", role: "correspondent", unit_id: 3 };
  it.each([
    ["the phone number", { phone: "" }],
    ["the role", { role: "school_lead" }],
    ["the unit", { unit_id: 4 }],
  ])("an account reads differently once %s changed", (_label, change) => expect(accountSeen({ ...account, ...change })).not.toBe(accountSeen(account)));

  it("says what changed since the page was opened, and that nothing was saved", () =>
    expect(changedSinceShown("该单位的信息")).toBe("该单位的信息在您打开页面之后已被修改（他人或您在另一个窗口保存过），这次没有保存；请刷新页面后再改。"));
});
