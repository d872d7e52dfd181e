// The bureau steers a month's news, in the browser, end to end: the reviewer publishes a 报送要点 for
// this month and issues a 约稿 to three units (X01, X02, X03). X01 answers on time from
// "按此约稿撰稿", tagged with the theme, and is adopted; X03's lead declines with a reason; the
// deadline then passes (moved into the past in the portal's database, as time passing would) and
// X02 answers late and is adopted too. The reviewer compiles a 简报 with X01's item, rewrites its
// bulletin text beside the original (the difference shows), fills 编者按 and 报/送/发 and signs it;
// LibreOffice turns the issue's .docx into a PDF whose first page opens with the red 报头. X01's
// correspondent sees the pickup "县教育信息简报" on the item and +2 on the month's receipt, X02's sees
// −3 (逾期). The month is then closed as of just after its end (it cannot be closed in the browser
// before it ends) and the reviewer drafts its notice, which says what the journey did: the theme's
// coverage, 约稿 1 on time, 1 late, 1 declined, and the bulletin's issue.
//
// So that the notice's 约稿 numbers are the journey's own, this month's demo 约稿 are removed from the
// portal's database before the journey starts (the demo county also has open ones this month).
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeMonth } from "../../app/models/month-close.server";
import { decideItems } from "../../app/models/review.server";
import { addMonths, shanghaiMidnight } from "../../app/domain/time";
import { openDatabases } from "../../db/connect";
import { closeSession, monthLabel, screenshots, sessionAs, startPortalAndBrowser, stopPortalAndBrowser, THIS_MONTH } from "./support/browser";
import { docxToPdf, expectRedHeadOnFirstPage, flatPdfText } from "./support/documents";
import type { Portal } from "./support/portal";
import { adoptAsGood, answerRequest, declineRequest, flash, follow, passDeadlineAfter } from "./support/requests";

let portal: Portal;
let browser: Browser;
const tmp = mkdtempSync(path.join(os.tmpdir(), "steering-e2e-"));
const shot = screenshots("steering");
const units: Record<string, { id: number; name: string }> = {};
const THEME = "寒假前安全教育";
const TOPIC = "冬季防火防冻安全教育";
const BODY = "近日，学校开展冬季防火防冻安全教育，班主任逐一家访，发放《致家长的一封信》。\n\n活动覆盖全体学生。";
const ADDED = "家访记录已归档备查。";
const EDITOR_NOTE = "现将各校冬季安全教育的做法编发，供学习借鉴。";

type Db = Awaited<ReturnType<typeof openDatabases>>["db"];
const withDb = async <T,>(fn: (db: Db) => Promise<T>): Promise<T> => {
  const dbs = await openDatabases({ filename: path.join(portal.dataDir, "portal.sqlite"), readers: 1 });
  try {
    return await fn(dbs.db);
  } finally {
    await dbs.close();
  }
};
const reviewerUser = async (db: Db) => {
  const r = await db.selectFrom("accounts").selectAll().where("username", "=", "reviewer").executeTakeFirstOrThrow();
  return { id: r.id, username: r.username, displayName: r.display_name, role: "reviewer" as const, unitId: null, unitName: null, mustChangePassword: false };
};

beforeAll(async () => {
  // This journey moves deadlines and closes the month behind the portal's back (withDb), which no
  // cache of the portal can hear of: the cache check (CACHE_CHECK) would call that stale.
  ({ portal, browser } = await startPortalAndBrowser({ AUTO_REMINDERS: "0", CACHE_CHECK: "0" }));
  await withDb(async (db) => {
    for (const code of ["X01", "X02", "X03"]) {
      units[code] = await db.selectFrom("units").select(["id", "name"]).where("code", "=", code).executeTakeFirstOrThrow();
    }
    // These units send straight to the bureau (the lead's sign-off is its own journey).
    await db.updateTable("units").set({ signoff_required: 0 }).where("code", "in", ["X01", "X02"]).execute();
    await db.transaction().execute(async (trx) => {
      const ids = (await trx.selectFrom("requests").select("id").where("month", "=", THIS_MONTH).execute()).map((r) => r.id);
      if (ids.length === 0) return;
      await trx.updateTable("items").set({ request_id: null }).where("request_id", "in", ids).execute();
      await trx.deleteFrom("request_units").where("request_id", "in", ids).execute();
      await trx.deleteFrom("requests").where("id", "in", ids).execute();
    });
    // Nothing else this month is a 约稿 or a published 简报 before the journey.
    expect((await db.selectFrom("requests").select("id").where("month", "=", THIS_MONTH).execute()).length).toBe(0);
    const published = await db.selectFrom("bulletins").select("id").where("status", "=", "published")
      .where("published_at", ">=", shanghaiMidnight(`${THIS_MONTH}-01`)).execute();
    expect(published.length).toBe(0);
  });
});
afterAll(async () => {
  await stopPortalAndBrowser(portal, browser);
  rmSync(tmp, { recursive: true, force: true });
});

