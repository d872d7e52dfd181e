// The monthly notice in the browser. First the admin gives the bureau its own names in
// /admin/settings (county, issuing office, 版头, 文号 prefix). Then a reviewer decides last month's waiting items and closes it,
// drafts its notice, takes one unit off the commended list with a reason, downloads the lists as
// they now stand, finds 签发 refused without a 文号, sets one and publishes. The principal of a criticised unit then reads the notice
// and the reason given for their unit, downloads the Word document, and the test turns that into a
// PDF with LibreOffice and reads it back: title, 文号, the new names in the 版头 and 落款, the
// channel figures, a commended and a criticised unit; the first page is rendered and its red 版头
// checked pixel by pixel (and looked at).
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import ExcelJS from "exceljs";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  closeSession as done, LAST_MONTH, monthLabel as label, screenshots, sessionAs, startPortalAndBrowser, stopPortalAndBrowser,
  THIS_MONTH,
} from "./support/browser";
import { docxToPdf, expectRedHeadOnFirstPage, flatPdfText } from "./support/documents";
import { newPage, type Portal } from "./support/portal";

let portal: Portal;
let browser: Browser;
const tmp = mkdtempSync(path.join(os.tmpdir(), "notices-e2e-"));

const TITLE = `关于${label(LAST_MONTH)}全县教育信息报送情况的通报`;
const BUREAU = { countyName: "青石县", bureauName: "青石县教育和体育局", noticeIssuer: "青石县教育和体育局办公室", letterheadText: "青石县教育和体育局办公室", noticeDocPrefix: "青教体办" };
const DOC_NUMBER = `${BUREAU.noticeDocPrefix}〔${THIS_MONTH.slice(0, 4)}〕88号`;

beforeAll(async () => {
  ({ portal, browser } = await startPortalAndBrowser());
});
afterAll(async () => {
  await stopPortalAndBrowser(portal, browser);
  rmSync(tmp, { recursive: true, force: true });
});

const shot = screenshots("notices");
const as = (username: string, options?: Parameters<typeof newPage>[1]) => sessionAs(browser, portal.url, username, options);

async function expectNoHorizontalOverflow(page: Page) {
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));
  expect(scrollWidth, `page ${page.url()} is ${scrollWidth}px wide in a ${innerWidth}px window`).toBeLessThanOrEqual(innerWidth);
}

const entries = (page: Page, list: "commended" | "criticised") => page.locator(`article.bulletin-doc .bulletin-entries--${list} li`);
const namesIn = (page: Page, list: "commended" | "criticised") => entries(page, list).locator("strong").allTextContents();

let noticePath = "";
let removed = "";
let commended = "";
let criticised = { name: "", reason: "" };

