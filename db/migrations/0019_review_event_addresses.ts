// The address each step of an item's trail came from, as the audit table has always recorded for
// its rows: the operations log shows it under 来源地址 for 报送、签发、采用 and the rest too. Steps
// written before this migration, and the system's own writes (seeding, scheduled jobs, the
// command line), have none: ''.
import { sql, type Kysely } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table review_events add column ip text not null default ''`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table review_events drop column ip`.execute(db);
}
