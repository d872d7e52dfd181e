// The checks every draft mutation runs before and inside its transaction (item-drafts.server.ts):
// may this person edit this item at this version, are the fields, captions, photo count, category,
// channel and bylines acceptable, and the uploaded photos prepared in memory before anything is
// written. Each check refuses (throws a Refused) with the form's field errors.
import { refuse, Refused } from "~/domain/refusal";
import { sql, type Kysely, type Transaction } from "kysely";
import type { Database } from "../../db/schema";
import { captionProblem, draftProblems, ITEM_LIMITS, normalizeCaption } from "~/domain/item-form";
import { roleName } from "~/domain/permissions";
import { answerProblem } from "~/domain/requests";
import { shanghaiDate } from "~/domain/time";
import { canEditItem, submitProblem } from "~/domain/workflow";
import type { SessionUser } from "~/models/auth.server";
import type { DraftInput, UploadedPhoto } from "~/models/item-drafts.server";
import { photoBytes, PHOTO_LIMITS } from "~/models/limits.server";
import { photoSizeProblem, preparePhoto, type PreparedPhoto, type StoredPhoto } from "~/models/photos.server";

type DB = Kysely<Database>;
type Trx = Transaction<Database>;

// Said on 保存草稿 and on 报送 alike.
const INVALID = "请按提示修改后再提交。";
export const STALE = "稿件已在别处被修改（可能是您在另一个窗口保存过），请刷新页面后重试。";

export async function editableItem(db: DB, actor: SessionUser, itemId: number, expectedVersion: number | undefined) {
  const item = await db
    .selectFrom("items")
    .select(["id", "unit_id", "status", "version", "title", "report_month", "theme_id"])
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

export function bylinesOrAuthor(bylines: readonly number[], authorId: number): number[] {
  const unique = [...new Set(bylines)];
  return unique.length > 0 ? unique : [authorId];
}

export function checkFields(input: DraftInput, now: Date) {
  const problems = draftProblems(input, shanghaiDate(now));
  if (Object.keys(problems).length > 0) refuse(400, INVALID, { fieldErrors: problems });
}

/** An item may answer only a 约稿 addressed to its unit and not cancelled. */
async function checkRequestLink(db: DB | Trx, unitId: number, requestId: number) {
  const r = await db.selectFrom("requests").select(["id", "due_at", "cancelled_at"]).where("id", "=", requestId).executeTakeFirst();
  if (!r) refuse(404, "约稿不存在。", { field: "request_id" });
  const addressed = await db.selectFrom("request_units").select("unit_id").where("request_id", "=", requestId).where("unit_id", "=", unitId).executeTakeFirst();
  const problem = answerProblem({ cancelledAt: r.cancelled_at, dueAt: r.due_at, addressed: !!addressed }, "link", new Date());
  if (problem) refuse(problem.status, problem.message, { fieldErrors: problem.fieldErrors });
}

/**
 * 报送 without the 涉密自查 tick, refused before anything is written (the box marked), as on the
 * draft's own pages; the words are checked later, inside the transaction, against the stored item.
 */
export function checkTicked(confidentialChecked: boolean) {
  const problem = submitProblem({ confidentialChecked, blockedWords: [] });
  if (problem) throw new Refused(problem);
}

export function checkPhotoCount(count: number) {
  if (count > ITEM_LIMITS.photosMax) {
    refuse(400, INVALID, { fieldErrors: { photos: `每篇稿件最多 ${ITEM_LIMITS.photosMax} 张图片，请减少图片后再保存。` } });
  }
}

export function checkCaptions(entries: ReadonlyArray<readonly [string, string]>) {
  const problems: Record<string, string> = {};
  for (const [field, caption] of entries) {
    const problem = captionProblem(caption);
    if (problem) problems[field] = problem;
  }
  if (Object.keys(problems).length > 0) refuse(400, INVALID, { fieldErrors: problems });
}

export async function currentBylines(db: DB | Trx, itemId: number): Promise<number[]> {
  const rows = await db.selectFrom("item_bylines").select("account_id").where("item_id", "=", itemId).execute();
  return rows.map((r) => r.account_id);
}

/**
 * Category and channel must be active; bylines must be the unit's active correspondents or leads.
 * People already credited on the draft stay allowed after they leave: their credit is theirs.
 */
export async function checkReferences(db: DB | Trx, unitId: number, input: DraftInput, bylines: readonly number[], keep: readonly number[]) {
  // One statement (inside the transaction each one is a round trip while the turn to write is held).
  const ids = bylines.length > 0 ? sql.join(bylines.map((id) => sql`${id}`)) : sql`null`;
  const { rows } = await sql<{ category: number | null; channel: number | null; people: string }>`select
    (select id from categories where id = ${input.category_id} and active = 1) as category,
    (select id from channels where id = ${input.channel_id} and active = 1) as channel,
    (select json_group_array(json_array(id, active)) from accounts
      where id in (${ids}) and unit_id = ${unitId} and role in ('correspondent', 'school_lead')) as people`.execute(db);
  const [{ category, channel }] = rows;
  const people = JSON.parse(rows[0].people) as Array<[id: number, active: number]>;
  const problems: Record<string, string> = {};
  if (category === null) problems.category_id = "请选择有效的栏目";
  if (channel === null) problems.channel_id = "请选择有效的投送频道";
  const allowed = new Set(people.filter(([id, active]) => active === 1 || keep.includes(id)).map(([id]) => id));
  if (!bylines.every((id) => allowed.has(id))) problems.bylines = "署名作者只能是本单位在职的信息员或分管领导";
  if (Object.keys(problems).length > 0) refuse(400, INVALID, { fieldErrors: problems });
  if (input.request_id) await checkRequestLink(db, unitId, input.request_id);
}

/** Sizes first (cheap), then every file checked and re-encoded in memory: nothing is written unless all pass. */
export async function preparePhotos(photos: readonly UploadedPhoto[]): Promise<Array<{ photo: PreparedPhoto; caption: string }>> {
  for (const p of photos) {
    const tooBig = photoSizeProblem(p.file.size, p.name);
    if (tooBig) refuse(tooBig.status, tooBig.message, { field: `photo_${p.slot}` });
  }
  const prepared: Array<{ photo: PreparedPhoto; caption: string }> = [];
  for (const p of photos) {
    try {
      prepared.push({ photo: await preparePhoto(new Uint8Array(await p.file.arrayBuffer()), p.name), caption: normalizeCaption(p.caption) });
    } catch (error) {
      if (error instanceof Refused) refuse(error.refusal.status, error.refusal.message, { field: `photo_${p.slot}` });
      throw error;
    }
  }
  return prepared;
}

/**
 * The account's photo bytes of the day for photos about to be written (PHOTO_LIMITS): refused with
 * 429 and nothing written past the day's share.
 */
export async function takePhotoBytes(accountId: number, prepared: ReadonlyArray<{ photo: PreparedPhoto }>, now: Date) {
  const bytes = prepared.reduce((sum, p) => sum + p.photo.bytes, 0);
  if (bytes === 0 || (await photoBytes.take(accountId, bytes, shanghaiDate(now)))) return;
  const limit = `${PHOTO_LIMITS.bytesPerAccountPerDay / 1024 / 1024} MB`;
  refuse(429, `今天上传的图片已达上限（每个账号每天 ${limit}），这次没有保存。请去掉新加的图片后再保存，明天再上传图片；确有需要请联系教体局。`, {
    field: "photos",
  });
}

export async function insertPhotoRows(trx: Trx, itemId: number, photos: ReadonlyArray<{ photo: StoredPhoto; caption: string }>, firstOrder: number, at: string) {
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

