import { describe, expect, it } from "vitest";
import { idField, parseId } from "~/domain/fields";

describe("row ids from forms and addresses", () => {
  const cases: Array<[unknown, number | null]> = [
    ["1", 1],
    ["42", 42],
    ["999999999", 999_999_999],
    ["0", null],
    ["0x10", null],
    ["1e1", null],
    ["1.5", null],
    ["-3", null],
    [" 7", null],
    ["", null],
    ["1234567890", null],
    ["١٢", null],
    [undefined, null],
    [null, null],
    [12, null],
  ];
  it.each(cases)("%j → %j", (value, expected) => expect(parseId(value)).toBe(expected));

  it("a required id field trims, then follows the same rule with the given message", () => {
    expect(idField("请选择单位").safeParse(" 12 ")).toMatchObject({ success: true, data: 12 });
    for (const bad of ["0x10", "1e1", "0", "", "abc"]) {
      const result = idField("请选择单位").safeParse(bad);
      expect(result.success).toBe(false);
      expect(result.error?.issues[0].message).toBe("请选择单位");
    }
    expect(idField("请选择单位").safeParse(undefined).error?.issues[0].message).toBe("请选择单位");
  });
});
