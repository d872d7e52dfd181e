// Multipart bodies read as they arrive: text parts into memory up to the form cap, files straight
// to disk in a directory of the request's own, each with its cap. Memory stays at a few chunks
// however large the upload.
import { unstable_parseMultipartFormData, type UploadHandler } from "@remix-run/node";
import { randomBytes } from "node:crypto";
import { createWriteStream, openAsBlob } from "node:fs";
import { mkdir, rm } from "node:fs/promises";
import path from "node:path";
import { finished } from "node:stream/promises";
import { BODY_LIMITS } from "~/lib/http.server";

/** Under the data directory; whatever is there at start-up was left by a stopped process. */
export const UPLOADS_DIR = "uploads";

export interface FileRules {
  /** The request's own directory (see {@link withUploadDir}). */
  dir: string;
  maxFileBytes: number;
  maxFiles: number;
  /**
   * Filled in while reading: files over maxFileBytes. Their bytes are skipped, not kept, and the
   * rest of the form is still read so that the refusal can show what the person typed.
   */
  oversize: Array<{ field: string; filename: string }>;
}

/** The sender's mistake: too much text, too many files. */
export class UploadRefused extends Error {
  constructor(
    readonly status: 413,
    message: string,
  ) {
    super(message);
  }
}

/** The server's own failure to store a file (disk full, permissions). */
export class UploadNotStored extends Error {}

/**
 * Runs `work` with a fresh directory for the request's uploaded files under the data directory,
 * and removes it (with whatever the request left in it) when the work is done, before the answer
 * goes out.
 */
