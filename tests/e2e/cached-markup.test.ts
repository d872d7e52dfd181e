// The parts the server keeps as markup (a reviewer's register, a published notice's document) in a
// browser: the page hydrates without an error and then navigates on the client, the school's own
// unit is marked in the notice, and a lead's change of a phone number is on the reviewer's next
// view of the register.
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { launchBrowser, newPage, signIn, startPortal, type Portal } from "./support/portal";

let portal: Portal;
let browser: Browser;

beforeAll(async () => {
  portal = await startPortal({ AUTO_REMINDERS: "0" });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await portal?.stop();
});

/** Sets a mark on the window: still there after a navigation means it happened on the client. */
const markWindow = (page: import("playwright-core").Page) => page.evaluate(() => ((window as unknown as { kept: number }).kept = 1));
const windowMarked = (page: import("playwright-core").Page) => page.evaluate(() => (window as unknown as { kept?: number }).kept === 1);

it("a reviewer's register hydrates from kept markup, and shows a lead's new phone number on the next view", async () => {
  const year = new Date().getFullYear();
  const reviewer = await newPage(browser);
  await signIn(reviewer.page, portal.url, "reviewer");
  for (let i = 0; i < 2; i++) {
    await reviewer.page.goto(`${portal.url}/register/${year}`);
    await reviewer.page.waitForLoadState("networkidle");
    expect(await reviewer.page.locator("#unit-X01 .person__name").count()).toBeGreaterThan(0);
  }
  await markWindow(reviewer.page);
  await reviewer.page.click(`.year-nav a:has-text("${year - 1}年")`);
  await reviewer.page.waitForURL(`**/register/${year - 1}`);
  await reviewer.page.waitForLoadState("networkidle");
  expect(await windowMarked(reviewer.page)).toBe(true);
  expect(await reviewer.page.locator("#unit-X01").count()).toBe(1);

  const lead = await newPage(browser);
  await signIn(lead.page, portal.url, "x01-lead");
  await lead.page.goto(`${portal.url}/register/${year}`);
  await lead.page.waitForLoadState("networkidle");
  const form = lead.page.locator("details.entry-edit").first();
  await form.locator("summary").click();
  await form.locator('input[name="phone"]').fill("13611112222");
  await Promise.all([lead.page.waitForResponse((r) => r.request().method() === "POST"), form.locator('button[type="submit"]').click()]);
  await lead.page.waitForLoadState("networkidle");
  await expect.poll(() => lead.page.locator("main").textContent()).toContain("13611112222");

  await reviewer.page.goto(`${portal.url}/register/${year}`);
  await reviewer.page.waitForLoadState("networkidle");
  expect(await reviewer.page.locator("#unit-X01").textContent()).toContain("13611112222");
  expect(reviewer.problems).toEqual([]);
  expect(lead.problems).toEqual([]);
});

it("a published notice hydrates from kept markup with each school's own unit marked", async () => {
  const lead = await newPage(browser);
  await signIn(lead.page, portal.url, "x01-lead");
  await lead.page.goto(`${portal.url}/notices`);
  const href = await lead.page.locator('a[href^="/notices/"]').filter({ hasText: /通报/ }).first().getAttribute("href");
  expect(href).toMatch(/^\/notices\/\d+$/);
  for (let i = 0; i < 2; i++) {
    await lead.page.goto(`${portal.url}${href}`);
    await lead.page.waitForLoadState("networkidle");
    expect(await lead.page.locator(".bulletin-main .is-own").count()).toBeGreaterThan(0);
    expect(await lead.page.locator(".bulletin-main .is-own").first().textContent()).toContain("城关镇中心学校");
  }
  const other = await newPage(browser);
  await signIn(other.page, portal.url, "q01-lead");
  await other.page.goto(`${portal.url}${href}`);
  await other.page.waitForLoadState("networkidle");
  expect(await other.page.locator(".bulletin-main .is-own").first().textContent()).toContain("县第一中学");
  expect(await other.page.locator(".bulletin-main .is-own", { hasText: "城关镇中心学校" }).count()).toBe(0);

  await markWindow(lead.page);
  await lead.page.click('.breadcrumb a[href="/notices"]');
  await lead.page.waitForURL("**/notices");
  expect(await windowMarked(lead.page)).toBe(true);
  expect(lead.problems).toEqual([]);
  expect(other.problems).toEqual([]);
});
