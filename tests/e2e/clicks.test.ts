// Fewer clicks, in the browser: one decision on several ticked rows of the review queue (without
// JavaScript), the item form's 迟报 warning following the date, the anonymous home's news, a
// refused form taking the person on a phone to what needs changing, and a refused save no longer
// under the green message of the save before it.
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startPortalAndBrowser, stopPortalAndBrowser } from "./support/browser";
import { newPage, signIn, type Portal } from "./support/portal";

let portal: Portal;
let browser: Browser;

const daysAgo = (n: number) =>
  new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Shanghai", year: "numeric", month: "2-digit", day: "2-digit" }).format(
    new Date(Date.now() - n * 86_400_000),
  );

beforeAll(async () => {
  ({ portal, browser } = await startPortalAndBrowser());
});
afterAll(() => stopPortalAndBrowser(portal, browser));

it("the reviewer adopts two ticked rows of the queue with one grade, without JavaScript", async () => {
  const { context, page } = await newPage(browser, { javaScriptEnabled: false });
  await signIn(page, portal.url, "reviewer");
  await page.goto(`${portal.url}/review`);
  const boxes = page.locator('input[type="checkbox"][name="ids"]');
  expect(await boxes.count()).toBeGreaterThanOrEqual(2);
  const titles = await page.locator("table.data tbody tr").evaluateAll((rows) =>
    rows.slice(0, 2).map((r) => r.querySelector(".queue-title a")?.textContent ?? ""),
  );
  const waitingBefore = Number(await page.locator(".waiting-total strong").textContent());
  await boxes.nth(0).check();
  await boxes.nth(1).check();
  await page.selectOption('select[name="grade"]', "good");
  await Promise.all([page.waitForLoadState("load"), page.click('button[name="intent"][value="bulk_adopt"]')]);
  await page.locator(".flash--success", { hasText: "已采用（良） 2 篇稿件。" }).waitFor();
  expect(Number(await page.locator(".waiting-total strong").textContent())).toBe(waitingBefore - 2);
  const shown = await page.locator(".queue-title a").allTextContents();
  for (const title of titles) expect(shown).not.toContain(title);
  await context.close();
});

it("the item form warns when the event date is already past the 迟报 limit, as the date changes", async () => {
  const { context, page, problems } = await newPage(browser);
  await signIn(page, portal.url, "x01-c1");
  await page.goto(`${portal.url}/items/new`);
  const warning = page.locator(".late-warning");
  expect(((await warning.textContent()) ?? "").trim()).toBe("");
  await page.fill("#event_date", daysAgo(20));
  await warning.filter({ hasText: "将记为迟报" }).waitFor();
  expect(await warning.textContent()).toMatch(/^事件已过去 20 天，超过 \d+ 天的报送时限：现在报送到教体局将记为迟报。$/);
  await page.fill("#event_date", daysAgo(1));
  await page.waitForFunction(() => (document.querySelector(".late-warning")?.textContent ?? "") === "");
  expect(problems).toEqual([]);
  await context.close();
});

it("an anonymous visitor's home lists the latest adopted news, each opening its page", async () => {
  const { context, page } = await newPage(browser);
  await page.goto(`${portal.url}/`);
  const links = page.locator('section[aria-labelledby="latest-news-title"] li a');
  expect(await links.count()).toBeGreaterThan(0);
  const first = (await links.first().textContent()) ?? "";
  await Promise.all([page.waitForURL(/\/news\/\d+$/), links.first().click()]);
  // The address changes before the news page has rendered: wait for its heading.
  const heading = page.locator("h1", { hasText: first.slice(0, 10) });
  await heading.first().waitFor();
  expect(await page.locator("h1").first().textContent()).toContain(first.slice(0, 10));
  await context.close();
});

/** A phone's screen. */
const PHONE = { viewport: { width: 390, height: 700 }, isMobile: true, hasTouch: true };

