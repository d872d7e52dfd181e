// On a phone, links that stand alone on a line — the pager's 下一页, a published notice's or
// bulletin's 下载 Word, the register's years — are tall enough for a finger (44 px), not a 21 px
// strip of text; so is each unit's line of the new-request form, whose time field looks like its
// date field; the admin's edit links (a finger's width too), jump links, checkboxes, buttons and fields too,
// the league's period picker, the grades' and bylines' boxes; links alone on their line (查看本月排行榜 →, a page's
// 返回…, a form's 取消, a filter bar's 清除) too; a filter bar's search hint is read whole; the
// reviewer's figures do not touch the card below them; the page's own tab is scrolled into view. On a desktop the
// admin's tabs wrap rather than run off the edge.
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeSession, sessionAs, startPortalAndBrowser, stopPortalAndBrowser } from "./support/browser";
import type { Portal } from "./support/portal";

let portal: Portal;
let browser: Browser;
beforeAll(async () => {
  ({ portal, browser } = await startPortalAndBrowser());
}, 180_000);
afterAll(() => stopPortalAndBrowser(portal, browser));

const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };

/** The first element `selector` finds on `path`, seen on a phone by `who` (null: nobody signed in), is a finger's height. */
async function expectTappable(who: string | null, path: string, selector: string) {
  const session = await sessionAs(browser, portal.url, who, PHONE);
  await session.page.goto(`${portal.url}${path}`);
  const box = await session.page.locator(selector).first().boundingBox();
  expect(box, selector).not.toBeNull();
  expect(box!.height).toBeGreaterThanOrEqual(44);
  await closeSession(session);
}

describe("tap targets on a phone", () => {
  it.each([
    ["/news", 'nav.pager a:has-text("下一页")'],
    ["/notices", 'a[href$=".docx"]'],
    ["/bulletins", 'a[href$=".docx"]'],
  ])("%s: %s is at least 44 px tall", (path, selector) => expectTappable(null, path, selector));
});

describe("small buttons and disclosures on a phone", () => {
  it.each([
    [null, "/", ".site-header .button--small"],
    ["x01-c1", "/notifications", "form.notice__actions button"],
    ["reviewer", "/months", "details.reopen > summary"],
    ["reviewer", "/months", 'a[href^="/months/2"].tap-target'],
    ["reviewer", "/months", 'a[href^="/review?month="]'],
    ["x01-lead", "/register", 'main table a[href^="tel:"]'],
    ["reviewer", "/themes", 'main a:has-text("下月")'],
    ["reviewer", "/themes", 'main a[aria-label^="修改或删除"]'],
    ["x01-c1", "/rankings", "select#rank-period"],
    ["x01-c1", "/items/new", ".choice-list .check-option"],
  ] as const)("%s on %s: %s is at least 44 px tall", (who, path, selector) => expectTappable(who, path, selector));
});

describe("links standing alone on their line on a phone", () => {
  it.each([
    [null, "/", 'main a:has-text("查看全部信息")'],
    [null, "/", 'main a:has-text("查看全部通报")'],
    ["x01-c1", "/", 'main a:has-text("查看本月排行榜")'],
    ["x01-c1", "/", 'main a:has-text("查看本单位全部稿件")'],
    ["reviewer", "/", 'main a:has-text("全部申诉")'],
    ["reviewer", "/", 'main a:has-text("催报记录")'],
    ["x01-c1", "/items/new", 'main .button-row a:has-text("取消")'],
    ["x01-lead", "/items?status=pending_school", 'form.filters a:has-text("清除")'],
    ["admin", "/admin/units/1", 'main .page-head > a:has-text("返回单位列表")'],
    ["admin", "/admin/units/1", 'main .page-head > a:has-text("为本单位新建账号")'],
    ["reviewer", "/requests/new", 'main .page-head > a:has-text("返回约稿列表")'],
  ] as const)("%s on %s: %s is at least 44 px tall", (who, path, selector) => expectTappable(who, path, selector));

  it("the way back from an item of the unit to its list", async () => {
    const session = await sessionAs(browser, portal.url, "x01-c1", PHONE);
    const { page } = session;
    await page.goto(`${portal.url}/items`);
    const item = await page.locator('main table.data a[href^="/items/"]').first().getAttribute("href");
    await page.goto(`${portal.url}${item}`);
    expect((await page.locator("main .back-link > a").boundingBox())!.height).toBeGreaterThanOrEqual(44);
    await closeSession(session);
  });
});

