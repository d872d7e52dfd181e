// Closing a month in the browser: refused while items wait, allowed once each is decided; the
// month's league table is then final and frozen against a new points rule. A school's lead sees
// its own row and movement, its dashboard charts, downloads the same numbers as Excel, and the
// pages read on a phone.
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import ExcelJS from "exceljs";
import type { Browser, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  closeSession as done, LAST_MONTH, monthLabel as label, screenshots, sessionAs, startPortalAndBrowser, stopPortalAndBrowser,
  THIS_MONTH,
} from "./support/browser";
import { newPage, type Portal } from "./support/portal";

let portal: Portal;
let browser: Browser;

const X01 = "城关镇中心学校";

beforeAll(async () => {
  ({ portal, browser } = await startPortalAndBrowser());
});
afterAll(() => stopPortalAndBrowser(portal, browser));

// ---------------------------------------------------------------------------------------------

const shot = screenshots("months-rankings");
const as = (username: string, options?: Parameters<typeof newPage>[1]) => sessionAs(browser, portal.url, username, options);

interface RowNumbers {
  rank: number;
  points: number;
  adopted: number;
}

/** X01's row in the 乡镇中心校 table of a rankings page. */
function x01Row(page: Page) {
  return page.locator('section[aria-labelledby="kind-township_central"] table.rank-table tbody tr', { hasText: X01 });
}

/** A league table's column headers as the page shows them (without the sort marks). */
async function columnHeads(page: Page): Promise<string[]> {
  const heads = page.locator('section[aria-labelledby="kind-township_central"] table.rank-table thead th');
  return (await heads.allTextContents()).map((t) => t.replace(/[▲▼↕]/g, "").trim());
}

/** The selector of a league table's body cells under the header `label`. */
async function cellUnder(page: Page, label: string): Promise<string> {
  const i = (await columnHeads(page)).indexOf(label);
  expect(i, `a column headed ${label}`).toBeGreaterThanOrEqual(0);
  return `td:nth-child(${i + 1})`;
}

/** What a phone shows before each cell of a row: its label (none on the card's first line). */
async function phoneLabels(row: Locator): Promise<string[]> {
  return row.locator("td").evaluateAll((tds) =>
    tds.map((td) => {
      const content = getComputedStyle(td, "::before").content;
      return content === "none" || content === "normal" ? "" : (JSON.parse(content) as string);
    }),
  );
}

async function rowNumbers(page: Page): Promise<RowNumbers & { movement: string }> {
  const row = x01Row(page);
  await row.waitFor();
  const text = async (selector: string) => ((await row.locator(selector).textContent()) ?? "").trim();
  return {
    rank: Number(await text(`${await cellUnder(page, "名次")} strong`)),
    points: Number(await text(await cellUnder(page, "积分"))),
    adopted: Number(await text(await cellUnder(page, "采用"))),
    movement: await text(`${await cellUnder(page, "变化")} [aria-hidden="true"]`),
  };
}

/** Fails when the page is wider than the window (a table or heading that does not fit). */
async function expectNoHorizontalOverflow(page: Page) {
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
  }));
  expect(scrollWidth, `page ${page.url()} is ${scrollWidth}px wide in a ${innerWidth}px window`).toBeLessThanOrEqual(innerWidth);
}

async function chartsDrawn(page: Page) {
  for (const title of ["近 12 个月类别内名次", "近 12 个月积分"]) {
    await page.locator(`figure.chart-figure[aria-label="${title}"] svg.recharts-surface`).first().waitFor({ timeout: 20_000 });
  }
}

// ---------------------------------------------------------------------------------------------

