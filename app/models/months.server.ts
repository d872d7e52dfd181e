// Months: the league table of a month, frozen (closed months) or live (open months, computed once
// per write and shared). Closing and reopening are in month-close.server.ts.
import { sql, type Kysely, type Transaction } from "kysely";
import type { Database } from "../../db/schema";
import { versionFor } from "~/domain/rule-versions";
import { buildLeague, type LeagueInputUnit, type UnitMonthRow } from "~/domain/league";
import { movement } from "~/domain/ranking";
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

/** A month's league computed now from the rollup (inside a close: in the closing transaction). */
export async function liveLeague(db: DB, month: string, withMovement: boolean): Promise<UnitMonthRow[]> {
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
    jsonRows<[number, number, number, number, number, number, number, number, number, number, number, number]>(
      db,
      sql`select json_group_array(json_array(unit_id, submitted, adopted, late, item_points, pickups_national, pickups_province, pickups_city,
            requests_fulfilled, requests_late, requests_missed, requests_declined)) as j
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
      requests: { fulfilled: s?.[8] ?? 0, late: s?.[9] ?? 0, missed: s?.[10] ?? 0, declined: s?.[11] ?? 0 },
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
