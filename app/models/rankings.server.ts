// 排行榜: a month's league per kind (frozen when closed, live when open), the year to date over
// those months, the table across kinds by completion, and the correspondents' split points.
import type { Kysely, Transaction } from "kysely";
import type { Database } from "../../db/schema";
import {
  crossKind,
  fromMonthRow,
  listFrozenCorrespondents,
  parsePeriod,
  periodInRange,
  rankCorrespondents,
  sumCorrespondents,
  yearMonths,
  yearToDate,
  type CorrespondentMonth,
  type CorrespondentRankingRow,
  type MonthUnitRow,
  type RankingsView,
  type UnitRankingRow,
} from "~/domain/rankings-view";
import { shanghaiMonth } from "~/domain/time";
import { unitChannels, type ChannelBreakdown } from "~/domain/channels";
import { channelStats } from "~/models/channel-stats.server";
import { leagueFor } from "~/models/months.server";

type DB = Kysely<Database> | Transaction<Database>;

export interface RankingBounds {
  /** The first month the county has anything in (an item's report month or a close), else the current month. */
  first: string;
  /** The current month, Asia/Shanghai. */
  current: string;
}

export async function rankingBounds(db: DB, now = new Date()): Promise<RankingBounds> {
  const current = shanghaiMonth(now);
  const [items, closes] = await Promise.all([
    db.selectFrom("items").select((eb) => eb.fn.min("report_month").as("m")).where("report_month", "is not", null).executeTakeFirst(),
    db.selectFrom("month_closes").select((eb) => eb.fn.min("month").as("m")).executeTakeFirst(),
  ]);
  const candidates = [items?.m, closes?.m, current].filter((m): m is string => typeof m === "string" && m.length === 7);
  const first = candidates.reduce((a, b) => (b < a ? b : a));
  return { first, current };
}

async function kindOrder(db: DB): Promise<Array<{ code: string; name: string }>> {
  return db.selectFrom("unit_kinds").select(["code", "name"]).orderBy("sort_order").orderBy("code").execute();
}

function byKind(rows: UnitRankingRow[], kinds: Array<{ code: string; name: string }>): RankingsView["kinds"] {
  const known = new Set(kinds.map((k) => k.code));
  const extra = [...new Set(rows.map((r) => r.kind).filter((k) => !known.has(k)))].map((code) => ({
    code, name: rows.find((r) => r.kind === code)!.kindName,
  }));
  return [...kinds, ...extra]
    .map((k) => ({
      code: k.code,
      name: k.name,
      rows: rows.filter((r) => r.kind === k.code).sort((a, b) => a.rank - b.rank || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0)),
    }))
    .filter((k) => k.rows.length > 0);
}

function crossKindOf(rows: UnitRankingRow[]): RankingsView["crossKind"] {
  return crossKind(rows.map((r) => ({ ...r, kindRank: r.rank, kindTied: r.tied })));
}

/** A month's correspondents: the frozen rows of the close in force, else the live rollup (with no rank yet). */
async function correspondentMonth(db: DB, month: string, closeId: number | null): Promise<Array<CorrespondentMonth & { rank: number | null }>> {
  if (closeId !== null) {
    const rows = await db
      .selectFrom("month_correspondent_snapshots as s")
      .innerJoin("accounts as a", "a.id", "s.account_id")
      .innerJoin("units as u", "u.id", "s.unit_id")
      .select(["s.account_id", "a.username", "a.display_name", "a.active", "s.unit_id", "u.name as unit_name", "s.items", "s.points", "s.rank"])
      .where("s.close_id", "=", closeId)
      .execute();
    return rows.map((r) => ({
      accountId: r.account_id, username: r.username, displayName: r.display_name, active: r.active === 1, unitId: r.unit_id,
      unitName: r.unit_name, items: r.items, points: r.points, rank: r.rank,
    }));
  }
  const rows = await db
    .selectFrom("correspondent_month_stats as s")
    .innerJoin("accounts as a", "a.id", "s.account_id")
    .innerJoin("units as u", "u.id", "s.unit_id")
    .select(["s.account_id", "a.username", "a.display_name", "a.active", "s.unit_id", "u.name as unit_name", "s.items", "s.points"])
    .where("s.month", "=", month)
    .execute();
  return rows.map((r) => ({
    accountId: r.account_id, username: r.username, displayName: r.display_name, active: r.active === 1, unitId: r.unit_id,
    unitName: r.unit_name, items: r.items, points: r.points, rank: null,
  }));
}

