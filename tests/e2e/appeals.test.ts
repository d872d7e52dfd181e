// 申诉 in the browser: a school's lead appeals an adopted item's grade from the item page; the
// reviewer finds the appeal on the dashboard, corrects the grade with a reason (which answers the
// appeal); the lead sees the new grade, the new points, the reason and a notification.
// The audit entries these steps write (appeal_filed, grade_corrected) carry the unit's id.
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabases } from "../../db/connect";
import { startPortalAndBrowser, stopPortalAndBrowser } from "./support/browser";
import { newPage, SCREENSHOT_DIR, signIn, type Portal } from "./support/portal";

let portal: Portal;
let browser: Browser;
let target: { id: number; title: string; grade: string };

beforeAll(async () => {
  ({ portal, browser } = await startPortalAndBrowser());
  // An adopted item of unit X01, graded below 优, in a month that is still open (so open to appeal).
  const dbs = await openDatabases({ filename: path.join(portal.dataDir, "portal.sqlite"), readers: 1 });
  try {
    const row = await dbs.reader
      .selectFrom("items")
      .innerJoin("units", "units.id", "items.unit_id")
      .select(["items.id", "items.title", "items.grade"])
      .where("units.code", "=", "X01")
      .where("items.status", "=", "adopted")
      .where("items.grade", "in", ["good", "fair"])
      .where("items.report_month", "not in", dbs.reader.selectFrom("month_closes").select("month").where("reopened_at", "is", null))
      .orderBy("items.id")
      .executeTakeFirstOrThrow();
    target = { id: row.id, title: row.title, grade: row.grade! };
  } finally {
    await dbs.close();
  }
});
afterAll(() => stopPortalAndBrowser(portal, browser));

async function shot(page: Page, step: string) {
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `appeals-${step}.png`), fullPage: true });
}

async function flash(page: Page, text: string) {
  await page.locator(".flash--success", { hasText: text }).waitFor();
}

/** The item's total points on its receipt (the last figure of the receipt table). */
async function receiptText(page: Page): Promise<string> {
  return (await page.locator("section", { has: page.locator("#points-title") }).textContent()) ?? "";
}

describe("an appeal, corrected", () => {
  it("lead appeals the grade; the reviewer corrects it; the lead sees the new points and the reason; the admin finds both in the log", async () => {
    const lead = await newPage(browser);
    await signIn(lead.page, portal.url, "x01-lead");
    await lead.page.goto(`${portal.url}/items/${target.id}`);
    const pointsBefore = await receiptText(lead.page);
    await lead.page.getByText("对审核决定提出申诉").click();
    await lead.page.getByLabel("申诉事项").selectOption("grade");
    await lead.page.getByLabel("申诉理由").fill("该稿被市级媒体全文转载，请复核等次");
    await lead.page.getByRole("button", { name: "提出申诉" }).click();
    await flash(lead.page, "申诉已提交");
    expect(await lead.page.locator("#appeals").textContent()).toContain("待答复");
    await shot(lead.page, "1-filed");

    const reviewer = await newPage(browser);
    await signIn(reviewer.page, portal.url, "reviewer");
    await reviewer.page.goto(`${portal.url}/`);
    const card = reviewer.page.locator("section", { has: reviewer.page.locator("#open-appeals-title") });
    await card.getByRole("link", { name: target.title }).click();
    await reviewer.page.waitForURL((u) => u.pathname === `/review/${target.id}`);
    expect(await reviewer.page.locator("#appeal").textContent()).toContain("该稿被市级媒体全文转载，请复核等次");
    await reviewer.page.getByText("更正等次", { exact: true }).click();
    await reviewer.page.getByLabel("更正后的等次").selectOption("excellent");
    await reviewer.page.getByLabel("更正理由（学校可见）").fill("申诉成立：转载说明质量优秀，改为优");
    await reviewer.page.getByRole("button", { name: "更正", exact: true }).click();
    await flash(reviewer.page, "已更正等次为“优”");
    expect(await reviewer.page.locator("#appeal").count()).toBe(0);
    await shot(reviewer.page, "2-corrected");

    await lead.page.goto(`${portal.url}/items/${target.id}`);
    expect(await lead.page.locator(".item-flags").textContent()).toContain("等次：优");
    expect(await lead.page.locator("#corrections").textContent()).toContain("申诉成立：转载说明质量优秀，改为优");
    expect(await lead.page.locator("#appeals").textContent()).toContain("已更正");
    const pointsAfter = await receiptText(lead.page);
    expect(pointsAfter).not.toBe(pointsBefore);
    expect(pointsAfter).toContain("优");
    await lead.page.goto(`${portal.url}/notifications`);
    expect(await lead.page.locator("main").textContent()).toContain(`申诉已更正（更正等次）：${target.title}`);
    await shot(lead.page, "3-seen");

    // The admin finds both steps in the operations log, filtered by the school and today's date.
    const admin = await newPage(browser);
    await signIn(admin.page, portal.url, "admin");
    await admin.page.goto(`${portal.url}/admin/audit`);
    const unitValue = await admin.page.locator("select#unit option", { hasText: "城关镇中心学校" }).first().getAttribute("value");
    await admin.page.selectOption("select#unit", unitValue!);
    const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
    await admin.page.fill("input#from", today);
    await admin.page.fill("input#to", today);
    await Promise.all([admin.page.waitForURL((u) => u.searchParams.get("unit") === unitValue), admin.page.click('form.filters button[type="submit"]')]);
    const rows = await admin.page.locator("table tbody tr").allTextContents();
    const filed = rows.find((t) => t.includes("提出申诉") && t.includes("x01-lead"));
    const corrected = rows.find((t) => t.includes("更正等次") && t.includes("（reviewer）") && t.includes("申诉成立：转载说明质量优秀，改为优"));
    expect(filed, rows.join("\n")).toBeDefined();
    expect(corrected, rows.join("\n")).toBeDefined();
    for (const row of [filed!, corrected!]) {
      expect(row).toContain("城关镇中心学校");
      expect(row).toContain(today);
    }
    await shot(admin.page, "4-audit");

    expect(lead.problems).toEqual([]);
    expect(reviewer.problems).toEqual([]);
    expect(admin.problems).toEqual([]);
    await lead.context.close();
    await reviewer.context.close();
    await admin.context.close();
  });
});
