// The reviewer's home lists the units likely to fall short of the month's quota a page at a time,
// the furthest behind first: a province has thousands (the whole list made the page 11 MB), and
// each page carries only its own units' reminders.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reviewerDashboard } from "~/models/dashboard.server";
import { lastRemindersThisMonth, sendManualReminder } from "~/models/reminders.server";
import * as home from "~/routes/_index";
import { bodyOf, call, type County } from "../support/app";
import { closeDemoCounty, DEMO_NOW, openDemoCountyAt } from "../support/demo";
import { renderPage } from "../support/render-page";

let county: County;
beforeAll(async () => {
  ({ county } = await openDemoCountyAt(["reviewer"]));
  // Twelve more schools that have sent nothing this month: more units at risk than one page holds.
  await county.dbs.db
    .insertInto("units")
    .values(Array.from({ length: 12 }, (_, i) => ({
      code: `z${String(i + 1).padStart(2, "0")}`, name: `新建第${i + 1}中心学校`, township: "新区", kind_code: "township_central",
      created_at: "2026-01-01T00:00:00.000Z", updated_at: "2026-01-01T00:00:00.000Z",
    })))
    .execute();
});
afterAll(async () => closeDemoCounty(county));

/** Markup without the comments React puts between adjacent pieces of text. */
const text = (html: string) => html.replaceAll("<!-- -->", "");
const page = async (query = "") => bodyOf(await call(home.loader, county, { url: `/${query}`, user: "reviewer" }));

describe("可能完不成本月任务的单位", () => {
  it("come 20 to a page in the dashboard's order, every unit on exactly one page", async () => {
    const all = (await reviewerDashboard(county.dbs.reader, DEMO_NOW)).atRisk.map((u) => u.unitId);
    expect(all.length).toBeGreaterThan(20);
    const first = await page();
    expect(first.dashboard.atRisk).toBeUndefined();
    expect(first.atRisk).toMatchObject({ total: all.length, pages: Math.ceil(all.length / 20), page: 1 });
    const seen: number[] = [];
    for (let n = 1; n <= first.atRisk.pages; n++) {
      const { atRisk } = n === 1 ? first : await page(`?page=${n}`);
      expect(atRisk.rows.length).toBe(Math.min(20, all.length - (n - 1) * 20));
      seen.push(...atRisk.rows.map((u: { unitId: number }) => u.unitId));
    }
    expect(seen).toEqual(all);
    // Past the last page: no rows, and the page says where the list ends.
    const beyond = await page(`?page=${first.atRisk.pages + 1}`);
    expect(beyond.atRisk.rows).toEqual([]);
    expect(text(await renderPage(home.default, beyond))).toContain(`没有第 ${first.atRisk.pages + 1} 页：共 ${all.length} 条，只有 ${first.atRisk.pages} 页。`);
  });

  it("carries the reminders of the page's own units only, and the 催报 button comes back to the same page", async () => {
    const first = await page();
    const second = await page("?page=2");
    const onFirst = first.atRisk.rows[0].unitId as number;
    const onSecond = second.atRisk.rows[0].unitId as number;
    for (const unitId of [onFirst, onSecond]) {
      const sent = await sendManualReminder(county.dbs.db, { unitId, reason: "" }, { id: county.ids.reviewer, username: "reviewer", ip: "127.0.0.1" }, DEMO_NOW);
      expect(sent.ok).toBe(true);
    }
    expect(Object.keys(await lastRemindersThisMonth(county.dbs.reader, DEMO_NOW)).length).toBeGreaterThan(1);
    const again = await page("?page=2");
    expect(Object.keys(again.reminded).map(Number)).toEqual([onSecond]);
    const html = text(await renderPage(home.default, again));
    expect(html).toContain('name="redirect_to" value="/?page=2"');
    expect(html).toContain(`共 ${again.atRisk.total} 条 · 第 2/${again.atRisk.pages} 页`);
  });
});
