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
  /** Entries ending here, including those reached through fail links. */
  out: LexiconEntry[];
}

export interface Matcher {
  nodes: Node[];
  size: number;
}

const fold = (s: string) => s.toLowerCase();

export function buildMatcher(entries: readonly LexiconEntry[]): Matcher {
  const nodes: Node[] = [{ next: new Map(), fail: 0, out: [] }];
  let size = 0;
  for (const entry of entries) {
    const word = fold(entry.word.trim());
    if (!word) continue;
    let at = 0;
    for (const ch of word) {
      let child = nodes[at].next.get(ch);
      if (child === undefined) {
        child = nodes.length;
        nodes.push({ next: new Map(), fail: 0, out: [] });
        nodes[at].next.set(ch, child);
      }
      at = child;
    }
    nodes[at].out.push({ word: entry.word.trim(), level: entry.level });
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

/** Every occurrence of every lexicon word in the text, in order of position. */
export function findSensitiveWords(matcher: Matcher, text: string): WordHit[] {
  const { nodes } = matcher;
  const hits: WordHit[] = [];
  let at = 0;
  let offset = 0;
  for (const ch of fold(text)) {
    while (at !== 0 && !nodes[at].next.has(ch)) at = nodes[at].fail;
    at = nodes[at].next.get(ch) ?? 0;
    offset += ch.length;
    for (const entry of nodes[at].out) {
      hits.push({ word: entry.word, level: entry.level, start: offset - entry.word.length, end: offset });
    }
  }
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
