// The bureau's review desk: the queue, one item with its review aids (near-duplicates from
// near-duplicates.server.ts, the unit's count against quota), decisions, and the 上稿 / 批示
// records on adopted items (review-records.server.ts, re-exported here).
import { sql, type Kysely } from "kysely";
import { preparedQuery } from "../../db/prepared-query";
import type { Database } from "../../db/schema";
import { AT_BUREAU_STATUSES, itemCounts, quotaStatus, completion, type QuotaStatus } from "~/domain/points";
import type { Actor } from "~/domain/permissions";
import { parseQueueFilters, type BulkPick, type QueueFilters } from "~/domain/review";
import { excerptSegments, markTerms, planSearch, searchNote } from "~/domain/search";
import { getItemDetail } from "~/models/item-detail.server";
import { findNearDuplicates } from "~/models/near-duplicates.server";
import { transitionItem, type TransitionRequest, type TransitionResult } from "~/models/item-workflow.server";
import { orderByRelevance, withSearch } from "~/models/search.server";
import { quotaFor } from "~/models/rules.server";
import { pageCount } from "~/models/units.server";
import { pickUnit } from "~/domain/unit-pick";
import { writeCache } from "~/models/write-cache.server";

export { insertPickup, recordInstruction, recordPickup, type RecordResult } from "~/models/review-records.server";

type DB = Kysely<Database>;

export const QUEUE_PAGE_SIZE = 20;

/** Items waiting for a reviewer: the header badge. */
export async function waitingCount(db: DB): Promise<number> {
  // On every page a reviewer opens (the menu's badge): read once per write that touched an item in
  // a report month. A submitted item always has one (the items table's check), so a submission
  // still waiting for its lead's sign-off keeps the count.
  return waitingCounts.get(
    db,
    "waiting",
    async () => {
      const row = await db
        .selectFrom("items")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .where("status", "=", "submitted")
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },
    "in-a-month",
  );
}

const waitingCounts = writeCache<number>();

// ---------------------------------------------------------------------------------------------
// The queue

/**
 * The queue's filter choices (units, kinds, categories, months with items), read once per figures
 * write and shared (read-only); the months are those of items in a month, so a submission waiting
 * for its lead's sign-off keeps them.
 */
function queueChoices(db: DB) {
  return queueChoiceLists.get(db, "choices", async () => {
    const [units, kinds, categories, months] = await Promise.all([
      db
        .selectFrom("units")
        .select(["id", "code", "name", "kind_code", "active"])
        .orderBy("code")
        .execute(),
      db.selectFrom("unit_kinds").select(["code", "name"]).orderBy("sort_order").orderBy("code").execute(),
      db.selectFrom("categories").select(["id", "name"]).orderBy("sort_order").orderBy("id").execute(),
      db
        .selectFrom("items")
        .select("report_month")
        .distinct()
        .where("report_month", "is not", null)
        .orderBy("report_month", "desc")
        .execute(),
    ]);
    return { units, kinds, categories, months };
  }, "in-a-month");
}

const queueChoiceLists = writeCache<{
  units: Array<{ id: number; code: string; name: string; kind_code: string; active: number }>;
  kinds: Array<{ code: string; name: string }>;
  categories: Array<{ id: number; name: string }>;
  months: Array<{ report_month: string | null }>;
}>({ frozen: true });

/**
 * One page of the queue for the URL's filters. Filters are checked against the units, kinds and
 * categories that exist; anything unknown is ignored. Filtering, sorting and paging run in SQL.
 */
