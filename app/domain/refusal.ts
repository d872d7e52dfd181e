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
