// Uploaded photos: the type is decided from the bytes, never from the name or the browser's word;
// every image is decoded and re-encoded (orientation applied, metadata stripped, size capped), and
// the result is stored under its own SHA-256 outside public/ (the file store, db/file-store.ts).
// Files are written before the rows that point at them, so a crash leaves at most an unreferenced
// file, never a row without a file.
import { refusal, Refused, type Refusal } from "~/domain/refusal";
import { fileTypeFromBuffer } from "file-type";
import type { Kysely } from "kysely";
import { readFile } from "node:fs/promises";
import sharp, { type Metadata, type OutputInfo } from "sharp";
import { isSha256, photoPath, PHOTOS, readStoredFile, sha256Hex, storeFile, THUMBNAIL_SUFFIX, writeFileAtomically } from "../../db/file-store";
import type { Database } from "../../db/schema";
import { ITEM_LIMITS, PHOTO_MIME_TYPES, type PhotoMime } from "~/domain/item-form";
import type { Actor } from "~/domain/permissions";
import { canViewItem } from "~/domain/workflow";
import { imageWork } from "~/models/limits.server";

// One libvips thread per image and no operation cache: with image work queued one at a time
// (imageWork), a burst of huge uploads costs one core and one picture's memory, and nothing of a
// decoded picture is kept once its answer is sent.
sharp.concurrency(1);
sharp.cache(false);

export const PHOTO_RULES = {
  maxBytes: ITEM_LIMITS.photoBytesMax,
  minSide: 50,
  maxSide: 20_000,
  /** Decoding more pixels than this is refused (decompression bombs). */
  maxPixels: 100_000_000,
  longSide: 2560,
  thumbSide: 480,
  jpegQuality: 85,
  webpQuality: 85,
  thumbQuality: 78,
} as const;

/** A refused upload is the portal's one refusal (400, 413 or 415) with a message naming the file. */
const rejected = (status: 400 | 413 | 415, message: string) => new Refused(refusal(status, message));

export interface StoredPhoto {
  sha256: string;
  mime: PhotoMime;
  width: number;
  height: number;
  bytes: number;
}

export interface PreparedPhoto extends StoredPhoto {
  data: Buffer;
}

const FORMAT_OF: Record<PhotoMime, string> = { "image/jpeg": "jpeg", "image/png": "png", "image/webp": "webp" };

/** A file name fit for a message: no path, not too long. */
function label(name: string): string {
  const base = name.split(/[\\/]/).pop()?.trim() || "图片";
  return [...base].length > 40 ? `${[...base].slice(0, 37).join("")}…` : base;
}

/** The size rule alone, so a request can be refused before any file is looked at. */
export function photoSizeProblem(bytes: number, name: string): Refusal | null {
  if (bytes > PHOTO_RULES.maxBytes) {
    return refusal(413, `“${label(name)}”超过 ${PHOTO_RULES.maxBytes / 1024 / 1024} MB，请压缩后再上传。`);
  }
  return null;
}

/**
 * Checks and re-encodes one uploaded image in memory. Throws a refusal (Refused) for anything that is
 * not a sound JPEG, PNG or WebP picture of sensible size.
 */
export function preparePhoto(input: Uint8Array, name = "图片"): Promise<PreparedPhoto> {
  return imageWork.run(() => decodeAndEncode(input, name));
}

async function decodeAndEncode(input: Uint8Array, name: string): Promise<PreparedPhoto> {
  const file = label(name);
  const tooBig = photoSizeProblem(input.byteLength, name);
  if (tooBig) throw new Refused(tooBig);
  if (input.byteLength === 0) throw rejected(400, `“${file}”是空文件，请重新选择。`);

  const type = await fileTypeFromBuffer(input);
  const mime = PHOTO_MIME_TYPES.find((m) => m === type?.mime);
  if (!mime) throw rejected(415, `“${file}”不是 JPG、PNG 或 WebP 格式的图片，不能上传。`);

  const damaged = () => rejected(400, `“${file}”已损坏或无法识别，请换一张图片。`);
  const options = { limitInputPixels: PHOTO_RULES.maxPixels, failOn: "error" as const };
  let meta: Metadata;
  try {
    // Reads the header only (no pixel limit needed yet): the dimensions are checked here, with a
    // clear message, before anything is decoded; the decoder below enforces the limit again.
    meta = await sharp(input, { ...options, limitInputPixels: false }).metadata();
  } catch {
    throw damaged();
  }
  if (meta.format !== FORMAT_OF[mime] || !meta.width || !meta.height) throw damaged();
  const { width, height } = meta;
  if (width < PHOTO_RULES.minSide || height < PHOTO_RULES.minSide) {
    throw rejected(400, `“${file}”太小（${width}×${height} 像素），图片每边至少 ${PHOTO_RULES.minSide} 像素。`);
  }
  if (width > PHOTO_RULES.maxSide || height > PHOTO_RULES.maxSide || width * height > PHOTO_RULES.maxPixels) {
    throw rejected(400, `“${file}”尺寸过大（${width}×${height} 像素），请缩小后再上传。`);
  }

  let data: Buffer;
  let info: OutputInfo;
  try {
    // rotate() with no angle applies the EXIF orientation; without withMetadata() every
    // metadata block (EXIF with its GPS position, XMP, IPTC, comments) is dropped.
    const pipeline = sharp(input, options)
      .rotate()
      .resize({ width: PHOTO_RULES.longSide, height: PHOTO_RULES.longSide, fit: "inside", withoutEnlargement: true });
    const encoded =
      mime === "image/jpeg"
        ? // libjpeg-turbo with optimised Huffman tables (sharp's default), not mozjpeg: a phone's
          // 4032×3024 photo takes about a quarter of the CPU (104 against 418 ms) for about a sixth
          // more bytes, and photos are re-encoded one at a time in the month-end rush.
          pipeline.jpeg({ quality: PHOTO_RULES.jpegQuality })
        : mime === "image/png"
          ? pipeline.png()
          : pipeline.webp({ quality: PHOTO_RULES.webpQuality });
    ({ data, info } = await encoded.toBuffer({ resolveWithObject: true }));
  } catch {
    throw damaged();
  }
  return { sha256: sha256Hex(data), mime, width: info.width, height: info.height, bytes: data.length, data };
}

