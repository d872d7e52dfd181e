// Months: the league table of a month, frozen (closed months) or live (open months, computed once
// per write and shared). Closing and reopening are in month-close.server.ts.
import { sql, type Kysely, type Transaction } from "kysely";
import type { Database } from "../../db/schema";
import { versionFor } from "~/domain/rule-versions";
import { buildLeagueOfColumns, type LeagueInputColumns, type UnitMonthRow } from "~/domain/league";
import type { RequestCounts } from "~/domain/requests";
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
  const previous = openBefore ?? input.previousRanks;
  return buildLeagueOfColumns(input.units, rules, (unitId) => previous.get(unitId), names);
}

/** Each column liveInputs reads, as SQL has it from the unit `u`, its rollup row `s` and last month's snapshot row `p`. */
const INPUT_COLUMNS = {
  unitId: "u.id", code: "u.code", name: "u.name", kind: "u.kind_code", submitted: "ifnull(s.submitted, 0)", adopted: "ifnull(s.adopted, 0)",
  late: "ifnull(s.late, 0)", itemPoints: "ifnull(s.item_points, 0)", national: "ifnull(s.pickups_national, 0)",
  province: "ifnull(s.pickups_province, 0)", city: "ifnull(s.pickups_city, 0)", previousRank: "p.rank",
  fulfilled: "ifnull(s.requests_fulfilled, 0)", lateAnswers: "ifnull(s.requests_late, 0)", missed: "ifnull(s.requests_missed, 0)",
  declined: "ifnull(s.requests_declined, 0)",
} as const;

type InputColumns = { [K in keyof typeof INPUT_COLUMNS]: K extends "code" | "name" | "kind" ? string[] : K extends "previousRank" ? Array<number | null> : number[] };

/**
 * Every unit's month in one indexed read: the unit, its rollup row for the month (primary key
 * unit_id, month) and, when the month before is closed, its frozen rank there (primary key
 * close_id, unit_id). Active units, plus inactive ones that still have items that month. The
 * quota is the unit's latest override on or before the month, else the kind quota of the version
 * in force. At province scale node-sqlite3 spends far longer turning 20,000 rows into objects than
 * SQLite spends finding them, so the rows come back as one JSON array per column: one parse, and
 * no object per unit until the league's rows.
 */
async function liveInputs(db: DB, month: string, previousCloseId: number | null) {
  const versions = await db.selectFrom("quota_rule_versions").select(["id", "effective_month"]).execute();
  const version = versionFor(versions.map((v) => ({ ...v, effectiveMonth: v.effective_month })), month);
  const columns = Object.entries(INPUT_COLUMNS).map(([key, column]) => sql`${sql.lit(key)}, json_group_array(${sql.raw(column)})`);
  const [{ rows }, overrides, kindQuotas] = await Promise.all([
    sql<{ j: string }>`
      select json_object(${sql.join(columns)}) as j
      from units u
      left join unit_month_stats s on s.unit_id = u.id and s.month = ${month}
      left join month_unit_snapshots p on p.close_id = ${previousCloseId ?? -1} and p.unit_id = u.id
      where u.active = 1 or s.unit_id is not null`.execute(db),
    db
      .selectFrom("unit_quota_overrides")
      .select(["unit_id", "quota"])
      .where("effective_month", "<=", month)
      .orderBy("effective_month")
      .orderBy("id")
      .execute(),
    db.selectFrom("quota_rules").select(["kind_code", "quota"]).where("version_id", "=", version?.id ?? -1).execute(),
  ]);
  const c = JSON.parse(rows[0].j) as InputColumns;
  // Ordered by month: the last one written for a unit is the one in force.
  const overrideOf = new Map(overrides.map((o) => [o.unit_id, o.quota]));
  const kindQuota = new Map(kindQuotas.map((q) => [q.kind_code, q.quota]));
  const n = c.unitId.length;
  const previousRanks = new Map<number, number>();
  const quota: number[] = new Array(n);
  const requests: RequestCounts[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const rank = c.previousRank[i];
    if (rank !== null) previousRanks.set(c.unitId[i], rank);
    quota[i] = overrideOf.get(c.unitId[i]) ?? kindQuota.get(c.kind[i]) ?? 0;
    requests[i] = { fulfilled: c.fulfilled[i], late: c.lateAnswers[i], missed: c.missed[i], declined: c.declined[i] };
  }
  // Units in id order, as the table scan gave them before (the kinds' order follows it).
  const units: LeagueInputColumns = {
    unitId: c.unitId, code: c.code, name: c.name, kind: c.kind, quota, submitted: c.submitted, adopted: c.adopted, late: c.late,
    itemPoints: c.itemPoints, national: c.national, province: c.province, city: c.city, requests,
  };
  return { units, previousRanks };
}

/** An open month's ranks, from its shared live league (none when the month has no rollup rows). */
async function openMonthRanks(db: DB, month: string): Promise<Map<number, number>> {
  const hasData = await db.selectFrom("unit_month_stats").select("unit_id").where("month", "=", month).limit(1).executeTakeFirst();
  if (!hasData) return new Map();
  const rows = await cachedLiveLeague(db, month, false);
  return new Map(rows.map((r) => [r.unitId, r.rank]));
}
