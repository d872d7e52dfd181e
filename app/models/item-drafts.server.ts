// Writing items: a correspondent creates, edits and deletes drafts of their own unit. Each
// mutation is one transaction (the item, its bylines, its photo rows, one audit row), guarded by
// the item's version; creating with 报送 submits in that same transaction. Photo files are checked
// and written before that transaction begins.
import { refuse, Refused, settle, type Refusal } from "~/domain/refusal";
import type { Kysely, Transaction } from "kysely";
import type { Database, ItemStatus } from "../../db/schema";
import { captionProblem, draftProblems, ITEM_LIMITS, type DraftFields } from "~/domain/item-form";
import { roleName } from "~/domain/permissions";
import { shanghaiDate } from "~/domain/time";
import { canEditItem } from "~/domain/workflow";
import { recordAudit } from "~/models/audit.server";
import type { SessionUser } from "~/models/auth.server";
import { transitionItemIn } from "~/models/item-workflow.server";
import { photoSizeProblem, preparePhoto, writePhotoFile, type PreparedPhoto } from "~/models/photos.server";

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

const INVALID = "请按提示修改后再保存。";
const STALE = "稿件已在别处被修改（可能是您在另一个窗口保存过），请刷新页面后重试。";


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
  const at = now.toISOString();
  const token = options.formToken;
  return settle(async () => {
    if (actor.role !== "correspondent" || actor.unitId === null) refuse(403, "只有信息员可以撰写稿件。");
    const unitId = actor.unitId;
    const bylines = bylinesOrAuthor(input.bylines, actor.id);
    checkFields(input, now);
    checkPhotoCount(photos.length);
    checkCaptions(photos.map((p) => [`caption_${p.slot}`, p.caption]));
    const reader = options.reader ?? db;
    await checkReferences(reader, unitId, input, bylines, []);
    // A form already handled had its photos stored by its first post: nothing to check or write.
    const seen = token && photos.length > 0 ? await itemOfFormToken(reader, actor.id, token) : undefined;
    const prepared = seen ? [] : await preparePhotos(photos);
    for (const p of prepared) await writePhotoFile(options.dataDir, p.photo);

    return db.transaction().execute(async (trx) => {
      // Looked up again under the write lock: of two posts of one form, exactly one creates.
      const earlier = token ? await itemOfFormToken(trx, actor.id, token) : undefined;
      if (earlier) return { ok: true as const, itemId: earlier.id, repeated: true, answer: await answerAgain(trx, actor, earlier, options, now) };
      if (seen) refuse(409, "用此表单创建的稿件已被删除，请刷新页面后重新填写。");

      await checkReferences(trx, unitId, input, bylines, []);
      const { id } = await trx
        .insertInto("items")
        .values({
          unit_id: unitId, title: input.title.trim(), body: input.body, category_id: input.category_id,
          channel_id: input.channel_id, event_date: input.event_date, status: "draft", report_month: null,
          first_submitted_at: null, submitted_at: null, grade: null, decided_at: null, decided_by: null,
          created_by: actor.id, created_at: at, updated_at: at, form_token: token ?? null,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      await trx.insertInto("item_bylines").values(bylines.map((account_id) => ({ item_id: id, account_id }))).execute();
      await insertPhotoRows(trx, id, prepared, 0, at);
      await recordAudit(trx, {
        actorId: actor.id, actorName: actor.username, action: "item_created", entityType: "item", entityId: id,
        to: "draft", ip: options.ip, at, detail: { title: input.title.trim(), photos: prepared.length },
      });
      const answer = options.submit ? await submitNew(trx, actor, id, options.submit, now) : ({ kind: "saved" } as const);
      return { ok: true as const, itemId: id, repeated: false, answer };
    });
  });
}

async function itemOfFormToken(db: DB | Trx, authorId: number, token: string) {
  return db
    .selectFrom("items")
    .select(["id", "status", "version", "created_at"])
    .where("created_by", "=", authorId)
    .where("form_token", "=", token)
    .executeTakeFirst();
}

/** 报送 of a draft just created (version 1), at the creation's instant. */
async function submitNew(trx: Trx, actor: SessionUser, itemId: number, submit: { confidentialChecked: boolean }, now: Date): Promise<NewItemAnswer> {
  const submitted = await transitionItemIn(trx, {
    itemId, action: "submit", actor, expectedVersion: 1, confidentialChecked: submit.confidentialChecked, now,
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
  options: NewItemOptions,
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
  if (!options.submit) return item.status === "draft" ? { kind: "saved" } : { kind: "already_created" };
  if (item.status === "draft" && item.version === 1) return submitNew(trx, actor, item.id, options.submit, now);
  return { kind: "already_created" };
}

// ---------------------------------------------------------------------------------------------
// Editing

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
  const at = now.toISOString();
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
    const prepared = await preparePhotos(changes.add);
    for (const p of prepared) await writePhotoFile(options.dataDir, p.photo);

    return db.transaction().execute(async (trx) => {
      await checkReferences(trx, unitId, input, bylines, current);
      const updated = await trx
        .updateTable("items")
        .set({
          title: input.title.trim(), body: input.body, category_id: input.category_id, channel_id: input.channel_id,
          event_date: input.event_date, version: expectedVersion + 1, updated_at: at,
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
        await trx.updateTable("photos").set({ caption: caption.trim() }).where("id", "=", id).where("item_id", "=", itemId).execute();
      }
      const nextOrder = existing.reduce((max, p) => Math.max(max, p.sort_order + 1), 0);
      await insertPhotoRows(trx, itemId, prepared, nextOrder, at);
      await recordAudit(trx, {
        actorId: actor.id, actorName: actor.username, action: "item_updated", entityType: "item", entityId: itemId,
        from: "draft", to: "draft", ip: options.ip, at,
        detail: { version: expectedVersion + 1, photos_added: prepared.length, photos_removed: remove.length },
      });
      return { ok: true as const, itemId, version: expectedVersion + 1 };
    });
  });
}

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
    return db.transaction().execute(async (trx) => {
      let q = trx.deleteFrom("items").where("id", "=", itemId).where("status", "=", "draft").where("report_month", "is", null);
      if (expectedVersion !== undefined) q = q.where("version", "=", expectedVersion);
      const deleted = await q.executeTakeFirst();
      if (Number(deleted.numDeletedRows) !== 1) refuse(409, STALE);
      await recordAudit(trx, {
        actorId: actor.id, actorName: actor.username, action: "item_deleted", entityType: "item", entityId: itemId,
        from: "draft", ip: options.ip, at, detail: { title: item.title },
      });
      return { ok: true as const, title: item.title };
    });
  });
}

