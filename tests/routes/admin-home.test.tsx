// The admin's home lists the latest entries of the operations log naming each person as the log
// does, "系统管理员（admin）", not by the bare username. Through the page's loader and the page.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as home from "~/routes/_index";
import { bodyOf, call, setupCounty, type County } from "../support/app";
import { renderPage } from "../support/render-page";

let county: County;
beforeAll(async () => {
  county = await setupCounty();
  for (const user of ["admin", "correspondentA"] as const) await county.cookieFor(user);
});
afterAll(() => county.dbs.dispose());

describe("the admin's 最近操作", () => {
  it("names each person by name and username, as the operations log", async () => {
    const data = await bodyOf(await call(home.loader, county, { url: "/", user: "admin" }));
    const html = await renderPage(home.default, data);
    expect(html).toContain("最近操作");
    expect(html).toContain("<td data-label=\"操作人\">系统管理员（admin）</td>");
    expect(html).toContain("<td data-label=\"操作人\">张晓梅（a-c1）</td>");
    expect(html).not.toContain("<td data-label=\"操作人\">admin</td>");
  });
});
