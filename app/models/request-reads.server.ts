// 约稿 as people read them: the bureau's and a school's paged lists, one request's page (a school
// sees only its own unit's row), the item form's and home page's open requests, the reviewer's
// counts and a unit's month receipt with its 约稿 lines. The writes are in requests.server.ts.
import type { Kysely, Transaction } from "kysely";
import { preparedQuery } from "../../db/prepared-query";
import type { Database } from "../../db/schema";
import type { Role } from "~/domain/permissions";
import { unitMonthReceipt } from "~/domain/points";
import { REQUEST_OUTCOMES, requestOutcomeName, requestStatus, timeLeftText, type RequestOutcome, type RequestStatusFilter } from "~/domain/requests";
import { addressedUnits } from "~/models/requests.server";
import { outcomesOfRequest } from "~/models/request-outcomes.server";
import { pointsRulesFor, quotaFor } from "~/models/rules.server";
import { pageCount } from "~/models/units.server";

type DB = Kysely<Database>;
type AnyDB = DB | Transaction<Database>;

export interface RequestListFilters {
  month?: string;
  status?: RequestStatusFilter;
  /** 1-based; past the last page reads the last. */
  page?: number;
}

export const REQUESTS_PAGE_SIZE = 20;

/** One page of a filtered list, newest deadline first, and how many there are in all. */
async function pageOf<Q extends ReturnType<typeof baseList>>(q: Q, page = 1) {
  const { n } = await q.clearSelect().select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
  const total = Number(n);
  const pages = pageCount(total, REQUESTS_PAGE_SIZE);
  const current = Math.min(Math.max(1, page), pages);
  const rows = await q.orderBy("r.due_at", "desc").orderBy("r.id", "desc").limit(REQUESTS_PAGE_SIZE).offset((current - 1) * REQUESTS_PAGE_SIZE).execute();
  return { rows, total, page: current, pages };
}

function withStatus(q: ReturnType<typeof baseList>, status: RequestStatusFilter | undefined, at: string) {
  if (status === "cancelled") return q.where("r.cancelled_at", "is not", null);
  if (status === "open") return q.where("r.cancelled_at", "is", null).where("r.due_at", ">=", at);
  if (status === "closed") return q.where("r.cancelled_at", "is", null).where("r.due_at", "<", at);
  return q;
}

function baseList(db: AnyDB) {
  return db.selectFrom("requests as r").select(["r.id", "r.topic", "r.due_at", "r.month", "r.cancelled_at", "r.created_at"]);
}

/** The reviewer's list: every request, with per-outcome counts of its addressed units. */
export async function listRequestsForBureau(db: AnyDB, filters: RequestListFilters, now = new Date()) {
  let q = withStatus(baseList(db), filters.status, now.toISOString());
  if (filters.month) q = q.where("r.month", "=", filters.month);
  const { rows, ...paging } = await pageOf(q, filters.page);
  const out = [];
  for (const r of rows) {
    const outcomes = await outcomesOfRequest(db, r.id, now);
    const units = r.cancelled_at ? (await addressedUnits(db, r.id)).length : outcomes.size;
    const tally: Partial<Record<RequestOutcome, number>> = {};
    for (const o of outcomes.values()) tally[o] = (tally[o] ?? 0) + 1;
    out.push({
      id: r.id, topic: r.topic, dueAt: r.due_at, month: r.month, status: requestStatus({ dueAt: r.due_at, cancelledAt: r.cancelled_at }, now),
      units, timeLeft: timeLeftText(r.due_at, now),
      // In the vocabulary's order on every row (按时完成、逾期、未报送…), not in the order the units happened to come.
      tally: REQUEST_OUTCOMES.filter((o) => tally[o.code]).map((o) => ({ code: o.code, name: o.name, n: tally[o.code]! })),
    });
  }
  return { rows: out, ...paging };
}

