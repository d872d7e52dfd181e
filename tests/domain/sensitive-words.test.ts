import { describe, expect, it } from "vitest";
import { buildMatcher, distinctWords, findSensitiveWords, highlightSegments, type LexiconEntry } from "~/domain/sensitive-words";

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
