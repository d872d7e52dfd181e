import { describe, expect, it } from "vitest";
import { itemFormSchema, titleProblem } from "~/domain/item-form";
import { buildMatcher, distinctWords, findSensitiveWords, highlightSegments, type LexiconEntry } from "~/domain/sensitive-words";
import { WORD_SPLITTERS } from "../support/hostile-inputs";

const LEXICON: LexiconEntry[] = [
  { word: "机密", level: "block" },
  { word: "绝密", level: "block" },
  { word: "内部资料", level: "block" },
  { word: "做为", level: "warn" },
  { word: "其它", level: "warn" },
  { word: "资料", level: "warn" },
  { word: "VIP", level: "warn" },
];

describe("findSensitiveWords", () => {
  const m = buildMatcher(LEXICON);
  const cases: Array<[string, string, Array<[string, number]>]> = [
    ["无命中", "我校开展主题党日活动。", []],
    ["单个阻断词", "本文含机密内容", [["机密", 3]]],
    ["重叠：内部资料 与 资料", "请勿外传内部资料。", [["内部资料", 4], ["资料", 6]]],
    ["同一词多次", "其它、其它", [["其它", 0], ["其它", 3]]],
    ["拉丁字母不区分大小写", "设立vip通道", [["VIP", 2]]],
    ["紧邻", "绝密机密", [["绝密", 0], ["机密", 2]]],
  ];
  it.each(cases)("%s", (_l, text, expected) => {
    expect(findSensitiveWords(m, text).map((h) => [h.word, h.start])).toEqual(expected);
  });

  it("names block and warn words separately", () => {
    const hits = findSensitiveWords(m, "做为一份内部资料，其它机密");
    expect(distinctWords(hits, "block")).toEqual(["内部资料", "机密"]);
    expect(distinctWords(hits, "warn")).toEqual(["做为", "资料", "其它"]);
  });

  it("scales to thousands of words in one pass", () => {
    const many: LexiconEntry[] = Array.from({ length: 5000 }, (_, i) => ({ word: `词${i.toString(36)}汇`, level: "warn" }));
    many.push({ word: "目标词", level: "block" });
    const big = buildMatcher(many);
    expect(big.size).toBe(5001);
    const text = "前文".repeat(2000) + "目标词" + "后文";
    expect(findSensitiveWords(big, text)).toEqual([{ word: "目标词", level: "block", start: 4000, end: 4003 }]);
  });

  it("ignores blank lexicon entries", () => {
    expect(buildMatcher([{ word: "  ", level: "block" }]).size).toBe(0);
  });
});

describe("matching sees what a reader sees", () => {
  const m = buildMatcher(LEXICON);
  // Each bypass of a blocked word: the hit is found, and its offsets cover the original characters.
  const bypasses: Array<[string, string, string]> = [
    ...Object.entries(WORD_SPLITTERS).map(([label, c]): [string, string, string] => [label, `本文含机${c}密内容`, `机${c}密`]),
    ["多个空白与隐藏字符", "本文含内 \u200b部\t资\u00ad料", "内 \u200b部\t资\u00ad料"],
    ["全角拉丁字母", "设立ＶＩＰ通道", "ＶＩＰ"],
  ];
  it.each(bypasses)("%s", (_l, text, typed) => {
    const hits = findSensitiveWords(m, text);
    const block = hits.find((h) => h.level === "block") ?? hits[0];
    expect(block, text).toBeDefined();
    expect(text.slice(block.start, block.end)).toBe(typed);
  });

  it("康熙部首 ⾼ reads as 高", () => {
    const gk = buildMatcher([{ word: "高考移民", level: "block" }]);
    const text = "关于⾼考移民的说明";
    const hits = findSensitiveWords(gk, text);
    expect(hits.map((h) => [h.word, text.slice(h.start, h.end)])).toEqual([["高考移民", "⾼考移民"]]);
    // and a lexicon word typed with the radical matches the ordinary character
    expect(findSensitiveWords(buildMatcher([{ word: "⾼考移民", level: "block" }]), "高考移民").length).toBe(1);
  });

  it("a lexicon word with hidden characters or spaces is matched as the reader sees it", () => {
    const spaced = buildMatcher([{ word: "机 密", level: "block" }]);
    expect(findSensitiveWords(spaced, "本文含机密").map((h) => h.word)).toEqual(["机 密"]);
  });

  it("highlights the original characters, hidden ones included", () => {
    const text = "看内部\u200b资料吧";
    expect(highlightSegments(text, findSensitiveWords(m, text))).toEqual([
      { text: "看" },
      { text: "内部\u200b资料", hit: "block" },
      { text: "吧" },
    ]);
  });

  it("keeps offsets right around characters that change length when normalised", () => {
    const text = "ﬁ机密"; // the ligature ﬁ becomes "fi" (two characters) under NFKC
    const [hit] = findSensitiveWords(m, text);
    expect(text.slice(hit.start, hit.end)).toBe("机密");
    const astral = "𠀀机\u200d密";
    const [h2] = findSensitiveWords(m, astral);
    expect(astral.slice(h2.start, h2.end)).toBe("机\u200d密");
  });

  it("does not invent hits in clean text", () => {
    expect(findSensitiveWords(m, "我校开展主题党日活动，资 源共享。")).toEqual([]);
  });
});