describe(`the ${label(LAST_MONTH)} notice`, () => {
  it("0. the admin gives the bureau its own names in the settings", async () => {
    const s = await as("admin");
    const { page } = s;
    await page.goto(`${portal.url}/admin/settings`);
    const form = page.locator("form").filter({ has: page.locator('input[name="countyName"]') });
    for (const [key, value] of Object.entries(BUREAU)) await form.locator(`input[name="${key}"]`).fill(value);
    await Promise.all([page.waitForLoadState("load"), form.locator('button[type="submit"]').click()]);
    await page.locator(".flash--success").waitFor();
    for (const [key, value] of Object.entries(BUREAU)) expect(await page.inputValue(`input[name="${key}"]`), key).toBe(value);
    // Every page's header now names the bureau.
    expect(await page.locator(".site-header").innerText()).toContain("青石县");
    await shot(page, "00-settings-saved");
    await done(s);
  });

  it("a. the reviewer closes the month, drafts its notice, removes a commended unit with a reason, and publishes it with a 文号", async () => {
    const s = await as("reviewer");
    const { page } = s;

    // Close last month: decide what waits, then close.
    await page.goto(`${portal.url}/months`);
    await Promise.all([page.waitForURL(`**/months/${LAST_MONTH}/close`), page.click(`a[aria-label="结算${label(LAST_MONTH)}"]`)]);
    await page.locator('section.card--alert[aria-labelledby="waiting-title"] .waiting-list').waitFor();
    const waiting = await page
      .locator('section.card--alert[aria-labelledby="waiting-title"] .waiting-list li a')
      .evaluateAll((as) => as.map((a) => ({ href: a.getAttribute("href")!, title: a.textContent! })));
    expect(waiting.length).toBeGreaterThan(0);
    for (const item of waiting) {
      await page.goto(`${portal.url}${item.href}`);
      await page.check('form:has(input[name="intent"][value="adopt"]) input[name="grade"][value="good"]');
      await Promise.all([
        page.waitForURL((u) => u.pathname !== item.href),
        page.click('form:has(input[name="intent"][value="adopt"]) button[type="submit"]'),
      ]);
    }
    await page.goto(`${portal.url}/months/${LAST_MONTH}/close`);
    await Promise.all([page.waitForURL(/\/months$/), page.click(`button:has-text("确认结算${label(LAST_MONTH)}")`)]);
    await page.locator(".flash--success", { hasText: `已结算 ${label(LAST_MONTH)}` }).waitFor();

    // Draft its notice from the list of notices.
    await page.goto(`${portal.url}/notices`);
    await shot(page, "a1-index-reviewer");
    await Promise.all([
      page.waitForURL(/\/notices\/\d+$/),
      page.click(`button[aria-label="起草${label(LAST_MONTH)}通报"]`),
    ]);
    noticePath = new URL(page.url()).pathname;
    await page.locator(".flash--success", { hasText: `已起草${label(LAST_MONTH)}通报` }).waitFor();
    expect((await page.locator("h1#bulletin-title").innerText()).replace(/\s/g, "")).toBe(TITLE);
    expect(await page.locator(".bulletin-head .badge").textContent()).toBe("草稿");
    await shot(page, "a2-draft");

    // Take the first commended unit off the list, with a reason.
    const before = await namesIn(page, "commended");
    expect(before.length).toBeGreaterThan(1);
    removed = before[0];
    await page.click('details.bulletin-adjust summary:has-text("调整表扬名单")');
    const form = page.locator('form[aria-label="从表扬名单移出"]');
    await form.locator('select[name="unit_id"]').selectOption({ label: removed });
    await form.locator('input[name="reason"]').fill("所报信息存在错敏词，取消本月表扬");
    await Promise.all([page.waitForLoadState("load"), form.locator('button[type="submit"]').click()]);
    await page.locator(".flash--success", { hasText: `已将${removed}移出表扬名单` }).waitFor();
    const after = await namesIn(page, "commended");
    expect(after).toEqual(before.slice(1));
    commended = after[0];
    expect(await page.locator("#adjust-log + ol li").first().innerText()).toContain(`移出表扬名单 ${removed}`);
    expect(await page.locator("#adjust-log + ol li").first().innerText()).toContain("理由：所报信息存在错敏词，取消本月表扬");

    // The lists as they now stand, downloaded to check one by one: the page's names, in its order.
    const [lists] = await Promise.all([page.waitForEvent("download"), page.click('a:has-text("下载名单（Excel）")')]);
    expect(lists.suggestedFilename()).toBe(`${label(LAST_MONTH)}信息报送情况通报名单（草稿）.xlsx`);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(await lists.path());
    const column = (sheet: string) => (workbook.getWorksheet(sheet)!.getColumn(3).values as unknown[]).slice(2).map(String);
    expect(column("表扬")).toEqual(after);
    expect(column("通报批评")).toEqual(await namesIn(page, "criticised"));

    // 签发 is confirmed on a page of its own; without a 文号 it says why it cannot be signed…
    await Promise.all([page.waitForURL(/\/notices\/\d+\/publish\?/), page.click('.bulletin-publish button[type="submit"]')]);
    await page.locator(".bulletin-publish .form-error", { hasText: "签发前请先填写文号并保存。" }).waitFor();
    expect(await page.locator("button", { hasText: "确认签发" }).isDisabled()).toBe(true);
    await shot(page, "a3-publish-refused");
    await page.goto(`${portal.url}${noticePath}`);

    // …so set one (the form suggests the next in sequence) and publish.
    expect(await page.getAttribute("#doc_number", "placeholder")).toMatch(/^青教体办〔\d{4}〕\d+号$/);
    await page.fill("#doc_number", DOC_NUMBER);
    await Promise.all([page.waitForLoadState("load"), page.click('form:has(input[name="intent"][value="save"]) button[type="submit"]')]);
    await page.locator(".flash--success", { hasText: "草稿已保存" }).waitFor();
    expect(await page.locator(".bulletin-doc__number").textContent()).toBe(DOC_NUMBER);
    await shot(page, "a4-draft-with-number");
    await expect(page.inputValue("#signer_name")).resolves.not.toBe("");
    const signer = await page.inputValue("#signer_name");
    await Promise.all([page.waitForURL(/\/notices\/\d+\/publish\?/), page.click('.bulletin-publish button[type="submit"]')]);
    // …the confirmation shows the 文号, the lists as adjusted, and the signer, then signs.
    const frozen = page.locator('section[aria-labelledby="frozen-title"]');
    expect(await frozen.locator(".confirm-doc-number").textContent()).toBe(DOC_NUMBER);
    const confirmCommended = await frozen.locator('ul[aria-label="表扬名单"] li').evaluateAll((lis) => lis.map((li) => li.firstChild?.textContent?.trim()));
    expect(confirmCommended).toEqual(after);
    expect(await page.inputValue("#signer_name")).toBe(signer);
    await shot(page, "a4b-confirm-publish");
    await Promise.all([page.waitForURL((u) => u.pathname === noticePath), page.click('button:has-text("确认签发")')]);
    await page.locator(".flash--success", { hasText: "已签发，通报已公开发布" }).waitFor();
    expect(await page.locator(".bulletin-head .badge").textContent()).toBe("已签发");
    expect(await page.locator(".bulletin-head__meta").innerText()).toContain(DOC_NUMBER);
    expect(await page.locator("form").filter({ has: page.locator('input[name="intent"][value="save"]') }).count()).toBe(0);
    const first = entries(page, "criticised").first();
    criticised = {
      name: (await first.locator("strong").textContent())!,
      reason: ((await first.locator(".bulletin-entries__note").textContent()) ?? "").replace(/^（|）$/g, ""),
    };
    expect(criticised.reason).not.toBe("");
    await shot(page, "a5-published-reviewer");
    await done(s, [/status of 409/]);
  });

  it("b. anyone reads it on a phone; it prints without the portal around it", async () => {
    const s = await newPage(browser, { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    await s.page.goto(`${portal.url}/notices`);
    await s.page.locator(".bulletin-card__title a", { hasText: TITLE }).first().waitFor();
    await expectNoHorizontalOverflow(s.page);
    await shot(s.page, "b1-index-390");
    await s.page.goto(`${portal.url}${noticePath}`);
    await expectNoHorizontalOverflow(s.page);
    expect(await namesIn(s.page, "commended")).not.toContain(removed);
    expect(await s.page.locator("#adjust-log").count()).toBe(0);
    await shot(s.page, "b2-published-390");
    await done(s);

    const d = await newPage(browser, { viewport: { width: 1280, height: 900 } });
    await d.page.goto(`${portal.url}${noticePath}`);
    await shot(d.page, "b3-published-desktop");
    await d.page.emulateMedia({ media: "print" });
    expect(await d.page.locator(".site-header").isVisible()).toBe(false);
    expect(await d.page.locator(".bulletin-head").isVisible()).toBe(false);
    const breaks = await d.page.locator(".bulletin-annex").evaluateAll((els) => els.map((e) => getComputedStyle(e).breakBefore));
    expect(breaks.length).toBeGreaterThan(0);
    expect(new Set(breaks)).toEqual(new Set(["page"]));
    await shot(d.page, "b4-print");
    await done(d);
  });

  it("c. the principal of a criticised unit sees the notice and the reason for their unit, and downloads the Word document", async () => {
    // The unit's code, from the admin's unit list, gives its lead's account: <code>-lead.
    const admin = await as("admin");
    await admin.page.goto(`${portal.url}/admin/units?${new URLSearchParams({ q: criticised.name })}`);
    const code = await admin.page
      .locator("table tbody tr")
      .filter({ has: admin.page.locator("td", { hasText: new RegExp(`^${criticised.name}$`) }) })
      .locator('td[data-label="代码"]')
      .first()
      .textContent();
    expect(code).toMatch(/^[XQY]\d{2}$/);
    await done(admin);

    const s = await as(`${code!.toLowerCase()}-lead`, { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const { page } = s;
    await page.goto(`${portal.url}/notices`);
    await Promise.all([page.waitForURL((u) => u.pathname === noticePath), page.click(`.bulletin-card__title a:has-text("${TITLE}")`)]);
    const own = page.locator("section.bulletin-own");
    expect(await own.locator("h2").textContent()).toBe(`本单位（${criticised.name}）在本期通报中`);
    expect(await own.innerText()).toContain(`被通报批评，原因：${criticised.reason}`);
    expect(await entries(page, "criticised").filter({ hasText: criticised.name }).locator(".own-marker").textContent()).toBe("本单位");
    await expectNoHorizontalOverflow(page);
    await shot(page, "c1-principal-390");
    await shot(page, "c1-principal-390-top", false);

    const [download] = await Promise.all([page.waitForEvent("download"), page.click('a:has-text("下载 Word")')]);
    expect(download.suggestedFilename()).toBe(`${label(LAST_MONTH)}信息报送情况通报（${DOC_NUMBER}）.docx`);
    const file = path.join(tmp, "notice.docx");
    await download.saveAs(file);
    expect(readFileSync(file).subarray(0, 2).toString()).toBe("PK");
    await done(s);

    // The Word document as LibreOffice lays it out.
    if (spawnSync("which", ["libreoffice"]).status !== 0) {
      console.warn("跳过 PDF 检查：本机没有安装 LibreOffice（apt-get install libreoffice-writer）。");
      return;
    }
    const pdf = docxToPdf(file, tmp, 120_000);
    const flat = flatPdfText(pdf);
    expect(flat).toContain(TITLE);
    expect(flat).toContain(DOC_NUMBER);
    expect(flat).toContain(commended);
    expect(flat).toContain(criticised.name);
    // The 版头 and the 落款 carry the names the admin set; the first section names each channel.
    expect(flat.indexOf(BUREAU.letterheadText)).toBeGreaterThanOrEqual(0);
    expect(flat.indexOf(BUREAU.letterheadText)).toBeLessThan(flat.indexOf(DOC_NUMBER));
    expect(flat.lastIndexOf(BUREAU.noticeIssuer)).toBeGreaterThan(flat.indexOf(TITLE));
    expect(flat).toMatch(/向教育信息网报送\d+条、采用\d+条，向教育网报送\d+条、采用\d+条/);
    expect(flat).not.toContain("X教体办");
    // The top of the first page is red where the 版头 stands, none of that red lower down in the black body text.
    expectRedHeadOnFirstPage(pdf, "notices-c2-docx-page1");
  });
});
