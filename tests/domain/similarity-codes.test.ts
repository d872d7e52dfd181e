// The compact bigram codes must give exactly what the set-based rules give.
import { describe, expect, it } from "vitest";
import { bigramCodes, jaccardCodes, nearDuplicatesByCodes } from "~/domain/similarity";
import { bigrams, jaccard, nearDuplicates } from "../support/similarity-sets";

const texts = [
  "城关镇中心学校开展消防安全演练活动，全体师生有序疏散，提高了应急避险能力。",
  "柳河镇中心学校开展消防安全演练活动，全体学生有序疏散。",
  "城关镇中心学校开展消防安全演练活动！全体师生有序疏散，提高了应急避险能力",
  "县实验幼儿园举办亲子运动会，家长和幼儿共同参与。",
  "安",
  "",
  "，。！",
  "𠀀𠀁学校𠀀𠀁", // characters outside the BMP
  "ABC abc 123",
  "安安安安",
];

describe("bigram codes", () => {
  it("hold as many distinct values as the bigram set, sorted", () => {
    for (const t of texts) {
      const codes = bigramCodes(t);
      expect(codes.length, t).toBe(bigrams(t).size);
      expect([...codes], t).toEqual([...new Set(codes)].sort((a, b) => a - b));
    }
  });

  it("give the same Jaccard similarity as the sets, for every pair", () => {
    for (const a of texts) {
      for (const b of texts) {
        expect(jaccardCodes(bigramCodes(a), bigramCodes(b)), `${a} | ${b}`).toBe(jaccard(bigrams(a), bigrams(b)));
      }
    }
  });

  it("find the same near-duplicates in the same order", () => {
    const candidates = texts.map((text, id) => ({ id, text }));
    const coded = texts.map((text, id) => ({ id, codes: bigramCodes(text) }));
    for (const t of texts) {
      expect(nearDuplicatesByCodes(t, coded), t).toEqual(nearDuplicates(t, candidates));
      expect(nearDuplicatesByCodes(t, coded, 0.3), t).toEqual(nearDuplicates(t, candidates, 0.3));
    }
  });

  it("keep a single character apart from every pair", () => {
    expect(jaccardCodes(bigramCodes("安"), bigramCodes("安安"))).toBe(0);
  });
});
