// 排行榜: a month's league per kind (frozen when closed, live when open), the year to date over
// those months, the table across kinds by completion, and the correspondents' split points.
import { type Kysely, type Transaction } from "kysely";
import { preparedQuery } from "../../db/prepared-query";
import type { Database } from "../../db/schema";
import {
  crossKindOfRanked,
  parsePeriod,
  periodInRange,
  yearMonths,
  yearTablesOf,
  type RankingsView,
  type UnitMonthsCounts,
  type UnitRankingRow,
  type YearPart,
} from "~/domain/rankings-view";
import { leagueMonths, type UnitMonthRow } from "~/domain/league";
import { shanghaiMonth } from "~/domain/time";
import { unitChannels } from "~/domain/channels";
import { channelStats, clearFrozenChannelRows } from "~/models/channel-stats.server";
import { closesCache } from "~/models/closes-cache.server";
import { closesInForceOf, leagueFor, liveScoredLeague, unitDirectory } from "~/models/months.server";
import { clearClosedPeople, correspondentsOfMonth, correspondentsOfMonths } from "~/models/rankings-people.server";
import { untilNextWrite, writeCache } from "~/models/write-cache.server";
import { closedMonthCounts } from "~/models/year-totals.server";

type DB = Kysely<Database> | Transaction<Database>;

export interface RankingBounds {
  /** The first month the county has anything in (an item's report month or a close), else the current month. */
  first: string;
  /** The current month, Asia/Shanghai. */
  current: string;
}

const firstItemMonth = preparedQuery((db: DB) => db.selectFrom("items").select((eb) => eb.fn.min("report_month").as("m")).where("report_month", "is not", null));
const firstClosedMonth = preparedQuery((db: DB) => db.selectFrom("month_closes").select((eb) => eb.fn.min("month").as("m")));

/**
 * The first report month of an item and the first closed month: read once per write that touched
 * an item in a month (or the closes) and shared.
 */
const firstMonthReads = writeCache<ReadonlyArray<string | null | undefined>>({ frozen: true });
function firstMonths(db: DB) {
  return firstMonthReads.get(
    db,
    "first",
    async () => {
      const [[items], [closes]] = await Promise.all([firstItemMonth(db), firstClosedMonth(db)]);
      return [items?.m, closes?.m];
    },
    "in-a-month",
  );
}

export async function rankingBounds(db: DB, now = new Date()): Promise<RankingBounds> {
  const current = shanghaiMonth(now);
  const candidates = [...(await firstMonths(db)), current].filter((m): m is string => typeof m === "string" && m.length === 7);
  const first = candidates.reduce((a, b) => (b < a ? b : a));
  return { first, current };
}

/** The kinds of unit in the bureau's order. */
const kindOrder = preparedQuery((db: DB) => db.selectFrom("unit_kinds").select(["code", "name"]).orderBy("sort_order").orderBy("code"));

/**
 * The rows grouped by kind, kinds in the bureau's order. Every source gives rows in league order
 * inside each kind (rank, then code: ranked leagues and snapshots read in that order), so one pass
 * groups them and nothing is sorted again.
 */
function byKind<R extends UnitRankingRow>(rows: R[], kinds: Array<{ code: string; name: string }>): RankingsView<R>["kinds"] {
  const groups = new Map<string, { name: string; rows: R[] }>();
  for (const r of rows) {
    const g = groups.get(r.kind);
    if (g) g.rows.push(r);
    else groups.set(r.kind, { name: r.kindName, rows: [r] });
  }
  const known = new Set(kinds.map((k) => k.code));
  const extra = [...groups].filter(([code]) => !known.has(code)).map(([code, g]) => ({ code, name: g.name }));
  return [...kinds, ...extra]
    .map((k) => ({ code: k.code, name: k.name, rows: groups.get(k.code)?.rows ?? [] }))
    .filter((k) => k.rows.length > 0);
}

function crossKindOf<R extends UnitRankingRow>(rows: R[]): RankingsView<R>["crossKind"] {
  return crossKindOfRanked(rows);
}

