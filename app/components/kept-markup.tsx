// Parts of a page that many requests render alike, kept on the server as markup (app/lib/markup-
// cache.server.ts) by a key naming everything they show. A page passes the keeper in on the server
// only; in the browser (and without it) the part renders as usual, to the same markup.
import type { ReactElement, ReactNode } from "react";

/**
 * Renders `render()` once per `key` and returns its markup (the server's markup cache); `part`
 * renders a part only one viewer sees (put into the entry's markup for them), kept with the entry `key`
 * by `part` (everything the part shows).
 */
export type KeepMarkup = ((key: string, render: () => ReactElement) => string) & {
  part: (key: string, part: string, render: () => ReactElement) => string;
};

/**
 * A table's markup with rows of its body replaced: `rows` maps a row's index (0 for the body's first
 * `<tr>`) to its new markup. Text and attribute values in React's markup never hold a raw `<`, and a
 * table's body holds no other element whose name begins with "tr", so every `<tr` in it starts a row.
 */
export function replaceRows(table: string, rows: ReadonlyMap<number, string>): string {
  const body = table.indexOf("<tbody");
  const end = table.lastIndexOf("</tbody>");
  if (body === -1 || end < body) throw new Error("no table body in the markup");
  const starts: number[] = [];
  for (let at = table.indexOf("<tr", body); at !== -1 && at < end; at = table.indexOf("<tr", at + 3)) starts.push(at);
  for (const index of rows.keys()) if (!(index >= 0 && index < starts.length)) throw new Error(`the table has no row ${index}`);
  starts.push(end);
  let out = table.slice(0, starts[0]);
  for (let i = 0; i + 1 < starts.length; i++) out += rows.get(i) ?? table.slice(starts[i], starts[i + 1]);
  return out + table.slice(end);
}

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
