// /requests is paged: on the demo county (a year of 约稿) every request appears on exactly one page,
// newest deadline first, for the bureau and for a school; a page past the end reads the last. The
// bureau's 完成情况 lists the outcomes in one order on every row, so rows can be read down a column.
import { afterAll, beforeAll, expect, it } from "vitest";
import { REQUEST_OUTCOMES } from "~/domain/requests";
import { REQUESTS_PAGE_SIZE } from "~/models/request-reads.server";
import * as list from "~/routes/requests._index";
import { bodyOf, call, type County, type UserKey } from "../support/app";
import { closeDemoCounty, openDemoCountyAt } from "../support/demo";

let county: County;
beforeAll(async () => {
  ({ county } = await openDemoCountyAt(["reviewer", "correspondentA"]));
});
afterAll(() => closeDemoCounty(county));

interface ListPage {
  list: { rows: Array<{ id: number; dueAt: string }>; total: number; page: number; pages: number };
}
const read = async (user: UserKey, query: string) => (await bodyOf(await call(list.loader, county, { url: `/requests${query}`, user }))) as ListPage;

async function everyPage(user: UserKey): Promise<Array<{ id: number; dueAt: string }>> {
  const first = await read(user, "");
  const rows = [...first.list.rows];
  for (let page = 2; page <= first.list.pages; page++) {
    const next = await read(user, `?page=${page}`);
    expect(next.list.page).toBe(page);
    expect(next.list.rows.length).toBeLessThanOrEqual(REQUESTS_PAGE_SIZE);
    rows.push(...next.list.rows);
  }
  expect(rows.length).toBe(first.list.total);
  return rows;
}

it("the bureau's pages hold every request once, newest deadline first", async () => {
  const expected = await county.dbs.db.selectFrom("requests").select(["id", "due_at"]).orderBy("due_at", "desc").orderBy("id", "desc").execute();
  expect(expected.length).toBeGreaterThan(REQUESTS_PAGE_SIZE);
  const first = await read("reviewer", "");
  expect(first.list.rows).toHaveLength(REQUESTS_PAGE_SIZE);
  expect(first.list.pages).toBe(Math.ceil(expected.length / REQUESTS_PAGE_SIZE));
  expect((await everyPage("reviewer")).map((r) => r.id)).toEqual(expected.map((r) => r.id));
  const past = await read("reviewer", "?page=999");
  expect(past.list.page).toBe(first.list.pages);
});

it("a school's pages hold exactly the requests addressed to its unit", async () => {
  const expected = await county.dbs.db
    .selectFrom("requests as r")
    .innerJoin("request_units as ru", "ru.request_id", "r.id")
    .where("ru.unit_id", "=", county.units.A)
    .select(["r.id"])
    .orderBy("r.due_at", "desc")
    .orderBy("r.id", "desc")
    .execute();
  expect(expected.length).toBeGreaterThan(0);
  expect((await everyPage("correspondentA")).map((r) => r.id)).toEqual(expected.map((r) => r.id));
});

it("lists each request's outcomes in the same order on every row of the bureau's list", async () => {
  const order = REQUEST_OUTCOMES.map((o) => o.code as string);
  const first = (await bodyOf(await call(list.loader, county, { url: "/requests", user: "reviewer" }))) as {
    list: { rows: Array<{ tally: Array<{ code: string; name: string; n: number }> }> };
  };
  const tallies = first.list.rows.map((r) => r.tally.map((t) => t.code));
  // The demo's first page has rows of three and four outcomes, in whatever order its units came.
  expect(tallies.filter((codes) => codes.length >= 3).length).toBeGreaterThan(3);
  for (const codes of tallies) expect(codes).toEqual([...codes].sort((a, b) => order.indexOf(a) - order.indexOf(b)));
});
