// Monthly points of each correspondent (bylines split an item's points equally), kept beside
// the units' monthly rollup so the correspondents' table never aggregates raw items.
import { sql, type Kysely } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  await sql`create table correspondent_month_stats (
     account_id integer not null references accounts(id),
     month text not null,
     unit_id integer not null references units(id),
     items real not null default 0,
     points real not null default 0,
     primary key (account_id, month)
   ) strict`.execute(db);
  await sql`create index correspondent_month_stats_month on correspondent_month_stats(month, unit_id)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table if exists correspondent_month_stats`.execute(db);
}
