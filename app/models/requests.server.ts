// 约稿: the reviewer issues a request to chosen units (or every active unit of a kind), cancels it
// with a reason before its deadline; an addressed unit answers with an item linked to it (see
// item-draft-checks.server.ts) or declines with a reason. Every write is one transaction with one
// audit row, notifies the other side and refreshes the affected unit-months' accounting (the
// request's outcomes are counted in the month of its deadline). The periodic run
// (runRequestJobs) settles requests whose deadline has passed and sends one reminder per
// addressed unit that has not answered when the deadline is near.
import type { Kysely, Transaction } from "kysely";
import type { Database } from "../../db/schema";
import { refuse, settle, type Refusal } from "~/domain/refusal";
import { answerProblem, cancelProblem, requestMonth, timeLeftText } from "~/domain/requests";
import { formatShanghai } from "~/domain/time";
import { recordAudit, type ScopedActor } from "~/models/audit.server";
import { notify, schoolStaff } from "~/models/notifications.server";
import { outcomesOfRequest } from "~/models/request-outcomes.server";
import { refreshUnitMonths } from "~/models/rollup.server";
import { getSetting } from "~/models/settings.server";

type DB = Kysely<Database>;
type Trx = Transaction<Database>;
type AnyDB = DB | Trx;

export const REQUEST_NOTIFICATION_KIND = "request";

const requestLink = (id: number) => `/requests/${id}`;

async function unitPeople(db: AnyDB, unitIds: readonly number[]): Promise<number[]> {
  return (await schoolStaff(db, unitIds)).map((p) => p.id);
}

/** Active units to address, with their kind, in the order the form lists them. */
export async function requestUnitChoices(db: AnyDB) {
  return db
    .selectFrom("units")
    .innerJoin("unit_kinds", "unit_kinds.code", "units.kind_code")
    .select(["units.id", "units.code", "units.name", "units.kind_code as kind", "unit_kinds.name as kind_name", "unit_kinds.sort_order"])
    .where("units.active", "=", 1)
    .orderBy("unit_kinds.sort_order")
    .orderBy("units.code")
    .execute();
}

export type WriteResult = { ok: true; id: number } | Refusal;

/**
 * Issues a request. With the form's one-time token, a second post of the same form (looked up
 * under the write lock, so of two at once exactly one issues) answers with the request the first
 * issued (`repeated`) and writes nothing.
 */
