// 申诉: a school lead appeals a decision on one of the unit's items; a reviewer answers it (upheld
// with a reason, or corrected through corrections.server.ts). One write = one transaction = one
// audit row carrying the unit's id; every step notifies the other side.
import type { Kysely, Transaction } from "kysely";
import { preparedQuery } from "../../db/prepared-query";
import type { Database } from "../../db/schema";
import {
  appealProblem,
  appealSubjectName,
  appealSubjects,
  appealWindow,
  type AppealStatusCode,
  type AppealSubjectCode,
  type AppealWindow,
} from "~/domain/appeals";
import { refuse, Refused, settle, type Refusal } from "~/domain/refusal";
import { recordAudit, type ScopedActor } from "~/models/audit.server";
import { currentClose } from "~/models/months.server";
import { notify } from "~/models/notifications.server";
import { getSetting } from "~/models/settings.server";
import { paged } from "~/models/units.server";

type DB = Kysely<Database>;
type Trx = Transaction<Database>;
type AnyDB = DB | Trx;

/** The appeal window of a month as it stands now. */
export async function monthAppealWindow(db: AnyDB, month: string, now = new Date()): Promise<AppealWindow> {
  const [close, notice, days] = await Promise.all([
    currentClose(db, month),
    db
      .selectFrom("notices")
      .select("id")
      .where("kind", "=", "monthly")
      .where("period", "=", month)
      .where("status", "=", "published")
      .executeTakeFirst(),
    getSetting(db, "appealDays"),
  ]);
  return appealWindow({ closedAt: close?.closed_at ?? null, noticePublished: !!notice, appealDays: days, now });
}

async function itemFacts(db: AnyDB, itemId: number) {
  const item = await db
    .selectFrom("items")
    .select(["id", "unit_id", "title", "status", "grade", "late", "report_month"])
    .where("id", "=", itemId)
    .executeTakeFirst();
  if (!item) return null;
  const pickup = await db.selectFrom("pickups").select("id").where("item_id", "=", itemId).limit(1).executeTakeFirst();
  return {
    row: item,
    facts: { status: item.status, grade: item.grade, late: item.late === 1, reportMonth: item.report_month, hasPickups: !!pickup },
  };
}

export async function openAppealOf(db: AnyDB, itemId: number) {
  return db.selectFrom("appeals").selectAll().where("item_id", "=", itemId).where("status", "=", "open").executeTakeFirst();
}

/** Active accounts to tell: the unit's leads, and the item's bylines and author. */
export async function schoolPeople(db: AnyDB, itemId: number, unitId: number): Promise<number[]> {
  const rows = await db
    .selectFrom("accounts")
    .select("id")
    .where("active", "=", 1)
    .where((eb) =>
      eb.or([
        eb.and([eb("unit_id", "=", unitId), eb("role", "=", "school_lead")]),
        eb("id", "in", eb.selectFrom("item_bylines").select("account_id").where("item_id", "=", itemId)),
        eb("id", "in", eb.selectFrom("items").select("created_by").where("id", "=", itemId)),
      ]),
    )
    .execute();
  return rows.map((r) => r.id);
}

async function reviewers(db: AnyDB): Promise<number[]> {
  const rows = await db.selectFrom("accounts").select("id").where("role", "=", "reviewer").where("active", "=", 1).execute();
  return rows.map((r) => r.id);
}

/** What the item page offers a lead: the subjects open to appeal now, or why none. */
export async function appealOptions(db: AnyDB, actor: { role: string; unitId: number | null }, itemId: number, now = new Date()) {
  if (actor.role !== "school_lead") return null;
  const found = await itemFacts(db, itemId);
  if (!found || found.row.unit_id !== actor.unitId || !found.row.report_month) return null;
  const subjects = appealSubjects(found.facts);
  if (subjects.length === 0) return null;
  const [window, open] = await Promise.all([monthAppealWindow(db, found.row.report_month, now), openAppealOf(db, itemId)]);
  return { subjects, window, hasOpen: !!open };
}

