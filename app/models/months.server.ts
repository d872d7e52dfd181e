// Months: the league table of a month, frozen (closed months) or live (open months, computed once
// per write and shared). Closing and reopening are in month-close.server.ts.
import { sql, type Kysely, type Transaction } from "kysely";
import { preparedQuery } from "../../db/prepared-query";
import type { Database } from "../../db/schema";
import { versionFor } from "~/domain/rule-versions";
import { leagueMonths, leagueRowsOf, scoreLeague, type LeagueInputColumns, type ScoredLeague, type UnitMonthRow } from "~/domain/league";
import type { QuotaStatus } from "~/domain/points";
import { placeById, rankLookup, type RankOf } from "~/domain/ranking";
import type { RequestCounts } from "~/domain/requests";
import { addMonths } from "~/domain/time";
import { monthMembership, type StatusChangeAt } from "~/domain/unit-membership";
import { exactReal, readColumns } from "~/models/read-columns.server";
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

/** The close in force of a month (none while it is open): asked by every page that shows a league. */
const closeInForce = preparedQuery((db: DB, month: string) =>
  db.selectFrom("month_closes").selectAll().where("month", "=", month).where("reopened_at", "is", null),
);

type Close = Awaited<ReturnType<typeof closeInForce>>[number];

/** The close in force of `month`, if any: read once per write to the closes (any reaches everything) and shared read-only. */
export async function currentClose(db: DB, month: string): Promise<Close | undefined> {
  return closesInForce.get(db, month, async () => (await closeInForce(db, month))[0], "none");
}

const closesInForce = writeCache<Close | undefined>({ frozen: true });

/** The closes in force of those of `months` that are closed (id and month), in no order; none for no months. */
export async function closesInForceOf(db: DB, months: readonly string[]): Promise<Array<{ id: number; month: string }>> {
  if (months.length === 0) return [];
  return db.selectFrom("month_closes").select(["id", "month"]).where("month", "in", [...months]).where("reopened_at", "is", null).execute();
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
  if (close) return { month, closed: true, closeId: close.id, closedAt: close.closed_at, rows: await frozenLeague(db, close.id) };
  // Computed once per write and shared (movement included: it reads the month before's ranks,
  // never recomputes them). The rows are frozen: callers read them, nobody copies them.
  const rows = await cachedLiveLeague(db, month, options.movement ?? true);
  return { month, closed: false, closeId: null, closedAt: null, rows };
}

/** Each column of a frozen league as SQL reads it from the snapshot row `s` and its unit `u`; `at` is the row's place in league order. */
const SNAPSHOT_COLUMNS = {
  at: "row_number() over (order by s.kind_code, s.rank, u.code) - 1", unitId: "s.unit_id", code: "u.code", name: "u.name",
  kind: "s.kind_code", quota: "s.quota", submitted: "s.submitted", adopted: "s.adopted", late: "s.late",
  completion: exactReal("s.completion"), status: "s.status", points: exactReal("s.points"), national: "s.pickups_national",
  province: "s.pickups_province", city: "s.pickups_city", rank: "s.rank", tied: "s.tied", movement: "s.movement",
  fulfilled: "s.requests_fulfilled", lateAnswers: "s.requests_late", missed: "s.requests_missed", declined: "s.requests_declined",
} as const;

type SnapshotColumns = { [K in keyof typeof SNAPSHOT_COLUMNS]: K extends "code" | "name" | "kind" | "completion" | "points" ? string[] : K extends "status" ? QuotaStatus[] : K extends "movement" ? Array<number | null> : number[] };

/**
 * A closed month's league as frozen at its close, in league order inside each kind (kinds by
 * code, then rank, then unit code): one read of the close's snapshot rows (primary key close_id,
 * unit_id), SQL numbering them in that order and returning one JSON array per column.
 */
