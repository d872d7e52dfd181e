// 通报 composed from the frozen numbers: a closed month's (or a year's closed months') rows, the
// settings in force and the reviewer's adjustments, as the domain lays a notice out. Shared by
// reading, drafting and publishing.
import { refusal, type Refusal } from "~/domain/refusal";
import type { Kysely, Transaction } from "kysely";
import type { Database } from "../../db/schema";
import {
  annualDraftProblem,
  composeAnnualBody,
  composeMonthlyBody,
  monthsOfYear,
  type Adjustment,
  type AnnualBody,
  type AnnualCorrespondentRow,
  type AnnualUnitRow,
  type MonthlyBody,
  type NoticeDocument,
  type NoticeHeader,
} from "~/domain/notices";
import { can, type Role } from "~/domain/permissions";
import { monthLabel, shanghaiMonth } from "~/domain/time";
import { closedMonths, closesInForceOf, currentClose } from "~/models/months.server";
import { monthRankings, yearRankings } from "~/models/rankings.server";
import { channelStatsByMonth } from "~/models/channel-stats.server";
import { adoptedItemsByName } from "~/models/rollup.server";
import { settingsFor } from "~/models/settings.server";
import { frozenThemes } from "~/models/themes.server";
import { bulletinsPublishedIn } from "~/models/bulletins.server";
import type { RequestCounts } from "~/domain/requests";
import { sumRequestCounts } from "~/domain/year-requests";


export type DB = Kysely<Database> | Transaction<Database>;

export interface NoticeActor {
  id: number;
  username: string;
  displayName: string;
}

/** Who is looking: a role (null when not signed in) and, for school roles, their unit. */
export interface NoticeViewer {
  role: Role | null;
  unitId: number | null;
}

export const DATA_VERSION = 1;
export const manages = (viewer: NoticeViewer) => can(viewer.role, "notice.manage");

/** A notice refused: the one refusal, with the notice that already exists when that is the reason. */
export type NoticeFailure = Refusal & { existingId?: number };
export type NoticeResult = { ok: true; id: number } | NoticeFailure;

export const fail = (status: 400 | 404 | 409, message: string, extra: { field?: string; existingId?: number } = {}): NoticeFailure => ({
  ...refusal(status, message, { field: extra.field }),
  ...(extra.existingId !== undefined ? { existingId: extra.existingId } : {}),
});

// ---------------------------------------------------------------------------------------------
// Composing from the frozen numbers

/** A closed month's notice body, or null when the month is not closed. */
export async function composeMonthly(db: DB, month: string, adjustments: readonly Adjustment[]): Promise<MonthlyBody | null> {
  const close = await currentClose(db, month);
  if (!close) return null;
  const view = await monthRankings(db, month);
  const settings = await settingsFor(db, month);
  const thresholds = {
    commendTopN: settings.commendTopN, criticiseBelowCompletion: settings.criticiseBelowCompletion, criticiseMinLate: settings.criticiseMinLate,
    requestMissThreshold: settings.requestMissThreshold,
  };
  // The month's rows as they are (a closed month's frozen ones): the notice's tables freeze them.
  const tables = view.kinds.map((k) => ({ kind: k.code, kindName: k.name, rows: k.rows }));
  return composeMonthlyBody({
    month, closeId: close.id, closedAt: close.closed_at, tables, thresholds, adjustments, channels: view.channels, channelTotals: view.channelTotals,
    themes: await frozenThemes(db, close.id),
    bulletins: await bulletinsPublishedIn(db, month),
  });
}

/** A year's summary body from its months (snapshots where closed) and why it cannot be drafted yet. */
export async function composeAnnual(db: DB, year: string, adjustments: readonly Adjustment[], now: Date): Promise<{ body: AnnualBody; problem: string | null }> {
  const view = await yearRankings(db, year, now);
  const perMonth = new Map<string, Awaited<ReturnType<typeof monthRankings>>>();
  for (const month of view.months) perMonth.set(month, await monthRankings(db, month));
  const unitCell = new Map<string, { adopted: number; points: number; status: "met" | "short" | "none" }>();
  // 约稿 from the same month rows as the points they carry: a closed month's frozen ones, an open month's as they stand.
  const requestMonths = new Map<number, RequestCounts[]>();
  const personPoints = new Map<string, number>();
  for (const [month, mv] of perMonth) {
    for (const k of mv.kinds) {
      for (const r of k.rows) {
        unitCell.set(`${r.unitId}:${month}`, { adopted: r.adopted, points: r.points, status: r.status ?? "none" });
        if (!r.requests) continue;
        const months = requestMonths.get(r.unitId);
        if (months) months.push(r.requests);
        else requestMonths.set(r.unitId, [r.requests]);
      }
    }
    for (const p of mv.correspondents) personPoints.set(`${p.accountId}:${month}`, p.points);
  }
  const counted = new Set(view.months);
  const calendar = monthsOfYear(year);
  const tables = view.kinds.map((k) => ({
    kind: k.code,
    kindName: k.name,
    rows: k.rows.map(
      (r): AnnualUnitRow => ({
        unitId: r.unitId, code: r.code, name: r.name, kind: r.kind, kindName: r.kindName,
        months: calendar.map((m) => (counted.has(m) ? (unitCell.get(`${r.unitId}:${m}`) ?? null) : null)),
        quota: r.quota, submitted: r.submitted, adopted: r.adopted, late: r.late, points: r.points, completion: r.completion,
        rank: r.rank, tied: r.tied, met: r.months?.met ?? 0, short: r.months?.short ?? 0, none: r.months?.none ?? 0,
        channels: r.channels,
        requests: sumRequestCounts(requestMonths.get(r.unitId) ?? []),
      }),
    ),
  }));
  const adopted = await adoptedWithName(db, view.months);
  const correspondents = view.correspondents.map(
    (p): AnnualCorrespondentRow & { adopted: number } => ({
      accountId: p.accountId, displayName: p.displayName, unitName: p.unitName, active: p.active, items: p.items,
      adopted: adopted.get(p.accountId) ?? 0, points: p.points, rank: p.rank, tied: p.tied,
      months: calendar.map((m) => (counted.has(m) ? (personPoints.get(`${p.accountId}:${m}`) ?? 0) : null)),
    }),
  );
  const month = `${year}-12`;
  const s = await settingsFor(db, month);
  const thresholds = {
    yearCommendMinMonthsMet: s.yearCommendMinMonthsMet, yearCommendTopN: s.yearCommendTopN,
    yearCriticiseNoneMonths: s.yearCriticiseNoneMonths, yearCriticiseBelowCompletion: s.yearCriticiseBelowCompletion,
    yearCorrespondentTopN: s.yearCorrespondentTopN, yearCorrespondentMinAdopted: s.yearCorrespondentMinAdopted,
  };
  const byMonth = await channelStatsByMonth(db, view.months);
  const channelMonths = view.months.map((m) => ({
    month: m,
    // Aligned with the year's columns (a channel may be missing from a month's own breakdown).
    counts: view.channels.map((c) => {
      const b = byMonth.get(m)!;
      const i = b.columns.findIndex((x) => x.id === c.id);
      return i >= 0 ? { ...b.totals[i] } : { submitted: 0, adopted: 0 };
    }),
  }));
  const body = composeAnnualBody({
    year, months: view.months, tables, correspondents, thresholds, adjustments,
    channels: view.channels, channelTotals: view.channelTotals, channelMonths,
  });
  const problem = annualDraftProblem(year, { months: view.months, closed: await closedMonths(db), currentMonth: shanghaiMonth(now) });
  return { body, problem };
}

