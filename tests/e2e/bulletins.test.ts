// 简报 in the browser: the reviewer starts the next issue, picks two adopted items (one of
// 城关镇中心学校's, found with the unit filter), rewrites that one's title beside the original and
// sees the difference marked, signs the issue after the confirmation page, and downloads its Word
// file, which LibreOffice turns into a PDF whose first page (rendered to a PNG) opens with the red
// 报头. Then 城关镇中心学校's correspondent finds the notification and the pickup on the item.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeSession as done, screenshots, sessionAs, startPortalAndBrowser, stopPortalAndBrowser } from "./support/browser";
import { docxToPdf, expectRedHeadOnFirstPage, flatPdfText } from "./support/documents";
import type { Portal } from "./support/portal";

let portal: Portal;
let browser: Browser;
const tmp = mkdtempSync(path.join(os.tmpdir(), "bulletins-e2e-"));
const shot = screenshots("bulletins");
const as = (username: string | null, options?: Parameters<typeof sessionAs>[3]) => sessionAs(browser, portal.url, username, options);
const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };

beforeAll(async () => {
  ({ portal, browser } = await startPortalAndBrowser());
});
afterAll(async () => {
  await stopPortalAndBrowser(portal, browser);
  rmSync(tmp, { recursive: true, force: true });
});

async function expectNoHorizontalOverflow(page: Page) {
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));
  expect(scrollWidth, `page ${page.url()} is ${scrollWidth}px wide in a ${innerWidth}px window`).toBeLessThanOrEqual(innerWidth);
}

/** Clicks a link to `to` and waits until the address is there. */
const follow = (page: Page, locator: ReturnType<Page["locator"]>, to: (u: URL) => boolean) => Promise.all([page.waitForURL(to), locator.click()]);
/** Clicks a submit button and waits for its POST to be answered and the page to settle. */
async function submit(page: Page, locator: ReturnType<Page["locator"]>) {
  await Promise.all([page.waitForResponse((r) => r.request().method() === "POST"), locator.click()]);
  await page.waitForLoadState("networkidle");
}

let bulletinPath = "";
let editedTitle = "";
let editedItem = 0;

describe("简报", () => {
  it("a. the reviewer compiles an issue, rewrites one item beside its original, and signs it", async () => {
    const s = await as("reviewer");
    const { page } = s;
    await page.goto(`${portal.url}/bulletins`);
    await shot(page, "01-list-1280");
    await follow(page, page.locator('a:has-text("编辑新一期")'), (u) => u.pathname === "/bulletins/new");
    await follow(page, page.locator('button:has-text("新建草稿")'), (u) => /^\/bulletins\/\d+\/edit$/.test(u.pathname));
    const editPath = new URL(page.url()).pathname;
    bulletinPath = editPath.replace(/\/edit$/, "");

    // 城关镇中心学校's best adopted item first, found with the unit filter; then any other unit's.
    await page.selectOption("#c-unit", { label: "城关镇中心学校" });
    await follow(page, page.locator('form[aria-label="筛选"] button[type="submit"]'), (u) => u.searchParams.has("unit"));
    const firstRow = page.locator(".bulletin-candidates tbody tr").first();
    await firstRow.locator('td[data-label="单位"]', { hasText: "城关镇中心学校" }).waitFor();
    await submit(page, firstRow.locator('button:has-text("加入")'));
    await page.goto(`${portal.url}${editPath}`);
    await submit(page, page.locator(".bulletin-candidates tbody tr").first().locator('button:has-text("加入")'));
    expect(await page.locator(".bulletin-editor-item").count()).toBe(2);

    const title = (await page.locator(".bulletin-editor-item header strong a").first().innerText()).trim();
    expect(await page.locator(".bulletin-editor-item header").first().innerText()).toContain("城关镇中心学校");
    // Rewrite the school's title for the bulletin; the original stays beside it.
    const titleBox = page.locator('textarea[name^="title_"]').first();
    editedItem = Number((await titleBox.getAttribute("name"))!.slice(6));
    editedTitle = `${title}（简报摘编）`;
    await titleBox.fill(editedTitle);
    await page.fill('input[name="report_to"]', "市教育局办公室");
    await page.fill('input[name="send_to"]', "县委办、县政府办");
    await page.fill('input[name="issue_to"]', "各乡镇中心学校，县直各学校、幼儿园");
    await page.fill('textarea[name="editor_note"]', "现将近期各校工作亮点编发，供学习借鉴。");
    await submit(page, page.locator('button[form="bulletin-save"]').first());
    await page.locator(".flash--success").waitFor();
    const first = page.locator(".bulletin-editor-item").first();
    expect(await first.locator(".bulletin-original").count()).toBe(1);
    expect(await first.innerText()).toContain(title);
    expect(await first.locator('[aria-label="标题差异"] ins').innerText()).toBe("（简报摘编）");
    await shot(page, "02-edit-1280");

    // 签发 after the confirmation page.
    await follow(page, page.locator('a:has-text("签发…")'), (u) => u.pathname.endsWith("/publish"));
    // The address changes before the confirmation page has rendered: wait for its list first.
    await page.locator('ol[aria-label="收录的信息"]').waitFor();
    expect(await page.locator('ol[aria-label="收录的信息"] li').count()).toBe(2);
    expect(await page.innerText("main")).toContain("县教育信息简报（县区级）");
    await shot(page, "03-confirm-1280");
    await follow(page, page.locator('button:has-text("确认签发")'), (u) => u.pathname === bulletinPath);
    expect(await page.locator(".bulletin-article h2").first().innerText()).toBe(editedTitle);
    await shot(page, "04-issue-1280");
    await done(s);
  });

  it("b. the issue is public, reads on a phone, and its Word file shows the red 报头", async () => {
    const s = await as(null, PHONE);
    const { page } = s;
    await page.goto(`${portal.url}/bulletins`);
    await expectNoHorizontalOverflow(page);
    await shot(page, "05-list-390");
    await page.goto(`${portal.url}${bulletinPath}`);
    expect(await page.locator(".bulletin-name").innerText()).toBe("临溪县教育信息");
    await expectNoHorizontalOverflow(page);
    await shot(page, "06-issue-390");
    const res = await page.request.get(`${portal.url}${bulletinPath}.docx`);
    expect(res.status()).toBe(200);
    const file = path.join(tmp, "bulletin.docx");
    writeFileSync(file, await res.body());
    expect(readFileSync(file).subarray(0, 2).toString()).toBe("PK");
    await done(s);

    const pdf = docxToPdf(file, tmp);
    const flat = flatPdfText(pdf);
    for (const s of ["临溪县教育信息", editedTitle, "报：市教育局办公室", "印发"]) expect(flat).toContain(s.replace(/\s+/g, ""));
    expectRedHeadOnFirstPage(pdf, "bulletins-docx-page1");
  }, 240_000);

  it("c. the school sees the notification and the pickup on its item", async () => {
    const s = await as("x01-c1");
    const { page } = s;
    await page.goto(`${portal.url}/notifications`);
    expect(await page.innerText("main")).toMatch(/编入《临溪县教育信息》第\d+期/);
    await page.goto(`${portal.url}/items/${editedItem}`);
    const text = await page.innerText("main");
    expect(text).toContain("上稿：县教育信息简报（县区级");
    expect(text).toContain("县区级媒体上稿");
    await shot(page, "07-school-item-1280");
    await done(s);
  });
});
