// The read pages' figures kept between figures writes (the home pages, the public news list): the
// next read after a write is fresh, a write to bookkeeping alone keeps them, and what is kept for
// one unit is never answered to another.
import { afterAll, beforeAll, expect, it } from "vitest";
import { shanghaiMonth } from "~/domain/time";
import { reviewerDashboard, schoolDashboard } from "~/models/dashboard.server";
import { reviewerHome, unitHome } from "~/models/home.server";
import { transitionItem } from "~/models/item-workflow.server";
import { listNews, newsFilterOptions } from "~/models/news.server";
import { listReviewQueue } from "~/models/review.server";
import { notify } from "~/models/notifications.server";
import { createTheme, liveCoverage, liveCoverageForPage, themesForSchool } from "~/models/themes.server";
import { sessionUser, setupCounty, type County } from "../support/app";
import { insertItem } from "../support/item-fixtures";
import { writeCache } from "~/models/write-cache.server";

let county: County;
beforeAll(async () => {
  county = await setupCounty();
});
afterAll(async () => county.dbs.dispose());


it("a unit's home shows its own items only, and the next read after a write shows the write", async () => {
  const db = county.dbs.reader;
  const a = sessionUser(county.ids.correspondentA, county.units.A, "correspondent");
  const b = sessionUser(county.ids.correspondentB, county.units.B, "correspondent");
  const month = shanghaiMonth(new Date());
  const ownA = await insertItem(county.dbs.db, { unitId: county.units.A, createdBy: a.id, status: "draft", title: "甲校自己的草稿" });
  const ownB = await insertItem(county.dbs.db, { unitId: county.units.B, createdBy: b.id, status: "draft", title: "乙校自己的草稿" });

  const homeA = await unitHome(db, a);
  const homeB = await unitHome(db, b);
  expect(homeA.unit.code).toBe("A01");
  expect(homeB.unit.code).toBe("B01");
  expect(homeA.recent.map((r) => r.id)).toContain(ownA);
  expect(homeA.recent.map((r) => r.id)).not.toContain(ownB);
  expect(homeB.recent.map((r) => r.id)).toContain(ownB);
  expect(homeB.recent.map((r) => r.id)).not.toContain(ownA);
  // Kept: the same answer again, read-only.
  expect(await unitHome(db, a)).toBe(homeA);
  expect(() => (homeA.recent as unknown[]).pop()).toThrow(TypeError);

  // A notification alone keeps it; a new draft of unit A is on A's next read, not on B's.
  await notify(county.dbs.db, [a.id], { kind: "returned", title: "测试通知", link: "/items" });
  expect(await unitHome(db, a)).toBe(homeA);
  const next = await insertItem(county.dbs.db, { unitId: county.units.A, createdBy: a.id, status: "draft", title: "甲校新草稿" });
  const afterA = await unitHome(db, a);
  expect(afterA.drafts).toBe(homeA.drafts + 1);
  expect(afterA.recent.map((r) => r.id)).toContain(next);
  const afterB = await unitHome(db, b);
  expect(afterB.drafts).toBe(homeB.drafts);
  expect(afterB.recent.map((r) => r.id)).not.toContain(next);

  // The school dashboard's items in review: each unit its own, fresh after a submission.
  const inReviewA = (await schoolDashboard(db, county.units.A)).inReview;
  const inReviewB = (await schoolDashboard(db, county.units.B)).inReview;
  await insertItem(county.dbs.db, { unitId: county.units.A, createdBy: a.id, status: "submitted", reportMonth: month });
  expect((await schoolDashboard(db, county.units.A)).inReview).toBe(inReviewA + 1);
  expect((await schoolDashboard(db, county.units.B)).inReview).toBe(inReviewB);
});

it("the bureau's dashboard and trend are fresh after a submission and an adoption", async () => {
  const db = county.dbs.reader;
  const month = shanghaiMonth(new Date());
  const submittedOf = async () => (await reviewerDashboard(db)).byCategory.reduce((s, c) => s + c.submitted, 0);
  const before = await submittedOf();
  const trendBefore = await reviewerHome(db);
  expect(await reviewerHome(db)).toBe(trendBefore);
  const itemId = await insertItem(county.dbs.db, { unitId: county.units.B, createdBy: county.ids.correspondentB, status: "submitted", reportMonth: month });
  expect(await submittedOf()).toBe(before + 1);
  const reviewer = sessionUser(county.ids.reviewer, null, "reviewer");
  const adopted = await transitionItem(county.dbs.db, { itemId, action: "adopt", actor: reviewer, grade: "excellent" });
  expect(adopted.ok).toBe(true);
  const trendAfter = await reviewerHome(db);
  expect(trendAfter.monthAdopted).toBe(trendBefore.monthAdopted + 1);
});

