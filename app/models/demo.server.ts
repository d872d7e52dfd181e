// The demo county as a newcomer sees it: the seeded history, its monthly accounting, and every
// month before last closed by a reviewer (last month and this month stay open, as in real life
// while the last items of the previous month are still being reviewed).
import type { Kysely } from "kysely";
import { seedDemoCounty, type DemoSummary } from "../../db/seed/demo-county";
import type { Database } from "../../db/schema";
import { addMonths, shanghaiMidnight, shanghaiMonth } from "~/domain/time";
import { closeMonth } from "~/models/months.server";
import { rebuildAllRollups } from "~/models/rollup.server";

export async function seedDemo(
  db: Kysely<Database>,
  options: { passwordHash: string; dataDir: string; now: Date },
): Promise<DemoSummary & { closedMonths: string[] }> {
  const summary = await seedDemoCounty(db, options);
  await rebuildAllRollups(db);
  const reviewer = await db.selectFrom("accounts").select(["id", "username"]).where("username", "=", "reviewer").executeTakeFirstOrThrow();
  const lastOpen = addMonths(shanghaiMonth(options.now), -1);
  const months = await db
    .selectFrom("items")
    .select("report_month")
    .distinct()
    .where("report_month", "<", lastOpen)
    .orderBy("report_month")
    .execute();
  const closed: string[] = [];
  for (const { report_month } of months) {
    const month = report_month!;
    // Closed on the 5th of the next month, 10:00 Shanghai time.
    const closedAt = new Date(Date.parse(shanghaiMidnight(`${addMonths(month, 1)}-05`)) + 10 * 3_600_000);
    const result = await closeMonth(db, { month, actor: reviewer, now: closedAt < options.now ? closedAt : options.now });
    if (!result.ok) throw new Error(`演示数据结算 ${month} 失败：${result.message}`);
    closed.push(month);
  }
  return { ...summary, closedMonths: closed };
}
