// 通报: monthly notices and year-end summaries, drafted from frozen numbers, edited, adjusted and
// published (签发) by a reviewer. A draft is composed afresh from the month's close in force (or the
// year's closed months) each time it is read, so the reviewer sees what will be published; at
// publishing everything the notice shows is frozen into data_json and its Word document is made
// once, stored under its SHA-256 before the row points at it, and served from those bytes ever after.
import { refusal, type Refusal } from "~/domain/refusal";
import { createHash } from "node:crypto";
import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import type { Kysely, Transaction } from "kysely";
import type { Database } from "../../db/schema";
import {
  adjustmentProblem,
  annualDraftProblem,
  composeAnnualBody,
  composeMonthlyBody,
  defaultClosing,
  defaultOpening,
  docNumberProblem,
  monthsOfYear,
  nextDocNumber,
  noticeTitle,
  NOTICE_KIND_NAMES,
  standingOf,
  type Adjustment,
  type AdjustmentAction,
  type AnnualBody,
  type AnnualCorrespondentRow,
  type AnnualUnitRow,
  type MonthlyBody,
  type NoticeBody,
  type NoticeDocument,
  type NoticeHeader,
  type NoticeKind,
  type NoticeListName,
  type NoticeMonthRow,
} from "~/domain/notices";
import { can, type Role } from "~/domain/permissions";
import { yearMonths } from "~/domain/rankings-view";
import { formatShanghai, monthLabel, shanghaiMonth } from "~/domain/time";
import { noticeDocx } from "~/models/notice-docx.server";
import { recordAudit } from "~/models/audit.server";
import { closedMonths, currentClose } from "~/models/months.server";
import { writeAtomically } from "~/models/photos.server";
import { monthRankings, rankingBounds, yearRankings } from "~/models/rankings.server";
import { channelStatsByMonth } from "~/models/channel-stats.server";
import { getSetting, settingsFor } from "~/models/settings.server";

type DB = Kysely<Database> | Transaction<Database>;

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

const DATA_VERSION = 1;
const manages = (viewer: NoticeViewer) => can(viewer.role, "notice.manage");

/** A notice refused: the one refusal, with the notice that already exists when that is the reason. */
export type NoticeFailure = Refusal & { existingId?: number };
export type NoticeResult = { ok: true; id: number } | NoticeFailure;

const fail = (status: 400 | 404 | 409, message: string, extra: { field?: string; existingId?: number } = {}): NoticeFailure => ({
  ...refusal(status, message, { field: extra.field }),
  ...(extra.existingId !== undefined ? { existingId: extra.existingId } : {}),
});

// ---------------------------------------------------------------------------------------------
// Composing from the frozen numbers

/** A closed month's notice body, or null when the month is not closed. */
async function composeMonthly(db: DB, month: string, adjustments: readonly Adjustment[]): Promise<MonthlyBody | null> {
  const close = await currentClose(db, month);
  if (!close) return null;
  const view = await monthRankings(db, month);
  const settings = await settingsFor(db, month);
  const thresholds = {
    commendTopN: settings.commendTopN, criticiseBelowCompletion: settings.criticiseBelowCompletion, criticiseMinLate: settings.criticiseMinLate,
  };
  const tables = view.kinds.map((k) => ({
    kind: k.code,
    kindName: k.name,
    rows: k.rows.map(
      (r): NoticeMonthRow => ({
        unitId: r.unitId, code: r.code, name: r.name, kind: r.kind, kindName: r.kindName, quota: r.quota, submitted: r.submitted,
        adopted: r.adopted, late: r.late, completion: r.completion, status: r.status ?? "none", points: r.points, rank: r.rank,
        tied: r.tied, movement: r.movement, channels: r.channels,
      }),
    ),
  }));
  return composeMonthlyBody({
    month, closeId: close.id, closedAt: close.closed_at, tables, thresholds, adjustments, channels: view.channels, channelTotals: view.channelTotals,
  });
}

