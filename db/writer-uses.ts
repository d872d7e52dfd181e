// How long each use of this process's writer waited for its turn and then held it, kept only while
// someone measures (the load test, through the portal's STATS_FILE): with several processes the
// turn is shared, and a write waits while another holds it, statement by statement.

export interface WriterUse {
  /** From asking for the writer to having it (this process's queue, then the shared turn). */
  waitedMs: number;
  /** From having it to giving it back (the transaction's statements, and the work between them). */
  heldMs: number;
}

/** Uses kept between two takes at most: a measurement that stops taking them costs no more. */
const MAX_KEPT = 20_000;

let kept: WriterUse[] | null = null;

/** Starts (or stops) keeping writer uses for `takeWriterUses`. */
export function keepWriterUses(on: boolean): void {
  kept = on ? (kept ?? []) : null;
}

/** A use of the writer has ended (db/dialect.ts). */
export function recordWriterUse(use: WriterUse): void {
  if (kept && kept.length < MAX_KEPT) kept.push(use);
}

/** The uses kept since the last take, oldest first. */
export function takeWriterUses(): WriterUse[] {
  return kept ? kept.splice(0) : [];
}
