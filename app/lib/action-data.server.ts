// The one adapter from a refusal (app/domain/refusal.ts) to what a page's action answers: 404 and
// 403 as the portal's error pages, anything else as the action data every form reads
// (FormFailure: a message for the form, messages per field, what the person typed), with the
// refusal's status and, for "wait" answers, a Retry-After header.
import { data, type HeadersFunction } from "@remix-run/node";
import type { z } from "zod";
import { TOGGLE_INTENTS } from "~/domain/directory";
import type { SessionUser } from "~/domain/permissions";
import type { Refusal } from "~/domain/refusal";
import { redirectWithFlash } from "~/lib/flash.server";
import { echoedValues, formValues, invalid, parseForm, type FormFailure } from "~/lib/form.server";
import { forbidden, notFound } from "~/lib/session.server";
import type { ScopedActor } from "~/models/audit.server";

export interface FailureContext {
  /** Which of the page's forms was sent. */
  intent?: string;
  /** The submitted form, whose values go back to the page (or `values`, when only some should). */
  form?: FormData;
  values?: Record<string, string>;
  /**
   * The fields the page's form shows messages beside; a message for any other field is shown as
   * the form's message. Unset: the form shows every field it was sent.
   */
  shows?: readonly string[];
}

/**
 * The form message is the refusal's own unless a field the page shows already carries it; a
 * conflict (409: someone else acted first, or a rule forbids it now) is marked so the page can
 * reload what changed.
 */
export function failureOf(r: Refusal, context: FailureContext = {}): FormFailure {
  const values = echoedValues(context.values ?? (context.form ? formValues(context.form) : {}));
  const shown = (field: string) => (context.shows ? context.shows.includes(field) : true);
  const shownByField = Object.entries(r.fieldErrors).some(([field, message]) => message === r.message && shown(field));
  return {
    ok: false,
    ...(context.intent !== undefined ? { intent: context.intent } : {}),
    ...(shownByField ? {} : { formError: r.message }),
    fieldErrors: r.fieldErrors,
    values,
    ...(r.status === 409 ? { conflict: true } : {}),
  };
}

export function refused(r: Refusal, context: FailureContext = {}) {
  if (r.status === 404) notFound(r.message);
  if (r.status === 403) forbidden(r.message);
  const headers: Record<string, string> = {};
  if (r.retryAfterSeconds !== undefined) headers["Retry-After"] = String(Math.max(1, Math.ceil(r.retryAfterSeconds)));
  return data(failureOf(r, context), { status: r.status, headers });
}

/**
 * The `headers` of a page whose action may answer "wait" (429 with Retry-After). Under single
 * fetch only cookies pass from action data to the response by themselves, for the document
 * (no JavaScript) and the `.data` answer (JavaScript) alike; this passes Retry-After on too.
 */
export const retryAfterHeaders: HeadersFunction = ({ actionHeaders, errorHeaders }) => {
  const wait = actionHeaders.get("Retry-After") ?? errorHeaders?.get("Retry-After");
  return new Headers(wait ? { "Retry-After": wait } : undefined);
};

/**
 * The common action of a form: read against `schema` (a 400 with a message per field, nothing
 * written), then `write` what it yields; a refusal is answered through `refused`, a success by
 * `done` (usually a redirect with a flash). `sent` is the form as sent when `form` is a reading of
 * it (a unit typed as text, read into its id: lib/typed-unit.server.ts): a refusal shows what was typed.
 */
export async function submitForm<S extends z.ZodType, R extends { ok: true }>(
  form: FormData,
  { schema, intent, write, done, sent = form }: {
    schema: S;
    sent?: FormData;
    /** Which of the page's forms was sent (pages with several). */
    intent?: string;
    write: (input: z.output<S>) => Promise<R | Refusal>;
    done: (result: R, input: z.output<S>) => Response | Promise<Response>;
  },
) {
  const parsed = parseForm(form, schema);
  if (!parsed.ok) {
    const failure = { ...parsed, values: echoedValues(formValues(sent)) };
    return invalid(intent === undefined ? failure : { ...failure, intent });
  }
  const result = await write(parsed.data);
  if (!result.ok) return refused(result, { intent, form: sent });
  return done(result, parsed.data);
}

/** The flash message after a toggle; `stopped` says what a deactivation leaves in place. */
export function toggledMessage(noun: string, active: boolean, changed: boolean, stopped: string): string {
  if (!changed) return `该${noun}本来就是${active ? "启用" : "停用"}状态`;
  return active ? `${noun}已启用` : stopped;
}

/**
 * The intents "deactivate" and "reactivate" of a unit's or an account's page (components/active-toggle.tsx):
 * null for any other intent; otherwise the refusal, or back to `href` saying what happened.
 */
export async function answerToggle(
  intent: string,
  form: FormData,
  { noun, href, stopped, set }: { noun: string; href: string; stopped: string; set: (active: boolean) => Promise<{ ok: true; changed: boolean } | Refusal> },
) {
  if (!(TOGGLE_INTENTS as readonly string[]).includes(intent)) return null;
  const active = intent === "reactivate";
  const result = await set(active);
  if (!result.ok) return refused(result, { intent, form });
  return redirectWithFlash(href, toggledMessage(noun, active, result.changed, stopped));
}

/** The signed-in person as the models' writes name them (id, username, role, unit) with the request's address. */
export function actorOf(user: SessionUser, context: { ip: string }): ScopedActor {
  return { id: user.id, username: user.username, role: user.role, unitId: user.unitId, ip: context.ip };
}
