// The operations log in the built portal: a correspondent of 城关镇中心学校 signs in; the admin
// filters /admin/audit by that unit and today's date, finds the sign-in, and downloads the same
// view from /admin/audit.csv.
import path from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startPortalAndBrowser, stopPortalAndBrowser } from "./support/browser";
import { newPage, SCREENSHOT_DIR, signIn, signInOverHttp, type Portal } from "./support/portal";

let portal: Portal;
let browser: Browser;

beforeAll(async () => {
  ({ portal, browser } = await startPortalAndBrowser());
});
afterAll(() => stopPortalAndBrowser(portal, browser));

const today = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);

it("an admin filters the log by unit and date and finds a school's sign-in, on screen and in the CSV", async () => {
  await signInOverHttp(portal.url, "x01-c1");
  const { context, page, problems } = await newPage(browser);
  await signIn(page, portal.url, "admin");
  await page.goto(`${portal.url}/`);
  await Promise.all([page.waitForURL((u) => u.pathname === "/admin/audit"), page.click('a[href="/admin/audit"] >> nth=0')]);
  await page.locator("h1", { hasText: "操作日志" }).waitFor();

  const unitValue = await page.locator("select#unit option", { hasText: "城关镇中心学校" }).first().getAttribute("value");
  await page.selectOption("select#unit", unitValue!);
  await page.fill("input#from", today());
  await page.fill("input#to", today());
  await Promise.all([page.waitForURL((u) => u.searchParams.get("unit") === unitValue), page.click('form.filters button[type="submit"]')]);
  const url = new URL(page.url());
  expect([url.searchParams.get("from"), url.searchParams.get("to")]).toEqual([today(), today()]);

  const rows = page.locator("table tbody tr");
  await rows.first().waitFor();
  const texts = await rows.allTextContents();
  const signIns = texts.filter((t) => t.includes("登录") && t.includes("x01-c1"));
  expect(signIns.length).toBeGreaterThan(0);
  expect(signIns[0]).toContain("城关镇中心学校");
  expect(signIns[0]).toContain(today());
  // Filtered by unit: the admin's own sign-in (no unit) is not on the page.
  expect(texts.some((t) => t.includes("（admin）"))).toBe(false);
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, "audit-filtered.png"), fullPage: true });

  const href = await page.locator('a[href^="/admin/audit.csv"]').getAttribute("href");
  expect(href).toContain(`unit=${unitValue}`);
  const csv = await context.request.get(`${portal.url}${href}`);
  expect(csv.status()).toBe(200);
  expect(csv.headers()["content-type"]).toBe("text/csv; charset=utf-8");
  const body = (await csv.body()).toString("utf8");
  expect(body.startsWith("\uFEFF时间,操作人,单位,操作,对象,理由,来源地址")).toBe(true);
  expect(body).toContain("x01-c1");
  expect(body).not.toContain("（admin）");
  expect(problems).toEqual([]);
  await context.close();
});

it("a reviewer reads the log without the sign-ins", async () => {
  const { context, page, problems } = await newPage(browser);
  await signIn(page, portal.url, "reviewer");
  const response = await page.goto(`${portal.url}/admin/audit?action=login`);
  expect(response?.status()).toBe(200);
  await page.locator("h1", { hasText: "操作日志" }).waitFor();
  const texts = await page.locator("table tbody tr").allTextContents();
  expect(texts.length).toBeGreaterThan(0);
  expect(texts.some((t) => /登录/.test(t))).toBe(false);
  expect(await page.locator("select#action option[value='login']").count()).toBe(0);
  expect(problems).toEqual([]);
  await context.close();
});
