// Months: the league table of a month, frozen (closed months) or live (open months, computed once
// per write and shared). Closing and reopening are in month-close.server.ts.
import { sql, type Kysely, type Transaction } from "kysely";
import type { Database } from "../../db/schema";
import { versionFor } from "~/domain/rule-versions";
import { buildLeague, type LeagueInputUnit, type UnitMonthRow } from "~/domain/league";
import { addMonths } from "~/domain/time";
import { pointsRulesFor } from "~/models/rules.server";
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
          "s.requests_fulfilled", "s.requests_late", "s.requests_missed", "s.requests_declined",
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
        requests: { fulfilled: r.requests_fulfilled, late: r.requests_late, missed: r.requests_missed, declined: r.requests_declined },
      })),
    };
  }
  // Computed once per write and shared (movement included: it reads the month before's ranks,
  // never recomputes them). The rows are frozen: callers read them, nobody copies them.
  const rows = await cachedLiveLeague(db, month, options.movement ?? true);
  return { month, closed: false, closeId: null, closedAt: null, rows };
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
 * A month's live league, computed once per write and shared, also by the requests that arrive
 * together after a write (under load the home pages and league tables all ask at once). The rows
 * and their array are frozen, so no caller can change what the others are given.
 */
function cachedLiveLeague(db: DB, month: string, withMovement: boolean): Promise<UnitMonthRow[]> {
  return liveLeagues.get(db, `${month}|${withMovement ? "movement" : "-"}`, async () => {
    const rows = await liveLeague(db, month, withMovement);
    for (const r of rows) Object.freeze(r);
    return Object.freeze(rows) as UnitMonthRow[];
  });
}

let computations = 0;
/** How many live leagues have been computed since the process started (for measurements). */
export function liveLeagueComputations(): number {
  return computations;
}

/**
 * A month's league computed now from the rollup (inside a close: in the closing transaction).
 * Movement reads the month before's ranks: its frozen snapshot (joined in the same query), or,
 * when that month is open too, its own shared live league.
 */
export async function liveLeague(db: DB, month: string, withMovement: boolean): Promise<UnitMonthRow[]> {
  computations++;
  const before = addMonths(month, -1);
  const close = withMovement ? await currentClose(db, before) : undefined;
  const [input, { rules }, names, openBefore] = await Promise.all([
    liveInputs(db, month, close?.id ?? null),
    pointsRulesFor(db, month),
    kindNames(db),
    withMovement && !close ? openMonthRanks(db, before) : Promise.resolve(null),
  ]);
  return buildLeague(input.units, rules, openBefore ?? input.previousRanks, names);
}

/**
 * Every unit's month in one indexed read: the unit, its rollup row for the month (primary key
 * unit_id, month) and, when the month before is closed, its frozen rank there (primary key
 * close_id, unit_id). Active units, plus inactive ones that still have items that month. The
 * quota is the unit's latest override on or before the month, else the kind quota of the version
 * in force. At province scale node-sqlite3 spends far longer turning 20,000 rows into objects than
 * SQLite spends finding them, so the rows come back as one JSON array.
 */
async function liveInputs(db: DB, month: string, previousCloseId: number | null) {
  const versions = await db.selectFrom("quota_rule_versions").select(["id", "effective_month"]).execute();
  const version = versionFor(versions.map((v) => ({ ...v, effectiveMonth: v.effective_month })), month);
  type Tuple = [number, string, string, string, number, number, number, number, number, number, number, number | null, number, number, number, number];
  const [rows, overrides, kindQuotas] = await Promise.all([
    jsonRows<Tuple>(
      db,
      sql`select json_group_array(json_array(u.id, u.code, u.name, u.kind_code, ifnull(s.submitted, 0), ifnull(s.adopted, 0), ifnull(s.late, 0),
                                             ifnull(s.item_points, 0), ifnull(s.pickups_national, 0), ifnull(s.pickups_province, 0),
                                             ifnull(s.pickups_city, 0), p.rank,
                                             ifnull(s.requests_fulfilled, 0), ifnull(s.requests_late, 0), ifnull(s.requests_missed, 0),
                                             ifnull(s.requests_declined, 0))) as j
          from units u
          left join unit_month_stats s on s.unit_id = u.id and s.month = ${month}
          left join month_unit_snapshots p on p.close_id = ${previousCloseId ?? -1} and p.unit_id = u.id
          where u.active = 1 or s.unit_id is not null`,
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
  // Ordered by month: the last one written for a unit is the one in force.
  const overrideOf = new Map(overrides.map((o) => [o.unit_id, o.quota]));
  const kindQuota = new Map(kindQuotas.map((q) => [q.kind_code, q.quota]));
  const previousRanks = new Map<number, number>();
  const units: LeagueInputUnit[] = new Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const [unitId, code, name, kind, submitted, adopted, late, itemPoints, national, province, city, rank, fulfilled, lateAnswers, missed, declined] = rows[i];
    if (rank !== null) previousRanks.set(unitId, rank);
    units[i] = {
      unitId, code, name, kind, quota: overrideOf.get(unitId) ?? kindQuota.get(kind) ?? 0, submitted, adopted, late, itemPoints, national, province, city,
      requests: { fulfilled, late: lateAnswers, missed, declined },
    };
  }
  // Units in id order, as the table scan gave them before (the kinds' order follows it).
  return { units, previousRanks };
}

async function jsonRows<T>(db: DB, query: ReturnType<typeof sql<{ j: string | null }>>): Promise<T[]> {
  const { rows } = await query.execute(db);
  return rows[0]?.j ? (JSON.parse(rows[0].j) as T[]) : [];
}

/** An open month's ranks, from its shared live league (none when the month has no rollup rows). */
async function openMonthRanks(db: DB, month: string): Promise<Map<number, number>> {
  const hasData = await db.selectFrom("unit_month_stats").select("unit_id").where("month", "=", month).limit(1).executeTakeFirst();
  if (!hasData) return new Map();
  const rows = await cachedLiveLeague(db, month, false);
  return new Map(rows.map((r) => [r.unitId, r.rank]));
}
