// Near-duplicate items: the Jaccard similarity of the character bigrams of two texts, after
// dropping whitespace and punctuation (Chinese has no spaces; bigrams capture word order).

export const DUPLICATE_THRESHOLD = 0.6;

export function normalizeForSimilarity(text: string): string {
  return text.toLowerCase().replace(/[\s\p{P}\p{S}]+/gu, "");
}

export interface SimilarityCandidate {
  id: number;
  text: string;
}

// Each bigram is packed into one number (two code points side by side, exact) and a text's set
// of them kept sorted: one text compares against thousands of stored ones by one merge each, and a
// page of 5,000 items of 800 characters holds about 30 MB this way (several hundred as sets of
// strings).

const CODE_SPACE = 0x110000;

/** A text's character bigrams as sorted unique numbers; a one-character text keeps its single character. */
export function bigramCodes(text: string): Float64Array {
  const chars = [...normalizeForSimilarity(text)].map((ch) => ch.codePointAt(0)!);
  const grams = new Set<number>();
  if (chars.length === 1) grams.add(chars[0]);
  // Pairs start above every single code point, so the two kinds never meet.
  for (let i = 0; i + 1 < chars.length; i++) grams.add((chars[i] + 1) * CODE_SPACE + chars[i + 1]);
  return Float64Array.from(grams).sort();
}

/** The Jaccard similarity of two `bigramCodes` results: shared bigrams over all bigrams. */
export function jaccardCodes(a: Float64Array, b: Float64Array): number {
  if (a.length === 0 && b.length === 0) return 0;
  return jaccardReaching(a, b, 0);
}

/**
 * The Jaccard similarity of two non-empty code sets by one merge of the sorted codes, or 0 as soon
 * as the bigrams left on one side could no longer bring the shared ones up to `need` (with 0, the
 * merge always runs to the end).
 */
function jaccardReaching(a: Float64Array, b: Float64Array, need: number): number {
  const na = a.length;
  const nb = b.length;
  let i = 0;
  let j = 0;
  let shared = 0;
  // Past these positions, too few bigrams are left on that side to reach `need` (each shared one moves them on).
  let lastA = na - need;
  let lastB = nb - need;
  while (i < na && j < nb) {
    const x = a[i];
    const y = b[j];
    if (x === y) {
      shared++;
      i++;
      j++;
      lastA++;
      lastB++;
    } else if (x < y) {
      if (++i > lastA) return 0;
    } else if (++j > lastB) return 0;
  }
  return shared / (na + nb - shared);
}

/** Candidates at or above the threshold, most similar first, their bigram codes already known. */
export function nearDuplicatesByCodes(
  text: string,
  candidates: ReadonlyArray<{ id: number; codes: Float64Array }>,
  threshold = DUPLICATE_THRESHOLD,
): Array<{ id: number; similarity: number }> {
  const target = bigramCodes(text);
  return nearDuplicatesOf(
    candidates.map((c) => ({ id: c.id, similarity: pairSimilarity(target, c.codes, threshold) })),
    threshold,
  );
}

/**
 * The Jaccard similarity of two texts' codes, or 0 when it cannot reach `threshold`: it can be no
 * more than the smaller set over the larger, so such pairs are not compared; and the merge stops
 * as soon as the bigrams left could no longer bring the shared ones up to what `threshold` needs
 * (`sharedNeeded`), which for two unrelated texts comes long before the end.
 */
export function pairSimilarity(a: Float64Array, b: Float64Array, threshold = DUPLICATE_THRESHOLD): number {
  const small = Math.min(a.length, b.length);
  const large = Math.max(a.length, b.length);
  if (large === 0 || small / large < threshold) return 0;
  return jaccardReaching(a, b, sharedNeeded(a.length + b.length, threshold));
}

/**
 * The fewest shared bigrams with which two sets holding `total` bigrams between them reach
 * `threshold`, by the same division as `jaccardCodes` (shared over total less shared), so that a
 * pair exactly at the threshold is never cut short.
 */
export function sharedNeeded(total: number, threshold: number): number {
  let s = Math.max(0, Math.ceil((threshold * total) / (1 + threshold)));
  while (s > 0 && (s - 1) / (total - s + 1) >= threshold) s--;
  while (s < total && s / (total - s) < threshold) s++;
  return s;
}

/** Whether a pair with this similarity counts as a near duplicate. */
export function isNearDuplicate(similarity: number, threshold = DUPLICATE_THRESHOLD): boolean {
  return similarity >= threshold;
}

/** The near duplicates among scored candidates: at or above `threshold`, to 3 decimals, most similar first, then by id. */
export function nearDuplicatesOf(
  scored: ReadonlyArray<{ id: number; similarity: number }>,
  threshold = DUPLICATE_THRESHOLD,
): Array<{ id: number; similarity: number }> {
  return scored
    .filter((c) => isNearDuplicate(c.similarity, threshold))
    .map((c) => ({ id: c.id, similarity: Math.round(c.similarity * 1000) / 1000 }))
    .sort((a, b) => b.similarity - a.similarity || a.id - b.id);
}

/** The similarity of two texts (0 to 1). */
export function similarity(a: string, b: string): number {
  return jaccardCodes(bigramCodes(a), bigramCodes(b));
}

/** `nearDuplicatesByCodes` over texts. */
export function nearDuplicates(
  text: string,
  candidates: readonly SimilarityCandidate[],
  threshold = DUPLICATE_THRESHOLD,
): Array<{ id: number; similarity: number }> {
  return nearDuplicatesByCodes(text, candidates.map((c) => ({ id: c.id, codes: bigramCodes(c.text) })), threshold);
}
