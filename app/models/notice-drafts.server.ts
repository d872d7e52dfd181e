// 通报 drafted, edited and adjusted by a reviewer: one notice a month (one summary a year), each
// change one transaction with its audit row; a published notice is frozen and refuses changes.
import type { Kysely, Transaction } from "kysely";
import type { Database } from "../../db/schema";
import {
  adjustmentProblem,
  defaultClosing,
  defaultOpening,
  docNumberProblem,
  noticeTitle,
  NOTICE_KIND_NAMES,
  type AdjustmentAction,
  type NoticeBody,
  type NoticeHeader,
  type NoticeKind,
  type NoticeListName,
} from "~/domain/notices";
import { formatShanghai, monthLabel } from "~/domain/time";
import { recordAudit } from "~/models/audit.server";
import { getSetting } from "~/models/settings.server";
import {
  composeAnnual,
  composeDraft,
  composeMonthly,
  fail,
  issuerFields,
  noticeRow,
  serialise,
  type DB,
  type NoticeActor,
  type NoticeFailure,
  type NoticeResult,
  type NoticeRow,
} from "~/models/notice-compose.server";

// ---------------------------------------------------------------------------------------------
// Drafting, editing, adjusting

export interface Acting {
  actor: NoticeActor;
  ip?: string;
  now?: Date;
}

async function existingFailure(db: DB, kind: NoticeKind, period: string): Promise<NoticeFailure | null> {
  const existing = await db
    .selectFrom("notices")
    .select(["id", "status", "doc_number"])
    .where("kind", "=", kind)
    .where("period", "=", period)
    .executeTakeFirst();
  if (!existing) return null;
  const what = kind === "monthly" ? `${monthLabel(period)}的通报` : `${period}年度汇总`;
  const state = existing.status === "published" ? `已经签发（${existing.doc_number}）` : "已经起草，请在原草稿上修改";
  return fail(409, `${what}${state}。每${kind === "monthly" ? "月" : "年"}只发一期。`, { existingId: existing.id });
}

