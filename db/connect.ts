// Opens the portal's database: the writer, the reader pool, migrations applied.
import { Kysely, Migrator } from "kysely";
import { mkdirSync } from "node:fs";
import path from "node:path";
import { Sqlite3ReaderDialect, Sqlite3WriterDialect } from "./dialect";
import { keepFromOtherUsers } from "./file-store";
import { migrationProvider } from "./migrations/index";
import type { Database } from "./schema";

export type DB = Kysely<Database>;

export interface Databases {
  /** The single writer: every mutation, inside `db.transaction()` (BEGIN IMMEDIATE). */
  db: DB;
  /** Read-only pool for loaders and reports. */
  reader: DB;
  filename: string;
  close(): Promise<void>;
}

export async function migrateToLatest(db: DB): Promise<void> {
  const migrator = new Migrator({ db, provider: migrationProvider });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === "Error");
  if (error || failed) {
    throw new Error(`数据库迁移失败：${failed?.migrationName ?? ""} ${String(error ?? "")}`);
  }
}

const fileOf = new WeakMap<object, string>();

/** The file behind a Kysely instance opened here (not a transaction: those read live data). */
export function databaseFileOf(db: object): string | undefined {
  return fileOf.get(db);
}

/**
 * Read connections per process. A connection stays taken until its query's answer has been handled
 * on the main thread, which under the month-end rush waits its turn behind other requests' work:
 * with 4, pages of a dozen queries (the home pages) queued for a connection. With 12, the
 * correspondent's home page under 50 connections answered in half the time (p50 1366/1740 ms → 705/832 ms,
 * docs/performance-log.md, 负载测试); SQLite itself runs at most four at a time on Node's thread pool either way.
 */
const READERS = 12;

export async function openDatabases(options: { filename: string; readers?: number }): Promise<Databases> {
  const { filename } = options;
  if (filename !== ":memory:") {
    mkdirSync(path.dirname(path.resolve(filename)), { recursive: true });
    keepFromOtherUsers(filename);
  }
  const db = new Kysely<Database>({ dialect: new Sqlite3WriterDialect({ filename }) });
  // The first query opens the writer (creating the file in WAL mode) before readers attach.
  await migrateToLatest(db);
  const reader =
    filename === ":memory:"
      ? db
      : new Kysely<Database>({ dialect: new Sqlite3ReaderDialect({ filename, size: options.readers ?? READERS }) });
  if (filename !== ":memory:") {
    fileOf.set(db, filename);
    fileOf.set(reader, filename);
  }
  return {
    db,
    reader,
    filename,
    async close() {
      if (reader !== db) await reader.destroy();
      await db.destroy();
    },
  };
}
