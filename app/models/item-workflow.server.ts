// Moving an item through its life. One transition = one transaction: the item row (guarded by
// its version, so two reviewers cannot both win), one review event (the item's audit trail),
// and the notifications it causes.
import type { Kysely, Transaction } from "kysely";
import type { Database, Grade, ItemStatus } from "../../db/schema";
import { isLate, reportMonthOnArrival } from "~/domain/report-month";
import { buildMatcher, distinctWords, findSensitiveWords } from "~/domain/sensitive-words";
import { refuse, Refused, settle, type Refusal } from "~/domain/refusal";
import { decideTransition, submitProblem, transitionInputProblem, type ItemAction } from "~/domain/workflow";
import type { SessionUser } from "~/models/auth.server";
import { notify } from "~/models/notifications.server";
import { requestPairsOfItem } from "~/models/request-outcomes.server";
import { refreshUnitMonths } from "~/models/rollup.server";
import { getSetting } from "~/models/settings.server";

type DB = Kysely<Database>;
type Trx = Transaction<Database>;

export interface TransitionRequest {
  itemId: number;
  action: ItemAction;
  actor: SessionUser;
  /** The version the person saw; a mismatch means someone else acted first. */
  expectedVersion?: number;
  reason?: string;
  grade?: Grade;
  /** 撤稿 may also revoke the item's points. */
  revokePoints?: boolean;
  /** 涉密自查: required to submit. */
  confidentialChecked?: boolean;
  now?: Date;
}

export type TransitionResult =
  | { ok: true; itemId: number; from: ItemStatus; to: ItemStatus; version: number }
  | Refusal;

export async function transitionItem(db: DB, req: TransitionRequest): Promise<TransitionResult> {
  return settle(() => db.transaction().execute((trx) => applyTransition(trx, req)));
}

/**
 * The same transition inside a transaction the caller already holds (creating and submitting an
 * item in one go). Every refusal is decided before anything is written, so a refused transition
 * leaves the caller's transaction as it was.
 */
export async function transitionItemIn(trx: Trx, req: TransitionRequest): Promise<TransitionResult> {
  return settle(() => applyTransition(trx, req));
}

async function applyTransition(trx: Trx, req: TransitionRequest): Promise<Extract<TransitionResult, { ok: true }>> {
  const now = req.now ?? new Date();
  const at = now.toISOString();
  const item = await trx
    .selectFrom("items")
    .innerJoin("units", "units.id", "items.unit_id")
    .select([
      "items.id", "items.unit_id", "items.status", "items.version", "items.title", "items.body", "items.event_date",
      "items.report_month", "items.first_submitted_at", "items.late", "units.signoff_required",
    ])
    .where("items.id", "=", req.itemId)
    .executeTakeFirst();
  if (!item) refuse(404, "稿件不存在。");

  const decision = decideTransition({
    action: req.action,
    actor: { role: req.actor.role, unitId: req.actor.unitId },
    item: { status: item.status, unitId: item.unit_id },
    unitSignoffRequired: item.signoff_required === 1,
  });
  if (!decision.ok) throw new Refused(decision);
  if (req.expectedVersion !== undefined && req.expectedVersion !== item.version) {
    refuse(409, req.actor.role === "reviewer" ? "该稿件已被他人处理，请刷新后查看最新状态。" : "稿件已有更新，请刷新后重试。");
  }
  const reason = (req.reason ?? "").trim();
  const inputProblem = transitionInputProblem({ action: req.action, needsReason: decision.needsReason, reason, grade: req.grade });
  if (inputProblem) throw new Refused(inputProblem);
  if (req.action === "submit") await checkSubmittable(trx, item, req.confidentialChecked === true);

  const patch: Partial<Record<string, unknown>> = { status: decision.to, version: item.version + 1, updated_at: at };
  if (decision.arrivesAtBureau) {
    const closed = await closedMonths(trx);
    patch.report_month = reportMonthOnArrival({ current: item.report_month, arrivedAt: at, closedMonths: closed });
    patch.submitted_at = at;
    if (!item.first_submitted_at) {
      patch.first_submitted_at = at;
      patch.late = isLate(item.event_date, at, await getSetting(trx, "lateAfterDays", patch.report_month as string)) ? 1 : 0;
    }
  }
  if (req.action === "submit") patch.confidential_checked = 1;
  if (req.action === "adopt") Object.assign(patch, { grade: req.grade, decided_at: at, decided_by: req.actor.id });
  if (req.action === "reject") Object.assign(patch, { decided_at: at, decided_by: req.actor.id });
  if (req.action === "return") patch.returned_count = (await returnedCount(trx, item.id)) + 1;
  if (req.action === "withdraw" && req.revokePoints) patch.points_revoked = 1;
  if (decision.needsReason) patch.last_reason = reason;

  const updated = await trx
    .updateTable("items")
    .set(patch)
    .where("id", "=", item.id)
    .where("version", "=", item.version)
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) !== 1) {
    refuse(409, "该稿件已被他人处理，请刷新后查看最新状态。");
  }
  // The month's accounting moves with the item, in this same transaction.
  const newMonth = (patch.report_month as string | undefined) ?? item.report_month;
  await refreshUnitMonths(trx, [
    { unitId: item.unit_id, month: item.report_month },
    { unitId: item.unit_id, month: newMonth },
    // The 约稿 the item answers: its outcome moves with the item.
    ...(await requestPairsOfItem(trx, item.id)),
  ], now);
  await trx
    .insertInto("review_events")
    .values({
      item_id: item.id, actor_id: req.actor.id, action: req.action, from_status: item.status, to_status: decision.to,
      grade: req.action === "adopt" ? req.grade! : null, reason, at,
    })
    .execute();
  await notifyFor(trx, req.action, decision.to, { id: item.id, unitId: item.unit_id, title: item.title }, reason, at);
  return { ok: true as const, itemId: item.id, from: item.status, to: decision.to, version: item.version + 1 };
}

