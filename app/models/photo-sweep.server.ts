// Photo files and Word documents no row refers to any more. A photo taken off a draft, a deleted
// draft, an upload stored whose transaction then failed; a notice or 简报 whose Word file was stored
// and whose 签发 then never committed (the process stopped, the disk filled): each left its file (and
// any thumbnail made of it) on disk for good. The sweep deletes, under the photos directory, the files
// of hashes no photo row names, and under the notices directory the documents no notice or 简报
// names, once they are older than a day, and the upload directories of requests a stopped worker
// left; the primary process runs it at start and then daily.
//
// Never a referenced file:
//  - a young file is never touched: an upload (a 签发) stores its file before the row that names it
//    is committed, and a day is far longer than any request;
//  - storing a file that is already there marks it young again (db/file-store.ts storeFile), and a
//    file is taken away by renaming it and looking at its time once more: one stored again meanwhile
//    is put back; one taken before it was stored again is found missing by the store and written anew;
//  - only names the file store gives are looked at (photos/ab/<sha256>, its .thumb.webp,
//    notices/<sha256>.docx, their temporary names); links are never followed, so nothing outside
//    the two directories is ever reached.
import type { Kysely } from "kysely";
import type { Dirent } from "node:fs";
import { lstat, readdir, rename, rm, unlink } from "node:fs/promises";
import path from "node:path";
import { NOTICES, PHOTOS, temporaryName, THUMBNAIL_SUFFIX } from "../../db/file-store";
import type { Database } from "../../db/schema";

type DB = Kysely<Database>;

export const PHOTO_SWEEP = {
  /** A file younger than this is left alone, referenced or not. */
  minAgeMs: 24 * 60 * 60 * 1000,
  intervalMs: 24 * 60 * 60 * 1000,
} as const;

/** A file this sweep renames away before deleting it: the file store's temporary name, with this tag. */
const SWEEP_TAG = "sweep";
/** <sha256>, its thumbnail, or a temporary name of either (db/file-store.ts temporaryName). */
const STORED_NAME = new RegExp(`^([0-9a-f]{64})(${THUMBNAIL_SUFFIX.replaceAll(".", "\\.")})?((?:\\.[^/]*)?\\.tmp)?$`);
const TAKEN_AWAY = new RegExp(`^(.*)\\.\\d+\\.[0-9a-f]+\\.${SWEEP_TAG}\\.tmp$`);

/** What a name in photos/<ab>/ is: a stored photo, its thumbnail, or a temporary file of either (null: not the store's). */
export function photoFileName(prefix: string, name: string): { sha256: string; kind: "photo" | "thumbnail" | "temporary"; sweptFrom?: string } | null {
  const m = STORED_NAME.exec(name);
  if (!m || m[1].slice(0, 2) !== prefix) return null;
  if (!m[3]) return { sha256: m[1], kind: m[2] ? "thumbnail" : "photo" };
  // A file this sweep took away and had not yet deleted or put back when the process stopped.
  const swept = TAKEN_AWAY.exec(name);
  return { sha256: m[1], kind: "temporary", ...(swept ? { sweptFrom: swept[1] } : {}) };
}

const DOCUMENT_NAME = new RegExp(`^([0-9a-f]{64})${NOTICES.suffix.replaceAll(".", "\\.")}((?:\\.[^/]*)?\\.tmp)?$`);

/** What a name in notices/ is: a stored Word document, or a temporary file of one (null: not the store's). */
export function documentFileName(name: string): { sha256: string; kind: "document" | "temporary"; sweptFrom?: string } | null {
  const m = DOCUMENT_NAME.exec(name);
  if (!m) return null;
  if (!m[2]) return { sha256: m[1], kind: "document" };
  const swept = TAKEN_AWAY.exec(name);
  // Taken away by this sweep: put back only ever under the document's own name.
  return { sha256: m[1], kind: "temporary", ...(swept && swept[1] === `${m[1]}${NOTICES.suffix}` ? { sweptFrom: swept[1] } : {}) };
}

