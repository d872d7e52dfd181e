// 报送要点: the themes the bureau asks units to cover in a month.
// - themes: one row per theme of a month (title, short guidance, an optional category, its place).
// - items.theme_id: the theme an item is tagged with (optional).
// - month_theme_snapshots: each theme's coverage frozen at a month's close, keyed by the close,
//   so the month's notice reads the numbers of that close (a reopen and re-close adds new rows).
//   theme_id is not a foreign key: the snapshot keeps its own copy of the title.
import { sql, type Kysely } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  await sql`create table themes (
     id integer primary key autoincrement,
     month text not null,
     title text not null,
     guidance text not null default '',
     category_id integer references categories(id),
     sort_order integer not null default 0,
     version integer not null default 1,
     created_by integer not null references accounts(id),
     created_at text not null,
     updated_by integer not null references accounts(id),
     updated_at text not null
   ) strict`.execute(db);
  await sql`create index themes_month on themes(month, sort_order, id)`.execute(db);
  await sql`create unique index themes_month_title on themes(month, title)`.execute(db);
  await sql`alter table items add column theme_id integer references themes(id)`.execute(db);
  await sql`create index items_theme on items(theme_id) where theme_id is not null`.execute(db);
  await sql`create table month_theme_snapshots (
     close_id integer not null references month_closes(id),
     theme_id integer not null,
     title text not null,
     sort_order integer not null,
     expected integer not null,
     covered integer not null,
     reported integer not null,
     primary key (close_id, theme_id)
   ) strict`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table if exists month_theme_snapshots`.execute(db);
  await sql`drop index if exists items_theme`.execute(db);
  await sql`alter table items drop column theme_id`.execute(db);
  await sql`drop table if exists themes`.execute(db);
}
