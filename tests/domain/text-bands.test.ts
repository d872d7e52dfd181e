// The band keys that pick a province's near-duplicate candidates: fixed (every process and release
// gives the same keys to the same text), one per band, and sensitive as the rule needs: texts at the
// 0.6 threshold or above share a key, unrelated ones seldom do.
import { describe, expect, it } from "vitest";
import { bigramCodes, similarity } from "~/domain/similarity";
import { bandOf, textBands, TEXT_BANDS } from "~/domain/text-bands";

/** A seeded generator (mulberry32), so the texts below are the same on every run. */
function random(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
/** `length` characters drawn from the 1,500 commonest-looking CJK code points. */
function text(next: () => number, length: number): string[] {
  return Array.from({ length }, () => String.fromCodePoint(0x4e00 + Math.floor(next() * 1500)));
}
/** `chars` with a share `rate` of its characters replaced. */
function edited(next: () => number, chars: readonly string[], rate: number): string[] {
  return chars.map((c) => (next() < rate ? String.fromCodePoint(0x4e00 + Math.floor(next() * 1500)) : c));
}
const keysOf = (t: string) => new Set(textBands(bigramCodes(t)));
const share = (a: string, b: string) => [...keysOf(a)].some((k) => keysOf(b).has(k));

describe("textBands", () => {
  it("gives one key per band, each a safe integer carrying its band's number", () => {
    const keys = textBands(bigramCodes("本校组织开展校园安全教育活动，全体师生参加。"));
    expect(keys).toHaveLength(TEXT_BANDS.bands);
    expect(keys.map(bandOf)).toEqual(Array.from({ length: TEXT_BANDS.bands }, (_, b) => b));
    for (const k of keys) expect(Number.isSafeInteger(k) && k >= 0).toBe(true);
  });

  it.each([
    ["", []],
    ["，。！ \n", []],
  ])("gives no key to a text without bigrams (%j)", (t, keys) => expect(textBands(bigramCodes(t))).toEqual(keys));

  it("gives the same keys to texts the rule reads as the same, and these exact keys on every run", () => {
    const a = "本校组织开展校园安全教育活动，全体师生参加。";
    expect(textBands(bigramCodes(a))).toEqual(textBands(bigramCodes(" 本校组织开展校园安全教育活动 全体师生参加")));
    // Stored keys must stay valid across releases: a change here orphans every key in the database.
    expect(textBands(bigramCodes("安全")).slice(0, 2)).toEqual(FIRST_KEYS_OF_安全);
    expect(textBands(bigramCodes(a))).not.toEqual(textBands(bigramCodes("教师节表彰大会隆重召开。")));
  });

  it("puts texts at or above the threshold on a shared key, and unrelated texts seldom", () => {
    const next = random(2026);
    const near: number[] = [];
    const far: boolean[] = [];
    let pairs = 0;
    while (near.length < 400 && pairs < 20_000) {
      pairs++;
      const a = text(next, 80 + Math.floor(next() * 600));
      const b = edited(next, a, 0.1 + next() * 0.1);
      const j = similarity(a.join(""), b.join(""));
      if (j >= 0.6) near.push(share(a.join(""), b.join("")) ? 1 : 0);
    }
    for (let i = 0; i < 400; i++) {
      const a = text(next, 300).join("");
      const b = text(next, 300).join("");
      expect(similarity(a, b)).toBeLessThan(0.1);
      far.push(share(a, b));
    }
    expect(near).toHaveLength(400);
    // Missed with probability (1 − 0.6³)³² ≈ 0.0004 each at the threshold, less above it.
    expect(near.filter((s) => s === 0).length).toBeLessThanOrEqual(1);
    expect(far.filter(Boolean).length).toBeLessThan(12);
  });
});

const FIRST_KEYS_OF_安全 = [168480826874687, 447355624665965];
