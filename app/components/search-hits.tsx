// Search hits on a list: text cut into plain and hit segments (app/domain/search.ts) shown with
// <mark> around each hit. Every segment is text, escaped by React; no markup comes from the data.
import type { Segment } from "~/domain/search";

export function Marked({ segments }: { segments: readonly Segment[] }) {
  return (
    <>
      {segments.map((s, i) => (s.hit ? <mark key={i} className="hit">{s.text}</mark> : s.text))}
    </>
  );
}

/** How the list was searched, when it was not a search of the whole index. */
export function SearchNote({ note }: { note: string | null }) {
  return note ? (
    <p className="muted small" role="note">
      {note}
    </p>
  ) : null;
}

/** How the list was searched (when not the whole index) and, for a keyword search, how many it found. */
export function SearchSummary({ note, q, total, counter }: { note: string | null; q: string | undefined; total: number; counter: "篇" | "条" }) {
  return (
    <>
      <SearchNote note={note} />
      {q ? (
        <p className="muted small" aria-live="polite">
          找到 {total} {counter}，按相关程度排列
        </p>
      ) : null}
    </>
  );
}
