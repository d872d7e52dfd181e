// One refusal for the whole portal: why something was not done, as the HTTP status a page answers
// with, a message a person reads (Chinese) and, when the fault lies in particular fields, a
// message per field. Models return it (or throw it inside a transaction, which rolls the
// transaction back) and one adapter (app/lib/action-data.server.ts) turns it into the action data
// every form reads.

export type RefusalStatus = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 429 | 503;

/** What kind of no it is, from the status: bad input, not allowed, missing, a rule, or wait. */
export type RefusalKind = "invalid" | "unauthorized" | "forbidden" | "not_found" | "conflict" | "too_large" | "unsupported" | "busy";

const KIND: Record<RefusalStatus, RefusalKind> = {
  400: "invalid", 401: "unauthorized", 403: "forbidden", 404: "not_found", 409: "conflict", 413: "too_large", 415: "unsupported",
  429: "busy", 503: "busy",
};

export interface Refusal {
  ok: false;
  status: RefusalStatus;
  message: string;
  /** Messages by form field name; the page shows each beside its field. */
  fieldErrors: Record<string, string>;
  /** Seconds to wait before trying again (429, 503). */
  retryAfterSeconds?: number;
  /** A 409 that is the person's own earlier act found again (a double click, a post sent twice): nothing is wrong. */
  repeated?: true;
}

export function refusalKind(r: Pick<Refusal, "status">): RefusalKind {
  return KIND[r.status];
}

/**
 * A refusal. `field` names the one field at fault (its message is the refusal's own); several
 * fields go in `fieldErrors`.
 */
export function refusal(
  status: RefusalStatus,
  message: string,
  extra: { field?: string; fieldErrors?: Record<string, string>; retryAfterSeconds?: number } = {},
): Refusal {
  const fieldErrors = { ...(extra.fieldErrors ?? {}), ...(extra.field ? { [extra.field]: message } : {}) };
  return extra.retryAfterSeconds === undefined
    ? { ok: false, status, message, fieldErrors }
    : { ok: false, status, message, fieldErrors, retryAfterSeconds: extra.retryAfterSeconds };
}

/** The first field a refusal blames (the one a form focuses), or null. */
export function blamedField(r: Pick<Refusal, "fieldErrors">): string | null {
  return Object.keys(r.fieldErrors)[0] ?? null;
}

/** A refusal thrown inside a unit of work; `settle` turns it back into a value. */
export class Refused extends Error {
  constructor(readonly refusal: Refusal) {
    super(refusal.message);
    this.name = "Refused";
  }
}

/** Throws a refusal (inside a transaction: rolls it back). */
export function refuse(
  status: RefusalStatus,
  message: string,
  extra: { field?: string; fieldErrors?: Record<string, string>; retryAfterSeconds?: number } = {},
): never {
  throw new Refused(refusal(status, message, extra));
}

/** Runs a unit of work; a refusal it throws is returned as a value, anything else is thrown on. */
export async function settle<T>(work: () => Promise<T>): Promise<T | Refusal> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof Refused) return error.refusal;
    throw error;
  }
}

/**
 * The error page's title and usual message for a status (the root's error page and the page that
 * routes without one answer with, app/lib/resource-route.server.ts); a refusal's own message, when
 * it has one, is shown instead of the usual one.
 */
export const ERROR_PAGE_TEXT: Readonly<Record<number, { title: string; message: string }>> = {
  400: { title: "请求有误", message: "提交的内容无法处理，请检查后重试。" },
  401: { title: "需要登录", message: "请先登录后再访问。" },
  403: { title: "没有权限", message: "您没有权限访问此页面。如需开通，请联系管理员。" },
  404: { title: "页面不存在", message: "您要找的内容不存在或已被删除。" },
  405: { title: "不支持的操作", message: "此页面不支持该操作。" },
  409: { title: "操作冲突", message: "该内容已被他人处理，请刷新后查看最新状态。" },
  413: { title: "内容过大", message: "提交的内容超过上限，请缩小后重试。" },
  415: { title: "格式不支持", message: "不支持的提交格式，请通过页面表单提交。" },
  429: { title: "操作过于频繁", message: "请稍后再试。" },
  500: { title: "系统错误", message: "服务器出现错误，请稍后再试。如果问题持续出现，请联系管理员。" },
};

/** The message of a refused answer's data (every refusal carries the form failure shape: its `formError`), or "". */
export function formErrorOf(value: unknown): string {
  const formError = typeof value === "object" && value !== null ? (value as { formError?: unknown }).formError : undefined;
  return typeof formError === "string" ? formError : "";
}
