// What a correspondent's item must look like when it is saved: limits, the body's paragraph
// form, the event-date window, and the form's zod schema (shared by the actions and the pages).
// Pure: "today" is passed in, facts from the database (active categories, the unit's people)
// are checked by the model.
import { z } from "zod";
import { daysBetween } from "./time";
import { formTokenField, idField, isBlank, parseId } from "./fields";

export const ITEM_LIMITS = {
  titleMax: 80,
  bodyMax: 10_000,
  captionMax: 60,
  /** Photos per item. */
  photosMax: 9,
  /** Bytes per uploaded photo file. */
  photoBytesMax: 8 * 1024 * 1024,
  /** An event older than this many days is not news any more. */
  eventDateMaxAgeDays: 366,
  /** New-photo slots on one form (file input + caption each). */
  photoSlots: 9,
} as const;

export const PHOTO_MIME_TYPES = ["image/jpeg", "image/png", "image/webp"] as const;
export type PhotoMime = (typeof PHOTO_MIME_TYPES)[number];

/**
 * The stored form of a body: one paragraph per line typed, blank lines between paragraphs.
 * People type one line per paragraph (often indented with full-width spaces); the indent is
 * the page's job, so lines are trimmed and empty lines dropped.
 */
export function normalizeBody(raw: string): string {
  return raw
    .replace(/\r\n?/g, "\n")
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "")
    .join("\n\n");
}

export function isCalendarDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const ms = Date.parse(`${value}T00:00:00Z`);
  return !Number.isNaN(ms) && new Date(ms).toISOString().slice(0, 10) === value;
}

/** The earliest event date accepted on `today`. */
export function earliestEventDate(today: string): string {
  const ms = Date.parse(`${today}T00:00:00Z`) - ITEM_LIMITS.eventDateMaxAgeDays * 86_400_000;
  return new Date(ms).toISOString().slice(0, 10);
}

/**
 * Characters that change the order text is shown in: the bidirectional embeddings, overrides and
 * isolates (U+202A–U+202E, U+2066–U+2069). Chinese news never needs them, and with them an item
 * shows its readers words that the 错敏词 check, which reads the text in the order it is stored,
 * never sees: "学习\u202E密机\u202C文件" reads 学习机密文件 on every page, yet holds no 机密, and was
 * sent on. (The marks U+200E and U+200F alone do not reorder Chinese, and the check skips them.)
 */
export const REORDERING = /[\u202A-\u202E\u2066-\u2069]/;

/** A caption as stored: trimmed, and empty when nothing in it would show. */
export function normalizeCaption(raw: string): string {
  return isBlank(raw) ? "" : raw.trim();
}

function reorderingProblem(label: string, text: string): string | null {
  return REORDERING.test(text) ? `${label}含有改变文字显示顺序的控制字符（如“从右到左覆盖”），请删去后重新填写` : null;
}

export function titleProblem(title: string): string | null {
  if (isBlank(title)) return "请填写标题";
  if ([...title.trim()].length > ITEM_LIMITS.titleMax) return `标题不能超过 ${ITEM_LIMITS.titleMax} 个字`;
  return reorderingProblem("标题", title);
}

/** Checks a normalized body. */
export function bodyProblem(body: string): string | null {
  if (isBlank(body)) return "请填写正文";
  if ([...body].length > ITEM_LIMITS.bodyMax) return `正文不能超过 ${ITEM_LIMITS.bodyMax} 个字`;
  return reorderingProblem("正文", body);
}

/** `today` is the Asia/Shanghai calendar date. */
export function eventDateProblem(date: string, today: string): string | null {
  if (date.trim() === "") return "请填写事件日期";
  if (!isCalendarDate(date)) return "请填写正确的事件日期（年-月-日）";
  if (date > today) return "事件日期不能晚于今天";
  if (daysBetween(date, today) > ITEM_LIMITS.eventDateMaxAgeDays) return "事件日期不能早于一年前";
  return null;
}

export function captionProblem(caption: string): string | null {
  if ([...caption.trim()].length > ITEM_LIMITS.captionMax) return `图片说明不能超过 ${ITEM_LIMITS.captionMax} 个字`;
  return reorderingProblem("图片说明", caption);
}

export interface DraftFields {
  title: string;
  body: string;
  category_id: number;
  channel_id: number;
  event_date: string;
  bylines: number[];
  /** The 报送要点 tagged (null: none; undefined: left as it is). Checked against the month by the model. */
  theme_id?: number | null;
  /** The 约稿 the item answers (absent: left as it is; null: none). */
  request_id?: number | null;
}

/** Every problem of a draft's own fields, keyed by form field name. */
export function draftProblems(input: DraftFields, today: string): Record<string, string> {
  const problems: Record<string, string> = {};
  const add = (field: string, problem: string | null) => {
    if (problem) problems[field] = problem;
  };
  add("title", titleProblem(input.title));
  add("body", bodyProblem(input.body));
  add("category_id", Number.isSafeInteger(input.category_id) && input.category_id > 0 ? null : "请选择栏目");
  add("channel_id", Number.isSafeInteger(input.channel_id) && input.channel_id > 0 ? null : "请选择投送频道");
  add("event_date", eventDateProblem(input.event_date, today));
  add("bylines", input.bylines.every((id) => Number.isSafeInteger(id) && id > 0) ? null : "署名作者无效，请重新选择");
  return problems;
}

