// The query planner's statistics for the indexes a migration adds. The portal never runs ANALYZE
// itself, but a database may keep statistics (an operator ran it, or the benchmark did): there an
// index without any looks more selective to SQLite than the indexes it has figures for, and it
// picks the new one where it is the wrong one (a whole 栏目's items walked for the review queue).
// So a migration that adds indexes to such a database gathers their statistics too.
import { sql, type Kysely } from "kysely";

export async function analyzeIfKept(db: Kysely<any>, indexes: readonly string[]): Promise<void> {
  const kept = await sql`select 1 from sqlite_master where type = 'table' and name = 'sqlite_stat1'`.execute(db);
  if (kept.rows.length === 0) return;
  for (const name of indexes) await sql`analyze ${sql.id(name)}`.execute(db);
}