async function monthParts(db: DB, month: string, movement = true) {
  const league = await leagueFor(db, month, { movement });
  const people = await correspondentMonth(db, month, league.closeId);
  const units: MonthUnitRow[] = league.rows.map((r) => ({
    unitId: r.unitId, code: r.code, name: r.name, kind: r.kind, kindName: r.kindName, quota: r.quota, submitted: r.submitted,
    adopted: r.adopted, late: r.late, national: r.national, province: r.province, city: r.city, status: r.status,
    completion: r.completion, points: r.points, rank: r.rank, tied: r.tied, movement: r.movement,
  }));
  return { league, units, people };
}

function withChannels(rows: UnitRankingRow[], b: ChannelBreakdown): UnitRankingRow[] {
  return rows.map((r) => ({ ...r, channels: unitChannels(b, r.unitId) }));
}

/** A month's league tables: per kind, across kinds by completion, and the correspondents. */
export async function monthRankings(db: DB, month: string): Promise<RankingsView> {
  const [{ league, units, people }, kinds, channels] = await Promise.all([monthParts(db, month), kindOrder(db), channelStats(db, [month])]);
  const rows = withChannels(units.map(fromMonthRow), channels);
  const correspondents: CorrespondentRankingRow[] = league.closed
    ? listFrozenCorrespondents(people.map((p) => ({ ...p, rank: p.rank ?? 0 })))
    : rankCorrespondents(people);
  return {
    period: month,
    scope: "month",
    months: [month],
    provisional: !league.closed,
    openMonths: league.closed ? [] : [month],
    closedAt: league.closedAt,
    kinds: byKind(rows, kinds),
    crossKind: crossKindOf(rows),
    correspondents,
    channels: channels.columns,
    channelTotals: channels.totals,
  };
}

/**
 * The year to date: every month of the year from the county's first month up to the current
 * month, each month's rows as its league gives them (snapshot if closed, live if open).
 */
export async function yearRankings(db: DB, year: string, now = new Date()): Promise<RankingsView> {
  const bounds = await rankingBounds(db, now);
  const months = yearMonths(year, bounds);
  const kinds = await kindOrder(db);
  const parts = [];
  // One month at a time: the reader pool is small and each month's league is several queries.
  for (const month of months) parts.push(await monthParts(db, month, false));
  const channels = await channelStats(db, months);
  const rows = withChannels(yearToDate(parts.map((p) => p.units)), channels);
  const openMonths = parts.filter((p) => !p.league.closed).map((p) => p.league.month);
  return {
    period: year,
    scope: "year",
    months,
    provisional: openMonths.length > 0,
    openMonths,
    closedAt: null,
    kinds: byKind(rows, kinds),
    crossKind: crossKindOf(rows),
    correspondents: sumCorrespondents(parts.map((p) => p.people)),
    channels: channels.columns,
    channelTotals: channels.totals,
  };
}

/** The league tables an address names ("2026-10" or "2026"), or null when it names no period the county has. */
export async function rankingsFor(db: DB, period: string, now = new Date()): Promise<(RankingsView & { bounds: RankingBounds }) | null> {
  const p = parsePeriod(period);
  if (!p) return null;
  const bounds = await rankingBounds(db, now);
  if (!periodInRange(p, bounds)) return null;
  const view = p.scope === "month" ? await monthRankings(db, p.month) : await yearRankings(db, p.year, now);
  return { ...view, bounds };
}

