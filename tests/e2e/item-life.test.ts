// An item's life in the browser: a correspondent writes it with two photos, the school's lead
// signs it off, the bureau adopts it and records a pickup, the public reads it, the bureau takes it
// down. A second item is returned, edited, resubmitted and rejected. Two reviewers race on one item.
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeSession as done, screenshots, sessionAs, startPortalAndBrowser, stopPortalAndBrowser } from "./support/browser";
import type { Portal } from "./support/portal";

let portal: Portal;
let browser: Browser;
let photoDir: string;
const PHOTOS: string[] = [];

/** Today in the county (Asia/Shanghai), as YYYY-MM-DD. */
const TODAY = new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Shanghai", year: "numeric", month: "2-digit", day: "2-digit" }).format(
  new Date(),
);
const STAMP = Date.now().toString(36).slice(-5);

beforeAll(async () => {
  photoDir = mkdtempSync(path.join(os.tmpdir(), "item-life-photos-"));
  PHOTOS.push(path.join(photoDir, "操场.jpg"), path.join(photoDir, "classroom.png"));
  await sharp({ create: { width: 800, height: 600, channels: 3, background: "#3a7" } }).jpeg({ quality: 80 }).toFile(PHOTOS[0]);
  await sharp({ create: { width: 640, height: 480, channels: 3, background: "#c53" } }).png().toFile(PHOTOS[1]);
  ({ portal, browser } = await startPortalAndBrowser());
});
afterAll(async () => {
  await stopPortalAndBrowser(portal, browser);
  if (photoDir) rmSync(photoDir, { recursive: true, force: true });
});

// ---------------------------------------------------------------------------------------------

const shot = screenshots("item-life");
/** A fresh context, signed in as `username` (or anonymous). */
const as = (username: string | null) => sessionAs(browser, portal.url, username);

async function flash(page: Page, text: string) {
  await page.locator(".flash--success", { hasText: text }).waitFor();
}

/** The item's status badge on /items/:id (the first badge above the title). */
async function itemStatus(page: Page): Promise<string> {
  return (await page.locator(".item-flags .badge").first().textContent()) ?? "";
}

/** Waits until every photo of the grid has loaded (lazy images are scrolled into view first). */
async function expectPhotosLoaded(page: Page, count: number) {
  const imgs = page.locator(".photo-grid img");
  await imgs.nth(count - 1).waitFor({ state: "attached" });
  expect(await imgs.count()).toBe(count);
  for (let i = 0; i < count; i++) await imgs.nth(i).scrollIntoViewIfNeeded();
  await page.waitForFunction(
    () => [...document.querySelectorAll<HTMLImageElement>(".photo-grid img")].every((img) => img.complete && img.naturalWidth > 0),
    undefined,
    { timeout: 15_000 },
  );
  const widths = await imgs.evaluateAll((list) => list.map((img) => (img as HTMLImageElement).naturalWidth));
  for (const w of widths) expect(w).toBeGreaterThan(0);
}

/** Writes an item on /items/new and presses 报送; returns its id. */
async function writeAndSubmit(page: Page, input: { title: string; paragraphs: string[]; photos?: string[] }): Promise<number> {
  await page.goto(`${portal.url}/items/new`);
  await page.locator("h1", { hasText: "写稿" }).waitFor();
  await page.fill("#title", input.title);
  await page.fill("#body", input.paragraphs.join("\n"));
  await page.selectOption("#category_id", { label: "养成教育" });
  await page.selectOption("#channel_id", { label: "教育信息网" });
  await page.fill("#event_date", TODAY);
  for (const [i, file] of (input.photos ?? []).entries()) {
    await page.setInputFiles(`#photo_${i + 1}`, file);
    await page.fill(`#caption_${i + 1}`, `图片说明 ${i + 1}`);
  }
  await page.check("#confidential_checked");
  await Promise.all([page.waitForURL((u) => /^\/items\/\d+$/.test(u.pathname)), page.click('button[name="intent"][value="submit"]')]);
  return Number(/\/items\/(\d+)$/.exec(new URL(page.url()).pathname)![1]);
}

async function signOff(page: Page, id: number) {
  await page.goto(`${portal.url}/items/${id}`);
  await page.click('form:has(input[name="intent"][value="sign_off"]) button[type="submit"]');
  await flash(page, "已签发");
}

/** On /review/:id: presses the submit button of the form whose hidden intent is `intent`. */
function decisionButton(page: Page, intent: string) {
  return page.locator(`form:has(input[name="intent"][value="${intent}"]) button[type="submit"]`);
}

async function adopt(page: Page, id: number, grade: "excellent" | "good" | "fair") {
  await page.check(`form:has(input[name="intent"][value="adopt"]) input[name="grade"][value="${grade}"]`);
  await Promise.all([page.waitForURL((u) => u.pathname !== `/review/${id}`), decisionButton(page, "adopt").click()]);
}

