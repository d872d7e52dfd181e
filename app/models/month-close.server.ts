// Closing a month (freezing its league with the rule versions used, refused while any item waits
// for review), reopening it with a reason, and what changed between two closes; all audited.
import { sql, type Kysely, type Transaction } from "kysely";
import type { Database } from "../../db/schema";
import { QUOTA_STATUS_NAMES } from "~/domain/points";
import { rankBy } from "~/domain/ranking";
import { monthLabel } from "~/domain/time";
import { recordAudit } from "~/models/audit.server";
import type { SessionUser } from "~/models/auth.server";
import { adoptedItemsByName, refreshMonth } from "~/models/rollup.server";
import { pointsRulesFor, quotasFor } from "~/models/rules.server";
import { snapshotThemes } from "~/models/themes.server";

type DB = Kysely<Database> | Transaction<Database>;
import { currentClose, liveLeague } from "~/models/months.server";
import { storeChannelYearTotals, storePeopleYearTotals, storeYearTotals } from "~/models/year-totals.server";

export type CloseResult =
  | { ok: true; closeId: number; changes: CloseChange[] }
  | { ok: false; status: 409; message: string; waiting?: Array<{ id: number; title: string; unit_name: string }> };

export interface CloseChange {
  unitId: number;
  name: string;
  field: string;
  before: string;
  after: string;
}

