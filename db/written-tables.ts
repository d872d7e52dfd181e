// Which statements the writer runs can change the bureau's figures: the derived results cached
// per database (live leagues, rankings views) are kept across writes that only touch bookkeeping.
/**
 * Tables that hold bookkeeping of people and requests, never an input of the bureau's figures
 * (leagues, year totals, notices): logins, sessions, notifications, reminders, the audit trail,
 * and the near-duplicate check's band keys.
 */
export const BOOKKEEPING_TABLES: ReadonlySet<string> = new Set([
  "sessions",
  "login_attempts",
  "login_counters",
  "notifications",
  "reminders",
  "audit_events",
  // Which items may read alike (app/models/text-bands.server.ts): an aid to the review page, never a figure.
  "item_text_bands",
  "item_text_queue",
]);

/** Statements that change nothing: reads and transaction control. */
const CHANGES_NOTHING = /^\s*(select|begin|commit|end|rollback|savepoint|release)\b/i;
/** The table a plain insert, update or delete writes (a statement beginning with `with` is not one). */
const WRITES_TABLE = /^\s*(?:insert(?:\s+or\s+\w+)?\s+into|replace\s+into|update(?:\s+or\s+\w+)?|delete\s+from)\s+(?:"((?:[^"]|"")+)"|([A-Za-z_]\w*)\b)(?!\s*\.)/i;

/** A replacing write deletes the rows it conflicts with without firing their delete triggers (db/write-reach.ts). */
const REPLACES = /^\s*(?:replace\b|(?:insert|update)\s+or\s+replace\b)/i;

/**
 * What a statement run by the writer does to the data that derived results are computed from:
 * - "none": it only reads, controls a transaction, or writes one of the bookkeeping tables;
 * - `{ table }`: it inserts, updates or deletes rows of that one table (lower case), and only them;
 * - "anything": what it cannot place (DDL, pragmas, `with … insert`, a schema-qualified name) and
 *   replacing writes.
 */
export function figuresWriteOf(sql: string): "none" | "anything" | { table: string } {
  if (CHANGES_NOTHING.test(sql)) return "none";
  const m = WRITES_TABLE.exec(sql);
  if (!m) return "anything";
  const table = (m[1] !== undefined ? m[1].replaceAll('""', '"') : m[2]).toLowerCase();
  if (BOOKKEEPING_TABLES.has(table)) return "none";
  return REPLACES.test(sql) ? "anything" : { table };
}

/** Whether a statement creates, drops or alters a table, index or trigger (DDL). */
export function changesSchema(sql: string): boolean {
  return /^\s*(create|drop|alter)\b/i.test(sql);
}

/** Whether a statement run by the writer may change data that derived results are computed from (figuresWriteOf). */
export function changesFigures(sql: string): boolean {
  return figuresWriteOf(sql) !== "none";
}
