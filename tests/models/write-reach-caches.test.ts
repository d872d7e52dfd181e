// Results that say which rows they read (one unit's, some months') are kept across writes that
// reached only other units or months, and computed again after a write that reached theirs; a result
// that says too little is caught by the cache check every test runs with (CACHE_CHECK=1).
import { sql } from "kysely";
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { databaseFileOf } from "../../db/connect";
import { figuresWrittenElsewhere } from "../../db/write-generations";
import { addMonths, shanghaiMonth } from "~/domain/time";
import { adoptionRatesBefore, schoolDashboard } from "~/models/dashboard.server";
import { reviewerHome, unitHome } from "~/models/home.server";
import { transitionItem } from "~/models/item-workflow.server";
import { currentClose, leagueFor } from "~/models/months.server";
import { listNews, newsFilterOptions } from "~/models/news.server";
import { rankingBounds, rankingsFor } from "~/models/rankings.server";
import { registerFor } from "~/models/register.server";
import { waitingCount } from "~/models/review.server";
import { pointsRulesFor } from "~/models/rules.server";
import { lexiconMatcher } from "~/models/sensitive-words.server";
import { liveCoverageForPage } from "~/models/themes.server";
import { writeCache } from "~/models/write-cache.server";
import { sessionUser, setupCounty, type County } from "../support/app";
import { writeBehindThePortal } from "../support/db";
import { insertItem } from "../support/item-fixtures";

let county: County;
beforeAll(async () => {
  county = await setupCounty();
});
afterAll(async () => county.dbs.dispose());

