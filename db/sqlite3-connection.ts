// One connection of the `sqlite3` package as Kysely's DatabaseConnection: how each statement runs
// (kept prepared, or prepared each time; rows, or changes and the last id), how values are bound,
// and how a connection is opened and configured. The drivers that hand connections out (the writer,
// the reader pool) are in dialect.ts.
import sqlite3 from "sqlite3";
import { CompiledQuery, type DatabaseConnection, type QueryResult } from "kysely";
import { KeptStatements, KEPT_MAX_PARAMETERS } from "./kept-statements";

export const MIN_SQLITE_VERSION = "3.51.3";

export interface SqliteConnectionOptions {
  /** Path of the database file, or ":memory:" (memory only makes sense for the writer). */
  filename: string;
  readonly?: boolean;
  busyTimeoutMs?: number;
}

/** Compares dotted versions numerically: negative when a < b. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split(".").map(Number);
  const pb = b.split(".").map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

export class SqliteError extends Error {
  code: string;
  errno: number | undefined;
  sql: string;
  constructor(cause: NodeJS.ErrnoException & { errno?: number }, sql: string) {
    super(cause.message);
    this.name = "SqliteError";
    this.code = String(cause.code ?? "SQLITE_ERROR");
    this.errno = cause.errno;
    this.sql = sql;
  }
}

export function openDatabase(filename: string, readonly: boolean): Promise<sqlite3.Database> {
  const mode = readonly
    ? sqlite3.OPEN_READONLY | sqlite3.OPEN_FULLMUTEX
    : sqlite3.OPEN_READWRITE | sqlite3.OPEN_CREATE | sqlite3.OPEN_FULLMUTEX;
  return new Promise((resolve, reject) => {
    const db = new sqlite3.Database(filename, mode, (err) => (err ? reject(err) : resolve(db)));
  });
}

const READS_ROWS = /^\s*(select|with|pragma|values|explain)\b/i;
const RETURNING = /\breturning\b/i;
/**
 * Statements that change rows or steer a transaction and return none: kept prepared like reads.
 * Each finishes in one step (SQLITE_DONE), so a kept one holds nothing between uses. A write
 * transaction is a run of these while the writer's turn is held: one trip through the thread pool
 * each instead of three (prepare, run, finalize), about a fifth less CPU per write
 * (tests/perf/write-cost.ts).
 */
const KEPT_WRITES = /^\s*(insert|update|delete|replace|begin|commit|end|rollback|savepoint|release)\b/i;

/** What a statement run with `run` changed: the rows it touched and the last inserted id. */
function runResult<R>(run: sqlite3.RunResult): QueryResult<R> {
  return {
    rows: [],
    numAffectedRows: BigInt(run.changes ?? 0),
    insertId: run.lastID !== undefined && run.lastID !== null ? BigInt(run.lastID) : undefined,
  };
}

/** The callbacks that settle a statement's promise: with its rows, or with what it changed. */
function answerTo<R>(sql: string, resolve: (result: QueryResult<R>) => void, reject: (error: SqliteError) => void) {
  return {
    rows(err: Error | null, rows: unknown[]) {
      if (err) reject(new SqliteError(err, sql));
      else resolve({ rows: rows as R[] });
    },
    run(this: sqlite3.RunResult, err: Error | null) {
      if (err) reject(new SqliteError(err, sql));
      else resolve(runResult<R>(this));
    },
  };
}

export class Sqlite3Connection implements DatabaseConnection {
  readonly raw: sqlite3.Database;
  /** Told of every statement before it runs (the writer uses it to see which tables change). */
  onStatement?: (sql: string) => void;
  /** Statements kept prepared (kept-statements.ts): row-returning ones and row writes; DDL is prepared each time. */
  readonly kept: KeptStatements;
  constructor(raw: sqlite3.Database) {
    this.raw = raw;
    this.kept = new KeptStatements(raw);
  }

  executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    const { sql, parameters } = compiledQuery;
    this.onStatement?.(sql);
    const params = parameters.map(toSqliteValue);
    const kind = compiledQuery.query?.kind;
    const returnsRows =
      kind === "SelectQueryNode" ||
      ((kind === "InsertQueryNode" || kind === "UpdateQueryNode" || kind === "DeleteQueryNode") &&
        "returning" in compiledQuery.query &&
        !!(compiledQuery.query as { returning?: unknown }).returning) ||
      ((kind === undefined || kind === "RawNode") && (READS_ROWS.test(sql) || RETURNING.test(sql)));

    if (params.length <= KEPT_MAX_PARAMETERS && (returnsRows || KEPT_WRITES.test(sql))) {
      return this.kept.prepared(sql).then(
        (statement) =>
          new Promise((resolve, reject) => {
            const answer = answerTo<R>(sql, resolve, reject);
            if (returnsRows) statement.all(params, answer.rows);
            else statement.run(params, answer.run);
          }),
        (err: Error) => Promise.reject(new SqliteError(err, sql)),
      );
    }
    return new Promise((resolve, reject) => {
      const answer = answerTo<R>(sql, resolve, reject);
      if (returnsRows) this.raw.all(sql, params, answer.rows);
      else this.raw.run(sql, params, answer.run);
    });
  }

  async *streamQuery<R>(compiledQuery: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    const result = await this.executeQuery<R>(compiledQuery);
    for (const row of result.rows) yield { rows: [row] };
  }

  exec(sql: string): Promise<void> {
    return new Promise((resolve, reject) =>
      this.raw.exec(sql, (err) => (err ? reject(new SqliteError(err, sql)) : resolve())),
    );
  }

  async close(): Promise<void> {
    await this.kept.forget();
    return new Promise((resolve, reject) => this.raw.close((err) => (err ? reject(err) : resolve())));
  }
}

function toSqliteValue(value: unknown): unknown {
  // node-sqlite3 binds a bigint as NULL without complaint: refuse instead of losing data.
  if (typeof value === "bigint") {
    if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) {
      throw new RangeError("bigint parameter out of safe integer range");
    }
    return Number(value);
  }
  if (typeof value === "boolean") return value ? 1 : 0;
  if (value instanceof Date) return value.toISOString();
  return value;
}

export async function configureConnection(conn: Sqlite3Connection, options: SqliteConnectionOptions) {
  const busy = options.busyTimeoutMs ?? 5000;
  conn.raw.configure("busyTimeout", busy);
  const [{ v }] = (await conn.executeQuery<{ v: string }>(CompiledQuery.raw("select sqlite_version() as v"))).rows;
  if (compareVersions(v, MIN_SQLITE_VERSION) < 0) {
    await conn.close();
    throw new Error(`SQLite ${v} 版本过旧：需要 ${MIN_SQLITE_VERSION} 或更新版本`);
  }
  if (!options.readonly) {
    if (options.filename !== ":memory:") await conn.exec("pragma journal_mode = wal");
    await conn.exec("pragma synchronous = full; pragma foreign_keys = on;");
  } else {
    await conn.exec("pragma foreign_keys = on; pragma query_only = on;");
  }
}
