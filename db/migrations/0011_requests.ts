// 约稿: the bureau's requests for a piece from chosen units by a deadline.
// - requests: topic, guidance, due instant (UTC), the month it is settled with (the Asia/Shanghai
//   month of the due instant), who issued it, and its cancellation (with a reason).
// - request_units: the units it is addressed to (expanded at creation), each unit's decline
//   (reason, instant) and the stamp of the one reminder sent before the deadline.
// - items.request_id: the request an item answers.
// - unit_month_stats / month_unit_snapshots: each unit-month's request outcomes (and, in the
//   rollup, their points), so leagues, snapshots and notices read them like the items' counts.
// - requests.settled_at: when the rollup was last refreshed after the deadline passed (the
//   periodic run refreshes a request's unit-months once its deadline has passed).
import { sql, type Kysely } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  await sql`create table requests (
     id integer primary key autoincrement,
     topic text not null,
     guidance text not null default '',
     due_at text not null,
     month text not null,
     created_by integer not null references accounts(id),
     created_at text not null,
     cancelled_at text,
     cancelled_by integer references accounts(id),
     cancel_reason text not null default '',
     settled_at text
   ) strict`.execute(db);
  await sql`create index requests_month on requests(month, due_at)`.execute(db);
  await sql`create index requests_due on requests(due_at)`.execute(db);
  await sql`create table request_units (
     request_id integer not null references requests(id),
     unit_id integer not null references units(id),
     declined_at text,
     declined_by integer references accounts(id),
     decline_reason text not null default '',
     reminded_at text,
     primary key (request_id, unit_id)
   ) strict`.execute(db);
  await sql`create index request_units_unit on request_units(unit_id, request_id)`.execute(db);
  await sql`alter table items add column request_id integer references requests(id)`.execute(db);
  await sql`create index items_request on items(request_id) where request_id is not null`.execute(db);
  for (const col of ["requests_fulfilled", "requests_late", "requests_missed", "requests_declined"]) {
    await sql`alter table unit_month_stats add column ${sql.raw(col)} integer not null default 0`.execute(db);
    await sql`alter table month_unit_snapshots add column ${sql.raw(col)} integer not null default 0`.execute(db);
  }
  await sql`alter table unit_month_stats add column request_points real not null default 0`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table unit_month_stats drop column request_points`.execute(db);
  for (const col of ["requests_fulfilled", "requests_late", "requests_missed", "requests_declined"]) {
    await sql`alter table unit_month_stats drop column ${sql.raw(col)}`.execute(db);
    await sql`alter table month_unit_snapshots drop column ${sql.raw(col)}`.execute(db);
  }
  await sql`drop index if exists items_request`.execute(db);
  await sql`alter table items drop column request_id`.execute(db);
  await sql`drop table if exists request_units`.execute(db);
  await sql`drop table if exists requests`.execute(db);
}