export interface SweepResult {
  /** Files deleted and their bytes. */
  files: number;
  bytes: number;
  /** Files stored again while the sweep was taking them: put back. */
  putBack: number;
}

/** Entries of a directory; none when it is missing. */
async function entries(dir: string): Promise<Dirent[]> {
  try {
    return await readdir(dir, { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
}

async function ageOf(file: string): Promise<{ mtimeMs: number; size: number } | null> {
  try {
    const s = await lstat(file);
    return s.isFile() ? { mtimeMs: s.mtimeMs, size: s.size } : null;
  } catch {
    return null;
  }
}

/**
 * Deletes the photo files no photo row refers to and older than `minAgeMs`, with their thumbnails
 * and the temporary files of writes that never finished, and (given `uploadsDir`) the upload
 * directories of requests older than that. `db` reads the photo rows; `dataDir` is the data directory.
 */
export async function sweepOrphanPhotos(
  db: DB,
  dataDir: string,
  options: { now?: number; minAgeMs?: number; uploadsDir?: string } = {},
): Promise<SweepResult> {
  const cutoff = (options.now ?? Date.now()) - (options.minAgeMs ?? PHOTO_SWEEP.minAgeMs);
  const result: SweepResult = { files: 0, bytes: 0, putBack: 0 };

  // Listed before the rows are read: a row committed after the read names a file stored (or touched) after the listing.
  const root = path.join(dataDir, PHOTOS.dir);
  const candidates: Candidate[] = [];
  for (const dir of await entries(root)) {
    if (!dir.isDirectory() || !/^[0-9a-f]{2}$/.test(dir.name)) continue;
    for (const entry of await entries(path.join(root, dir.name))) {
      if (!entry.isFile()) continue;
      const named = photoFileName(dir.name, entry.name);
      const file = path.join(root, dir.name, entry.name);
      const age = named ? await ageOf(file) : null;
      if (!named || !age) continue;
      const candidate = { file, sha256: named.sha256, temporary: named.kind === "temporary", sweptFrom: named.sweptFrom, size: age.size };
      if (age.mtimeMs < cutoff || named.sweptFrom !== undefined) candidates.push(candidate);
    }
  }
  if (candidates.length > 0) {
    const referenced = new Set((await db.selectFrom("photos").select("sha256").distinct().execute()).map((r) => r.sha256));
    await settle(candidates, referenced, cutoff, result);
  }

  // Upload directories of requests cut short by a worker that stopped (the start-up clears the rest).
  const uploads = options.uploadsDir;
  for (const entry of uploads ? await entries(uploads) : []) {
    const dir = path.join(uploads!, entry.name);
    if (!entry.isDirectory()) continue;
    const stat = await lstat(dir).catch(() => null);
    if (!stat || stat.mtimeMs >= cutoff) continue;
    for (const file of await entries(dir)) {
      const age = file.isFile() ? await ageOf(path.join(dir, file.name)) : null;
      if (age) {
        result.files++;
        result.bytes += age.size;
      }
    }
    // rm deletes links themselves, never what they point at.
    await rm(dir, { recursive: true, force: true });
  }
  return result;
}

type Candidate = { file: string; sha256: string; temporary: boolean; sweptFrom?: string; size: number };

/** Deletes the candidates no row names (`referenced`: the hashes named, read after the listing), and temporary files. */
async function settle(candidates: readonly Candidate[], referenced: ReadonlySet<string>, cutoff: number, result: SweepResult): Promise<void> {
  for (const c of candidates) {
    if (c.sweptFrom !== undefined) {
      await finishTakenAway(c.file, path.join(path.dirname(c.file), c.sweptFrom), referenced.has(c.sha256), cutoff, result);
    } else if (c.temporary) {
      // A write that never finished (its process stopped): never a file a row can name.
      await deleteCounted(c.file, c.size, result);
    } else if (!referenced.has(c.sha256)) {
      await takeAway(c.file, cutoff, result);
    }
  }
}

/**
 * Deletes the Word documents no notice or 简报 names and older than `minAgeMs` (a 签发 that never
 * committed after its file was stored), and the temporary files of writes that never finished.
 */
export async function sweepOrphanDocuments(db: DB, dataDir: string, options: { now?: number; minAgeMs?: number } = {}): Promise<SweepResult> {
  const cutoff = (options.now ?? Date.now()) - (options.minAgeMs ?? PHOTO_SWEEP.minAgeMs);
  const result: SweepResult = { files: 0, bytes: 0, putBack: 0 };
  const root = path.join(dataDir, NOTICES.dir);
  const candidates: Candidate[] = [];
  for (const entry of await entries(root)) {
    const named = entry.isFile() ? documentFileName(entry.name) : null;
    const file = path.join(root, entry.name);
    const age = named ? await ageOf(file) : null;
    if (!named || !age) continue;
    if (age.mtimeMs < cutoff || named.sweptFrom !== undefined) {
      candidates.push({ file, sha256: named.sha256, temporary: named.kind === "temporary", sweptFrom: named.sweptFrom, size: age.size });
    }
  }
  if (candidates.length > 0) {
    // Read after the listing, as for photos: a 签发 committed after this names a file stored (or touched) after the listing.
    const named = await db
      .selectFrom("notices")
      .select("docx_sha256 as sha256")
      .where("docx_sha256", "is not", null)
      .union(db.selectFrom("bulletins").select("docx_sha256 as sha256").where("docx_sha256", "is not", null))
      .execute();
    await settle(candidates, new Set(named.map((r) => r.sha256!)), cutoff, result);
  }
  return result;
}

/** Renames an unreferenced old file away, then deletes it, unless it was stored again meanwhile (then it goes back). */
async function takeAway(file: string, cutoff: number, result: SweepResult): Promise<void> {
  const aside = temporaryName(file, SWEEP_TAG);
  try {
    await rename(file, aside);
  } catch {
    return; // gone already
  }
  await finishTakenAway(aside, file, false, cutoff, result);
}

/** A file renamed away to `aside`: back to `file` if referenced or young (and `file` not written anew), else deleted. */
async function finishTakenAway(aside: string, file: string, referenced: boolean, cutoff: number, result: SweepResult): Promise<void> {
  const age = await ageOf(aside);
  if (!age) return;
  if (referenced || age.mtimeMs >= cutoff) {
    // Written anew meanwhile: the same bytes are already back under their name.
    if (await ageOf(file)) await unlink(aside).catch(() => undefined);
    else await rename(aside, file).catch(() => undefined);
    result.putBack++;
    return;
  }
  await deleteCounted(aside, age.size, result);
}

async function deleteCounted(file: string, size: number, result: SweepResult): Promise<void> {
  try {
    await unlink(file);
  } catch {
    return;
  }
  result.files++;
  result.bytes += size;
}

/** The sweep's log line. */
export function sweepMessage(r: SweepResult): string {
  const mb = (r.bytes / 1024 / 1024).toFixed(1);
  return `照片清理：删除了 ${r.files} 个没有稿件引用、超过一天的文件（原图、缩略图、没写完的临时文件、残留的上传文件），共 ${mb} MB${putBackNote(r)}。`;
}

/** The document sweep's log line. */
export function documentSweepMessage(r: SweepResult): string {
  const mb = (r.bytes / 1024 / 1024).toFixed(1);
  return `Word 文件清理：删除了 ${r.files} 个没有通报或简报引用、超过一天的文件（签发未成时存下的、没写完的临时文件），共 ${mb} MB${putBackNote(r)}。`;
}

function putBackNote(r: SweepResult): string {
  return r.putBack ? `；${r.putBack} 个在清理时又被存入，已放回` : "";
}
