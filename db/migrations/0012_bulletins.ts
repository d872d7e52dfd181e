// 简报: the bureau's numbered bulletin (《临溪县教育信息》第N期) compiled from adopted items.
// - bulletins: one issue; its number is unique per year among published issues; `version`
//   answers 409 to a stale edit; a published issue is frozen and names its stored Word file.
// - bulletin_items: the items it carries, in order, each with the bulletin's own title and body
//   and the school's original as it stood when the item was included (both kept).
import { sql, type Kysely } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  await sql`create table bulletins (
     id integer primary key autoincrement,
     year integer not null,
     number integer not null check (number >= 1),
     name text not null,
     editor_note text not null default '',
     editor_unit text not null,
     issue_date text not null,
     report_to text not null default '',
     send_to text not null default '',
     issue_to text not null default '',
     status text not null check (status in ('draft', 'published')),
     published_at text,
     published_by integer references accounts(id),
     docx_sha256 text,
     version integer not null default 1,
     created_by integer not null references accounts(id),
     created_at text not null,
     updated_at text not null
   ) strict`.execute(db);
  await sql`create unique index bulletins_published_number on bulletins(year, number) where status = 'published'`.execute(db);
  await sql`create index bulletins_status on bulletins(status, year, number)`.execute(db);
  await sql`create table bulletin_items (
     bulletin_id integer not null references bulletins(id),
     item_id integer not null references items(id),
     position integer not null,
     title text not null,
     body text not null,
     original_title text not null,
     original_body text not null,
     unit_name text not null,
     primary key (bulletin_id, item_id)
   ) strict`.execute(db);
  await sql`create index bulletin_items_item on bulletin_items(item_id)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table if exists bulletin_items`.execute(db);
  await sql`drop table if exists bulletins`.execute(db);
}
