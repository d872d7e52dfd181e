// Real image bytes for upload tests (made with sharp), photos attached to fixture items, and a
// count of the files under the photo store.
import type { Kysely } from "kysely";
import { readdirSync } from "node:fs";
import path from "node:path";
import { crc32, deflateSync } from "node:zlib";
import sharp from "sharp";
import type { Database } from "../../db/schema";
import { storeUploadedPhoto } from "~/models/photos.server";

export function png(width = 64, height = 64, background = "#c00"): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background } }).png().toBuffer();
}

export function jpeg(width = 64, height = 64, background = "#06c"): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background } }).jpeg().toBuffer();
}

export function webp(width = 64, height = 64, background = "#3a3"): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background } }).webp().toBuffer();
}

export function gif(width = 64, height = 64): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: "#fc0" } }).gif().toBuffer();
}

/** A PNG whose header claims any size, with almost no pixel data: a decompression bomb's shape. */
export function pngClaiming(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body) >>> 0);
    return Buffer.concat([length, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", ihdr),
    chunk("IDAT", deflateSync(Buffer.alloc(1024))),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

/** Stores an image the way an upload does and hangs it on an item; the photo's id. */
export async function attachPhoto(db: Kysely<Database>, dataDir: string, itemId: number, bytes: Buffer, caption = ""): Promise<number> {
  const stored = await storeUploadedPhoto(dataDir, bytes);
  const { id } = await db
    .insertInto("photos")
    .values({ item_id: itemId, ...stored, caption, sort_order: 0, created_at: new Date().toISOString() })
    .returning("id")
    .executeTakeFirstOrThrow();
  return id;
}

/** Every file under `${dataDir}/photos`, relative paths, sorted. */
export function photoFiles(dataDir: string): string[] {
  const root = path.join(dataDir, "photos");
  try {
    return (readdirSync(root, { recursive: true, withFileTypes: true }) as import("node:fs").Dirent[])
      .filter((d) => d.isFile())
      .map((d) => path.relative(root, path.join(d.parentPath ?? d.path, d.name)))
      .sort();
  } catch {
    return [];
  }
}
