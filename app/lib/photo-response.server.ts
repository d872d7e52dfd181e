// How a photo goes out: its own type, never sniffed, shown inline; cached publicly only once its
// item is public (adopted), otherwise kept out of every cache.
import { parseId } from "~/domain/fields";

const NOT_FOUND = "图片不存在或您无权查看。";

export function photoNotFound(): Response {
  return new Response(NOT_FOUND, {
    status: 404,
    headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff" },
  });
}

export function photoResponse(request: Request, bytes: Uint8Array, photo: { mime: string; etag: string; adopted: boolean }): Response {
  const headers = new Headers({
    "Content-Type": photo.mime,
    "X-Content-Type-Options": "nosniff",
    "Content-Disposition": "inline",
    "Cache-Control": photo.adopted ? "public, max-age=86400" : "private, no-store",
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
