// Keyword search in the built portal: a visitor searches the public news (with and without
// JavaScript), hits are marked, the filters stay in the URL; a reviewer searches the queue and a
// correspondent their unit's items.
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPortalAndBrowser, stopPortalAndBrowser } from "./support/browser";
import { newPage, SCREENSHOT_DIR, signIn, type Portal } from "./support/portal";

let portal: Portal;
let browser: Browser;

beforeAll(async () => {
  ({ portal, browser } = await startPortalAndBrowser());
});
afterAll(() => stopPortalAndBrowser(portal, browser));

/** Three characters of the first listed title that are letters (no punctuation), as a search word. */
async function wordFrom(page: Page, selector: string): Promise<string> {
  const title = (await page.locator(selector).first().textContent()) ?? "";
  const chars = [...title.replace(/[^\p{L}\p{N}]/gu, "")];
  expect(chars.length).toBeGreaterThanOrEqual(5);
  return chars.slice(1, 4).join("");
}

async function search(page: Page, label: string, word: string) {
  await page.getByLabel(label).fill(word);
  await Promise.all([page.waitForURL((u) => u.searchParams.get("q") === word), page.getByLabel(label).press("Enter")]);
}

describe("keyword search", () => {
  it("a visitor searches the public news, sees the hits marked, and narrows by month", async () => {
    const { context, page, problems } = await newPage(browser);
    await page.goto(`${portal.url}/news`);
    const word = await wordFrom(page, ".news-card__title a");
    await search(page, "关键词", word);
    await page.locator("mark.hit").first().waitFor();
    expect(await page.getByText(/找到 \d+ 条，按相关程度排列/).count()).toBe(1);
    const marks = await page.locator(".news-list mark.hit").allTextContents();
    expect(marks.length).toBeGreaterThan(0);
    for (const m of marks) expect(m.toLowerCase()).toContain(word.toLowerCase());
    // Every listed item has the word in its title or its excerpt.
    const cards = page.locator(".news-card");
    for (let i = 0; i < (await cards.count()); i++) expect(await cards.nth(i).locator("mark.hit").count()).toBeGreaterThan(0);
    // A month filter joins the keyword in the URL.
    const month = await page.locator("#month option").nth(1).getAttribute("value");
    await page.selectOption("#month", month!);
    await Promise.all([page.waitForURL((u) => u.searchParams.get("month") === month), page.click('form.filters button[type="submit"]')]);
    const url = new URL(page.url());
    expect(url.searchParams.get("q")).toBe(word);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, "search-news.png"), fullPage: true });
    // A two-character word says it only looked through the most recent items.
    await search(page, "关键词", [...word].slice(0, 2).join(""));
    await page.getByRole("note").filter({ hasText: "最近 2000 篇" }).waitFor();
    expect(problems).toEqual([]);
    await context.close();
  });

  it("works without JavaScript", async () => {
    const { context, page } = await newPage(browser, { javaScriptEnabled: false });
    await page.goto(`${portal.url}/news`);
    const word = await wordFrom(page, ".news-card__title a");
    await page.getByLabel("关键词").fill(word);
    await Promise.all([page.waitForURL((u) => u.searchParams.get("q") === word), page.getByLabel("关键词").press("Enter")]);
    expect(await page.locator(".news-list mark.hit").count()).toBeGreaterThan(0);
    await context.close();
  });

  it("a reviewer searches the queue and a correspondent their unit's items", async () => {
    const { context, page, problems } = await newPage(browser);
    await signIn(page, portal.url, "reviewer");
    await page.goto(`${portal.url}/review?status=all`);
    const word = await wordFrom(page, ".queue-title a");
    await search(page, "关键词", word);
    await page.locator(".queue-title mark.hit").first().waitFor();
    expect(await page.getByText(/按相关程度（最相关的在前）排列/).count()).toBe(1);
    await context.close();

    const school = await newPage(browser);
    await signIn(school.page, portal.url, "x01-c1");
    await school.page.goto(`${portal.url}/items`);
    const own = await wordFrom(school.page, "main table a[href^='/items/'], main .data-table a[href^='/items/']");
    await search(school.page, "关键词", own);
    // The address changes as the new page's data arrives; the marked hits follow once it renders.
    await school.page.locator("main mark.hit").first().waitFor();
    expect(await school.page.locator("main mark.hit").count()).toBeGreaterThan(0);
    expect(school.problems).toEqual([]);
    expect(problems).toEqual([]);
    await school.context.close();
  });
});