it("the public news list and its filter choices are fresh after an adoption, and a search is never kept", async () => {
  const db = county.dbs.reader;
  const first = await listNews(db, { page: 1 });
  const options = await newsFilterOptions(db);
  expect(await listNews(db, { page: 1 })).toBe(first);
  expect(await newsFilterOptions(db)).toBe(options);
  const month = "2025-03";
  const itemId = await insertItem(county.dbs.db, { unitId: county.units.A, createdBy: county.ids.correspondentA, status: "submitted", reportMonth: month, title: "新采用的春季运动会" });
  const reviewer = sessionUser(county.ids.reviewer, null, "reviewer");
  expect((await transitionItem(county.dbs.db, { itemId, action: "adopt", actor: reviewer, grade: "good" })).ok).toBe(true);
  const after = await listNews(db, { page: 1 });
  expect(after.total).toBe(first.total + 1);
  expect(after.rows[0]).toMatchObject({ id: itemId, title: "新采用的春季运动会" });
  expect((await newsFilterOptions(db)).months).toContain(month);
  expect(options.months).not.toContain(month);
  // The count agrees with the rows when a filter narrows the list.
  const byMonth = await listNews(db, { page: 1, month });
  expect(byMonth.total).toBe(1);
  expect(byMonth.rows.map((r) => r.id)).toEqual([itemId]);
});

it("each news filter narrows the rows and the count alike, and filters combine", async () => {
  const db = county.dbs.reader;
  const adopted = await county.dbs.db.selectFrom("items").select(["id", "unit_id", "category_id", "channel_id", "report_month"]).where("status", "=", "adopted").execute();
  expect(adopted.length).toBeGreaterThan(0);
  const [sample] = adopted;
  const cases: Array<[string, Parameters<typeof listNews>[1], (i: (typeof adopted)[number]) => boolean]> = [
    ["unit", { page: 1, unitId: sample.unit_id }, (i) => i.unit_id === sample.unit_id],
    ["category", { page: 1, categoryId: sample.category_id }, (i) => i.category_id === sample.category_id],
    ["channel", { page: 1, channelId: sample.channel_id ?? undefined }, (i) => sample.channel_id === null || i.channel_id === sample.channel_id],
    ["month", { page: 1, month: sample.report_month ?? undefined }, (i) => sample.report_month === null || i.report_month === sample.report_month],
    ["unit and category", { page: 1, unitId: sample.unit_id, categoryId: sample.category_id }, (i) => i.unit_id === sample.unit_id && i.category_id === sample.category_id],
    ["another unit's category", { page: 1, unitId: county.units.B, categoryId: sample.category_id }, (i) => i.unit_id === county.units.B && i.category_id === sample.category_id],
  ];
  for (const [name, filters, keep] of cases) {
    const expected = adopted.filter(keep).map((i) => i.id).sort((a, b) => a - b);
    const list = await listNews(db, filters);
    expect(list.total, name).toBe(expected.length);
    for (const row of list.rows) expect(expected, name).toContain(row.id);
    if (expected.length <= list.rows.length) expect(list.rows.map((r) => r.id).sort((a, b) => a - b), name).toEqual(expected);
    else expect(list.rows.length, name).toBeGreaterThan(0);
  }
});

it("the month's themes and their coverage on the home pages are fresh after a new theme and a tagged adoption", async () => {
  const db = county.dbs.reader;
  const month = shanghaiMonth(new Date());
  const schools = await themesForSchool(db);
  const coverage = await liveCoverageForPage(db, month);
  expect(await themesForSchool(db)).toBe(schools);
  expect(await liveCoverageForPage(db, month)).toBe(coverage);
  const actor = { id: county.ids.reviewer, username: "reviewer", ip: "10.0.0.9" };
  const created = await createTheme(county.dbs.db, month, { title: "平安校园专题", guidance: "", category_id: null, sort_order: 1 }, actor);
  expect(created.ok).toBe(true);
  const themeId = created.ok ? created.id : 0;
  expect((await themesForSchool(db)).themes.map((t) => t.title)).toContain("平安校园专题");
  const fresh = await liveCoverageForPage(db, month);
  expect(fresh).toEqual(await liveCoverage(db, month));
  expect(fresh.find((t) => t.id === themeId)?.coverage.covered).toBe(0);
  const itemId = await insertItem(county.dbs.db, { unitId: county.units.A, createdBy: county.ids.correspondentA, status: "adopted", reportMonth: month });
  await county.dbs.db.updateTable("items").set({ theme_id: themeId }).where("id", "=", itemId).execute();
  const tagged = await liveCoverageForPage(db, month);
  expect(tagged.find((t) => t.id === themeId)?.coverage.covered).toBe(1);
  expect(tagged).toEqual(await liveCoverage(db, month));
});

