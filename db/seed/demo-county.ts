// The demo county: ~40 schools and kindergartens, their leads and correspondents, and 14 months
// of news items in every state, so that queues, league tables and notices look like a real
// bureau's from the first start.
//
// Deterministic: every choice comes from one seeded PRNG and every instant is derived from
// `now`, so two runs with the same `now` write identical rows (tests and screenshots rely on it).
//
// Item instants: `first_submitted_at` is the first arrival in the bureau's queue (after the
// school's sign-off, or at submission when the unit has sign-off switched off) and fixes the
// report month; `submitted_at` is the latest arrival. Items that never reached the bureau have
// neither.
//
// The steps live beside this file: demo-plan.ts (the county in memory, its clock and random
// stream), demo-units.ts (units and people), demo-items.ts (items and their review history),
// demo-stories.ts (what the items say), demo-followups.ts (pickups, instructions, notifications),
// demo-rows.ts (writing it all), demo-photos.ts (the pictures).
import type { Kysely } from "kysely";
import type { Database } from "../schema";
import { renderDemoImages, writeDemoImages, type DemoImage } from "./demo-photos";
import { addWorkInProgress, arrivedItem } from "./demo-items";
import { addPickupsAndInstructions } from "./demo-followups";
import { atShanghai, CountyState, type DemoCounty } from "./demo-plan";
import { addDemoRequests } from "./demo-requests";
import { writeCountyRows, writeFollowups } from "./demo-rows";
import { seedDemoThemes } from "./demo-themes";
import { createStaff, createUnits, planNoneMonths, plannedCount } from "./demo-units";
import { BASE_SETTINGS_MONTH, seedReferenceData } from "./reference";

export { DEMO_SEED } from "./demo-plan";
export { DEMO_ACCOUNTS, type DemoAccount } from "./demo-units";

export interface DemoSummary {
  units: number;
  accounts: number;
  items: number;
  photos: number;
  byStatus: Record<string, number>;
}

/** Plans the whole county in memory; every choice is drawn from one stream, in this order. */
function buildCounty(now: Date, images: readonly DemoImage[]): DemoCounty {
  const c = new CountyState(now, images);
  const unitsCreatedAt = atShanghai(`${c.createdYear}-03-01`, 8 * 60 + 30);
  createStaff(c, unitsCreatedAt);
  createUnits(c);
  const noneMonths = planNoneMonths(c);
  for (const month of c.months) {
    for (const unit of c.units) {
      if (noneMonths.get(month)?.has(unit.code)) continue;
      const count = plannedCount(c, unit, month);
      for (let i = 0; i < count; i++) c.items.push(arrivedItem(c, unit, month));
    }
  }
  for (const unit of c.units) addWorkInProgress(c, unit);
  addPickupsAndInstructions(c);

  // Numbered in order of creation, as the running portal would have numbered them.
  c.items.sort((a, b) => a.createdAt - b.createdAt || a.seq - b.seq);
  c.items.forEach((item, i) => (item.id = i + 1));
  return { units: c.units, people: c.people, items: c.items, unitsCreatedAt, closeAt: (month) => c.closeAt(month) };
}

/**
 * The demo county's own names: a bureau's settings as a real county would fill them in (the
 * start message, the page header, the 落款, the 版头 and the 文号 all read them).
 */
export const DEMO_BUREAU = {
  countyName: "临溪县",
  bureauName: "临溪县教育和体育局",
  noticeIssuer: "临溪县教育和体育局办公室",
  letterheadText: "临溪县教育和体育局办公室",
  noticeDocPrefix: "临教体办",
  noticeAddressee: "各乡镇中心学校，县直各学校、幼儿园",
} as const;

export async function isDatabaseEmpty(db: Kysely<Database>): Promise<boolean> {
  const units = await db.selectFrom("units").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
  const accounts = await db.selectFrom("accounts").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
  return Number(units.n) === 0 && Number(accounts.n) === 0;
}

/**
 * Writes the demo county into an empty database. The months are closed by the caller
 * (app/models/demo.server.ts, at demoCloseAt); then `afterCloses` writes what the bureau recorded
 * in a month after its close (pickups and 批示), which its frozen figures must not hold.
 */
export async function seedDemoCounty(
  db: Kysely<Database>,
  options: { passwordHash: string; dataDir: string; now: Date },
): Promise<{ summary: DemoSummary; afterCloses: (db: Kysely<Database>) => Promise<void> }> {
  const { passwordHash, dataDir, now } = options;
  const nowMs = now.getTime();
  const images = renderDemoImages();
  const county = buildCounty(now, images);
  // Files first: a row must never point at a photo that is not on disk. An aborted seed
  // leaves only unreferenced, content-addressed files behind, which a rerun reuses.
  await writeDemoImages(dataDir, images);

  const summary = await db.transaction().execute(async (trx): Promise<DemoSummary> => {
    await seedReferenceData(trx, now);
    if (!(await isDatabaseEmpty(trx))) throw new Error("数据库中已有单位或账号，演示数据只能写入空数据库。");
    for (const [key, value] of Object.entries(DEMO_BUREAU)) {
      await trx
        .updateTable("settings")
        .set({ value_json: JSON.stringify(value), updated_at: now.toISOString() })
        .where("key", "=", key)
        .where("effective_month", "=", BASE_SETTINGS_MONTH)
        .execute();
    }

    const photos = await writeCountyRows(trx, county, { passwordHash, nowMs });
    // 报送要点 and their tags, before demo.server.ts closes the months (the closes freeze them).
    await seedDemoThemes(trx, { now });
    await addDemoRequests(trx, now);

    const byStatus: Record<string, number> = {};
    const counts = await trx.selectFrom("items").select(["status", (eb) => eb.fn.countAll<number>().as("n")]).groupBy("status").execute();
    for (const row of counts) byStatus[row.status] = Number(row.n);
    return {
      units: county.units.length,
      accounts: county.people.length,
      items: county.items.length,
      photos,
      byStatus,
    };
  });
  return { summary, afterCloses: (db) => writeFollowups(db, county, "after-close") };
}
