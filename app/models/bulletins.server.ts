// 简报: the bureau's bulletin as drafts the reviewer composes (issues, their items in order, the
// bulletin's text of each item beside the school's original) and the public list. Every change
// to a draft is one transaction that checks the draft's version (409 when someone else saved
// first) and writes one audit row. Publishing is in bulletin-publish.server.ts.
import { sql, type Kysely, type Transaction } from "kysely";
import type { Database } from "../../db/schema";
import {
  defaultBulletinName,
  fieldProblems,
  inclusionProblem,
  itemTextProblems,
  suggestedIssueNumber,
  type BulletinFields,
} from "~/domain/bulletins";
import { refuse, refusal, settle, type Refusal } from "~/domain/refusal";
import { planSearch } from "~/domain/search";
import { addMonths, shanghaiDate, shanghaiMidnight } from "~/domain/time";
import { recordAudit, type AuditActor } from "~/models/audit.server";
import { withSearch } from "~/models/search.server";
import { settingsFor } from "~/models/settings.server";
import { pageCount } from "~/models/units.server";

export type DB = Kysely<Database>;
type Reader = Kysely<Database> | Transaction<Database>;

export type BulletinResult = { ok: true; id: number; version: number } | Refusal;

export const BULLETINS_PAGE_SIZE = 20;
export const CANDIDATES_PAGE_SIZE = 15;

export const bulletinHref = (id: number) => `/bulletins/${id}`;

/** The numbers already published in a year (optionally leaving one bulletin out). */
export async function publishedNumbers(db: Reader, year: number, exceptId?: number): Promise<number[]> {
  let q = db.selectFrom("bulletins").select("number").where("status", "=", "published").where("year", "=", year);
  if (exceptId !== undefined) q = q.where("id", "!=", exceptId);
  return (await q.execute()).map((r) => r.number);
}

export async function suggestIssueNumber(db: Reader, year: number): Promise<number> {
  return suggestedIssueNumber(await publishedNumbers(db, year));
}

