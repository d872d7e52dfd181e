// The items that have reached the bureau, as the review page's near-duplicates read them after each
// write (app/models/reached-items.server.ts: id, edit time, text length, first arrival), from an
// index of their own instead of the items table: the table holds each item's text, so reading
// thousands of short rows from it read every page of text too (about half the query's time in the
// demo county).
import { sql, type Kysely } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index items_reached on items(id, updated_at, length(title) + length(body), first_submitted_at)
    where first_submitted_at is not null`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index items_reached`.execute(db);
}
