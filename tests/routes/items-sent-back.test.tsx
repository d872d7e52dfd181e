// A draft sent back with a reason — returned by the bureau, or sent back by the unit's lead — is
// marked 退回修改 beside 草稿 on the unit's list of items and on its home page, so the correspondent
// finds what waits to be changed among drafts never sent; a draft never sent is not marked.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as home from "~/routes/_index";
import * as itemPage from "~/routes/items.$id";
import * as listPage from "~/routes/items._index";
import * as reviewItem from "~/routes/review.$id";
import { bodyOf, call, setupCounty, type County } from "../support/app";
import { insertItem } from "../support/item-fixtures";
import { renderPage } from "../support/render-page";

let county: County;
const version = async (id: number) =>
  (await county.dbs.db.selectFrom("items").select("version").where("id", "=", id).executeTakeFirstOrThrow()).version;

beforeAll(async () => {
  county = await setupCounty();
  const unitId = county.units.A;
  const createdBy = county.ids.correspondentA;
  await insertItem(county.dbs.db, { unitId, createdBy, title: "从未报送的草稿", status: "draft" });
  const returned = await insertItem(county.dbs.db, { unitId, createdBy, title: "教体局退回的稿件", status: "submitted" });
  const sentBack = await insertItem(county.dbs.db, { unitId, createdBy, title: "校内退回的稿件", status: "pending_school" });
  const answers = [
    await call(reviewItem.action, county, {
      url: `/review/${returned}`, user: "reviewer", params: { id: String(returned) },
      body: { intent: "return", version: String(await version(returned)), reason: "请补充活动成效" },
    }),
    await call(itemPage.action, county, {
      url: `/items/${sentBack}`, user: "leadA", params: { id: String(sentBack) },
      body: { intent: "send_back", version: String(await version(sentBack)), reason: "标题过长" },
    }),
  ];
  for (const answer of answers) expect(answer.status).toBe(302);
}, 60_000);
afterAll(() => county.dbs.dispose());

/** The row of `title` on a rendered page: from its title to the end of its row. */
const rowOf = (html: string, title: string) => {
  const start = html.indexOf(title);
  expect(start, title).toBeGreaterThan(-1);
  return html.slice(start, html.indexOf("</tr>", start));
};

describe("a draft sent back for changes", () => {
  it("is marked 退回修改 on the unit's list, whoever sent it back; a draft never sent is not", async () => {
    const html = await renderPage(listPage.default, await bodyOf(await call(listPage.loader, county, { url: "/items?status=draft", user: "correspondentA" })));
    expect(rowOf(html, "教体局退回的稿件")).toContain("退回修改");
    expect(rowOf(html, "校内退回的稿件")).toContain("退回修改");
    expect(rowOf(html, "从未报送的草稿")).not.toContain("退回修改");
  });

  it("is marked on the home page's recent items too", async () => {
    const html = await renderPage(home.default, await bodyOf(await call(home.loader, county, { url: "/", user: "correspondentA" })));
    expect(rowOf(html, "教体局退回的稿件")).toContain("退回修改");
    expect(rowOf(html, "校内退回的稿件")).toContain("退回修改");
    expect(rowOf(html, "从未报送的草稿")).not.toContain("退回修改");
  });
});
