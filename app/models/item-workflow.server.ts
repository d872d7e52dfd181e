// Moving an item through its life. One transition = one transaction: the item row (guarded by
// its version, so two reviewers cannot both win), one review event (the item's audit trail),
// and the notifications it causes. Every statement in it is a round trip while the turn to write
// is held, so it reads what it needs once, with the item (tests/models/write-statements.test.ts).
// With several processes the transaction runs in the primary (named-writes.server.ts).
import { sql, type Kysely, type Transaction } from "kysely";
import { preparedQuery } from "../../db/prepared-query";
import type { Database, Grade, ItemStatus } from "../../db/schema";
import { isLate, reportMonthOnArrival } from "~/domain/report-month";
import { buildMatcher, distinctWords, findSensitiveWords } from "~/domain/sensitive-words";
import { refusal, refuse, Refused, settle, type Refusal } from "~/domain/refusal";
import { decideTransition, decisionNotice, repeatedOrMovedOn, submitProblem, transitionInputProblem, type ItemAction } from "~/domain/workflow";
import type { SessionUser } from "~/models/auth.server";
import { namedWrite } from "~/models/named-writes.server";
import { notifySelected } from "~/models/notifications.server";
import { refreshUnitMonths } from "~/models/rollup.server";
import { lexiconMatcher } from "~/models/sensitive-words.server";
import { settingColumn, settingFromColumn } from "~/models/settings.server";

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
  /**
   * The client's address, for the item's trail (来源地址). Part of the payload, so it reaches the
   * primary with the rest of the request; absent (stored as '') for the system's own transitions.
   */
  ip?: string;
  now?: Date;
}

export type TransitionResult =
  | { ok: true; itemId: number; title: string; from: ItemStatus; to: ItemStatus; version: number }
  | Refusal;

/** The transition's transaction; in a worker of several, run by the primary (named-writes.server.ts). */
const transitionWrite = namedWrite("item-transition", applyTransition);

export async function transitionItem(db: DB, req: TransitionRequest): Promise<TransitionResult> {
  return settle(() => transitionWrite(db, req));
}

/**
 * The same transition inside a transaction the caller already holds (creating and submitting an
 * item in one go). Every refusal is decided before anything is written, so a refused transition
 * leaves the caller's transaction as it was.
 */
export async function transitionItemIn(trx: Trx, req: TransitionRequest): Promise<TransitionResult> {
  return settle(() => applyTransition(trx, req));
}

/** The item a transition acts on, with what deciding it needs (its unit's sign-off rule, the closed months, the lateness setting). */
const transitionSubject = preparedQuery((db: DB, itemId: number) =>
  db
    .selectFrom("items")
    .innerJoin("units", "units.id", "items.unit_id")
    // The 约稿 the item answers: its outcome moves with the item.
    .leftJoin("requests", "requests.id", "items.request_id")
    .select([
      "items.id", "items.unit_id", "items.status", "items.version", "items.title", "items.body", "items.event_date",
      "items.report_month", "items.first_submitted_at", "items.late", "items.returned_count", "units.signoff_required",
      "requests.month as request_month",
      // What an arrival at the bureau decides its report month and lateness by.
      sql<string>`(select json_group_array(month) from month_closes where reopened_at is null)`.as("closed_months"),
      // The captions of its photos, in the order the item shows them, for the 错敏词 check of a 报送.
      sql<string>`(select json_group_array(json_array(p.id, p.caption)) from (select id, caption from photos where item_id = items.id order by sort_order, id) p)`.as("captions"),
      settingColumn("lateAfterDays").as("late_after_days"),
    ])
    .where("items.id", "=", itemId),
);

/** The latest entry of an item's trail, read only when a transition finds the item moved on. */
const latestTrailEntry = preparedQuery((db: DB, itemId: number) =>
  db.selectFrom("review_events").select(["actor_id", "action", "at", "grade"]).where("item_id", "=", itemId).orderBy("id", "desc").limit(1),
);

const recordReviewEvent = preparedQuery(
  (db: DB, itemId: number, actorId: number, action: ItemAction, from: ItemStatus, to: ItemStatus, grade: Grade | null, reason: string, ip: string, at: string) =>
    db.insertInto("review_events").values({ item_id: itemId, actor_id: actorId, action, from_status: from, to_status: to, grade, reason, ip, at }),
);