/** A school's list: the requests addressed to its unit, with its outcome and the time left. */
export async function listRequestsForUnit(db: AnyDB, unitId: number, filters: RequestListFilters, now = new Date()) {
  let q = withStatus(baseList(db).innerJoin("request_units as ru", "ru.request_id", "r.id").where("ru.unit_id", "=", unitId), filters.status, now.toISOString());
  if (filters.month) q = q.where("r.month", "=", filters.month);
  const { rows, ...paging } = await pageOf(q, filters.page);
  const out = [];
  for (const r of rows) {
    const outcome = r.cancelled_at ? null : ((await outcomesOfRequest(db, r.id, now, unitId)).get(unitId) ?? null);
    out.push({
      id: r.id, topic: r.topic, dueAt: r.due_at, month: r.month, status: requestStatus({ dueAt: r.due_at, cancelledAt: r.cancelled_at }, now),
      timeLeft: timeLeftText(r.due_at, now), outcome, outcomeName: outcome ? requestOutcomeName(outcome) : "已取消",
    });
  }
  return { rows: out, ...paging };
}

/** The months that have requests, newest first (the list's month filter). */
export async function requestMonthsList(db: AnyDB, unitId?: number): Promise<string[]> {
  let q = db.selectFrom("requests as r").select("r.month").distinct();
  if (unitId !== undefined) q = q.innerJoin("request_units as ru", "ru.request_id", "r.id").where("ru.unit_id", "=", unitId);
  return (await q.orderBy("r.month", "desc").execute()).map((r) => r.month);
}

/**
 * The items filed against a request: a unit's own, all of them; for the bureau, those that have
 * reached it (a draft that never did is the school's own, as on its item page).
 */
async function linkedItems(db: AnyDB, requestId: number, unitId?: number) {
  let q = db
    .selectFrom("items")
    .select(["id", "unit_id", "title", "status", "submitted_at"])
    .where("request_id", "=", requestId);
  q = unitId !== undefined ? q.where("unit_id", "=", unitId) : q.where("report_month", "is not", null);
  return q.orderBy("id").execute();
}

/**
 * One request as the viewer may see it: the reviewer sees every addressed unit; a school user only
 * a request addressed to their unit, and only their unit's row. Null when not visible (404).
 */
export async function requestDetail(db: AnyDB, viewer: { role: Role; unitId: number | null }, id: number, now = new Date()) {
  const r = await db
    .selectFrom("requests as r")
    .innerJoin("accounts as a", "a.id", "r.created_by")
    .select(["r.id", "r.topic", "r.guidance", "r.due_at", "r.month", "r.created_at", "r.cancelled_at", "r.cancel_reason", "a.display_name as created_by_name"])
    .where("r.id", "=", id)
    .executeTakeFirst();
  if (!r) return null;
  const school = viewer.role !== "reviewer";
  if (school && viewer.unitId === null) return null;
  let unitsQ = db
    .selectFrom("request_units as ru")
    .innerJoin("units as u", "u.id", "ru.unit_id")
    .innerJoin("unit_kinds as k", "k.code", "u.kind_code")
    .select(["ru.unit_id", "u.code", "u.name", "k.name as kind_name", "ru.declined_at", "ru.decline_reason"])
    .where("ru.request_id", "=", id);
  if (school) unitsQ = unitsQ.where("ru.unit_id", "=", viewer.unitId!);
  const units = await unitsQ.orderBy("k.sort_order").orderBy("u.code").execute();
  if (school && units.length === 0) return null;
  const [outcomes, items] = await Promise.all([
    r.cancelled_at ? Promise.resolve(new Map<number, RequestOutcome>()) : outcomesOfRequest(db, id, now, school ? viewer.unitId! : undefined),
    linkedItems(db, id, school ? viewer.unitId! : undefined),
  ]);
  const status = requestStatus({ dueAt: r.due_at, cancelledAt: r.cancelled_at }, now);
  return {
    id: r.id, topic: r.topic, guidance: r.guidance, dueAt: r.due_at, month: r.month, createdAt: r.created_at, createdByName: r.created_by_name,
    cancelledAt: r.cancelled_at, cancelReason: r.cancel_reason, status, timeLeft: timeLeftText(r.due_at, now),
    units: units.map((u) => {
      const outcome = outcomes.get(u.unit_id) ?? null;
      return {
        unitId: u.unit_id, code: u.code, name: u.name, kindName: u.kind_name, declinedAt: u.declined_at, declineReason: u.decline_reason,
        outcome, outcomeName: outcome ? requestOutcomeName(outcome) : "已取消",
        items: items.filter((i) => i.unit_id === u.unit_id).map((i) => ({ id: i.id, title: i.title, status: i.status, submittedAt: i.submitted_at })),
      };
    }),
  };
}