describe("highlightSegments", () => {
  it("marks hits, block over warn", () => {
    const m = buildMatcher(LEXICON);
    const text = "看内部资料吧";
    expect(highlightSegments(text, findSensitiveWords(m, text))).toEqual([
      { text: "看" },
      { text: "内部资料", hit: "block" },
      { text: "吧" },
    ]);
  });
  it("returns the plain text when nothing matches", () => {
    expect(highlightSegments("平安校园", [])).toEqual([{ text: "平安校园" }]);
  });
});

describe("a word shown only by reordering the text is refused on the item form, since the check reads the stored order", () => {
  // "学习\u202E密机\u202C文件" is stored 学习…密机…文件 but every page, Word and Excel show 学习机密文件:
  // the reader sees 机密, the matcher (which skips format characters, the override among them) sees 密机.
  const m = buildMatcher(LEXICON);
  const today = "2026-12-07";
  const form = (over: Record<string, unknown>) =>
    itemFormSchema(today).safeParse({
      title: "城关镇中心学校开展学习活动", body: "全体教师参加了学习。", category_id: "1", channel_id: "1", event_date: today,
      bylines: ["5"], intent: "submit", captions: {}, photo_captions: {}, remove_photo: [], ...over,
    });
  const messagesOf = (result: ReturnType<typeof form>) =>
    Object.fromEntries((result.error?.issues ?? []).map((i) => [i.path.join("."), i.message]));

  it("the matcher alone does not see it", () => {
    expect(distinctWords(findSensitiveWords(m, "学习\u202e密机\u202c文件"), "block")).toEqual([]);
  });

  it.each([
    ["从右到左覆盖 U+202E", "\u202e"],
    ["从左到右覆盖 U+202D", "\u202d"],
    ["从右到左嵌入 U+202B", "\u202b"],
    ["从左到右嵌入 U+202A", "\u202a"],
    ["嵌入结束 U+202C", "\u202c"],
    ["从右到左隔离 U+2067", "\u2067"],
    ["从左到右隔离 U+2066", "\u2066"],
    ["首字隔离 U+2068", "\u2068"],
    ["隔离结束 U+2069", "\u2069"],
  ])("%s in a title, a body or a caption", (_label, c) => {
    expect(messagesOf(form({ title: `学习${c}密机文件` }))).toEqual({ title: "标题含有改变文字显示顺序的控制字符（如“从右到左覆盖”），请删去后重新填写" });
    expect(messagesOf(form({ body: `全体教师学习${c}密机文件。` }))).toEqual({ body: "正文含有改变文字显示顺序的控制字符（如“从右到左覆盖”），请删去后重新填写" });
    expect(messagesOf(form({ captions: { "1": `${c}密机` } }))).toEqual({ "captions.1": "图片说明含有改变文字显示顺序的控制字符（如“从右到左覆盖”），请删去后重新填写" });
    // Whatever saves a draft checks its fields again (draftProblems), not only the form's schema.
    expect(titleProblem(`学习${c}密机文件`)).toMatch(/改变文字显示顺序/);
  });

  it("keeps the marks that do not reorder Chinese (U+200E, U+200F) and every splitter the matcher skips", () => {
    for (const c of ["\u200e", "\u200f", ...Object.values(WORD_SPLITTERS)]) expect(form({ title: `学习${c}机密文件` }).success, JSON.stringify(c)).toBe(true);
  });
});
