// Keyword search: how a search box's text becomes a query, and how hits are marked on the page.
// The index (FTS5, trigram tokenizer) finds any run of three or more characters; shorter words
// cannot be indexed and are looked for by a bounded scan instead (app/models/search.server.ts).
// Pure and client-safe: the page marks hits with the same `markTerms` the tests check.

/** Longest search box text, in characters. */
export const SEARCH_MAX = 80;
/** At most this many words of one search are used. */
export const SEARCH_TERMS_MAX = 6;
/** The trigram index needs words of at least this many characters. */
export const INDEXED_TERM_MIN = 3;
/** A search of only 1–2 character words looks through this many most recent items of the list. */
export const SHORT_SCAN_LIMIT = 2000;

export interface SearchPlan {
  /** Every word, in the order typed, without repeats. */
  terms: string[];
  /** The FTS5 query of the words of 3+ characters (each quoted, all required); null when none. */
  match: string | null;
  /** Words of 1–2 characters: found by LIKE on the index's hits, or by the bounded scan. */
  short: string[];
}

const length = (s: string) => [...s].length;

/**
 * A word as an FTS5 string: in double quotes, inner quotes doubled, so nothing the user types
 * (AND, OR, NOT, NEAR, *, ^, :, parentheses, quotes) is read as query syntax.
 */
export function ftsQuote(term: string): string {
  return `"${term.replace(/"/g, '""')}"`;
}

/** The search box's text as a plan; null when there is nothing to look for. */
export function planSearch(text: string | null | undefined): SearchPlan | null {
  // Control characters and private-use characters carry no meaning in a search.
  const cleaned = [...(text ?? "")]
    .slice(0, SEARCH_MAX)
    .join("")
    .replace(/[\u0000-\u001f\u007f\ue000-\uf8ff]/g, " ");
  const terms: string[] = [];
  for (const word of cleaned.split(/[\s\u3000]+/)) {
    if (word && !terms.includes(word)) terms.push(word);
    if (terms.length === SEARCH_TERMS_MAX) break;
  }
  if (terms.length === 0) return null;
  const indexed = terms.filter((t) => length(t) >= INDEXED_TERM_MIN);
  return {
    terms,
    match: indexed.length ? indexed.map(ftsQuote).join(" AND ") : null,
    short: terms.filter((t) => length(t) < INDEXED_TERM_MIN),
  };
}

export interface Segment {
  text: string;
  hit: boolean;
}

/** ASCII letters folded to lower case (same length, like the index's and LIKE's folding of them). */
function fold(s: string): string {
  return s.replace(/[A-Z]/g, (c) => c.toLowerCase());
}

/** `text` cut into plain and hit segments: every occurrence of any term is a hit; overlapping hits merge. */
export function markTerms(text: string, terms: readonly string[]): Segment[] {
  const haystack = fold(text);
  const ranges: Array<[number, number]> = [];
  for (const term of terms) {
    const needle = fold(term);
    if (!needle) continue;
    for (let at = haystack.indexOf(needle); at !== -1; at = haystack.indexOf(needle, at + 1)) {
      ranges.push([at, at + needle.length]);
    }
  }
  ranges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const merged: Array<[number, number]> = [];
  for (const r of ranges) {
    const last = merged[merged.length - 1];
    if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
    else merged.push([r[0], r[1]]);
  }
  const segments: Segment[] = [];
  let pos = 0;
  for (const [from, to] of merged) {
    if (from > pos) segments.push({ text: text.slice(pos, from), hit: false });
    segments.push({ text: text.slice(from, to), hit: true });
    pos = to;
  }
  if (pos < text.length || segments.length === 0) segments.push({ text: text.slice(pos), hit: false });
  return segments;
}

/**
 * A one-line excerpt of `body` around its first hit (whitespace collapsed, about `max` characters,
 * "…" where it is cut), as segments; the start of the body when no term occurs in it.
 */
export function excerptSegments(body: string, terms: readonly string[], max = 80): Segment[] {
  const chars = [...body.replace(/\s+/g, " ").trim()];
  const flat = chars.join("");
  const folded = fold(flat);
  let first = -1;
  for (const term of terms) {
    const at = folded.indexOf(fold(term));
    if (at !== -1 && (first === -1 || at < first)) first = at;
  }
  // From a UTF-16 offset to a character index.
  const firstChar = first === -1 ? 0 : [...flat.slice(0, first)].length;
  const start = Math.max(0, Math.min(firstChar - Math.floor(max / 4), chars.length - max));
  const end = Math.min(chars.length, start + max);
  const excerpt = `${start > 0 ? "…" : ""}${chars.slice(start, end).join("")}${end < chars.length ? "…" : ""}`;
  return markTerms(excerpt, terms);
}

/** What the page says about how the list was searched. */
export function searchNote(plan: SearchPlan | null): string | null {
  if (!plan) return null;
  if (plan.match) return null;
  return `“${plan.terms.join(" ")}”不足三个字，只在最近 ${SHORT_SCAN_LIMIT} 篇稿件中逐篇查找；输入三个字以上的词可查找全部稿件。`;
}
