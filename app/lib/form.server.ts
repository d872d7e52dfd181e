// Reading and validating submitted forms: bad input is a 400 with a message per field,
// a body that cannot be parsed is a 400, a content type no form uses is a 415.
import { json } from "@remix-run/node";
import { z } from "zod";

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

/** Reads a urlencoded or multipart body; throws a Chinese 400/415 response when it cannot. */
export async function readForm(request: Request): Promise<FormData> {
  const type = (request.headers.get("content-type") ?? "").toLowerCase();
  if (!type.startsWith("application/x-www-form-urlencoded") && !type.startsWith("multipart/form-data")) {
    throw badRequest("不支持的提交格式，请通过页面表单提交。", 415);
  }
  try {
    return await request.formData();
  } catch {
    throw badRequest("提交的内容无法解析，请刷新页面后重试。");
  }
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
