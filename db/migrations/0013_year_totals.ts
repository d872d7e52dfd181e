// A year's running totals, stored at each close, so the year-to-date league reads its closed
// months instead of summing their snapshots (200,000 rows at province scale, most of its time).
// - month_close_year_totals: for a close, which closes its totals sum (`basis`: their ids,
//   ascending, comma-separated: every close in force of that year up to and including its month).
//   The totals only stand for a year to date whose closed months are exactly these closes; after a
//   reopening the readers fall back to summing the snapshots.
// - month_unit_year_totals: per unit, Σ of its snapshots over the basis; the kind it had in the
//   latest of those months (`latest`); points in hundredths; its months counted by status.
import { sql, type Kysely } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  await sql`create table month_close_year_totals (
     close_id integer primary key references month_closes(id),
     basis text not null
   ) strict`.execute(db);
  await sql`create table month_unit_year_totals (
     close_id integer not null references month_closes(id),
     unit_id integer not null references units(id),
     kind_code text not null,
     latest text not null,
     quota integer not null,
     submitted integer not null,
     adopted integer not null,
     late integer not null,
     pickups_national integer not null,
     pickups_province integer not null,
     pickups_city integer not null,
     cents integer not null,
     met integer not null,
     short integer not null,
     none integer not null,
     primary key (close_id, unit_id)
   ) strict, without rowid`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table month_unit_year_totals`.execute(db);
  await sql`drop table month_close_year_totals`.execute(db);
}
