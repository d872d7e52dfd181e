// Per-channel counts (教育信息网, 教育网, and any channel the bureau adds): the seed asks for each
// channel's monthly statistics and year totals. The live rollup gets a row per unit, month and
// channel, refreshed with unit_month_stats; a month's close freezes them with the channel's name.
// Existing data is filled in here from the items (channel 0 stands for an item without a channel).
import { sql, type Kysely } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  await sql`create table unit_month_channel_stats (
     unit_id integer not null references units(id),
     month text not null,
     channel_id integer not null,
     submitted integer not null default 0,
     adopted integer not null default 0,
     primary key (unit_id, month, channel_id)
   ) strict`.execute(db);
  await sql`create index unit_month_channel_stats_month on unit_month_channel_stats(month)`.execute(db);
  await sql`create table month_unit_channel_snapshots (
     close_id integer not null references month_closes(id),
     unit_id integer not null references units(id),
     channel_id integer not null,
     channel_name text not null,
     sort_order integer not null default 0,
     submitted integer not null default 0,
     adopted integer not null default 0,
     primary key (close_id, unit_id, channel_id)
   ) strict`.execute(db);

  // Items back in the school's hands (draft, pending sign-off) count nowhere; adopted, or withdrawn
  // with its points kept, counts as adopted (the rule of app/domain/points.ts itemCounts).
  await sql`insert into unit_month_channel_stats (unit_id, month, channel_id, submitted, adopted)
    select unit_id, report_month, coalesce(channel_id, 0), count(*),
           sum(case when status = 'adopted' or (status = 'withdrawn' and points_revoked = 0) then 1 else 0 end)
    from items
    where report_month is not null and status not in ('draft', 'pending_school')
    group by unit_id, report_month, coalesce(channel_id, 0)`.execute(db);
  await sql`insert into month_unit_channel_snapshots (close_id, unit_id, channel_id, channel_name, sort_order, submitted, adopted)
    select c.id, s.unit_id, s.channel_id, coalesce(ch.name, '未指定频道'), coalesce(ch.sort_order, 999), s.submitted, s.adopted
    from month_closes c
    join unit_month_channel_stats s on s.month = c.month
    join month_unit_snapshots u on u.close_id = c.id and u.unit_id = s.unit_id
    left join channels ch on ch.id = s.channel_id`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table if exists month_unit_channel_snapshots`.execute(db);
  await sql`drop table if exists unit_month_channel_stats`.execute(db);
}
