import { describe, expect, it } from "vitest";
import { parseBulkWords, wordFormSchema, wordProblem, WORD_MAX } from "~/domain/lexicon";

describe("wordProblem", () => {
  const cases: Array<[string, string, string | null]> = [
    ["合格", "布署", null],
    ["空", "", "请填写词语"],
    ["恰好 30 字", "字".repeat(WORD_MAX), null],
    ["超过 30 字", "字".repeat(WORD_MAX + 1), "词语不能超过 30 个字"],
    ["半角逗号", "甲,乙", "词语不能包含逗号"],
    ["全角逗号", "甲，乙", "词语不能包含逗号"],
    ["制表符", "甲\t乙", "词语不能包含换行等控制字符"],
    ["只有零宽空格", "\u200b\u2060", "请填写词语"],
    ["只有软连字符和全角空格", "\u00ad\u3000", "请填写词语"],
  ];
  it.each(cases)("%s", (_label, word, expected) => {
    expect(wordProblem(word)).toBe(expected);
  });

  it("trims the word and defaults the note in the form schema", () => {
    expect(wordFormSchema().parse({ word: "  其它 ", level: "warn" })).toEqual({ word: "其它", level: "warn", note: "" });
    expect(wordFormSchema().safeParse({ word: "其它", level: "danger" }).success).toBe(false);
  });
});

describe("parseBulkWords", () => {
  it("treats look-alike spellings of a word as the same word", () => {
    expect(parseBulkWords("高考\n⾼考\n高 考\n高\u200b考\nＶＩＰ\nvip", "block")).toEqual({
      ok: true,
      entries: [{ word: "高考", level: "block" }, { word: "ＶＩＰ", level: "block" }],
      repeated: ["⾼考", "高 考", "高\u200b考", "vip"],
    });
  });

  it("reads one word a line with the default level, ignoring blank lines", () => {
    expect(parseBulkWords("布署\n\n  其它  \r\n做为\n", "warn")).toEqual({
      ok: true,
      entries: [{ word: "布署", level: "warn" }, { word: "其它", level: "warn" }, { word: "做为", level: "warn" }],
      repeated: [],
    });
  });

  it("takes a level after a comma, in English or Chinese, half- or full-width", () => {
    const parsed = parseBulkWords("机密,block\n按排, WARN\n内部资料，禁用\n既使，提示\n台湾总统", "warn");
    expect(parsed).toMatchObject({
      ok: true,
      entries: [
        { word: "机密", level: "block" }, { word: "按排", level: "warn" }, { word: "内部资料", level: "block" },
        { word: "既使", level: "warn" }, { word: "台湾总统", level: "warn" },
      ],
    });
  });

  it("keeps the first of words given twice (ignoring letter case) and reports the rest", () => {
    const parsed = parseBulkWords("VIP,block\n其它\nvip\n其它,block\n其它", "warn");
    expect(parsed).toEqual({
      ok: true,
      entries: [{ word: "VIP", level: "block" }, { word: "其它", level: "warn" }],
      repeated: ["vip", "其它"],
    });
  });

  it("refuses the whole list when any line is bad, naming each bad line", () => {
    const parsed = parseBulkWords(`好词\n坏词,danger\n${"长".repeat(31)}\n,warn\n又一个好词`, "warn");
    expect(parsed).toEqual({
      ok: false,
      problems: [
        { line: 2, text: "坏词,danger", message: "逗号后的等级只能是“禁用”或“提示”" },
        { line: 3, text: "长".repeat(31), message: "词语不能超过 30 个字" },
        { line: 4, text: ",warn", message: "请填写词语" },
      ],
    });
  });

  it("refuses an empty list and an oversized one", () => {
    expect(parseBulkWords(" \n\n", "warn")).toEqual({ ok: false, problems: [{ line: 0, text: "", message: "请至少填写一个词" }] });
    const many = Array.from({ length: 2001 }, (_, i) => `词${i}`).join("\n");
    expect(parseBulkWords(many, "warn")).toEqual({ ok: false, problems: [{ line: 0, text: "", message: "一次最多导入 2000 个词，请分批导入" }] });
  });
});
