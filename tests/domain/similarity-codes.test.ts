// The compact bigram codes must give exactly what the set-based rules give.
import { describe, expect, it } from "vitest";
import { bigramCodes, isNearDuplicate, jaccardCodes, nearDuplicatesByCodes, pairSimilarity, sharedNeeded } from "~/domain/similarity";
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

/** Texts that drift apart step by step: each one edits the one before (a character replaced, dropped or added). */
function driftingTexts(seed: number, count: number): string[] {
  const pool = [..."学校开展消防安全演练活动全体师生有序疏散提高应急避险能力县实验幼儿园举办亲子运动会家长共同参与"];
  let state = seed;
  const next = (n: number) => ((state = (state * 1103515245 + 12345) % 2147483648) % n);
  let text = [...texts[0]];
  const out: string[] = [];
  for (let k = 0; k < count; k++) {
    const at = next(text.length);
    const edit = next(3);
    if (edit === 0) text[at] = pool[next(pool.length)];
    else if (edit === 1 && text.length > 2) text.splice(at, 1);
    else text.splice(at, 0, pool[next(pool.length)]);
    out.push(text.join(""));
  }
  return out;
}

describe("pairSimilarity", () => {
  it("gives the exact similarity of every pair at or above the threshold and 0 below it", () => {
    const all = [...texts, ...driftingTexts(7, 40), ...driftingTexts(11, 40)];
    let near = 0;
    let below = 0;
    for (const threshold of [0.3, 0.6, 0.8]) {
      for (const a of all) {
        for (const b of all) {
          const exact = jaccard(bigrams(a), bigrams(b));
          const got = pairSimilarity(bigramCodes(a), bigramCodes(b), threshold);
          if (exact >= threshold) {
            near++;
            expect(got, `${a} | ${b} @ ${threshold}`).toBe(exact);
          } else {
            below++;
            expect(isNearDuplicate(got, threshold), `${a} | ${b} @ ${threshold}`).toBe(false);
          }
        }
      }
    }
    // Both sides of the threshold are exercised.
    expect(near).toBeGreaterThan(500);
    expect(below).toBeGreaterThan(500);
  });

  it("keeps a pair exactly at the threshold, even when its mismatches come first", () => {
    const codes = (from: number, to: number) => Float64Array.from({ length: to - from + 1 }, (_, k) => from + k);
    // 6 shared of 8 + 8: 6 / 10 = 0.6 exactly.
    expect(pairSimilarity(codes(1, 8), codes(3, 10))).toBe(0.6);
    expect(pairSimilarity(codes(3, 10), codes(1, 8))).toBe(0.6);
    expect(isNearDuplicate(pairSimilarity(codes(1, 8), codes(3, 10)))).toBe(true);
    // One fewer shared: 5 / 11.
    expect(pairSimilarity(codes(1, 8), codes(4, 11))).toBe(0);
  });

  it.each([
    // total, threshold, fewest shared: the first s with s / (total - s) >= threshold
    [16, 0.6, 6], // 6 / 10 = 0.6
    [10, 0.6, 4], // 3 / 7 < 0.6 <= 4 / 6
    [20, 0.6, 8], // 7 / 13 < 0.6 <= 8 / 12
    [2, 0.6, 1],
    [0, 0.6, 0],
    [10, 0.3, 3], // 2 / 8 < 0.3 <= 3 / 7
    [100, 0.8, 45], // 44 / 56 < 0.8 <= 45 / 55
    [10, 0, 0],
  ])("sharedNeeded(%i, %f) = %i", (total, threshold, expected) => {
    expect(sharedNeeded(total, threshold)).toBe(expected);
  });
});
