// The one-time token of the 发出约稿 form, as items have had since 0004: a second post of the same
// form (a double click, a resend after a slow answer) finds the request the first post issued
// instead of issuing another, which counted against every addressed unit twice (未报送 −3 each, and
// two misses reach the default threshold of 通报批评). One token per reviewer; requests issued
// before this have none.
import { sql, type Kysely } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table requests add column form_token text`.execute(db);
  await sql`create unique index requests_author_form_token on requests(created_by, form_token) where form_token is not null`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists requests_author_form_token`.execute(db);
  await sql`alter table requests drop column form_token`.execute(db);
}