const shanghaiDay = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 10);
const today = () => shanghaiDay(Date.now());
/** Tomorrow 17:00 Shanghai time, or today 23:59 on a month's last day, so the 约稿 stays in this month. */
const due = () => {
  const tomorrow = shanghaiDay(Date.now() + 86_400_000);
  return tomorrow.startsWith(THIS_MONTH) ? { date: tomorrow, time: "17:00" } : { date: today(), time: "23:59" };
};

const answer = (page: Page, requestId: number, title: string, theme: string | null) =>
  answerRequest(page, portal.url, requestId, { topic: TOPIC, title, body: BODY, eventDate: today(), theme });
const adopt = (page: Page, itemId: number) => adoptAsGood(page, portal.url, itemId);

describe(`${monthLabel(THIS_MONTH)}: 报送要点, 约稿, 简报 and the month's notice`, () => {
  it("the journey", async () => {
    const started = Date.now();
    const reviewer = await sessionAs(browser, portal.url, "reviewer");
    const r = reviewer.page;

    // 1. The month's 报送要点.
    await r.goto(`${portal.url}/themes?month=${THIS_MONTH}`);
    const form = r.locator("form", { has: r.locator('input[name="intent"][value="create"]') });
    await form.getByLabel("要点标题").fill(THEME);
    await form.getByLabel("报送说明（可选）").fill("防火、防冻、防滑、防一氧化碳中毒的教育和排查。");
    await form.getByRole("button", { name: "发布" }).click();
    await flash(r, `已发布${monthLabel(THIS_MONTH)}报送要点“${THEME}”`);
    const card = r.locator(".theme-coverage__item", { hasText: THEME });
    const coverage = /已覆盖 0 \/ (\d+) 个单位 · 已报送 0 个单位/.exec(await card.innerText());
    expect(coverage).not.toBeNull();
    const expectedUnits = Number(coverage![1]);
    expect(expectedUnits).toBeGreaterThan(3);

    // 2. The 约稿, due tomorrow 17:00 Shanghai time, to three units.
    await r.goto(`${portal.url}/requests/new`);
    await r.getByLabel("约稿主题").fill(TOPIC);
    await r.getByLabel("约稿说明").fill("写清家访、告家长书等具体做法。");
    await r.getByLabel("截止日期").fill(due().date);
    await r.getByLabel("截止时间").fill(due().time);
    for (const code of ["X01", "X02", "X03"]) await r.getByLabel(units[code].name, { exact: true }).check();
    await follow(r, r.getByRole("button", { name: "发出约稿" }), (u) => /^\/requests\/\d+$/.test(u.pathname));
    await flash(r, "约稿已发出，已通知 3 个单位");
    const requestId = Number(new URL(r.url()).pathname.split("/")[2]);
    expect(await withDb(async (db) => (await db.selectFrom("requests").select("month").where("id", "=", requestId).executeTakeFirstOrThrow()).month)).toBe(THIS_MONTH);

    // 3. X01 answers on time, tagged with the theme, and is adopted; X03's lead declines.
    const x01 = await sessionAs(browser, portal.url, "x01-c1");
    const onTimeTitle = `${units.X01.name}开展冬季防火防冻安全教育`;
    const onTime = await answer(x01.page, requestId, onTimeTitle, THEME);
    await adopt(r, onTime);
    const x03 = await sessionAs(browser, portal.url, "x03-lead");
    await declineRequest(x03.page, portal.url, requestId, "本校本月正在迎接督导评估，未开展此项活动");

    // The deadline passes: it moves to just after the last answer so far.
    await withDb((db) => passDeadlineAfter(db, requestId, onTime, units.X03.id));
    // X02 answers late (untagged) and is adopted too.
    const x02 = await sessionAs(browser, portal.url, "x02-c1");
    const late = await answer(x02.page, requestId, `${units.X02.name}开展冬季安全主题班会`, null);
    expect(await withDb(async (db) => {
      const [item, req] = await Promise.all([
        db.selectFrom("items").select("submitted_at").where("id", "=", late).executeTakeFirstOrThrow(),
        db.selectFrom("requests").select("due_at").where("id", "=", requestId).executeTakeFirstOrThrow(),
      ]);
      return Date.parse(item.submitted_at!) > Date.parse(req.due_at);
    })).toBe(true);
    await adopt(r, late);
    await r.goto(`${portal.url}/requests/${requestId}`);
    const outcomes = r.locator("table");
    await outcomes.waitFor();
    for (const [code, outcome] of [["X01", "按时完成"], ["X02", "逾期"], ["X03", "婉拒"]] as const) {
      expect(await outcomes.locator("tr", { hasText: units[code].name }).innerText()).toContain(outcome);
    }

    // 4. The 简报 with X01's item, its text rewritten beside the original, signed.
    await r.goto(`${portal.url}/bulletins/new`);
    await follow(r, r.getByRole("button", { name: "新建草稿" }), (u) => /^\/bulletins\/\d+\/edit$/.test(u.pathname));
    const editPath = new URL(r.url()).pathname;
    const bulletinPath = editPath.replace(/\/edit$/, "");
    await r.fill("#c-q", onTimeTitle);
    await follow(r, r.locator('form[aria-label="筛选"] button[type="submit"]'), (u) => u.searchParams.get("q") === onTimeTitle);
    const candidate = r.locator(".bulletin-candidates tbody tr", { hasText: onTimeTitle });
    await candidate.waitFor();
    expect(await r.locator(".bulletin-candidates tbody tr").count()).toBe(1);
    await Promise.all([r.waitForResponse((res) => res.request().method() === "POST"), candidate.getByRole("button", { name: "加入" }).click()]);
    await r.goto(`${portal.url}${editPath}`);
    const entry = r.locator(".bulletin-editor-item");
    await entry.first().waitFor();
    expect(await entry.count()).toBe(1);
    const body = entry.locator(`textarea[name="body_${onTime}"]`);
    expect((await body.inputValue()).replace(/\r\n/g, "\n")).toBe(BODY);
    await body.fill(`${BODY}${ADDED}`);
    await r.fill('textarea[name="editor_note"]', EDITOR_NOTE);
    await r.fill('input[name="report_to"]', "市教育局办公室");
    await r.fill('input[name="send_to"]', "县委办、县政府办");
    await r.fill('input[name="issue_to"]', "各乡镇中心学校，县直各学校、幼儿园");
    const number = Number(await r.inputValue('input[name="number"]'));
    const bulletinName = await r.inputValue('input[name="name"]');
    const editorUnit = await r.inputValue('input[name="editor_unit"]');
    expect(number).toBeGreaterThan(0);
    await Promise.all([r.waitForResponse((res) => res.request().method() === "POST"), r.locator('button[form="bulletin-save"]').first().click()]);
    await r.locator(".flash--success").waitFor();
    await entry.locator('[aria-label="正文差异"] ins').first().waitFor();
    expect(await entry.locator('[aria-label="正文差异"] ins').allInnerTexts()).toEqual([ADDED]);
    expect(await entry.locator('[aria-label="正文差异"] del').count()).toBe(0);
    // The school's original stays as it was.
    const original = await entry.locator(".bulletin-original").innerText();
    expect(original).toContain("活动覆盖全体学生。");
    expect(original).not.toContain(ADDED);
    await shot(r, "1-bulletin-edit");
    await follow(r, r.locator('a:has-text("签发…")'), (u) => u.pathname.endsWith("/publish"));
    const included = r.locator('ol[aria-label="收录的信息"] li');
    await included.first().waitFor();
    expect(await included.count()).toBe(1);
    await follow(r, r.getByRole("button", { name: "确认签发" }), (u) => u.pathname === bulletinPath);
    await r.locator(".bulletin-article").first().waitFor();
    expect(await r.locator(".bulletin-article").count()).toBe(1);
    expect(await r.locator(".bulletin-article").innerText()).toContain(ADDED);

    // 5. The Word file in LibreOffice: the red 报头 with the name, 期号 and 编印单位.
    const res = await r.request.get(`${portal.url}${bulletinPath}.docx`);
    expect(res.status()).toBe(200);
    const docx = path.join(tmp, "bulletin.docx");
    writeFileSync(docx, await res.body());
    const pdf = docxToPdf(docx, tmp);
    const flat = flatPdfText(pdf);
    for (const s of [bulletinName, `第${number}期`, editorUnit, EDITOR_NOTE, ADDED, "报：市教育局办公室"]) expect(flat).toContain(s.replace(/\s+/g, ""));
    expectRedHeadOnFirstPage(pdf, "steering-docx-page1");

    // 6. The schools: X01's pickup on the item and +2 on its receipt, X02's −3.
    await x01.page.goto(`${portal.url}/items/${onTime}`);
    const itemText = await x01.page.locator("main").innerText();
    expect(itemText).toContain("上稿：县教育信息简报（县区级");
    for (const [s, line, points] of [[x01, "约稿按时完成 ×1", "+2"], [x02, "约稿未完成（逾期或未报送）×1", "−3"]] as const) {
      await s.page.goto(`${portal.url}/requests?month=${THIS_MONTH}`);
      const row = s.page.locator("section", { has: s.page.locator("#month-receipt-title") }).locator("tr", { hasText: line });
      await row.waitFor();
      expect(await row.locator("td").last().innerText()).toBe(points);
      // The total is the sum of the lines, signed the way the lines are.
      const receipt = s.page.locator("section", { has: s.page.locator("#month-receipt-title") });
      const lines = (await receipt.locator("tbody tr td:last-child").allInnerTexts()).map((t) => Number(t.trim().replace("−", "-")));
      const sum = Math.round(lines.reduce((a, b) => a + b, 0) * 100) / 100;
      const signed = sum > 0 ? `+${sum}` : sum < 0 ? `−${-sum}` : "0";
      expect(await receipt.locator("p", { hasText: "合计" }).innerText()).toBe(`合计 ${signed} 分（月份未结算前为暂定）`);
    }
    for (const [s, url, name] of [[x01, `/requests?month=${THIS_MONTH}`, "school-requests"], [x01, bulletinPath, "bulletin"]] as const) {
      await s.page.setViewportSize({ width: 390, height: 844 });
      await s.page.goto(`${portal.url}${url}`);
      await shot(s.page, `2-${name}-390`);
    }

    // 7. The month closes as of just after its end, and its notice says what the journey did.
    const closedAt = new Date(Date.parse(shanghaiMidnight(`${addMonths(THIS_MONTH, 1)}-01`)) + 1_000);
    const closed = await withDb(async (db) => {
      const actor = await reviewerUser(db);
      // The demo county's items still waiting this month are decided first, as the close requires.
      const waiting = await db.selectFrom("items").select(["id", "version"]).where("report_month", "=", THIS_MONTH).where("status", "=", "submitted").execute();
      if (waiting.length > 0) {
        const decided = await decideItems(db, { actor, action: "adopt", grade: "good", picks: waiting, now: closedAt });
        expect(decided.refused).toEqual([]);
      }
      return closeMonth(db, { month: THIS_MONTH, actor, now: closedAt });
    });
    expect(closed.ok, JSON.stringify(closed)).toBe(true);
    await r.goto(`${portal.url}/notices`);
    await follow(r, r.locator(`button[aria-label="起草${monthLabel(THIS_MONTH)}通报"]`), (u) => /^\/notices\/\d+$/.test(u.pathname));
    await flash(r, `已起草${monthLabel(THIS_MONTH)}通报`);
    const doc = await r.locator("article.bulletin-doc").innerText();
    expect(doc).toContain(`本月约稿 3 篇（涉及 3 个单位）：按时完成 1、逾期 1、未报送 0、婉拒 1。`);
    expect(doc).toContain(`本月编发《${bulletinName}》第${number}期，收录 1 个单位 1 条信息。`);
    expect(doc).toContain(`“${THEME}”1 个单位报送、1 个单位被采用，覆盖 ${Math.round(100 / expectedUnits)}% 的应报单位`);
    expect(doc).toMatch(new RegExp(`${monthLabel(THIS_MONTH)}发布报送要点 \\d+ 项：`));
    await shot(r, "3-notice-draft");

    for (const s of [reviewer, x01, x02, x03]) await closeSession(s);
    console.log(`steering journey: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }, 300_000);
});