export async function createRequest(
  db: DB,
  actor: ScopedActor,
  input: { topic: string; guidance: string; dueAt: string; unitIds: number[]; formToken?: string },
  now = new Date(),
): Promise<{ ok: true; id: number; repeated: boolean } | Refusal> {
  const at = now.toISOString();
  return settle(() =>
    db.transaction().execute(async (trx) => {
      if (actor.role !== "reviewer") refuse(403, "只有审核员可以发出约稿。");
      if (input.formToken) {
        const earlier = await trx.selectFrom("requests").select("id").where("created_by", "=", actor.id).where("form_token", "=", input.formToken).executeTakeFirst();
        if (earlier) return { ok: true as const, id: earlier.id, repeated: true };
      }
      if (Date.parse(input.dueAt) <= now.getTime()) refuse(400, "截止时间必须晚于现在", { field: "due_date" });
      const active = await trx.selectFrom("units").select("id").where("id", "in", input.unitIds).where("active", "=", 1).execute();
      if (active.length !== new Set(input.unitIds).size || active.length === 0) refuse(400, "所选单位不存在或已停用，请刷新后重选", { field: "unit_ids" });
      const month = requestMonth(input.dueAt);
      const { id } = await trx
        .insertInto("requests")
        .values({
          topic: input.topic, guidance: input.guidance, due_at: input.dueAt, month, created_by: actor.id, created_at: at, cancelled_at: null,
          cancelled_by: null, settled_at: null, form_token: input.formToken ?? null,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      const unitIds = [...new Set(input.unitIds)];
      for (let i = 0; i < unitIds.length; i += 400) {
        await trx
          .insertInto("request_units")
          .values(unitIds.slice(i, i + 400).map((unit_id) => ({ request_id: id, unit_id, declined_at: null, declined_by: null, reminded_at: null })))
          .execute();
      }
      await notify(
        trx,
        await unitPeople(trx, unitIds),
        { kind: REQUEST_NOTIFICATION_KIND, title: `约稿：${input.topic}`, body: `请于 ${formatShanghai(input.dueAt)} 前报送，或说明理由婉拒。`, link: requestLink(id) },
        at,
      );
      await refreshUnitMonths(trx, unitIds.map((unitId) => ({ unitId, month })), now);
      await recordAudit(trx, {
        actorId: actor.id, actorName: actor.username, action: "request_created", entityType: "request", entityId: id, ip: actor.ip, at,
        detail: { topic: input.topic, due_at: input.dueAt, month, units: unitIds },
      });
      return { ok: true as const, id, repeated: false };
    }),
  );
}

async function requestRow(db: AnyDB, id: number) {
  return db.selectFrom("requests").selectAll().where("id", "=", id).executeTakeFirst();
}

export async function addressedUnits(db: AnyDB, id: number): Promise<number[]> {
  return (await db.selectFrom("request_units").select("unit_id").where("request_id", "=", id).execute()).map((r) => r.unit_id);
}

export async function cancelRequest(db: DB, actor: ScopedActor, id: number, reason: string, now = new Date()): Promise<WriteResult> {
  const at = now.toISOString();
  return settle(() =>
    db.transaction().execute(async (trx) => {
      if (actor.role !== "reviewer") refuse(403, "只有审核员可以取消约稿。");
      const r = await requestRow(trx, id);
      if (!r) refuse(404, "约稿不存在。");
      const problem = cancelProblem({ cancelledAt: r.cancelled_at, dueAt: r.due_at }, now);
      if (problem) refuse(problem.status, problem.message);
      await trx.updateTable("requests").set({ cancelled_at: at, cancelled_by: actor.id, cancel_reason: reason }).where("id", "=", id).where("cancelled_at", "is", null).execute();
      const units = await addressedUnits(trx, id);
      await notify(trx, await unitPeople(trx, units), { kind: REQUEST_NOTIFICATION_KIND, title: `约稿已取消：${r.topic}`, body: reason, link: requestLink(id) }, at);
      await refreshUnitMonths(trx, units.map((unitId) => ({ unitId, month: r.month })), now);
      await recordAudit(trx, {
        actorId: actor.id, actorName: actor.username, action: "request_cancelled", entityType: "request", entityId: id, ip: actor.ip, at, reason,
        detail: { topic: r.topic, month: r.month, units: units.length },
      });
      return { ok: true as const, id };
    }),
  );
}

export async function declineRequest(db: DB, actor: ScopedActor, id: number, reason: string, now = new Date()): Promise<WriteResult> {
  const at = now.toISOString();
  return settle(() =>
    db.transaction().execute(async (trx) => {
      if ((actor.role !== "correspondent" && actor.role !== "school_lead") || actor.unitId === null) refuse(403, "只有约稿单位的信息员或分管领导可以婉拒约稿。");
      const unitId = actor.unitId;
      const r = await requestRow(trx, id);
      const row = r ? await trx.selectFrom("request_units").selectAll().where("request_id", "=", id).where("unit_id", "=", unitId).executeTakeFirst() : undefined;
      if (!r) refuse(404, "约稿不存在。");
      const problem = answerProblem({ cancelledAt: r.cancelled_at, dueAt: r.due_at, addressed: !!row }, "decline", now);
      if (problem) refuse(problem.status, problem.message);
      if (row!.declined_at) refuse(409, "本单位已经婉拒了这项约稿。");
      await trx
        .updateTable("request_units")
        .set({ declined_at: at, declined_by: actor.id, decline_reason: reason })
        .where("request_id", "=", id)
        .where("unit_id", "=", unitId)
        .where("declined_at", "is", null)
        .execute();
      const unit = await trx.selectFrom("units").select("name").where("id", "=", unitId).executeTakeFirstOrThrow();
      await notify(trx, [r.created_by], { kind: REQUEST_NOTIFICATION_KIND, title: `${unit.name}婉拒约稿：${r.topic}`, body: reason, link: requestLink(id) }, at);
      await refreshUnitMonths(trx, [{ unitId, month: r.month }], now);
      await recordAudit(trx, {
        actorId: actor.id, actorName: actor.username, action: "request_declined", entityType: "request", entityId: id, ip: actor.ip, at, reason,
        detail: { unit_id: unitId, month: r.month },
      });
      return { ok: true as const, id };
    }),
  );
}

// ---------------------------------------------------------------------------------------------
// The periodic run

/**
 * Requests whose deadline has passed and that were not settled yet: each one's addressed
 * unit-months are refreshed (open → missed, awaiting stays until decided) and it is stamped, in
 * one transaction with one audit row. Safe to call as often as one likes.
 */
export async function settleDueRequests(db: DB, now = new Date()): Promise<number[]> {
  const at = now.toISOString();
  const due = await db.selectFrom("requests").select("id").where("settled_at", "is", null).where("cancelled_at", "is", null).where("due_at", "<", at).execute();
  const settled: number[] = [];
  for (const { id } of due) {
    const done = await db.transaction().execute(async (trx) => {
      const r = await trx.selectFrom("requests").select(["id", "month", "topic"]).where("id", "=", id).where("settled_at", "is", null).where("cancelled_at", "is", null).executeTakeFirst();
      if (!r) return false;
      const units = await addressedUnits(trx, id);
      await refreshUnitMonths(trx, units.map((unitId) => ({ unitId, month: r.month })), now);
      await trx.updateTable("requests").set({ settled_at: at }).where("id", "=", id).execute();
      const outcomes = await outcomesOfRequest(trx, id, now);
      const tally: Record<string, number> = {};
      for (const o of outcomes.values()) tally[o] = (tally[o] ?? 0) + 1;
      await recordAudit(trx, { actorId: null, action: "requests_settled", entityType: "request", entityId: id, at, detail: { month: r.month, outcomes: tally } });
      return true;
    });
    if (done) settled.push(id);
  }
  return settled;
}

/**
 * One reminder per addressed unit that has not answered (no linked item at the bureau, not
 * declined) once the deadline is within `requestRemindHours`; stamped per request and unit.
 */
export async function sendRequestReminders(db: DB, now = new Date()): Promise<Array<{ requestId: number; unitId: number }>> {
  const at = now.toISOString();
  const hours = await getSetting(db, "requestRemindHours");
  const until = new Date(now.getTime() + hours * 3_600_000).toISOString();
  const rows = await db
    .selectFrom("request_units as ru")
    .innerJoin("requests as r", "r.id", "ru.request_id")
    .select(["ru.request_id", "ru.unit_id", "r.topic", "r.due_at"])
    .where("ru.reminded_at", "is", null)
    .where("ru.declined_at", "is", null)
    .where("r.cancelled_at", "is", null)
    .where("r.due_at", ">", at)
    .where("r.due_at", "<=", until)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom("items")
            .select("items.id")
            .whereRef("items.request_id", "=", "ru.request_id")
            .whereRef("items.unit_id", "=", "ru.unit_id")
            .where("items.status", "in", ["submitted", "adopted", "rejected", "withdrawn"]),
        ),
      ),
    )
    .execute();
  const sent: Array<{ requestId: number; unitId: number }> = [];
  for (const row of rows) {
    const done = await db.transaction().execute(async (trx) => {
      const stamped = await trx
        .updateTable("request_units")
        .set({ reminded_at: at })
        .where("request_id", "=", row.request_id)
        .where("unit_id", "=", row.unit_id)
        .where("reminded_at", "is", null)
        .executeTakeFirst();
      if (Number(stamped.numUpdatedRows) !== 1) return false;
      await notify(
        trx,
        await unitPeople(trx, [row.unit_id]),
        {
          kind: REQUEST_NOTIFICATION_KIND, title: `约稿即将截止：${row.topic}`,
          body: `截止时间 ${formatShanghai(row.due_at)}（${timeLeftText(row.due_at, now)}），请尽快报送或说明理由婉拒。`, link: requestLink(row.request_id),
        },
        at,
      );
      await recordAudit(trx, {
        actorId: null, action: "request_reminded", entityType: "request", entityId: row.request_id, at, detail: { unit_id: row.unit_id },
      });
      return true;
    });
    if (done) sent.push({ requestId: row.request_id, unitId: row.unit_id });
  }
  return sent;
}

/** The 约稿 part of the periodic run: settle what has passed its deadline, remind what is near. */
export async function runRequestJobs(db: DB, now = new Date()) {
  const settled = await settleDueRequests(db, now);
  const reminded = await sendRequestReminders(db, now);
  return { settled, reminded };
}
