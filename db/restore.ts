// Offline restore into a stopped portal's data directory: refuses while anything has the
// database open, keeps the current database aside, puts the checked backup in its place with the
// files it names, and migrates it.
import { copyFileSync, existsSync, mkdirSync, renameSync, rmSync } from "node:fs";
import path from "node:path";
import sqlite3 from "sqlite3";
import { openDatabases } from "./connect";
import { moveIntoPlace } from "./file-store";
import { checkDatabase, close, copyMissingFiles, exec, FILE_DIRS, isBusy, open, type DatabaseCheck } from "./backup-sqlite";

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
