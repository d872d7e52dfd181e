// The settings page counts the items of each 栏目 and 投送频道 (whether one may be deleted, how much
// it is used), and renaming or deleting one counts its items: from an index each instead of reading
// every item (a province's two million: 1.5–3 s → about 0.25 s). The indexes are on the column
// plus 0 (app/models/catalog-admin.server.ts `useOf`), which only those counts name: a plain index
// on the column led SQLite to walk a whole 栏目's items for the review queue's join to 栏目.
import { sql, type Kysely } from "kysely";
import { analyzeIfKept } from "./statistics";

export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index items_category_use on items(category_id + 0)`.execute(db);
  await sql`create index items_channel_use on items(channel_id + 0)`.execute(db);
  await analyzeIfKept(db, ["items_category_use", "items_channel_use"]);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists items_channel_use`.execute(db);
  await sql`drop index if exists items_category_use`.execute(db);
}
