// 约稿 in the browser: the reviewer issues a 约稿 to three units (X01, X02, X03); X01 answers on
// time from "按此约稿撰稿" and the reviewer adopts it; X03's lead declines with a reason; the deadline
// is then moved into the past in the portal's database (as time passing would) and X02 answers late.
// The reviewer sees 按时完成 / 逾期 / 婉拒; each school sees its 约稿 points on its month receipt.
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabases } from "../../db/connect";
import { closeSession, screenshots, sessionAs, startPortalAndBrowser, stopPortalAndBrowser } from "./support/browser";
import type { Portal } from "./support/portal";
import { adoptAsGood, answerRequest, declineRequest, flash, passDeadlineAfter } from "./support/requests";

let portal: Portal;
let browser: Browser;
const shot = screenshots("requests");
const units: Record<string, { id: number; name: string }> = {};
const TOPIC = "防溺水安全教育专题";

const withDb = async <T,>(fn: (db: Awaited<ReturnType<typeof openDatabases>>["db"]) => Promise<T>): Promise<T> => {
  const dbs = await openDatabases({ filename: path.join(portal.dataDir, "portal.sqlite"), readers: 1 });
  try {
    return await fn(dbs.db);
  } finally {
    await dbs.close();
  }
};

beforeAll(async () => {
  // This journey moves deadlines and closes the month behind the portal's back (withDb), which no
  // cache of the portal can hear of: the cache check (CACHE_CHECK) would call that stale.
  ({ portal, browser } = await startPortalAndBrowser({ AUTO_REMINDERS: "0", CACHE_CHECK: "0" }));
  await withDb(async (db) => {
    for (const code of ["X01", "X02", "X03"]) {
      const u = await db.selectFrom("units").select(["id", "name"]).where("code", "=", code).executeTakeFirstOrThrow();
      units[code] = u;
    }
    // These units send straight to the bureau (the lead's sign-off is its own journey).
    await db.updateTable("units").set({ signoff_required: 0 }).where("code", "in", ["X01", "X02"]).execute();
  });
});
afterAll(() => stopPortalAndBrowser(portal, browser));

const tomorrow = () => new Date(Date.now() + 8 * 3_600_000 + 86_400_000).toISOString().slice(0, 10);
const today = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);

const BODY = "近日，学校开展防溺水安全教育活动，班主任逐一家访，发放《致家长的一封信》。\n\n活动覆盖全体学生。";
const answer = (page: Page, requestId: number, title: string) =>
  answerRequest(page, portal.url, requestId, { topic: TOPIC, title, body: BODY, eventDate: today() });
const adopt = (page: Page, itemId: number) => adoptAsGood(page, portal.url, itemId);

describe("a 约稿 to three units", () => {
  it("answered on time, late and declined; outcomes and points", async () => {
    const reviewer = await sessionAs(browser, portal.url, "reviewer");
    const r = reviewer.page;
    await r.goto(`${portal.url}/requests`);
    await r.getByRole("link", { name: "发出约稿" }).click();
    await r.getByLabel("约稿主题").fill(TOPIC);
    await r.getByLabel("约稿说明").fill("写清家访、告家长书等具体做法。");
    await r.getByLabel("截止日期").fill(tomorrow());
    await r.getByLabel("截止时间").fill("17:00");
    for (const code of ["X01", "X02", "X03"]) await r.getByLabel(units[code].name, { exact: true }).check();
    await shot(r, "1-new");
    await r.getByRole("button", { name: "发出约稿" }).click();
    await flash(r, "约稿已发出，已通知 3 个单位");
    const requestId = Number(new URL(r.url()).pathname.split("/")[2]);

    // X01 sees it on the home page with the time left, answers, and the reviewer adopts on time.
    const x01 = await sessionAs(browser, portal.url, "x01-c1");
    await x01.page.goto(`${portal.url}/`);
    const card = x01.page.locator("section", { has: x01.page.locator("#open-requests-title") });
    expect(await card.textContent()).toMatch(new RegExp(`${TOPIC}.*还剩`));
    const onTime = await answer(x01.page, requestId, "城关镇中心学校开展防溺水安全教育家访");
    await adopt(r, onTime);

    // X03's lead declines with a reason.
    const x03 = await sessionAs(browser, portal.url, "x03-lead");
    await declineRequest(x03.page, portal.url, requestId, "本校本月正在迎接督导评估，未开展此项活动");

    // The deadline passes: it moves to just after the last answer so far (X01's arrival, X03's decline).
    await withDb((db) => passDeadlineAfter(db, requestId, onTime, units.X03.id));
    await new Promise((resolve) => setTimeout(resolve, 20));
    const month = await withDb(async (db) => (await db.selectFrom("requests").select("month").where("id", "=", requestId).executeTakeFirstOrThrow()).month);

    // X02 answers late.
    const x02 = await sessionAs(browser, portal.url, "x02-c1");
    const late = await answer(x02.page, requestId, "柳河镇中心学校开展防溺水主题班会");
    await adopt(r, late);

    await r.goto(`${portal.url}/requests/${requestId}`);
    const table = r.locator("table");
    for (const [code, outcome] of [["X01", "按时完成"], ["X02", "逾期"], ["X03", "婉拒"]] as const) {
      expect(await table.locator("tr", { hasText: units[code].name }).textContent()).toContain(outcome);
    }
    expect(await table.textContent()).toContain("本校本月正在迎接督导评估，未开展此项活动");
    await shot(r, "2-outcomes");

    // Each school's month receipt names the rule and its points.
    for (const [s, line, points] of [[x01, "约稿按时完成 ×1", "+2"], [x02, "约稿未完成（逾期或未报送）×1", "−3"]] as const) {
      await s.page.goto(`${portal.url}/requests?month=${month}`);
      const receipt = s.page.locator("section", { has: s.page.locator("#month-receipt-title") });
      const row = receipt.locator("tr", { hasText: line });
      expect(await row.textContent()).toContain(points);
    }
    await shot(x01.page, "3-receipt");
    // Each page at a phone's and a desktop's width.
    for (const width of [390, 1280]) {
      for (const [s, url, name] of [
        [reviewer, "/requests", "list-bureau"], [reviewer, "/requests/new", "new"], [reviewer, `/requests/${requestId}`, "detail-bureau"],
        [x01, `/requests?month=${month}`, "list-school"], [x03, `/requests/${requestId}`, "detail-school"],
      ] as const) {
        await s.page.setViewportSize({ width, height: 900 });
        await s.page.goto(`${portal.url}${url}`);
        await shot(s.page, `${name}-${width}`);
      }
    }
    for (const s of [reviewer, x01, x02, x03]) await closeSession(s);
  });
});
