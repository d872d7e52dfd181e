// Server-rendered markup of a part of a page that many requests render alike (a page of a league
// table: the same for every reviewer until the next write), kept by what it shows. The key must
// name everything the markup depends on; a different key is rendered afresh, so a stale entry is
// never served, only evicted (oldest first).
import type { ReactElement } from "react";
import { renderToString } from "react-dom/server";

const LIMIT = 64;
/** Parts kept with one entry at most (the rows only one viewer sees, e.g. each school its own). */
const PARTS_LIMIT = 1_000;
const cache = new Map<string, { html: string; parts: Map<string, string> }>();

function entryOf(key: string, render: () => ReactElement) {
  const hit = cache.get(key);
  if (hit !== undefined) {
    // Most recently used last.
    cache.delete(key);
    cache.set(key, hit);
    return hit;
  }
  const entry = { html: renderToString(render()), parts: new Map<string, string>() };
  cache.set(key, entry);
  if (cache.size > LIMIT) cache.delete(cache.keys().next().value!);
  return entry;
}

/**
 * The markup cache (components' KeepMarkup): `render()`'s markup kept by `key`; and `part`, the
 * markup of a part that goes into that entry's markup for one viewer (their own row in a kept
 * table), kept with the entry by `part` (what it shows) and gone with it.
 */
export const cachedMarkup = Object.assign((key: string, render: () => ReactElement): string => entryOf(key, render).html, {
  part(key: string, part: string, render: () => ReactElement): string {
    const parts = cache.get(key)?.parts;
    const hit = parts?.get(part);
    if (hit !== undefined) return hit;
    const html = renderToString(render());
    if (parts && parts.size < PARTS_LIMIT) parts.set(part, html);
    return html;
  },
});

/** Entries kept now (for tests). */
export function cachedMarkupSize(): number {
  return cache.size;
}

/** Parts kept now, over all entries (for tests). */
export function cachedMarkupParts(): number {
  let n = 0;
  for (const entry of cache.values()) n += entry.parts.size;
  return n;
}
