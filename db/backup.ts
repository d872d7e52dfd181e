// Online backup and offline restore of the portal's data directory.
//
//   npm run db:backup -- <file>    while the portal serves: SQLite's backup API, then a check
//   npm run db:restore -- <file>   into a stopped portal: refuses while anything has it open
//
// The database is the record. Photos and notice documents are content-addressed files under
// DATA_DIR/photos and DATA_DIR/notices; a backup copies the ones it has not copied before into
// `<file>.files/`, and a restore puts back the ones that are missing.
import { copyFileSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import sqlite3 from "sqlite3";
import { openDatabases } from "./connect";
import { copyFileAtomically, isTemporaryName, moveIntoPlace, SHELVES } from "./file-store";

/** Tables whose row counts a summary reports. */
export const COUNTED_TABLES = ["units", "accounts", "items", "photos", "notices", "audit_events"] as const;
const FILE_DIRS = SHELVES.map((shelf) => shelf.dir);

export interface DatabaseCheck {
  integrity: string;
  foreignKeyErrors: number;
  counts: Record<string, number>;
}

export interface BackupSummary extends DatabaseCheck {
  file: string;
  bytes: number;
  pages: number;
  steps: number;
  restarts: number;
  /** Files newly copied into `<file>.files/`, and how many were already there. */
  filesCopied: number;
  filesKept: number;
}

export interface RestoreSummary extends DatabaseCheck {
  databaseFile: string;
  /** Where the database that was replaced now lives, if there was one. */
  previous?: string;
  filesCopied: number;
  filesKept: number;
}

/** A restore that was refused before anything changed. */
export class RestoreRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RestoreRefused";
  }
}

// ---- small promise wrappers over node-sqlite3 -------------------------------------------

function open(filename: string, mode: number): Promise<sqlite3.Database> {
  return new Promise((resolve, reject) => {
    const db = new sqlite3.Database(filename, mode, (err) => (err ? reject(err) : resolve(db)));
  });
}
function exec(db: sqlite3.Database, sql: string): Promise<void> {
  return new Promise((resolve, reject) => db.exec(sql, (err) => (err ? reject(err) : resolve())));
}
function all<T>(db: sqlite3.Database, sql: string): Promise<T[]> {
  return new Promise((resolve, reject) => db.all(sql, (err, rows) => (err ? reject(err) : resolve(rows as T[]))));
}
function close(db: sqlite3.Database): Promise<void> {
  return new Promise((resolve, reject) => db.close((err) => (err ? reject(err) : resolve())));
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** node-sqlite3's Backup object (the package's type declarations leave it out). */
interface Sqlite3Backup {
  step(pages: number, callback: (err: (Error & { code?: string; errno?: number }) | null, completed: boolean) => void): void;
  finish(callback: (err: Error | null) => void): void;
  readonly remaining: number;
  readonly pageCount: number;
  readonly completed: boolean;
  readonly failed: boolean;
}

function startBackup(src: sqlite3.Database, destination: string): Promise<Sqlite3Backup> {
  return new Promise((resolve, reject) => {
    const backup: Sqlite3Backup = (src as unknown as {
      backup(f: string, cb: (err: Error | null) => void): Sqlite3Backup;
    }).backup(destination, (err) => (err ? reject(err) : resolve(backup)));
  });
}

function isBusy(err: unknown): boolean {
  const code = (err as { code?: string } | null)?.code;
  return code === "SQLITE_BUSY" || code === "SQLITE_LOCKED";
}

