import { describe, expect, it } from "vitest";
import { DUPLICATE_THRESHOLD, isNearDuplicate, nearDuplicates, similarity } from "~/domain/similarity";
import { bigrams, jaccard } from "../support/similarity-sets";

const 原文 = "城关镇中心学校开展消防安全演练活动，全体师生有序疏散，提高了应急避险能力。";

describe("similarity", () => {
  const cases: Array<[string, string, string, number, number]> = [
    ["完全相同", 原文, 原文, 1, 1],
    ["只差标点和空格", 原文, 原文.replace(/，/g, " ").replace("。", ""), 1, 1],
    ["换了学校名", 原文, 原文.replace("城关镇中心", "柳河镇中心"), 0.75, 0.95],
    ["毫不相干", 原文, "县实验幼儿园举办亲子运动会，家长和幼儿共同参与。", 0, 0.1],
    ["空文本", "", "", 0, 0],
  ];
  it.each(cases)("%s", (_l, a, b, min, max) => {
    const s = similarity(a, b);
    expect(s).toBeGreaterThanOrEqual(min);
    expect(s).toBeLessThanOrEqual(max);
  });

  it("is symmetric", () => {
    const b = "柳河镇中心学校开展消防安全演练活动，全体学生有序疏散。";
    expect(similarity(原文, b)).toBe(similarity(b, 原文));
  });

  it("counts bigrams without punctuation", () => {
    expect([...bigrams("平安，校园")]).toEqual(["平安", "安校", "校园"]);
    expect(jaccard(new Set(["ab", "bc"]), new Set(["bc", "cd"]))).toBeCloseTo(1 / 3);
  });

  it("lists near-duplicates above the threshold, most similar first", () => {
    const found = nearDuplicates(原文, [
      { id: 1, text: "县实验幼儿园举办亲子运动会。" },
      { id: 2, text: 原文.replace("城关镇中心", "柳河镇中心") },
      { id: 3, text: 原文 },
    ]);
    expect(found.map((f) => f.id)).toEqual([3, 2]);
    expect(found[0].similarity).toBe(1);
    expect(found.every((f) => f.similarity >= DUPLICATE_THRESHOLD)).toBe(true);
  });
});

describe("isNearDuplicate", () => {
  it.each([
    { similarity: 1, threshold: undefined, counts: true },
    { similarity: DUPLICATE_THRESHOLD, threshold: undefined, counts: true },
    { similarity: DUPLICATE_THRESHOLD - 0.001, threshold: undefined, counts: false },
    { similarity: 0, threshold: undefined, counts: false },
    { similarity: 0.5, threshold: 0.5, counts: true },
    { similarity: 0.49, threshold: 0.5, counts: false },
  ])("$similarity against $threshold: $counts", ({ similarity: s, threshold, counts }) => {
    expect(isNearDuplicate(s, threshold)).toBe(counts);
  });
});
