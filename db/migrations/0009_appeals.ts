// Corrections with a reason and 申诉 appeals.
// - corrections: one row per correction a reviewer makes to a decided item (a grade changed, a
//   pickup or a 批示 removed, a 迟报 mark cleared), with what it was, what it became and why; the school reads them on
//   the item. A removed pickup or 批示 row is deleted; its description stays here.
// - appeals: a school lead's appeal against a decision on one of the unit's items, and the
//   reviewer's answer (upheld, or corrected).
// - notices.appeals_override: why a notice was published while appeals of its month were open.
import { sql, type Kysely } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  await sql`create table appeals (
     id integer primary key autoincrement,
     item_id integer not null references items(id),
     unit_id integer not null references units(id),
     month text not null,
     subject text not null check (subject in ('rejected', 'grade', 'pickups', 'late')),
     reason text not null,
     status text not null check (status in ('open', 'upheld', 'corrected')),
     filed_by integer not null references accounts(id),
     filed_at text not null,
     answer text not null default '',
     answered_by integer references accounts(id),
     answered_at text
   ) strict`.execute(db);
  await sql`create index appeals_status_month on appeals(status, month)`.execute(db);
  await sql`create index appeals_unit on appeals(unit_id, filed_at)`.execute(db);
  // At most one open appeal per item.
  await sql`create unique index appeals_one_open on appeals(item_id) where status = 'open'`.execute(db);
  await sql`create table corrections (
     id integer primary key autoincrement,
     item_id integer not null references items(id),
     unit_id integer not null references units(id),
     month text not null,
     kind text not null check (kind in ('grade', 'pickup_removed', 'instruction_removed', 'late_cleared')),
     before_text text not null,
     after_text text not null,
     reason text not null,
     appeal_id integer references appeals(id),
     month_closed integer not null default 0 check (month_closed in (0, 1)),
     created_by integer not null references accounts(id),
     created_at text not null
   ) strict`.execute(db);
  await sql`create index corrections_item on corrections(item_id, id)`.execute(db);
  await sql`alter table notices add column appeals_override text not null default ''`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table notices drop column appeals_override`.execute(db);
  await sql`drop table if exists corrections`.execute(db);
  await sql`drop table if exists appeals`.execute(db);
}