export async function listReviewQueue(db: DB, params: { get(name: string): string | null }) {
  const [{ units, kinds, categories, months }, waiting] = await Promise.all([queueChoices(db), waitingCount(db)]);
  // The unit is an id (the portal's links) or a code or name typed into the unit search box.
  const unitPick = pickUnit(units, params.get("unit") ?? undefined);
  const filters = parseQueueFilters(params, {
    unitOf: () => unitPick.unit?.id ?? null,
    kinds: new Set(kinds.map((k) => k.code)),
    categoryIds: new Set(categories.map((c) => c.id)),
  });

  let base = db
    .selectFrom("items")
    .innerJoin("units", "units.id", "items.unit_id")
    .innerJoin("unit_kinds", "unit_kinds.code", "units.kind_code")
    .innerJoin("categories", "categories.id", "items.category_id")
    // Reviewers see what has reached the bureau at least once, never a school's own drafts.
    .where("items.report_month", "is not", null);
  if (filters.status === "returned") base = base.where("items.status", "=", "draft");
  else if (filters.status !== "all") base = base.where("items.status", "=", filters.status);
  if (filters.unit !== null) base = base.where("items.unit_id", "=", filters.unit);
  if (filters.kind !== null) base = base.where("units.kind_code", "=", filters.kind);
  if (filters.category !== null) base = base.where("items.category_id", "=", filters.category);
  if (filters.month !== null) base = base.where("items.report_month", "=", filters.month);
  const plan = planSearch(filters.q);
  base = withSearch(base, plan);

  const totalRow = await base.select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
  const total = Number(totalRow.n);
  const pages = pageCount(total, QUEUE_PAGE_SIZE);
  const page = Math.min(filters.page, pages);

  const flip = (dir: "asc" | "desc") => (dir === "asc" ? "desc" : "asc");
  let query = base.select([
    "items.id", "items.title", "items.status", "items.report_month", "items.submitted_at", "items.first_submitted_at",
    "items.late", "items.grade", "items.unit_id", "items.version", "units.name as unit_name", "units.code as unit_code",
    "unit_kinds.name as kind_name", "categories.name as category",
    // The body only for marking a search's hits.
    plan ? "items.body" : sql<string>`''`.as("body"),
  ]);
  switch (filters.sort) {
    case "relevance": // only with a search (parseQueueFilters): best hits first, then the newest arrival
      if (plan) query = orderByRelevance(query, plan);
      query = query.orderBy("items.submitted_at", "desc").orderBy("items.id", "desc");
      break;
    case "waiting": // the longest wait is the oldest arrival
      query = query.orderBy("items.submitted_at", flip(filters.dir)).orderBy("items.id", flip(filters.dir));
      break;
    case "submitted":
      query = query.orderBy("items.submitted_at", filters.dir).orderBy("items.id", filters.dir);
      break;
    case "unit":
      query = query.orderBy("units.code", filters.dir).orderBy("items.submitted_at", "asc").orderBy("items.id", "asc");
      break;
    case "title":
      query = query.orderBy("items.title", filters.dir).orderBy("items.id", "asc");
      break;
  }
  const rows = await query.limit(QUEUE_PAGE_SIZE).offset((page - 1) * QUEUE_PAGE_SIZE).execute();

  const applied: QueueFilters = { ...filters, page };
  return {
    filters: applied,
    note: searchNote(plan),
    rows: rows.map(({ body, ...row }) => ({
      ...row,
      marks: plan ? { title: markTerms(row.title, plan.terms), excerpt: excerptSegments(body, plan.terms) } : undefined,
    })),
    total,
    pages,
    waiting,
    choices: { units, kinds, categories, months: months.map((m) => m.report_month!) },
    unitPick,
  };
}

// ---------------------------------------------------------------------------------------------
// One item

export interface UnitQuotaProgress {
  month: string;
  adopted: number;
  submitted: number;
  quota: number;
  completion: number;
  status: QuotaStatus;
}

const unitMonthStatusCounts = preparedQuery((db: DB, unitId: number, month: string) =>
  db
    .selectFrom("items")
    .select(["status", "points_revoked", (eb) => eb.fn.countAll<number>().as("n")])
    .where("unit_id", "=", unitId)
    .where("report_month", "=", month)
    .groupBy(["status", "points_revoked"]),
);

const atBureau = new Set<string>(AT_BUREAU_STATUSES);

/**
 * A unit's count against its quota in a month: items that count (adopted, or withdrawn with their
 * points kept — the same rule the monthly accounting uses) against the quota in force; 报送 counts
 * the items at the bureau, as the league does (one back at the school counts in no month).
 */
export async function unitQuotaProgress(db: DB, unitId: number, month: string): Promise<UnitQuotaProgress> {
  const [rows, quota] = await Promise.all([unitMonthStatusCounts(db, unitId, month), quotaFor(db, unitId, month)]);
  const submitted = rows.filter((r) => atBureau.has(r.status)).reduce((s, r) => s + Number(r.n), 0);
  const adopted = rows
    .filter((r) => itemCounts({ status: r.status, pointsRevoked: r.points_revoked === 1 }))
    .reduce((s, r) => s + Number(r.n), 0);
  return { month, adopted, submitted, quota, completion: completion(adopted, quota), status: quotaStatus({ submitted, adopted, quota }) };
}

