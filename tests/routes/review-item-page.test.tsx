// The review page's 稿件信息 names whose returns it counts: a school lead's send-back shows in the
// trail but is not one of the bureau's returns, so the count says 教体局退回次数, not a bare 退回次数
// that reads 0 beside a return in the trail; its 上稿 and 批示 date pickers start at the item's event.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as reviewItem from "~/routes/review.$id";
import { bodyOf, call, setupCounty, type County } from "../support/app";
import { hoursAgo, insertItem } from "../support/item-fixtures";
import { renderAfterPost } from "../support/render-page";

let county: County;
let id = 0;
beforeAll(async () => {
  county = await setupCounty();
  await county.cookieFor("reviewer");
  id = await insertItem(county.dbs.db, { unitId: county.units.A, createdBy: county.ids.correspondentA, firstSubmittedAt: hoursAgo(3) });
});
afterAll(() => county.dbs.dispose());

describe("the review page's 上稿 and 批示 forms", () => {
  it("offer no date before the item's event in the browser's date picker", async () => {
    const adopted = await insertItem(county.dbs.db, {
      unitId: county.units.A, createdBy: county.ids.correspondentA, status: "adopted", eventDate: "2026-03-05", firstSubmittedAt: hoursAgo(30),
    });
    const url = `/review/${adopted}`;
    const loaderData = await bodyOf(await call(reviewItem.loader, county, { url, user: "reviewer", params: { id: String(adopted) } }));
    const html = await renderAfterPost(reviewItem.default, { url, loaderData, actionData: {} });
    expect(html).toMatch(/<input type="date" min="2026-03-05" max="[0-9-]{10}"[^>]*name="picked_on"/);
    expect(html).toMatch(/<input type="date" min="2026-03-05" max="[0-9-]{10}"[^>]*name="instructed_on"/);
  });
});

describe("the review page's item facts", () => {
  it("labels the return count as the bureau's", async () => {
    const url = `/review/${id}`;
    const loaderData = await bodyOf(await call(reviewItem.loader, county, { url, user: "reviewer", params: { id: String(id) } }));
    const html = await renderAfterPost(reviewItem.default, { url, loaderData, actionData: {} });
    expect(html).toContain("<dt>教体局退回次数</dt>");
    expect(html).not.toContain("<dt>退回次数</dt>");
  });
});