// ---------------------------------------------------------------------------------------------
// Reading for the form

/** What the item form offers: active categories and channels, the unit's active people. */
export async function draftFormOptions(db: DB, user: SessionUser, keepBylines: readonly number[] = []) {
  if (user.unitId === null) throw new Error("school role without a unit");
  const [categories, channels, people] = await Promise.all([
    db.selectFrom("categories").select(["id", "name"]).where("active", "=", 1).orderBy("sort_order").orderBy("id").execute(),
    db.selectFrom("channels").select(["id", "name"]).where("active", "=", 1).orderBy("sort_order").orderBy("id").execute(),
    db
      .selectFrom("accounts")
      .select(["id", "display_name", "role", "active"])
      .where("unit_id", "=", user.unitId)
      .where("role", "in", ["correspondent", "school_lead"])
      .where((eb) => (keepBylines.length > 0 ? eb.or([eb("active", "=", 1), eb("id", "in", [...keepBylines])]) : eb("active", "=", 1)))
      .orderBy("role")
      .orderBy("display_name")
      .execute(),
  ]);
  return {
    categories,
    channels,
    people: people.map((p) => ({ id: p.id, name: p.display_name, role: roleName(p.role), active: p.active === 1 })),
  };
}

export type DraftFormOptions = Awaited<ReturnType<typeof draftFormOptions>>;

export type DraftForEdit =
  | { status: "not_found" }
  | { status: "forbidden" }
  | { status: "not_editable"; itemId: number }
  | {
      status: "ok";
      item: {
        id: number; title: string; body: string; category_id: number; channel_id: number | null; event_date: string;
        version: number; report_month: string | null; last_reason: string;
      };
      bylines: number[];
      photos: Array<{ id: number; caption: string; width: number; height: number }>;
      options: DraftFormOptions;
    };

/** A draft as its edit form needs it, or why it cannot be edited by this person. */
export async function draftForEdit(db: DB, user: SessionUser, itemId: number): Promise<DraftForEdit> {
  const item = await db
    .selectFrom("items")
    .select(["id", "unit_id", "status", "title", "body", "category_id", "channel_id", "event_date", "version", "report_month", "last_reason"])
    .where("id", "=", itemId)
    .executeTakeFirst();
  if (!item) return { status: "not_found" };
  if (user.unitId !== item.unit_id) return { status: "forbidden" };
  if (!canEditItem({ role: user.role, unitId: user.unitId }, { status: item.status, unitId: item.unit_id })) {
    return user.role === "correspondent" ? { status: "not_editable", itemId } : { status: "forbidden" };
  }
  const [bylines, photos] = await Promise.all([
    currentBylines(db, itemId),
    db.selectFrom("photos").select(["id", "caption", "width", "height"]).where("item_id", "=", itemId).orderBy("sort_order").orderBy("id").execute(),
  ]);
  const { unit_id: _u, status: _s, ...fields } = item;
  return { status: "ok", item: fields, bylines, photos, options: await draftFormOptions(db, user, bylines) };
}

// ---------------------------------------------------------------------------------------------
// Checks

