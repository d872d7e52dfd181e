// Offline restore into a stopped portal's data directory: refuses anything that is not a whole
// backup of this portal (a damaged file, an empty or foreign database, one from a newer version
// of the program, one whose photos are nowhere to be found) before touching the data directory;
// migrates a private copy to this version's schema; refuses while anything has the database open;
// then keeps the current database aside and puts the migrated copy in its place with the files it
// names.
import { copyFileSync, existsSync, mkdirSync, renameSync, rmSync } from "node:fs";
import path from "node:path";
import sqlite3 from "sqlite3";
import { openDatabases } from "./connect";
import { moveIntoPlace } from "./file-store";
import { migrations } from "./migrations/index";
import { all, checkDatabase, close, copyMissingFiles, exec, FILE_DIRS, isBusy, open, photosMissingFrom, tableNames, type DatabaseCheck } from "./backup-sqlite";

export interface RestoreSummary extends DatabaseCheck {
  databaseFile: string;
  /** Where the database that was replaced now lives, if there was one. */
  previous?: string;
  filesCopied: number;
  filesKept: number;
  /** Photos the restored records name whose files are nowhere (only with `allowMissingPhotos`). */
  missingPhotos: number;
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
  /**
   * Restore even though some photos the backup's records name are neither beside the backup
   * (`<file>.files/photos`) nor in the data directory: only when they are known to be lost.
   */
  allowMissingPhotos?: boolean;
}

/** What a backup file was found to hold, for {@link backupProblem}. */
export interface BackupContents {
  tables: ReadonlySet<string>;
  /** The migrations its schema records (kysely_migration), oldest first; empty without that table. */
  migrations: readonly string[];
  accounts: number;
}

const NOTHING_DONE = "未做任何恢复。";

/**
 * Why a database that passed SQLite's checks is still no backup of this portal to restore, or
 * null: a portal's database records the migrations of its schema, none this program does not know
 * (a newer version's: its schema cannot be undone here, and the portal would not start on it), and
 * holds at least one account (an empty file is a valid empty database, and a portal started on an
 * empty database seeds a demo county or a fresh administrator over the county's records).
 */
export function backupProblem(found: BackupContents, known: readonly string[] = Object.keys(migrations)): string | null {
  if (!found.tables.has("kysely_migration") || found.migrations.length === 0) {
    return `备份文件不是本门户的数据库（没有表结构版本记录，可能是空文件或其他程序的数据库），${NOTHING_DONE}`;
  }
  const unknown = found.migrations.filter((m) => !known.includes(m));
  if (unknown.length > 0) {
    return `备份来自更新版本的门户程序（本版本没有表结构版本 ${unknown.join("、")}），请先把程序升级到备份时的版本再恢复；${NOTHING_DONE}`;
  }
  if (!found.tables.has("accounts") || found.accounts === 0) {
    return `备份里没有任何账号，不是可用的门户数据库（可能是尚未初始化的库），${NOTHING_DONE}`;
  }
  return null;
}

