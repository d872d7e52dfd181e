// A county that starts without demo data gets the reference data and one admin, who must
// choose a new password at first login.
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startPortalAndBrowser, stopPortalAndBrowser } from "./support/browser";
import { newPage, signIn, type Portal } from "./support/portal";

let portal: Portal;
let browser: Browser;

beforeAll(async () => {
  ({ portal, browser } = await startPortalAndBrowser({ SEED_DEMO: "0", ADMIN_PASSWORD: "First#Start1" }));
});
afterAll(() => stopPortalAndBrowser(portal, browser));

it("prints the first admin's password and makes them change it", async () => {
  expect(portal.output()).toContain("已创建管理员账号 admin，初始密码 First#Start1");
  expect(portal.output()).not.toContain("演示账号");
  const { context, page, problems } = await newPage(browser);
  await signIn(page, portal.url, "admin", "First#Start1");
  expect(new URL(page.url()).pathname).toBe("/account/password");
  await page.fill('input[name="current_password"]', "First#Start1");
  await page.fill('input[name="new_password"]', "Bureau#2026new");
  await page.fill('input[name="confirm_password"]', "Bureau#2026new");
  await Promise.all([page.waitForURL((u) => u.pathname === "/"), page.click('main button[type="submit"]')]);
  await page.locator(".flash--success").waitFor();
  expect(await page.locator(".flash--success").textContent()).toContain("密码已修改");
  // The demo county is absent: no units yet, the unit list says so.
  await page.goto(`${portal.url}/admin/units`);
  expect(await page.locator("table.data tbody tr").count()).toBe(0);
  expect(problems).toEqual([]);
  await context.close();
});
