// A county that grows past 300 units (here by the administrator's CSV import) gets the province's
// pages: in headless Chromium the review queue's unit filter is a search box that finds a unit by
// code, lists the units a part of a name matches and filters by the one clicked; the register
// shows one kind and one page at a time.
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { UNIT_SELECT_MAX } from "~/domain/unit-pick";
import { closeSession, screenshots, sessionAs, startPortalAndBrowser, stopPortalAndBrowser } from "./support/browser";
import type { Portal } from "./support/portal";

let portal: Portal;
let browser: Browser;
const ADDED = UNIT_SELECT_MAX + 10;
const shot = screenshots("province-units");

beforeAll(async () => {
  ({ portal, browser } = await startPortalAndBrowser());
});
afterAll(() => stopPortalAndBrowser(portal, browser));

describe("a county past 300 units", () => {
  it("the administrator imports the units from a CSV file", async () => {
    const session = await sessionAs(browser, portal.url, "admin");
    const { page } = session;
    const rows = Array.from({ length: ADDED }, (_, i) => `P${String(i + 1).padStart(4, "0")},第${i + 1}号村小,柳河镇,乡镇中心校`);
    await page.goto(`${portal.url}/admin/import`);
    await page.check('input[name="kind"][value="units"]');
    await page.setInputFiles('input[name="file"]', {
      name: "新增单位.csv", mimeType: "text/csv", buffer: Buffer.from(`单位代码,单位名称,所属乡镇,单位类别\n${rows.join("\n")}\n`, "utf8"),
    });
    await Promise.all([page.waitForURL((u) => u.pathname === "/admin/units"), page.locator('main form button[type="submit"]').last().click()]);
    await expect.poll(() => page.locator("main").innerText()).toContain(`已导入 ${ADDED} 个单位`);
    await closeSession(session);
  });

  it("the reviewer finds a unit in the review queue by part of its name, then by code", async () => {
    const session = await sessionAs(browser, portal.url, "reviewer");
    const { page } = session;
    await page.goto(`${portal.url}/review?status=all`);
    const box = page.locator('form.filters input[name="unit"]');
    expect(await box.getAttribute("type")).toBe("search");
    expect(await page.locator('select[name="unit"]').count()).toBe(0);

    // A part of a name only one unit has: the queue is filtered by that unit at once.
    await box.fill("第12号");
    await Promise.all([page.waitForURL((u) => u.searchParams.get("unit") === "第12号"), page.locator('form.filters button[type="submit"]').click()]);
    await expect.poll(() => box.inputValue()).toBe("P0012 第12号村小");
    const matches = page.locator(".unit-matches");
    expect(await matches.count()).toBe(0);
    await box.fill("第3");
    await Promise.all([page.waitForURL((u) => u.searchParams.get("unit") === "第3"), page.locator('form.filters button[type="submit"]').click()]);
    await expect.poll(() => matches.innerText()).toMatch(/名称或代码含“第3”的单位有 \d+ 个，这里列出前 20 个/);
    await shot(page, "matches", false);
    await Promise.all([page.waitForURL((u) => /^\d+$/.test(u.searchParams.get("unit") ?? "")), matches.getByRole("link", { name: "P0003 第3号村小" }).click()]);
    await expect.poll(() => box.inputValue()).toBe("P0003 第3号村小");
    expect(await matches.count()).toBe(0);

    await box.fill("x01");
    await Promise.all([page.waitForURL((u) => u.searchParams.get("unit") === "x01"), page.locator('form.filters button[type="submit"]').click()]);
    await expect.poll(() => box.inputValue()).toMatch(/^X01 /);
    const name = (await box.inputValue()).slice(4);
    const rows = await page.locator("table tbody tr").allInnerTexts();
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(row).toContain(name);
    await closeSession(session);
  });

  it("the register shows one kind and one page, and finds a unit by code", async () => {
    const session = await sessionAs(browser, portal.url, "reviewer", { viewport: { width: 390, height: 844 } });
    const { page } = session;
    await page.goto(`${portal.url}/register`);
    const tabs = page.locator('nav[aria-label="选择单位类别"]');
    await expect.poll(() => tabs.innerText()).toContain("乡镇中心校");
    expect(await page.locator("tr[id^='unit-']").count()).toBe(50);
    await page.fill('input[name="q"]', "p0300");
    await Promise.all([page.waitForURL((u) => u.searchParams.get("q") === "p0300"), page.locator('form[role="search"] button[type="submit"]').click()]);
    // The address changes as the navigation starts to render: wait for the table itself.
    await expect.poll(() => page.locator("tr[id^='unit-']").count()).toBe(1);
    await expect.poll(() => page.locator(".rank-pager").innerText()).toContain("“p0300”共找到 1 个单位");
    expect(await page.locator("#unit-P0300").innerText()).toContain("第300号村小");
    await shot(page, "register", false);
    await closeSession(session);
  });
});
