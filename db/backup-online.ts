// Online backup: SQLite's backup API copies the live database page by page into a temporary file,
// the copy is checked and renamed into place, then the photos and notices it refers to are copied
// into `<file>.files/`.
import { existsSync, mkdirSync, rmSync, statSync } from "node:fs";
import path from "node:path";
import sqlite3 from "sqlite3";
import { keepFromOtherUsers, moveIntoPlace } from "./file-store";
import { checkDatabase, close, copyMissingFiles, exec, FILE_DIRS, isBusy, open, photosMissingFrom, sleep, startBackup, type DatabaseCheck } from "./backup-sqlite";

export interface BackupSummary extends DatabaseCheck {
  file: string;
  bytes: number;
  pages: number;
  steps: number;
  restarts: number;
  /** Files newly copied into `<file>.files/`, and how many were already there. */
  filesCopied: number;
  filesKept: number;
  /**
   * Photos the copy's records name whose file the data directory did not have (so neither has the
   * backup): lost before the backup was taken. Counted only when files are copied (`dataDir`).
   */
  missingPhotos: string[];
}

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
  // A backup holds what the database holds: no more readable by others than the database is.
  keepFromOtherUsers(tmp);

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
  let missingPhotos: string[] = [];
  if (opts.dataDir) {
    for (const dir of FILE_DIRS) {
      const r = copyMissingFiles(path.join(opts.dataDir, dir), path.join(`${dest}.files`, dir));
      filesCopied += r.copied;
      filesKept += r.kept;
    }
    // Every photo the snapshot names must now be beside it; one that is not was already gone.
    const copy = await open(dest, sqlite3.OPEN_READONLY);
    try {
      missingPhotos = (await photosMissingFrom(copy, [`${dest}.files`])).missing;
    } finally {
      await close(copy);
    }
  }
  return { ...check, file: dest, bytes: statSync(dest).size, pages, steps, restarts, filesCopied, filesKept, missingPhotos };
}
