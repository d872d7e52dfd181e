// Writing items: a correspondent creates, edits and deletes drafts of their own unit. Each
// mutation is one transaction (the item, its bylines, its photo rows, one audit row), guarded by
// the item's version; creating with 报送 submits in that same transaction. Photo files are checked
// and written before that transaction begins. The transactions are named writes (payloads of plain
// data): with several processes they run in the primary (named-writes.server.ts).
// The checks live in item-draft-checks.server.ts; reading a draft for its form in
// item-draft-form.server.ts (re-exported here, the routes' one import path).
import { refuse, settle, type Refusal } from "~/domain/refusal";
import type { Kysely, Transaction } from "kysely";
import type { Database, ItemStatus } from "../../db/schema";
import { normalizeCaption, type DraftFields } from "~/domain/item-form";
import { recordAudit } from "~/models/audit.server";
import type { SessionUser } from "~/models/auth.server";
import { transitionItemIn } from "~/models/item-workflow.server";
import { namedWrite } from "~/models/named-writes.server";
import { writePhotoFile, type StoredPhoto } from "~/models/photos.server";
import { checkThemeTag } from "~/models/themes.server";
import {
  bylinesOrAuthor, checkCaptions, checkFields, checkPhotoCount, checkReferences, checkTicked, currentBylines, editableItem,
  insertPhotoRows, preparePhotos, STALE, takePhotoBytes,
} from "~/models/item-draft-checks.server";

export { draftForEdit, draftFormOptions, type DraftForEdit, type DraftFormOptions } from "~/models/item-draft-form.server";

type DB = Kysely<Database>;
type Trx = Transaction<Database>;

export type DraftInput = DraftFields;

/** A file from the form: which slot it came in, its name (for messages), its bytes, its caption. */
export interface UploadedPhoto {
  slot: number;
  name: string;
  /** The uploaded bytes, usually a file on disk: read one photo at a time while preparing. */
  file: Blob;
  caption: string;
}

export interface PhotoChanges {
  add: UploadedPhoto[];
  /** Ids of the item's photos to take off it. */
  remove: number[];
  /** New captions of the item's photos, by photo id. */
  captions: Record<number, string>;
}

export interface DraftOptions {
  /** Where photo files live (`${dataDir}/photos/…`). */
  dataDir: string;
  now?: Date;
  ip?: string;
}

/** Why a draft was not saved, created or deleted. */
export type DraftRefusal = Refusal;
export type DraftResult = { ok: true; itemId: number; version: number } | DraftRefusal;



// ---------------------------------------------------------------------------------------------
// Creating

export interface NewItemOptions extends DraftOptions {
  /**
   * The new-item form's one-time token. A second post of the same form (a double click, a resubmit
   * after a slow network, the back button) finds the item the first post created and is answered
   * as that one was, instead of creating another.
   */
  formToken?: string;
  /** 报送 straight away, in the same transaction as the creation. */
  submit?: { confidentialChecked: boolean };
  /**
   * Where the checks before the write transaction read (the read-only pool), so they do not queue
   * behind other writers; everything is checked again inside the transaction.
   */
  reader?: DB;
}

/** How the form answers: the same for a repeated post of a form as for its first post. */
export type NewItemAnswer =
  | { kind: "saved" }
  | { kind: "submitted"; to: ItemStatus }
  /** Saved, but the 报送 that followed was refused: the person carries on from the draft's edit page. */
  | { kind: "not_submitted"; status: number; message: string }
  /** A repeated post of a form whose item has since been edited or moved on: shown as it stands. */
  | { kind: "already_created" };

export type NewItemResult = { ok: true; itemId: number; repeated: boolean; answer: NewItemAnswer } | DraftRefusal;

