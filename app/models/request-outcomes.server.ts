// Each addressed unit's 约稿 outcome, computed from the rows with the domain's rule
// (app/domain/requests.ts): the rollup counts them per unit-month, the pages show them.
import { sql, type Kysely, type Transaction } from "kysely";
import type { Database } from "../../db/schema";
import type { ItemStatusCode } from "~/domain/catalog";
import { countOutcomes, requestOutcome, type LinkedItemFacts, type RequestCounts, type RequestOutcome } from "~/domain/requests";

type DB = Kysely<Database> | Transaction<Database>;

export interface UnitOutcome {
  requestId: number;
  unitId: number;
  outcome: RequestOutcome;
}

/** The outcomes of the requests (not cancelled) matching `where`, per addressed unit. */
async function outcomesWhere(
  db: DB,
  where: { month?: string; requestId?: number; unitId?: number },
  now: Date,
): Promise<UnitOutcome[]> {
  let q = db
    .selectFrom("requests as r")
    .innerJoin("request_units as ru", "ru.request_id", "r.id")
    .select(["r.id", "r.due_at", "ru.unit_id", "ru.declined_at"])
    .where("r.cancelled_at", "is", null);
  if (where.month !== undefined) q = q.where("r.month", "=", where.month);
  if (where.requestId !== undefined) q = q.where("r.id", "=", where.requestId);
  if (where.unitId !== undefined) q = q.where("ru.unit_id", "=", where.unitId);
  const rows = await q.execute();
  if (rows.length === 0) return [];
  const ids = [...new Set(rows.map((r) => r.id))];
  const linked = new Map<string, LinkedItemFacts[]>();
  for (let i = 0; i < ids.length; i += 500) {
    const items = await db
      .selectFrom("items")
      .select(["request_id", "unit_id", "status", "points_revoked", "submitted_at"])
      .where("request_id", "in", ids.slice(i, i + 500))
      .execute();
    for (const it of items) {
      const key = `${it.request_id}:${it.unit_id}`;
      const list = linked.get(key) ?? [];
      list.push({ status: it.status, pointsRevoked: it.points_revoked === 1, submittedAt: it.submitted_at });
      linked.set(key, list);
    }
  }
  return rows.map((r) => ({
    requestId: r.id,
    unitId: r.unit_id,
    outcome: requestOutcome({ dueAt: r.due_at, now, declinedAt: r.declined_at, items: linked.get(`${r.id}:${r.unit_id}`) ?? [] }),
  }));
}

/**
 * The 约稿 settled with `month` (one unit's, or every unit's), each addressed unit with its linked
 * items, as one JSON column of a larger select: the rollup reads everything a refresh needs in one
 * statement. `requestCountsOf` counts the outcomes from it.
 */
export function requestsOfMonthColumn(month: string, unitId?: number) {
  return sql<string>`(select json_group_array(json_array(r.due_at, ru.unit_id, ru.declined_at, json((
      select json_group_array(json_array(x.status, x.points_revoked, x.submitted_at)) from items x where x.request_id = r.id and x.unit_id = ru.unit_id
    ))))
    from requests r join request_units ru on ru.request_id = r.id
    where r.cancelled_at is null and r.month = ${month}${unitId === undefined ? sql`` : sql` and ru.unit_id = ${unitId}`})`;
}

type RequestUnitJson = [dueAt: string, unitId: number, declinedAt: string | null, items: Array<[ItemStatusCode, number, string | null]>];

/** Per unit: the counted outcomes of the requests in a `requestsOfMonthColumn`, judged at `now`. */
export function requestCountsOf(column: string, now: Date): Map<number, RequestCounts> {
  const byUnit = new Map<number, RequestOutcome[]>();
  for (const [dueAt, unitId, declinedAt, linked] of JSON.parse(column) as RequestUnitJson[]) {
    const items = linked.map(([status, revoked, submittedAt]) => ({ status, pointsRevoked: revoked === 1, submittedAt }));
    byUnit.set(unitId, [...(byUnit.get(unitId) ?? []), requestOutcome({ dueAt, now, declinedAt, items })]);
  }
  return new Map([...byUnit].map(([u, list]) => [u, countOutcomes(list)]));
}

/** One request's outcome for each addressed unit (or one unit). */
export async function outcomesOfRequest(db: DB, requestId: number, now: Date, unitId?: number): Promise<Map<number, RequestOutcome>> {
  const outcomes = await outcomesWhere(db, { requestId, unitId }, now);
  return new Map(outcomes.map((o) => [o.unitId, o.outcome]));
}

/** The (unit, month) pairs whose 约稿 counts an item moves: the request it answers, if any. */
export async function requestPairsOfItem(db: DB, itemId: number): Promise<Array<{ unitId: number; month: string }>> {
  const row = await db
    .selectFrom("items")
    .innerJoin("requests", "requests.id", "items.request_id")
    .select(["items.unit_id", "requests.month"])
    .where("items.id", "=", itemId)
    .executeTakeFirst();
  return row ? [{ unitId: row.unit_id, month: row.month }] : [];
}
