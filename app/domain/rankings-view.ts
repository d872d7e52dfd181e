// League tables as people read them: which period an address names, year-to-date totals over the
// months' leagues, the table across kinds (by completion only), the correspondents' table, and
// what one signed-in person sees of them (their unit's row marked, their own row kept).
import type { ChannelColumn, ChannelCounts } from "./channels";
import { completion, round2, type QuotaStatus } from "./points";
import type { UnitMonthRow } from "./league";
import { movement, rankBy, rankInPlace, type Ranked } from "./ranking";
import { addMonths, isMonth, monthLabel } from "./time";

// ---------------------------------------------------------------------------------------------
// Periods

export type Period = { scope: "month"; month: string } | { scope: "year"; year: string };

/** "2026-10" → a month, "2026" → year to date; anything else → null (the page answers 404). */
export function parsePeriod(value: string | null | undefined): Period | null {
  if (!value) return null;
  if (isMonth(value)) return { scope: "month", month: value };
  if (/^\d{4}$/.test(value) && value >= "2000" && value <= "2999") return { scope: "year", year: value };
  return null;
}

/** "2026年10月", "2026年（年度累计）" */
export function periodLabel(p: Period): string {
  return p.scope === "month" ? monthLabel(p.month) : `${p.year}年（年度累计）`;
}

/** The months of a year that count towards its year-to-date: from the first month the county has data to the current month. */
export function yearMonths(year: string, bounds: { first: string; current: string }): string[] {
  const months: string[] = [];
  for (let m = 1; m <= 12; m++) {
    const month = `${year}-${String(m).padStart(2, "0")}`;
    if (month >= bounds.first && month <= bounds.current) months.push(month);
  }
  return months;
}

/** Whether the portal has a league for the period: a month (or a year with a month) inside [first, current]. */
export function periodInRange(p: Period, bounds: { first: string; current: string }): boolean {
  if (p.scope === "month") return p.month >= bounds.first && p.month <= bounds.current;
  return yearMonths(p.year, bounds).length > 0;
}

export interface PeriodNav {
  previous: string | null;
  next: string | null;
  /** The other scope: a month's year, a year's latest month. */
  year: string;
  month: string;
}

export function periodNav(p: Period, bounds: { first: string; current: string }): PeriodNav {
  if (p.scope === "month") {
    const prev = addMonths(p.month, -1);
    const next = addMonths(p.month, 1);
    return {
      previous: prev >= bounds.first ? prev : null,
      next: next <= bounds.current ? next : null,
      year: p.month.slice(0, 4),
      month: p.month,
    };
  }
  const y = Number(p.year);
  const months = yearMonths(p.year, bounds);
  const prevYear = String(y - 1);
  const nextYear = String(y + 1);
  return {
    previous: yearMonths(prevYear, bounds).length > 0 ? prevYear : null,
    next: yearMonths(nextYear, bounds).length > 0 ? nextYear : null,
    year: p.year,
    month: months.at(-1) ?? bounds.current,
  };
}

// ---------------------------------------------------------------------------------------------
// Units

export interface StatusMonths {
  met: number;
  short: number;
  none: number;
}

/**
 * A row of a league table, month or year to date: a month's row as it is, or a unit's year to
 * date (no `status`; its months counted by status in `months`).
 */
export type UnitRankingRow = Omit<UnitMonthRow, "status"> & { status: QuotaStatus | null; months?: StatusMonths | null };

type YearTotals = Omit<UnitMonthRow, "rank" | "tied" | "movement" | "completion" | "status" | "channels"> & { months: StatusMonths };

/**
 * A unit's Σ over several closed months as SQL sums their snapshots: points in hundredths, the
 * months counted by status, and the unit's kind in the latest of those months (`latest`).
 */
export type UnitMonthsSum = Pick<
  UnitMonthRow,
  "unitId" | "code" | "name" | "kind" | "kindName" | "quota" | "submitted" | "adopted" | "late" | "national" | "province" | "city"
> & { latest: string; cents: number; met: number; short: number; none: number };

/** Months of a year to date: one month's league rows, or closed months already summed. */
export type YearPart = { month: string; rows: readonly UnitMonthRow[] } | { sums: readonly UnitMonthsSum[] };

type Acc = YearTotals & { cents: number; latest: string };

type Counts = Pick<Acc, "quota" | "submitted" | "adopted" | "late" | "national" | "province" | "city">;