// ---------------------------------------------------------------------------------------------
// The form

export const ITEM_INTENTS = ["save", "submit"] as const;
export type ItemIntent = (typeof ITEM_INTENTS)[number];

/** The raw fields of the item form, as read from the submitted body. */
export interface ItemFormRaw {
  title?: string;
  body?: string;
  category_id?: string;
  channel_id?: string;
  event_date?: string;
  bylines: string[];
  theme_id?: string;
  confidential_checked?: string;
  intent?: string;
  version?: string;
  /** The new-item form's one-time token. */
  form_token?: string;
  /** The 约稿 the item answers (hidden on the form). */
  request_id?: string;
  /** caption_<slot> of new photos. */
  captions: Record<string, string>;
  /** photo_caption_<photo id> of photos already saved. */
  photo_captions: Record<string, string>;
  remove_photo: string[];
}

/** What the page puts back into the form after a refusal. */
export interface ItemFormValues {
  title: string;
  body: string;
  category_id: string;
  channel_id: string;
  event_date: string;
  bylines: string[];
  theme_id?: string;
  confidential_checked: boolean;
  captions: Record<string, string>;
  photo_captions: Record<string, string>;
  remove_photo: string[];
}

export function formValuesOf(raw: ItemFormRaw): ItemFormValues {
  return {
    title: raw.title ?? "",
    body: raw.body ?? "",
    category_id: raw.category_id ?? "",
    channel_id: raw.channel_id ?? "",
    event_date: raw.event_date ?? "",
    bylines: raw.bylines,
    theme_id: raw.theme_id ?? "",
    confidential_checked: isTicked(raw.confidential_checked),
    captions: raw.captions,
    photo_captions: raw.photo_captions,
    remove_photo: raw.remove_photo,
  };
}

function isTicked(v: string | undefined): boolean {
  return v === "1" || v === "on" || v === "true";
}

const check = (problem: (v: string) => string | null) => (value: string, ctx: z.RefinementCtx) => {
  const message = problem(value);
  if (message) ctx.addIssue({ code: "custom", message });
};

const caption = () => z.string().transform(normalizeCaption).superRefine(check(captionProblem));

/** The item form's schema for the day it was last asked for (see builtOnce: building one costs far more than a check). */
let itemForm: { today: string; schema: ReturnType<typeof buildItemFormSchema> } | undefined;

/** The item form's schema; `today` (Asia/Shanghai) bounds the event date. */
export function itemFormSchema(today: string) {
  if (itemForm?.today !== today) itemForm = { today, schema: buildItemFormSchema(today) };
  return itemForm.schema;
}

function buildItemFormSchema(today: string) {
  return z.object({
    title: z.string({ error: "请填写标题" }).trim().superRefine(check(titleProblem)),
    body: z.string({ error: "请填写正文" }).transform(normalizeBody).superRefine(check(bodyProblem)),
    category_id: idField("请选择栏目"),
    channel_id: idField("请选择投送频道"),
    event_date: z.string({ error: "请填写事件日期" }).trim().superRefine(check((d) => eventDateProblem(d, today))),
    bylines: z.array(idField("署名作者无效，请重新选择")).max(50, "署名作者太多"),
    // Optional: absent leaves the tag as it is, empty removes it.
    theme_id: z
      .string()
      .optional()
      .transform((v) => (v === undefined ? undefined : v.trim() === "" ? null : (parseId(v.trim()) ?? NaN)))
      .refine((v) => v === undefined || v === null || Number.isSafeInteger(v), "请选择有效的报送要点"),
    confidential_checked: z.string().optional().transform(isTicked),
    intent: z.enum(ITEM_INTENTS, { error: "未知的操作，请刷新页面后重试。" }),
    version: z
      .string()
      .optional()
      .transform((v) => (v === undefined || v.trim() === "" ? undefined : (parseId(v.trim()) ?? NaN)))
      .refine((v) => v === undefined || (Number.isSafeInteger(v) && v > 0), "页面已过期，请刷新后重试。"),
    form_token: formTokenField(),
    captions: z.record(z.string(), caption()),
    photo_captions: z.record(z.string(), caption()),
    remove_photo: z.array(idField("要删除的图片无效")),
    request_id: z
      .string()
      .optional()
      .transform((v) => (v === undefined || v.trim() === "" ? undefined : (parseId(v.trim()) ?? NaN)))
      .refine((v) => v === undefined || (Number.isSafeInteger(v) && v > 0), "约稿编号无效，请从约稿页面重新进入。"),
  });
}

export type ItemFormData = z.output<ReturnType<typeof itemFormSchema>>;

/** The form field an issue belongs to: captions are named per photo. */
export function fieldOfIssue(path: readonly PropertyKey[]): string {
  const [head, key] = path.map(String);
  if (head === "captions" && key !== undefined) return `caption_${key}`;
  if (head === "photo_captions" && key !== undefined) return `photo_caption_${key}`;
  return head ?? "_form";
}
