// The year's running totals per correspondent, stored at each close beside the units' (0013) and
// channels' (0014), so a year-to-date table reads its closed months' people instead of summing
// their snapshots (a province's ten closed months are 200,000 rows, one person a unit a month).
// - month_close_year_totals.people: 1 when the close's people totals are stored (closes made
//   before this migration get theirs here, summed from their basis's snapshots, which never change).
// - month_correspondent_year_totals: per person, Σ over the close's basis of their points and
//   items in hundredths (each month's rounded to the cent, as the year's table sums them), with the
//   unit of their latest month among those.
import { sql, type Kysely } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table month_close_year_totals add column people integer not null default 0 check (people in (0, 1))`.execute(db);
  await sql`create table month_correspondent_year_totals (
     close_id integer not null references month_closes(id),
     account_id integer not null references accounts(id),
     unit_id integer not null references units(id),
     latest text not null,
     cents integer not null,
     item_cents integer not null,
     primary key (close_id, account_id)
   ) strict, without rowid`.execute(db);
  const closes = await sql<{ close_id: number; basis: string }>`select close_id, basis from month_close_year_totals`.execute(db);
  for (const c of closes.rows) {
    const ids = c.basis.split(",").map(Number).filter((id) => Number.isInteger(id));
    if (ids.length > 0) {
      await sql`insert into month_correspondent_year_totals (close_id, account_id, unit_id, latest, cents, item_cents)
        select ${c.close_id}, s.account_id, s.unit_id, max(m.month), sum(cast(round(s.points * 100) as integer)),
               sum(cast(round(s.items * 100) as integer))
        from month_correspondent_snapshots s
        join month_closes m on m.id = s.close_id
        where s.close_id in (${sql.join(ids)})
        group by s.account_id`.execute(db);
    }
    await sql`update month_close_year_totals set people = 1 where close_id = ${c.close_id}`.execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table month_correspondent_year_totals`.execute(db);
  await sql`alter table month_close_year_totals drop column people`.execute(db);
}