/** Adds a month's (or a run of months') counts to a unit's running totals. */
function addCounts(t: Acc, r: Counts): Acc {
  t.quota += r.quota;
  t.submitted += r.submitted;
  t.adopted += r.adopted;
  t.late += r.late;
  t.national += r.national;
  t.province += r.province;
  t.city += r.city;
  return t;
}

function accumulate(totals: Map<number, Acc>, part: YearPart): void {
  const add = (r: { unitId: number; code: string; name: string; kind: string; kindName: string }, latest: string) => {
    let t = totals.get(r.unitId);
    if (!t) {
      t = {
        unitId: r.unitId, code: r.code, name: r.name, kind: r.kind, kindName: r.kindName, quota: 0, submitted: 0, adopted: 0, late: 0,
        national: 0, province: 0, city: 0, points: 0, cents: 0, months: { met: 0, short: 0, none: 0 }, latest,
      };
      totals.set(r.unitId, t);
    } else if (latest >= t.latest) {
      t.code = r.code;
      t.name = r.name;
      t.kind = r.kind;
      t.kindName = r.kindName;
      t.latest = latest;
    }
    return t;
  };
  if ("sums" in part) {
    for (const r of part.sums) {
      const t = addCounts(add(r, r.latest), r);
      t.cents += r.cents;
      t.months.met += r.met;
      t.months.short += r.short;
      t.months.none += r.none;
    }
    return;
  }
  for (const r of part.rows) {
    const t = addCounts(add(r, part.month), r);
    // Points are kept in hundredths so a year of 0.5s adds up exactly.
    t.cents += Math.round(r.points * 100);
    t.months[r.status]++;
  }
}

function finish(totals: Map<number, Acc>): YearTotals[] {
  const out: YearTotals[] = [];
  for (const t of totals.values()) {
    out.push({
      unitId: t.unitId, code: t.code, name: t.name, kind: t.kind, kindName: t.kindName, quota: t.quota, submitted: t.submitted,
      adopted: t.adopted, late: t.late, national: t.national, province: t.province, city: t.city, points: t.cents / 100,
      months: { ...t.months },
    });
  }
  return out;
}

/** Σ of each unit over the months' rows; a unit's kind and name are those of its latest month. */
export function sumUnitMonths(months: ReadonlyArray<readonly UnitMonthRow[]>): YearTotals[] {
  const totals = new Map<number, Acc>();
  // Month labels only need to grow with the index here.
  months.forEach((rows, i) => accumulate(totals, { month: String(i).padStart(4, "0"), rows }));
  return finish(totals);
}

function rankTotals(totals: readonly YearTotals[], previous: ReadonlyMap<number, number>): UnitRankingRow[] {
  const byKind = new Map<string, UnitRankingRow[]>();
  for (const t of totals) {
    const row: UnitRankingRow = { ...t, completion: completion(t.adopted, t.quota), rank: 0, tied: false, movement: null, status: null };
    const rows = byKind.get(t.kind);
    if (rows) rows.push(row);
    else byKind.set(t.kind, [row]);
  }
  const rows: UnitRankingRow[] = [];
  for (const kindRows of byKind.values()) {
    for (const r of rankInPlace(kindRows)) {
      r.movement = movement(previous.get(r.unitId), r.rank);
      rows.push(r);
    }
  }
  return rows;
}

/**
 * Year to date: each unit's Σ over the months, ranked inside its kind with the month's cascade;
 * movement against the year to date through the month before the last (新 when absent).
 */
export function yearToDate(months: ReadonlyArray<readonly UnitMonthRow[]>): UnitRankingRow[] {
  return yearToDateOf(months.map((rows, i) => ({ month: String(i).padStart(4, "0"), rows })));
}

/** yearToDate over parts in month order (the last part is the last month alone when there are several). */
export function yearToDateOf(parts: readonly YearPart[]): UnitRankingRow[] {
  const totals = new Map<number, Acc>();
  for (const part of parts.slice(0, -1)) accumulate(totals, part);
  const previous = parts.length > 1 ? new Map(rankTotals(finish(totals), new Map()).map((r) => [r.unitId, r.rank])) : new Map<number, number>();
  if (parts.length > 0) accumulate(totals, parts[parts.length - 1]);
  return rankTotals(finish(totals), previous);
}

