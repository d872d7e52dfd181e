// The year's running totals per unit and channel, stored at each close beside the units' ones
// (0013), so a year-to-date league reads its closed months' channel counts instead of grouping
// their channel snapshots (50,000+ rows at province scale, the largest part of a cold year view).
// - month_close_year_totals.channels: 1 when the close's channel totals are stored (closes made
//   before this migration get theirs here, summed from their basis's snapshots, which never change).
// - month_unit_channel_year_totals: per unit and channel, Σ of its channel snapshots over the
//   close's basis, with the channel's name and place in the latest of those months that has it.
import { sql, type Kysely } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table month_close_year_totals add column channels integer not null default 0 check (channels in (0, 1))`.execute(db);
  await sql`create table month_unit_channel_year_totals (
     close_id integer not null references month_closes(id),
     unit_id integer not null references units(id),
     channel_id integer not null,
     latest text not null,
     channel_name text not null,
     sort_order integer not null,
     submitted integer not null,
     adopted integer not null,
     primary key (close_id, unit_id, channel_id)
   ) strict, without rowid`.execute(db);
  const closes = await sql<{ close_id: number; basis: string }>`select close_id, basis from month_close_year_totals`.execute(db);
  for (const c of closes.rows) {
    const ids = c.basis.split(",").map(Number).filter((id) => Number.isInteger(id));
    if (ids.length > 0) {
      await sql`insert into month_unit_channel_year_totals (close_id, unit_id, channel_id, latest, channel_name, sort_order, submitted, adopted)
        select ${c.close_id}, s.unit_id, s.channel_id, max(m.month), s.channel_name, s.sort_order, sum(s.submitted), sum(s.adopted)
        from month_unit_channel_snapshots s
        join month_closes m on m.id = s.close_id
        where s.close_id in (${sql.join(ids)})
        group by s.unit_id, s.channel_id`.execute(db);
    }
    await sql`update month_close_year_totals set channels = 1 where close_id = ${c.close_id}`.execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table month_unit_channel_year_totals`.execute(db);
  await sql`alter table month_close_year_totals drop column channels`.execute(db);
}
