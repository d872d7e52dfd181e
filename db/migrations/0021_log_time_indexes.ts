// The operations log (/admin/audit) reads its newest entries first: each source in time order from
// an index, so a page reads the entries it shows (and those before it) instead of sorting every
// entry ever written — a year of a county is tens of thousands, a province's millions.
import { sql, type Kysely } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index audit_events_at on audit_events(at)`.execute(db);
  await sql`create index review_events_at on review_events(at)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists review_events_at`.execute(db);
  await sql`drop index if exists audit_events_at`.execute(db);
}
