// The one-time token of the new-item form: a second post of the same form (a double click, a
// resubmit after a slow network, the back button) finds the item the first post created instead
// of creating another. One token per author; drafts written before this have none.
import { sql, type Kysely } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("items").addColumn("form_token", "text").execute();
  await sql`create unique index items_author_form_token on items(created_by, form_token) where form_token is not null`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists items_author_form_token`.execute(db);
  await db.schema.alterTable("items").dropColumn("form_token").execute();
}
