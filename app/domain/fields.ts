// Zod building blocks for form fields, with Chinese messages. Client-safe, so a form's
// schema can be shared by its action and its page.
import { z } from "zod";

/**
 * A form's schema, built on first use and then kept (schemas never change once built). zod takes
 * about half a millisecond to build the item form's schema and fifteen microseconds to check a form
 * with it, so building one per request cost every save far more than the check. Built on use, not
 * when the module loads, so a page's browser bundle that imports the module for something else
 * carries no schema.
 */
export function builtOnce<T>(build: () => T): () => T {
  let built: T | undefined;
  return () => (built ??= build());
}

/**
 * When a whole-form check (a `superRefine` on the form's object) runs. By default zod runs it only
 * if every field passed, so a form with an empty topic and a deadline in the past was told only of
 * the topic, and then, once that was fixed, of the deadline. With this it runs whenever the fields
 * it reads passed (and the form is an object at all), so one submission hears of every problem.
 */
export function whenPassed(fields: readonly string[]): { when: (payload: { issues: ReadonlyArray<{ path?: ReadonlyArray<PropertyKey> }> }) => boolean } {
  const read = new Set<PropertyKey>(fields);
  return { when: (payload) => payload.issues.every((issue) => !!issue.path?.length && !read.has(issue.path[0])) };
}

/**
 * Characters no text of the portal may hold: the C0 controls other than tab, LF and CR, and
 * U+FFFE / U+FFFF. None comes from a keyboard, XML 1.0 cannot carry any of them, and one in a
 * title or a unit's name made the Word notices and bulletins and the Excel sheets unreadable. Forms
 * refuse them on arrival (app/lib/form.server.ts); the text fields refuse them again for what does
 * not come from a form (a spreadsheet imported, a value typed into a CSV).
 */
export const NOT_IN_TEXT = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;

const unreadable = (label: string) => ({ error: `${label}含有无法识别的字符，请删去后重新填写` });

/**
 * Characters that take no room on a page: whitespace, format characters (zero-width space and
 * joiners U+200B–U+200D, word joiner U+2060, byte-order mark U+FEFF, soft hyphen, direction marks…)
 * and the other default-ignorable ones (Hangul fillers U+3164 and U+FFA0, variation selectors).
 * A title or a name typed or pasted as nothing but these shows as nothing.
 */
const INVISIBLE = /[\p{White_Space}\p{Cf}\p{Default_Ignorable_Code_Point}]/gu;

/** True when a reader would see nothing in the text. */
export function isBlank(text: string): boolean {
  return text.replace(INVISIBLE, "") === "";
}

/** A required, trimmed text field with a Chinese message; one a reader would see nothing in counts as empty. */
export function text(label: string, max = 200) {
  return z
    .string({ error: `请填写${label}` })
    .trim()
    .min(1, `请填写${label}`)
    .refine((v) => v === "" || !isBlank(v), `请填写${label}`)
    .max(max, `${label}不能超过 ${max} 个字`)
    .refine((v) => !NOT_IN_TEXT.test(v), unreadable(label));
}

export function optionalText(label: string, max = 200) {
  return z
    .string()
    .trim()
    .max(max, `${label}不能超过 ${max} 个字`)
    .refine((v) => !NOT_IN_TEXT.test(v), unreadable(label))
    .optional()
    .default("");
}

/**
 * A row id as a form or an address gives it: 1–9 digits, above zero, else null. Number() alone
 * would also read "0x10" or "1e1" (as 16 and 10) and so reach a row nobody chose.
 */
export function parseId(value: unknown): number | null {
  if (typeof value !== "string" || !/^\d{1,9}$/.test(value)) return null;
  const id = Number(value);
  return id > 0 ? id : null;
}

/** `value` as an id by {@link parseId}'s rule, or an issue with `message` on the field being read. */
export function idOrIssue(value: string, ctx: z.RefinementCtx, message: string): number {
  const id = parseId(value);
  if (id !== null) return id;
  ctx.addIssue({ code: "custom", message });
  return z.NEVER;
}

/** A required id field (a select of rows): {@link parseId}'s rule, with the message to show. */
export function idField(message: string) {
  return z
    .string({ error: message })
    .trim()
    .refine((v) => parseId(v) !== null, message)
    .transform(Number);
}

/**
 * The one-time token of a form that creates something (a new item, a 约稿): a second post of the
 * same form (a double click, a resend after a slow answer, the back button) finds what the first
 * created instead of creating it again. Optional (a page from before the token sends none); a
 * malformed one is a stale or forged page.
 */
export function formTokenField() {
  return z
    .string()
    .optional()
    .transform((v) => (v === undefined || v.trim() === "" ? undefined : v.trim()))
    .refine((v) => v === undefined || /^[A-Za-z0-9-]{16,64}$/.test(v), "页面已过期，请刷新后重试。");
}

