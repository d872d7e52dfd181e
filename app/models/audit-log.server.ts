// The operations log: the audit table and every item's trail as one list, newest first, with the
// person, the unit the entry concerns (the item's, the unit's, the account's, else the person's)
// and the object's name. Reviewers read the trail and the review-related audit codes only.
import { sql, type Kysely } from "kysely";
import type { Database } from "../../db/schema";
import { REVIEW_AUDIT_ACTIONS, type AuditLogEntry, type AuditLogScope } from "~/domain/audit-log";
import { shanghaiMidnight, addDays } from "~/domain/time";
import { pageCount } from "~/models/units.server";

type DB = Kysely<Database>;

export const AUDIT_LOG_PAGE_SIZE = 50;
const EXPORT_BATCH = 1000;

export interface AuditLogFilters {
  scope: AuditLogScope;
  /** Part of the person's name or username. */
  person?: string;
  unitId?: number;
  action?: string;
  /** Calendar dates (Asia/Shanghai), both included. */
  from?: string;
  to?: string;
}

/** A stored entry with the ids the filters and links need besides what the log shows. */
export interface AuditLogRow extends AuditLogEntry {
  actor_id: number | null;
  unit_id: number | null;
}

/** The log's two sources, each as rows of the log's columns. */
function sources(db: DB, scope: AuditLogScope) {
  let audit = db
    .selectFrom("audit_events as e")
    .leftJoin("accounts as p", "p.id", "e.actor_id")
    .select([
      sql<"audit" | "trail">`'audit'`.as("source"),
      "e.id as id",
      "e.at as at",
      "e.actor_id as actor_id",
      sql<string>`coalesce(p.display_name, e.actor_name)`.as("actor"),
      sql<string>`coalesce(p.username, e.actor_name)`.as("username"),
      sql<number | null>`coalesce(case e.entity_type
        when 'item' then (select i.unit_id from items i where i.id = e.entity_id)
        when 'unit' then (select u.id from units u where u.id = e.entity_id)
        when 'account' then (select a.unit_id from accounts a where a.id = e.entity_id)
        end, p.unit_id)`.as("unit_id"),
      "e.action as action",
      "e.entity_type as entity_type",
      "e.entity_id as entity_id",
      sql<string | null>`case e.entity_type
        when 'item' then (select i.title from items i where i.id = e.entity_id)
        when 'unit' then (select u.name from units u where u.id = e.entity_id)
        when 'account' then (select a.display_name from accounts a where a.id = e.entity_id)
        when 'sensitive_word' then (select w.word from sensitive_words w where w.id = e.entity_id)
        end`.as("entity_name"),
      "e.reason as reason",
      sql<string | null>`null`.as("grade"),
      "e.ip as ip",
      "e.from_state as from_state",
      "e.to_state as to_state",
    ]);
  if (scope === "review") audit = audit.where("e.action", "in", [...REVIEW_AUDIT_ACTIONS]);
  let trail = db
    .selectFrom("review_events as r")
    .innerJoin("items as i", "i.id", "r.item_id")
    .leftJoin("accounts as p", "p.id", "r.actor_id")
    .select([
      sql<"audit" | "trail">`'trail'`.as("source"),
      "r.id as id",
      "r.at as at",
      sql<number | null>`r.actor_id`.as("actor_id"),
      sql<string>`coalesce(p.display_name, '')`.as("actor"),
      sql<string>`coalesce(p.username, '')`.as("username"),
      sql<number | null>`i.unit_id`.as("unit_id"),
      "r.action as action",
      sql<string>`'item'`.as("entity_type"),
      sql<string>`cast(r.item_id as text)`.as("entity_id"),
      sql<string | null>`i.title`.as("entity_name"),
      "r.reason as reason",
      sql<string | null>`r.grade`.as("grade"),
      "r.ip as ip",
      sql<string | null>`null`.as("from_state"),
      sql<string | null>`null`.as("to_state"),
    ]);
  // A reviewer reads the trail of the items that reached the bureau, as canViewItem lets them see
  // the items: a school's draft, signed back and forth inside the school, stays the school's.
  if (scope === "review") trail = trail.where("i.report_month", "is not", null);
  return [audit, trail] as const;
}

