// Months: live league tables for open months, closing (freezing a snapshot with the rule
// versions used) and reopening, both audited.
import { sql, type Kysely, type Transaction } from "kysely";
import type { Database } from "../../db/schema";
import { versionFor } from "~/domain/rule-versions";
import { buildLeague, type LeagueInputUnit, type UnitMonthRow } from "~/domain/league";
import { QUOTA_STATUS_NAMES } from "~/domain/points";
import { movement, rankBy } from "~/domain/ranking";
import { addMonths, monthLabel } from "~/domain/time";
import { recordAudit } from "~/models/audit.server";
import type { SessionUser } from "~/models/auth.server";
import { refreshMonth } from "~/models/rollup.server";
import { pointsRulesFor, quotasFor } from "~/models/rules.server";
import { writeCache } from "~/models/write-cache.server";

type DB = Kysely<Database> | Transaction<Database>;

export interface League {
  month: string;
  closed: boolean;
  closeId: number | null;
  closedAt: string | null;
  rows: UnitMonthRow[];
}

export async function currentClose(db: DB, month: string) {
  return db.selectFrom("month_closes").selectAll().where("month", "=", month).where("reopened_at", "is", null).executeTakeFirst();
}

export async function closedMonths(db: DB): Promise<Set<string>> {
  const rows = await db.selectFrom("month_closes").select("month").where("reopened_at", "is", null).execute();
  return new Set(rows.map((r) => r.month));
}

async function kindNames(db: DB) {
  const kinds = await db.selectFrom("unit_kinds").select(["code", "name"]).execute();
  return new Map(kinds.map((k) => [k.code, k.name]));
}

/**
 * The league of a month: the frozen snapshot when closed, else computed from the rollup.
 * `movement: false` skips ranking the month before (callers that sum months do not show it).
 */
export async function leagueFor(db: DB, month: string, options: { movement?: boolean } = {}): Promise<League> {
  const close = await currentClose(db, month);
  if (close) {
    const [rows, names] = await Promise.all([
      db
        .selectFrom("month_unit_snapshots as s")
        .innerJoin("units", "units.id", "s.unit_id")
        .select([
          "s.unit_id", "units.code", "units.name", "s.kind_code", "s.quota", "s.submitted", "s.adopted", "s.late", "s.completion",
          "s.status", "s.points", "s.pickups_national", "s.pickups_province", "s.pickups_city", "s.rank", "s.tied", "s.movement",
        ])
        .where("s.close_id", "=", close.id)
        .orderBy("s.kind_code")
        .orderBy("s.rank")
        .orderBy("units.code")
        .execute(),
      kindNames(db),
    ]);
    return {
      month,
      closed: true,
      closeId: close.id,
      closedAt: close.closed_at,
      rows: rows.map((r): UnitMonthRow => ({
        unitId: r.unit_id, code: r.code, name: r.name, kind: r.kind_code, kindName: names.get(r.kind_code) ?? r.kind_code,
        quota: r.quota, submitted: r.submitted, adopted: r.adopted, late: r.late, national: r.pickups_national,
        province: r.pickups_province, city: r.pickups_city, status: r.status, completion: r.completion, points: r.points,
        rank: r.rank, tied: r.tied === 1, movement: r.movement,
      })),
    };
  }
  // The month's ranks are computed once per write and shared; movement only reads the month
  // before's ranks (its frozen snapshot, or its own shared live league).
  const [rows, previous] = await Promise.all([
    cachedLiveLeague(db, month),
    options.movement ?? true ? previousRanks(db, addMonths(month, -1)) : Promise.resolve(null),
  ]);
  return {
    month, closed: false, closeId: null, closedAt: null,
    // New rows: the cached ones are shared between requests and never handed out.
    rows: rows.map((r) => ({ ...r, movement: previous ? movement(previous.get(r.unitId), r.rank) : r.movement })),
  };
}

/**
 * Live leagues are recomputed only after the database has been written to: a province-scale
 * month takes a second of scoring, and every page view of the rankings would otherwise pay it.
 */
const liveLeagues = writeCache<UnitMonthRow[]>();

/** Forgets every cached live league (for measurements that must compute from the rollup). */
export function clearLiveLeagueCache(): void {
  liveLeagues.clear();
}

/**
 * A month's live league without movement (every row null, 新), computed once per write and
 * shared, also by the requests that arrive together after a write (under load the home pages and
 * league tables all ask at once). Cached rows are shared: callers copy what they hand on
 * (leagueFor builds new rows).
 */
function cachedLiveLeague(db: DB, month: string): Promise<UnitMonthRow[]> {
  return liveLeagues.get(db, month, () => liveLeague(db, month, false));
}

let computations = 0;
/** How many live leagues have been computed since the process started (for measurements). */
export function liveLeagueComputations(): number {
  return computations;
}

async function liveLeague(db: DB, month: string, withMovement: boolean): Promise<UnitMonthRow[]> {
  computations++;
  const [input, { rules }, previous, names] = await Promise.all([
    liveInputs(db, month),
    pointsRulesFor(db, month),
    withMovement ? previousRanks(db, addMonths(month, -1)) : Promise.resolve(new Map<number, number>()),
    kindNames(db),
  ]);
  return buildLeague(input, rules, previous, names);
}

