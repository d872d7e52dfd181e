// 错敏词: finding every lexicon word in a text in one pass (Aho–Corasick), so a lexicon of
// thousands of words costs the same scan as a lexicon of ten.

export type WordLevel = "block" | "warn";

export interface LexiconEntry {
  word: string;
  level: WordLevel;
}

export interface WordHit {
  word: string;
  level: WordLevel;
  /** Offsets in the text, in UTF-16 code units, end exclusive. */
  start: number;
  end: number;
}

interface Node {
  next: Map<string, number>;
  fail: number;
  /** Entries ending here, including those reached through fail links, with their normalised length. */
  out: Array<LexiconEntry & { length: number }>;
}

export interface Matcher {
  nodes: Node[];
  size: number;
}

/**
 * A character to skip when matching: format characters (Unicode category Cf: zero-width space,
 * soft hyphen, word joiner, byte-order mark, direction marks…) and whitespace. None of them shows
 * to a reader inside a word, so "机\u200b密", "机\u00ad密" and "机 密" read as "机密".
 */
const IGNORED = /^[\p{Cf}\p{White_Space}]$/u;
/** A base character with the combining marks that follow it (or a run of stray marks). */
const CLUSTER = /\P{M}\p{M}*|\p{M}+/gu;

interface NormalisedText {
  /** The text as a reader sees it, one code point per element. */
  chars: string[];
  /** For each element, the original characters it came from (UTF-16 offsets, end exclusive). */
  start: number[];
  end: number[];
}

/**
 * What a reader sees, for matching: NFKC (full-width letters, Kangxi radicals such as ⾼ and other
 * compatibility look-alikes become the ordinary character), lower case, format characters and
 * whitespace dropped, with each resulting character mapped back to the original ones.
 */
function normaliseText(text: string): NormalisedText {
  const out: NormalisedText = { chars: [], start: [], end: [] };
  for (const m of text.matchAll(CLUSTER)) {
    const cluster = m[0];
    const from = m.index;
    const kept = Array.from(cluster).filter((c) => !IGNORED.test(c)).join("");
    if (!kept) continue;
    for (const ch of kept.normalize("NFKC").toLowerCase()) {
      if (IGNORED.test(ch)) continue;
      out.chars.push(ch);
      out.start.push(from);
      out.end.push(from + cluster.length);
    }
  }
  return out;
}

/** The form in which a word is compared: the lexicon folds its words the same way. */
export function normaliseForMatch(text: string): string {
  return normaliseText(text).chars.join("");
}

export function buildMatcher(entries: readonly LexiconEntry[]): Matcher {
  const nodes: Node[] = [{ next: new Map(), fail: 0, out: [] }];
  let size = 0;
  for (const entry of entries) {
    const chars = normaliseText(entry.word).chars;
    if (chars.length === 0) continue;
    let at = 0;
    for (const ch of chars) {
      let child = nodes[at].next.get(ch);
      if (child === undefined) {
        child = nodes.length;
        nodes.push({ next: new Map(), fail: 0, out: [] });
        nodes[at].next.set(ch, child);
      }
      at = child;
    }
    nodes[at].out.push({ word: entry.word.trim(), level: entry.level, length: chars.length });
    size++;
  }
  // Breadth-first: each node's fail link points at the longest proper suffix in the trie.
  const queue: number[] = [...nodes[0].next.values()];
  while (queue.length) {
    const at = queue.shift()!;
    for (const [ch, child] of nodes[at].next) {
      let f = nodes[at].fail;
      while (f !== 0 && !nodes[f].next.has(ch)) f = nodes[f].fail;
      const target = nodes[f].next.get(ch);
      nodes[child].fail = target !== undefined && target !== child ? target : 0;
      nodes[child].out = [...nodes[child].out, ...nodes[nodes[child].fail].out];
      queue.push(child);
    }
  }
  return { nodes, size };
}

/**
 * Every occurrence of every lexicon word in the text as a reader sees it (see normaliseText),
 * in order of position. Offsets are in the original text, so a highlight marks the characters
 * as typed, hidden ones inside the word included.
 */
export function findSensitiveWords(matcher: Matcher, text: string): WordHit[] {
  const { nodes } = matcher;
  const seen = normaliseText(text);
  const hits: WordHit[] = [];
  let at = 0;
  seen.chars.forEach((ch, i) => {
    while (at !== 0 && !nodes[at].next.has(ch)) at = nodes[at].fail;
    at = nodes[at].next.get(ch) ?? 0;
    for (const entry of nodes[at].out) {
      hits.push({ word: entry.word, level: entry.level, start: seen.start[i - entry.length + 1], end: seen.end[i] });
    }
  });
  return hits.sort((a, b) => a.start - b.start || b.end - a.end);
}

/** The distinct words of a level, in order of first appearance. */
export function distinctWords(hits: readonly WordHit[], level: WordLevel): string[] {
  return [...new Set(hits.filter((h) => h.level === level).map((h) => h.word))];
}

export interface TextSegment {
  text: string;
  hit?: WordLevel;
}

/** Splits a text into plain and highlighted runs (overlaps merged; block wins over warn). */
export function highlightSegments(text: string, hits: readonly WordHit[]): TextSegment[] {
  const level: Array<WordLevel | undefined> = new Array(text.length);
  for (const h of hits) {
    for (let i = h.start; i < h.end; i++) if (level[i] !== "block") level[i] = h.level;
  }
  const segments: TextSegment[] = [];
  let start = 0;
  for (let i = 1; i <= text.length; i++) {
    if (i === text.length || level[i] !== level[start]) {
      segments.push(level[start] ? { text: text.slice(start, i), hit: level[start] } : { text: text.slice(start, i) });
      start = i;
    }
  }
  return segments;
}