async function decideWithReason(page: Page, id: number, intent: "return" | "reject", reason: string) {
  const form = page.locator(`details:has(input[name="intent"][value="${intent}"])`);
  await form.locator("summary").click();
  await page.fill(`#${intent}-reason`, reason);
  await Promise.all([page.waitForURL((u) => u.pathname !== `/review/${id}`), decisionButton(page, intent).click()]);
}

// ---------------------------------------------------------------------------------------------

describe("an item from writing to take-down", () => {
  const title = `城关镇中心学校开展“书香校园”读书月活动 ${STAMP}`;
  const paragraphs = [
    "11月中旬，城关镇中心学校启动“书香校园”读书月活动，全校师生共读经典、分享心得。",
    "活动期间，学校开放图书角，举办好书推荐会和读书笔记展评，营造了浓厚的读书氛围。",
  ];
  const outlet = "市教育发布";
  const link = "https://jyj.example.gov.cn/news/2026/reading.html";
  let id = 0;

  it("a. the correspondent writes it with two photos and submits it", async () => {
    const s = await as("x01-c1");
    await s.page.goto(`${portal.url}/items/new`);
    await shot(s.page, "a1-new-form");
    id = await writeAndSubmit(s.page, { title, paragraphs, photos: PHOTOS });
    await flash(s.page, "已报送，等待分管领导签发");
    expect(await itemStatus(s.page)).toBe("待校内审核");
    expect(await s.page.locator("h1.item-title").textContent()).toBe(title);
    // One paragraph per line.
    expect(await s.page.locator(".item-body p").allTextContents()).toEqual(paragraphs);
    await expectPhotosLoaded(s.page, 2);
    expect(await s.page.locator(".photo-grid figcaption").allTextContents()).toEqual(["图片说明 1", "图片说明 2"]);
    await shot(s.page, "a2-submitted");
    await done(s);
  });

  it("b. the school's lead signs it off", async () => {
    const s = await as("x01-lead");
    await s.page.goto(`${portal.url}/items/${id}`);
    await shot(s.page, "b1-lead-sees-item");
    await signOff(s.page, id);
    expect(await itemStatus(s.page)).toBe("待审核");
    await shot(s.page, "b2-signed-off");
    await done(s);
  });

  it("c. the reviewer finds it in the queue, adopts it (优) and records a city pickup", async () => {
    const s = await as("reviewer");
    const { page } = s;
    await page.goto(`${portal.url}/review`);
    await page.selectOption("#unit", { label: "城关镇中心学校" });
    await Promise.all([page.waitForURL((u) => u.searchParams.has("unit")), page.click('form.filters button[type="submit"]')]);
    await shot(page, "c1-queue-filtered");
    await Promise.all([page.waitForURL((u) => u.pathname === `/review/${id}`), page.getByRole("link", { name: title }).click()]);
    await page.locator("h1.item-title", { hasText: title }).waitFor();
    await expectPhotosLoaded(page, 2);
    await shot(page, "c2-review-page");

    await adopt(page, id, "excellent");
    await page.locator(".flash--success", { hasText: `已采用（优）：${title}` }).waitFor();
    await shot(page, "c3-adopted-next-item");

    await page.goto(`${portal.url}/review/${id}`);
    expect(await page.locator(".item-flags .badge").allTextContents()).toEqual(expect.arrayContaining(["已采用", "等次：优"]));
    await page.locator('details:has(input[name="intent"][value="pickup"]) > summary').click();
    await page.fill("#pickup-outlet", outlet);
    await page.selectOption("#pickup-tier", { label: "市级" });
    await page.fill("#pickup-picked_on", TODAY);
    await page.fill("#pickup-url", link);
    await decisionButton(page, "pickup").click();
    await flash(page, `已登记上稿：${outlet}（市级，${TODAY}）`);
    const pickup = page.locator("#pickups .report-rows li", { hasText: outlet });
    expect(await pickup.textContent()).toContain(`上稿：${outlet}（市级，${TODAY}）`);
    expect(await pickup.locator("a").getAttribute("href")).toBe(link);
    expect(await page.locator(".item-flags .badge").first().textContent()).toBe("已采用");
    await shot(page, "c4-pickup-recorded");
    await done(s);

    // The school sees the same on its own page.
    const c1 = await as("x01-c1");
    await c1.page.goto(`${portal.url}/items/${id}`);
    expect(await itemStatus(c1.page)).toBe("已采用");
    expect(await c1.page.locator(".report-rows li").first().textContent()).toContain(`上稿：${outlet}（市级，${TODAY}）`);
    // The points receipt names each rule of the default version: 优 3, photos 0.5, a city pickup 2.
    const receipt = c1.page.locator("table.receipt");
    const lines = await receipt.locator("tbody tr").evaluateAll((rows) =>
      rows.map((r) => [...r.querySelectorAll("td")].map((td) => td.textContent?.trim())),
    );
    expect(lines).toEqual([["采用（优）", "+3"], ["配发图片", "+0.5"], ["市级媒体上稿", "+2"]]);
    expect((await receipt.locator("tfoot tr").first().textContent())?.replace(/\s+/g, "")).toBe("合计5.5");
    await shot(c1.page, "c5-correspondent-sees-adopted");
    await done(c1);
  });

  it("d. an anonymous visitor finds it on /news and reads it with its photos", async () => {
    const s = await as(null);
    const { page } = s;
    await page.goto(`${portal.url}/news`);
    const card = page.locator(".news-card__title a", { hasText: title });
    expect(await card.count()).toBe(1);
    expect(await card.isVisible()).toBe(true);
    await shot(page, "d1-news-list");
    await Promise.all([page.waitForURL((u) => u.pathname === `/news/${id}`), card.click()]);
    expect(await page.locator("article.news-article h1").textContent()).toBe(title);
    expect(await page.locator(".news-article .item-body p").allTextContents()).toEqual(paragraphs);
    await expectPhotosLoaded(page, 2);
    // The public page shows no workflow details.
    expect(await page.locator("main").textContent()).not.toContain(outlet);
    await shot(page, "d2-news-item");
    await done(s);
  });

  it("e. the reviewer takes it down; it leaves /news and its address is a polite 404", async () => {
    const s = await as("reviewer");
    const { page } = s;
    await page.goto(`${portal.url}/review/${id}`);
    await page.locator('details:has(input[name="intent"][value="withdraw"]) > summary').click();
    await page.fill("#withdraw-reason", "活动照片涉及未成年人肖像，撤下处理。");
    await shot(page, "e1-withdraw-form");
    await decisionButton(page, "withdraw").click();
    await flash(page, `已撤稿：${title}（积分保留）`);
    expect(await page.locator(".item-flags .badge").first().textContent()).toBe("已撤稿");
    await shot(page, "e2-withdrawn");
    await done(s);

    const anon = await as(null);
    await anon.page.goto(`${portal.url}/news`);
    await anon.page.locator("h1", { hasText: "信息公开" }).waitFor();
    expect(await anon.page.locator(".news-card__title a", { hasText: title }).count()).toBe(0);
    await shot(anon.page, "e3-news-list-without-it");
    const response = await anon.page.goto(`${portal.url}/news/${id}`);
    expect(response?.status()).toBe(404);
    expect(await anon.page.locator("h1").textContent()).toBe("信息不存在");
    expect(await anon.page.locator(".error-page").textContent()).toContain("该信息已撤下或不存在，感谢您的关注。");
    expect(await anon.page.locator(".error-page a", { hasText: "浏览其他信息" }).getAttribute("href")).toBe("/news");
    // Its photos are no longer public either.
    const photo = await fetch(`${portal.url}/photos/${(await photoIdsOf(id))[0]}`);
    expect(photo.status).toBe(404);
    await shot(anon.page, "e4-news-item-404");
    await done(anon);
  });

  /** The photo ids of an item, read from the reviewer's page (its links point at /photos/:id). */
  async function photoIdsOf(itemId: number): Promise<number[]> {
    const s = await as("reviewer");
    await s.page.goto(`${portal.url}/review/${itemId}`);
    const hrefs = await s.page.locator(".photo-grid a").evaluateAll((as) => as.map((a) => a.getAttribute("href") ?? ""));
    await done(s);
    return hrefs.map((h) => Number(/\/photos\/(\d+)/.exec(h)![1]));
  }
});