export async function fileAppeal(
  db: DB,
  input: { actor: ScopedActor; itemId: number; subject: AppealSubjectCode; reason: string; now?: Date },
): Promise<{ ok: true; id: number } | Refusal> {
  const at = (input.now ?? new Date()).toISOString();
  const { actor } = input;
  return settle(() =>
    db.transaction().execute(async (trx) => {
      if (actor.role !== "school_lead") refuse(403, "只有本单位的分管领导可以提出申诉。");
      const found = await itemFacts(trx, input.itemId);
      if (!found) refuse(404, "稿件不存在。");
      // Another unit's item is not there for this person.
      if (found.row.unit_id !== actor.unitId) refuse(404, "稿件不存在。");
      const month = found.row.report_month;
      if (!month) refuse(409, "这篇稿件尚未到达教体局，没有可申诉的决定。");
      const [window, open] = await Promise.all([monthAppealWindow(trx, month, input.now), openAppealOf(trx, input.itemId)]);
      const problem = appealProblem({ item: found.facts, subject: input.subject, window, hasOpenAppeal: !!open });
      if (problem) throw new Refused(problem);
      const row = await trx
        .insertInto("appeals")
        .values({
          item_id: input.itemId, unit_id: found.row.unit_id, month, subject: input.subject, reason: input.reason, status: "open",
          filed_by: actor.id, filed_at: at,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      await notify(
        trx,
        await reviewers(trx),
        { kind: "appeal_filed", title: `新申诉（${appealSubjectName(input.subject)}）：${found.row.title}`, body: input.reason, link: `/review/${input.itemId}#appeal`, itemId: input.itemId },
        at,
      );
      await recordAudit(trx, {
        actorId: actor.id, actorName: actor.username, action: "appeal_filed", entityType: "item", entityId: input.itemId, to: "open",
        reason: input.reason, ip: actor.ip, at,
        detail: { appeal_id: row.id, unit_id: found.row.unit_id, month, subject: input.subject },
      });
      return { ok: true as const, id: row.id };
    }),
  );
}

/**
 * Marks an open appeal of this item answered, inside the caller's transaction (a correction that
 * answers it, or an upholding). Throws a 409 refusal when it is no longer open.
 */
export async function closeAppealIn(
  trx: Trx,
  input: { appealId: number; itemId: number; outcome: Exclude<AppealStatusCode, "open">; answer: string; actorId: number; at: string },
) {
  const appeal = await trx.selectFrom("appeals").selectAll().where("id", "=", input.appealId).executeTakeFirst();
  if (!appeal || appeal.item_id !== input.itemId) refuse(404, "这件申诉不存在。");
  if (appeal.status !== "open") refuse(409, "这件申诉已经答复过了，请刷新后查看。");
  await trx
    .updateTable("appeals")
    .set({ status: input.outcome, answer: input.answer, answered_by: input.actorId, answered_at: input.at })
    .where("id", "=", appeal.id)
    .where("status", "=", "open")
    .execute();
  return appeal;
}

/** A reviewer's answer without a correction: upheld (or corrected, after recording what was missing), with a reason. */
export async function answerAppeal(
  db: DB,
  input: { actor: ScopedActor; appealId: number; itemId: number; outcome: "upheld" | "corrected"; answer: string; now?: Date },
): Promise<{ ok: true } | Refusal> {
  const at = (input.now ?? new Date()).toISOString();
  return settle(() =>
    db.transaction().execute(async (trx) => {
      if (input.actor.role !== "reviewer") refuse(403, "只有审核员可以答复申诉。");
      const appeal = await closeAppealIn(trx, { ...input, actorId: input.actor.id, at });
      const item = await trx.selectFrom("items").select(["title"]).where("id", "=", appeal.item_id).executeTakeFirstOrThrow();
      const verdict = input.outcome === "upheld" ? "维持原决定" : "已更正";
      await notify(
        trx,
        [appeal.filed_by, ...(await schoolPeople(trx, appeal.item_id, appeal.unit_id))],
        { kind: "appeal_answered", title: `申诉已答复（${verdict}）：${item.title}`, body: input.answer, link: `/items/${appeal.item_id}#appeals`, itemId: appeal.item_id },
        at,
      );
      await recordAudit(trx, {
        actorId: input.actor.id, actorName: input.actor.username, action: "appeal_answered", entityType: "item", entityId: appeal.item_id,
        from: "open", to: input.outcome, reason: input.answer, ip: input.actor.ip, at,
        detail: { appeal_id: appeal.id, unit_id: appeal.unit_id, month: appeal.month, subject: appeal.subject },
      });
      return { ok: true as const };
    }),
  );
}

const appealColumns = [
  "appeals.id", "appeals.item_id", "appeals.unit_id", "appeals.month", "appeals.subject", "appeals.reason", "appeals.status",
  "appeals.filed_at", "appeals.answer", "appeals.answered_at", "items.title", "units.name as unit_name",
  "filer.display_name as filed_by_name", "answerer.display_name as answered_by_name",
] as const;

function appealsBase(db: AnyDB) {
  return db
    .selectFrom("appeals")
    .innerJoin("items", "items.id", "appeals.item_id")
    .innerJoin("units", "units.id", "appeals.unit_id")
    .innerJoin("accounts as filer", "filer.id", "appeals.filed_by")
    .leftJoin("accounts as answerer", "answerer.id", "appeals.answered_by");
}

const itemAppeals = preparedQuery((db: DB, itemId: number) =>
  appealsBase(db).select(appealColumns).where("appeals.item_id", "=", itemId).orderBy("appeals.id", "desc"),
);
const openAppealsOf = (db: AnyDB) => appealsBase(db).select(appealColumns).where("appeals.status", "=", "open");
const allOpenAppeals = preparedQuery((db: DB) => openAppealsOf(db).orderBy("appeals.filed_at").orderBy("appeals.id"));
const monthOpenAppeals = preparedQuery((db: DB, month: string) =>
  openAppealsOf(db).where("appeals.month", "=", month).orderBy("appeals.filed_at").orderBy("appeals.id"),
);

/** Appeals of one item, newest first. */
export async function appealsOfItem(db: AnyDB, itemId: number) {
  return itemAppeals(db, itemId);
}

/** Open appeals, oldest first: all of them, or a month's. */
export async function openAppeals(db: AnyDB, month?: string) {
  return month === undefined ? allOpenAppeals(db) : monthOpenAppeals(db, month);
}

export async function openAppealCount(db: AnyDB, month?: string): Promise<number> {
  let q = db.selectFrom("appeals").select((eb) => eb.fn.countAll<number>().as("n")).where("status", "=", "open");
  if (month !== undefined) q = q.where("month", "=", month);
  return Number((await q.executeTakeFirstOrThrow()).n);
}

export const APPEALS_PAGE_SIZE = 20;

/** /appeals: reviewers see every unit's; school roles only their own unit's. */
export async function listAppeals(
  db: AnyDB,
  actor: { role: string; unitId: number | null },
  filters: { status: AppealStatusCode | null; page: number },
) {
  let base = appealsBase(db);
  if (actor.role !== "reviewer") base = base.where("appeals.unit_id", "=", actor.unitId ?? -1);
  if (filters.status !== null) base = base.where("appeals.status", "=", filters.status);
  return paged(base, filters.page, APPEALS_PAGE_SIZE, (q) => q.select(appealColumns).orderBy("appeals.filed_at", "desc").orderBy("appeals.id", "desc"));
}
