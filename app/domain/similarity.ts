// Near-duplicate items: the Jaccard similarity of the character bigrams of two texts, after
// dropping whitespace and punctuation (Chinese has no spaces; bigrams capture word order).

export const DUPLICATE_THRESHOLD = 0.6;

export function normalizeForSimilarity(text: string): string {
  return text.toLowerCase().replace(/[\s\p{P}\p{S}]+/gu, "");
}

export function bigrams(text: string): Set<string> {
  const chars = [...normalizeForSimilarity(text)];
  const grams = new Set<string>();
  if (chars.length === 1) grams.add(chars[0]);
  for (let i = 0; i + 1 < chars.length; i++) grams.add(chars[i] + chars[i + 1]);
  return grams;
}

export function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 && b.size === 0) return 0;
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let shared = 0;
  for (const g of small) if (large.has(g)) shared++;
  return shared / (a.size + b.size - shared);
}

export function similarity(a: string, b: string): number {
  return jaccard(bigrams(a), bigrams(b));
}

export interface SimilarityCandidate {
  id: number;
  text: string;
}

/** Candidates at or above the threshold, most similar first. */
export function nearDuplicates(
  text: string,
  candidates: readonly SimilarityCandidate[],
  threshold = DUPLICATE_THRESHOLD,
): Array<{ id: number; similarity: number }> {
  const target = bigrams(text);
  const found: Array<{ id: number; similarity: number }> = [];
  for (const c of candidates) {
    const s = jaccard(target, bigrams(c.text));
    if (s >= threshold) found.push({ id: c.id, similarity: Math.round(s * 1000) / 1000 });
  }
  return found.sort((a, b) => b.similarity - a.similarity || a.id - b.id);
}

// The same comparison in a compact form, for comparing one text against thousands of stored ones
// repeatedly: each bigram packed into one number (two code points side by side, exact), sorted.
// A page of 5,000 items of 800 characters holds about 30 MB this way, against several hundred as
// sets of strings, and two texts compare by one merge.

const CODE_SPACE = 0x110000;

/** `bigrams(text)` as sorted unique numbers; a one-character text keeps its single character. */
export function bigramCodes(text: string): Float64Array {
  const grams = bigrams(text);
  const codes = new Float64Array(grams.size);
  let i = 0;
  for (const gram of grams) {
    const [a, b] = [...gram].map((ch) => ch.codePointAt(0)!);
    // Pairs start above every single code point, so the two kinds never meet.
    codes[i++] = b === undefined ? a : (a + 1) * CODE_SPACE + b;
  }
  return codes.sort();
}

/** `jaccard` of two `bigramCodes` results. */
export function jaccardCodes(a: Float64Array, b: Float64Array): number {
  if (a.length === 0 && b.length === 0) return 0;
  let i = 0;
  let j = 0;
  let shared = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      shared++;
      i++;
      j++;
    } else if (a[i] < b[j]) i++;
    else j++;
  }
  return shared / (a.length + b.length - shared);
}

/** `nearDuplicates` over candidates whose bigram codes are already known. */
export function nearDuplicatesByCodes(
  text: string,
  candidates: ReadonlyArray<{ id: number; codes: Float64Array }>,
  threshold = DUPLICATE_THRESHOLD,
): Array<{ id: number; similarity: number }> {
  const target = bigramCodes(text);
  const found: Array<{ id: number; similarity: number }> = [];
  for (const c of candidates) {
    // Jaccard can be no more than the smaller set over the larger: skip what cannot qualify.
    const small = Math.min(target.length, c.codes.length);
    const large = Math.max(target.length, c.codes.length);
    if (large === 0 || small / large < threshold) continue;
    const s = jaccardCodes(target, c.codes);
    if (s >= threshold) found.push({ id: c.id, similarity: Math.round(s * 1000) / 1000 });
  }
  return found.sort((a, b) => b.similarity - a.similarity || a.id - b.id);
}