async function insertDraft(trx: Transaction<Database>, kind: NoticeKind, period: string, body: NoticeBody, closeId: number | null, input: Acting) {
  const at = (input.now ?? new Date()).toISOString();
  const settingsMonth = kind === "monthly" ? period : `${period}-12`;
  const header: NoticeHeader = {
    title: noticeTitle(kind, period), docNumber: "", addressee: await getSetting(trx, "noticeAddressee", settingsMonth),
    opening: defaultOpening(kind, period), closing: defaultClosing(kind), ...(await issuerFields(trx)),
    signerName: null, publishedAt: null,
  };
  const { id } = await trx
    .insertInto("notices")
    .values({
      kind, period, close_id: closeId, doc_number: "", title: header.title, addressee: header.addressee, opening_text: header.opening,
      closing_text: header.closing, data_json: serialise({ header, body }), status: "draft", created_by: input.actor.id, created_at: at, updated_at: at,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  await recordAudit(trx, {
    actorId: input.actor.id, actorName: input.actor.username, action: "notice_drafted", entityType: "notice", entityId: id,
    to: "draft", ip: input.ip, at, detail: { kind, period },
  });
  return id;
}

/** Drafts a closed month's notice; refused (409) for an open month or a month that already has one. */
export async function draftMonthlyNotice(db: Kysely<Database>, input: Acting & { month: string }): Promise<NoticeResult> {
  return db.transaction().execute(async (trx): Promise<NoticeResult> => {
    const existing = await existingFailure(trx, "monthly", input.month);
    if (existing) return existing;
    const body = await composeMonthly(trx, input.month, []);
    if (!body) return fail(409, `${monthLabel(input.month)}尚未结算，结算后才能起草该月通报。`);
    return { ok: true, id: await insertDraft(trx, "monthly", input.month, body, body.closeId, input) };
  });
}

/** Drafts a year's summary once the year is over and each of its months is closed. */
export async function draftAnnualSummary(db: Kysely<Database>, input: Acting & { year: string }): Promise<NoticeResult> {
  const now = input.now ?? new Date();
  return db.transaction().execute(async (trx): Promise<NoticeResult> => {
    const existing = await existingFailure(trx, "annual", input.year);
    if (existing) return existing;
    const { body, problem } = await composeAnnual(trx, input.year, [], now);
    if (problem) return fail(409, problem);
    return { ok: true, id: await insertDraft(trx, "annual", input.year, body, null, { ...input, now }) };
  });
}

export async function draftForChange(trx: DB, id: number): Promise<NonNullable<NoticeRow> | NoticeFailure> {
  const row = await noticeRow(trx, id);
  if (!row) return fail(404, "没有这期通报。");
  if (row.status === "published") {
    return fail(409, `该${NOTICE_KIND_NAMES[row.kind]}已于 ${formatShanghai(row.published_at!)} 签发，内容已冻结，不能再修改。`);
  }
  return row;
}

export const isFailure = (x: unknown): x is NoticeFailure => typeof x === "object" && x !== null && (x as NoticeFailure).ok === false;

export interface NoticeTextFields {
  addressee: string;
  docNumber: string;
  opening: string;
  closing: string;
}

/** Saves the reviewer's text of a draft (主送, 文号, opening, closing). */
export async function updateNoticeText(db: Kysely<Database>, input: Acting & { id: number; fields: NoticeTextFields }): Promise<NoticeResult> {
  const now = input.now ?? new Date();
  const at = now.toISOString();
  const { fields } = input;
  if (fields.docNumber) {
    const problem = docNumberProblem(fields.docNumber);
    if (problem) return fail(400, problem, { field: "doc_number" });
  }
  return db.transaction().execute(async (trx): Promise<NoticeResult> => {
    const row = await draftForChange(trx, input.id);
    if (isFailure(row)) return row;
    const changed = (
      [
        ["addressee", row.addressee, fields.addressee],
        ["doc_number", row.doc_number, fields.docNumber],
        ["opening_text", row.opening_text, fields.opening],
        ["closing_text", row.closing_text, fields.closing],
      ] as const
    )
      .filter(([, before, after]) => before !== after)
      .map(([name]) => name);
    const updated = { ...row, addressee: fields.addressee, doc_number: fields.docNumber, opening_text: fields.opening, closing_text: fields.closing };
    const { doc } = await composeDraft(trx, updated, now);
    await trx
      .updateTable("notices")
      .set({
        addressee: fields.addressee, doc_number: fields.docNumber, opening_text: fields.opening, closing_text: fields.closing,
        data_json: serialise(doc), updated_at: at,
      })
      .where("id", "=", row.id)
      .execute();
    await recordAudit(trx, {
      actorId: input.actor.id, actorName: input.actor.username, action: "notice_updated", entityType: "notice", entityId: row.id,
      ip: input.ip, at, detail: { changed, docNumber: fields.docNumber },
    });
    return { ok: true, id: row.id };
  });
}

/** Adds a unit to, or removes it from, a draft's 表扬 or 通报批评 list, with the reason recorded. */
export async function adjustNotice(
  db: Kysely<Database>,
  input: Acting & { id: number; unitId: number; list: NoticeListName; action: AdjustmentAction; reason: string },
): Promise<({ ok: true; id: number; unitName: string }) | NoticeFailure> {
  const now = input.now ?? new Date();
  const at = now.toISOString();
  const reason = input.reason.trim();
  if (!reason) return fail(400, "请填写调整的理由", { field: "reason" });
  return db.transaction().execute(async (trx): Promise<({ ok: true; id: number; unitName: string }) | NoticeFailure> => {
    const row = await draftForChange(trx, input.id);
    if (isFailure(row)) return row;
    const { doc, problem } = await composeDraft(trx, row, now);
    if (problem && row.kind === "monthly") return fail(409, problem);
    const units: Array<{ unitId: number; name: string }> = doc.body.tables.flatMap((t: { rows: Array<{ unitId: number; name: string }> }) => t.rows);
    const unit = units.find((r) => r.unitId === input.unitId);
    if (!unit) return fail(400, "请选择本期统计范围内的单位", { field: "unit_id" });
    const refused = adjustmentProblem(doc.body, { unitId: input.unitId, list: input.list, action: input.action }, unit.name);
    if (refused) return fail(409, refused);
    await trx
      .insertInto("notice_adjustments")
      .values({ notice_id: row.id, unit_id: input.unitId, list: input.list, action: input.action, reason, created_by: input.actor.id, created_at: at })
      .execute();
    const after = await composeDraft(trx, row, now);
    await trx.updateTable("notices").set({ data_json: serialise(after.doc), updated_at: at }).where("id", "=", row.id).execute();
    await recordAudit(trx, {
      actorId: input.actor.id, actorName: input.actor.username, action: "notice_adjusted", entityType: "notice", entityId: row.id,
      reason, ip: input.ip, at, detail: { unitId: input.unitId, unit: unit.name, list: input.list, adjustment: input.action },
    });
    return { ok: true, id: row.id, unitName: unit.name };
  });
}
