// Corrections with a reason: a reviewer changes an adopted (or rejected) item's grade, or removes
// a pickup or a 批示. One transaction: the change, the unit-month rollup refreshed, one entry in
// the item's trail (review_events), one corrections row (what it was, what it became, why), the
// school notified, one audit row carrying the unit's id. When the item's month is closed the
// change reaches the live numbers only: the frozen snapshot and a published notice stay as they
// were, and the difference shows as a change when the month is reopened and closed again.
import type { Kysely, Transaction } from "kysely";
import type { Database, Grade } from "../../db/schema";
import { correctionKindName, gradeChangeProblem, nameOfGrade, type CorrectionKindCode } from "~/domain/appeals";
import { INSTRUCTION_LEVELS, TIERS, nameOf } from "~/domain/catalog";
import { refuse, Refused, settle, type Refusal } from "~/domain/refusal";
import type { AuditAction } from "~/domain/audit-actions";
import { closeAppealIn, schoolPeople } from "~/models/appeals.server";
import { recordAudit, type ScopedActor } from "~/models/audit.server";
import { currentClose } from "~/models/months.server";
import { notify } from "~/models/notifications.server";
import { requestPairsOfItem } from "~/models/request-outcomes.server";
import { refreshUnitMonths } from "~/models/rollup.server";

/** The code each kind of correction leaves in the item's trail (a grade change reads 更正等次). */
const TRAIL_CODE: Record<CorrectionKindCode, "regrade" | "pickup_removed" | "instruction_removed" | "late_cleared"> = {
  grade: "regrade", pickup_removed: "pickup_removed", instruction_removed: "instruction_removed", late_cleared: "late_cleared",
};

type DB = Kysely<Database>;
type Trx = Transaction<Database>;

export type CorrectionResult = { ok: true; correctionId: number; monthClosed: boolean; title: string } | Refusal;

const AUDIT: Record<CorrectionKindCode, AuditAction> = {
  grade: "grade_corrected",
  pickup_removed: "pickup_removed",
  instruction_removed: "instruction_removed",
  late_cleared: "late_cleared",
};

interface Change {
  kind: CorrectionKindCode;
  before: string;
  after: string;
  detail: Record<string, unknown>;
}