describe("a returned item is edited, resubmitted and rejected", () => {
  const title = `城关镇中心学校召开家长座谈会 ${STAMP}`;
  const newTitle = `城关镇中心学校召开秋季家校共育座谈会 ${STAMP}`;
  const returnReason = "标题过于笼统，请写明会议主题。";
  const rejectReason = "内容与本月已采用稿件重复，不予采用。";
  let id = 0;

  it("is returned with a reason, edited and sent again, then rejected", async () => {
    const c1 = await as("x01-c1");
    id = await writeAndSubmit(c1.page, {
      title,
      paragraphs: ["近日，城关镇中心学校召开家长座谈会，校长通报了本学期工作。", "家长代表就课后服务、校园安全等提出了建议。"],
    });
    expect(await itemStatus(c1.page)).toBe("待校内审核");
    await shot(c1.page, "r1-submitted");

    const lead = await as("x01-lead");
    await signOff(lead.page, id);
    expect(await itemStatus(lead.page)).toBe("待审核");
    await shot(lead.page, "r2-signed-off");

    const reviewer = await as("reviewer");
    await reviewer.page.goto(`${portal.url}/review/${id}`);
    await decideWithReason(reviewer.page, id, "return", returnReason);
    await reviewer.page.locator(".flash--success", { hasText: `已退回修改：${title}` }).waitFor();
    await shot(reviewer.page, "r3-returned");

    // The correspondent sees the reason and edits the title.
    await c1.page.goto(`${portal.url}/items/${id}`);
    expect(await c1.page.locator(".item-flags .badge").allTextContents()).toEqual(expect.arrayContaining(["草稿", "退回修改"]));
    expect(await c1.page.locator(".reason-box h2").textContent()).toBe("退回理由");
    expect(await c1.page.locator(".reason-box p").textContent()).toBe(returnReason);
    await shot(c1.page, "r4-correspondent-sees-reason");
    await Promise.all([c1.page.waitForURL((u) => u.pathname === `/items/${id}/edit`), c1.page.click('a:has-text("编辑")')]);
    expect(await c1.page.locator(".reason-box p").textContent()).toBe(returnReason);
    expect(await c1.page.inputValue("#title")).toBe(title);
    await c1.page.fill("#title", newTitle);
    await c1.page.check("#confidential_checked");
    await shot(c1.page, "r5-edit-form");
    await Promise.all([
      c1.page.waitForURL((u) => u.pathname === `/items/${id}`),
      c1.page.click('button[name="intent"][value="submit"]'),
    ]);
    await flash(c1.page, "已报送，等待分管领导签发");
    expect(await c1.page.locator("h1.item-title").textContent()).toBe(newTitle);
    expect(await itemStatus(c1.page)).toBe("待校内审核");
    await shot(c1.page, "r6-resubmitted");

    await signOff(lead.page, id);
    expect(await itemStatus(lead.page)).toBe("待审核");
    await shot(lead.page, "r7-signed-off-again");

    await reviewer.page.goto(`${portal.url}/review/${id}`);
    expect(await reviewer.page.locator("h1.item-title").textContent()).toBe(newTitle);
    await decideWithReason(reviewer.page, id, "reject", rejectReason);
    await reviewer.page.locator(".flash--success", { hasText: `已作不采用处理：${newTitle}` }).waitFor();
    await shot(reviewer.page, "r8-rejected");

    await c1.page.goto(`${portal.url}/items/${id}`);
    expect(await itemStatus(c1.page)).toBe("不采用");
    expect(await c1.page.locator(".reason-box h2").textContent()).toBe("不采用理由");
    expect(await c1.page.locator(".reason-box p").textContent()).toBe(rejectReason);
    // The history tells the whole story.
    const history = await c1.page.locator(".timeline li").allTextContents();
    expect(history.some((h) => h.includes("理由：" + returnReason))).toBe(true);
    expect(history.some((h) => h.includes("理由：" + rejectReason))).toBe(true);
    await shot(c1.page, "r9-correspondent-sees-rejection");

    await done(c1);
    await done(lead);
    await done(reviewer);
  });
});

