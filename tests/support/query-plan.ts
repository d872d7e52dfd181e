// What SQLite plans for a query (EXPLAIN QUERY PLAN), and statistics for it to plan with: those
// ANALYZE gave the benchmark's province (two million items, 20,000 units, ten 栏目 of 200,000).
import { sql, type Compilable, type Kysely } from "kysely";
import type { Database } from "../../db/schema";

/** The plan's steps, joined by " | ". */
export async function planOf(db: Kysely<Database>, query: Compilable<unknown>): Promise<string> {
  const compiled = query.compile();
  const plan = await db.executeQuery<{ detail: string }>({ ...compiled, sql: `explain query plan ${compiled.sql}` });
  return plan.rows.map((r) => r.detail).join(" | ");
}

/** The province's statistics of the indexes before migration 0022 (the others left without). */
export const PROVINCE_STATISTICS: ReadonlyArray<[table: string, index: string, stat: string]> = [
  ["unit_kinds", "sqlite_autoindex_unit_kinds_1", "3 1"],
  ["units", "units_kind", "20000 6667 1"],
  ["units", "sqlite_autoindex_units_1", "20000 1"],
  ["categories", "sqlite_autoindex_categories_1", "10 1"],
  ["items", "items_reached", "2000000 1 1 1 1"],
  ["items", "items_adopted", "2000000 500000 80000"],
  ["items", "items_report_month", "2000000 166667 34 34"],
  ["items", "items_status_submitted", "2000000 500000 80000"],
  ["items", "items_unit_status", "2000000 100 96 96"],
];

/** Replaces the database's statistics with `stats` and has the planner use them. */
export async function planWith(db: Kysely<Database>, stats: ReadonlyArray<readonly [string, string, string]>): Promise<void> {
  await sql`analyze`.execute(db);
  await sql`delete from sqlite_stat1`.execute(db);
  for (const [tbl, idx, stat] of stats) await sql`insert into sqlite_stat1 (tbl, idx, stat) values (${tbl}, ${idx}, ${stat})`.execute(db);
  await sql`analyze sqlite_schema`.execute(db);
}
