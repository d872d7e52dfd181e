// League tables as people read them: which period an address names (rankings-period), the units'
// rows over several months (rankings-year), the correspondents' table (rankings-people), and what
// one signed-in person sees of them (their unit's row marked, their own row kept, one page of a
// large county's tables).
import type { ChannelColumn, ChannelCounts } from "./channels";
import { round2 } from "./points";
import type { CorrespondentRankingRow } from "./rankings-people";
import type { UnitRankingRow } from "./rankings-year";

export * from "./rankings-people";
export * from "./rankings-period";
export * from "./rankings-year";

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
/**
 * The most leading rows the correspondents' table lists. A tie at the cut is kept whole up to this
 * many: across a province thousands can share a place (the export lists everyone).
 */
export const CORRESPONDENT_ROWS_MAX = 50;

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
 * One page of a table of units (a league's, the register's): the rows whose name or code contain
 * the search, how many, which page (past the last: the last) and its rows, PAGE_SIZE a page.
 */
export function tablePage<R extends { name: string; code: string }>(source: readonly R[], query: Pick<TableQuery, "page" | "q">) {
  const matching = query.q ? source.filter(matchesQuery(query.q)) : source;
  const pages = Math.max(1, Math.ceil(matching.length / PAGE_SIZE));
  const page = Math.min(query.page, pages);
  return { matches: matching.length, pages, page, rows: matching.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE) };
}

/**
 * The page's data for one person: rows of their unit marked `own`; the correspondents' table cut to
 * the top `top` (by rank, so a tie at the cut is kept whole) plus the person's own row. A county
 * with more than PAGED_ABOVE units gets one table at a time, one page of it (the viewer's own kind
 * first), searchable by name or code, so the page stays small; `paging` says where it is.
 */
export function viewFor<V extends RankingsView>(view: V, viewer: Viewer, top = CORRESPONDENTS_SHOWN, query: TableQuery = { kind: null, page: 1, q: "" }) {
  const own = <T extends { unitId: number }>(r: T) => ({ ...r, own: viewer.unitId !== null && r.unitId === viewer.unitId });
  const leading = view.correspondents.filter((c) => c.rank <= top);
  const listed = leading.slice(0, CORRESPONDENT_ROWS_MAX);
  const mine = view.correspondents.find((c) => c.accountId === viewer.accountId);
  const people = (mine && !listed.includes(mine) ? [...listed, mine] : listed).map((c) => {
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
    correspondentNote: peopleNote(view.correspondents.length, leading.length, listed.length, top),
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
  const { matches, pages, page, rows } = tablePage(source, query);
  const shown = rows.map(own);
  const paging: Paging = {
    kind, tables, page, pages, pageSize: PAGE_SIZE, q: query.q, matches,
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

/**
 * What the correspondents' table lists, above it: everyone, the top `top` of `total`, or, when
 * more than `listed` share those places, how many do and where everyone is.
 */
export function peopleNote(total: number, leading: number, listed: number, top = CORRESPONDENTS_SHOWN): string {
  if (leading > listed) return `前 ${top} 名有 ${leading} 人（名次并列），这里列出其中 ${listed} 人；全部 ${total} 人见导出的表格`;
  return total > top ? `前 ${top} 名（共 ${total} 人）` : `共 ${total} 人`;
}

/** 0.6667 → "66.7%"; whole percentages without a decimal. */
export function percentText(fraction: number): string {
  const tenths = Math.round(fraction * 1000) / 10;
  return `${Number.isInteger(tenths) ? tenths.toFixed(0) : tenths.toFixed(1)}%`;
}

/**
 * 3 → "3", -2.5 → "-2.5", 1.25 → "1.25": a total as tables, cards and notices print it. A negative
 * one keeps the ASCII "-" (unlike a rule's signed points, signedPoints): a figure copied from a
 * league table or a notice's attached table into a spreadsheet stays a number there.
 */
export function pointsText(points: number): string {
  return String(round2(points));
}
