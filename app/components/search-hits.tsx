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