/** A new draft: the suggested number of this year, the county's bulletin name, the office as 编印单位, today. */
export async function createBulletin(db: DB, actor: AuditActor, now = new Date()): Promise<BulletinResult> {
  const at = now.toISOString();
  const issueDate = shanghaiDate(now);
  const year = Number(issueDate.slice(0, 4));
  return db.transaction().execute(async (trx) => {
    const settings = await settingsFor(trx);
    const number = await suggestIssueNumber(trx, year);
    const row = await trx
      .insertInto("bulletins")
      .values({
        year, number, name: defaultBulletinName(settings.countyName), editor_unit: settings.noticeIssuer, issue_date: issueDate,
        status: "draft", published_at: null, published_by: null, docx_sha256: null, created_by: actor.id, created_at: at, updated_at: at,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await recordAudit(trx, {
      actorId: actor.id, actorName: actor.username, action: "bulletin_created", entityType: "bulletin", entityId: row.id, ip: actor.ip, at,
      to: "draft", detail: { year, number },
    });
    return { ok: true as const, id: row.id, version: 1 };
  });
}

export async function bulletinRow(db: Reader, id: number) {
  return db.selectFrom("bulletins").selectAll().where("id", "=", id).executeTakeFirst();
}

export type BulletinRow = NonNullable<Awaited<ReturnType<typeof bulletinRow>>>;

/** A bulletin's items in order, with the item's current state, unit and month. */
export async function bulletinItems(db: Reader, id: number) {
  return db
    .selectFrom("bulletin_items as b")
    .innerJoin("items", "items.id", "b.item_id")
    .innerJoin("units", "units.id", "items.unit_id")
    .select([
      "b.item_id as itemId", "b.position", "b.title", "b.body", "b.original_title as originalTitle", "b.original_body as originalBody",
      "b.unit_name as frozenUnitName", "units.name as unitName", "units.id as unitId", "items.status", "items.report_month as month",
      "items.grade",
    ])
    .where("b.bulletin_id", "=", id)
    .orderBy("b.position")
    .execute();
}

export type BulletinItemRow = Awaited<ReturnType<typeof bulletinItems>>[number];

/** One bulletin for a reader: a draft only for those who edit bulletins, else null. */
export async function getBulletin(db: Reader, id: number, canEdit: boolean) {
  const row = await bulletinRow(db, id);
  if (!row || (row.status !== "published" && !canEdit)) return null;
  const items = await bulletinItems(db, id);
  return { ...row, items };
}

/** The list: published issues newest first, and (for editors) the drafts above them. */
export async function listBulletins(db: Reader, options: { canEdit: boolean; page: number }) {
  const base = db.selectFrom("bulletins").where("status", "=", "published");
  const [countRow, drafts] = await Promise.all([
    base.select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow(),
    options.canEdit
      ? db.selectFrom("bulletins").selectAll().where("status", "=", "draft").orderBy("id", "desc").execute()
      : Promise.resolve([]),
  ]);
  const total = Number(countRow.n);
  const pages = pageCount(total, BULLETINS_PAGE_SIZE);
  const page = Math.min(options.page, pages);
  const rows = await base
    .selectAll()
    .select((eb) =>
      eb.selectFrom("bulletin_items").select((e) => e.fn.countAll<number>().as("n")).whereRef("bulletin_items.bulletin_id", "=", "bulletins.id").as("itemCount"),
    )
    .orderBy("year", "desc")
    .orderBy("number", "desc")
    .limit(BULLETINS_PAGE_SIZE)
    .offset((page - 1) * BULLETINS_PAGE_SIZE)
    .execute();
  return { rows, drafts, total, page, pages };
}

export interface CandidateFilters {
  month?: string;
  unit?: number;
  q: string;
  page: number;
}

/** Adopted items a draft may take, newest first, by month, unit and keyword; those already in it are left out. */
export async function bulletinCandidates(db: Reader, bulletinId: number, filters: CandidateFilters) {
  let base = db
    .selectFrom("items")
    .innerJoin("units", "units.id", "items.unit_id")
    .where("items.status", "=", "adopted")
    .where("items.id", "not in", db.selectFrom("bulletin_items").select("item_id").where("bulletin_id", "=", bulletinId));
  if (filters.month) base = base.where("items.report_month", "=", filters.month);
  if (filters.unit !== undefined) base = base.where("items.unit_id", "=", filters.unit);
  const searched = withSearch(base, planSearch(filters.q));
  const countRow = await searched.select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
  const total = Number(countRow.n);
  const pages = pageCount(total, CANDIDATES_PAGE_SIZE);
  const page = Math.min(filters.page, pages);
  const rows = await searched
    .select(["items.id", "items.title", "items.grade", "items.report_month as month", "units.name as unitName"])
    // 优 first within a month: the bulletin carries the best of what was adopted.
    .orderBy("items.report_month", "desc")
    .orderBy(sql`case items.grade when 'excellent' then 0 when 'good' then 1 else 2 end`)
    .orderBy("items.id", "desc")
    .limit(CANDIDATES_PAGE_SIZE)
    .offset((page - 1) * CANDIDATES_PAGE_SIZE)
    .execute();
  return { rows, total, page, pages };
}

// ---------------------------------------------------------------------------------------------
// Changing a draft

const STALE = "这期简报已被他人修改，请刷新后再改（您的修改未保存）。";

/** The draft, checked for this change: 404 missing, 409 published or stale. Inside a transaction. */
export async function draftForChange(trx: Transaction<Database>, id: number, version: number): Promise<BulletinRow> {
  const row = await bulletinRow(trx, id);
  if (!row) refuse(404, "没有这期简报。");
  if (row.status !== "draft") refuse(409, "这期简报已签发，内容已冻结，不能再修改。");
  if (row.version !== version) refuse(409, STALE, { field: "version" });
  return row;
}

async function changeDraft(
  db: DB,
  actor: AuditActor,
  input: { id: number; version: number; now?: Date },
  work: (trx: Transaction<Database>, row: BulletinRow, at: string) => Promise<Record<string, unknown>>,
): Promise<BulletinResult> {
  const at = (input.now ?? new Date()).toISOString();
  return settle(() =>
    db.transaction().execute(async (trx) => {
      const row = await draftForChange(trx, input.id, input.version);
      const detail = await work(trx, row, at);
      const version = row.version + 1;
      const bumped = await trx
        .updateTable("bulletins")
        .set({ version, updated_at: at })
        .where("id", "=", row.id)
        .where("version", "=", row.version)
        .executeTakeFirst();
      if (Number(bumped.numUpdatedRows) !== 1) refuse(409, STALE);
      await recordAudit(trx, {
        actorId: actor.id, actorName: actor.username, action: "bulletin_updated", entityType: "bulletin", entityId: row.id, ip: actor.ip, at,
        detail,
      });
      return { ok: true as const, id: row.id, version };
    }),
  );
}

export interface BulletinSave {
  fields: BulletinFields;
  texts: Array<{ itemId: number; title: string; body: string }>;
}

/** Saves the bulletin's fields and its items' bulletin texts; the originals never change. */
export async function saveBulletin(db: DB, actor: AuditActor, input: { id: number; version: number; now?: Date } & BulletinSave) {
  const f = input.fields;
  const clean: BulletinFields = {
    ...f, name: f.name.trim(), editorUnit: f.editorUnit.trim(), editorNote: f.editorNote.trim(),
    reportTo: f.reportTo.trim(), sendTo: f.sendTo.trim(), issueTo: f.issueTo.trim(),
  };
  const texts = input.texts.map((t) => ({ itemId: t.itemId, title: t.title.trim(), body: t.body.replace(/\r\n/g, "\n").trim() }));
  const textErrors = texts.flatMap(itemTextProblems);
  return changeDraft(db, actor, input, async (trx, row) => {
    const year = Number(clean.issueDate.slice(0, 4));
    const problems = [...fieldProblems(clean, Number.isFinite(year) ? await publishedNumbers(trx, year, row.id) : []), ...textErrors];
    if (problems.length) {
      refuse(400, problems[0].message, { fieldErrors: Object.fromEntries(problems.map((p) => [p.field, p.message])) });
    }
    const included = new Set((await trx.selectFrom("bulletin_items").select("item_id").where("bulletin_id", "=", row.id).execute()).map((r) => r.item_id));
    if (texts.some((t) => !included.has(t.itemId))) refuse(409, "简报收录的稿件已变化，请刷新后再改。");
    await trx
      .updateTable("bulletins")
      .set({
        year, number: clean.number, name: clean.name, editor_unit: clean.editorUnit, editor_note: clean.editorNote, issue_date: clean.issueDate,
        report_to: clean.reportTo, send_to: clean.sendTo, issue_to: clean.issueTo,
      })
      .where("id", "=", row.id)
      .execute();
    for (const t of texts) {
      await trx.updateTable("bulletin_items").set({ title: t.title, body: t.body }).where("bulletin_id", "=", row.id).where("item_id", "=", t.itemId).execute();
    }
    return { change: "saved", number: clean.number, year, items: texts.length };
  });
}

/** Adds an adopted item at the end, with its text as the school wrote it (both copies kept). */
export async function addBulletinItem(db: DB, actor: AuditActor, input: { id: number; version: number; itemId: number; now?: Date }) {
  return changeDraft(db, actor, input, async (trx, row) => {
    const item = await trx
      .selectFrom("items")
      .innerJoin("units", "units.id", "items.unit_id")
      .select(["items.id", "items.title", "items.body", "items.status", "units.name as unitName"])
      .where("items.id", "=", input.itemId)
      .executeTakeFirst();
    if (!item) refuse(404, "稿件不存在。");
    const included = await trx.selectFrom("bulletin_items").select(["item_id", "position"]).where("bulletin_id", "=", row.id).execute();
    const problem = inclusionProblem({ itemId: item.id, status: item.status }, included.map((i) => i.item_id));
    if (problem) refuse(item.status === "adopted" ? 409 : 400, problem, { field: "item_id" });
    await trx
      .insertInto("bulletin_items")
      .values({
        bulletin_id: row.id, item_id: item.id, position: included.reduce((m, i) => Math.max(m, i.position), 0) + 1,
        title: item.title, body: item.body, original_title: item.title, original_body: item.body, unit_name: item.unitName,
      })
      .execute();
    return { change: "item_added", item_id: item.id };
  });
}

export async function removeBulletinItem(db: DB, actor: AuditActor, input: { id: number; version: number; itemId: number; now?: Date }) {
  return changeDraft(db, actor, input, async (trx, row) => {
    const gone = await trx.deleteFrom("bulletin_items").where("bulletin_id", "=", row.id).where("item_id", "=", input.itemId).executeTakeFirst();
    if (Number(gone.numDeletedRows) !== 1) refuse(409, "该稿件已不在本期简报中，请刷新后查看。");
    await renumber(trx, row.id);
    return { change: "item_removed", item_id: input.itemId };
  });
}

/** Moves an item one place up or down. */
export async function moveBulletinItem(
  db: DB,
  actor: AuditActor,
  input: { id: number; version: number; itemId: number; direction: "up" | "down"; now?: Date },
) {
  return changeDraft(db, actor, input, async (trx, row) => {
    const order = (await trx.selectFrom("bulletin_items").select("item_id").where("bulletin_id", "=", row.id).orderBy("position").execute()).map((r) => r.item_id);
    const i = order.indexOf(input.itemId);
    if (i === -1) refuse(409, "该稿件已不在本期简报中，请刷新后查看。");
    const j = input.direction === "up" ? i - 1 : i + 1;
    if (j >= 0 && j < order.length) [order[i], order[j]] = [order[j], order[i]];
    await renumber(trx, row.id, order);
    return { change: "item_moved", item_id: input.itemId, direction: input.direction };
  });
}

async function renumber(trx: Transaction<Database>, bulletinId: number, order?: number[]) {
  const ids = order ?? (await trx.selectFrom("bulletin_items").select("item_id").where("bulletin_id", "=", bulletinId).orderBy("position").execute()).map((r) => r.item_id);
  for (const [i, itemId] of ids.entries()) {
    await trx.updateTable("bulletin_items").set({ position: i + 1 }).where("bulletin_id", "=", bulletinId).where("item_id", "=", itemId).execute();
  }
}

/** Items of a unit carried in published bulletins (its item page links them). */
export async function bulletinsOfItem(db: Reader, itemId: number) {
  return db
    .selectFrom("bulletin_items")
    .innerJoin("bulletins", "bulletins.id", "bulletin_items.bulletin_id")
    .select(["bulletins.id", "bulletins.name", "bulletins.number", "bulletins.year"])
    .where("bulletin_items.item_id", "=", itemId)
    .where("bulletins.status", "=", "published")
    .orderBy("bulletins.id")
    .execute();
}

/** The issues published in a month (Asia/Shanghai), with their item and unit counts, for the monthly notice. */
export async function bulletinsPublishedIn(db: Reader, month: string) {
  const rows = await db
    .selectFrom("bulletins")
    .innerJoin("bulletin_items", "bulletin_items.bulletin_id", "bulletins.id")
    .innerJoin("items", "items.id", "bulletin_items.item_id")
    .select(["bulletins.id", "bulletins.name", "bulletins.number", "items.unit_id"])
    .where("bulletins.status", "=", "published")
    .where("bulletins.published_at", ">=", shanghaiMidnight(`${month}-01`))
    .where("bulletins.published_at", "<", shanghaiMidnight(`${addMonths(month, 1)}-01`))
    .orderBy("bulletins.published_at")
    .execute();
  const issues = new Map<number, { name: string; number: number; units: Set<number>; items: number }>();
  for (const r of rows) {
    const issue = issues.get(r.id) ?? { name: r.name, number: r.number, units: new Set<number>(), items: 0 };
    issue.units.add(r.unit_id);
    issue.items++;
    issues.set(r.id, issue);
  }
  return {
    issues: [...issues.values()].map((i) => ({ name: i.name, number: i.number, units: i.units.size, items: i.items })),
    units: new Set(rows.map((r) => r.unit_id)).size,
  };
}

export { refusal };
