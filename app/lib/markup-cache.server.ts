// Server-rendered markup of a part of a page that many requests render alike (a page of a league
// table: the same for every reviewer until the next write), kept by what it shows. The key must
// name everything the markup depends on; a different key is rendered afresh, so a stale entry is
// never served, only evicted (oldest first).
import type { ReactElement } from "react";
import { renderToString } from "react-dom/server";

const LIMIT = 64;
const cache = new Map<string, string>();

function keptMarkup(key: string, render: () => ReactElement): string {
  const hit = cache.get(key);
  if (hit !== undefined) {
    // Most recently used last.
    cache.delete(key);
    cache.set(key, hit);
    return hit;
  }
  const html = renderToString(render());
  cache.set(key, html);
  if (cache.size > LIMIT) cache.delete(cache.keys().next().value!);
  return html;
}

/** The markup cache, and `fresh` for a part one viewer sees (components' KeepMarkup). */
export const cachedMarkup = Object.assign(keptMarkup, { fresh: (render: () => ReactElement) => renderToString(render()) });

/** Entries kept now (for tests). */
export function cachedMarkupSize(): number {
  return cache.size;
}