async function frozenLeague(db: DB, closeId: number): Promise<UnitMonthRow[]> {
  const list = Object.entries(SNAPSHOT_COLUMNS).map(([key, column]) => sql`${sql.raw(column)} as ${sql.ref(key)}`);
  const [c, kinds] = await Promise.all([
    readColumns<SnapshotColumns>(
      db,
      Object.fromEntries(Object.keys(SNAPSHOT_COLUMNS).map((k) => [k, `t.${k}`])),
      sql`from (select ${sql.join(list)} from month_unit_snapshots s join units u on u.id = s.unit_id where s.close_id = ${closeId}) t`,
    ),
    kindNames(db),
  ]);
  const rows: UnitMonthRow[] = new Array(c.unitId.length);
  for (let j = 0; j < c.unitId.length; j++) {
    rows[c.at[j]] = {
      unitId: c.unitId[j], code: c.code[j], name: c.name[j], kind: c.kind[j], kindName: kinds.get(c.kind[j]) ?? c.kind[j], quota: c.quota[j],
      submitted: c.submitted[j], adopted: c.adopted[j], late: c.late[j], national: c.national[j], province: c.province[j], city: c.city[j],
      status: c.status[j], completion: Number(c.completion[j]), points: Number(c.points[j]), rank: c.rank[j], tied: c.tied[j] === 1,
      movement: c.movement[j],
      requests: { fulfilled: c.fulfilled[j], late: c.lateAnswers[j], missed: c.missed[j], declined: c.declined[j] },
    };
  }
  return rows;
}

/**
 * Live leagues are recomputed only after the database has been written to: a province-scale
 * month takes a second of scoring, and every page view of the rankings would otherwise pay it.
 * A month is scored once per write (as columns, which a year's table reads without ranking it or
 * building any row); it is ranked when first asked, and its rows, with or without movement, are
 * built from that once per write too.
 */
const liveScores = writeCache<ScoredLeague>();
const liveLeagues = writeCache<UnitMonthRow[]>();

/**
 * A month's live league, computed once per write and shared, also by the requests that arrive
 * together after a write (under load the home pages and league tables all ask at once). The rows
 * and their array are frozen, so no caller can change what the others are given.
 */
function cachedLiveLeague(db: DB, month: string, withMovement: boolean): Promise<UnitMonthRow[]> {
  // The rollup rows of its months only: kept across writes to other months.
  return liveLeagues.get(db, `${month}|${withMovement ? "movement" : "-"}`, async () => {
    const rows = await rankedRows(db, month, withMovement, liveScoredLeague(db, month));
    for (const r of rows) Object.freeze(r);
    return Object.freeze(rows) as UnitMonthRow[];
  }, { months: leagueMonths(month, withMovement) });
}

/**
 * A month's units scored from the rollup as columns (ranked when first asked), once per write and shared (by
 * its rows with and without movement, by the month after's movement and by the year's table).
 * Nobody may change what it holds.
 */
export function liveScoredLeague(db: DB, month: string): Promise<ScoredLeague> {
  return liveScores.get(db, month, () => scoreLiveMonth(db, month), { months: [month] });
}

let computations = 0;
/** How many live leagues have been computed since the process started (for measurements). */
export function liveLeagueComputations(): number {
  return computations;
}

async function scoreLiveMonth(db: DB, month: string): Promise<ScoredLeague> {
  computations++;
  const [units, { rules }] = await Promise.all([liveInputs(db, month), pointsRulesFor(db, month)]);
  return scoreLeague(units, rules);
}

/**
 * The ranks of the month before, for movement: its frozen snapshot (primary key close_id,
 * unit_id) when closed, else, when it is open too, its own shared live league.
 */
async function previousRanksOf(db: DB, month: string): Promise<RankOf> {
  const before = addMonths(month, -1);
  const close = await currentClose(db, before);
  if (!close) return openMonthRanks(db, before);
  const ranks = await readColumns<{ unitId: number[]; rank: number[] }>(db, { unitId: "unit_id", rank: "rank" }, sql`from month_unit_snapshots where close_id = ${close.id}`);
  return rankLookup(ranks.unitId, ranks.rank);
}

