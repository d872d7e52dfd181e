// Reading and validating submitted forms: bad input is a 400 with a message per field,
// a body that cannot be parsed (or that is not clean UTF-8 text, or repeats a name) is a 400,
// a content type no form uses is a 415.
import { data } from "@remix-run/node";
import { z } from "zod";
import { NOT_IN_TEXT } from "~/domain/fields";
import { readMultipart, UploadNotStored, UploadRefused, type FileRules } from "~/lib/uploads.server";

export { UPLOADS_DIR, withUploadDir, type FileRules } from "~/lib/uploads.server";

export type FieldErrors = Record<string, string>;

/** The one shape of a refused form submission that every page reads (see action-data.server.ts). */
export interface FormFailure {
  ok: false;
  /** Which of the page's forms was sent (pages with several). */
  intent?: string;
  /** A message for the form as a whole (none when a field shows it). */
  formError?: string;
  fieldErrors: FieldErrors;
  /** What the person typed, to put back into the form (never passwords). */
  values: Record<string, string>;
  /** Someone else acted first, or a rule forbids it now (409): the page reloads what changed. */
  conflict?: boolean;
}

export function badRequest(message: string, status = 400) {
  return data({ ok: false as const, formError: message, fieldErrors: {}, values: {} } satisfies FormFailure, { status });
}

export interface ReadFormOptions {
  /** Names the form sends more than once on purpose (a group of checkboxes); any other name may appear once. */
  repeatable?: readonly string[];
  /** Where and how many files a multipart form may bring; without it files count as text. */
  files?: FileRules;
}

export const UNREADABLE_MESSAGE = "提交的内容含有无法识别的字符，请检查编码后重新提交。";
export const DUPLICATE_MESSAGE = "提交的内容有重复的项目，请刷新页面后重新提交。";

// U+FFFD is what the body decoder leaves in place of bytes that are not UTF-8, so text carrying it
// would be stored garbled. NUL and the C0 controls (other than tab, LF and CR) and U+FFFE / U+FFFF
// never come from a keyboard and break exports and the notice documents (NOT_IN_TEXT).
const UNREADABLE = new RegExp(`${NOT_IN_TEXT.source}|\uFFFD`);

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
    if (error instanceof UploadRefused) throw badRequest(error.message, error.status);
    // The disk failed, not the sender: a 500, not their fault.
    if (error instanceof UploadNotStored) throw error.cause;
    // The multipart parser decodes part headers as UTF-8 and throws a URIError when they are not.
    throw badRequest(error instanceof URIError ? UNREADABLE_MESSAGE : UNPARSABLE_MESSAGE);
  }
  return assertReadableForm(form, options);
}

const UNPARSABLE_MESSAGE = "提交的内容无法解析，请刷新页面后重试。";

/** The form's text fields as a plain object (first value of each name). */
export function formValues(form: FormData): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [key, value] of form.entries()) {
    if (typeof value === "string" && !(key in values)) values[key] = value;
  }
  return values;
}

/** Fields whose typed value is never sent back to the page. */
const SECRET_FIELDS = new Set(["password", "new_password", "confirm_password", "current_password"]);

/** What a refused form shows again: what was typed, passwords left out. */
export function echoedValues(values: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).filter(([k]) => !SECRET_FIELDS.has(k)));
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
  return { ok: false, fieldErrors, values: echoedValues(values), formError: fieldErrors._form };
}

export function invalid(failure: FormFailure, status = 400) {
  return data(failure, { status });
}

/**
 * What an edit form showed of the row it changes (its hidden `seen`, app/domain/edit-seen.ts); a
 * post without it (a page from before, a script) is not checked.
 */
export function seenIn(form: FormData): string | undefined {
  const seen = form.get("seen");
  return typeof seen === "string" && seen !== "" ? seen : undefined;
}
