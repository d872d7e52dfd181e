// How a photo goes out: its own type, never sniffed, shown inline; cached publicly only once its
// item is public (adopted), otherwise kept out of every cache.
import type { AppLoadContext } from "@remix-run/node";
import { parseId } from "~/domain/fields";
import { refusalPage } from "~/lib/resource-route.server";
import { getUser } from "~/lib/session.server";
import { getConfig } from "~/models/env.server";
import { findPhotoForViewer, photoThumbnail, readPhotoFile } from "~/models/photos.server";

const NOT_FOUND = "图片不存在或您无权查看。";
const PUBLIC_PHOTO_CACHE = "public, max-age=300, must-revalidate";

/** The same 404 page as every download's refusal: a photo link opened on its own shows it. */
export function photoNotFound(request?: Request): Response {
  return refusalPage(404, NOT_FOUND, { request });
}

export function photoResponse(request: Request, bytes: Uint8Array, photo: { mime: string; etag: string; adopted: boolean }): Response {
  const headers = new Headers({
    "Content-Type": photo.mime,
    "X-Content-Type-Options": "nosniff",
    "Content-Disposition": "inline",
    // Five minutes, then asked again (a 304 while unchanged): a photo of an item withdrawn from the
    // public pages (撤稿) stops being served from caches soon after, not a day later.
    "Cache-Control": photo.adopted ? PUBLIC_PHOTO_CACHE : "private, no-store",
    ETag: `"${photo.etag}"`,
  });
  if (photo.adopted && request.headers.get("If-None-Match") === `"${photo.etag}"`) {
    return new Response(null, { status: 304, headers });
  }
  headers.set("Content-Length", String(bytes.byteLength));
  // Buffers read from disk are backed by a plain ArrayBuffer, which is what BodyInit wants.
  return new Response(bytes as Uint8Array<ArrayBuffer>, { status: 200, headers });
}

/** A photo id from the URL, or null. */
export function photoIdParam(value: string | undefined): number | null {
  return parseId(value);
}

/**
 * GET /photos/:id and /photos/:id/thumb: the stored photo or its 480 px WebP thumbnail, to whoever
 * may see its item; everyone else is told it does not exist.
 */
export async function servePhoto(request: Request, context: AppLoadContext, idParam: string | undefined, variant: "photo" | "thumb") {
  const id = photoIdParam(idParam);
  if (id === null) return photoNotFound(request);
  const user = await getUser(request, context);
  const photo = await findPhotoForViewer(context.dbs.reader, user ? { role: user.role, unitId: user.unitId } : null, id);
  if (!photo.found) return photoNotFound(request);
  const dataDir = getConfig().dataDir;
  if (variant === "thumb") {
    const thumb = await photoThumbnail(dataDir, photo.sha256);
    return thumb ? photoResponse(request, thumb, { mime: "image/webp", etag: `${photo.sha256}-thumb`, adopted: photo.adopted }) : photoNotFound(request);
  }
  const bytes = await readPhotoFile(dataDir, photo.sha256);
  return bytes ? photoResponse(request, bytes, { mime: photo.mime, etag: photo.sha256, adopted: photo.adopted }) : photoNotFound(request);
}
