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