export async function createItem(
  db: DB,
  actor: SessionUser,
  input: DraftInput,
  photos: readonly UploadedPhoto[],
  options: NewItemOptions,
): Promise<NewItemResult> {
  const now = options.now ?? new Date();
  const token = options.formToken;
  return settle(async () => {
    if (actor.role !== "correspondent" || actor.unitId === null) refuse(403, "只有信息员可以撰写稿件。");
    const unitId = actor.unitId;
    const bylines = bylinesOrAuthor(input.bylines, actor.id);
    if (options.submit) checkTicked(options.submit.confidentialChecked);
    checkFields(input, now);
    checkPhotoCount(photos.length);
    checkCaptions(photos.map((p) => [`caption_${p.slot}`, p.caption]));
    const reader = options.reader ?? db;
    await checkReferences(reader, unitId, input, bylines, []);
    await checkThemeTag(reader, input.theme_id, { reportMonth: null, themeId: null }, now);
    // A form already handled had its photos stored by its first post: nothing to check or write.
    const seen = token && photos.length > 0 ? await itemOfFormToken(reader, actor.id, token) : undefined;
    const prepared = seen ? [] : await preparePhotos(photos);
    await takePhotoBytes(actor.id, prepared, now);
    const stored: StoredPhotos = [];
    for (const p of prepared) stored.push({ photo: await writePhotoFile(options.dataDir, p.photo), caption: p.caption });
    return createWrite(db, { actor, unitId, input, bylines, photos: stored, token, seen: !!seen, submit: options.submit, ip: options.ip, now });
  });
}

/** Photos whose files are written: what their rows need. */
type StoredPhotos = Array<{ photo: StoredPhoto; caption: string }>;

/** What the creation's transaction needs, checked and prepared before it; `seen`: the form's item was found before it. */
interface CreatePayload {
  actor: SessionUser; unitId: number; input: DraftInput; bylines: number[]; photos: StoredPhotos;
  token: string | undefined; seen: boolean; submit: NewItemOptions["submit"]; ip: string | undefined; now: Date;
}

