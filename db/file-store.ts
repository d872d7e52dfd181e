// The portal's files outside the database, and the one way they are written.
//
// Content-addressed store: a photo or a notice's Word document is kept under the SHA-256 of its
// bytes, on a shelf of the data directory (photos/ab/<sha256>, notices/<sha256>.docx). The
// database holds only the hash (photos.sha256, notices.docx_sha256); the path is derived from it
// here, so moving files never touches a row. A file is written once, atomically, before the row
// that names it is committed; storing the same bytes again finds it there and writes nothing, and
// a file under an address always holds exactly the bytes of that address.
//
// Atomic writes: every file the portal puts in place (stored files, thumbnails, backups, the
// demo database, a restored database) goes through writeFileAtomically or moveIntoPlace:
// a temporary name in the same directory, fsync, rename, fsync of the directory. A crash leaves
// at most a temporary file (named `<target>.<pid>.<random>.tmp`), never a partial file under a
// final name.
import { createHash, randomBytes } from "node:crypto";
import { chmodSync, closeSync, copyFileSync, fsyncSync, openSync, renameSync, rmSync, statSync } from "node:fs";
import { mkdir, open, readFile, rename, stat, unlink, utimes } from "node:fs/promises";
import path from "node:path";

/** Where one kind of file lives under the data directory. */
export interface Shelf {
  /** Directory under the data directory. */
  dir: string;
  /** Fan out into subdirectories named by the first two hex digits (many files). */
  fanOut: boolean;
  /** Appended to the hash, e.g. ".docx" (so a downloaded copy opens in Word). */
  suffix: string;
}

export const PHOTOS: Shelf = { dir: "photos", fanOut: true, suffix: "" };
export const NOTICES: Shelf = { dir: "notices", fanOut: false, suffix: ".docx" };
/** Every shelf: what a backup copies and a restore puts back. */
export const SHELVES: readonly Shelf[] = [PHOTOS, NOTICES];

/** Whether a file name is the temporary file of an atomic write (never a stored file). */
export function isTemporaryName(name: string): boolean {
  return name.endsWith(".tmp");
}

const SHA256 = /^[0-9a-f]{64}$/;

export function sha256Hex(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

export function isSha256(value: string): boolean {
  return SHA256.test(value);
}

/** The path of the file with this hash on a shelf. */
export function storedPath(dataDir: string, shelf: Shelf, sha256: string): string {
  if (!isSha256(sha256)) throw new Error(`不是有效的 SHA-256：${sha256}`);
  const name = `${sha256}${shelf.suffix}`;
  return shelf.fanOut ? path.join(dataDir, shelf.dir, sha256.slice(0, 2), name) : path.join(dataDir, shelf.dir, name);
}

/** Where a photo lives: content-addressed, fanned out by the first two hex digits. */
export function photoPath(dataDir: string, sha256: string): string {
  return storedPath(dataDir, PHOTOS, sha256);
}

/** Where a published notice's Word document lives. */
export function noticeFilePath(dataDir: string, sha256: string): string {
  return storedPath(dataDir, NOTICES, sha256);
}

async function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  );
}

export interface Stored {
  sha256: string;
  path: string;
  /** False when the same bytes were already stored. */
  written: boolean;
}

/**
 * Stores bytes under their SHA-256; idempotent (the same bytes again write nothing, but mark the
 * file as just stored: its modification time becomes now).
 */
export async function storeFile(dataDir: string, shelf: Shelf, bytes: Uint8Array): Promise<Stored> {
  const sha256 = sha256Hex(bytes);
  const target = storedPath(dataDir, shelf, sha256);
  // An existing file under the address holds these bytes: it was put there by a rename of a
  // complete, synced file. Two concurrent stores of the same bytes both rename the same content.
  if (await touch(target)) return { sha256, path: target, written: false };
  await writeFileAtomically(target, bytes);
  return { sha256, path: target, written: true };
}

/**
 * Sets a file's modification time to now; false when there is no file. The sweep of unreferenced
 * files (app/models/photo-sweep.server.ts) leaves young files alone and looks at a file's time
 * again after taking it away, so a file stored again for a row about to be committed is either
 * touched before the sweep takes it (and put back) or found missing here (and written anew).
 */
async function touch(file: string): Promise<boolean> {
  const now = new Date();
  try {
    await utimes(file, now, now);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return false;
    // Not the portal's own file to touch (restored by another user): it is there all the same.
    return exists(file);
  }
}

/** The stored bytes with this hash, or null when the hash is malformed or the file is missing. */
export async function readStoredFile(dataDir: string, shelf: Shelf, sha256: string): Promise<Buffer | null> {
  if (!isSha256(sha256)) return null;
  return readFile(storedPath(dataDir, shelf, sha256)).catch(() => null);
}

/** A photo's thumbnail is stored beside it, under the photo's name with this suffix. */
export const THUMBNAIL_SUFFIX = ".thumb.webp";

/** A name beside `target` for a file on its way in (or, with a `tag`, on its way out): unique, ending in .tmp. */
export function temporaryName(target: string, tag = ""): string {
  return `${target}.${process.pid}.${randomBytes(6).toString("hex")}${tag ? `.${tag}` : ""}.tmp`;
}

/**
 * A database file (the live one, a backup) kept as the stored files are (0640: the portal's user
 * and its group, nobody else). It holds every account's password hash, the phone numbers and the
 * schools' unpublished items, yet SQLite made it 0644 like any new file: readable by every user of
 * the server. A missing file is created empty (SQLite takes it as a new database) before SQLite
 * opens it, and SQLite gives the -wal and -shm files it makes the database file's permissions;
 * existing files (an older database, a restored copy, the -wal and -shm a crash left) lose whatever
 * they allowed other users.
 */
export function keepFromOtherUsers(databaseFile: string): void {
  try {
    closeSync(openSync(databaseFile, "wx", 0o640));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
  for (const file of [databaseFile, `${databaseFile}-wal`, `${databaseFile}-shm`]) {
    try {
      const { mode } = statSync(file);
      if (mode & 0o007) chmodSync(file, mode & 0o770);
    } catch {
      // Not there, or not the portal's own file to change (another user made it): left as it is.
    }
  }
}

/** Writes bytes to a path atomically: temporary file in the same directory, fsync, rename, fsync directory. */
export async function writeFileAtomically(target: string, data: Uint8Array, mode = 0o640): Promise<void> {
  const dir = path.dirname(target);
  const created = await mkdir(dir, { recursive: true });
  const temp = temporaryName(target);
  const handle = await open(temp, "wx", mode);
  try {
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, target);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
  // The rename itself must survive a power cut too, and so must the entry of any directory just
  // made for it (the first file under a new two-letter prefix creates that directory).
  syncDirectory(dir);
  if (created) for (let d = dir; d !== path.dirname(created); d = path.dirname(d)) syncDirectory(path.dirname(d));
}

/**
 * Puts a finished file (written under a temporary name in the target's directory) in place:
 * fsync it, rename it over the target, fsync the directory.
 */
export function moveIntoPlace(temp: string, target: string): void {
  syncPath(temp);
  renameSync(temp, target);
  syncDirectory(path.dirname(target));
}

/** Copies a file atomically; a partial copy never sits under the target's name. */
export function copyFileAtomically(source: string, target: string): void {
  const temp = temporaryName(target);
  try {
    copyFileSync(source, temp);
    moveIntoPlace(temp, target);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}

function syncPath(p: string): void {
  const fd = openSync(p, "r");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function syncDirectory(dir: string): void {
  try {
    syncPath(dir);
  } catch {
    // Some file systems cannot fsync a directory; the rename is still atomic.
  }
}