/** Every item of the county, counted. */
const countItems = async () =>
  Number((await county.dbs.reader.selectFrom("items").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n);

const current = shanghaiMonth(new Date());
const earlier = addMonths(current, -3);
const later = addMonths(current, -1);

it("a unit's home is kept across another unit's writes and read again after its own", async () => {
  const { reader, db } = county.dbs;
  const a = sessionUser(county.ids.correspondentA, county.units.A, "correspondent");
  const first = await unitHome(reader, a);
  await insertItem(db, { unitId: county.units.B, createdBy: county.ids.correspondentB, status: "draft", reportMonth: null });
  await db.insertInto("unit_month_stats").values({ unit_id: county.units.B, month: current, submitted: 2 }).execute();
  expect(await unitHome(reader, a)).toBe(first);
  await insertItem(db, { unitId: county.units.A, createdBy: county.ids.correspondentA, status: "draft", reportMonth: null });
  const after = await unitHome(reader, a);
  expect(after).not.toBe(first);
  expect(after.drafts).toBe(first.drafts + 1);
});

it("a school's dashboard keeps its own figures across another unit's write, and its rank follows the league", async () => {
  const { reader, db } = county.dbs;
  const now = new Date().toISOString();
  const { id: rival } = await db
    .insertInto("units")
    .values({ code: "A02", name: "河口镇中心学校", township: "河口镇", kind_code: "township_central", created_at: now, updated_at: now })
    .returning("id")
    .executeTakeFirstOrThrow();
  await db.insertInto("unit_month_stats").values({ unit_id: county.units.A, month: current, submitted: 3, adopted: 3, item_points: 3 }).onConflict((oc) => oc.doUpdateSet({ submitted: 3, adopted: 3, item_points: 3 })).execute();
  const rankOf = async () => {
    const dash = await schoolDashboard(reader, county.units.A);
    return { row: dash.row?.rank, history: dash.history.at(-1)?.rank };
  };
  expect(await rankOf()).toEqual({ row: 1, history: 1 });
  await db.insertInto("unit_month_stats").values({ unit_id: rival, month: current, submitted: 9, adopted: 9, item_points: 9 }).execute();
  expect(await rankOf()).toEqual({ row: 2, history: 2 });
});

it("the bureau's adoption rates for the forecast are kept across writes to the month itself and read again after a write to a month before", async () => {
  const { reader, db } = county.dbs;
  const first = await adoptionRatesBefore(reader, current);
  await insertItem(db, { unitId: county.units.A, createdBy: county.ids.correspondentA, status: "adopted", reportMonth: current });
  expect(await adoptionRatesBefore(reader, current)).toBe(first);
  await insertItem(db, { unitId: county.units.A, createdBy: county.ids.correspondentA, status: "rejected", reportMonth: later });
  const after = await adoptionRatesBefore(reader, current);
  expect(after).not.toBe(first);
  // A's decided items before the month now include one rejected: its rate is below what it was (0.7 with no history).
  expect(after.get(county.units.A)!).toBeLessThan(first.get(county.units.A) ?? 0.7);
});

it("the bureau's trend is kept across items not yet in a month (waiting for sign-off) and read again after a month's rollup moves", async () => {
  const { reader, db } = county.dbs;
  const first = await reviewerHome(reader);
  await insertItem(db, { unitId: county.units.A, createdBy: county.ids.correspondentA, status: "pending_school", reportMonth: null });
  expect(await reviewerHome(reader)).toBe(first);
  await db.updateTable("unit_month_stats").set((eb) => ({ submitted: eb("submitted", "+", 1) })).where("month", "=", current).execute();
  const after = await reviewerHome(reader);
  expect(after).not.toBe(first);
  expect(after.monthSubmitted).toBeGreaterThan(first.monthSubmitted);
});

it("a month's league and tables are kept across writes to other months and computed again after a write to theirs", async () => {
  const { reader, db } = county.dbs;
  await insertItem(db, { unitId: county.units.A, createdBy: county.ids.correspondentA, status: "adopted", reportMonth: earlier });
  await db.insertInto("unit_month_stats").values({ unit_id: county.units.A, month: earlier, submitted: 1, adopted: 1 }).execute();
  const league = await leagueFor(reader, earlier);
  const tables = await rankingsFor(reader, earlier);
  expect(tables).not.toBeNull();
  // A later month's items and rollup (the month after reads this one for movement, not the reverse).
  await insertItem(db, { unitId: county.units.B, createdBy: county.ids.correspondentB, status: "adopted", reportMonth: later });
  await db.insertInto("unit_month_stats").values({ unit_id: county.units.B, month: later, submitted: 1, adopted: 1 }).execute();
  expect((await leagueFor(reader, earlier)).rows).toBe(league.rows);
  expect((await rankingsFor(reader, earlier))!.kinds).toBe(tables!.kinds);
  // Its own month's rollup moves it.
  await db.updateTable("unit_month_stats").set({ adopted: 2 }).where("unit_id", "=", county.units.A).where("month", "=", earlier).execute();
  const moved = await leagueFor(reader, earlier);
  expect(moved.rows).not.toBe(league.rows);
  expect(moved.rows.find((r) => r.unitId === county.units.A)?.adopted).toBe(2);
  expect((await rankingsFor(reader, earlier))!.kinds).not.toBe(tables!.kinds);
});

it("what reads only items in a month (news, the waiting count, the first month) is kept across a submission waiting for sign-off, and read again after the sign-off", async () => {
  const { reader, db } = county.dbs;
  const lead = sessionUser(county.ids.leadA, county.units.A, "school_lead");
  const reads = async () => ({
    news: await listNews(reader, { page: 1 }),
    options: await newsFilterOptions(reader),
    waiting: await waitingCount(reader),
    bounds: await rankingBounds(reader),
  });
  const first = await reads();
  const id = await insertItem(db, { unitId: county.units.A, createdBy: county.ids.correspondentA, status: "pending_school", reportMonth: null });
  const kept = await reads();
  expect(kept.news).toBe(first.news);
  expect(kept.options).toBe(first.options);
  expect(kept.waiting).toBe(first.waiting);
  expect(await transitionItem(db, { itemId: id, action: "sign_off", actor: lead })).toMatchObject({ ok: true });
  const after = await reads();
  expect(after.news).not.toBe(first.news);
  expect(after.options).not.toBe(first.options);
  expect(after.waiting).toBe(first.waiting + 1);
});

it("what reads no items (the register, the lexicon, the rules, a month's close) is kept across items' writes, and read again after a write to its own table", async () => {
  const { reader, db } = county.dbs;
  const year = Number(current.slice(0, 4));
  const reads = async () => ({
    register: await registerFor(reader, year, { unitId: null }),
    lexicon: await lexiconMatcher(reader),
    rules: await pointsRulesFor(reader, current),
    close: await currentClose(reader, earlier),
  });
  // A close in force of an earlier month, under the rule versions the county starts with.
  await sql`insert into month_closes (month, quota_version_id, points_version_id, closed_at, closed_by)
    select ${earlier}, (select min(id) from quota_rule_versions), (select min(id) from points_rule_versions), ${new Date().toISOString()}, ${county.ids.reviewer}`.execute(db);
  const first = await reads();
  expect(first.close).toBeDefined();
  await insertItem(db, { unitId: county.units.B, createdBy: county.ids.correspondentB, status: "adopted", reportMonth: current });
  await db.updateTable("unit_month_stats").set((eb) => ({ adopted: eb("adopted", "+", 1) })).where("month", "=", current).execute();
  const kept = await reads();
  for (const key of ["register", "lexicon", "rules", "close"] as const) expect(kept[key], key).toBe(first[key]);
  await db.insertInto("sensitive_words").values({ word: "内部材料", level: "block", note: "", created_by: county.ids.admin, created_at: new Date().toISOString(), updated_at: new Date().toISOString() }).execute();
  const after = await reads();
  for (const key of ["register", "lexicon", "rules", "close"] as const) expect(after[key], key).not.toBe(first[key]);
});

it("a year's tables and a month's theme coverage are kept across writes to other months and read again after a write to theirs", async () => {
  const { reader, db } = county.dbs;
  const year = current.slice(0, 4);
  const otherYear = `${Number(year) - 1}-06`;
  // The county's first month is the year before (it bounds the year's months: the key holds it).
  await insertItem(db, { unitId: county.units.A, createdBy: county.ids.correspondentA, status: "adopted", reportMonth: otherYear });
  const tables = await rankingsFor(reader, year);
  const coverage = await liveCoverageForPage(reader, current);
  await insertItem(db, { unitId: county.units.B, createdBy: county.ids.correspondentB, status: "adopted", reportMonth: otherYear });
  expect((await rankingsFor(reader, year))!.kinds).toBe(tables!.kinds);
  await insertItem(db, { unitId: county.units.A, createdBy: county.ids.correspondentA, status: "adopted", reportMonth: addMonths(current, -1) === otherYear ? addMonths(current, -2) : addMonths(current, -1) });
  expect(await liveCoverageForPage(reader, current)).toBe(coverage);
  await insertItem(db, { unitId: county.units.A, createdBy: county.ids.correspondentA, status: "adopted", reportMonth: current });
  expect((await rankingsFor(reader, year))!.kinds).not.toBe(tables!.kinds);
  expect(await liveCoverageForPage(reader, current)).not.toBe(coverage);
});

it("the cache check catches a result that reads more rows than it says", async () => {
  const { reader, db } = county.dbs;
  const counts = writeCache<number>();
  // Says it reads unit A's rows, but counts every unit's.
  const narrow = () => counts.get(reader, "all-items", countItems, { unit: county.units.A });
  const before = await narrow();
  await insertItem(db, { unitId: county.units.B, createdBy: county.ids.correspondentB, status: "draft", reportMonth: null });
  await expect(narrow()).rejects.toThrow("缓存的结果与重新计算的不同（all-items）");
  // Without the check the stale count would have been served.
  vi.stubEnv("CACHE_CHECK", "0");
  try {
    expect(await narrow()).toBe(before);
  } finally {
    vi.unstubAllEnvs();
  }
  // Said truly ("all"), it is computed again after the write.
  expect(await counts.get(reader, "all-items-truly", countItems)).toBe(before + 1);
});

it("the cache check allows for a write committed but not yet counted (another process's, until it is announced)", async () => {
  const { reader } = county.dbs;
  const file = databaseFileOf(reader)!;
  const counts = writeCache<number>();
  const before = await counts.get(reader, "committed-elsewhere", countItems);
  // Another process commits an item; its announcement arrives a little later.
  await writeBehindThePortal(
    file,
    "insert into items (unit_id, title, body, category_id, event_date, status, created_by, created_at, updated_at) select unit_id, title, body, category_id, event_date, 'draft', created_by, created_at, updated_at from items where id = (select max(id) from items)",
  );
  setTimeout(() => figuresWrittenElsewhere(file, "everything"), 50);
  // The kept count is answered (it was right until the write); the next read computes afresh.
  expect(await counts.get(reader, "committed-elsewhere", countItems)).toBe(before);
  expect(await counts.get(reader, "committed-elsewhere", countItems)).toBe(before + 1);
});
