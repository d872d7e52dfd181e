import { describe, expect, it } from "vitest";
import { z } from "zod";
import { appealSchema } from "~/domain/appeals";
import { itemFormSchema } from "~/domain/item-form";
import { noticeTextSchema } from "~/domain/notice-forms";
import { adoptSchema, returnSchema } from "~/domain/review";
import { builtOnce, idField, optionalText, parseId, text } from "~/domain/fields";

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

describe("builtOnce: a schema built on first use and kept", () => {
  it("builds on the first call only, and not before it", () => {
    let builds = 0;
    const schema = builtOnce(() => (builds++, z.object({ n: z.string() })));
    expect(builds).toBe(0);
    expect(schema()).toBe(schema());
    expect(builds).toBe(1);
  });

  it.each([
    ["adoptSchema", adoptSchema],
    ["returnSchema", returnSchema],
    ["noticeTextSchema", noticeTextSchema],
    ["appealSchema", appealSchema],
  ] as const)("%s is the same schema on every call", (_name, schema) => {
    expect(schema()).toBe(schema());
  });

  it("the item form's schema is kept for its day and built again for the next", () => {
    const today = itemFormSchema("2026-12-06");
    expect(itemFormSchema("2026-12-06")).toBe(today);
    const tomorrow = itemFormSchema("2026-12-07");
    expect(tomorrow).not.toBe(today);
    // The day bounds the event date: tomorrow's event is fine only from tomorrow on.
    const form = { title: "运动会", body: "全校师生参加。", category_id: "1", channel_id: "1", event_date: "2026-12-07", bylines: [], intent: "save", captions: {}, photo_captions: {}, remove_photo: [] };
    expect(itemFormSchema("2026-12-06").safeParse(form).success).toBe(false);
    expect(itemFormSchema("2026-12-07").safeParse(form).success).toBe(true);
  });
});

describe("text fields refuse characters no document can carry", () => {
  // A spreadsheet imported or a CSV typed by hand reaches the fields without the form's own check.
  it.each([
    ["U+FFFF", "城关\uFFFF中心学校"],
    ["U+FFFE", "\uFFFE城关"],
    ["NUL", "城\u0000关"],
    ["a form feed", "城\u000C关"],
  ])("%s", (_label, value) => {
    expect(text("单位名称").safeParse(value).error?.issues[0].message).toBe("单位名称含有无法识别的字符，请删去后重新填写");
    expect(optionalText("所属乡镇").safeParse(value).error?.issues[0].message).toBe("所属乡镇含有无法识别的字符，请删去后重新填写");
  });
  it("keeps tabs and line breaks, and every other character", () => {
    for (const value of ["第一段\n第二段\r\n\t缩进", "𠀀 emoji 😀 ＡＢＣ", "\uFFFD"]) {
      expect(text("正文", 500).safeParse(value).success, value).toBe(true);
    }
  });
});

describe("a required text field that shows nothing counts as empty", () => {
  // Unit names, account names, reasons, 约稿 and notice titles: all go through text().
  it.each([
    ["zero-width spaces", "\u200B\u200B"],
    ["a byte-order mark and a word joiner", "\uFEFF\u2060"],
    ["zero-width joiners between spaces", " \u200D \u200C "],
    ["a soft hyphen", "\u00AD"],
    ["Hangul fillers", "\u3164\uFFA0"],
    ["an ideographic space", "\u3000"],
  ])("%s: 请填写…", (_label, value) => {
    expect(text("单位名称").safeParse(value).error?.issues[0].message).toBe("请填写单位名称");
  });
  it.each([
    ["a name with a zero-width space inside", "城关\u200B中心学校"],
    ["one character", "甲"],
    ["a letter after invisible ones", "\u200BA"],
  ])("%s: accepted", (_label, value) => {
    expect(text("单位名称").safeParse(value).success).toBe(true);
  });
});