describe(`closing ${LAST_MONTH}`, () => {
  let closed: RowNumbers;

  it("a. is refused while items wait; once each is adopted the month closes and its table is final", async () => {
    const s = await as("reviewer");
    const { page } = s;
    await page.goto(`${portal.url}/months`);
    const lastRow = page.locator(`tr#m-${LAST_MONTH}`);
    const waitingCount = Number(/(\d+)/.exec((await lastRow.locator('td[data-label="待审核"]').textContent()) ?? "")![1]);
    expect(waitingCount).toBeGreaterThan(0);
    expect(await page.locator(`tr#m-${THIS_MONTH} td[data-label="操作"]`).textContent()).toContain("月底后可结算");
    await shot(page, "a1-months");

    // 结算 opens its confirmation page, which lists what blocks the close and cannot be confirmed.
    await Promise.all([page.waitForURL(`**/months/${LAST_MONTH}/close`), page.click(`a[aria-label="结算${label(LAST_MONTH)}"]`)]);
    const refusal = page.locator('section.card--alert[aria-labelledby="waiting-title"]');
    await refusal.waitFor();
    expect(await refusal.locator("h2").textContent()).toBe(`还有 ${waitingCount} 篇稿件待审核`);
    expect(await page.locator("button", { hasText: `确认结算${label(LAST_MONTH)}` }).isDisabled()).toBe(true);
    const links = refusal.locator(".waiting-list li a");
    expect(await links.count()).toBe(waitingCount);
    const waiting = await links.evaluateAll((as) => as.map((a) => ({ href: a.getAttribute("href")!, title: a.textContent! })));
    await shot(page, "a2-close-refused");

    // Before: the provisional table.
    await page.goto(`${portal.url}/rankings/${LAST_MONTH}`);
    expect(await page.locator(".rank-banner--provisional").textContent()).toContain("暂定");
    await shot(page, "a3-rankings-provisional");

    for (const [i, item] of waiting.entries()) {
      await page.goto(`${portal.url}${item.href}`);
      await page.locator("h1.item-title", { hasText: item.title }).waitFor();
      await page.check('form:has(input[name="intent"][value="adopt"]) input[name="grade"][value="good"]');
      await Promise.all([
        page.waitForURL((u) => u.pathname !== item.href),
        page.click('form:has(input[name="intent"][value="adopt"]) button[type="submit"]'),
      ]);
      await page.locator(".flash--success", { hasText: `已采用（良）：${item.title}` }).waitFor();
      await shot(page, `a4-decided-${String(i + 1).padStart(2, "0")}`);
    }

    await page.goto(`${portal.url}/months`);
    expect(((await lastRow.locator('td[data-label="待审核"]').textContent()) ?? "").trim()).toBe("0 篇");
    const adoptedShown = ((await lastRow.locator('td[data-label="采用"]').textContent()) ?? "").trim();
    await Promise.all([page.waitForURL(`**/months/${LAST_MONTH}/close`), page.click(`a[aria-label="结算${label(LAST_MONTH)}"]`)]);
    // The confirmation page shows what the close freezes: the same adopted count as the desk.
    const frozen = page.locator('section[aria-labelledby="frozen-title"]');
    expect(await frozen.locator("dt:has-text('采用稿件') + dd").textContent()).toBe(adoptedShown);
    await shot(page, "a5-confirm-close");
    await Promise.all([page.waitForURL(/\/months$/), page.click(`button:has-text("确认结算${label(LAST_MONTH)}")`)]);
    await page.locator(".flash--success", { hasText: `已结算 ${label(LAST_MONTH)}` }).waitFor();
    expect(await lastRow.locator('td[data-label="状态"] .badge').textContent()).toBe("已结算");
    await shot(page, "a5-closed");

    await page.goto(`${portal.url}/rankings/${LAST_MONTH}`);
    expect(await page.locator(".rank-banner--provisional").count()).toBe(0);
    expect(await page.locator("main").textContent()).not.toContain("暂定");
    expect(await page.locator(".rank-banner--closed strong").textContent()).toMatch(/^已于 \d{4}-\d{2}-\d{2} \d{2}:\d{2} 结算$/);
    const { movement: _, ...numbers } = await rowNumbers(page);
    closed = numbers;
    expect(closed.rank).toBeGreaterThanOrEqual(1);
    expect(closed.adopted).toBeGreaterThan(0);
    expect(Number.isFinite(closed.points)).toBe(true);
    await shot(page, "a6-rankings-closed");
    // The refused close answers 409, which Chromium logs as a failed resource.
    await done(s, [/status of 409/]);
  });

  it("b. a new points rule starts this month at the earliest and leaves the closed month's table as it was", async () => {
    // Before: how many of X01's adopted items are graded 优 in each month, and this month's points.
    const r = await as("reviewer");
    const excellent: Record<string, number> = {};
    await r.page.goto(`${portal.url}/review`);
    const unitId = await r.page.locator("#unit option", { hasText: X01 }).getAttribute("value");
    for (const month of [LAST_MONTH, THIS_MONTH]) {
      await r.page.goto(`${portal.url}/review?status=adopted&unit=${unitId}&month=${month}`);
      const rows = r.page.locator("table.data tbody tr");
      expect(await r.page.locator("nav.pager").textContent()).toContain("第 1/1 页");
      excellent[month] = await rows.filter({ hasText: "已采用 优" }).count();
    }
    await shot(r.page, "b0-x01-adopted-this-month");
    // The frozen check below means something only when the old rule's 优 counted in that month.
    expect(excellent[LAST_MONTH]).toBeGreaterThan(0);
    await r.page.goto(`${portal.url}/rankings/${THIS_MONTH}`);
    const thisMonthBefore = await rowNumbers(r.page);

    const s = await as("admin");
    const { page } = s;
    await page.goto(`${portal.url}/admin/rules`);
    expect(await page.locator("#points-month-hint").textContent()).toContain(`最早可从 ${label(THIS_MONTH)} 起生效`);
    // The form suggests next month; this month is the earliest it accepts.
    expect(await page.inputValue("#points-month") >= THIS_MONTH).toBe(true);
    await shot(page, "b1-rules");

    // The closed month cannot take a new rule.
    await page.fill("#points-month", LAST_MONTH);
    await page.fill("#points-grade_excellent", "9");
    await page.click('form:has(input[name="intent"][value="create_points"]) button[type="submit"]');
    await page.locator("#points-month-error").waitFor();
    await shot(page, "b2-closed-month-refused");

    await page.fill("#points-month", THIS_MONTH);
    await page.fill("#points-grade_excellent", "9");
    await page.fill("#points-note", "端到端测试：提高“优”的分值");
    await page.click('form:has(input[name="intent"][value="create_points"]) button[type="submit"]');
    await page.locator(".flash--success", { hasText: `已新建积分规则版本，${label(THIS_MONTH)}起执行` }).waitFor();
    const values = page.locator("table.rules-values tbody tr", { hasText: "采用（优）" });
    expect(await values.locator("td").last().textContent()).toContain("+9");
    await shot(page, "b3-rule-created");
    // A 400 for the refused month is logged by Chromium as a failed resource.
    await done(s, [/status of (400|409)/]);

    await r.page.goto(`${portal.url}/rankings/${LAST_MONTH}`);
    const { movement: _, ...after } = await rowNumbers(r.page);
    expect(after).toEqual(closed);
    expect(await r.page.locator(".rank-banner--closed").count()).toBe(1);
    await shot(r.page, "b4-rankings-frozen");
    // The open month, by contrast, is counted with the new rule: 优 is worth 9 instead of 3.
    await r.page.goto(`${portal.url}/rankings/${THIS_MONTH}`);
    const thisMonthAfter = await rowNumbers(r.page);
    expect(thisMonthAfter.adopted).toBe(thisMonthBefore.adopted);
    expect(thisMonthAfter.points).toBe(thisMonthBefore.points + 6 * excellent[THIS_MONTH]);
    await shot(r.page, "b5-this-month-new-rule");
    await done(r);
  });

  it("c. the school's lead sees its own row marked, movement in every row, and its dashboard charts", async () => {
    const s = await as("x01-lead");
    const { page } = s;
    await page.goto(`${portal.url}/rankings/${LAST_MONTH}`);
    const own = x01Row(page);
    await own.waitFor();
    expect(await own.getAttribute("class")).toContain("own-row");
    expect(await own.locator(".own-marker").textContent()).toBe("本单位");
    // Highlighted: its cells have a background the other rows do not.
    const ownBg = await own.locator("td").nth(1).evaluate((td) => getComputedStyle(td).backgroundColor);
    const other = page.locator('section[aria-labelledby="kind-township_central"] table.rank-table tbody tr:not(.own-row)').first();
    const otherBg = await other.locator("td").nth(1).evaluate((td) => getComputedStyle(td).backgroundColor);
    expect(ownBg).not.toBe(otherBg);
    // Marked in its kind's table and in the county-wide completion table.
    expect(await page.locator("table.rank-table tr.own-row .own-marker", { hasText: "本单位" }).count()).toBe(2);

    const numbers = await rowNumbers(page);
    expect({ rank: numbers.rank, points: numbers.points, adopted: numbers.adopted }).toEqual(closed);
    expect(numbers.movement).toMatch(/^(↑\d+|↓\d+|—|新)$/);
    const movements = await page
      .locator(`section[aria-labelledby="kind-township_central"] tbody ${await cellUnder(page, "变化")} [aria-hidden="true"]`)
      .allTextContents();
    expect(movements.length).toBeGreaterThan(1);
    for (const m of movements) expect(m).toMatch(/^(↑\d+|↓\d+|—|新)$/);
    // The rows come from the server in rank order; a header sorts them in the browser, and 名次 puts them back.
    await page.waitForLoadState("networkidle");
    const table = page.locator('section[aria-labelledby="kind-township_central"] table.rank-table');
    const nameCell = await cellUnder(page, "单位");
    const names = () => table.locator(`tbody ${nameCell} .rank-unit`).allTextContents();
    const inRankOrder = await names();
    await table.locator('button[title="按采用排序"]').click();
    await expect.poll(() => table.locator('th[aria-sort="descending"]').textContent()).toContain("采用");
    const adopted = (await table.locator(`tbody ${await cellUnder(page, "采用")}`).allTextContents()).map(Number);
    for (let i = 1; i < adopted.length; i++) expect(adopted[i - 1]).toBeGreaterThanOrEqual(adopted[i]);
    await table.locator('button[title="按名次排序"]').click();
    await expect.poll(() => table.locator('th[aria-sort="ascending"]').textContent()).toContain("名次");
    expect(await names()).toEqual(inRankOrder);
    // The unit's summary card agrees.
    expect(await page.locator(".rank-own").textContent()).toContain(`${closed.rank}`);
    await shot(page, "c1-lead-rankings");

    await page.goto(portal.url);
    await chartsDrawn(page);
    await shot(page, "c2-lead-home-charts");
    await done(s);
  });

  it("d. the lead's Excel download carries the page's numbers as numeric cells", async () => {
    const s = await as("x01-lead");
    const { page } = s;
    await page.goto(`${portal.url}/rankings/${LAST_MONTH}`);
    const onPage = await rowNumbers(page);
    const [download] = await Promise.all([page.waitForEvent("download"), page.click('a:has-text("下载 Excel")')]);
    expect(download.suggestedFilename()).toBe(`排行榜-${label(LAST_MONTH)}.xlsx`);
    const dir = mkdtempSync(path.join(os.tmpdir(), "rankings-xlsx-"));
    const file = path.join(dir, download.suggestedFilename());
    await download.saveAs(file);
    await shot(page, "d1-downloaded");

    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(file);
    expect(workbook.worksheets.map((w) => w.name)).toEqual(["乡镇中心校", "区直中小学", "幼儿园", "信息员"]);
    const sheet = workbook.getWorksheet("乡镇中心校")!;
    const header = (sheet.getRow(1).values as unknown[]).slice(1);
    expect(header).toEqual(expect.arrayContaining(["名次", "单位代码", "单位", "任务数", "采用", "完成率", "积分", "变化"]));
    const col = (name: string) => header.indexOf(name) + 1;
    let found: ExcelJS.Row | undefined;
    sheet.eachRow((row, n) => {
      if (n > 1 && row.getCell(col("单位")).value === X01) found = row;
    });
    expect(found, `${X01} row in the sheet`).toBeDefined();
    const cell = (name: string) => found!.getCell(col(name)).value;
    expect(cell("单位代码")).toBe("X01");
    for (const name of ["名次", "积分", "采用", "任务数", "完成率"]) expect(typeof cell(name), `${name} is a number`).toBe("number");
    expect({ rank: cell("名次"), points: cell("积分"), adopted: cell("采用") }).toEqual({
      rank: onPage.rank,
      points: onPage.points,
      adopted: onPage.adopted,
    });
    expect(cell("变化")).toBe(onPage.movement);
    // Every unit of the page's table is in the sheet.
    const pageRows = await page.locator('section[aria-labelledby="kind-township_central"] table.rank-table tbody tr').count();
    expect(sheet.rowCount - 1).toBe(pageRows);
    rmSync(dir, { recursive: true, force: true });
    await done(s);
  });

  it("e. the league table and the home page fit a 390px phone", async () => {
    const s = await as("x01-lead", { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const { page } = s;
    await page.goto(`${portal.url}/rankings/${LAST_MONTH}`);
    await x01Row(page).waitFor();
    await expectNoHorizontalOverflow(page);
    // Each figure on the unit's card is labelled with its column's name; rank and name lead the card unlabelled.
    const heads = await columnHeads(page);
    expect(heads).toEqual(expect.arrayContaining(["名次", "单位", "任务数", "采用", "完成率", "积分", "变化"]));
    // A channel's header is two lines (name, then 报送/采用); its label is one.
    expect(await phoneLabels(x01Row(page))).toEqual(heads.map((h, i) => (i < 2 ? "" : h.replace(/^(.+)报送\/采用$/, "$1（报送/采用）"))));
    await shot(page, "e1-phone-rankings");

    await page.goto(portal.url);
    await chartsDrawn(page);
    await expectNoHorizontalOverflow(page);
    await shot(page, "e2-phone-home");
    await done(s);
  });
});