async function contentsOf(db: sqlite3.Database): Promise<BackupContents> {
  const tables = await tableNames(db);
  const applied = tables.has("kysely_migration")
    ? (await all<{ name: string }>(db, "select name from kysely_migration order by name")).map((r) => r.name)
    : [];
  const accounts = tables.has("accounts") ? (await all<{ n: number }>(db, "select count(*) as n from accounts"))[0].n : 0;
  return { tables, migrations: applied, accounts };
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

/** Opens a copy, runs `work` on it, closes it; a copy SQLite cannot read is refused. */
async function onCopy<T>(file: string, work: (db: sqlite3.Database) => Promise<T>): Promise<T> {
  let db: sqlite3.Database | undefined;
  try {
    db = await open(file, sqlite3.OPEN_READWRITE);
    // One self-contained file (rollback journal): nothing beside it to lose when it is moved.
    await exec(db, "pragma journal_mode = delete");
    return await work(db);
  } catch (err) {
    if (err instanceof RestoreRefused) throw err;
    throw new RestoreRefused(`备份文件无法读取，不是有效的数据库（${(err as Error).message}），${NOTHING_DONE}`);
  } finally {
    if (db) await close(db).catch(() => undefined);
  }
}

/**
 * Restores a backup into a stopped portal's data directory: checks the backup (SQLite's checks,
 * that it is this portal's, that its photos are there), migrates a private copy to the latest
 * schema, keeps the current database as `portal.sqlite.before-restore-<time>`, puts the copy in
 * its place and puts back missing photos and notices. Anything refused leaves the data directory
 * as it was.
 */
export async function restoreDatabase(backupFile: string, dataDir: string, opts: RestoreOptions = {}): Promise<RestoreSummary> {
  const now = opts.now ?? new Date();
  const backup = path.resolve(backupFile);
  if (!existsSync(backup)) throw new RestoreRefused(`找不到备份文件：${backup}`);
  mkdirSync(dataDir, { recursive: true });
  const dbFile = path.join(dataDir, "portal.sqlite");
  const backupFiles = `${backup}.files`;

  // 1. Check a private copy of the backup (opening it read-write must not touch the original).
  const staging = `${dbFile}.restoring-${process.pid}`;
  const stagingFiles = () => [staging, `${staging}-wal`, `${staging}-shm`, `${staging}-journal`];
  for (const f of stagingFiles()) rmSync(f, { force: true });
  copyFileSync(backup, staging);
  try {
    const missingPhotos = await onCopy(staging, async (copy) => {
      const check = await checkDatabase(copy);
      if (check.integrity !== "ok" || check.foreignKeyErrors > 0) {
        throw new RestoreRefused(`备份文件校验失败（integrity_check=${check.integrity}，外键错误 ${check.foreignKeyErrors} 处），${NOTHING_DONE}`);
      }
      const problem = backupProblem(await contentsOf(copy));
      if (problem) throw new RestoreRefused(problem);
      // The records are the backup's; its photos are beside it (or still in this directory).
      const photos = await photosMissingFrom(copy, [backupFiles, dataDir]);
      if (photos.missing.length > 0 && !opts.allowMissingPhotos) {
        throw new RestoreRefused(
          `备份记录了 ${photos.total} 张图片，其中 ${photos.missing.length} 张在 ${path.join(backupFiles, "photos")} 和数据目录里都找不到`
            + `（如 ${photos.missing[0]}）。请把备份文件连同同名的 .files 目录一起复制过来再恢复；`
            + `确认这些图片已无法找回时，可加 --allow-missing-photos 照样恢复。${NOTHING_DONE}`,
        );
      }
      return photos.missing.length;
    });

    // 2. The copy migrated to this version's schema before anything is replaced: a backup that
    // cannot be brought up to date leaves the current database in place.
    try {
      const dbs = await openDatabases({ filename: staging, readers: 1 });
      await dbs.close();
    } catch (err) {
      throw new RestoreRefused(`备份无法迁移到本版本的表结构（${(err as Error).message}），${NOTHING_DONE}`);
    }
    const after = await onCopy(staging, checkDatabase);

    // 3. The portal must be stopped; keep what is there now.
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

    // 4. The checked, migrated copy takes the database's place.
    moveIntoPlace(staging, dbFile);

    // 5. Photos and notices the restored records name but this directory lacks.
    let filesCopied = 0;
    let filesKept = 0;
    for (const dir of FILE_DIRS) {
      const r = copyMissingFiles(path.join(backupFiles, dir), path.join(dataDir, dir));
      filesCopied += r.copied;
      filesKept += r.kept;
    }
    return { ...after, databaseFile: dbFile, previous, filesCopied, filesKept, missingPhotos };
  } finally {
    for (const f of stagingFiles()) rmSync(f, { force: true });
  }
}