/** A request a unit may file an item for (the item form's "约稿：…" line), or null. */
export async function requestForItemForm(db: AnyDB, unitId: number, id: number) {
  return (await addressedTo(db, unitId).where("r.id", "=", id).executeTakeFirst()) ?? null;
}

/** The requests addressed to a unit that are not cancelled: id, topic and deadline. */
const addressedTo = (db: AnyDB, unitId: number) =>
  db
    .selectFrom("requests as r")
    .innerJoin("request_units as ru", "ru.request_id", "r.id")
    .select(["r.id", "r.topic", "r.due_at"])
    .where("ru.unit_id", "=", unitId)
    .where("r.cancelled_at", "is", null);

const openAddressedTo = preparedQuery((db: DB, unitId: number, at: string) =>
  addressedTo(db, unitId).where("ru.declined_at", "is", null).where("r.due_at", ">", at).orderBy("r.due_at").limit(10),
);

/** The open requests addressed to a unit that it has not declined, soonest deadline first (home page). */
export async function openRequestsForUnit(db: AnyDB, unitId: number, now = new Date()) {
  const rows = await openAddressedTo(db, unitId, now.toISOString());
  const out = [];
  for (const r of rows) {
    const outcome = (await outcomesOfRequest(db, r.id, now, unitId)).get(unitId);
    if (outcome !== "open") continue;
    out.push({ id: r.id, topic: r.topic, dueAt: r.due_at, timeLeft: timeLeftText(r.due_at, now) });
  }
  return out;
}

const openRequestCount = preparedQuery((db: DB, at: string) =>
  db.selectFrom("requests").select((eb) => eb.fn.countAll<number>().as("n")).where("cancelled_at", "is", null).where("due_at", ">", at),
);
const awaitingRequestCount = preparedQuery((db: DB, at: string) =>
  db
    .selectFrom("items")
    .innerJoin("requests as r", "r.id", "items.request_id")
    .select((eb) => eb.fn.count<number>("items.id").distinct().as("n"))
    .where("items.status", "=", "submitted")
    .where("r.cancelled_at", "is", null)
    .where("r.due_at", "<=", at)
    .whereRef("items.submitted_at", "<=", "r.due_at"),
);

/** The reviewer dashboard's counts: open requests, and addressed units past the deadline whose on-time item awaits review. */
export async function requestDashboardCounts(db: AnyDB, now = new Date()) {
  const at = now.toISOString();
  const [[open], [awaiting]] = await Promise.all([openRequestCount(db, at), awaitingRequestCount(db, at)]);
  return { open: Number(open.n), awaiting: Number(awaiting.n) };
}

/**
 * A unit's month as a receipt (items, quota, 约稿 lines), as the league scores it, from the rollup
 * and the month's rules; the school sees its 约稿 points here.
 */
export async function unitMonthReceiptFor(db: AnyDB, unitId: number, month: string) {
  const [stats, quota, { rules }] = await Promise.all([
    db.selectFrom("unit_month_stats").selectAll().where("unit_id", "=", unitId).where("month", "=", month).executeTakeFirst(),
    quotaFor(db, unitId, month),
    pointsRulesFor(db, month),
  ]);
  return unitMonthReceipt(
    {
      submitted: stats?.submitted ?? 0, adopted: stats?.adopted ?? 0, quota, itemPoints: stats?.item_points ?? 0,
      requests: { fulfilled: stats?.requests_fulfilled ?? 0, late: stats?.requests_late ?? 0, missed: stats?.requests_missed ?? 0, declined: stats?.requests_declined ?? 0 },
    },
    rules,
  );
}
