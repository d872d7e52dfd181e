import { describe, expect, it } from "vitest";
import { excerptSegments, ftsQuote, markTerms, planSearch, searchNote, SHORT_SCAN_LIMIT, type Segment } from "~/domain/search";

describe("planSearch", () => {
  const cases: Array<[string, string | null | undefined, ReturnType<typeof planSearch>]> = [
    ["空", "", null],
    ["缺省", undefined, null],
    ["只有空白", "  \u3000 ", null],
    ["一个长词", "读书节", { terms: ["读书节"], match: '"读书节"', short: [] }],
    ["两个长词都要", "读书节 家长会", { terms: ["读书节", "家长会"], match: '"读书节" AND "家长会"', short: [] }],
    ["全角空格分词", "读书节\u3000家长会", { terms: ["读书节", "家长会"], match: '"读书节" AND "家长会"', short: [] }],
    ["重复的词只算一次", "读书节 读书节", { terms: ["读书节"], match: '"读书节"', short: [] }],
    ["两个字走扫描", "党建", { terms: ["党建"], match: null, short: ["党建"] }],
    ["一个字走扫描", "党", { terms: ["党"], match: null, short: ["党"] }],
    ["长词加短词", "读书节 党", { terms: ["读书节", "党"], match: '"读书节"', short: ["党"] }],
    ["引号加倍", 'a"b"c', { terms: ['a"b"c'], match: '"a""b""c"', short: [] }],
    ["单个引号", '"', { terms: ['"'], match: null, short: ['"'] }],
    ["NEAR 是普通的词", "NEAR", { terms: ["NEAR"], match: '"NEAR"', short: [] }],
    ["运算符是普通的词", "读书 OR 党建", { terms: ["读书", "OR", "党建"], match: null, short: ["读书", "OR", "党建"] }],
    ["星号", "读书*", { terms: ["读书*"], match: '"读书*"', short: [] }],
    ["括号与冒号", "title:(读书)", { terms: ["title:(读书)"], match: '"title:(读书)"', short: [] }],
    ["控制字符当空白", "读书节\u0000家长会", { terms: ["读书节", "家长会"], match: '"读书节" AND "家长会"', short: [] }],
    ["私用区字符去掉", "读\ue000书节", { terms: ["读", "书节"], match: null, short: ["读", "书节"] }],
    ["一个汉字算一个字", "𠀀𠀁𠀂", { terms: ["𠀀𠀁𠀂"], match: '"𠀀𠀁𠀂"', short: [] }],
  ];
  it.each(cases)("%s", (_label, text, expected) => {
    expect(planSearch(text)).toEqual(expected);
  });

  it("uses at most six words of at most 80 characters", () => {
    expect(planSearch("一二三 四五六 七八九 十百千 甲乙丙 丁戊己 庚辛壬")!.terms).toHaveLength(6);
    const long = planSearch("长".repeat(500))!;
    expect([...long.terms[0]]).toHaveLength(80);
  });

  it("quotes so that every FTS5 operator is a plain string", () => {
    expect(ftsQuote('NEAR("a" b)')).toBe('"NEAR(""a"" b)"');
  });
});

const show = (segments: Segment[]) => segments.map((s) => (s.hit ? `[${s.text}]` : s.text)).join("");

describe("markTerms", () => {
  const cases: Array<[string, string, string[], string]> = [
    ["没有命中", "城关镇中心学校", ["读书"], "城关镇中心学校"],
    ["一处", "城关镇读书节", ["读书节"], "城关镇[读书节]"],
    ["多处", "读书节又是读书节", ["读书节"], "[读书节]又是[读书节]"],
    ["两个词相邻合成一处", "读书节家长会", ["读书节", "家长会"], "[读书节家长会]"],
    ["两个词分开", "读书节和家长会", ["读书节", "家长会"], "[读书节]和[家长会]"],
    ["重叠合并", "读书节日", ["读书节", "书节日"], "[读书节日]"],
    ["英文不分大小写", "Science课", ["science"], "[Science]课"],
    ["标记字符原样是文字", "<b>读书</b>", ["读书"], "<b>[读书]</b>"],
    ["空文本", "", ["读书"], ""],
  ];
  it.each(cases)("%s", (_label, text, terms, expected) => {
    expect(show(markTerms(text, terms))).toBe(expected);
    expect(markTerms(text, terms).map((s) => s.text).join("")).toBe(text);
  });
});

describe("excerptSegments", () => {
  it("starts at the body when the hit is near the start", () => {
    expect(show(excerptSegments("读书节开幕。\n\n第二段。", ["读书节"], 20))).toBe("[读书节]开幕。 第二段。");
  });
  it("cuts around a hit deep in the body, with … where it is cut", () => {
    const body = `${"甲".repeat(100)}读书节${"乙".repeat(100)}`;
    const text = show(excerptSegments(body, ["读书节"], 20));
    expect(text).toBe(`…${"甲".repeat(5)}[读书节]${"乙".repeat(12)}…`);
  });
  it("shows the start when no word is in the body (a title hit)", () => {
    expect(show(excerptSegments("正文没有这个词", ["读书节"], 4))).toBe("正文没有…");
  });
  it("keeps characters outside the basic plane whole", () => {
    const text = show(excerptSegments(`${"𠀀".repeat(50)}读书节`, ["读书节"], 10));
    expect(text).toBe(`…${"𠀀".repeat(7)}[读书节]`);
  });
});

describe("searchNote", () => {
  it("says when a short search only looks through the most recent items", () => {
    expect(searchNote(null)).toBeNull();
    expect(searchNote(planSearch("读书节"))).toBeNull();
    expect(searchNote(planSearch("党建"))).toContain(`最近 ${SHORT_SCAN_LIMIT} 篇`);
  });
});