/**
 * A month's league computed now from the rollup (inside a close: in the closing transaction).
 * Movement reads the month before's ranks: its frozen snapshot, or, when that month is open too,
 * its own shared live league.
 */
export function liveLeague(db: DB, month: string, withMovement: boolean): Promise<UnitMonthRow[]> {
  return rankedRows(db, month, withMovement, scoreLiveMonth(db, month));
}

/** A month's scored units ranked into rows, with the movement against the month before if asked. */
async function rankedRows(db: DB, month: string, withMovement: boolean, scoring: Promise<ScoredLeague>): Promise<UnitMonthRow[]> {
  const [scored, previous, names] = await Promise.all([
    scoring,
    withMovement ? previousRanksOf(db, month) : Promise.resolve(null),
    kindNames(db),
  ]);
  return leagueRowsOf(scored, previous ?? (() => undefined), names);
}

export interface UnitColumns {
  unitId: number[];
  code: string[];
  name: string[];
  kind: string[];
  active: number[];
  /** When each unit was created, in epoch milliseconds. */
  created: number[];
  /** The recorded deactivations and reactivations of the units that have any, by unit id, in time order. */
  changes: ReadonlyMap<number, readonly StatusChangeAt[]>;
}

/**
 * Every unit in id order, as columns, with its history (when it was created, and the few status
 * changes): the same for every month's league, so read once per write to the figures and shared
 * (a year's open months are computed side by side). Writes to units and unit_status_changes reach
 * everything, so creating, importing, deactivating or reactivating a unit reads it again.
 */
const unitDirectories = writeCache<UnitColumns>();

/** Every unit in id order as columns, read once per write and shared. */
export function unitDirectory(db: DB): Promise<UnitColumns> {
  return unitDirectories.get(db, "units", () => readUnitDirectory(db), "none");
}

type DirectoryColumns = Omit<UnitColumns, "created" | "changes"> & { createdAt: string[] };

async function readUnitDirectory(db: DB): Promise<UnitColumns> {
  const [{ createdAt, ...columns }, changes] = await Promise.all([
    readColumns<DirectoryColumns>(
      db,
      { unitId: "id", code: "code", name: "name", kind: "kind_code", active: "active", createdAt: "created_at" },
      sql`from units order by id`,
    ),
    db.selectFrom("unit_status_changes").select(["unit_id", "active", "changed_at"]).orderBy("unit_id").orderBy("changed_at").orderBy("id").execute(),
  ]);
  const changesOf = new Map<number, StatusChangeAt[]>();
  for (const c of changes) {
    let list = changesOf.get(c.unit_id);
    if (!list) changesOf.set(c.unit_id, (list = []));
    list.push({ at: Date.parse(c.changed_at), active: c.active === 1 });
  }
  return { ...columns, created: createdAt.map((at) => Date.parse(at)), changes: changesOf };
}

const STATS_COLUMNS = {
  unitId: "unit_id", submitted: "submitted", adopted: "adopted", late: "late", itemPoints: exactReal("item_points"), national: "pickups_national",
  province: "pickups_province", city: "pickups_city", fulfilled: "requests_fulfilled", lateAnswers: "requests_late", missed: "requests_missed",
  declined: "requests_declined",
} as const;

type StatsColumns = Record<Exclude<keyof typeof STATS_COLUMNS, "itemPoints">, number[]> & { itemPoints: string[] };

/**
 * Every unit's month: the units (id order) and the month's rollup rows (index on month), read side
 * by side on the reader pool and joined here by unit. The units that existed by the month's end and
 * were active at some time in it (app/domain/unit-membership.ts), plus any other unit whose items
 * reached the bureau that month (it has a rollup row). The quota is the unit's latest override on
 * or before the month, else the kind quota of the version in force. At province scale node-sqlite3 spends far longer turning
 * 20,000 rows into objects than SQLite spends finding them, so each read comes back as one JSON
 * array per column: one parse, and no object per unit until the league's rows.
 */