/**
 * Each person's adopted items bearing their name in the months, each counted whole: a closed
 * month's as frozen at its close (as every other figure of the summary), an open month's as its
 * items stand now.
 */
async function adoptedWithName(db: DB, months: readonly string[]): Promise<Map<number, number>> {
  if (months.length === 0) return new Map();
  const closes = await closesInForceOf(db, months);
  const closed = new Set(closes.map((c) => c.month));
  const [frozen, live] = await Promise.all([
    closes.length === 0
      ? Promise.resolve([])
      : db
          .selectFrom("month_correspondent_snapshots")
          .select(["account_id", (eb) => eb.fn.sum<number>("adopted_items").as("n")])
          .where("close_id", "in", closes.map((c) => c.id))
          .groupBy("account_id")
          .execute(),
    adoptedItemsByName(db, months.filter((m) => !closed.has(m))),
  ]);
  const counts = new Map(live);
  for (const r of frozen) counts.set(r.account_id, (counts.get(r.account_id) ?? 0) + Number(r.n));
  return counts;
}

export async function adjustmentsOf(db: DB, noticeId: number): Promise<Adjustment[]> {
  const rows = await db
    .selectFrom("notice_adjustments")
    .select(["unit_id", "list", "action", "reason"])
    .where("notice_id", "=", noticeId)
    .orderBy("id")
    .execute();
  return rows.map((r) => ({ unitId: r.unit_id, list: r.list, action: r.action, reason: r.reason }));
}

export type NoticeRow = Awaited<ReturnType<typeof noticeRow>>;

export function noticeRow(db: DB, id: number) {
  return db.selectFrom("notices").selectAll().where("id", "=", id).executeTakeFirst();
}

export function storedDocument(row: NonNullable<NoticeRow>): NoticeDocument {
  const data = JSON.parse(row.data_json) as { version: number } & NoticeDocument;
  return { header: data.header, body: data.body };
}

/** The 落款 and the 版头 as the settings have them now; a published notice keeps its own. */
export async function issuerFields(db: DB): Promise<Pick<NoticeHeader, "issuer" | "letterhead">> {
  const s = await settingsFor(db);
  return { issuer: s.noticeIssuer, letterhead: s.letterheadText };
}

export async function draftHeader(db: DB, row: NonNullable<NoticeRow>): Promise<NoticeHeader> {
  return {
    title: row.title, docNumber: row.doc_number, addressee: row.addressee, opening: row.opening_text, closing: row.closing_text,
    ...(await issuerFields(db)), signerName: null, publishedAt: null,
  };
}

/**
 * A draft as it stands: composed afresh from the numbers in force with its adjustments, or (when
 * that is not possible, e.g. the month was reopened) its last composition, with the reason it
 * cannot be published now. `annual` composes a year's summary (a reader may pass a shared one).
 */
export async function composeDraft(
  db: DB,
  row: NonNullable<NoticeRow>,
  now: Date,
  annual: typeof composeAnnual = composeAnnual,
): Promise<{ doc: NoticeDocument; problem: string | null }> {
  const header = await draftHeader(db, row);
  const adjustments = await adjustmentsOf(db, row.id);
  if (row.kind === "monthly") {
    const body = await composeMonthly(db, row.period, adjustments);
    if (body) return { doc: { header, body }, problem: null };
    return {
      doc: { header, body: storedDocument(row).body },
      problem: `${monthLabel(row.period)}已重新打开，以下为上次结算时的数字；重新结算后才能签发。`,
    };
  }
  const { body, problem } = await annual(db, row.period, adjustments, now);
  return { doc: { header, body }, problem };
}

export const serialise = (doc: NoticeDocument) => JSON.stringify({ version: DATA_VERSION, ...doc });