/** Closes a month: refused while any of its items waits for review; otherwise freezes it. */
export async function closeMonth(db: Kysely<Database>, input: { month: string; actor: Pick<SessionUser, "id" | "username">; ip?: string; now?: Date }): Promise<CloseResult> {
  const at = (input.now ?? new Date()).toISOString();
  return db.transaction().execute(async (trx) => {
    if (await currentClose(trx, input.month)) {
      return { ok: false as const, status: 409 as const, message: `${monthLabel(input.month)}已经结算。` };
    }
    const waiting = await trx
      .selectFrom("items")
      .innerJoin("units", "units.id", "items.unit_id")
      .select(["items.id", "items.title", "units.name as unit_name"])
      .where("items.report_month", "=", input.month)
      .where("items.status", "=", "submitted")
      .orderBy("items.submitted_at")
      .execute();
    if (waiting.length > 0) {
      return {
        ok: false as const,
        status: 409 as const,
        message: `${monthLabel(input.month)}还有 ${waiting.length} 篇稿件待审核，审核完毕后才能结算。`,
        waiting,
      };
    }
    // The month's 约稿 outcomes are settled as of the close, with the items.
    await refreshMonth(trx, input.month, undefined, input.now);
    const rows = await liveLeague(trx, input.month, true);
    const [quotas, rules] = await Promise.all([quotasFor(trx, input.month), pointsRulesFor(trx, input.month)]);
    const close = await trx
      .insertInto("month_closes")
      .values({
        month: input.month, quota_version_id: quotas.versionId!, points_version_id: rules.versionId!, closed_at: at, closed_by: input.actor.id,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    for (let i = 0; i < rows.length; i += 400) {
      await trx
        .insertInto("month_unit_snapshots")
        .values(
          rows.slice(i, i + 400).map((r) => ({
            close_id: close.id, unit_id: r.unitId, kind_code: r.kind, quota: r.quota, submitted: r.submitted, adopted: r.adopted,
            late: r.late, completion: r.completion, status: r.status, points: r.points, pickups_national: r.national,
            pickups_province: r.province, pickups_city: r.city, rank: r.rank, tied: r.tied ? 1 : 0, movement: r.movement,
            requests_fulfilled: r.requests?.fulfilled ?? 0, requests_late: r.requests?.late ?? 0,
            requests_missed: r.requests?.missed ?? 0, requests_declined: r.requests?.declined ?? 0,
          })),
        )
        .execute();
    }
    await storeYearTotals(trx, close.id, input.month);
    // Each unit's channels, frozen with the channel's name and place as they are at the close.
    await sql`insert into month_unit_channel_snapshots (close_id, unit_id, channel_id, channel_name, sort_order, submitted, adopted)
      select ${close.id}, s.unit_id, s.channel_id, coalesce(ch.name, '未指定频道'), coalesce(ch.sort_order, 999), s.submitted, s.adopted
      from unit_month_channel_stats s
      join month_unit_snapshots u on u.close_id = ${close.id} and u.unit_id = s.unit_id
      left join channels ch on ch.id = s.channel_id
      where s.month = ${input.month}`.execute(trx);
    await storeChannelYearTotals(trx, close.id);
    const people = await trx
      .selectFrom("correspondent_month_stats")
      .innerJoin("accounts", "accounts.id", "correspondent_month_stats.account_id")
      .select(["correspondent_month_stats.account_id", "correspondent_month_stats.unit_id", "items", "points", "accounts.username"])
      .where("month", "=", input.month)
      .execute();
    const rankedPeople = rankBy(people, (p) => p.points, (a, b) => (a.username < b.username ? -1 : 1));
    // Each person's adopted items bearing their name, counted whole (the year's 优秀信息员 threshold), frozen with the rest.
    const whole = await adoptedItemsByName(trx, [input.month]);
    for (let i = 0; i < rankedPeople.length; i += 400) {
      await trx
        .insertInto("month_correspondent_snapshots")
        .values(
          rankedPeople.slice(i, i + 400).map((p) => ({
            close_id: close.id, account_id: p.account_id, unit_id: p.unit_id, items: p.items, points: p.points, rank: p.rank,
            adopted_items: whole.get(p.account_id) ?? 0,
          })),
        )
        .execute();
    }
    await storePeopleYearTotals(trx, close.id);
    // Each 报送要点's coverage, frozen with the month for its notice.
    await snapshotThemes(trx, input.month, close.id);
    const changes = await changesSincePreviousClose(trx, input.month, close.id);
    await recordAudit(trx, {
      actorId: input.actor.id, actorName: input.actor.username, action: "month_closed", entityType: "month", entityId: input.month,
      from: "open", to: "closed", ip: input.ip, at, detail: { closeId: close.id, units: rows.length, changes: changes.length },
    });
    return { ok: true as const, closeId: close.id, changes };
  });
}

/** What a re-close changed against the close that was reopened (empty for a first close). */
async function changesSincePreviousClose(trx: DB, month: string, closeId: number): Promise<CloseChange[]> {
  const previous = await trx
    .selectFrom("month_closes")
    .select("id")
    .where("month", "=", month)
    .where("id", "<", closeId)
    .orderBy("id", "desc")
    .limit(1)
    .executeTakeFirst();
  return previous ? changesBetweenCloses(trx, previous.id, closeId) : [];
}

const CHANGE_FIELDS = [
  ["quota", "任务数"],
  ["adopted", "采用数"],
  ["late", "迟报数"],
  ["points", "积分"],
  ["rank", "名次"],
  ["status", "状态"],
] as const;

/**
 * What differs between two closes' frozen snapshots, unit by unit (ordered by unit code), as
 * text: "—" stands for a unit missing from one of them.
 */
export async function changesBetweenCloses(db: DB, beforeCloseId: number, afterCloseId: number): Promise<CloseChange[]> {
  const snap = (id: number) =>
    db
      .selectFrom("month_unit_snapshots as s")
      .innerJoin("units", "units.id", "s.unit_id")
      .select(["s.unit_id", "units.code", "units.name", "s.quota", "s.adopted", "s.late", "s.points", "s.rank", "s.tied", "s.status"])
      .where("s.close_id", "=", id)
      .orderBy("units.code")
      .execute();
  const [before, after] = await Promise.all([snap(beforeCloseId), snap(afterCloseId)]);
  return compareUnitRows(before, after);
}

/**
 * What differs between a close's frozen snapshot and the month's live numbers now (a reopened
 * month: corrections and decisions since it was closed), in the same form as between two closes.
 */
export async function changesSinceClose(db: DB, closeId: number, month: string): Promise<CloseChange[]> {
  const [before, live] = await Promise.all([
    db
      .selectFrom("month_unit_snapshots as s")
      .innerJoin("units", "units.id", "s.unit_id")
      .select(["s.unit_id", "units.code", "units.name", "s.quota", "s.adopted", "s.late", "s.points", "s.rank", "s.tied", "s.status"])
      .where("s.close_id", "=", closeId)
      .execute(),
    liveLeague(db, month, false),
  ]);
  const after = live.map((r) => ({
    unit_id: r.unitId, code: r.code, name: r.name, quota: r.quota, adopted: r.adopted, late: r.late, points: r.points, rank: r.rank,
    tied: r.tied ? 1 : 0, status: r.status,
  }));
  return compareUnitRows(before, after);
}

interface ComparedRow {
  unit_id: number;
  code: string;
  name: string;
  quota: number;
  adopted: number;
  late: number;
  points: number;
  rank: number;
  tied: number;
  status: keyof typeof QUOTA_STATUS_NAMES;
}

function compareUnitRows(before: ComparedRow[], after: ComparedRow[]): CloseChange[] {
  type Row = ComparedRow;
  const show = (r: Row | undefined, f: (typeof CHANGE_FIELDS)[number][0]): string => {
    if (!r) return "—";
    if (f === "status") return QUOTA_STATUS_NAMES[r.status];
    if (f === "rank") return r.tied ? `${r.rank}（并列）` : String(r.rank);
    return String(r[f]);
  };
  const old = new Map(before.map((r) => [r.unit_id, r]));
  const now = new Map(after.map((r) => [r.unit_id, r]));
  const units = [...after, ...before.filter((r) => !now.has(r.unit_id))].sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  const changes: CloseChange[] = [];
  for (const u of units) {
    for (const [f, label] of CHANGE_FIELDS) {
      const b = show(old.get(u.unit_id), f);
      const a = show(now.get(u.unit_id), f);
      if (b !== a) changes.push({ unitId: u.unit_id, name: u.name, field: label, before: b, after: a });
    }
  }
  return changes;
}

export interface CloseRecord {
  id: number;
  month: string;
  closedAt: string;
  closedBy: string;
  reopenedAt: string | null;
  reopenedBy: string | null;
  reopenReason: string | null;
  pointsVersion: { id: number; effectiveMonth: string };
  quotaVersion: { id: number; effectiveMonth: string };
}

/** Every close of a month, oldest first, with who closed (and reopened) it and the rule versions used. */
export async function closeHistory(db: DB, month: string): Promise<CloseRecord[]> {
  const rows = await db
    .selectFrom("month_closes as c")
    .innerJoin("accounts as closer", "closer.id", "c.closed_by")
    .leftJoin("accounts as reopener", "reopener.id", "c.reopened_by")
    .innerJoin("points_rule_versions as p", "p.id", "c.points_version_id")
    .innerJoin("quota_rule_versions as q", "q.id", "c.quota_version_id")
    .select([
      "c.id", "c.month", "c.closed_at", "closer.display_name as closed_by_name", "c.reopened_at", "reopener.display_name as reopened_by_name",
      "c.reopen_reason", "p.id as points_id", "p.effective_month as points_month", "q.id as quota_id", "q.effective_month as quota_month",
    ])
    .where("c.month", "=", month)
    .orderBy("c.id")
    .execute();
  return rows.map((r) => ({
    id: r.id, month: r.month, closedAt: r.closed_at, closedBy: r.closed_by_name, reopenedAt: r.reopened_at,
    reopenedBy: r.reopened_by_name, reopenReason: r.reopen_reason,
    pointsVersion: { id: r.points_id, effectiveMonth: r.points_month }, quotaVersion: { id: r.quota_id, effectiveMonth: r.quota_month },
  }));
}

export async function reopenMonth(
  db: Kysely<Database>,
  input: { month: string; actor: Pick<SessionUser, "id" | "username">; reason: string; ip?: string; now?: Date },
): Promise<{ ok: true } | { ok: false; status: 400 | 409; message: string }> {
  const reason = input.reason.trim();
  if (!reason) return { ok: false, status: 400, message: "请填写重新打开的理由。" };
  const at = (input.now ?? new Date()).toISOString();
  return db.transaction().execute(async (trx) => {
    const close = await currentClose(trx, input.month);
    if (!close) return { ok: false as const, status: 409 as const, message: `${monthLabel(input.month)}尚未结算。` };
    await trx.updateTable("month_closes").set({ reopened_at: at, reopened_by: input.actor.id, reopen_reason: reason }).where("id", "=", close.id).execute();
    await recordAudit(trx, {
      actorId: input.actor.id, actorName: input.actor.username, action: "month_reopened", entityType: "month", entityId: input.month,
      from: "closed", to: "open", reason, ip: input.ip, at, detail: { closeId: close.id },
    });
    return { ok: true as const };
  });
}