/** integrity_check, foreign_key_check and row counts of an open database. */
async function checkDatabase(db: sqlite3.Database): Promise<DatabaseCheck> {
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
function copyMissingFiles(from: string, to: string): { copied: number; kept: number } {
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

// ---- backup ----------------------------------------------------------------------------

export interface BackupOptions {
  /** The data directory whose photos/ and notices/ go to `<destFile>.files/`; omit to skip. */
  dataDir?: string;
  /** Pages copied per step; between steps the source is unlocked. */
  pagesPerStep?: number;
  /** Pause between steps, so a large copy leaves the disk to the portal now and then. */
  pauseMs?: number;
  /** After this many restarts (the source changed under a chunked copy), copy the rest in one step. */
  maxRestarts?: number;
  /** How long to keep retrying SQLITE_BUSY / SQLITE_LOCKED on one step. */
  busyRetryMs?: number;
}

/**
 * Copies a live database with SQLite's backup API into a temporary file, checks the copy and
 * renames it into place. Safe while the portal writes: the result is one consistent snapshot.
 */
export async function backupDatabase(srcFile: string, destFile: string, opts: BackupOptions = {}): Promise<BackupSummary> {
  const pagesPerStep = opts.pagesPerStep ?? 256;
  const pauseMs = opts.pauseMs ?? 0;
  const maxRestarts = opts.maxRestarts ?? 3;
  const busyRetryMs = opts.busyRetryMs ?? 30_000;
  if (!existsSync(srcFile)) throw new Error(`找不到数据库文件：${srcFile}`);
  const dest = path.resolve(destFile);
  mkdirSync(path.dirname(dest), { recursive: true });
  const tmp = `${dest}.tmp-${process.pid}`;
  rmSync(tmp, { force: true });

  // Read-write (never create) so the WAL index can be used even when the portal is stopped.
  const src = await open(srcFile, sqlite3.OPEN_READWRITE);
  src.configure("busyTimeout", 5000);
  let steps = 0;
  let restarts = 0;
  let pages = 0;
  try {
    const backup = await startBackup(src, tmp);
    let lastRemaining = Infinity;
    let busySince: number | undefined;
    while (!backup.completed) {
      // A chunked copy restarts whenever another connection writes between steps. Under steady
      // writing it might never finish, so after a few restarts the rest goes in one step: that
      // holds one read transaction, which in WAL mode does not block the portal's writer.
      const chunk = restarts >= maxRestarts ? -1 : pagesPerStep;
      try {
        await new Promise<void>((resolve, reject) =>
          backup.step(chunk, (err) => (err ? reject(err) : resolve())),
        );
        busySince = undefined;
      } catch (err) {
        if (backup.failed || !isBusy(err)) throw err;
        busySince ??= Date.now();
        if (Date.now() - busySince > busyRetryMs) throw err;
        await sleep(50);
        continue;
      }
      steps++;
      pages = backup.pageCount;
      if (backup.remaining > lastRemaining) restarts++;
      lastRemaining = backup.remaining;
      if (!backup.completed && pauseMs > 0) await sleep(pauseMs);
    }
    await new Promise<void>((resolve, reject) => backup.finish((err) => (err ? reject(err) : resolve())));
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  } finally {
    await close(src);
  }

  // The copy becomes one self-contained file (rollback journal): nothing beside it to lose.
  let check: DatabaseCheck;
  const copy = await open(tmp, sqlite3.OPEN_READWRITE);
  try {
    await exec(copy, "pragma journal_mode = delete");
    check = await checkDatabase(copy);
  } finally {
    await close(copy);
  }
  if (check.integrity !== "ok" || check.foreignKeyErrors > 0) {
    rmSync(tmp, { force: true });
    throw new Error(`备份副本校验失败：integrity_check=${check.integrity}，外键错误 ${check.foreignKeyErrors} 处`);
  }
  moveIntoPlace(tmp, dest);

  // Files after the database: a photo or notice is on disk before the row that names it is
  // committed, so every file the snapshot refers to already exists now.
  let filesCopied = 0;
  let filesKept = 0;
  if (opts.dataDir) {
    for (const dir of FILE_DIRS) {
      const r = copyMissingFiles(path.join(opts.dataDir, dir), path.join(`${dest}.files`, dir));
      filesCopied += r.copied;
      filesKept += r.kept;
    }
  }
  return { ...check, file: dest, bytes: statSync(dest).size, pages, steps, restarts, filesCopied, filesKept };
}

// ---- restore ---------------------------------------------------------------------------

export interface RestoreOptions {
  now?: Date;
  /** How long to wait for the exclusive lock before deciding the portal is running. */
  lockTimeoutMs?: number;
}

function timestamp(now: Date): string {
  return now.toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z");
}

/**
 * Takes the current database's exclusive lock, or refuses. In WAL mode every open connection
 * (even an idle one) holds a shared lock on the file, so this fails while the portal runs.
 * With the lock held the WAL is folded into the file, so the file alone is the whole database.
 */
async function lockAndCheckpoint(dbFile: string, timeoutMs: number): Promise<"locked" | "unreadable"> {
  let db: sqlite3.Database;
  try {
    db = await open(dbFile, sqlite3.OPEN_READWRITE);
  } catch (err) {
    if (isBusy(err)) throw running();
    return "unreadable";
  }
  try {
    db.configure("busyTimeout", timeoutMs);
    try {
      await exec(db, "pragma locking_mode = exclusive; begin exclusive;");
    } catch (err) {
      if (isBusy(err)) throw running();
      return "unreadable"; // e.g. a damaged file: the very reason to restore. Moved aside as is.
    }
    await exec(db, "commit; pragma wal_checkpoint(truncate);").catch(() => undefined);
    return "locked";
  } finally {
    await close(db).catch(() => undefined);
  }
}

function running(): RestoreRefused {
  return new RestoreRefused(
    "门户似乎正在运行（数据库被其他进程占用），未做任何恢复。请先停止门户服务（如 systemctl stop 或结束 npm start），再执行恢复。",
  );
}

/**
 * Restores a backup into a stopped portal's data directory: checks the backup, keeps the
 * current database as `portal.sqlite.before-restore-<time>`, puts the backup in its place,
 * puts back missing photos and notices, and migrates to the latest schema.
 */
export async function restoreDatabase(backupFile: string, dataDir: string, opts: RestoreOptions = {}): Promise<RestoreSummary> {
  const now = opts.now ?? new Date();
  const backup = path.resolve(backupFile);
  if (!existsSync(backup)) throw new RestoreRefused(`找不到备份文件：${backup}`);
  mkdirSync(dataDir, { recursive: true });
  const dbFile = path.join(dataDir, "portal.sqlite");

  // 1. Check a private copy of the backup (opening it read-write must not touch the original).
  const staging = `${dbFile}.restoring-${process.pid}`;
  rmSync(staging, { force: true });
  copyFileSync(backup, staging);
  try {
    let check: DatabaseCheck;
    try {
      const copy = await open(staging, sqlite3.OPEN_READWRITE);
      try {
        await exec(copy, "pragma journal_mode = delete");
        check = await checkDatabase(copy);
      } finally {
        await close(copy);
      }
    } catch (err) {
      throw new RestoreRefused(`备份文件无法读取，不是有效的数据库：${(err as Error).message}`);
    }
    if (check.integrity !== "ok" || check.foreignKeyErrors > 0) {
      throw new RestoreRefused(
        `备份文件校验失败（integrity_check=${check.integrity}，外键错误 ${check.foreignKeyErrors} 处），未做任何恢复。`,
      );
    }

    // 2. The portal must be stopped; keep what is there now.
    let previous: string | undefined;
    if (existsSync(dbFile)) {
      await lockAndCheckpoint(dbFile, opts.lockTimeoutMs ?? 1000);
      previous = `${dbFile}.before-restore-${timestamp(now)}`;
      renameSync(dbFile, previous);
    }
    // A -wal or -shm left beside the old file belongs to it, never to the restored one.
    for (const suffix of ["-wal", "-shm", "-journal"]) {
      const stale = `${dbFile}${suffix}`;
      if (!existsSync(stale)) continue;
      if (previous) renameSync(stale, `${previous}${suffix}`);
      else rmSync(stale, { force: true });
    }

    // 3. The checked copy takes the database's place.
    moveIntoPlace(staging, dbFile);

    // 4. Photos and notices the restored records name but this directory lacks.
    let filesCopied = 0;
    let filesKept = 0;
    for (const dir of FILE_DIRS) {
      const r = copyMissingFiles(path.join(`${backup}.files`, dir), path.join(dataDir, dir));
      filesCopied += r.copied;
      filesKept += r.kept;
    }

    // 5. Migrate to this version's schema (WAL mode comes back on open), then count.
    const dbs = await openDatabases({ filename: dbFile, readers: 1 });
    await dbs.close();
    const db = await open(dbFile, sqlite3.OPEN_READWRITE);
    let after: DatabaseCheck;
    try {
      after = await checkDatabase(db);
    } finally {
      await close(db);
    }
    return { ...after, databaseFile: dbFile, previous, filesCopied, filesKept };
  } finally {
    rmSync(staging, { force: true });
  }
}

// ---- command line ----------------------------------------------------------------------

function describeCounts(counts: Record<string, number>): string {
  const names: Record<string, string> = {
    units: "单位", accounts: "账号", items: "稿件", photos: "图片", notices: "通报", audit_events: "审计记录",
  };
  return Object.entries(counts)
    .map(([t, n]) => `${names[t] ?? t} ${n}`)
    .join("，");
}

function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / 1024 / 1024).toFixed(1)} MB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${n} 字节`;
}

async function main(argv: string[]): Promise<number> {
  const [command, fileArg] = argv;
  const dataDir = path.resolve(process.env.DATA_DIR || "./data");
  // `npm run` changes to the package directory; a relative path means the caller's directory.
  const file = fileArg ? path.resolve(process.env.INIT_CWD || process.cwd(), fileArg) : undefined;
  if ((command !== "backup" && command !== "restore") || !file) {
    console.error("用法：npm run db:backup -- <备份文件>    npm run db:restore -- <备份文件>");
    return 2;
  }
  if (command === "backup") {
    const s = await backupDatabase(path.join(dataDir, "portal.sqlite"), file, { dataDir });
    console.log(`备份完成（在线备份，门户可继续运行）：${s.file}`);
    console.log(`  大小：${formatBytes(s.bytes)}（${s.pages} 页，${s.steps} 步${s.restarts ? `，因并发写入重新开始 ${s.restarts} 次` : ""}）`);
    console.log(`  内容：${describeCounts(s.counts)}`);
    console.log(`  完整性检查：${s.integrity === "ok" ? "通过" : s.integrity}；外键检查：${s.foreignKeyErrors === 0 ? "通过" : `${s.foreignKeyErrors} 处错误`}`);
    console.log(`  图片与通报文件：新复制 ${s.filesCopied} 个，已有 ${s.filesKept} 个，保存在 ${s.file}.files/`);
    console.log("  请把备份文件和同名 .files 目录一起复制到本机以外的地方保存。");
    return 0;
  }
  try {
    const s = await restoreDatabase(file, dataDir);
    console.log(`恢复完成：${s.databaseFile}`);
    if (s.previous) console.log(`  原数据库已保留为：${s.previous}`);
    console.log(`  内容：${describeCounts(s.counts)}`);
    console.log(`  完整性检查：${s.integrity === "ok" ? "通过" : s.integrity}；已迁移到最新版本`);
    console.log(`  图片与通报文件：补回 ${s.filesCopied} 个，原有 ${s.filesKept} 个`);
    console.log("  现在可以启动门户。");
    return 0;
  } catch (err) {
    if (err instanceof RestoreRefused) {
      console.error(`恢复被拒绝：${err.message}`);
      return 1;
    }
    throw err;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err) => {
      console.error(`失败：${(err as Error).message ?? err}`);
      process.exit(1);
    },
  );
}
