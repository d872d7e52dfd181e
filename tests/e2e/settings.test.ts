// The settings page in the browser: a lateness threshold scheduled for next month, then another
// setting of the same group saved, then the scheduled version withdrawn (撤回) from its row in the
// versions list, with JavaScript and without it, and the button a finger's size on a phone.
import { Kysely } from "kysely";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Sqlite3ReaderDialect } from "../../db/dialect";
import type { Database } from "../../db/schema";
import { addMonths } from "~/domain/time";
import { getConfig } from "~/models/env.server";
import {
  closeSession, monthLabel, screenshots, sessionAs, startPortalAndBrowser, stopPortalAndBrowser, THIS_MONTH,
} from "./support/browser";
import type { Portal } from "./support/portal";

let portal: Portal;
let browser: Browser;
let reader: Kysely<Database>;
const NEXT = addMonths(THIS_MONTH, 1);
const shot = screenshots("settings");

beforeAll(async () => {
  ({ portal, browser } = await startPortalAndBrowser({ AUTO_REMINDERS: "0" }));
  const { databaseFile } = getConfig({ ...process.env, DATA_DIR: portal.dataDir, SESSION_SECRET: "read-only" });
  reader = new Kysely<Database>({ dialect: new Sqlite3ReaderDialect({ filename: databaseFile, size: 1 }) });
});
afterAll(async () => {
  await reader?.destroy();
  await stopPortalAndBrowser(portal, browser);
});

/** The stored rows of a setting, as [effective month, value]. */
const rowsOf = async (key: string) =>
  (await reader.selectFrom("settings").select(["effective_month", "value_json"]).where("key", "=", key).orderBy("id").execute()).map((r) => [
    r.effective_month,
    JSON.parse(r.value_json),
  ]);

const routine = (page: Page) => page.locator("section#routine");
const lateField = (page: Page) => routine(page).locator('input[name="lateAfterDays"]');
const flashText = async (page: Page) => ((await page.locator(".flash").first().textContent({ timeout: 1000 }).catch(() => "")) ?? "").trim();
/** Saves the routine group with its own button and waits for the page to say `expected`. */
async function saveRoutine(page: Page, expected: string) {
  await routine(page).locator("button", { hasText: "保存报送与催报" }).click();
  await expect.poll(() => flashText(page), { timeout: 15_000 }).toBe(expected);
}
const scheduledRow = (page: Page) => routine(page).locator(".settings-versions li", { hasText: `${monthLabel(NEXT)}起` });

let thisMonthDays = "";

describe("a lateness threshold scheduled for next month", () => {
  it("is saved from next month, and the field goes back to this month's value (a later save of the group does not write it again)", async () => {
    const s = await sessionAs(browser, portal.url, "admin");
    const { page } = s;
    await page.goto(`${portal.url}/admin/settings`);
    thisMonthDays = await lateField(page).inputValue();
    const scheduled = String(Number(thisMonthDays) + 3);
    await lateField(page).fill(scheduled);
    await routine(page).locator('input[type="month"][name="effective_month"]').fill(NEXT);
    await saveRoutine(page, `已保存：迟报天数，按月生效的自${monthLabel(NEXT)}起执行`);
    expect(await scheduledRow(page).innerText()).toContain(`${scheduled} 天`);
    // The page says this month's value is in force; the field says so too, not what was typed.
    expect(await lateField(page).inputValue()).toBe(thisMonthDays);
    const lateRows = await rowsOf("lateAfterDays");

    // Another setting of the same group: only it is written.
    const appeal = routine(page).locator('input[name="appealDays"]');
    const appealDays = String(Number(await appeal.inputValue()) + 1);
    await appeal.fill(appealDays);
    await saveRoutine(page, "已保存：申诉期");
    expect(await rowsOf("lateAfterDays")).toEqual(lateRows);
    expect(await appeal.inputValue()).toBe(appealDays);
    await closeSession(s);
  });

  it("is withdrawn from its row in the list, the page drawn by the server (a form inside the group's form would save the group)", async () => {
    const s = await sessionAs(browser, portal.url, "admin");
    const { page } = s;
    await page.goto(`${portal.url}/admin/settings#routine`);
    const before = { appeal: await rowsOf("appealDays"), reminder: await rowsOf("reminderFromDay") };
    await scheduledRow(page).scrollIntoViewIfNeeded();
    await shot(page, "scheduled-version", false);
    await scheduledRow(page).locator("button", { hasText: "撤回此版本" }).click();
    await expect.poll(() => flashText(page), { timeout: 15_000 }).toBe(`已撤回迟报天数${monthLabel(NEXT)}起的版本，${monthLabel(NEXT)}起为 ${thisMonthDays} 天`);
    expect(await scheduledRow(page).count()).toBe(0);
    expect((await rowsOf("lateAfterDays")).map(([month]) => month)).not.toContain(NEXT);
    expect({ appeal: await rowsOf("appealDays"), reminder: await rowsOf("reminderFromDay") }).toEqual(before);
    await closeSession(s);
  });

  it("is withdrawn without JavaScript too, and its button is a finger's size on a phone", async () => {
    // Scheduled again by a script-run page.
    const js = await sessionAs(browser, portal.url, "admin");
    await js.page.goto(`${portal.url}/admin/settings`);
    await lateField(js.page).fill(String(Number(thisMonthDays) + 5));
    await routine(js.page).locator('input[type="month"][name="effective_month"]').fill(NEXT);
    await saveRoutine(js.page, `已保存：迟报天数，按月生效的自${monthLabel(NEXT)}起执行`);
    await closeSession(js);

    const s = await sessionAs(browser, portal.url, "admin", { javaScriptEnabled: false, viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });
    const { page } = s;
    await page.goto(`${portal.url}/admin/settings`);
    const button = scheduledRow(page).locator("button", { hasText: "撤回此版本" });
    const box = (await button.boundingBox())!;
    expect(box.height).toBeGreaterThanOrEqual(44);
    await Promise.all([page.waitForLoadState("load"), button.click()]);
    expect(await flashText(page)).toContain(`已撤回迟报天数${monthLabel(NEXT)}起的版本`);
    expect((await rowsOf("lateAfterDays")).map(([month]) => month)).not.toContain(NEXT);
    await closeSession(s);
  });
});