async function correct(
  db: DB,
  input: { actor: ScopedActor; itemId: number; reason: string; appealId: number | null; now?: Date },
  apply: (
    trx: Trx,
    item: { id: number; unit_id: number; status: Database["items"]["status"]; grade: Grade | null; version: number; title: string; late: 0 | 1 },
    at: string,
  ) => Promise<Change>,
): Promise<CorrectionResult> {
  const at = (input.now ?? new Date()).toISOString();
  const reason = input.reason.trim();
  return settle(() =>
    db.transaction().execute(async (trx) => {
      if (input.actor.role !== "reviewer") refuse(403, "只有审核员可以更正审核结果。");
      if (!reason) refuse(400, "请填写更正理由", { field: "reason" });
      const item = await trx
        .selectFrom("items")
        .select(["id", "unit_id", "status", "grade", "version", "title", "report_month", "late"])
        .where("id", "=", input.itemId)
        .executeTakeFirst();
      if (!item || !item.report_month) refuse(404, "稿件不存在。");
      const month = item.report_month;
      const change = await apply(trx, item, at);
      const to = change.kind === "grade" ? "adopted" : item.status;
      // Every correction moves the item's version: a form opened before it is stale.
      await trx.updateTable("items").set({ version: item.version + 1, updated_at: at }).where("id", "=", item.id).execute();
      await refreshUnitMonths(trx, [{ unitId: item.unit_id, month }, ...(await requestPairsOfItem(trx, item.id))]);
      const closed = !!(await currentClose(trx, month));
      if (input.appealId !== null) {
        await closeAppealIn(trx, { appealId: input.appealId, itemId: item.id, outcome: "corrected", answer: reason, actorId: input.actor.id, at });
      }
      await trx
        .insertInto("review_events")
        .values({
          item_id: item.id, actor_id: input.actor.id, action: TRAIL_CODE[change.kind], from_status: item.status,
          to_status: to, grade: change.kind === "grade" ? (change.detail.grade as Grade) : null,
          reason: `${change.before} → ${change.after}。${reason}`, ip: input.actor.ip, at,
        })
        .execute();
      const row = await trx
        .insertInto("corrections")
        .values({
          item_id: item.id, unit_id: item.unit_id, month, kind: change.kind, before_text: change.before, after_text: change.after, reason,
          appeal_id: input.appealId, month_closed: closed ? 1 : 0, created_by: input.actor.id, created_at: at,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      await notify(
        trx,
        await schoolPeople(trx, item.id, item.unit_id),
        {
          kind: "item_corrected",
          title: `${input.appealId !== null ? "申诉已更正" : "审核结果已更正"}（${correctionKindName(change.kind)}）：${item.title}`,
          body: `${change.before} → ${change.after}。理由：${reason}`,
          link: `/items/${item.id}#corrections`,
          itemId: item.id,
        },
        at,
      );
      await recordAudit(trx, {
        actorId: input.actor.id, actorName: input.actor.username, action: AUDIT[change.kind], entityType: "item", entityId: item.id,
        from: change.before, to: change.after, reason, ip: input.actor.ip, at,
        detail: { ...change.detail, correction_id: row.id, unit_id: item.unit_id, month, month_closed: closed, appeal_id: input.appealId },
      });
      return { ok: true as const, correctionId: row.id, monthClosed: closed, title: item.title };
    }),
  );
}

/** A new grade for an adopted or withdrawn item; a rejected item adopted with the grade. */
export function correctGrade(
  db: DB,
  input: { actor: ScopedActor; itemId: number; expectedVersion: number; grade: Grade; reason: string; appealId: number | null; now?: Date },
): Promise<CorrectionResult> {
  return correct(db, input, async (trx, item, at) => {
    if (item.version !== input.expectedVersion) refuse(409, "该稿件已被他人处理，请刷新后查看最新状态。");
    const problem = gradeChangeProblem(item, input.grade);
    if (problem) throw new Refused(problem);
    const patch = item.status === "rejected"
      ? { status: "adopted" as const, grade: input.grade, decided_at: at, decided_by: input.actor.id }
      : { grade: input.grade };
    const updated = await trx.updateTable("items").set(patch).where("id", "=", item.id).where("version", "=", item.version).executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1) refuse(409, "该稿件已被他人处理，请刷新后查看最新状态。");
    // Only a rejected item changes state here: an adopted one stays adopted, a withdrawn one withdrawn.
    const rejected = item.status === "rejected";
    const before = rejected ? "不采用" : `等次${nameOfGrade(item.grade)}`;
    const after = `${rejected ? "采用，" : ""}等次${nameOfGrade(input.grade)}`;
    return { kind: "grade", before, after, detail: { grade: input.grade, previous_grade: item.grade, previous_status: item.status } };
  });
}

export function removePickup(
  db: DB,
  input: { actor: ScopedActor; itemId: number; pickupId: number; reason: string; appealId: number | null; now?: Date },
): Promise<CorrectionResult> {
  return correct(db, input, async (trx, item) => {
    const p = await trx.selectFrom("pickups").selectAll().where("id", "=", input.pickupId).where("item_id", "=", item.id).executeTakeFirst();
    if (!p) refuse(409, "这条上稿记录已不存在，请刷新后查看。");
    await trx.deleteFrom("pickups").where("id", "=", p.id).execute();
    return {
      kind: "pickup_removed", before: `上稿：${p.outlet}（${nameOf(TIERS, p.tier)}，${p.picked_on}）`, after: "已删除",
      detail: { pickup_id: p.id, outlet: p.outlet, tier: p.tier, picked_on: p.picked_on, url: p.url },
    };
  });
}

export function removeInstruction(
  db: DB,
  input: { actor: ScopedActor; itemId: number; instructionId: number; reason: string; appealId: number | null; now?: Date },
): Promise<CorrectionResult> {
  return correct(db, input, async (trx, item) => {
    const x = await trx.selectFrom("instructions").selectAll().where("id", "=", input.instructionId).where("item_id", "=", item.id).executeTakeFirst();
    if (!x) refuse(409, "这条批示记录已不存在，请刷新后查看。");
    await trx.deleteFrom("instructions").where("id", "=", x.id).execute();
    return {
      kind: "instruction_removed", before: `批示：${x.leader}（${nameOf(INSTRUCTION_LEVELS, x.level)}，${x.instructed_on}）`, after: "已删除",
      detail: { instruction_id: x.id, level: x.level, leader: x.leader, instructed_on: x.instructed_on },
    };
  });
}

/** Clears the 迟报 mark of a decided item (its −0.5 and its count in the month's late column go). */
export function clearLate(
  db: DB,
  input: { actor: ScopedActor; itemId: number; expectedVersion: number; reason: string; appealId: number | null; now?: Date },
): Promise<CorrectionResult> {
  return correct(db, input, async (trx, item) => {
    if (item.version !== input.expectedVersion) refuse(409, "该稿件已被他人处理，请刷新后查看最新状态。");
    if (item.late !== 1) refuse(409, "这篇稿件没有迟报标记，请刷新后查看。");
    if (!["adopted", "withdrawn", "rejected"].includes(item.status)) refuse(409, "只有已作出决定的稿件才能更正，请刷新后查看。");
    await trx.updateTable("items").set({ late: 0 }).where("id", "=", item.id).execute();
    return { kind: "late_cleared", before: "迟报", after: "不计迟报", detail: {} };
  });
}

/** An item's corrections, newest first, with who made them. */
export async function correctionsOfItem(db: DB | Trx, itemId: number) {
  return db
    .selectFrom("corrections")
    .innerJoin("accounts", "accounts.id", "corrections.created_by")
    .select([
      "corrections.id", "corrections.kind", "corrections.before_text", "corrections.after_text", "corrections.reason",
      "corrections.month_closed", "corrections.appeal_id", "corrections.created_at", "accounts.display_name as by_name",
    ])
    .where("corrections.item_id", "=", itemId)
    .orderBy("corrections.id", "desc")
    .execute();
}
