// The 约稿 pages as the server renders them from their own loaders' data. The school's view of a 约稿
// it has not yet answered says in words under "本单位按此约稿撰写的稿件" that there is none yet and how
// to start one, not a lone dash; the list names the month a 约稿 counts in as the request's page does
// ("计入月份"), not as a month's closing.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderPage } from "../support/render-page";
import * as listPage from "~/routes/requests._index";
import * as newPage from "~/routes/requests.new";
import * as page from "~/routes/requests.$id";
import { bodyOf, call, setupCounty, type County, type UserKey } from "../support/app";

let county: County;
let id = 0;

beforeAll(async () => {
  county = await setupCounty();
  const due = new Date(Date.now() + 3 * 86_400_000 + 8 * 3_600_000).toISOString().slice(0, 10);
  const created = await call(newPage.action, county, {
    url: "/requests/new", user: "reviewer", body: { topic: "防溺水安全教育", due_date: due, due_time: "17:00", unit_ids: String(county.units.A) },
  });
  id = Number(/\/requests\/(\d+)/.exec(created.headers.get("Location") ?? "")?.[1]);
}, 60_000);
afterAll(() => county.dbs.dispose());

async function html(user: UserKey, route: { loader: typeof page.loader; default: () => JSX.Element } = page, url = `/requests/${id}`): Promise<string> {
  const data = await bodyOf(await call(route.loader, county, { url, user, params: { id: String(id) } }));
  return renderPage(route.default, data);
}

describe("a 约稿 with no item yet, as the school sees it", () => {
  it("tells the correspondent there is none yet and how to write one", async () => {
    const body = await html("correspondentA");
    expect(id).toBeGreaterThan(0);
    expect(body).toContain("还没有按此约稿撰写的稿件。");
    expect(body).toContain("按此约稿撰稿”开始写");
    expect(body).not.toMatch(/按此约稿撰写的稿件<\/h2><span class="muted">—<\/span>/);
  });

  it("tells the lead, who does not write, only that there is none yet", async () => {
    const body = await html("leadA");
    expect(body).toContain("还没有按此约稿撰写的稿件。");
    expect(body).not.toContain("开始写");
  });
});

describe("the month a 约稿 counts in", () => {
  it.each(["reviewer", "correspondentA"] as const)("is 计入月份 on the list and on the page, for %s", async (user) => {
    for (const body of [await html(user, listPage as never, "/requests"), await html(user)]) {
      expect(body).toContain("计入月份");
      expect(body).not.toContain("结算月份");
    }
  });
});
