// A county that starts without demo data gets the reference data and one admin, who must
// choose a new password at first login. The admin's first unit and correspondent: the correspondent's
// first sign-in says the admin set the password, and the empty unit's home draws its negative month
// (不报) as a bar hanging from 0, not from the top of an axis that leaves 0 out.
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { closeSession, startPortalAndBrowser, stopPortalAndBrowser } from "./support/browser";
import { DEMO_PASSWORD, newPage, signIn, spawnPortal, type Portal } from "./support/portal";

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

/** Fills and sends the password page, for someone who must change `from`. */
async function choosePassword(page: Page, from: string, to: string) {
  expect(new URL(page.url()).pathname).toBe("/account/password");
  await page.fill('input[name="current_password"]', from);
  await page.fill('input[name="new_password"]', to);
  await page.fill('input[name="confirm_password"]', to);
  await Promise.all([page.waitForURL((u) => u.pathname === "/"), page.click('main button[type="submit"]')]);
}

it("gives the first unit's correspondent a first sign-in in plain words and a points chart with 0 on its axis", async () => {
  const admin = await newPage(browser);
  await signIn(admin.page, portal.url, "admin", "Bureau#2026new");
  await admin.page.goto(`${portal.url}/admin/units/new`);
  await admin.page.fill('input[name="code"]', "x01");
  await admin.page.fill('input[name="name"]', "城关镇中心学校");
  await admin.page.selectOption('select[name="kind"]', { index: 1 });
  await Promise.all([admin.page.waitForURL(/\/admin\/units\/\d+$/), admin.page.click('main form button[type="submit"]')]);
  const unitId = /\/admin\/units\/(\d+)$/.exec(admin.page.url())![1];
  await admin.page.goto(`${portal.url}/admin/accounts/new`);
  await admin.page.fill('input[name="username"]', "x01-c1");
  await admin.page.fill('input[name="display_name"]', "田信息");
  await admin.page.selectOption('select[name="role"]', "correspondent");
  await admin.page.selectOption('select[name="unit_id"]', unitId);
  await admin.page.fill('input[name="password"]', "Start#2026a");
  await Promise.all([admin.page.waitForURL(/\/admin\/accounts\/\d+$/), admin.page.click('main form button[type="submit"]')]);
  await closeSession(admin);

  const { context, page, problems } = await newPage(browser, { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  await signIn(page, portal.url, "x01-c1", "Start#2026a");
  // Created, not reset: the page says the admin set the password, either way.
  const notice = (await page.locator("main .flash--error").textContent()) ?? "";
  expect(notice).not.toContain("重置您的密码");
  expect(notice).toContain("管理员设置");
  await choosePassword(page, "Start#2026a", "School#2026b");

  // Nothing sent this month: the month's points are negative, and the only bar.
  const chart = page.locator('figure[aria-label="近 12 个月积分"]');
  await chart.locator(".recharts-bar-rectangle path").first().waitFor();
  // Each label's middle is level with its tick.
  const ticks = await chart.locator(".recharts-yAxis-tick-labels text").evaluateAll((labels) =>
    labels.map((t) => {
      const box = t.getBoundingClientRect();
      return { text: t.textContent ?? "", y: box.top + box.height / 2 };
    }),
  );
  const zero = ticks.find((t) => t.text === "0");
  expect(zero, JSON.stringify(ticks)).toBeDefined();
  const bar = (await chart.locator(".recharts-bar-rectangle path").first().boundingBox())!;
  expect(Math.abs(bar.y - zero!.y), "the bar starts at 0").toBeLessThanOrEqual(3);
  expect(problems).toEqual([]);
  await context.close();
});

it("started again with SEED_DEMO left on (the default), lists no demo accounts: its database has none that sign in with the demo password", async () => {
  const again = await spawnPortal({ DATA_DIR: portal.dataDir, SEED_DEMO: "1", DEMO_PASSWORD, SESSION_SECRET: "", AUTO_REMINDERS: "0", PHOTO_SWEEP: "0" });
  try {
    await expect.poll(() => again.output(), { timeout: 10_000 }).toContain("数据目录");
    expect(again.output()).not.toContain("演示账号");
    expect(again.output()).not.toContain("已生成演示县数据");
  } finally {
    again.process.kill("SIGTERM");
    await again.exited;
  }
});
