import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { csvDocument, csvField, neutraliseCsvText } from "~/domain/csv";

describe("text cells that a spreadsheet would run are neutralised", () => {
  const cases: Array<[string, string, string]> = [
    ["等号公式", '=HYPERLINK("http://evil.example","点此")', `'=HYPERLINK("http://evil.example","点此")`],
    ["加号", "+1+1", "'+1+1"],
    ["减号", "-2+3", "'-2+3"],
    ["减号开头的文字", "-3", "'-3"],
    ["@", "@SUM(A1:A2)", "'@SUM(A1:A2)"],
    ["制表符", "\t=1+1", "'\t=1+1"],
    ["回车", "\r=1+1", "'\r=1+1"],
    ["DDE", "=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"],
    ["普通单位名", "城关镇中心学校", "城关镇中心学校"],
    ["中间的等号不算", "甲=乙", "甲=乙"],
    ["空", "", ""],
  ];
  it.each(cases)("%s", (_l, input, expected) => expect(neutraliseCsvText(input)).toBe(expected));
});

describe("csvField", () => {
  const cases: Array<[string, string | number | null, string]> = [
    ["负数积分仍是数字", -3, "-3"],
    ["小数", 12.5, "12.5"],
    ["零", 0, "0"],
    ["非数", Number.NaN, ""],
    ["null", null, ""],
    ["含逗号的公式：先中和再加引号", "=1,2", `"'=1,2"`],
    ["含引号", '县"一"小', '"县""一""小"'],
    ["含换行", "甲\n乙", '"甲\n乙"'],
    ["回车开头：中和并加引号", "\r=1", `"'\r=1"`],
  ];
  it.each(cases)("%s", (_l, input, expected) => expect(csvField(input)).toBe(expected));
});

it("a document parses back to the neutralised text and the numbers", () => {
  const text = csvDocument([["单位", "积分"], ["=HYPERLINK(\"http://evil.example\")", -3], ["县一小", 12]]);
  expect(text.startsWith("\uFEFF")).toBe(true);
  expect(parse(text.slice(1))).toEqual([["单位", "积分"], ["'=HYPERLINK(\"http://evil.example\")", "-3"], ["县一小", "12"]]);
});
