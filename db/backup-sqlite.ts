// What backup and restore share: small promise wrappers over node-sqlite3, the check of a
// database copy (integrity, foreign keys, row counts), and copying the content-addressed files
// (db/file-store.ts) that one side has and the other lacks.
import { existsSync, mkdirSync, readdirSync } from "node:fs";
import path from "node:path";
import sqlite3 from "sqlite3";
import { copyFileAtomically, isTemporaryName, photoPath, SHELVES } from "./file-store";

/** Tables whose row counts a summary reports. */
export const COUNTED_TABLES = ["units", "accounts", "items", "photos", "notices", "audit_events"] as const;
export const FILE_DIRS = SHELVES.map((shelf) => shelf.dir);

export interface DatabaseCheck {
  integrity: string;
  foreignKeyErrors: number;
  counts: Record<string, number>;
}

// ---- small promise wrappers over node-sqlite3 -------------------------------------------

export function open(filename: string, mode: number): Promise<sqlite3.Database> {
  return new Promise((resolve, reject) => {
    const db = new sqlite3.Database(filename, mode, (err) => (err ? reject(err) : resolve(db)));
  });
}
export function exec(db: sqlite3.Database, sql: string): Promise<void> {
  return new Promise((resolve, reject) => db.exec(sql, (err) => (err ? reject(err) : resolve())));
}
export function all<T>(db: sqlite3.Database, sql: string): Promise<T[]> {
  return new Promise((resolve, reject) => db.all(sql, (err, rows) => (err ? reject(err) : resolve(rows as T[]))));
}
export function close(db: sqlite3.Database): Promise<void> {
  return new Promise((resolve, reject) => db.close((err) => (err ? reject(err) : resolve())));
}
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** node-sqlite3's Backup object (the package's type declarations leave it out). */
export interface Sqlite3Backup {
  step(pages: number, callback: (err: (Error & { code?: string; errno?: number }) | null, completed: boolean) => void): void;
  finish(callback: (err: Error | null) => void): void;
  readonly remaining: number;
  readonly pageCount: number;
  readonly completed: boolean;
  readonly failed: boolean;
}

export function startBackup(src: sqlite3.Database, destination: string): Promise<Sqlite3Backup> {
  return new Promise((resolve, reject) => {
    const backup: Sqlite3Backup = (src as unknown as {
      backup(f: string, cb: (err: Error | null) => void): Sqlite3Backup;
    }).backup(destination, (err) => (err ? reject(err) : resolve(backup)));
  });
}

export function isBusy(err: unknown): boolean {
  const code = (err as { code?: string } | null)?.code;
  return code === "SQLITE_BUSY" || code === "SQLITE_LOCKED";
}

/** integrity_check, foreign_key_check and row counts of an open database. */
export async function checkDatabase(db: sqlite3.Database): Promise<DatabaseCheck> {
  const integrity = (await all<{ integrity_check: string }>(db, "pragma integrity_check"))
    .map((r) => r.integrity_check)
    .join("; ");
  const fk = await all(db, "pragma foreign_key_check");
  const tables = new Set(
    (await all<{ name: string }>(db, "select name from sqlite_master where type = 'table'")).map((r) => r.name),
  );
  const counts: Record<string, number> = {};
  for (const t of COUNTED_TABLES) {
    if (!tables.has(t)) continue;
    const [{ n }] = await all<{ n: number }>(db, `select count(*) as n from "${t}"`);
    counts[t] = n;
  }
  return { integrity, foreignKeyErrors: fk.length, counts };
}

/** Copies every file under `from` that `to` does not have yet; never overwrites. */
export function copyMissingFiles(from: string, to: string): { copied: number; kept: number } {
  let copied = 0;
  let kept = 0;
  if (!existsSync(from)) return { copied, kept };
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    const source = path.join(from, entry.name);
    const target = path.join(to, entry.name);
    if (entry.isDirectory()) {
      const r = copyMissingFiles(source, target);
      copied += r.copied;
      kept += r.kept;
    } else if (entry.isFile() && !isTemporaryName(entry.name) && !entry.name.includes(".part-")) {
      if (existsSync(target)) {
        kept++;
        continue;
      }
      mkdirSync(to, { recursive: true });
      // A partial copy never sits under the final (content-hash) name.
      copyFileAtomically(source, target);
      copied++;
    }
  }
  return { copied, kept };
}

/**
 * The photos the records of an open database name (photos.sha256) whose file is in none of
 * `dataDirs` (each a data directory or a backup's `.files` directory, photos under `photos/`).
 */
/** The names of a database's tables (a file from another program, or an empty one, has other or none). */
export async function tableNames(db: sqlite3.Database): Promise<Set<string>> {
  return new Set((await all<{ name: string }>(db, "select name from sqlite_master where type = 'table'")).map((r) => r.name));
}

export async function photosMissingFrom(db: sqlite3.Database, dataDirs: readonly string[]): Promise<{ total: number; missing: string[] }> {
  if (!(await tableNames(db)).has("photos")) return { total: 0, missing: [] };
  const hashes = (await all<{ sha256: string }>(db, "select distinct sha256 from photos order by sha256")).map((r) => r.sha256);
  const missing = hashes.filter((sha) => {
    try {
      return !dataDirs.some((dir) => existsSync(photoPath(dir, sha)));
    } catch {
      return true; // not a content address at all: no file can be it
    }
  });
  return { total: hashes.length, missing };
}