it("the review queue's filter choices are fresh after a new unit and an item of a new month", async () => {
  const db = county.dbs.reader;
  const queue = (query = "") => listReviewQueue(db, new URLSearchParams(query));
  const first = await queue();
  expect((await queue()).choices.units).toBe(first.choices.units);
  const at = new Date().toISOString();
  const { id: unitId } = await county.dbs.db
    .insertInto("units")
    .values({ code: "C09", name: "新设的村小", township: "城关镇", kind_code: "district_school", created_at: at, updated_at: at })
    .returning("id")
    .executeTakeFirstOrThrow();
  const second = await queue();
  expect(second.choices.units.map((u) => u.name)).toContain("新设的村小");
  expect(first.choices.units.map((u) => u.name)).not.toContain("新设的村小");
  expect(second.choices.months).not.toContain("2024-02");
  await insertItem(county.dbs.db, { unitId, createdBy: county.ids.correspondentA, status: "submitted", reportMonth: "2024-02" });
  const third = await queue("unit=" + unitId);
  expect(third.choices.months).toContain("2024-02");
  // The new unit is a filter the queue now accepts.
  expect(third.filters.unit).toBe(unitId);
  expect(third.rows.map((r) => r.unit_id)).toEqual([unitId]);
});

it("what the pages share is read-only: a frozen cache freezes each value through and through, a plain one leaves it alone", async () => {
  const frozen = writeCache<{ rows: Array<{ n: number }> }>({ frozen: true });
  const plain = writeCache<{ rows: Array<{ n: number }> }>();
  for (const db of [county.dbs.reader, {}]) {
    const kept = await frozen.get(db, "k", async () => ({ rows: [{ n: 1 }] }));
    expect(Object.isFrozen(kept) && Object.isFrozen(kept.rows) && Object.isFrozen(kept.rows[0])).toBe(true);
    expect(() => kept.rows.push({ n: 2 })).toThrow(TypeError);
    const own = await plain.get(db, "k", async () => ({ rows: [{ n: 1 }] }));
    expect(Object.isFrozen(own)).toBe(false);
  }
  // The pages' own caches are frozen ones.
  const news = await listNews(county.dbs.reader, { page: 1 });
  expect(Object.isFrozen(news.rows)).toBe(true);
});

it("a county's month-end: every school's key stays kept, and a full cache lets go of the least recently used", async () => {
  const db = county.dbs.reader;
  // A kept result is the same object again; a computed one is new (CACHE_CHECK also computes on a hit to compare, but answers the kept one).
  const read = (cache: ReturnType<typeof writeCache<{ key: string }>>, key: string) => cache.get(db, key, async () => ({ key }), "none");

  // 150 schools' people ask in turn, twice: the second round gets each school's kept result.
  const perUnit = writeCache<{ key: string }>();
  const schools = Array.from({ length: 150 }, (_, i) => `unit-${i + 1}`);
  const first = await Promise.all(schools.map((key) => read(perUnit, key)));
  for (const [i, key] of schools.entries()) expect(await read(perUnit, key)).toBe(first[i]);

  // Full (3 keys): the one asked for longest ago goes, not the one just read, nor all of them.
  const small = writeCache<{ key: string }>({ limit: 3 });
  const kept = new Map<string, { key: string }>();
  for (const key of ["a", "b", "c"]) kept.set(key, await read(small, key));
  expect(await read(small, "a")).toBe(kept.get("a"));
  await read(small, "d"); // b, asked for longest ago, goes
  expect(await read(small, "a")).toBe(kept.get("a"));
  expect(await read(small, "c")).toBe(kept.get("c"));
  expect(await read(small, "b")).not.toBe(kept.get("b"));
});
