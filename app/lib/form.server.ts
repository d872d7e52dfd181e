// Reading and validating submitted forms: bad input is a 400 with a message per field,
// a body that cannot be parsed (or that is not clean UTF-8 text, or repeats a name) is a 400,
// a content type no form uses is a 415. Multipart bodies are read as they arrive: text into
// memory up to the form cap, files straight to disk under a directory of the request's own.
import { json, unstable_parseMultipartFormData, type UploadHandler } from "@remix-run/node";
import { randomBytes } from "node:crypto";
import { createWriteStream, openAsBlob } from "node:fs";
import { mkdir, rm } from "node:fs/promises";
import path from "node:path";
import { once } from "node:events";
import { z } from "zod";
import { BODY_LIMITS } from "~/lib/http.server";

export type FieldErrors = Record<string, string>;

export interface FormFailure {
  ok: false;
  formError?: string;
  fieldErrors: FieldErrors;
  values: Record<string, string>;
}

export function badRequest(message: string, status = 400) {
  return json({ ok: false as const, formError: message, fieldErrors: {}, values: {} } satisfies FormFailure, { status });
}

export interface ReadFormOptions {
  /** Names the form sends more than once on purpose (a group of checkboxes); any other name may appear once. */
  repeatable?: readonly string[];
  /** Where and how many files a multipart form may bring; without it files count as text. */
  files?: FileRules;
}

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

/** Under the data directory; whatever is there at start-up was left by a stopped process. */
export const UPLOADS_DIR = "uploads";

export const UNREADABLE_MESSAGE = "提交的内容含有无法识别的字符，请检查编码后重新提交。";
export const DUPLICATE_MESSAGE = "提交的内容有重复的项目，请刷新页面后重新提交。";

// U+FFFD is what the body decoder leaves in place of bytes that are not UTF-8, so text carrying it
// would be stored garbled. NUL and the C0 controls (other than tab, LF and CR) never come from a
// keyboard and break exports and the notice documents.
const UNREADABLE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFD]/;

/**
 * Why a parsed form cannot be taken as typed, or null: a name or text (or file name) with
 * unreadable characters, or a name sent twice. A name sent twice with different values is
 * ambiguous (which one did the person mean?), and taking the first would let it through unseen.
 */
export function formProblem(form: FormData, options: ReadFormOptions = {}): string | null {
  const seen = new Set<string>();
  for (const [name, value] of form.entries()) {
    const text = typeof value === "string" ? value : value.name;
    if (UNREADABLE.test(name) || UNREADABLE.test(text)) return UNREADABLE_MESSAGE;
    if (seen.has(name) && !options.repeatable?.includes(name)) return DUPLICATE_MESSAGE;
    seen.add(name);
  }
  return null;
}

/** Throws the Chinese 400 for a form that {@link formProblem} refuses. */
export function assertReadableForm(form: FormData, options: ReadFormOptions = {}): FormData {
  const problem = formProblem(form, options);
  if (problem) throw badRequest(problem);
  return form;
}

/** Reads a urlencoded or multipart body; throws a Chinese 400/415 response when it cannot. */
export async function readForm(request: Request, options: ReadFormOptions = {}): Promise<FormData> {
  const type = (request.headers.get("content-type") ?? "").toLowerCase();
  if (!type.startsWith("application/x-www-form-urlencoded") && !type.startsWith("multipart/form-data")) {
    throw badRequest("不支持的提交格式，请通过页面表单提交。", 415);
  }
  let form: FormData;
  try {
    form = type.startsWith("multipart/form-data") ? await readMultipart(request, options.files) : await request.formData();
  } catch (error) {
    if (error instanceof Response) throw error;
    // The multipart parser decodes part headers as UTF-8 and throws a URIError when they are not.
    throw badRequest(error instanceof URIError ? UNREADABLE_MESSAGE : UNPARSABLE_MESSAGE);
  }
  return assertReadableForm(form, options);
}

const UNPARSABLE_MESSAGE = "提交的内容无法解析，请刷新页面后重试。";

class Unparsable extends Error {}

/**
 * A multipart body, part by part as it arrives. Text parts together may not exceed the form cap;
 * each file goes to its own file on disk as it streams in, refused as soon as it passes its cap.
 */
async function readMultipart(request: Request, files: FileRules | undefined): Promise<FormData> {
  let textBytes = 0;
  let fileCount = 0;
  let parts = 0;
  const countText = (n: number) => {
    textBytes += n;
    if (textBytes > BODY_LIMITS.other) {
      throw badRequest(`表单内容过大（上限 ${BODY_LIMITS.other / 1024 / 1024} MB），请精简后重试。`, 413);
    }
  };
  const handler: UploadHandler = async ({ name, filename, contentType, data }) => {
    parts++;
    if (filename === undefined || !files) {
      const chunks: Uint8Array[] = [];
      for await (const chunk of data) {
        countText(chunk.byteLength);
        chunks.push(chunk);
      }
      const bytes = Buffer.concat(chunks);
      // Without a place for files, a file part is kept as small text would be.
      return filename === undefined ? new TextDecoder().decode(bytes) : new File([bytes], filename, { type: contentType });
    }
    const first = await data[Symbol.asyncIterator]().next();
    // An empty file input still sends a part: no name, no bytes. Nothing to store.
    if (first.done && filename === "") return new File([], "", { type: contentType });
    if (++fileCount > files.maxFiles) {
      throw badRequest(`一次最多上传 ${files.maxFiles} 个文件，请减少后重试。`, 413);
    }
    await mkdir(files.dir, { recursive: true });
    const target = path.join(files.dir, `${fileCount}.upload`);
    const out = createWriteStream(target, { flags: "wx", mode: 0o600 });
    let size = 0;
    try {
      const write = async (chunk: Uint8Array) => {
        size += chunk.byteLength;
        if (size > files.maxFileBytes) return;
        if (!out.write(chunk)) await once(out, "drain");
      };
      if (!first.done) await write(first.value);
      for await (const chunk of data) await write(chunk);
    } finally {
      out.end();
      await once(out, "close");
    }
    if (size > files.maxFileBytes) {
      await rm(target, { force: true });
      files.oversize.push({ field: name, filename });
      return new File([], filename, { type: contentType });
    }
    // A File backed by the file on disk: its bytes are read only when the photo is processed.
    return new File([await openAsBlob(target)], filename, { type: contentType });
  };
  const form = await unstable_parseMultipartFormData(request, handler);
  // A browser's form always has fields; a body with none ended before its first boundary.
  if (parts === 0) throw new Unparsable();
  return form;
}

/** The form's text fields as a plain object (first value of each name). */
export function formValues(form: FormData): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [key, value] of form.entries()) {
    if (typeof value === "string" && !(key in values)) values[key] = value;
  }
  return values;
}

export type ParseResult<T> = { ok: true; data: T } | FormFailure;

/** Validates a form against a zod schema; on failure keeps what the person typed. */
export function parseForm<S extends z.ZodType>(form: FormData, schema: S): ParseResult<z.output<S>> {
  const values = formValues(form);
  const result = schema.safeParse(values);
  if (result.success) return { ok: true, data: result.data };
  const fieldErrors: FieldErrors = {};
  for (const issue of result.error.issues) {
    const key = String(issue.path[0] ?? "_form");
    fieldErrors[key] ??= issue.message;
  }
  const { password: _p, new_password: _n, confirm_password: _c, current_password: _cur, ...safeValues } = values;
  return { ok: false, fieldErrors, values: safeValues, formError: fieldErrors._form };
}

export function invalid(failure: FormFailure, status = 400) {
  return json(failure, { status });
}