async function applyTransition(trx: Trx, req: TransitionRequest): Promise<Extract<TransitionResult, { ok: true }>> {
  const now = req.now ?? new Date();
  const at = now.toISOString();
  const [item] = await transitionSubject(trx, req.itemId);
  if (!item) refuse(404, "稿件不存在。");

  const decision = decideTransition({
    action: req.action,
    actor: { role: req.actor.role, unitId: req.actor.unitId },
    item: { status: item.status, unitId: item.unit_id },
    unitSignoffRequired: item.signoff_required === 1,
  });
  // The item has moved on since the person's page: told whether it was their own earlier post.
  const movedOn = async (refused: Refusal): Promise<never> => {
    const [latest] = await latestTrailEntry(trx, item.id);
    throw new Refused(repeatedOrMovedOn({
      action: req.action, actorId: req.actor.id, seenVersion: req.expectedVersion, version: item.version,
      latest: latest ? { actorId: latest.actor_id, action: latest.action, at: latest.at, grade: latest.grade } : null, movedOn: refused,
    }));
  };
  if (!decision.ok) {
    if (decision.status === 409) await movedOn(decision);
    throw new Refused(decision);
  }
  if (req.expectedVersion !== undefined && req.expectedVersion !== item.version) {
    await movedOn(refusal(409, req.actor.role === "reviewer" ? "该稿件已被他人处理，请刷新后查看最新状态。" : "稿件已有更新，请刷新后重试。"));
  }
  const reason = (req.reason ?? "").trim();
  const inputProblem = transitionInputProblem({ action: req.action, needsReason: decision.needsReason, reason, grade: req.grade });
  if (inputProblem) throw new Refused(inputProblem);
  if (req.action === "submit") await checkSubmittable(trx, item, req.confidentialChecked === true);

  const patch: Partial<Record<string, unknown>> = { status: decision.to, version: item.version + 1, updated_at: at };
  if (decision.arrivesAtBureau) {
    const closed = new Set(JSON.parse(item.closed_months) as string[]);
    patch.report_month = reportMonthOnArrival({ current: item.report_month, arrivedAt: at, closedMonths: closed });
    patch.submitted_at = at;
    if (!item.first_submitted_at) {
      patch.first_submitted_at = at;
      patch.late = isLate(item.event_date, at, settingFromColumn("lateAfterDays", item.late_after_days, patch.report_month as string)) ? 1 : 0;
    }
  }
  if (req.action === "submit") patch.confidential_checked = 1;
  if (req.action === "adopt") Object.assign(patch, { grade: req.grade, decided_at: at, decided_by: req.actor.id });
  if (req.action === "reject") Object.assign(patch, { decided_at: at, decided_by: req.actor.id });
  if (req.action === "return") patch.returned_count = item.returned_count + 1;
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
    { unitId: item.unit_id, month: item.request_month },
  ], now);
  await recordReviewEvent(trx, item.id, req.actor.id, req.action, item.status, decision.to, req.action === "adopt" ? req.grade! : null, reason, req.ip ?? "", at);
  await notifyFor(trx, req.action, decision.to, { id: item.id, unitId: item.unit_id, title: item.title }, { reason, grade: req.action === "adopt" ? req.grade! : null }, at);
  return { ok: true as const, itemId: item.id, title: item.title, from: item.status, to: decision.to, version: item.version + 1 };
}

async function checkSubmittable(trx: Trx, item: { id: number; title: string; body: string; captions: string }, confidentialChecked: boolean) {
  // The lexicon as this transaction sees it (the shared matcher is built afresh for a transaction).
  const matcher = confidentialChecked ? await lexiconMatcher(trx) : buildMatcher([]);
  // Title, body and each caption separately: matching drops whitespace, and a word must not span two.
  const hits = [...findSensitiveWords(matcher, item.title), ...findSensitiveWords(matcher, item.body)];
  const captionWords = (JSON.parse(item.captions) as Array<[number, string]>).map(([photoId, caption], i) => ({
    photoId, position: i + 1, blockedWords: distinctWords(findSensitiveWords(matcher, caption), "block"),
  }));
  const problem = submitProblem({ confidentialChecked, blockedWords: distinctWords(hits, "block"), captionWords });
  if (problem) throw new Refused(problem);
}

async function notifyFor(
  trx: Trx,
  action: ItemAction,
  to: ItemStatus,
  item: { id: number; unitId: number; title: string },
  detail: { reason: string; grade: Grade | null },
  at: string,
) {
  const link = `/items/${item.id}`;
  if (to === "pending_school" || action === "recall") {
    const leads = trx
      .selectFrom("accounts")
      .select("id")
      .where("unit_id", "=", item.unitId)
      .where("role", "=", "school_lead")
      .where("active", "=", 1);
    const notice = action === "recall"
      ? { kind: "item_recalled", title: `信息员已撤回修改，无需签发：${item.title}` }
      : { kind: "signoff_waiting", title: `待您签发：${item.title}` };
    await notifySelected(trx, leads, { ...notice, link, itemId: item.id }, at);
    return;
  }
  const notice = decisionNotice(action, item.title, detail);
  if (!notice) return;
  // The item's correspondents: its bylines and whoever wrote it.
  const people = trx
    .selectFrom("item_bylines")
    .innerJoin("accounts", "accounts.id", "item_bylines.account_id")
    .select("accounts.id")
    .where("item_bylines.item_id", "=", item.id)
    .where("accounts.active", "=", 1)
    .union(
      trx.selectFrom("items").innerJoin("accounts", "accounts.id", "items.created_by").select("accounts.id").where("items.id", "=", item.id).where("accounts.active", "=", 1),
    );
  await notifySelected(trx, people, { ...notice, link, itemId: item.id }, at);
}