/** A month's league tables: per kind, across kinds by completion, and the correspondents. */
export async function monthRankings(db: DB, month: string): Promise<RankingsView<UnitMonthRow>> {
  const [{ league, correspondents }, kinds, channels] = await Promise.all([
    leagueFor(db, month).then(async (league) => ({ league, correspondents: await correspondentsOfMonth(db, month, league.closeId) })),
    kindOrder(db),
    channelStats(db, [month]),
  ]);
  const units = league.rows;
  // A live month's rows are the shared league's (frozen): the page gets its own rows with channels.
  const none = unitChannels(channels, -1);
  // Object.assign rather than a spread: V8 leaves a spread object extended by a property on a slow
  // map, and a province's month is 20,000 rows (40 ms against 4).
  const rows = units.map((r) => Object.assign({}, r, { channels: channels.byUnit.get(r.unitId) ?? none }));
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
 * A close's snapshots never change (reopening makes a new close), so the sums over a set of closes
 * are computed once per process and then read: a year's closed months are not summed again after
 * every write to the open month.
 */
const closedSums = closesCache<UnitMonthsCounts>();

/** Forgets the sums of closed months (for measurements that must compute from the tables). */
export function clearClosedSums(): void {
  closedSums.clear();
  clearFrozenChannelRows();
  clearClosedPeople();
}

function cachedClosedMonthSums(db: DB, closeIds: readonly number[]): Promise<UnitMonthsCounts> {
  // The sums carry no unit's code or name and no kind's name (the year reads those as it is
  // built), and units are never deleted: the closes alone are the key.
  return closeIds.length === 0 ? closedMonthCounts(db, closeIds) : closedSums.get(db, closeIds, () => closedMonthCounts(db, closeIds));
}

/**
 * Reads this year's closed months into memory (their sums and channel rows) and computes this
 * year's and this month's league views, shared until the next write, so the first visitors after
 * a start neither pay for them nor wait behind them. Called once after the server listens.
 */
export async function prepareRankings(db: DB, now = new Date()): Promise<void> {
  const bounds = await rankingBounds(db, now);
  const months = yearMonths(bounds.current.slice(0, 4), bounds);
  if (months.length === 0) return;
  const closes = await closesInForceOf(db, months);
  const last = months.at(-1);
  await cachedClosedMonthSums(db, closes.filter((c) => c.month !== last).map((c) => c.id));
  await channelStats(db, months);
  await rankingsFor(db, bounds.current.slice(0, 4), now);
  await rankingsFor(db, bounds.current, now);
}

/**
 * The year to date: every month of the year from the county's first month up to the current
 * month. Closed months are summed from their snapshots in SQL; open months come from their
 * shared live leagues. The last month is kept apart for the movement against the month before.
 */
export async function yearRankings(db: DB, year: string, now = new Date()): Promise<RankingsView> {
  const bounds = await rankingBounds(db, now);
  const months = yearMonths(year, bounds);
  const [kinds, closes] = await Promise.all([kindOrder(db), closesInForceOf(db, months)]);
  const closeOf = new Map(closes.map((c) => [c.month, c.id]));
  const last = months.at(-1);
  const earlierClosed = months.filter((m) => m !== last && closeOf.has(m)).map((m) => closeOf.get(m)!);
  const parts: YearPart[] = [];
  const openMonths: string[] = [];
  // Everything read at once: the closed months' sums, and each remaining month's league (the
  // open ones scored as columns, shared until the next write, no rows built) — their queries run
  // side by side on the reader pool while the main thread parses and ranks whichever arrives first.
  const live = months.filter((m) => m === last || !closeOf.has(m));
  const kindNames = new Map(kinds.map((k) => [k.code, k.name]));
  const openPart = async (month: string) => ({ part: { month, scored: await liveScoredLeague(db, month), kindNames } satisfies YearPart, open: true });
  const closedPart = async (month: string) => {
    const league = await leagueFor(db, month, { movement: false });
    return { part: { month, rows: league.rows } satisfies YearPart, open: !league.closed };
  };
  const [sums, units, channels, correspondents, ...liveParts] = await Promise.all([
    cachedClosedMonthSums(db, earlierClosed),
    unitDirectory(db),
    channelStats(db, months),
    correspondentsOfMonths(db, earlierClosed, live.map((month) => ({ month, closeId: closeOf.get(month) ?? null }))),
    ...live.map((m) => (closeOf.has(m) ? closedPart(m) : openPart(m))),
  ]);
  if (sums.unitId.length > 0) parts.push({ sums, units, kindNames });
  live.forEach((month, i) => {
    if (liveParts[i].open) openMonths.push(month);
    parts.push(liveParts[i].part);
  });
  const none = unitChannels(channels, -1);
  const { rows, crossKind } = yearTablesOf(parts, (unitId) => channels.byUnit.get(unitId) ?? none);
  return {
    period: year,
    scope: "year",
    months,
    provisional: openMonths.length > 0,
    openMonths,
    closedAt: null,
    kinds: byKind(rows, kinds),
    crossKind,
    correspondents,
    channels: channels.columns,
    channelTotals: channels.totals,
  };
}

/** The league tables an address names ("2026-10" or "2026"), or null when it names no period the county has. */
export async function rankingsFor(db: DB, period: string, now = new Date()): Promise<(RankingsView & { bounds: RankingBounds }) | null> {
  const shared = await sharedRankings(db, period, now);
  return shared && { ...shared.view, bounds: shared.bounds };
}

/**
 * rankingsFor's tables as the one object shared by every request until the next write that changes
 * them (callers must not change it): the same object means the same tables, so what is made from
 * them (a download) can be kept with it.
 */
export async function sharedRankings(db: DB, period: string, now = new Date()): Promise<{ view: RankingsView; bounds: RankingBounds } | null> {
  const p = parsePeriod(period);
  if (!p) return null;
  const bounds = await rankingBounds(db, now);
  if (!periodInRange(p, bounds)) return null;
  // Shared until the next write: a closed period is read, an open one computed once per write. A
  // month's tables read the rollup rows of its league's months, a year's those of its months (within
  // the bounds, which the key holds): kept across writes to other months.
  const view = await untilNextWrite(
    db,
    `rankings|${period}|${bounds.first}|${bounds.current}`,
    (): Promise<RankingsView> => (p.scope === "month" ? monthRankings(db, p.month) : yearRankings(db, p.year, now)),
    { months: p.scope === "month" ? leagueMonths(p.month, true) : yearMonths(p.year, bounds) },
  );
  return { view, bounds };
}