/** Everything the review page shows for one item, or why it cannot be shown. */
export async function getReviewItem(db: DB, actor: Actor, itemId: number, now = new Date()) {
  const detail = await getItemDetail(db, actor, itemId);
  if (!detail.found || !detail.allowed) return detail;
  const { item } = detail;
  const [duplicates, quota] = await Promise.all([
    findNearDuplicates(db, item, now),
    // Every item a reviewer may see has reached the bureau, so it has a report month.
    item.report_month ? unitQuotaProgress(db, item.unit_id, item.report_month) : Promise.resolve(null),
  ]);
  return { ...detail, duplicates, quota };
}

// ---------------------------------------------------------------------------------------------
// Decisions and records

export type DecisionResult =
  | Extract<TransitionResult, { ok: false }>
  | (Extract<TransitionResult, { ok: true }> & { nextId: number | null });

/**
 * A reviewer's decision (adopt, return, reject, withdraw), and the next item waiting longest,
 * so the reviewer can go straight on to it: within the queue view the reviewer came from (its
 * unit, kind, category and month), when there is one. The next item is looked up on `reader`
 * (the read pool sees the decision once it is committed), not through the writer's turn.
 */
export async function decideItem(
  db: DB,
  req: TransitionRequest,
  queue: QueueFilters | null = null,
  reader: DB = db,
): Promise<DecisionResult> {
  const result = await transitionItem(db, req);
  if (!result.ok) return result;
  return { ...result, nextId: await nextWaitingId(reader, req.itemId, queue) };
}

/** The item that has waited longest, other than this one, within the queue view's filters. */
export async function nextWaitingId(db: DB, exceptId: number, queue: QueueFilters | null): Promise<number | null> {
  let query = db
    .selectFrom("items")
    .innerJoin("units", "units.id", "items.unit_id")
    .select("items.id")
    .where("items.status", "=", "submitted")
    .where("items.id", "!=", exceptId);
  if (queue?.unit != null) query = query.where("items.unit_id", "=", queue.unit);
  if (queue?.kind != null) query = query.where("units.kind_code", "=", queue.kind);
  if (queue?.category != null) query = query.where("items.category_id", "=", queue.category);
  if (queue?.month != null) query = query.where("items.report_month", "=", queue.month);
  const next = await query.orderBy("items.submitted_at", "asc").orderBy("items.id", "asc").limit(1).executeTakeFirst();
  return next?.id ?? null;
}

export interface BulkOutcome {
  id: number;
  title: string;
  /** 200 when done; otherwise the refusal's status (409: someone else got there first). */
  status: number;
  message: string;
}

/**
 * One decision (adopt with one grade, or return with one reason) on several waiting items. Each
 * item is its own transition: its own transaction, version check, trail entry and notices, so an
 * item someone else has handled meanwhile is refused (409) while the others go through.
 */
export async function decideItems(
  db: DB,
  req: Omit<TransitionRequest, "itemId" | "expectedVersion" | "action"> & { action: "adopt" | "return"; picks: readonly BulkPick[] },
): Promise<{ done: BulkOutcome[]; refused: BulkOutcome[] }> {
  const ids = req.picks.map((p) => p.id);
  // Only items that have reached the bureau are the reviewers' to name; a school's own draft is
  // reported as missing, like on the item's review page.
  const titles = new Map(
    (ids.length
      ? await db.selectFrom("items").select(["id", "title"]).where("id", "in", ids).where("report_month", "is not", null).execute()
      : []
    ).map((r) => [r.id, r.title]),
  );
  const { picks, ...decision } = req;
  const done: BulkOutcome[] = [];
  const refused: BulkOutcome[] = [];
  for (const pick of picks) {
    const title = titles.get(pick.id);
    if (title === undefined) {
      refused.push({ id: pick.id, title: `稿件 ${pick.id}`, status: 404, message: "稿件不存在。" });
      continue;
    }
    const result = await transitionItem(db, { ...decision, itemId: pick.id, expectedVersion: pick.version });
    if (result.ok) done.push({ id: pick.id, title, status: 200, message: req.action === "adopt" ? "已采用" : "已退回修改" });
    else {
      // A ticked row sent again (a double click on the batch button) is the reviewer's own earlier decision.
      const conflict = result.repeated ? "您已处理过这篇稿件，未作改动。" : "已被他人处理，未作改动。";
      refused.push({ id: pick.id, title, status: result.status, message: result.status === 409 ? conflict : result.message });
    }
  }
  return { done, refused };
}
