// The lead's 待签发 tab with nothing waiting says what belongs there (items the correspondents send,
// with a notification to the lead), not the filter's "没有符合条件的稿件"; any other empty view keeps
// that. Through the page's loader and the page rendered from it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderPage } from "../support/render-page";
import * as listPage from "~/routes/items._index";
import { bodyOf, call, setupCounty, type County, type UserKey } from "../support/app";

let county: County;

beforeAll(async () => {
  county = await setupCounty();
  await county.dbs.db.updateTable("items").set({ status: "draft" }).where("status", "=", "pending_school").execute();
}, 60_000);
afterAll(() => county.dbs.dispose());

async function html(user: UserKey, query: string): Promise<string> {
  const data = await bodyOf(await call(listPage.loader, county, { url: `/items${query}`, user }));
  expect(data.list.total).toBe(0);
  return renderPage(listPage.default, data);
}

describe("an empty list of the unit's items", () => {
  it("on the lead's 待签发 tab says nothing is waiting and when something will be", async () => {
    const body = await html("leadA", "?status=pending_school");
    expect(body).toContain("没有等待签发的稿件。信息员报送后，稿件会出现在这里，并通知您签发。");
    expect(body).not.toContain("没有符合条件的稿件");
  });

  it("narrowed further, or for the correspondent, says no item matches", async () => {
    expect(await html("leadA", "?status=pending_school&q=%E4%B8%8D%E5%AD%98%E5%9C%A8%E7%9A%84%E8%AF%8D")).toContain("没有符合条件的稿件。");
    expect(await html("correspondentA", "?status=pending_school")).toContain("没有符合条件的稿件。");
  });
});
