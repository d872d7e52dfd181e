// The year-end summary page as the server renders it: the document's markup (some 200 KB of HTML
// for a county's twelve months of every unit) comes from markup kept by what it shows — the same
// markup as rendering the document, for a reviewer's preview and for the published summary, each
// unit with its own marks.
import { renderToString } from "react-dom/server";
import { createStaticHandler, createStaticRouter, StaticRouterProvider } from "react-router-dom/server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { BulletinDocument } from "~/components/notice-document";
import { cachedMarkupSize } from "~/lib/markup-cache.server";
import SummaryPage from "~/routes/summary.$year";
import * as summaryPage from "~/routes/summary.$year";
import { bodyOf, call, type County, type UserKey } from "../support/app";
import { closeDemoCounty, DEMO_NOW, openDemoCountyAt } from "../support/demo";

let county: County;
beforeAll(async () => {
  vi.useFakeTimers({ toFake: ["Date"], now: DEMO_NOW });
  ({ county } = await openDemoCountyAt([]));
});
afterAll(async () => {
  vi.useRealTimers();
  await closeDemoCounty(county);
});

/** The route's loader data as `who`, and the page rendered from it on the server. */
async function page(year: string, who: UserKey) {
  const data = await bodyOf(await call(summaryPage.loader, county, { url: `/summary/${year}`, user: who, params: { year } }));
  const handler = createStaticHandler([{ id: "summary", path: "/summary/:year", loader: () => data, Component: SummaryPage }]);
  const context = await handler.query(new Request(`http://localhost/summary/${year}`));
  if (context instanceof Response) throw new Error(`unexpected response ${context.status}`);
  const html = renderToString(<StaticRouterProvider router={createStaticRouter(handler.dataRoutes, context)} context={context} hydrate={false} />);
  return { data, html };
}

describe("the year-end summary page", () => {
  it("renders a reviewer's preview of the year under way from kept markup, the document exactly as rendered", async () => {
    const year = String(DEMO_NOW.getUTCFullYear());
    const before = cachedMarkupSize();
    const first = await page(year, "reviewer");
    expect(first.data.page.state).toBe("preview");
    const document = renderToString(<BulletinDocument doc={first.data.page.doc} ownUnitId={null} />);
    expect(document.length).toBeGreaterThan(50_000);
    expect(first.html).toContain(`<div>${document}</div>`);
    expect(cachedMarkupSize()).toBe(before + 1);
    expect((await page(year, "reviewer")).html).toBe(first.html);
    expect(cachedMarkupSize()).toBe(before + 1);
  });

  it("renders the published summary from kept markup for each unit with its own marks", async () => {
    const year = String(DEMO_NOW.getUTCFullYear() - 1);
    const before = cachedMarkupSize();
    for (const who of ["leadA", "correspondentB", "correspondentA"] as const) {
      const { data, html } = await page(year, who);
      expect(data.page.state).toBe("notice");
      const document = renderToString(<BulletinDocument doc={data.page.notice.doc} ownUnitId={data.own.unitId} />);
      expect(html).toContain(`<div class="bulletin-main">${document}</div>`);
      expect(html).toContain('class="is-own"');
    }
    // Unit A's lead and correspondent share one entry; unit B has its own.
    expect(cachedMarkupSize()).toBe(before + 2);
  });
});