async function liveInputs(db: DB, month: string): Promise<LeagueInputColumns> {
  const versions = await db.selectFrom("quota_rule_versions").select(["id", "effective_month"]).execute();
  const version = versionFor(versions.map((v) => ({ ...v, effectiveMonth: v.effective_month })), month);
  const [units, stats, overrides, kindQuotas] = await Promise.all([
    unitDirectory(db),
    readColumns<StatsColumns>(db, STATS_COLUMNS, sql`from unit_month_stats where month = ${month}`),
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
  // Each unit's place in the directory (id order), and its rollup row's place (-1: none that month).
  const n = units.unitId.length;
  const unitPlace = placeById(units.unitId);
  const statsAt = new Int32Array(n).fill(-1);
  for (let j = 0; j < stats.unitId.length; j++) {
    const i = unitPlace(stats.unitId[j]);
    if (i >= 0) statsAt[i] = j;
  }
  // The month's units, plus any other with a rollup row that month; in id order (the kinds' order
  // follows it). One pass: the month's bounds are worked out once, and few units have any changes.
  const inMonth = unitsOfMonth(units, month);
  const kept: number[] = [];
  for (let i = 0; i < n; i++) if (statsAt[i] >= 0 || inMonth(i)) kept.push(i);
  const m = kept.length;
  const pick = <T,>(column: readonly T[]): T[] => (m === n ? (column as T[]) : kept.map((i) => column[i]));
  const counts = (column: readonly number[]) => {
    const out = new Array<number>(m).fill(0);
    for (let k = 0; k < m; k++) if (statsAt[kept[k]] >= 0) out[k] = column[statsAt[kept[k]]];
    return out;
  };
  const unitIds = pick(units.unitId);
  const kinds = pick(units.kind);
  const quota = unitIds.map((id, k) => overrideOf.get(id) ?? kindQuota.get(kinds[k]) ?? 0);
  const requests = kept.map((i) => {
    const j = statsAt[i];
    if (j < 0) return NO_REQUESTS;
    const fulfilled = stats.fulfilled[j];
    const late = stats.lateAnswers[j];
    const missed = stats.missed[j];
    const declined = stats.declined[j];
    // Most units settle no 约稿 in a month: they share the one object of zeros.
    return fulfilled === 0 && late === 0 && missed === 0 && declined === 0 ? NO_REQUESTS : { fulfilled, late, missed, declined };
  });
  const columns: LeagueInputColumns = {
    unitId: unitIds, code: pick(units.code), name: pick(units.name), kind: kinds, quota, submitted: counts(stats.submitted),
    adopted: counts(stats.adopted), late: counts(stats.late), itemPoints: counts(stats.itemPoints.map(Number)), national: counts(stats.national),
    province: counts(stats.province), city: counts(stats.city), requests,
  };
  return columns;
}

/** The status changes of a unit that has none recorded. */
const NO_CHANGES: readonly StatusChangeAt[] = Object.freeze([]);

/**
 * Whether the directory's unit at place `i` belongs in `month` by its history: it existed by the
 * month's end and was active at some time in it (app/domain/unit-membership.ts).
 */
export function unitsOfMonth(units: UnitColumns, month: string): (i: number) => boolean {
  const inMonth = monthMembership(month);
  return (i) => inMonth(units.created[i], units.active[i] === 1, units.changes.get(units.unitId[i]) ?? NO_CHANGES);
}

/** The 约稿 counts of a unit without a rollup row that month (shared by those rows, which are frozen). */
const NO_REQUESTS: RequestCounts = Object.freeze({ fulfilled: 0, late: 0, missed: 0, declined: 0 });

/** An open month's ranks, from its shared live league (none when the month has no rollup rows). */
async function openMonthRanks(db: DB, month: string): Promise<RankOf> {
  const hasData = await db.selectFrom("unit_month_stats").select("unit_id").where("month", "=", month).limit(1).executeTakeFirst();
  if (!hasData) return () => undefined;
  const scored = await liveScoredLeague(db, month);
  return rankLookup(scored.units.unitId, scored.ranked().rank);
}
