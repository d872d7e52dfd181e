// The near-duplicate comparison written the plain way (bigrams as sets of strings), for tests to
// hold the product's packed-number version (app/domain/similarity.ts) against.
import { DUPLICATE_THRESHOLD, normalizeForSimilarity } from "~/domain/similarity";

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

export function nearDuplicates(text: string, candidates: ReadonlyArray<{ id: number; text: string }>, threshold = DUPLICATE_THRESHOLD) {
  const target = bigrams(text);
  const found: Array<{ id: number; similarity: number }> = [];
  for (const c of candidates) {
    const s = jaccard(target, bigrams(c.text));
    if (s >= threshold) found.push({ id: c.id, similarity: Math.round(s * 1000) / 1000 });
  }
  return found.sort((a, b) => b.similarity - a.similarity || a.id - b.id);
}
