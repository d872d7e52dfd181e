// What each role's home page shows. School roles' queries are scoped to their unit here.
import { sql, type Kysely } from "kysely";
import { preparedQuery } from "../../db/prepared-query";
import type { Database, ItemStatus } from "../../db/schema";
import { auditPerson } from "~/domain/audit-log";
import { addMonths, monthLabel, monthsUpTo, shanghaiMonth } from "~/domain/time";
import type { SessionUser } from "~/models/auth.server";
import { noticeHref } from "~/models/notices.server";
import { writeCache } from "~/models/write-cache.server";

type DB = Kysely<Database>;

type UnitHome = Awaited<ReturnType<typeof readUnitHome>>;

/** A unit's home figures for a month, read once per figures write (keyed by the unit: never another unit's). */
const unitHomes = writeCache<UnitHome>({ frozen: true });

export async function unitHome(db: DB, user: SessionUser, now = new Date()): Promise<UnitHome> {
  if (user.unitId === null) throw new Error("school role without a unit");
  const unitId = user.unitId;
  const month = shanghaiMonth(now);
  // Its own unit's items and rollup rows only: kept across the other units' writes.
  return unitHomes.get(db, `${unitId}|${month}`, () => readUnitHome(db, unitId, month), { unit: unitId });
}

async function readUnitHome(db: DB, unitId: number, month: string) {
  const [unit, byStatus, monthStats, recent] = await Promise.all([
    db
      .selectFrom("units")
      .innerJoin("unit_kinds", "unit_kinds.code", "units.kind_code")
      .select(["units.name", "units.code", "unit_kinds.name as kind_name", "units.signoff_required"])
      .where("units.id", "=", unitId)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom("items")
      .select(["status", (eb) => eb.fn.countAll<number>().as("n")])
      .where("unit_id", "=", unitId)
      .where("status", "in", ["draft", "pending_school", "submitted"])
      .groupBy("status")
      .execute(),
    // The month's counts come from the rollup, which applies the domain's counting rule.
    db
      .selectFrom("unit_month_stats")
      .select(["submitted", "adopted"])
      .where("unit_id", "=", unitId)
      .where("month", "=", month)
      .executeTakeFirst(),
    db
      .selectFrom("items")
      .select(["id", "title", "status", "updated_at", "report_month", "last_reason"])
      .where("unit_id", "=", unitId)
      .orderBy("updated_at", "desc")
      .limit(6)
      .execute(),
  ]);
  const count = (rows: Array<{ status: ItemStatus; n: number }>, s: ItemStatus) =>
    Number(rows.find((r) => r.status === s)?.n ?? 0);
  return {
    month,
    unit,
    drafts: count(byStatus, "draft"),
    pendingSignoff: count(byStatus, "pending_school"),
    inReview: count(byStatus, "submitted"),
    monthSubmitted: monthStats?.submitted ?? 0,
    monthAdopted: monthStats?.adopted ?? 0,
    recent,
  };
}

type ReviewerHome = Awaited<ReturnType<typeof readReviewerHome>>;

const reviewerHomes = writeCache<ReviewerHome>({ frozen: true });

/** The bureau's 12-month trend, read once per figures write. */
export async function reviewerHome(db: DB, now = new Date()): Promise<ReviewerHome> {
  const month = shanghaiMonth(now);
  // The rollup rows of the 12 months only: kept across writes to items not yet in a month (waiting for sign-off).
  return reviewerHomes.get(db, month, () => readReviewerHome(db, month), { months: monthsUpTo(month, 12) });
}

async function readReviewerHome(db: DB, month: string) {
  const from = addMonths(month, -11);
  const trendRows = await db
    .selectFrom("unit_month_stats")
    .select([
      "month",
      (eb) => eb.fn.sum<number>("submitted").as("submitted"),
      (eb) => eb.fn.sum<number>("adopted").as("adopted"),
    ])
    .where("month", ">=", from)
    .where("month", "<=", month)
    .groupBy("month")
      .execute();
  const trend = Array.from({ length: 12 }, (_, i) => {
    const m = addMonths(from, i);
    const row = trendRows.find((r) => r.month === m);
    return { label: monthLabel(m).slice(2), submitted: Number(row?.submitted ?? 0), adopted: Number(row?.adopted ?? 0) };
  });
  return {
    month,
    monthSubmitted: trend[11].submitted,
    monthAdopted: trend[11].adopted,
    trend,
  };
}

const activeUnitsByKind = preparedQuery((db: DB) =>
  db
    .selectFrom("units")
    .innerJoin("unit_kinds", "unit_kinds.code", "units.kind_code")
    .select(["unit_kinds.name as kind_name", (eb) => eb.fn.countAll<number>().as("n")])
    .where("units.active", "=", 1)
    .groupBy("unit_kinds.name")
    .orderBy("unit_kinds.name"),
);
const activeAccountsByRole = preparedQuery((db: DB) =>
  db.selectFrom("accounts").select(["role", (eb) => eb.fn.countAll<number>().as("n")]).where("active", "=", 1).groupBy("role"),
);
/** The latest entries of the log, each with its person's name and username as the log shows them. */
const latestAuditEvents = preparedQuery((db: DB) =>
  db
    .selectFrom("audit_events as e")
    .leftJoin("accounts as p", "p.id", "e.actor_id")
    .select([
      "e.id as id", "e.at as at", "e.action as action", "e.entity_type as entity_type", "e.entity_id as entity_id", "e.ip as ip",
      sql<string>`coalesce(p.display_name, e.actor_name)`.as("actor"),
      sql<string>`coalesce(p.username, e.actor_name)`.as("username"),
    ])
    .orderBy("e.id", "desc")
    .limit(8),
);

export async function adminHome(db: DB) {
  const [units, accounts, recent] = await Promise.all([activeUnitsByKind(db), activeAccountsByRole(db), latestAuditEvents(db)]);
  return { units, accounts, recent: recent.map(({ actor, username, ...e }) => ({ ...e, person: auditPerson(actor, username) })) };
}

const PUBLIC_NEWS = 8;
const PUBLIC_NOTICES = 5;

/**
 * The anonymous visitor's home: the latest adopted news and the latest published notices. Columns
 * are chosen one by one, as on the news pages, so nothing that is not public can leave here.
 */
export async function publicHome(db: DB) {
  const [news, notices] = await Promise.all([
    db
      .selectFrom("items")
      .innerJoin("units", "units.id", "items.unit_id")
      .select(["items.id", "items.title", "items.decided_at", "units.name as unit_name"])
      .where("items.status", "=", "adopted")
      .orderBy("items.decided_at", "desc")
      .orderBy("items.id", "desc")
      .limit(PUBLIC_NEWS)
      .execute(),
    db
      .selectFrom("notices")
      .select(["id", "kind", "period", "title", "doc_number", "published_at"])
      .where("status", "=", "published")
      .orderBy("published_at", "desc")
      .orderBy("id", "desc")
      .limit(PUBLIC_NOTICES)
      .execute(),
  ]);
  return {
    news: news.map((n) => ({ id: n.id, title: n.title, unitName: n.unit_name, adoptedAt: n.decided_at ?? "" })),
    notices: notices.map((n) => ({
      id: n.id, title: n.title, docNumber: n.doc_number, publishedAt: n.published_at ?? "", href: noticeHref(n),
    })),
  };
}