/** A source's entries the filters let through. */
function filtered(db: DB, source: ReturnType<typeof sources>[number], filters: AuditLogFilters) {
  let query = db.selectFrom(source.as("log")).selectAll("log");
  const person = filters.person?.trim().toLowerCase();
  if (person) query = query.where(sql<boolean>`instr(lower(log.actor || ' ' || log.username), ${person}) > 0`);
  if (filters.unitId !== undefined) query = query.where("log.unit_id", "=", filters.unitId);
  if (filters.action) query = query.where("log.action", "=", filters.action);
  if (filters.from) query = query.where("log.at", ">=", shanghaiMidnight(filters.from));
  if (filters.to) query = query.where("log.at", "<", shanghaiMidnight(addDays(filters.to, 1)));
  return query;
}

type Position = Pick<AuditLogRow, "at" | "source" | "id">;

/**
 * `take` matching entries in the log's order (newest first; at the same moment the audit before the
 * trail, each newest id first), after skipping `skip` of them or, given `after`, after that entry.
 * Each source is read newest first from its time index and stops after skip + take entries, so a
 * page reads what it shows and what comes before it, not the whole log.
 */
export function auditLogQuery(db: DB, filters: AuditLogFilters, take: number, from: { skip: number } | { after: Position }) {
  const skip = "skip" in from ? from.skip : 0;
  const [audit, trail] = sources(db, filters.scope).map((source) => {
    let query = filtered(db, source, filters);
    if ("after" in from) {
      const { at, source: after, id } = from.after;
      query = query.where((eb) =>
        eb.or([
          eb("log.at", "<", at),
          eb.and([eb("log.at", "=", at), eb.or([eb("log.source", ">", after), eb.and([eb("log.source", "=", after), eb("log.id", "<", id)])])]),
        ]),
      );
    }
    return db.selectFrom(query.orderBy("log.at", "desc").orderBy("log.id", "desc").limit(skip + take).as("part")).selectAll("part");
  });
  return db
    .selectFrom(audit.unionAll(trail).as("log"))
    .leftJoin("units as un", "un.id", "log.unit_id")
    .selectAll("log")
    .select("un.name as unit_name")
    .orderBy("log.at", "desc")
    .orderBy("log.source")
    .orderBy("log.id", "desc")
    .limit(take)
    .offset(skip);
}

/** One page of the log, with the count of every entry that matches. */
export async function listAuditLog(db: DB, filters: AuditLogFilters, page: number, pageSize = AUDIT_LOG_PAGE_SIZE) {
  const counts = sources(db, filters.scope).map((source) =>
    db.selectFrom(filtered(db, source, filters).as("c")).select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow(),
  );
  const [rows, ...totals] = await Promise.all([auditLogQuery(db, filters, pageSize, { skip: (page - 1) * pageSize }).execute() as Promise<AuditLogRow[]>, ...counts]);
  const n = totals.reduce((sum, t) => sum + Number(t.n), 0);
  return { rows, total: n, pages: pageCount(n, pageSize) };
}

/**
 * Every matching entry, newest first, a batch at a time (for the CSV export). Each batch starts
 * after the last entry of the one before (by time, source, id), so entries written while the
 * download runs neither repeat nor push others out of it.
 */
export async function* auditLogBatches(db: DB, filters: AuditLogFilters, batchSize = EXPORT_BATCH): AsyncGenerator<AuditLogRow[]> {
  let last: AuditLogRow | undefined;
  for (;;) {
    const batch = (await auditLogQuery(db, filters, batchSize, last ? { after: last } : { skip: 0 }).execute()) as AuditLogRow[];
    if (batch.length > 0) yield batch;
    if (batch.length < batchSize) return;
    last = batch[batch.length - 1];
  }
}
