// 通报: monthly notices and year-end summaries, drafted from frozen numbers, edited, adjusted and
// published (签发) by a reviewer. A draft is composed afresh from the month's close in force (or the
// year's closed months) each time it is read, so the reviewer sees what will be published. This
// file reads notices; composing (notice-compose), drafting and editing (notice-drafts) and
// publishing with the Word document (notice-publish) sit beside it and are re-exported here.
import {
  annualDraftProblem,
  defaultClosing,
  defaultOpening,
  nextDocNumber,
  noticeTitle,
  standingOf,
  type Adjustment,
  type AdjustmentAction,
  type NoticeDocument,
  type NoticeHeader,
  type NoticeKind,
  type NoticeListName,
} from "~/domain/notices";
import { yearMonths } from "~/domain/rankings-view";
import { shanghaiMonth } from "~/domain/time";
import { rankingBounds } from "~/models/rankings.server";
import { getSetting } from "~/models/settings.server";
import { writeCache } from "~/models/write-cache.server";
import {
  composeAnnual,
  composeDraft,
  issuerFields,
  manages,
  noticeRow,
  storedDocument,
  type DB,
  type NoticeViewer,
} from "~/models/notice-compose.server";

export type { NoticeActor, NoticeFailure, NoticeResult, NoticeViewer } from "~/models/notice-compose.server";
export * from "~/models/notice-drafts.server";
export * from "~/models/notice-publish.server";

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

/** Where a notice's lists are downloaded in full: the month's lists, or the year's summary workbook. */
export function noticeListsHref(n: { id: number; kind: NoticeKind; period: string }): string {
  return `${noticeHref(n)}.xlsx`;
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
  if (manages(viewer)) return readNotice(db, id, viewer, now);
  // Everyone else sees a published notice alike (its frozen document, no adjustments) or nothing:
  // read once per figures write (publishing is one) and shared, keyed by the notice alone.
  const notice = await publishedNotices.get(db, String(id), () => readNotice(db, id, viewer, now), "none");
  return notice && { ...notice };
}

const publishedNotices = writeCache<NoticeView | null>({ frozen: true });

/**
 * A year's summary composed from its months as they stand: about 50 ms of JavaScript for a county,
 * so the reviewers' preview, draft and their Excel downloads share one composition per figures
 * write, month and set of adjustments. Reads only: a write composes afresh in its transaction.
 */
function composedAnnual(db: DB, year: string, adjustments: readonly Adjustment[], now: Date): ReturnType<typeof composeAnnual> {
  return annualCompositions.get(db, JSON.stringify([year, shanghaiMonth(now), adjustments]), () => composeAnnual(db, year, adjustments, now));
}

const annualCompositions = writeCache<Awaited<ReturnType<typeof composeAnnual>>>({ frozen: true, limit: 16 });

async function readNotice(db: DB, id: number, viewer: NoticeViewer, now: Date): Promise<NoticeView | null> {
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
    ({ doc, problem } = await composeDraft(db, row, now, composedAnnual));
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
  const { body, problem } = await composedAnnual(db, year, [], now);
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
  // On every home page: read once per write that changes the figures (publishing is one) and unit.
  const latest = await latestNotices.get(db, `unit:${options.unitId ?? ""}`, () => readLatestPublishedNotice(db, options), "none");
  return latest && { ...latest };
}

const latestNotices = writeCache<LatestNotice | null>();

async function readLatestPublishedNotice(db: DB, options: { unitId?: number | null }): Promise<LatestNotice | null> {
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


/** The document behind /summary/:year.xlsx: the frozen one when published; for reviewers the draft or a preview. */
export async function annualSummaryDocument(db: DB, year: string, viewer: NoticeViewer, now = new Date()): Promise<{ doc: NoticeDocument; published: boolean } | null> {
  const page = await annualSummaryPage(db, year, viewer, now);
  if (!page) return null;
  if (page.state === "notice") return { doc: page.notice.doc, published: page.notice.status === "published" };
  return { doc: page.doc, published: false };
}