/** A year's summary body from its months (snapshots where closed) and why it cannot be drafted yet. */
async function composeAnnual(db: DB, year: string, adjustments: readonly Adjustment[], now: Date): Promise<{ body: AnnualBody; problem: string | null }> {
  const view = await yearRankings(db, year, now);
  const perMonth = new Map<string, Awaited<ReturnType<typeof monthRankings>>>();
  for (const month of view.months) perMonth.set(month, await monthRankings(db, month));
  const unitCell = new Map<string, { adopted: number; points: number; status: "met" | "short" | "none" }>();
  const personPoints = new Map<string, number>();
  for (const [month, mv] of perMonth) {
    for (const k of mv.kinds) for (const r of k.rows) unitCell.set(`${r.unitId}:${month}`, { adopted: r.adopted, points: r.points, status: r.status ?? "none" });
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
      }),
    ),
  }));
  const correspondents = view.correspondents.map(
    (p): AnnualCorrespondentRow => ({
      accountId: p.accountId, displayName: p.displayName, unitName: p.unitName, active: p.active, items: p.items, points: p.points,
      rank: p.rank, tied: p.tied,
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

async function adjustmentsOf(db: DB, noticeId: number): Promise<Adjustment[]> {
  const rows = await db
    .selectFrom("notice_adjustments")
    .select(["unit_id", "list", "action", "reason"])
    .where("notice_id", "=", noticeId)
    .orderBy("id")
    .execute();
  return rows.map((r) => ({ unitId: r.unit_id, list: r.list, action: r.action, reason: r.reason }));
}

type NoticeRow = Awaited<ReturnType<typeof noticeRow>>;

function noticeRow(db: DB, id: number) {
  return db.selectFrom("notices").selectAll().where("id", "=", id).executeTakeFirst();
}

function storedDocument(row: NonNullable<NoticeRow>): NoticeDocument {
  const data = JSON.parse(row.data_json) as { version: number } & NoticeDocument;
  return { header: data.header, body: data.body };
}

/** The 落款 and the 版头 as the settings have them now; a published notice keeps its own. */
async function issuerFields(db: DB): Promise<Pick<NoticeHeader, "issuer" | "letterhead">> {
  const s = await settingsFor(db);
  return { issuer: s.noticeIssuer, letterhead: s.letterheadText };
}

async function draftHeader(db: DB, row: NonNullable<NoticeRow>): Promise<NoticeHeader> {
  return {
    title: row.title, docNumber: row.doc_number, addressee: row.addressee, opening: row.opening_text, closing: row.closing_text,
    ...(await issuerFields(db)), signerName: null, publishedAt: null,
  };
}

/**
 * A draft as it stands: composed afresh from the numbers in force with its adjustments, or (when
 * that is not possible, e.g. the month was reopened) its last composition, with the reason it
 * cannot be published now.
 */
async function composeDraft(db: DB, row: NonNullable<NoticeRow>, now: Date): Promise<{ doc: NoticeDocument; problem: string | null }> {
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
  const { body, problem } = await composeAnnual(db, row.period, adjustments, now);
  return { doc: { header, body }, problem };
}

const serialise = (doc: NoticeDocument) => JSON.stringify({ version: DATA_VERSION, ...doc });

// ---------------------------------------------------------------------------------------------
// Reading

export interface NoticeSummary {
  id: number;
  kind: NoticeKind;
  period: string;
  title: string;
  docNumber: string;
  status: "draft" | "published";
  publishedAt: string | null;
  signerName: string | null;
  updatedAt: string;
  href: string;
}

export function noticeHref(n: { id: number; kind: NoticeKind; period: string }): string {
  return n.kind === "annual" ? `/summary/${n.period}` : `/notices/${n.id}`;
}

function summaryOf(r: { id: number; kind: NoticeKind; period: string; title: string; doc_number: string; status: "draft" | "published"; published_at: string | null; signer_name: string | null; updated_at: string }): NoticeSummary {
  return {
    id: r.id, kind: r.kind, period: r.period, title: r.title, docNumber: r.doc_number, status: r.status, publishedAt: r.published_at,
    signerName: r.signer_name, updatedAt: r.updated_at, href: noticeHref(r),
  };
}

export interface NoticeIndex {
  published: NoticeSummary[];
  /** Reviewers only (empty for everyone else). */
  drafts: NoticeSummary[];
  /** Reviewers only: closed months and ended years that have no notice yet. */
  draftable: { months: Array<{ month: string; closedAt: string }>; years: Array<{ year: string; problem: string | null }> } | null;
}

export async function listNotices(db: DB, viewer: NoticeViewer, now = new Date()): Promise<NoticeIndex> {
  const columns = ["id", "kind", "period", "title", "doc_number", "status", "published_at", "signer_name", "updated_at"] as const;
  const published = await db
    .selectFrom("notices")
    .select(columns)
    .where("status", "=", "published")
    .orderBy("published_at", "desc")
    .orderBy("id", "desc")
    .execute();
  if (!manages(viewer)) return { published: published.map(summaryOf), drafts: [], draftable: null };
  const drafts = await db.selectFrom("notices").select(columns).where("status", "=", "draft").orderBy("updated_at", "desc").execute();
  const existing = await db.selectFrom("notices").select(["kind", "period"]).execute();
  const has = new Set(existing.map((n) => `${n.kind}:${n.period}`));
  const closes = await db
    .selectFrom("month_closes")
    .select(["month", "closed_at"])
    .where("reopened_at", "is", null)
    .orderBy("month", "desc")
    .execute();
  const months = closes.filter((c) => !has.has(`monthly:${c.month}`)).map((c) => ({ month: c.month, closedAt: c.closed_at }));
  const bounds = await rankingBounds(db, now);
  const closed = new Set(closes.map((c) => c.month));
  const years = [...new Set(closes.map((c) => c.month.slice(0, 4)))]
    .filter((y) => !has.has(`annual:${y}`) && `${y}-12` < bounds.current)
    .map((year) => ({ year, problem: annualDraftProblem(year, { months: yearMonths(year, bounds), closed, currentMonth: bounds.current }) }));
  return { published: published.map(summaryOf), drafts: drafts.map(summaryOf), draftable: { months, years } };
}

export interface AdjustmentRecord {
  id: number;
  unitName: string;
  list: NoticeListName;
  action: AdjustmentAction;
  reason: string;
  by: string;
  at: string;
}

export interface NoticeView {
  id: number;
  kind: NoticeKind;
  period: string;
  status: "draft" | "published";
  doc: NoticeDocument;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  publishedBy: string | null;
  docxSha256: string | null;
  /** Reviewers only: every adjustment, in order (empty for everyone else). */
  adjustments: AdjustmentRecord[];
  /** Drafts: why it cannot be published as it stands (null: it can). */
  problem: string | null;
  /** Drafts: the 文号 that would follow the last one used this year. */
  suggestedDocNumber: string | null;
}

/** A notice as the viewer may see it: published ones for everyone, drafts for reviewers; else null. */
export async function getNotice(db: DB, id: number, viewer: NoticeViewer, now = new Date()): Promise<NoticeView | null> {
  const row = await noticeRow(db, id);
  if (!row) return null;
  if (row.status !== "published" && !manages(viewer)) return null;
  const names = await db
    .selectFrom("accounts")
    .select(["id", "display_name"])
    .where("id", "in", [row.created_by, row.published_by ?? row.created_by])
    .execute();
  const nameOf = (accountId: number | null) => names.find((n) => n.id === accountId)?.display_name ?? null;
  let doc: NoticeDocument;
  let problem: string | null = null;
  let suggestedDocNumber: string | null = null;
  if (row.status === "published") doc = storedDocument(row);
  else {
    ({ doc, problem } = await composeDraft(db, row, now));
    suggestedDocNumber = await suggestDocNumber(db, now);
  }
  const adjustments = manages(viewer)
    ? (
        await db
          .selectFrom("notice_adjustments as a")
          .innerJoin("units as u", "u.id", "a.unit_id")
          .innerJoin("accounts as who", "who.id", "a.created_by")
          .select(["a.id", "u.name as unit_name", "a.list", "a.action", "a.reason", "who.display_name", "a.created_at"])
          .where("a.notice_id", "=", id)
          .orderBy("a.id")
          .execute()
      ).map((a) => ({ id: a.id, unitName: a.unit_name, list: a.list, action: a.action, reason: a.reason, by: a.display_name, at: a.created_at }))
    : [];
  return {
    id: row.id, kind: row.kind, period: row.period, status: row.status, doc, createdBy: nameOf(row.created_by) ?? "", createdAt: row.created_at,
    updatedAt: row.updated_at, publishedBy: nameOf(row.published_by), docxSha256: row.docx_sha256, adjustments, problem, suggestedDocNumber,
  };
}

/** The next 文号 of the bureau's prefix in the current year (Asia/Shanghai). */
export async function suggestDocNumber(db: DB, now = new Date()): Promise<string> {
  const prefix = await getSetting(db, "noticeDocPrefix");
  const used = await db.selectFrom("notices").select("doc_number").where("doc_number", "!=", "").execute();
  return nextDocNumber(used.map((u) => u.doc_number), prefix, shanghaiMonth(now).slice(0, 4));
}

/** The id of a period's notice (draft or published), or null. */
export async function noticeIdFor(db: DB, kind: NoticeKind, period: string): Promise<number | null> {
  const row = await db.selectFrom("notices").select("id").where("kind", "=", kind).where("period", "=", period).executeTakeFirst();
  return row?.id ?? null;
}

export type AnnualSummaryPage =
  | { state: "notice"; notice: NoticeView }
  /** Reviewers only, before drafting: the summary as it would be drafted now, and why it cannot be yet. */
  | { state: "preview"; doc: NoticeDocument; problem: string | null };

/** /summary/:year: its summary if the viewer may read it; for reviewers a preview until drafted; else null. */
export async function annualSummaryPage(db: DB, year: string, viewer: NoticeViewer, now = new Date()): Promise<AnnualSummaryPage | null> {
  const id = await noticeIdFor(db, "annual", year);
  if (id !== null) {
    const notice = await getNotice(db, id, viewer, now);
    return notice ? { state: "notice", notice } : null;
  }
  if (!manages(viewer)) return null;
  const bounds = await rankingBounds(db, now);
  if (yearMonths(year, bounds).length === 0) return null;
  const { body, problem } = await composeAnnual(db, year, [], now);
  const header: NoticeHeader = {
    title: noticeTitle("annual", year), docNumber: "", addressee: await getSetting(db, "noticeAddressee", `${year}-12`),
    opening: defaultOpening("annual", year), closing: defaultClosing("annual"), ...(await issuerFields(db)),
    signerName: null, publishedAt: null,
  };
  return { state: "preview", doc: { header, body }, problem };
}

export interface LatestNotice extends NoticeSummary {
  publishedAt: string;
  /** With a unit: what the notice says of it (reasons), null when it names the unit in neither list. */
  standing: { commended: string[] | null; criticised: string[] | null } | null;
}

/**
 * The newest published notice or year-end summary, for dashboards ("最新通报"); given a school's
 * unit, also whether it names that unit and why.
 */
export async function latestPublishedNotice(db: DB, options: { unitId?: number | null } = {}): Promise<LatestNotice | null> {
  const row = await db
    .selectFrom("notices")
    .select(["id", "kind", "period", "title", "doc_number", "status", "published_at", "signer_name", "updated_at", "data_json"])
    .where("status", "=", "published")
    .orderBy("published_at", "desc")
    .orderBy("id", "desc")
    .limit(1)
    .executeTakeFirst();
  if (!row) return null;
  let standing: LatestNotice["standing"] = null;
  if (options.unitId) {
    const { body } = JSON.parse(row.data_json) as NoticeDocument;
    const { commended, criticised } = standingOf(body, options.unitId);
    if (commended || criticised) standing = { commended: commended?.reasons ?? null, criticised: criticised?.reasons ?? null };
  }
  return { ...summaryOf(row), publishedAt: row.published_at!, standing };
}

// ---------------------------------------------------------------------------------------------
// Drafting, editing, adjusting

interface Acting {
  actor: NoticeActor;
  ip?: string;
  now?: Date;
}

async function existingFailure(db: DB, kind: NoticeKind, period: string): Promise<NoticeFailure | null> {
  const existing = await db
    .selectFrom("notices")
    .select(["id", "status", "doc_number"])
    .where("kind", "=", kind)
    .where("period", "=", period)
    .executeTakeFirst();
  if (!existing) return null;
  const what = kind === "monthly" ? `${monthLabel(period)}的通报` : `${period}年度汇总`;
  const state = existing.status === "published" ? `已经签发（${existing.doc_number}）` : "已经起草，请在原草稿上修改";
  return fail(409, `${what}${state}。每${kind === "monthly" ? "月" : "年"}只发一期。`, { existingId: existing.id });
}

async function insertDraft(trx: Transaction<Database>, kind: NoticeKind, period: string, body: NoticeBody, closeId: number | null, input: Acting) {
  const at = (input.now ?? new Date()).toISOString();
  const settingsMonth = kind === "monthly" ? period : `${period}-12`;
  const header: NoticeHeader = {
    title: noticeTitle(kind, period), docNumber: "", addressee: await getSetting(trx, "noticeAddressee", settingsMonth),
    opening: defaultOpening(kind, period), closing: defaultClosing(kind), ...(await issuerFields(trx)),
    signerName: null, publishedAt: null,
  };
  const { id } = await trx
    .insertInto("notices")
    .values({
      kind, period, close_id: closeId, doc_number: "", title: header.title, addressee: header.addressee, opening_text: header.opening,
      closing_text: header.closing, data_json: serialise({ header, body }), status: "draft", created_by: input.actor.id, created_at: at, updated_at: at,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  await recordAudit(trx, {
    actorId: input.actor.id, actorName: input.actor.username, action: "notice_drafted", entityType: "notice", entityId: id,
    to: "draft", ip: input.ip, at, detail: { kind, period },
  });
  return id;
}

/** Drafts a closed month's notice; refused (409) for an open month or a month that already has one. */
export async function draftMonthlyNotice(db: Kysely<Database>, input: Acting & { month: string }): Promise<NoticeResult> {
  return db.transaction().execute(async (trx): Promise<NoticeResult> => {
    const existing = await existingFailure(trx, "monthly", input.month);
    if (existing) return existing;
    const body = await composeMonthly(trx, input.month, []);
    if (!body) return fail(409, `${monthLabel(input.month)}尚未结算，结算后才能起草该月通报。`);
    return { ok: true, id: await insertDraft(trx, "monthly", input.month, body, body.closeId, input) };
  });
}

/** Drafts a year's summary once the year is over and each of its months is closed. */
export async function draftAnnualSummary(db: Kysely<Database>, input: Acting & { year: string }): Promise<NoticeResult> {
  const now = input.now ?? new Date();
  return db.transaction().execute(async (trx): Promise<NoticeResult> => {
    const existing = await existingFailure(trx, "annual", input.year);
    if (existing) return existing;
    const { body, problem } = await composeAnnual(trx, input.year, [], now);
    if (problem) return fail(409, problem);
    return { ok: true, id: await insertDraft(trx, "annual", input.year, body, null, { ...input, now }) };
  });
}

async function draftForChange(trx: DB, id: number): Promise<NonNullable<NoticeRow> | NoticeFailure> {
  const row = await noticeRow(trx, id);
  if (!row) return fail(404, "没有这期通报。");
  if (row.status === "published") {
    return fail(409, `该${NOTICE_KIND_NAMES[row.kind]}已于 ${formatShanghai(row.published_at!)} 签发，内容已冻结，不能再修改。`);
  }
  return row;
}

const isFailure = (x: unknown): x is NoticeFailure => typeof x === "object" && x !== null && (x as NoticeFailure).ok === false;

export interface NoticeTextFields {
  addressee: string;
  docNumber: string;
  opening: string;
  closing: string;
}

/** Saves the reviewer's text of a draft (主送, 文号, opening, closing). */
export async function updateNoticeText(db: Kysely<Database>, input: Acting & { id: number; fields: NoticeTextFields }): Promise<NoticeResult> {
  const now = input.now ?? new Date();
  const at = now.toISOString();
  const { fields } = input;
  if (fields.docNumber) {
    const problem = docNumberProblem(fields.docNumber);
    if (problem) return fail(400, problem, { field: "doc_number" });
  }
  return db.transaction().execute(async (trx): Promise<NoticeResult> => {
    const row = await draftForChange(trx, input.id);
    if (isFailure(row)) return row;
    const changed = (
      [
        ["addressee", row.addressee, fields.addressee],
        ["doc_number", row.doc_number, fields.docNumber],
        ["opening_text", row.opening_text, fields.opening],
        ["closing_text", row.closing_text, fields.closing],
      ] as const
    )
      .filter(([, before, after]) => before !== after)
      .map(([name]) => name);
    const updated = { ...row, addressee: fields.addressee, doc_number: fields.docNumber, opening_text: fields.opening, closing_text: fields.closing };
    const { doc } = await composeDraft(trx, updated, now);
    await trx
      .updateTable("notices")
      .set({
        addressee: fields.addressee, doc_number: fields.docNumber, opening_text: fields.opening, closing_text: fields.closing,
        data_json: serialise(doc), updated_at: at,
      })
      .where("id", "=", row.id)
      .execute();
    await recordAudit(trx, {
      actorId: input.actor.id, actorName: input.actor.username, action: "notice_updated", entityType: "notice", entityId: row.id,
      ip: input.ip, at, detail: { changed, docNumber: fields.docNumber },
    });
    return { ok: true, id: row.id };
  });
}

/** Adds a unit to, or removes it from, a draft's 表扬 or 通报批评 list, with the reason recorded. */
export async function adjustNotice(
  db: Kysely<Database>,
  input: Acting & { id: number; unitId: number; list: NoticeListName; action: AdjustmentAction; reason: string },
): Promise<({ ok: true; id: number; unitName: string }) | NoticeFailure> {
  const now = input.now ?? new Date();
  const at = now.toISOString();
  const reason = input.reason.trim();
  if (!reason) return fail(400, "请填写调整的理由", { field: "reason" });
  return db.transaction().execute(async (trx): Promise<({ ok: true; id: number; unitName: string }) | NoticeFailure> => {
    const row = await draftForChange(trx, input.id);
    if (isFailure(row)) return row;
    const { doc, problem } = await composeDraft(trx, row, now);
    if (problem && row.kind === "monthly") return fail(409, problem);
    const units: Array<{ unitId: number; name: string }> = doc.body.tables.flatMap((t: { rows: Array<{ unitId: number; name: string }> }) => t.rows);
    const unit = units.find((r) => r.unitId === input.unitId);
    if (!unit) return fail(400, "请选择本期统计范围内的单位", { field: "unit_id" });
    const refused = adjustmentProblem(doc.body, { unitId: input.unitId, list: input.list, action: input.action }, unit.name);
    if (refused) return fail(409, refused);
    await trx
      .insertInto("notice_adjustments")
      .values({ notice_id: row.id, unit_id: input.unitId, list: input.list, action: input.action, reason, created_by: input.actor.id, created_at: at })
      .execute();
    const after = await composeDraft(trx, row, now);
    await trx.updateTable("notices").set({ data_json: serialise(after.doc), updated_at: at }).where("id", "=", row.id).execute();
    await recordAudit(trx, {
      actorId: input.actor.id, actorName: input.actor.username, action: "notice_adjusted", entityType: "notice", entityId: row.id,
      reason, ip: input.ip, at, detail: { unitId: input.unitId, unit: unit.name, list: input.list, adjustment: input.action },
    });
    return { ok: true, id: row.id, unitName: unit.name };
  });
}

// ---------------------------------------------------------------------------------------------
// Publishing and the Word document

export function noticeFilePath(dataDir: string, sha256: string): string {
  return path.join(dataDir, "notices", `${sha256}.docx`);
}

const sha256Of = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

async function storeNoticeFile(dataDir: string, bytes: Uint8Array): Promise<string> {
  const sha = sha256Of(bytes);
  const target = noticeFilePath(dataDir, sha);
  const present = await stat(target).then(
    () => true,
    () => false,
  );
  if (!present) await writeAtomically(target, bytes);
  return sha;
}

/**
 * 签发: freezes the notice as it stands (numbers of the close in force, lists with adjustments,
 * text, 文号, signer and time), makes its Word document once and stores it before the row points
 * at it. Refused without a 文号, with a 文号 another published notice carries, for a reopened
 * month, or when already published.
 */
export async function publishNotice(
  db: Kysely<Database>,
  input: Acting & { id: number; signerName: string; dataDir: string },
): Promise<NoticeResult> {
  const now = input.now ?? new Date();
  const at = now.toISOString();
  const signerName = input.signerName.trim();
  if (!signerName) return fail(400, "请填写签发人", { field: "signer_name" });
  return db.transaction().execute(async (trx): Promise<NoticeResult> => {
    const row = await draftForChange(trx, input.id);
    if (isFailure(row)) return row;
    if (!row.doc_number) return fail(409, "签发前请先填写文号并保存。");
    const formatProblem = docNumberProblem(row.doc_number);
    if (formatProblem) return fail(409, `${formatProblem}。请修改后再签发。`);
    const clash = await trx
      .selectFrom("notices")
      .select(["title"])
      .where("status", "=", "published")
      .where("doc_number", "=", row.doc_number)
      .where("id", "!=", row.id)
      .executeTakeFirst();
    if (clash) return fail(409, `文号 ${row.doc_number} 已用于已签发的《${clash.title}》，请换一个文号。`);
    const { doc: draft, problem } = await composeDraft(trx, row, now);
    if (problem) return fail(409, problem);
    const doc: NoticeDocument = { header: { ...draft.header, signerName, publishedAt: at }, body: draft.body };
    const sha = await storeNoticeFile(input.dataDir, await noticeDocx(doc));
    await trx
      .updateTable("notices")
      .set({
        status: "published", data_json: serialise(doc), signer_name: signerName, published_at: at, published_by: input.actor.id,
        docx_sha256: sha, close_id: doc.body.kind === "monthly" ? doc.body.closeId : null, updated_at: at,
      })
      .where("id", "=", row.id)
      .execute();
    await recordAudit(trx, {
      actorId: input.actor.id, actorName: input.actor.username, action: "notice_published", entityType: "notice", entityId: row.id,
      from: "draft", to: "published", ip: input.ip, at,
      detail: { kind: row.kind, period: row.period, docNumber: row.doc_number, signer: signerName, docxSha256: sha },
    });
    return { ok: true, id: row.id };
  });
}

export interface NoticeFile {
  bytes: Buffer;
  kind: NoticeKind;
  period: string;
  docNumber: string;
  sha256: string;
}

/**
 * The stored Word document of a published notice (null when there is no such published notice).
 * A missing file is rebuilt from the frozen data and kept only if it is the same bytes; a file
 * whose bytes no longer match its name is an error, never served.
 */
export async function publishedNoticeFile(db: DB, id: number, dataDir: string): Promise<NoticeFile | null> {
  const row = await noticeRow(db, id);
  if (!row || row.status !== "published" || !row.docx_sha256) return null;
  const sha = row.docx_sha256;
  let bytes: Buffer | null = await readFile(noticeFilePath(dataDir, sha)).catch(() => null);
  if (!bytes) {
    const rebuilt = await noticeDocx(storedDocument(row));
    if (sha256Of(rebuilt) !== sha) throw new Error(`通报 ${id} 的 Word 文件缺失，且无法按原样重新生成`);
    await storeNoticeFile(dataDir, rebuilt);
    bytes = rebuilt;
  }
  if (sha256Of(bytes) !== sha) throw new Error(`通报 ${id} 的 Word 文件已损坏（校验值不符）`);
  return { bytes, kind: row.kind, period: row.period, docNumber: row.doc_number, sha256: sha };
}

/** The document behind /summary/:year.xlsx: the frozen one when published; for reviewers the draft or a preview. */
export async function annualSummaryDocument(db: DB, year: string, viewer: NoticeViewer, now = new Date()): Promise<{ doc: NoticeDocument; published: boolean } | null> {
  const page = await annualSummaryPage(db, year, viewer, now);
  if (!page) return null;
  if (page.state === "notice") return { doc: page.notice.doc, published: page.notice.status === "published" };
  return { doc: page.doc, published: false };
}

