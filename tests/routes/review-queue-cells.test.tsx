// The review queue on a desktop: the short values (单位, 单位类别, 栏目, 报送月份, 报送时间) stay on one line
// in their cells, so a month does not read "2026年11 / 月", a category "政策解 / 读" or a unit "龙泉镇中心幼儿 / 园"
// beside a long title.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as reviewQueue from "~/routes/review._index";
import { bodyOf, call, setupCounty, type County } from "../support/app";
import { hoursAgo, insertItem } from "../support/item-fixtures";
import { renderAfterPost } from "../support/render-page";

let county: County;
beforeAll(async () => {
  county = await setupCounty();
  await county.cookieFor("reviewer");
  await insertItem(county.dbs.db, {
    unitId: county.units.A, createdBy: county.ids.correspondentA, title: "城关镇中心学校开展冬季消防安全疏散演练暨安全教育主题活动",
    category: "政策解读", reportMonth: "2026-11", firstSubmittedAt: hoursAgo(30),
  });
});
afterAll(() => county.dbs.dispose());

describe("review queue cells", () => {
  it("marks the unit, kind, category, month and time cells to stay on one line, and the title cell not", async () => {
    const loaderData = await bodyOf(await call(reviewQueue.loader, county, { url: "/review", user: "reviewer" }));
    const html = await renderAfterPost(reviewQueue.default, { url: "/review", loaderData, actionData: {} });
    const cellClass = (label: string) => new RegExp(`<td data-label="${label}"(?: class="([^"]*)")?`).exec(html)?.[1] ?? "";
    for (const label of ["单位", "单位类别", "栏目", "报送月份", "报送时间"]) expect(cellClass(label).split(" "), label).toContain("cell-nowrap");
    expect(cellClass("标题")).not.toContain("cell-nowrap");
    expect(html).toContain("2026年11月");
  });
});
