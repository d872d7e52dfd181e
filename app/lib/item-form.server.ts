// Reading the item form (new and edit pages): text fields through the shared zod schema,
// photo files from their slots (photo_<n>, caption_<n>) streamed to the request's upload
// directory, an oversized file refused with 413 before anything else is looked at.
import { data } from "@remix-run/node";
import {
  fieldOfIssue, formValuesOf, ITEM_LIMITS, itemFormSchema, type ItemFormData, type ItemFormRaw, type ItemFormValues,
} from "~/domain/item-form";
import { shanghaiDate } from "~/domain/time";
import { readForm, type FileRules } from "~/lib/form.server";
import type { DraftInput, DraftRefusal, UploadedPhoto } from "~/models/item-drafts.server";
import { PHOTO_RULES, photoSizeProblem } from "~/models/photos.server";

export interface ItemFormFailure {
  ok: false;
  formError?: string;
  fieldErrors: Record<string, string>;
  /** What the person typed; null when the draft was saved and the page should show what is stored. */
  values: ItemFormValues | null;
  /** True when the draft was saved but the submission that followed was refused. */
  saved?: boolean;
}

export type ItemFormRead =
  | { ok: true; data: ItemFormData; uploads: UploadedPhoto[]; values: ItemFormValues }
  | { ok: false; response: ReturnType<typeof itemFormFailure> };

const text = (form: FormData, name: string): string | undefined => {
  const v = form.get(name);
  return typeof v === "string" ? v : undefined;
};

function rawOf(form: FormData): ItemFormRaw {
  const captions: Record<string, string> = {};
  const photoCaptions: Record<string, string> = {};
  for (const [key, value] of form.entries()) {
    if (typeof value !== "string") continue;
    const slot = /^caption_([1-9])$/.exec(key);
    if (slot && Number(slot[1]) <= ITEM_LIMITS.photoSlots) captions[slot[1]] = value;
    const saved = /^photo_caption_(\d{1,9})$/.exec(key);
    if (saved) photoCaptions[saved[1]] = value;
  }
  const strings = (name: string) => form.getAll(name).filter((v): v is string => typeof v === "string");
  return {
    title: text(form, "title"),
    body: text(form, "body"),
    category_id: text(form, "category_id"),
    channel_id: text(form, "channel_id"),
    event_date: text(form, "event_date"),
    bylines: strings("bylines"),
    theme_id: text(form, "theme_id"),
    confidential_checked: text(form, "confidential_checked"),
    intent: text(form, "intent"),
    version: text(form, "version"),
    form_token: text(form, "form_token"),
    request_id: text(form, "request_id"),
    captions,
    photo_captions: photoCaptions,
    remove_photo: strings("remove_photo"),
  };
}

export function itemFormFailure(failure: Omit<ItemFormFailure, "ok">, status: number) {
  return data({ ok: false as const, ...failure } satisfies ItemFormFailure, { status });
}

/**
 * Reads and validates the item form; a refusal comes back as the response to send. Photo files
 * are written under `uploadDir` (see withUploadDir), which must outlive the model call using them.
 */
export async function readItemForm(request: Request, uploadDir: string, now = new Date()): Promise<ItemFormRead> {
  const rules: FileRules = { dir: uploadDir, maxFileBytes: PHOTO_RULES.maxBytes, maxFiles: ITEM_LIMITS.photoSlots, oversize: [] };
  // Bylines and photos to remove are checkbox groups: the only names the item form repeats.
  const form = await readForm(request, { repeatable: ["bylines", "remove_photo"], files: rules });
  const raw = rawOf(form);
  const values = formValuesOf(raw);

  const files: Array<{ slot: number; file: File }> = [];
  for (let slot = 1; slot <= ITEM_LIMITS.photoSlots; slot++) {
    const v = form.get(`photo_${slot}`);
    // An empty file input still sends a part: no name, no bytes.
    if (v !== null && typeof v !== "string" && (v.size > 0 || v.name !== "")) files.push({ slot, file: v });
  }
  for (const { field, filename } of rules.oversize) {
    const tooBig = photoSizeProblem(PHOTO_RULES.maxBytes + 1, filename)!;
    return { ok: false, response: itemFormFailure({ formError: tooBig.message, fieldErrors: { [field]: tooBig.message }, values }, 413) };
  }

  const parsed = itemFormSchema(shanghaiDate(now)).safeParse(raw);
  if (!parsed.success) {
    const fieldErrors: Record<string, string> = {};
    for (const issue of parsed.error.issues) fieldErrors[fieldOfIssue(issue.path)] ??= issue.message;
    const formError = fieldErrors.intent ?? fieldErrors.version ?? fieldErrors.form_token ?? fieldErrors._form ?? fixThenRetry(raw.intent);
    return { ok: false, response: itemFormFailure({ formError, fieldErrors, values }, 400) };
  }
  const uploads: UploadedPhoto[] = [];
  for (const { slot, file } of files) {
    uploads.push({ slot, name: file.name, file, caption: parsed.data.captions[String(slot)] ?? "" });
  }
  return { ok: true, data: parsed.data, uploads, values };
}

/** The form's summary when fields need changing, in the words of the button that was pressed. */
export function fixThenRetry(intent: string | undefined): string {
  return intent === "submit" ? "请按提示修改后再报送。" : "请按提示修改后再保存。";
}

/** A model's refusal as the form's response, keeping what was typed. */
export function draftRefusalResponse(result: DraftRefusal, values: ItemFormValues) {
  return itemFormFailure({ formError: result.message, fieldErrors: result.fieldErrors, values }, result.status);
}

/** The draft's own fields out of the parsed form. */
export function draftInputOf(data: ItemFormData): DraftInput {
  return {
    title: data.title, body: data.body, category_id: data.category_id, channel_id: data.channel_id,
    event_date: data.event_date, bylines: data.bylines,
    ...(data.theme_id !== undefined ? { theme_id: data.theme_id } : {}),
    ...(data.request_id !== undefined ? { request_id: data.request_id } : {}),
  };
}

/** The flash after a successful 报送, by where the item went. */
export function submittedMessage(to: string): string {
  return to === "pending_school" ? "已报送，等待分管领导签发" : "已报送教体局，等待审核";
}
