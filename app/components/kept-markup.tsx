// Parts of a page that many requests render alike, kept on the server as markup (app/lib/markup-
// cache.server.ts) by a key naming everything they show. A page passes the keeper in on the server
// only; in the browser (and without it) the part renders as usual, to the same markup.
import type { ReactElement, ReactNode } from "react";

/** Renders `render()` once per `key` and returns its markup (the server's markup cache). */
export type KeepMarkup = (key: string, render: () => ReactElement) => string;

/**
 * An element whose children, with `keep`, are the markup kept by `cacheKey()`; without it, the
 * children rendered as usual.
 */
export function Kept({ as: Tag, keep, cacheKey, children, ...attributes }: {
  as: "div" | "section";
  keep: KeepMarkup | undefined;
  cacheKey: () => string;
  children: ReactElement;
  className?: string;
  "aria-labelledby"?: string;
}): ReactNode {
  if (!keep) return <Tag {...attributes}>{children}</Tag>;
  return <Tag {...attributes} dangerouslySetInnerHTML={{ __html: keep(cacheKey(), () => children) }} />;
}
