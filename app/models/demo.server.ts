// The demo county as a newcomer sees it: the seeded history, its monthly accounting, and every
// month before last closed by a reviewer (last month and this month stay open, as in real life
// while the last items of the previous month are still being reviewed). Each closed month carries
// its published notice and the last full year its published year-end summary, drafted and signed
// by the demo reviewer, 文号 numbered in sequence within each year, so /notices shows real history.
import type { Kysely } from "kysely";
import { DEMO_ACCOUNTS, seedDemoCounty, type DemoSummary } from "../../db/seed/demo-county";
import { demoCloseAt } from "../../db/seed/demo-plan";

/** The demo accounts the start message lists. */
export { DEMO_ACCOUNTS };
import type { Database } from "../../db/schema";
import { shanghaiMidnight, shanghaiMonth } from "~/domain/time";
import { closeMonth } from "~/models/month-close.server";
import {
  draftAnnualSummary,
  draftMonthlyNotice,
  getNotice,
  publishNotice,
  suggestDocNumber,
  updateNoticeText,
  type NoticeActor,
  type NoticeResult,
} from "~/models/notices.server";
import { itemMonths, rebuildAllRollups } from "~/models/rollup.server";
import { publishDemoBulletin } from "~/models/demo-bulletins.server";
import { signsIn } from "~/models/auth.server";
import { verifyPassword } from "~/models/password.server";

const HOUR = 3_600_000;

/** 10:00 Shanghai time on a calendar date. */
const tenOClock = (date: string) => new Date(Date.parse(shanghaiMidnight(date)) + 10 * HOUR);

export async function seedDemo(
  db: Kysely<Database>,
  options: { passwordHash: string; dataDir: string; now: Date },
): Promise<DemoSummary & { closedMonths: string[]; notices: number }> {
  const { summary, afterCloses } = await seedDemoCounty(db, options);
  await rebuildAllRollups(db, options.now);
  const reviewer = await db
    .selectFrom("accounts")
    .select(["id", "username", "display_name"])
    .where("username", "=", "reviewer")
    .executeTakeFirstOrThrow();
  const closed: string[] = [];
  for (const month of await itemMonths(db)) {
    // Closed on the 5th of the next month, 10:00 Shanghai time (the items are timed to it); last month and this one stay open.
    const closeAt = demoCloseAt(month, options.now);
    if (closeAt === null) continue;
    // The month's 简报 is signed on the 3rd of the next month, before the close: its pickups count in the month.
    await publishDemoBulletin(db, { month, actor: { id: reviewer.id, username: reviewer.username, ip: "" }, dataDir: options.dataDir, now: options.now });
    const result = await closeMonth(db, { month, actor: reviewer, now: new Date(closeAt) });
    if (!result.ok) throw new Error(`演示数据结算 ${month} 失败：${result.message}`);
    closed.push(month);
  }
  // What the bureau recorded in those months after their close, as it does in a running portal.
  await afterCloses(db);
  await rebuildAllRollups(db, options.now);
  const actor: NoticeActor = { id: reviewer.id, username: reviewer.username, displayName: reviewer.display_name };
  const notices = await publishDemoNotices(db, { actor, closed, dataDir: options.dataDir, now: options.now });
  return { ...summary, closedMonths: closed, notices };
}

/**
 * Each closed month's notice is drafted right after the close and signed two hours later; the
 * last full year's summary on 10 January. In time order, so each year's 文号 run 1, 2, 3…
 */
async function publishDemoNotices(
  db: Kysely<Database>,
  input: { actor: NoticeActor; closed: string[]; dataDir: string; now: Date },
): Promise<number> {
  const notNow = (d: Date) => (d < input.now ? d : input.now);
  const plans: Array<{ at: Date; draft: (now: Date) => Promise<NoticeResult> }> = input.closed.map((month) => ({
    at: new Date(demoCloseAt(month, input.now)!),
    draft: (now) => draftMonthlyNotice(db, { month, actor: input.actor, now }),
  }));
  const lastYear = String(Number(shanghaiMonth(input.now).slice(0, 4)) - 1);
  const summaryAt = tenOClock(`${Number(lastYear) + 1}-01-10`);
  if (input.closed.some((m) => m.startsWith(lastYear)) && input.closed.includes(`${lastYear}-12`) && summaryAt < input.now) {
    plans.push({ at: summaryAt, draft: (now) => draftAnnualSummary(db, { year: lastYear, actor: input.actor, now }) });
  }
  plans.sort((a, b) => a.at.getTime() - b.at.getTime());
  let published = 0;
  for (const plan of plans) {
    const drafted = await plan.draft(plan.at);
    if (!drafted.ok) throw new Error(`演示数据起草通报失败：${drafted.message}`);
    const signedAt = notNow(new Date(plan.at.getTime() + 2 * HOUR));
    const notice = (await getNotice(db, drafted.id, { role: "reviewer", unitId: null }, signedAt))!;
    const { header } = notice.doc;
    const saved = await updateNoticeText(db, {
      id: drafted.id, actor: input.actor, now: signedAt,
      fields: { addressee: header.addressee, docNumber: await suggestDocNumber(db, signedAt), opening: header.opening, closing: header.closing },
    });
    if (!saved.ok) throw new Error(`演示数据保存通报失败：${saved.message}`);
    const result = await publishNotice(db, { id: drafted.id, actor: input.actor, now: signedAt, signerName: input.actor.displayName, dataDir: input.dataDir });
    if (!result.ok) throw new Error(`演示数据签发通报失败：${result.message}`);
    published++;
  }
  return published;
}

/**
 * The demo accounts this database has, in use and signing in with `password`: the start message
 * lists these, and none on a county's own database (or after their passwords were changed), even
 * when SEED_DEMO was left on.
 */
export async function demoAccountsSigningIn(db: Kysely<Database>, password: string): Promise<typeof DEMO_ACCOUNTS> {
  const rows = await db
    .selectFrom("accounts")
    .select(["username", "password_hash", "active"])
    .where("username", "in", DEMO_ACCOUNTS.map((a) => a.username))
    .execute();
  const signingIn = new Set<string>();
  for (const row of rows) if (signsIn(row, await verifyPassword(password, row.password_hash))) signingIn.add(row.username);
  return DEMO_ACCOUNTS.filter((a) => signingIn.has(a.username));
}