/**
 * Every unit's month: the unit, its quota (its latest override on or before the month, else the
 * kind quota of the version in force) and its rollup row. Active units, plus inactive ones that
 * still have items that month. At province scale node-sqlite3 spends far longer turning 20,000
 * rows into objects than SQLite spends finding them, so each table comes back as one JSON array.
 */
async function liveInputs(db: DB, month: string): Promise<LeagueInputUnit[]> {
  const versions = await db.selectFrom("quota_rule_versions").select(["id", "effective_month"]).execute();
  const version = versionFor(versions.map((v) => ({ ...v, effectiveMonth: v.effective_month })), month);
  const [units, stats, overrides, kindQuotas] = await Promise.all([
    jsonRows<[number, string, string, string, number]>(db, sql`select json_group_array(json_array(id, code, name, kind_code, active)) as j from units`),
    jsonRows<[number, number, number, number, number, number, number, number]>(
      db,
      sql`select json_group_array(json_array(unit_id, submitted, adopted, late, item_points, pickups_national, pickups_province, pickups_city)) as j
          from unit_month_stats where month = ${month}`,
    ),
    db
      .selectFrom("unit_quota_overrides")
      .select(["unit_id", "quota"])
      .where("effective_month", "<=", month)
      .orderBy("effective_month")
      .orderBy("id")
      .execute(),
    db.selectFrom("quota_rules").select(["kind_code", "quota"]).where("version_id", "=", version?.id ?? -1).execute(),
  ]);
  const statsOf = new Map(stats.map((s) => [s[0], s]));
  // Ordered by month: the last one written for a unit is the one in force.
  const overrideOf = new Map(overrides.map((o) => [o.unit_id, o.quota]));
  const kindQuota = new Map(kindQuotas.map((q) => [q.kind_code, q.quota]));
  const out: LeagueInputUnit[] = [];
  for (const [unitId, code, name, kind, active] of units) {
    const s = statsOf.get(unitId);
    if (active !== 1 && !s) continue;
    out.push({
      unitId, code, name, kind, quota: overrideOf.get(unitId) ?? kindQuota.get(kind) ?? 0, submitted: s?.[1] ?? 0, adopted: s?.[2] ?? 0,
      late: s?.[3] ?? 0, itemPoints: s?.[4] ?? 0, national: s?.[5] ?? 0, province: s?.[6] ?? 0, city: s?.[7] ?? 0,
    });
  }
  // Units in id order, as the table scan gave them before (the kinds' order follows it).
  return out;
}

async function jsonRows<T>(db: DB, query: ReturnType<typeof sql<{ j: string | null }>>): Promise<T[]> {
  const { rows } = await query.execute(db);
  return rows[0]?.j ? (JSON.parse(rows[0].j) as T[]) : [];
}

async function previousRanks(db: DB, month: string): Promise<Map<number, number>> {
  const close = await currentClose(db, month);
  if (close) {
    const rows = await jsonRows<[number, number]>(
      db,
      sql`select json_group_array(json_array(unit_id, rank)) as j from month_unit_snapshots where close_id = ${close.id}`,
    );
    return new Map(rows);
  }
  const hasData = await db.selectFrom("unit_month_stats").select("unit_id").where("month", "=", month).limit(1).executeTakeFirst();
  if (!hasData) return new Map();
  const rows = await cachedLiveLeague(db, month);
  return new Map(rows.map((r) => [r.unitId, r.rank]));
}

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
    await refreshMonth(trx, input.month);
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
          })),
        )
        .execute();
    }
    // Each unit's channels, frozen with the channel's name and place as they are at the close.
    await sql`insert into month_unit_channel_snapshots (close_id, unit_id, channel_id, channel_name, sort_order, submitted, adopted)
      select ${close.id}, s.unit_id, s.channel_id, coalesce(ch.name, '未指定频道'), coalesce(ch.sort_order, 999), s.submitted, s.adopted
      from unit_month_channel_stats s
      join month_unit_snapshots u on u.close_id = ${close.id} and u.unit_id = s.unit_id
      left join channels ch on ch.id = s.channel_id
      where s.month = ${input.month}`.execute(trx);
    const people = await trx
      .selectFrom("correspondent_month_stats")
      .innerJoin("accounts", "accounts.id", "correspondent_month_stats.account_id")
      .select(["correspondent_month_stats.account_id", "correspondent_month_stats.unit_id", "items", "points", "accounts.username"])
      .where("month", "=", input.month)
      .execute();
    const rankedPeople = rankBy(people, (p) => p.points, (a, b) => (a.username < b.username ? -1 : 1));
    for (let i = 0; i < rankedPeople.length; i += 400) {
      await trx
        .insertInto("month_correspondent_snapshots")
        .values(rankedPeople.slice(i, i + 400).map((p) => ({ close_id: close.id, account_id: p.account_id, unit_id: p.unit_id, items: p.items, points: p.points, rank: p.rank })))
        .execute();
    }
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
  type Row = (typeof before)[number];
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