describe("the tabs on a phone", () => {
  it.each([
    ["admin", "/admin/settings", "系统设置"],
    ["admin", "/admin/audit", "操作日志"],
    ["reviewer", "/bulletins", "简报"],
    ["x01-c1", "/news", "信息公开"],
  ] as const)("%s on %s: the page's own tab, %s, is scrolled into the row, not left off the screen", async (who, path, tab) => {
    const session = await sessionAs(browser, portal.url, who, PHONE);
    await session.page.goto(`${portal.url}${path}`);
    const own = session.page.locator('nav.main-nav a[aria-current="page"]');
    expect(((await own.textContent()) ?? "").trim()).toBe(tab);
    // Scrolled once the page's script runs.
    await expect.poll(async () => (await own.boundingBox())!.x + (await own.boundingBox())!.width).toBeLessThanOrEqual(390);
    expect((await own.boundingBox())!.x).toBeGreaterThanOrEqual(0);
    await closeSession(session);
  });
});

describe("the admin's pages on a phone", () => {
  it.each([
    ["/admin/accounts", 'main a[href^="/admin/accounts/"][aria-label^="编辑"]'],
    ["/admin/units", 'main a[href^="/admin/units/"][aria-label^="编辑"]'],
    ["/admin/words", 'main a[aria-label^="修改或删除"]'],
    ["/admin/settings", "nav.section-links a"],
    ["/admin/rules", "nav.section-links a"],
    ["/admin/settings", "label.radio"],
    ["/admin/units/new", 'label:has(input[name="signoff_required"])'],
    ["/admin/import", 'label:has(input[name="kind"])'],
    ["/admin/import", 'main form button[type="submit"]'],
    ["/admin/accounts/new", 'input[name="username"]'],
  ])("%s: %s is at least 44 px tall", (path, selector) => expectTappable("admin", path, selector));
});

describe("the tables' short links on a phone", () => {
  it.each([
    ["/admin/accounts", 'main a[href^="/admin/accounts/"][aria-label^="编辑"]'],
    ["/admin/units", 'main a[href^="/admin/units/"][aria-label^="编辑"]'],
    ["/admin/words", 'main a[aria-label^="修改或删除"]'],
  ])("%s: %s is a finger's width as well as its height", async (path, selector) => {
    const session = await sessionAs(browser, portal.url, "admin", PHONE);
    await session.page.goto(`${portal.url}${path}`);
    const box = (await session.page.locator(selector).first().boundingBox())!;
    expect(box.width).toBeGreaterThanOrEqual(44);
    expect(box.height).toBeGreaterThanOrEqual(44);
    await closeSession(session);
  });
});

describe("the filter bars' search boxes on a phone", () => {
  it.each([
    ["admin", "/admin/accounts"],
    ["admin", "/admin/units"],
    ["admin", "/admin/words"],
    ["admin", "/admin/audit"],
    ["x01-c1", "/items"],
    ["reviewer", "/review"],
    [null, "/news"],
  ] as const)("%s on %s: the search box's hint is shown whole, not cut off", async (who, path) => {
    const session = await sessionAs(browser, portal.url, who, PHONE);
    await session.page.goto(`${portal.url}${path}`);
    // The hint typed in as text: the box scrolls sideways exactly when its hint does not fit (Chromium keeps
    // room for the search box's clear button either way, so a measure of the text alone would pass).
    const { placeholder, overflow } = await session.page.locator('form.filters input[type="search"]').first().evaluate((input: HTMLInputElement) => {
      input.value = input.placeholder;
      const wider = input.scrollWidth - input.clientWidth;
      input.value = "";
      return { placeholder: input.placeholder, overflow: wider };
    });
    expect(placeholder.length).toBeGreaterThan(0);
    expect(overflow, placeholder).toBeLessThanOrEqual(0);
    await closeSession(session);
  });
});

describe("the review decision on a phone", () => {
  it("makes each grade's box a finger's height", async () => {
    const session = await sessionAs(browser, portal.url, "reviewer", PHONE);
    await session.page.goto(`${portal.url}/review`);
    const first = await session.page.locator('main a[href^="/review/"]').first().getAttribute("href");
    await session.page.goto(`${portal.url}${first}`);
    const boxes = await session.page.locator(".choice-row .choice").evaluateAll((labels) => labels.map((l) => l.getBoundingClientRect().height));
    expect(boxes.length).toBe(3);
    for (const height of boxes) expect(height).toBeGreaterThanOrEqual(44);
    await closeSession(session);
  });
});