async function editableItem(db: DB, actor: SessionUser, itemId: number, expectedVersion: number | undefined) {
  const item = await db
    .selectFrom("items")
    .select(["id", "unit_id", "status", "version", "title", "report_month"])
    .where("id", "=", itemId)
    .executeTakeFirst();
  if (!item) refuse(404, "稿件不存在或已被删除。");
  if (actor.role !== "correspondent") refuse(403, `${roleName(actor.role)}不能修改稿件，稿件由本单位信息员撰写。`);
  if (actor.unitId !== item.unit_id) refuse(403, "不能修改其他单位的稿件。");
  if (!canEditItem({ role: actor.role, unitId: actor.unitId }, { status: item.status, unitId: item.unit_id })) {
    refuse(409, "稿件已报送，不能再修改；只有草稿可以修改。");
  }
  if (expectedVersion !== undefined && expectedVersion !== item.version) refuse(409, STALE);
  return item;
}

function bylinesOrAuthor(bylines: readonly number[], authorId: number): number[] {
  const unique = [...new Set(bylines)];
  return unique.length > 0 ? unique : [authorId];
}

function checkFields(input: DraftInput, now: Date) {
  const problems = draftProblems(input, shanghaiDate(now));
  if (Object.keys(problems).length > 0) refuse(400, INVALID, { fieldErrors: problems });
}

function checkPhotoCount(count: number) {
  if (count > ITEM_LIMITS.photosMax) {
    refuse(400, INVALID, { fieldErrors: { photos: `每篇稿件最多 ${ITEM_LIMITS.photosMax} 张图片，请减少图片后再保存。` } });
  }
}

function checkCaptions(entries: ReadonlyArray<readonly [string, string]>) {
  const problems: Record<string, string> = {};
  for (const [field, caption] of entries) {
    const problem = captionProblem(caption);
    if (problem) problems[field] = problem;
  }
  if (Object.keys(problems).length > 0) refuse(400, INVALID, { fieldErrors: problems });
}

async function currentBylines(db: DB | Trx, itemId: number): Promise<number[]> {
  const rows = await db.selectFrom("item_bylines").select("account_id").where("item_id", "=", itemId).execute();
  return rows.map((r) => r.account_id);
}

/**
 * Category and channel must be active; bylines must be the unit's active correspondents or leads.
 * People already credited on the draft stay allowed after they leave: their credit is theirs.
 */
async function checkReferences(db: DB | Trx, unitId: number, input: DraftInput, bylines: readonly number[], keep: readonly number[]) {
  const [category, channel, people] = await Promise.all([
    db.selectFrom("categories").select("id").where("id", "=", input.category_id).where("active", "=", 1).executeTakeFirst(),
    db.selectFrom("channels").select("id").where("id", "=", input.channel_id).where("active", "=", 1).executeTakeFirst(),
    db
      .selectFrom("accounts")
      .select(["id", "active"])
      .where("id", "in", [...bylines])
      .where("unit_id", "=", unitId)
      .where("role", "in", ["correspondent", "school_lead"])
      .execute(),
  ]);
  const problems: Record<string, string> = {};
  if (!category) problems.category_id = "请选择有效的栏目";
  if (!channel) problems.channel_id = "请选择有效的投送频道";
  const allowed = new Set(people.filter((p) => p.active === 1 || keep.includes(p.id)).map((p) => p.id));
  if (!bylines.every((id) => allowed.has(id))) problems.bylines = "署名作者只能是本单位在职的信息员或分管领导";
  if (Object.keys(problems).length > 0) refuse(400, INVALID, { fieldErrors: problems });
}

/** Sizes first (cheap), then every file checked and re-encoded in memory: nothing is written unless all pass. */
async function preparePhotos(photos: readonly UploadedPhoto[]): Promise<Array<{ photo: PreparedPhoto; caption: string }>> {
  for (const p of photos) {
    const tooBig = photoSizeProblem(p.file.size, p.name);
    if (tooBig) refuse(tooBig.status, tooBig.message, { field: `photo_${p.slot}` });
  }
  const prepared: Array<{ photo: PreparedPhoto; caption: string }> = [];
  for (const p of photos) {
    try {
      prepared.push({ photo: await preparePhoto(new Uint8Array(await p.file.arrayBuffer()), p.name), caption: p.caption.trim() });
    } catch (error) {
      if (error instanceof Refused) refuse(error.refusal.status, error.refusal.message, { field: `photo_${p.slot}` });
      throw error;
    }
  }
  return prepared;
}

async function insertPhotoRows(trx: Trx, itemId: number, photos: ReadonlyArray<{ photo: PreparedPhoto; caption: string }>, firstOrder: number, at: string) {
  if (photos.length === 0) return;
  await trx
    .insertInto("photos")
    .values(
      photos.map(({ photo, caption }, i) => ({
        item_id: itemId, sha256: photo.sha256, mime: photo.mime, width: photo.width, height: photo.height,
        bytes: photo.bytes, caption, sort_order: firstOrder + i, created_at: at,
      })),
    )
    .execute();
}
