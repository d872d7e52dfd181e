// Notices: one monthly notice per month and one year-end summary per year (draft or published),
// a 文号 used by one published notice only, and adjustments read by their notice.
import { sql, type Kysely } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  await sql`create unique index notices_kind_period on notices(kind, period)`.execute(db);
  await sql`create unique index notices_published_doc_number on notices(doc_number) where status = 'published'`.execute(db);
  await sql`create index notice_adjustments_notice on notice_adjustments(notice_id, id)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists notice_adjustments_notice`.execute(db);
  await sql`drop index if exists notices_published_doc_number`.execute(db);
  await sql`drop index if exists notices_kind_period`.execute(db);
}
