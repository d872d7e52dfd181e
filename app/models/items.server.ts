// Reading items. A school role's list is always scoped to its own unit, here.
import { sql, type Kysely } from "kysely";
import { preparedQuery } from "../../db/prepared-query";
import type { Database, ItemStatus } from "../../db/schema";
import type { SessionUser } from "~/models/auth.server";
import { excerptSegments, markTerms, type SearchPlan } from "~/domain/search";
import { orderByRelevance, withSearch } from "~/models/search.server";
import { paged } from "~/models/units.server";
import { writeCache } from "~/models/write-cache.server";

type DB = Kysely<Database>;

/** Every category, active first: read once per write to the categories (any reaches everything) and shared read-only. */
const categoryLists = writeCache<ReadonlyArray<{ id: number; name: string; active: number }>>({ frozen: true });
function categoryChoices(db: DB) {
  return categoryLists.get(db, "categories", () => db.selectFrom("categories").select(["id", "name", "active"]).orderBy("active", "desc").orderBy("sort_order").orderBy("id").execute(), "none");
}

export const PAGE_SIZE = 20;

export interface UnitItemFilters {
  status?: ItemStatus;
  month?: string;
  categoryId?: number;
  /** Words of the title or body: the unit's items that have them, best hits first. */
  search?: SearchPlan | null;
  page: number;
}

/** How many of a unit's items wait for its lead's sign-off. */
const awaitingSignOff = preparedQuery((db: DB, unitId: number) =>
  db.selectFrom("items").select((eb) => eb.fn.countAll<number>().as("n")).where("unit_id", "=", unitId).where("status", "=", "pending_school"),
);

/** The unit's items, filtered; with the categories to filter by and the count waiting for sign-off. */
export async function listUnitItems(db: DB, user: SessionUser, filters: UnitItemFilters) {
  if (user.unitId === null) throw new Error("school role without a unit");
  let query = db
    .selectFrom("items")
    .innerJoin("categories", "categories.id", "items.category_id")
    .where("items.unit_id", "=", user.unitId);
  if (filters.status) query = query.where("items.status", "=", filters.status);
  if (filters.month) query = query.where("items.report_month", "=", filters.month);
  if (filters.categoryId) query = query.where("items.category_id", "=", filters.categoryId);
  const plan = filters.search ?? null;
  query = withSearch(query, plan);
  const [page, categories, pending] = await Promise.all([
    paged(query, filters.page, PAGE_SIZE, (q) =>
      (plan ? orderByRelevance(q, plan) : q)
        .select([
          "items.id", "items.title", "items.status", "items.report_month", "items.late", "items.grade",
          "items.updated_at", "items.event_date", "items.last_reason", "categories.name as category",
          // The body only for marking a search's hits.
          plan ? "items.body" : sql<string>`''`.as("body"),
        ])
        .orderBy("items.updated_at", "desc")
        .orderBy("items.id", "desc"),
    ),
    // Inactive categories stay in the filter: old items still carry them.
    categoryChoices(db),
    awaitingSignOff(db, user.unitId),
  ]);
  return {
    ...page,
    rows: page.rows.map(({ body, ...row }) => ({
      ...row,
      marks: plan ? { title: markTerms(row.title, plan.terms), excerpt: excerptSegments(body, plan.terms) } : undefined,
    })),
    categories,
    pendingSignoff: Number(pending[0].n),
  };
}