describe("two reviewers on one waiting item", () => {
  it("the second decision is refused with 该稿件已被他人处理 and the item stays adopted", async () => {
    const first = await as("reviewer");
    const second = await as("reviewer2");
    // The item that has waited longest.
    await first.page.goto(`${portal.url}/review`);
    const link = first.page.locator("table.data tbody tr").first().locator("a").first();
    const title = (await link.textContent())!;
    const id = Number(/\/review\/(\d+)/.exec((await link.getAttribute("href"))!)![1]);

    await first.page.goto(`${portal.url}/review/${id}`);
    await second.page.goto(`${portal.url}/review/${id}`);
    await shot(second.page, "x1-second-reviewer-opens");

    await adopt(first.page, id, "good");
    await first.page.locator(".flash--success", { hasText: `已采用（良）：${title}` }).waitFor();

    // The second reviewer's page is stale: it still offers the decisions.
    await second.page.locator('details:has(input[name="intent"][value="reject"]) > summary').click();
    await second.page.fill("#reject-reason", "与他校稿件内容雷同。");
    await decisionButton(second.page, "reject").click();
    const alert = second.page.locator('p.form-error[role="alert"]');
    await alert.waitFor();
    expect(await alert.textContent()).toContain("该稿件已被他人处理");
    expect(second.page.url()).toBe(`${portal.url}/review/${id}`);
    await shot(second.page, "x2-conflict-shown");

    await second.page.reload();
    expect(await second.page.locator(".item-flags .badge").allTextContents()).toEqual(expect.arrayContaining(["已采用", "等次：良"]));
    expect(await second.page.locator(".timeline li").allTextContents()).not.toEqual(
      expect.arrayContaining([expect.stringContaining("不采用")]),
    );
    await shot(second.page, "x3-still-adopted");

    await done(first);
    // The refused POST answers 409, which Chromium logs as a failed resource.
    await done(second, [/status of 409/]);
  });
});
