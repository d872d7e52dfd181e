// Each person's adopted items bearing their name, counted whole, frozen with a close like the rest
// of the month's figures: the year-end summary's 优秀信息员 threshold (全年署名的采用稿件不少于 K 篇)
// reads it, so that taking an item down after its month closed does not move a correspondent
// across the threshold while every other figure of that month stays as it was. Closes made before
// this migration get the count their month's items give now (the closest to the close there is).
import { sql, type Kysely } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table month_correspondent_snapshots add column adopted_items integer not null default 0`.execute(db);
  await sql`update month_correspondent_snapshots as s set adopted_items = (
      select count(*) from item_bylines b
      join items i on i.id = b.item_id
      join month_closes c on c.id = s.close_id
      where b.account_id = s.account_id and i.report_month = c.month
        and (i.status = 'adopted' or (i.status = 'withdrawn' and i.points_revoked = 0))
    )`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table month_correspondent_snapshots drop column adopted_items`.execute(db);
}