async function checkSubmittable(trx: Trx, item: { id: number; title: string; body: string }, confidentialChecked: boolean) {
  const lexicon = confidentialChecked ? await trx.selectFrom("sensitive_words").select(["word", "level"]).execute() : [];
  // Title and body separately: matching drops whitespace, and a word must not span the two.
  const matcher = buildMatcher(lexicon);
  const hits = [...findSensitiveWords(matcher, item.title), ...findSensitiveWords(matcher, item.body)];
  const problem = submitProblem({ confidentialChecked, blockedWords: distinctWords(hits, "block") });
  if (problem) throw new Refused(problem);
}

async function closedMonths(trx: Trx): Promise<Set<string>> {
  const rows = await trx.selectFrom("month_closes").select("month").where("reopened_at", "is", null).execute();
  return new Set(rows.map((r) => r.month));
}

async function returnedCount(trx: Trx, itemId: number): Promise<number> {
  const row = await trx.selectFrom("items").select("returned_count").where("id", "=", itemId).executeTakeFirstOrThrow();
  return row.returned_count;
}

const NOTICE_TEXT: Partial<Record<ItemAction, { kind: string; title: (t: string) => string }>> = {
  send_back: { kind: "item_sent_back", title: (t) => `稿件被校内退回修改：${t}` },
  return: { kind: "item_returned", title: (t) => `稿件被退回修改：${t}` },
  adopt: { kind: "item_adopted", title: (t) => `稿件已采用：${t}` },
  reject: { kind: "item_rejected", title: (t) => `稿件未被采用：${t}` },
  withdraw: { kind: "item_withdrawn", title: (t) => `稿件已撤稿：${t}` },
};

async function notifyFor(
  trx: Trx,
  action: ItemAction,
  to: ItemStatus,
  item: { id: number; unitId: number; title: string },
  reason: string,
  at: string,
) {
  const link = `/items/${item.id}`;
  if (to === "pending_school" || action === "recall") {
    const leads = await trx
      .selectFrom("accounts")
      .select("id")
      .where("unit_id", "=", item.unitId)
      .where("role", "=", "school_lead")
      .where("active", "=", 1)
      .execute();
    const notice = action === "recall"
      ? { kind: "item_recalled", title: `信息员已撤回修改，无需签发：${item.title}` }
      : { kind: "signoff_waiting", title: `待您签发：${item.title}` };
    await notify(trx, leads.map((l) => l.id), { ...notice, link, itemId: item.id }, at);
    return;
  }
  const text = NOTICE_TEXT[action];
  if (!text) return;
  // The item's correspondents: its bylines and whoever wrote it.
  const people = await trx
    .selectFrom("item_bylines")
    .innerJoin("accounts", "accounts.id", "item_bylines.account_id")
    .select("accounts.id")
    .where("item_bylines.item_id", "=", item.id)
    .where("accounts.active", "=", 1)
    .union(
      trx.selectFrom("items").innerJoin("accounts", "accounts.id", "items.created_by").select("accounts.id").where("items.id", "=", item.id).where("accounts.active", "=", 1),
    )
    .execute();
  await notify(trx, people.map((p) => p.id), { kind: text.kind, title: text.title(item.title), body: reason, link, itemId: item.id }, at);
}
