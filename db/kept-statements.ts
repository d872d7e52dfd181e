// Statements kept prepared on one connection and run again with new parameters (row-returning ones
// and row writes, sqlite3-connection.ts): one trip through the thread pool per query instead of three
// (prepare, run, finalize), which under load also compete with gzip, files and images for the
// pool's threads. Each kept statement is run to its end (SQLITE_DONE), which ends its implicit
// read, so a kept statement holds no snapshot.
import type sqlite3 from "sqlite3";

/** Statements kept per connection (the most recently used ones). */
export const STATEMENT_CACHE_SIZE = 200;
/** A statement with more parameters than this (a long `in (…)` list) is a one-off: not kept. */
export const KEPT_MAX_PARAMETERS = 32;

export class KeptStatements {
  #raw: sqlite3.Database;
  /** By SQL, ordered by last use; the least recently used is finalized beyond STATEMENT_CACHE_SIZE. */
  #statements = new Map<string, Promise<sqlite3.Statement>>();
  constructor(raw: sqlite3.Database) {
    this.#raw = raw;
  }

  /**
   * The kept statement for `sql`, prepared on first use. A statement that fails to prepare is not
   * kept; the promise rejects with SQLite's own error.
   */
  prepared(sql: string): Promise<sqlite3.Statement> {
    const kept = this.#statements.get(sql);
    if (kept) {
      this.#statements.delete(sql);
      this.#statements.set(sql, kept);
      return kept;
    }
    const prepared = new Promise<sqlite3.Statement>((resolve, reject) => {
      const statement = this.#raw.prepare(sql, (err) => {
        if (!err) return resolve(statement);
        if (this.#statements.get(sql) === prepared) this.#statements.delete(sql);
        reject(err);
      });
    });
    this.#statements.set(sql, prepared);
    if (this.#statements.size > STATEMENT_CACHE_SIZE) {
      const [oldest, statement] = this.#statements.entries().next().value!;
      this.#statements.delete(oldest);
      void statement.then((st) => st.finalize(), () => undefined);
    }
    return prepared;
  }

  get size(): number {
    return this.#statements.size;
  }

  /** Finalizes every kept statement (SQLite closes no connection that still has them). */
  async forget(): Promise<void> {
    const kept = [...this.#statements.values()];
    this.#statements.clear();
    for (const prepared of kept) {
      const statement = await prepared.catch(() => null);
      if (statement) await new Promise<void>((resolve) => statement.finalize(() => resolve()));
    }
  }
}
