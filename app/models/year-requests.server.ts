// 约稿 over a year for the year-end summary: each unit's 按时完成 / 逾期 / 未报送 / 婉拒 summed over
// the frozen snapshots of the given months' closes in force (a month not closed adds nothing). A
// small grouped read beside the year's league, which it leaves alone.
import type { Kysely, Transaction } from "kysely";
import type { Database } from "../../db/schema";
import type { RequestCounts } from "~/domain/requests";

type DB = Kysely<Database> | Transaction<Database>;

/** unit id → the unit's 约稿 over the closed months among `months`; a unit without a snapshot in them is absent. */
export async function yearRequestCounts(db: DB, months: readonly string[]): Promise<Map<number, RequestCounts>> {
  if (months.length === 0) return new Map();
  const rows = await db
    .selectFrom("month_unit_snapshots as s")
    .innerJoin("month_closes as c", "c.id", "s.close_id")
    .where("c.month", "in", [...months])
    .where("c.reopened_at", "is", null)
    .groupBy("s.unit_id")
    .select((eb) => [
      "s.unit_id as unitId",
      eb.fn.sum<number>("s.requests_fulfilled").as("fulfilled"),
      eb.fn.sum<number>("s.requests_late").as("late"),
      eb.fn.sum<number>("s.requests_missed").as("missed"),
      eb.fn.sum<number>("s.requests_declined").as("declined"),
    ])
    .execute();
  return new Map(rows.map((r) => [r.unitId, { fulfilled: Number(r.fulfilled), late: Number(r.late), missed: Number(r.missed), declined: Number(r.declined) }]));
}
