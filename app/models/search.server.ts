// Keyword search on a list of items. The list's own query (its joins, its scope — a unit, adopted
// only, the reviewer's filters) is narrowed by the search; nothing here widens what a list shows.
// Words of 3+ characters go to the FTS5 trigram index (`item_search`, migration 0008, kept in step
// by triggers on `items`), ranked by bm25 with the title weighted above the body. Words of 1–2
// characters cannot be indexed: with a longer word they narrow the index's hits by LIKE; alone
// they are looked for by LIKE among the list's SHORT_SCAN_LIMIT most recent items (by id), so a
// one-character search never reads the whole table.
import { sql, type Expression, type Kysely, type SelectQueryBuilder, type SqlBool } from "kysely";
import type { Database } from "../../db/schema";
import { SHORT_SCAN_LIMIT, type SearchPlan } from "~/domain/search";
import { contains } from "~/models/units.server";

/** bm25 weights of the index's columns: a hit in the title counts ten times one in the body. */
const TITLE_WEIGHT = 10;
const BODY_WEIGHT = 1;

// The list queries differ in their joins; the search only needs `items` among them.
type ItemsQuery = SelectQueryBuilder<any, any, any>;

function inTitleOrBody(term: string): Expression<SqlBool> {
  return sql<SqlBool>`(${contains("items.title", term)} or ${contains("items.body", term)})`;
}

/** `query` narrowed to the items the plan finds (unchanged without a plan). */
export function withSearch<Q extends ItemsQuery>(query: Q, plan: SearchPlan | null): Q {
  if (!plan) return query;
  let q: ItemsQuery = query;
  if (plan.match) {
    q = q.innerJoin("item_search", "item_search.rowid", "items.id").where(sql<SqlBool>`item_search match ${plan.match}`);
  } else {
    const recent = query.select("items.id").orderBy("items.id", "desc").limit(SHORT_SCAN_LIMIT);
    q = q.where("items.id", "in", recent);
  }
  for (const term of plan.short) q = q.where(inTitleOrBody(term));
  return q as Q;
}

/** Best hits first: bm25 over the index, or for a short-word search hits in the title first. */
export function orderByRelevance<Q extends ItemsQuery>(query: Q, plan: SearchPlan): Q {
  if (plan.match) return query.orderBy(sql`bm25(item_search, ${sql.lit(TITLE_WEIGHT)}, ${sql.lit(BODY_WEIGHT)})`) as Q;
  const inTitle = plan.short.map((t) => sql`(case when ${contains("items.title", t)} then 1 else 0 end)`);
  return query.orderBy(sql`${sql.join(inTitle, sql` + `)}`, "desc") as Q;
}

/** The ids the index finds for one FTS5 query over all items (for checking the index). */
export async function indexHits(db: Kysely<Database>, match: string): Promise<number[]> {
  const rows = await db
    .selectFrom("item_search")
    .select("rowid")
    .where(sql<SqlBool>`item_search match ${match}`)
    .orderBy("rowid")
    .execute();
  return rows.map((r) => r.rowid);
}