describe("the tabs on a desktop", () => {
  it("shows every one of the admin's tabs inside the window, none cut off at the right", async () => {
    const session = await sessionAs(browser, portal.url, "admin", { viewport: { width: 1280, height: 900 } });
    await session.page.goto(`${portal.url}/`);
    const { edge, tabs } = await session.page.locator("nav.main-nav ul").evaluate((ul) => ({
      edge: ul.getBoundingClientRect().right,
      tabs: [...ul.querySelectorAll("a")].map((a) => [a.textContent ?? "", a.getBoundingClientRect().right] as const),
    }));
    expect(tabs.length).toBeGreaterThan(10);
    for (const [name, right] of tabs) expect(right, name).toBeLessThanOrEqual(edge + 0.5);
    await closeSession(session);
  });

  it("keeps each time and action of the operations log on one line", async () => {
    const session = await sessionAs(browser, portal.url, "admin", { viewport: { width: 1280, height: 900 } });
    await session.page.goto(`${portal.url}/admin/audit`);
    const lines = await session.page.locator('main table.data td[data-label="时间"], main table.data td[data-label="操作"]').evaluateAll((cells) =>
      cells.slice(0, 40).map((td) => {
        const range = document.createRange();
        range.selectNodeContents(td);
        return [td.textContent ?? "", new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size] as const;
      }));
    expect(lines.length).toBeGreaterThan(10);
    for (const [text, rows] of lines) expect(rows, text).toBe(1);
    await closeSession(session);
  });
});

describe("the reviewer's home on a phone", () => {
  it("leaves a gap between the figures and the appeals card below them", async () => {
    const session = await sessionAs(browser, portal.url, "reviewer", PHONE);
    await session.page.goto(`${portal.url}/`);
    const grid = await session.page.locator("main .grid").first().boundingBox();
    const card = await session.page.locator('section[aria-labelledby="open-appeals-title"]').boundingBox();
    expect(card!.y - (grid!.y + grid!.height)).toBeGreaterThanOrEqual(8);
    await closeSession(session);
  });
});

describe("the 报送要点 cards", () => {
  it("start with the theme's title at the card's padding, not a blank line above it", async () => {
    const session = await sessionAs(browser, portal.url, "reviewer", PHONE);
    await session.page.goto(`${portal.url}/themes`);
    const card = (await session.page.locator("article.theme-coverage__item").first().boundingBox())!;
    const title = (await session.page.locator("article.theme-coverage__item > h3").first().boundingBox())!;
    expect(title.y - card.y).toBeLessThanOrEqual(20);
    await closeSession(session);
  });
});

describe("the register on a phone", () => {
  it("makes the year links a finger's height", async () => {
    const session = await sessionAs(browser, portal.url, "reviewer", PHONE);
    await session.page.goto(`${portal.url}/register`);
    const box = await session.page.locator("nav.year-nav a").first().boundingBox();
    expect(box!.height).toBeGreaterThanOrEqual(44);
    await closeSession(session);
  });
});

describe("the new-request form on a phone", () => {
  it("styles the deadline's time like the date, gives each unit a full-height line, and shows the units' message in red", async () => {
    const session = await sessionAs(browser, portal.url, "reviewer", PHONE);
    const { page } = session;
    await page.goto(`${portal.url}/requests/new`);
    const height = async (selector: string) => (await page.locator(selector).first().boundingBox())!.height;
    expect(await height('input[name="due_time"]')).toBe(await height('input[name="due_date"]'));
    expect(await height('.request-units label')).toBeGreaterThanOrEqual(44);
    await page.fill('input[name="topic"]', "冬季安全专题");
    await Promise.all([page.waitForResponse((r) => r.request().method() === "POST"), page.click('main form button[type="submit"]')]);
    const message = page.locator("#request-unit_ids-error");
    await expect.poll(() => message.textContent()).toBe("请至少选择一个约稿单位");
    // --err (#b3261e), as every other field's message.
    expect(await message.evaluate((el) => getComputedStyle(el).color)).toBe("rgb(179, 38, 30)");
    await closeSession(session, [/status of 400/]);
  });
});