/** Scrolls to the bottom of the page, where the person taps the button; the top is then out of view. */
async function scrollToBottom(page: import("playwright-core").Page) {
  const y = await page.evaluate(() => {
    window.scrollTo(0, document.documentElement.scrollHeight);
    return window.scrollY;
  });
  expect(y).toBeGreaterThan(PHONE.viewport.height);
}

/** What has the focus, and whether it is on screen. */
function focused(page: import("playwright-core").Page) {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement;
    const box = el.getBoundingClientRect();
    return { tag: el.tagName.toLowerCase(), id: el.id, className: el.className, text: el.textContent ?? "", onScreen: box.top >= 0 && box.bottom <= window.innerHeight };
  });
}

it("on a phone, 报送 of an empty new item takes the correspondent to the message at the top, which says to change and 报送 again", async () => {
  const { context, page, problems } = await newPage(browser, PHONE);
  await signIn(page, portal.url, "x01-c1");
  await page.goto(`${portal.url}/items/new`);
  await page.getByRole("button", { name: "报送", exact: true }).waitFor();
  await scrollToBottom(page);
  await page.getByRole("button", { name: "报送", exact: true }).click();
  await page.locator(".form-error", { hasText: "请按提示修改后再报送。" }).waitFor();
  await page.waitForFunction(() => document.activeElement?.classList.contains("form-error"));
  expect(await focused(page)).toMatchObject({ tag: "p", text: "请按提示修改后再报送。", onScreen: true });
  expect(new URL(page.url()).pathname).toBe("/items/new");
  // The refusal itself is a 400 answer, which the browser notes in its console.
  expect(problems.filter((p) => !/status of 400/.test(p))).toEqual([]);
  await context.close();
});

it("on a phone, a refused quota override far down the rules page focuses its first invalid field, on screen", async () => {
  const { context, page, problems } = await newPage(browser, PHONE);
  await signIn(page, portal.url, "admin");
  await page.goto(`${portal.url}/admin/rules`);
  const form = page.locator("form", { has: page.locator("#override-quota") });
  await form.locator('select[name="unit_id"]').selectOption({ index: 1 });
  await form.locator("#override-quota").fill("9999");
  await scrollToBottom(page);
  await form.getByRole("button", { name: "设置", exact: true }).click();
  await page.locator("#override-reason-error").waitFor();
  await page.waitForFunction(() => document.activeElement?.id === "override-quota");
  expect(await focused(page)).toMatchObject({ tag: "input", id: "override-quota", onScreen: true });
  expect(await page.locator("#override-quota-error").textContent()).toBe("月度任务数应为 0 到 999 之间的整数");
  expect(await page.locator("#override-reason-error").textContent()).toBe("请填写设置理由");
  // The refusal itself is a 400 answer, which the browser notes in its console.
  expect(problems.filter((p) => !/status of 400/.test(p))).toEqual([]);
  await context.close();
});

it("a refused save is not shown under the green message of the save before it", async () => {
  const { context, page, problems } = await newPage(browser);
  await signIn(page, portal.url, "admin");
  await page.goto(`${portal.url}/admin/units/new`);
  await page.fill('input[name="code"]', "W01");
  await page.fill('input[name="name"]', "柳河镇第二中心学校");
  await page.selectOption('select[name="kind"]', { index: 1 });
  await Promise.all([page.waitForURL(/\/admin\/units\/\d+$/), page.click('main form button[type="submit"]')]);
  await page.locator(".flash--success", { hasText: "已新建单位 柳河镇第二中心学校" }).waitFor();
  // The same page, its name cleared: refused (400) without reading the page's data again.
  await page.fill('input[name="name"]', "");
  await Promise.all([page.waitForResponse((r) => r.request().method() === "POST"), page.locator("main form").first().locator('button[type="submit"]').click()]);
  await page.locator("#name-error", { hasText: "请填写单位名称" }).waitFor();
  expect(await page.locator(".flash").count()).toBe(0);
  // The refusal itself is a 400 answer, which the browser notes in its console.
  expect(problems.filter((p) => !/status of 400/.test(p))).toEqual([]);
  await context.close();
});