/** Stores a prepared photo under its content address; an existing file holds the same bytes. */
export async function writePhotoFile(dataDir: string, photo: PreparedPhoto): Promise<StoredPhoto> {
  await storeFile(dataDir, PHOTOS, photo.data);
  const { data: _data, ...stored } = photo;
  return stored;
}

/** Checks, re-encodes and stores one uploaded image. */
export async function storeUploadedPhoto(dataDir: string, bytes: Uint8Array, name = "图片"): Promise<StoredPhoto> {
  return writePhotoFile(dataDir, await preparePhoto(bytes, name));
}

/** The stored bytes of a photo, or null when the file is missing. */
export async function readPhotoFile(dataDir: string, sha256: string): Promise<Buffer | null> {
  return readStoredFile(dataDir, PHOTOS, sha256);
}

/** Thumbnails being made now, by data directory and photo: requests that arrive meanwhile wait for the same one. */
const thumbsInMaking = new Map<string, Promise<Buffer | null>>();

/**
 * The 480 px WebP thumbnail of a photo, made on first request; null when the original is missing.
 * Made once however many ask at once: anyone may ask for an adopted item's photo, and a burst of
 * requests for a new one would otherwise decode it once each, in the queue the uploads wait in.
 */
export async function photoThumbnail(dataDir: string, sha256: string): Promise<Buffer | null> {
  if (!isSha256(sha256)) return null;
  const thumb = `${photoPath(dataDir, sha256)}${THUMBNAIL_SUFFIX}`;
  try {
    return await readFile(thumb);
  } catch {
    // Not made yet.
  }
  const key = `${dataDir}\u0000${sha256}`;
  let making = thumbsInMaking.get(key);
  if (!making) {
    making = makeThumbnail(dataDir, sha256, thumb).finally(() => thumbsInMaking.delete(key));
    thumbsInMaking.set(key, making);
  }
  return making;
}

async function makeThumbnail(dataDir: string, sha256: string, thumb: string): Promise<Buffer | null> {
  const original = await readPhotoFile(dataDir, sha256);
  if (!original) return null;
  const data = await imageWork.run(() =>
    sharp(original, { limitInputPixels: PHOTO_RULES.maxPixels })
      .rotate()
      .resize({ width: PHOTO_RULES.thumbSide, height: PHOTO_RULES.thumbSide, fit: "inside", withoutEnlargement: true })
      .webp({ quality: PHOTO_RULES.thumbQuality })
      .toBuffer(),
  );
  // Another process may race to make it; both write the same bytes and the rename is atomic.
  await writeFileAtomically(thumb, data);
  return data;
}

export type PhotoLookup =
  | { found: false }
  | { found: true; sha256: string; mime: PhotoMime; adopted: boolean };

/**
 * A photo as the person may see it: the item's visibility rules decide. Anyone who may not see
 * it is told it does not exist, so photo ids reveal nothing.
 */
export async function findPhotoForViewer(db: Kysely<Database>, actor: Actor | null, photoId: number): Promise<PhotoLookup> {
  const row = await db
    .selectFrom("photos")
    .innerJoin("items", "items.id", "photos.item_id")
    .select(["photos.sha256", "photos.mime", "items.status", "items.unit_id", "items.report_month"])
    .where("photos.id", "=", photoId)
    .executeTakeFirst();
  if (!row) return { found: false };
  if (!canViewItem(actor, { status: row.status, unitId: row.unit_id, reportMonth: row.report_month })) return { found: false };
  return { found: true, sha256: row.sha256, mime: row.mime, adopted: row.status === "adopted" };
}