export async function withUploadDir<T>(dataDir: string, work: (dir: string) => Promise<T>): Promise<T> {
  const dir = path.join(dataDir, UPLOADS_DIR, `${Date.now().toString(36)}-${randomBytes(6).toString("hex")}`);
  try {
    return await work(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

class NoParts extends Error {}

/**
 * How much of a multipart body is not field text or file bytes: how many parts, and how long one
 * part's headers may run. Empty parts cost the text cap nothing, and the parser keeps a part's
 * headers whole until the blank line that ends them, so neither was bounded by the caps above:
 * 1.5 million empty parts in one 80 MB upload held the server for 40 seconds and 320 MB, and one
 * part whose headers never ended took it past 1.5 GB. The largest form (an item with 9 photos, their
 * captions and 50 bylines) has about 120 parts; a browser writes a few hundred bytes of headers.
 */
export const MULTIPART_LIMITS = {
  parts: 1000,
  partHeaderBytes: 16 * 1024,
} as const;

class PartHeadersTooLarge extends Error {}

const DOUBLE_CRLF = Buffer.from("\r\n\r\n");
const DASH = 0x2d;

/**
 * The body as it arrives, unchanged, failing once a part's headers (from its boundary to the blank
 * line after them) run past `maxHeaderBytes`. It finds parts as the parser does: every `--boundary`
 * starts one, and one followed by `--` ends the body (what follows is not read as a part).
 */
export function partHeaderGuard(boundary: string, maxHeaderBytes: number): TransformStream<Uint8Array, Uint8Array> {
  const delimiter = Buffer.from(`--${boundary}`);
  let state: "data" | "boundary" | "headers" | "done" = "data";
  /** Where in the body `pending` starts, and where the current part's headers start. */
  let offset = 0;
  let headersFrom = 0;
  /** The end of what was seen that a delimiter or the blank line may continue into. */
  let pending = Buffer.alloc(0);
  return new TransformStream({
    transform(chunk, controller) {
      // Looked at before it is passed on: a piece that carries headers past the limit never is.
      if (state === "done") return controller.enqueue(chunk);
      const bytes = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      const seen = pending.length > 0 ? Buffer.concat([pending, bytes]) : bytes;
      let at = 0;
      let keepFrom = seen.length;
      for (;;) {
        if (state === "data") {
          const found = seen.indexOf(delimiter, at);
          if (found === -1) {
            keepFrom = Math.max(at, seen.length - delimiter.length + 1);
            break;
          }
          at = found + delimiter.length;
          headersFrom = offset + at;
          state = "boundary";
        }
        if (state === "boundary") {
          if (seen.length - at < 2) {
            keepFrom = at;
            break;
          }
          if (seen[at] === DASH && seen[at + 1] === DASH) {
            state = "done";
            pending = Buffer.alloc(0);
            return controller.enqueue(chunk);
          }
          state = "headers";
        }
        const end = seen.indexOf(DOUBLE_CRLF, at);
        const headerBytes = (end === -1 ? offset + seen.length : offset + end) - headersFrom;
        if (headerBytes > maxHeaderBytes) {
          controller.error(new PartHeadersTooLarge());
          return;
        }
        if (end === -1) {
          keepFrom = Math.max(at, seen.length - DOUBLE_CRLF.length + 1);
          break;
        }
        at = end + DOUBLE_CRLF.length;
        state = "data";
      }
      pending = Buffer.from(seen.subarray(keepFrom));
      offset += keepFrom;
      controller.enqueue(chunk);
    },
  });
}

/** The request with its body read through partHeaderGuard (the boundary read as the parser reads it). */
function guardedRequest(request: Request): Request {
  const boundary = (request.headers.get("Content-Type") ?? "").split(/\s*;\s*boundary=/)[1];
  if (!boundary || !request.body) return request;
  return new Request(request.url, {
    method: request.method,
    headers: request.headers,
    body: request.body.pipeThrough(partHeaderGuard(boundary, MULTIPART_LIMITS.partHeaderBytes)),
    duplex: "half",
  } as RequestInit);
}

/**
 * A multipart body, part by part. Without `files`, a file part is kept in memory like text and
 * counts against the same cap (no form that takes files is read that way).
 */
export async function readMultipart(request: Request, files: FileRules | undefined): Promise<FormData> {
  let textBytes = 0;
  let fileCount = 0;
  let parts = 0;
  const handler: UploadHandler = async ({ name, filename, contentType, data }) => {
    if (++parts > MULTIPART_LIMITS.parts) {
      throw new UploadRefused(413, `表单项目过多（上限 ${MULTIPART_LIMITS.parts} 项），请刷新页面后重新提交。`);
    }
    if (filename === undefined || !files) {
      const chunks: Uint8Array[] = [];
      for await (const chunk of data) {
        textBytes += chunk.byteLength;
        if (textBytes > BODY_LIMITS.other) {
          throw new UploadRefused(413, `表单内容过大（上限 ${BODY_LIMITS.other / 1024 / 1024} MB），请精简后重试。`);
        }
        chunks.push(chunk);
      }
      const bytes = Buffer.concat(chunks);
      return filename === undefined ? new TextDecoder().decode(bytes) : new File([bytes], filename, { type: contentType });
    }
    const first = await data[Symbol.asyncIterator]().next();
    // An empty file input still sends a part: no name, no bytes. Nothing to store.
    if (first.done && filename === "") return new File([], "", { type: contentType });
    if (++fileCount > files.maxFiles) throw new UploadRefused(413, `一次最多上传 ${files.maxFiles} 个文件，请减少后重试。`);
    const target = path.join(files.dir, `${fileCount}.upload`);
    const size = await storePart(target, first.done ? [] : [first.value], data, files.maxFileBytes);
    if (size > files.maxFileBytes) {
      await rm(target, { force: true });
      files.oversize.push({ field: name, filename });
      return new File([], filename, { type: contentType });
    }
    // A File backed by the file on disk: its bytes are read only when they are used.
    return new File([await openAsBlob(target)], filename, { type: contentType });
  };
  let form: FormData;
  try {
    form = await unstable_parseMultipartFormData(guardedRequest(request), handler);
  } catch (error) {
    if (error instanceof PartHeadersTooLarge) {
      throw new UploadRefused(413, `表单中某一项的字段名或文件名过长（上限 ${MULTIPART_LIMITS.partHeaderBytes / 1024} KB），请刷新页面后重新提交。`);
    }
    throw error;
  }
  // A browser's form always has fields; a body with none ended before its first boundary.
  if (parts === 0) throw new NoParts();
  return form;
}

/**
 * Writes a part to `target` as it arrives, waiting for the disk before taking the next chunk;
 * past `cap` the rest is read and dropped. Returns the part's full size.
 */
async function storePart(target: string, head: Uint8Array[], rest: AsyncIterable<Uint8Array>, cap: number): Promise<number> {
  let out: ReturnType<typeof createWriteStream>;
  try {
    await mkdir(path.dirname(target), { recursive: true });
    out = createWriteStream(target, { flags: "wx", mode: 0o600 });
  } catch (error) {
    throw new UploadNotStored("upload not stored", { cause: error });
  }
  let failure: unknown;
  out.on("error", (error) => (failure ??= error));
  let size = 0;
  const take = async (chunk: Uint8Array) => {
    size += chunk.byteLength;
    if (size > cap || failure) return;
    if (!out.write(chunk)) await drainedOrClosed(out);
  };
  try {
    for (const chunk of head) await take(chunk);
    for await (const chunk of rest) await take(chunk);
  } finally {
    out.end();
    await finished(out).catch((error: unknown) => (failure ??= error));
  }
  if (failure) throw new UploadNotStored("upload not stored", { cause: failure });
  return size;
}

/** Waits for a file stream to take more, or to close; leaves no listener behind for the next wait. */
function drainedOrClosed(out: NodeJS.WritableStream): Promise<void> {
  return new Promise<void>((resolve) => {
    const done = () => {
      out.off("drain", done);
      out.off("close", done);
      resolve();
    };
    out.once("drain", done).once("close", done);
  });
}