/** Every unit ranked by completion only (a table across kinds never ranks by raw counts); equal completion shares a rank, listed by code. */
export function crossKind<T extends { code: string; completion: number }>(rows: readonly T[]): Array<T & Ranked> {
  return rankBy(rows, (r) => r.completion, (a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
}

// ---------------------------------------------------------------------------------------------
// Correspondents

export interface CorrespondentMonth {
  accountId: number;
  username: string;
  displayName: string;
  active: boolean;
  unitId: number;
  unitName: string;
  items: number;
  points: number;
}

export interface CorrespondentRankingRow extends CorrespondentMonth {
  rank: number;
  tied: boolean;
}

const byUsername = (a: { username: string }, b: { username: string }) => (a.username < b.username ? -1 : a.username > b.username ? 1 : 0);

/** Ranked by split points, as at month close: equal points share a rank, listed by username. */
export function rankCorrespondents(rows: readonly CorrespondentMonth[]): CorrespondentRankingRow[] {
  return rankBy(rows, (r) => r.points, byUsername);
}

/** Rows already carrying a frozen rank (a closed month): listed by rank, 并列 where ranks repeat. */
export function listFrozenCorrespondents(rows: ReadonlyArray<CorrespondentMonth & { rank: number }>): CorrespondentRankingRow[] {
  const sorted = [...rows].sort((a, b) => a.rank - b.rank || byUsername(a, b));
  return sorted.map((r, i) => ({
    ...r,
    tied: (i > 0 && sorted[i - 1].rank === r.rank) || (i + 1 < sorted.length && sorted[i + 1].rank === r.rank),
  }));
}

/** Σ items and points of each person over the months; unit and name from their latest month. */
export function sumCorrespondents(months: ReadonlyArray<readonly CorrespondentMonth[]>): CorrespondentRankingRow[] {
  const totals = new Map<number, CorrespondentMonth & { cents: number; itemCents: number }>();
  for (const rows of months) {
    for (const r of rows) {
      const t = totals.get(r.accountId) ?? { ...r, items: 0, points: 0, cents: 0, itemCents: 0 };
      Object.assign(t, { unitId: r.unitId, unitName: r.unitName, displayName: r.displayName, active: r.active, username: r.username });
      t.cents += Math.round(r.points * 100);
      t.itemCents += Math.round(r.items * 100);
      totals.set(r.accountId, t);
    }
  }
  return rankCorrespondents([...totals.values()].map(({ cents, itemCents, ...t }) => ({ ...t, points: cents / 100, items: round2(itemCents / 100) })));
}

// ---------------------------------------------------------------------------------------------
// What one person sees

/** A period's league tables; a month's rows are its units' month rows (`RankingsView<UnitMonthRow>`). */
export interface RankingsView<R extends UnitRankingRow = UnitRankingRow> {
  period: string;
  scope: "month" | "year";
  months: string[];
  provisional: boolean;
  openMonths: string[];
  closedAt: string | null;
  kinds: Array<{ code: string; name: string; rows: R[] }>;
  crossKind: Array<R & { kindRank: number; kindTied: boolean }>;
  correspondents: CorrespondentRankingRow[];
  /** The period's channels (columns of every row's `channels`) and their totals. */
  channels: ChannelColumn[];
  channelTotals: ChannelCounts[];
}

export interface Viewer {
  accountId: number;
  /** Set for school roles only: their unit's rows are marked. */
  unitId: number | null;
}

export const CORRESPONDENTS_SHOWN = 30;

/** Above this many units a league page shows one kind (or the table across kinds) and one page of it. */
export const PAGED_ABOVE = 300;
export const PAGE_SIZE = 50;
/** The `kind` of the table across kinds when the page shows one table at a time. */
export const CROSS_KIND = "all";

/** Which table, page and search a league page was asked for (`?kind=…&page=…&q=…`). */
export interface TableQuery {
  kind: string | null;
  page: number;
  q: string;
}

export function parseTableQuery(params: URLSearchParams): TableQuery {
  const page = Number.parseInt(params.get("page") ?? "", 10);
  return {
    kind: params.get("kind")?.trim() || null,
    page: Number.isFinite(page) && page > 0 ? page : 1,
    q: (params.get("q") ?? "").trim().slice(0, 50),
  };
}

export interface Paging {
  /** The table shown: a kind's code or CROSS_KIND. */
  kind: string;
  tables: Array<{ code: string; name: string; units: number }>;
  page: number;
  pages: number;
  pageSize: number;
  q: string;
  /** Rows of the table shown that match `q` (all of them without a search). */
  matches: number;
  /** Where the viewer's own unit is in its kind's table. */
  own: { kind: string; page: number } | null;
}

const matchesQuery = (q: string) => {
  const needle = q.toLowerCase();
  return (r: { name: string; code: string }) => !needle || r.name.toLowerCase().includes(needle) || r.code.toLowerCase().includes(needle);
};

/**
 * The page's data for one person: rows of their unit marked `own`; the correspondents' table cut to
 * the top `top` (by rank, so a tie at the cut is kept whole) plus the person's own row. A county
 * with more than PAGED_ABOVE units gets one table at a time, one page of it (the viewer's own kind
 * first), searchable by name or code, so the page stays small; `paging` says where it is.
 */
export function viewFor<V extends RankingsView>(view: V, viewer: Viewer, top = CORRESPONDENTS_SHOWN, query: TableQuery = { kind: null, page: 1, q: "" }) {
  const own = <T extends { unitId: number }>(r: T) => ({ ...r, own: viewer.unitId !== null && r.unitId === viewer.unitId });
  const people = view.correspondents
    .filter((c) => c.rank <= top || c.accountId === viewer.accountId)
    .map((c) => {
      const { username: _username, ...rest } = c;
      return { ...rest, own: c.accountId === viewer.accountId };
    });
  const { kinds: allKinds, crossKind: across, correspondents: _everyone, ...rest } = view;
  const units = allKinds.reduce((n, k) => n + k.rows.length, 0);
  const ownKind = viewer.unitId === null ? undefined : allKinds.find((k) => k.rows.some((r) => r.unitId === viewer.unitId));
  const ownIndex = ownKind ? ownKind.rows.findIndex((r) => r.unitId === viewer.unitId) : -1;
  const ownRow = ownKind ? own(ownKind.rows[ownIndex]) : null;
  const common = {
    ...rest,
    correspondents: people,
    correspondentTotal: view.correspondents.length,
    ownUnit: ownRow && ownKind ? { ...ownRow, unitsInKind: ownKind.rows.length } : null,
  };
  if (units <= PAGED_ABOVE) {
    return {
      ...common,
      kinds: allKinds.map((k) => ({ ...k, units: k.rows.length, rows: k.rows.map(own) })),
      crossKind: across.map(own),
      paging: null as Paging | null,
    };
  }
  const tables = [...allKinds.map((k) => ({ code: k.code, name: k.name, units: k.rows.length })), { code: CROSS_KIND, name: "全县完成率排名", units: across.length }];
  const kind = tables.some((t) => t.code === query.kind) ? query.kind! : (ownKind?.code ?? allKinds[0]?.code ?? CROSS_KIND);
  const source: ReadonlyArray<UnitRankingRow> = kind === CROSS_KIND ? across : allKinds.find((k) => k.code === kind)!.rows;
  const matching = query.q ? source.filter(matchesQuery(query.q)) : source;
  const pages = Math.max(1, Math.ceil(matching.length / PAGE_SIZE));
  const page = Math.min(query.page, pages);
  const shown = matching.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE).map(own);
  const paging: Paging = {
    kind, tables, page, pages, pageSize: PAGE_SIZE, q: query.q, matches: matching.length,
    own: ownKind ? { kind: ownKind.code, page: Math.floor(ownIndex / PAGE_SIZE) + 1 } : null,
  };
  return {
    ...common,
    kinds: kind === CROSS_KIND ? [] : allKinds.filter((k) => k.code === kind).map((k) => ({ ...k, units: k.rows.length, rows: shown as Array<UnitRankingRow & { own: boolean }> })),
    crossKind: kind === CROSS_KIND ? (shown as Array<(typeof across)[number] & { own: boolean }>) : [],
    paging,
  };
}

// ---------------------------------------------------------------------------------------------
// Display

/** 0.6667 → "66.7%"; whole percentages without a decimal. */
export function percentText(fraction: number): string {
  const tenths = Math.round(fraction * 1000) / 10;
  return `${Number.isInteger(tenths) ? tenths.toFixed(0) : tenths.toFixed(1)}%`;
}

/** 3 → "3", -2.5 → "-2.5", 1.25 → "1.25" */
export function pointsText(points: number): string {
  return String(round2(points));
}
