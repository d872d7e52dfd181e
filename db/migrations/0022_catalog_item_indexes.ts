// The settings page counts the items of each 栏目 and 投送频道 (whether one may be deleted, how much
// it is used), and renaming or deleting one counts its items: from an index on each column instead
// of reading every item (a province's two million: 1.5–3 s → about 0.2 s).
import { sql, type Kysely } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index if not exists items_category on items(category_id)`.execute(db);
  await sql`create index if not exists items_channel on items(channel_id) where channel_id is not null`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists items_channel`.execute(db);
  await sql`drop index if exists items_category`.execute(db);
}
