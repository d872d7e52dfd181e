// Fewer clicks, in the browser: one decision on several ticked rows of the review queue (without
// JavaScript), the item form's 迟报 warning following the date, and the anonymous home's news.
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