const createWrite = namedWrite(
  "item-create",
  async (trx, { actor, unitId, input, bylines, photos, token, seen, submit, ip, now }: CreatePayload): Promise<Extract<NewItemResult, { ok: true }>> => {
    const at = now.toISOString();
    // Looked up again under the write lock: of two posts of one form, exactly one creates.
    const earlier = token ? await itemOfFormToken(trx, actor.id, token) : undefined;
    if (earlier) return { ok: true as const, itemId: earlier.id, repeated: true, answer: await answerAgain(trx, actor, earlier, submit, ip, now) };
    if (seen) refuse(409, "用此表单创建的稿件已被删除，请刷新页面后重新填写。");

    await checkReferences(trx, unitId, input, bylines, []);
    await checkThemeTag(trx, input.theme_id, { reportMonth: null, themeId: null }, now);
    const { id } = await trx
      .insertInto("items")
      .values({
        unit_id: unitId, title: input.title.trim(), body: input.body, category_id: input.category_id,
        channel_id: input.channel_id, event_date: input.event_date, status: "draft", report_month: null,
        first_submitted_at: null, submitted_at: null, grade: null, decided_at: null, decided_by: null,
        created_by: actor.id, created_at: at, updated_at: at, form_token: token ?? null,
        theme_id: input.theme_id ?? null, request_id: input.request_id ?? null,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await trx.insertInto("item_bylines").values(bylines.map((account_id) => ({ item_id: id, account_id }))).execute();
    await insertPhotoRows(trx, id, photos, 0, at);
    await recordAudit(trx, {
      actorId: actor.id, actorName: actor.username, action: "item_created", entityType: "item", entityId: id,
      to: "draft", ip, at, detail: { title: input.title.trim(), photos: photos.length, theme_id: input.theme_id ?? null },
    });
    const answer = submit ? await submitNew(trx, actor, id, submit, ip, now) : ({ kind: "saved" } as const);
    return { ok: true as const, itemId: id, repeated: false, answer };
  },
);

async function itemOfFormToken(db: DB | Trx, authorId: number, token: string) {
  return db
    .selectFrom("items")
    .select(["id", "status", "version", "created_at"])
    .where("created_by", "=", authorId)
    .where("form_token", "=", token)
    .executeTakeFirst();
}

/** 报送 of a draft just created (version 1), at the creation's instant. */
async function submitNew(
  trx: Trx, actor: SessionUser, itemId: number, submit: { confidentialChecked: boolean }, ip: string | undefined, now: Date,
): Promise<NewItemAnswer> {
  const submitted = await transitionItemIn(trx, {
    itemId, action: "submit", actor, expectedVersion: 1, confidentialChecked: submit.confidentialChecked, ip, now,
  });
  return submitted.ok ? { kind: "submitted", to: submitted.to } : { kind: "not_submitted", status: submitted.status, message: submitted.message };
}

/**
 * The answer to a repeated post of a form. Its first post submitted the item if there is a submit
 * event at the item's creation instant; otherwise it only saved (or its 报送 was refused), and a
 * repeated 报送 of the still untouched draft is tried again: the same form gets the same answer.
 */
async function answerAgain(
  trx: Trx,
  actor: SessionUser,
  item: { id: number; status: ItemStatus; version: number; created_at: string },
  submit: NewItemOptions["submit"],
  ip: string | undefined,
  now: Date,
): Promise<NewItemAnswer> {
  const first = await trx
    .selectFrom("review_events")
    .select("to_status")
    .where("item_id", "=", item.id)
    .where("action", "=", "submit")
    .where("at", "=", item.created_at)
    .orderBy("id")
    .executeTakeFirst();
  if (first) return { kind: "submitted", to: first.to_status };
  if (!submit) return item.status === "draft" ? { kind: "saved" } : { kind: "already_created" };
  if (item.status === "draft" && item.version === 1) return submitNew(trx, actor, item.id, submit, ip, now);
  return { kind: "already_created" };
}

// ---------------------------------------------------------------------------------------------
// Editing

/**
 * Why `actor` may not edit the draft `itemId` at all (whose it is, what state it is in), or null.
 * Asked before the form and its photos are read, so a post to another unit's item, or to one
 * already sent, stores nothing on disk first; the version and the fields are checked on saving.
 */
export async function draftEditRefusal(db: DB, actor: SessionUser, itemId: number): Promise<DraftRefusal | null> {
  const checked = await settle(() => editableItem(db, actor, itemId, undefined));
  return "ok" in checked && checked.ok === false ? checked : null;
}

export async function updateDraft(
  db: DB,
  actor: SessionUser,
  itemId: number,
  expectedVersion: number,
  input: DraftInput,
  changes: PhotoChanges,
  options: DraftOptions,
): Promise<DraftResult> {
  const now = options.now ?? new Date();
  return settle(async () => {
    const item = await editableItem(db, actor, itemId, expectedVersion);
    const unitId = item.unit_id;
    const bylines = bylinesOrAuthor(input.bylines, actor.id);
    checkFields(input, now);

    const existing = await db.selectFrom("photos").select(["id", "sort_order"]).where("item_id", "=", itemId).execute();
    const ids = new Set(existing.map((p) => p.id));
    const remove = [...new Set(changes.remove)].filter((id) => ids.has(id));
    const captions = Object.entries(changes.captions)
      .map(([id, caption]) => [Number(id), caption] as const)
      .filter(([id]) => ids.has(id) && !remove.includes(id));
    checkPhotoCount(existing.length - remove.length + changes.add.length);
    checkCaptions([
      ...captions.map(([id, c]) => [`photo_caption_${id}`, c] as const),
      ...changes.add.map((p) => [`caption_${p.slot}`, p.caption] as const),
    ]);
    const current = await currentBylines(db, itemId);
    await checkReferences(db, unitId, input, bylines, current);
    const tag = { reportMonth: item.report_month, themeId: item.theme_id };
    await checkThemeTag(db, input.theme_id, tag, now);
    const prepared = await preparePhotos(changes.add);
    await takePhotoBytes(actor.id, prepared, now);
    const photos: StoredPhotos = [];
    for (const p of prepared) photos.push({ photo: await writePhotoFile(options.dataDir, p.photo), caption: p.caption });
    const nextOrder = existing.reduce((max, p) => Math.max(max, p.sort_order + 1), 0);
    return updateWrite(db, {
      actor, itemId, expectedVersion, unitId, input, bylines, current, tag, remove, captions, photos, nextOrder,
      ip: options.ip, now,
    });
  });
}

/**
 * What the edit's transaction needs, checked and prepared before it: `current` the bylines as
 * checked, `tag` the item's month and theme as they were, `remove` photo ids to take off.
 */
interface UpdatePayload {
  actor: SessionUser; itemId: number; expectedVersion: number; unitId: number; input: DraftInput; bylines: number[]; current: number[];
  tag: { reportMonth: string | null; themeId: number | null };
  remove: number[]; captions: Array<readonly [number, string]>; photos: StoredPhotos; nextOrder: number; ip: string | undefined; now: Date;
}

const updateWrite = namedWrite(
  "item-update",
  async (trx, p: UpdatePayload): Promise<Extract<DraftResult, { ok: true }>> => {
    const { actor, itemId, expectedVersion, unitId, input, bylines, current, tag, remove, captions, now } = p;
    const at = now.toISOString();
    await checkReferences(trx, unitId, input, bylines, current);
    await checkThemeTag(trx, input.theme_id, tag, now);
    const updated = await trx
      .updateTable("items")
      .set({
        title: input.title.trim(), body: input.body, category_id: input.category_id, channel_id: input.channel_id,
        event_date: input.event_date, version: expectedVersion + 1, updated_at: at,
        ...(input.theme_id !== undefined ? { theme_id: input.theme_id } : {}),
        ...(input.request_id !== undefined ? { request_id: input.request_id } : {}),
      })
      .where("id", "=", itemId)
      .where("version", "=", expectedVersion)
      .where("status", "=", "draft")
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1) refuse(409, STALE);

    await trx.deleteFrom("item_bylines").where("item_id", "=", itemId).execute();
    await trx.insertInto("item_bylines").values(bylines.map((account_id) => ({ item_id: itemId, account_id }))).execute();
    if (remove.length > 0) await trx.deleteFrom("photos").where("item_id", "=", itemId).where("id", "in", remove).execute();
    for (const [id, caption] of captions) {
      await trx.updateTable("photos").set({ caption: normalizeCaption(caption) }).where("id", "=", id).where("item_id", "=", itemId).execute();
    }
    await insertPhotoRows(trx, itemId, p.photos, p.nextOrder, at);
    await recordAudit(trx, {
      actorId: actor.id, actorName: actor.username, action: "item_updated", entityType: "item", entityId: itemId,
      from: "draft", to: "draft", ip: p.ip, at,
      detail: {
        version: expectedVersion + 1, photos_added: p.photos.length, photos_removed: remove.length,
        ...(input.theme_id !== undefined && input.theme_id !== tag.themeId ? { theme_id: { before: tag.themeId, after: input.theme_id } } : {}),
      },
    });
    return { ok: true as const, itemId, version: expectedVersion + 1 };
  },
);

// ---------------------------------------------------------------------------------------------
// Deleting

/** Deletes a draft that never reached the bureau (no report month); anything else is kept for the record. */
export async function deleteDraft(
  db: DB,
  actor: SessionUser,
  itemId: number,
  expectedVersion: number | undefined,
  options: { ip?: string; now?: Date } = {},
): Promise<{ ok: true; title: string } | DraftRefusal> {
  const at = (options.now ?? new Date()).toISOString();
  return settle(async () => {
    const item = await editableItem(db, actor, itemId, expectedVersion);
    if (item.report_month !== null) refuse(409, "该稿件曾报送教体局，不能删除；如不再报送，保留为草稿即可。");
    return deleteWrite(db, { actor, itemId, expectedVersion, title: item.title, ip: options.ip, at });
  });
}

const deleteWrite = namedWrite(
  "item-delete",
  async (
    trx,
    { actor, itemId, expectedVersion, title, ip, at }: { actor: SessionUser; itemId: number; expectedVersion: number | undefined; title: string; ip: string | undefined; at: string },
  ): Promise<{ ok: true; title: string }> => {
    let q = trx.deleteFrom("items").where("id", "=", itemId).where("status", "=", "draft").where("report_month", "is", null);
    if (expectedVersion !== undefined) q = q.where("version", "=", expectedVersion);
    const deleted = await q.executeTakeFirst();
    if (Number(deleted.numDeletedRows) !== 1) refuse(409, STALE);
    await recordAudit(trx, {
      actorId: actor.id, actorName: actor.username, action: "item_deleted", entityType: "item", entityId: itemId,
      from: "draft", ip, at, detail: { title },
    });
    return { ok: true as const, title };
  },
);
