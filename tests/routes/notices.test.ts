// Monthly notices against the demo county (2026-11-21: every month to 2026-09 closed and notified,
// 2026-10 open with items waiting): drafting is refused for an open month and for a month that has
// its notice; a draft carries the month's frozen numbers; the lists are adjusted with a reason;
// publishing needs a 文号 and freezes the notice and its Word document byte for byte.
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_POINTS_RULES } from "~/domain/catalog";
import { getConfig } from "~/models/env.server";
import { readFlash } from "~/lib/flash.server";
import { commitSessionId } from "~/lib/session.server";
import { login, type SessionUser } from "~/models/auth.server";
import { transitionItem } from "~/models/item-workflow.server";
import { currentClose } from "~/models/months.server";
import { closeMonth, reopenMonth } from "~/models/month-close.server";
import { draftMonthlyNotice, getNotice, latestPublishedNotice, noticeFilePath, publishNotice, updateNoticeText } from "~/models/notices.server";
import { createPointsVersion } from "~/models/rules-admin.server";
import * as exportRoute from "~/routes/notices.$id.export";
import * as noticePage from "~/routes/notices.$id";
import * as indexRoute from "~/routes/notices._index";
import { bodyOf, call, isDataWithInit, PASSWORD, responseOf, setupCounty, type County, type UserKey } from "../support/app";
import { closeDemoCounty, DEMO_NOW, openDemoCountyAt } from "../support/demo";

let county: County;
let reviewer: SessionUser;
const db = () => county.dbs.db;
const MONTH = "2026-10";
let noticeId = 0;

beforeAll(async () => {
  ({ county, reviewer } = await openDemoCountyAt(["admin", "reviewer", "leadA", "correspondentA"]));
}, 120_000);
afterAll(() => closeDemoCounty(county));

const post = (body: Record<string, string>, user: UserKey | "anonymous" = "reviewer") =>
  call(indexRoute.action, county, { url: "/notices?index", user: user === "anonymous" ? undefined : user, body });
const edit = (id: number, body: Record<string, string>, user: UserKey = "reviewer") =>
  call(noticePage.action, county, { url: `/notices/${id}`, user, body, params: { id: String(id) } });
async function page(id: number, user?: UserKey, cookie?: string): Promise<Response> {
  if (!cookie) return call(noticePage.loader, county, { url: `/notices/${id}`, user, params: { id: String(id) } });
  const request = new Request(`http://localhost/notices/${id}`, { headers: { Cookie: cookie } });
  try {
    return responseOf(await noticePage.loader({ request, params: { id: String(id) }, context: county.context() } as never));
  } catch (thrown) {
    if (thrown instanceof Response || isDataWithInit(thrown)) return responseOf(thrown);
    throw thrown;
  }
}
const docx = (id: number, user?: UserKey) =>
  call(exportRoute.loader, county, { url: `/notices/${id}/export?format=docx`, user, params: { id: String(id) } });
const notices = () => db().selectFrom("notices").selectAll().orderBy("id").execute();
const audits = (id: number) =>
  db().selectFrom("audit_events").select(["action", "actor_id", "reason"]).where("entity_type", "=", "notice").where("entity_id", "=", String(id)).orderBy("id").execute();

async function flashOf(response: Response) {
  const cookie = (response.headers.get("Set-Cookie") ?? "").split(";")[0];
  return (await readFlash(new Request("http://localhost/", { headers: { Cookie: cookie } })))?.message;
}

async function cookieOfLead(unitCode: string): Promise<string> {
  const result = await login(db(), { username: `${unitCode.toLowerCase()}-lead`, password: PASSWORD, ip: "10.9.0.1", userAgent: "test" });
  if (!result.ok) throw new Error(result.message);
  return (await commitSessionId(result.sessionId)).split(";")[0];
}

const noticeFiles = () => (existsSync(`${getConfig().dataDir}/notices`) ? readdirSync(`${getConfig().dataDir}/notices`).sort() : []);
const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

describe("the demo county's history", () => {
  it("lists a published notice for every closed month, newest first, to anyone", async () => {
    const res = await call(indexRoute.loader, county, { url: "/notices" });
    expect(res.status).toBe(200);
    const body = await bodyOf(res);
    const monthly = body.published.filter((n: { kind: string }) => n.kind === "monthly");
    expect(monthly.map((n: { period: string }) => n.period)).toEqual([
      "2026-09", "2026-08", "2026-07", "2026-06", "2026-05", "2026-04", "2026-03", "2026-02", "2026-01", "2025-12", "2025-11", "2025-10",
    ]);
    expect(monthly[0]).toMatchObject({ docNumber: "临教体办〔2026〕11号", status: "published", href: `/notices/${monthly[0].id}` });
    expect(body.drafts).toEqual([]);
    expect(body.draftable).toBeNull();
  });

  it("shows a reviewer nothing left to draft: every closed month has its notice", async () => {
    const body = await bodyOf(await call(indexRoute.loader, county, { url: "/notices", user: "reviewer" }));
    expect(body.draftable).toEqual({ months: [], years: [] });
  });
});

describe("drafting", () => {
  it("refuses an open month with 409, writing nothing", async () => {
    const before = await notices();
    const res = await post({ intent: "draft", month: MONTH });
    expect(res.status).toBe(409);
    expect((await bodyOf(res)).formError).toBe("2026年10月尚未结算，结算后才能起草该月通报。");
    expect(await notices()).toEqual(before);
  });

  it("refuses a second notice for a month (409, pointing at the one there is)", async () => {
    const existing = (await notices()).find((n) => n.period === "2026-09")!;
    const res = await post({ intent: "draft", month: "2026-09" });
    expect(res.status).toBe(409);
    const body = await bodyOf(res);
    expect(body.formError).toBe("2026年9月的通报已经签发（临教体办〔2026〕11号）。每月只发一期。");
    expect(body.existingId).toBe(existing.id);
  });

  it("is the reviewers' alone; a bad month is 400", async () => {
    for (const user of ["admin", "leadA", "correspondentA"] as const) expect((await post({ intent: "draft", month: "2026-09" }, user)).status).toBe(403);
    const anonymous = await post({ intent: "draft", month: "2026-09" }, "anonymous");
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get("Location")).toMatch(/^\/login\?/);
    const bad = await post({ intent: "draft", month: "2026-13" });
    expect(bad.status).toBe(400);
    expect((await bodyOf(bad)).fieldErrors.month).toBe("月份格式不正确，请刷新页面后重试");
  });

  it("drafts a closed month's notice with the thresholds in force for that month", async () => {
    // Decide the month's waiting items, then close it.
    const waiting = await db().selectFrom("items").select(["id", "version"]).where("report_month", "=", MONTH).where("status", "=", "submitted").execute();
    for (const w of waiting) {
      expect((await transitionItem(db(), { itemId: w.id, action: "adopt", grade: "good", actor: reviewer, expectedVersion: w.version })).ok).toBe(true);
    }
    expect((await closeMonth(db(), { month: MONTH, actor: reviewer, now: DEMO_NOW })).ok).toBe(true);
    // A stricter threshold from this month on, and a narrower commendation only from next month.
    const at = DEMO_NOW.toISOString();
    await db()
      .insertInto("settings")
      .values([
        { key: "criticiseBelowCompletion", value_json: "0.8", effective_month: MONTH, updated_at: at },
        { key: "commendTopN", value_json: "1", effective_month: "2026-11", updated_at: at },
      ])
      .execute();

    const res = await post({ intent: "draft", month: MONTH });
    expect(res.status).toBe(302);
    const [created] = (await notices()).filter((n) => n.period === MONTH);
    noticeId = created.id;
    expect(res.headers.get("Location")).toBe(`/notices/${noticeId}`);
    expect(await flashOf(res)).toBe("已起草2026年10月通报，请修改文字、填写文号后签发");
    expect(created).toMatchObject({ kind: "monthly", status: "draft", doc_number: "", addressee: "各乡镇中心学校，县直各学校、幼儿园", created_by: reviewer.id });
    expect(created.title).toBe("关于2026年10月全县教育信息报送情况的通报");
    expect((await audits(noticeId)).map((a) => a.action)).toEqual(["notice_drafted"]);

    const body = await bodyOf(await page(noticeId, "reviewer"));
    expect(body.notice.doc.body.thresholds).toEqual({ commendTopN: 3, criticiseBelowCompletion: 0.8, criticiseMinLate: 3, requestMissThreshold: 2 });
  });

  it("carries exactly the month's frozen snapshot", async () => {
    const close = (await currentClose(db(), MONTH))!;
    const snapshot = await db()
      .selectFrom("month_unit_snapshots as s")
      .innerJoin("units as u", "u.id", "s.unit_id")
      .select([
        "s.unit_id", "u.code", "u.name", "s.kind_code", "s.quota", "s.submitted", "s.adopted", "s.late", "s.completion", "s.status", "s.points", "s.rank", "s.tied", "s.movement",
        "s.requests_late", "s.requests_missed",
      ])
      .where("s.close_id", "=", close.id)
      .execute();
    const { notice } = await bodyOf(await page(noticeId, "reviewer"));
    const { body } = notice.doc;
    expect(body.closeId).toBe(close.id);
    const rows = body.tables.flatMap((t: { rows: unknown[] }) => t.rows);
    expect(rows).toHaveLength(snapshot.length);
    for (const s of snapshot) {
      expect(rows.find((r: { unitId: number }) => r.unitId === s.unit_id)).toMatchObject({
        code: s.code, name: s.name, kind: s.kind_code, quota: s.quota, submitted: s.submitted, adopted: s.adopted, late: s.late,
        completion: s.completion, status: s.status, points: s.points, rank: s.rank, tied: s.tied === 1, movement: s.movement,
      });
    }
    const sum = (f: (r: (typeof snapshot)[number]) => number) => snapshot.reduce((a, r) => a + f(r), 0);
    expect(body.figures).toMatchObject({
      units: snapshot.length, submitted: sum((r) => r.submitted), adopted: sum((r) => r.adopted), late: sum((r) => r.late),
      met: snapshot.filter((r) => r.status === "met").length, none: snapshot.filter((r) => r.status === "none").length,
    });
    // The rules pick the commended and criticised units from the same rows, recomputed here
    // independently: criticised on 不报, completion below 80 % (this month's setting), 3+ late or 2+
    // unfinished 约稿; commended: per kind the top 3 by rank (ties included) among the met and not criticised.
    const criticised = snapshot.filter((s) => s.status === "none" || s.completion < 0.8 || s.late >= 3 || s.requests_late + s.requests_missed >= 2);
    const criticisedIds = new Set(criticised.map((s) => s.unit_id));
    const expectedCommended: number[] = [];
    for (const kind of new Set(snapshot.map((s) => s.kind_code))) {
      const eligible = snapshot.filter((s) => s.kind_code === kind && s.status === "met" && !criticisedIds.has(s.unit_id)).sort((a, b) => a.rank - b.rank);
      if (eligible.length === 0) continue;
      const cutoff = eligible[Math.min(3, eligible.length) - 1].rank;
      expectedCommended.push(...eligible.filter((s) => s.rank <= cutoff).map((s) => s.unit_id));
    }
    expect(body.commended.map((e: { unitId: number }) => e.unitId).sort()).toEqual(expectedCommended.sort());
    const both = body.commended.filter((e: { unitId: number }) => criticisedIds.has(e.unitId));
    expect(both).toEqual([]);
    expect(body.criticised.map((e: { unitId: number }) => e.unitId).sort()).toEqual(criticised.map((s) => s.unit_id).sort());
  });

  it("keeps a draft from everyone but reviewers (404), and has no Word document yet", async () => {
    for (const user of [undefined, "correspondentA", "leadA", "admin"] as const) {
      expect((await page(noticeId, user)).status).toBe(404);
      expect((await docx(noticeId, user)).status).toBe(404);
    }
    expect((await page(noticeId, "reviewer")).status).toBe(200);
    expect((await docx(noticeId, "reviewer")).status).toBe(404);
    const publicList = await bodyOf(await call(indexRoute.loader, county, { url: "/notices" }));
    expect(publicList.published.some((n: { id: number }) => n.id === noticeId)).toBe(false);
    const reviewerList = await bodyOf(await call(indexRoute.loader, county, { url: "/notices", user: "reviewer" }));
    expect(reviewerList.drafts.map((n: { id: number }) => n.id)).toEqual([noticeId]);
  });
});

describe("editing a draft", () => {
  it("refuses to publish without a 文号 (409), writing nothing", async () => {
    const before = await notices();
    const files = noticeFiles();
    const res = await edit(noticeId, { intent: "publish", signer_name: "王局长" });
    expect(res.status).toBe(409);
    expect((await bodyOf(res)).formError).toBe("签发前请先填写文号并保存。");
    expect(await notices()).toEqual(before);
    expect(noticeFiles()).toEqual(files);
  });

  it("saves the text; a malformed 文号 is 400 with the typed values kept", async () => {
    const bad = await edit(noticeId, { intent: "save", addressee: "各学校", doc_number: "12号", opening_text: "开头", closing_text: "" });
    expect(bad.status).toBe(400);
    const failure = await bodyOf(bad);
    expect(failure.fieldErrors.doc_number).toMatch(/^文号格式应为/);
    expect(failure.values).toMatchObject({ doc_number: "12号", opening_text: "开头" });
    expect((await notices()).find((n) => n.id === noticeId)!.opening_text).not.toBe("开头");

    const res = await edit(noticeId, {
      intent: "save", addressee: "各乡镇中心校、区直各学校、各幼儿园", doc_number: "X教体办[2026]12号",
      opening_text: "为进一步做好信息报送工作，现将2026年10月情况通报如下。", closing_text: "请各单位认真对照，抓好整改。",
    });
    expect(res.status).toBe(302);
    expect(await flashOf(res)).toBe("草稿已保存");
    expect((await notices()).find((n) => n.id === noticeId)).toMatchObject({
      doc_number: "X教体办〔2026〕12号", opening_text: "为进一步做好信息报送工作，现将2026年10月情况通报如下。", status: "draft",
    });
    expect((await audits(noticeId)).map((a) => a.action)).toEqual(["notice_drafted", "notice_updated"]);
  });

  it("removes a commended unit only with a reason (400 without), recorded and shown to reviewers", async () => {
    const { notice } = await bodyOf(await page(noticeId, "reviewer"));
    const unit = notice.doc.body.commended[0];
    const noReason = await edit(noticeId, { intent: "adjust", list: "commended", action: "remove", unit_id: String(unit.unitId), reason: " " });
    expect(noReason.status).toBe(400);
    expect((await bodyOf(noReason)).fieldErrors.reason).toBe("请填写理由");
    expect(await db().selectFrom("notice_adjustments").selectAll().where("notice_id", "=", noticeId).execute()).toEqual([]);

    const res = await edit(noticeId, { intent: "adjust", list: "commended", action: "remove", unit_id: String(unit.unitId), reason: "所报信息存在错敏词" });
    expect(res.status).toBe(302);
    expect(await flashOf(res)).toBe(`已将${unit.name}移出表扬名单`);
    const after = (await bodyOf(await page(noticeId, "reviewer"))).notice;
    expect(after.doc.body.commended.map((e: { unitId: number }) => e.unitId)).not.toContain(unit.unitId);
    expect(after.adjustments).toEqual([
      { id: expect.any(Number), unitName: unit.name, list: "commended", action: "remove", reason: "所报信息存在错敏词", by: reviewer.displayName, at: DEMO_NOW.toISOString() },
    ]);
    expect((await audits(noticeId)).at(-1)).toMatchObject({ action: "notice_adjusted", actor_id: reviewer.id, reason: "所报信息存在错敏词" });

    const again = await edit(noticeId, { intent: "adjust", list: "commended", action: "remove", unit_id: String(unit.unitId), reason: "再移一次" });
    expect(again.status).toBe(409);
    expect((await bodyOf(again)).formError).toBe(`${unit.name}不在表扬名单中，无需移出。`);
  });

  it("adds a unit to the criticised list with the reason the notice gives; only reviewers may", async () => {
    const { notice } = await bodyOf(await page(noticeId, "reviewer"));
    const criticised = new Set(notice.doc.body.criticised.map((e: { unitId: number }) => e.unitId));
    const unit = notice.doc.body.tables.flatMap((t: { rows: Array<{ unitId: number; name: string }> }) => t.rows).find((r: { unitId: number }) => !criticised.has(r.unitId));
    for (const user of ["admin", "leadA", "correspondentA"] as const) {
      expect((await edit(noticeId, { intent: "adjust", list: "criticised", action: "add", unit_id: String(unit.unitId), reason: "x" }, user)).status).toBe(403);
    }
    const res = await edit(noticeId, { intent: "adjust", list: "criticised", action: "add", unit_id: String(unit.unitId), reason: "信息员未按时登记" });
    expect(res.status).toBe(302);
    const entry = (await bodyOf(await page(noticeId, "reviewer"))).notice.doc.body.criticised.find((e: { unitId: number }) => e.unitId === unit.unitId);
    expect(entry).toMatchObject({ name: unit.name, reasons: ["信息员未按时登记"], adjusted: true });
    const outside = await edit(noticeId, { intent: "adjust", list: "criticised", action: "add", unit_id: "999999", reason: "x" });
    expect(outside.status).toBe(400);
    expect((await bodyOf(outside)).fieldErrors.unit_id).toBe("请选择本期统计范围内的单位");
  });
});

describe("publishing", () => {
  let published: { doc: unknown; bytes: Buffer; sha: string };

  it("needs a signer; publishes once, stores the Word document before pointing at it, audited", async () => {
    const noSigner = await edit(noticeId, { intent: "publish", signer_name: "" });
    expect(noSigner.status).toBe(400);
    expect((await bodyOf(noSigner)).fieldErrors.signer_name).toBe("请填写签发人");

    const res = await edit(noticeId, { intent: "publish", signer_name: "王局长" });
    expect(res.status).toBe(302);
    expect(await flashOf(res)).toBe("已签发，通报已公开发布");
    const row = (await notices()).find((n) => n.id === noticeId)!;
    expect(row).toMatchObject({ status: "published", signer_name: "王局长", published_by: reviewer.id, published_at: DEMO_NOW.toISOString() });
    const file = readFileSync(noticeFilePath(getConfig().dataDir, row.docx_sha256!));
    expect(sha256(file)).toBe(row.docx_sha256);
    expect((await audits(noticeId)).at(-1)).toMatchObject({ action: "notice_published", actor_id: reviewer.id });

    const again = await edit(noticeId, { intent: "publish", signer_name: "王局长" });
    expect(again.status).toBe(409);
    expect((await bodyOf(again)).formError).toBe("该月度通报已于 2026-11-21 12:00 签发，内容已冻结，不能再修改。");
    const edits: Array<Record<string, string>> = [
      { intent: "save", addressee: "x", doc_number: "", opening_text: "改", closing_text: "" },
      { intent: "adjust", list: "commended", action: "add", unit_id: String(county.units.A), reason: "补" },
    ];
    for (const body of edits) {
      expect((await edit(noticeId, body)).status).toBe(409);
    }
    expect((await notices()).find((n) => n.id === noticeId)).toEqual(row);
  });

  it("is public: anyone reads it and downloads the stored Word document", async () => {
    const res = await page(noticeId);
    expect(res.status).toBe(200);
    const { notice, own, manage } = await bodyOf(res);
    expect(manage).toBe(false);
    expect(own).toBeNull();
    expect(notice.adjustments).toEqual([]);
    expect(notice.doc.header).toMatchObject({ docNumber: "X教体办〔2026〕12号", signerName: "王局长", publishedAt: DEMO_NOW.toISOString() });
    const file = await docx(noticeId);
    expect(file.status).toBe(200);
    expect(file.headers.get("Content-Type")).toBe("application/vnd.openxmlformats-officedocument.wordprocessingml.document");
    expect(file.headers.get("Content-Disposition")).toContain(encodeURIComponent("2026年10月信息报送情况通报（X教体办〔2026〕12号）.docx"));
    const bytes = Buffer.from(await file.arrayBuffer());
    expect(bytes.subarray(0, 2).toString()).toBe("PK");
    published = { doc: notice.doc, bytes, sha: sha256(bytes) };
    expect(published.sha).toBe((await notices()).find((n) => n.id === noticeId)!.docx_sha256);
    const list = await bodyOf(await call(indexRoute.loader, county, { url: "/notices" }));
    expect(list.published[0]).toMatchObject({ id: noticeId, docNumber: "X教体办〔2026〕12号" });
  });

  it("is the latest notice on the dashboards, with what it says of a unit", async () => {
    const doc = published.doc as { body: { criticised: Array<{ unitId: number; reasons: string[] }>; commended: Array<{ unitId: number }> } };
    const named = doc.body.criticised[0];
    const latest = await latestPublishedNotice(county.dbs.reader, { unitId: named.unitId });
    expect(latest).toMatchObject({ id: noticeId, href: `/notices/${noticeId}`, docNumber: "X教体办〔2026〕12号", publishedAt: DEMO_NOW.toISOString() });
    expect(latest!.standing).toEqual({ commended: doc.body.commended.some((e) => e.unitId === named.unitId) ? expect.any(Array) : null, criticised: named.reasons });
    expect((await latestPublishedNotice(county.dbs.reader))!.standing).toBeNull();
  });

  it("tells a criticised unit's principal why", async () => {
    const doc = published.doc as { body: { criticised: Array<{ unitId: number; code: string; reasons: string[] }> } };
    const unit = doc.body.criticised.find((e) => e.reasons[0] !== "信息员未按时登记")!;
    const cookie = await cookieOfLead(unit.code);
    const body = await bodyOf(await page(noticeId, undefined, cookie));
    expect(body.own).toEqual({ unitId: unit.unitId, unitName: expect.any(String) });
    expect(body.notice.doc.body.criticised.find((e: { unitId: number }) => e.unitId === unit.unitId).reasons).toEqual(unit.reasons);
    expect(body.notice.adjustments).toEqual([]);
  });

  it("stays byte for byte the same after an item is withdrawn, the month re-closed and the rules changed", async () => {
    const item = await db()
      .selectFrom("items")
      .select(["id", "version", "unit_id"])
      .where("report_month", "=", MONTH)
      .where("status", "=", "adopted")
      .orderBy("id")
      .executeTakeFirstOrThrow();
    const taken = await transitionItem(db(), { itemId: item.id, action: "withdraw", actor: reviewer, reason: "内容有误", revokePoints: true, expectedVersion: item.version });
    expect(taken.ok).toBe(true);
    expect((await reopenMonth(db(), { month: MONTH, actor: reviewer, reason: "更正撤稿" })).ok).toBe(true);
    const rule = await createPointsVersion(
      db(), { effectiveMonth: MONTH, note: "提高优的分值", rules: { ...DEFAULT_POINTS_RULES, grade: { excellent: 9, good: 5, fair: 1 } } },
      { id: reviewer.id, username: reviewer.username, ip: "" }, DEMO_NOW,
    );
    expect(rule.ok).toBe(true);
    await db().insertInto("settings").values({ key: "commendTopN", value_json: "1", effective_month: MONTH, updated_at: DEMO_NOW.toISOString() }).execute();
    expect((await closeMonth(db(), { month: MONTH, actor: reviewer, now: DEMO_NOW })).ok).toBe(true);

    // The month's numbers did change…
    const close = (await currentClose(db(), MONTH))!;
    const now = await db().selectFrom("month_unit_snapshots").selectAll().where("close_id", "=", close.id).where("unit_id", "=", item.unit_id).executeTakeFirstOrThrow();
    const doc = published.doc as { body: { tables: Array<{ rows: Array<{ unitId: number; adopted: number; points: number }> }> } };
    const frozen = doc.body.tables.flatMap((t) => t.rows).find((r) => r.unitId === item.unit_id)!;
    expect(now.adopted).toBe(frozen.adopted - 1);
    expect(now.points).not.toBe(frozen.points);

    // …the published notice and its Word document did not.
    const again = await bodyOf(await page(noticeId));
    expect(again.notice.doc).toEqual(published.doc);
    const bytes = Buffer.from(await (await docx(noticeId)).arrayBuffer());
    expect(bytes.equals(published.bytes)).toBe(true);
    expect(sha256(bytes)).toBe(published.sha);
  });

  it("redirects an annual summary's id to its page, and its lists to its workbook", async () => {
    const annual = (await notices()).find((n) => n.kind === "annual")!;
    const res = await page(annual.id);
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe(`/summary/${annual.period}`);
    // Its lists are in the summary's own workbook.
    const lists = await call(exportRoute.loader, county, { url: `/notices/${annual.id}/export?format=xlsx`, user: "reviewer", params: { id: String(annual.id) } });
    expect(lists.status).toBe(302);
    expect(lists.headers.get("Location")).toBe(`/summary/${annual.period}.xlsx`);
  });

  it("answers an unknown or malformed id with 404", async () => {
    expect((await page(999999)).status).toBe(404);
    expect((await call(noticePage.loader, county, { url: "/notices/abc", params: { id: "abc" } })).status).toBe(404);
    expect((await docx(999999)).status).toBe(404);
    const wrongFormat = await call(exportRoute.loader, county, { url: `/notices/${noticeId}/export?format=pdf`, params: { id: String(noticeId) } });
    expect(wrongFormat.status).toBe(400);
  });
});

describe("文号 clashes (a small county)", () => {
  it("refuses to publish a second notice under a 文号 already published, or a draft whose month was reopened", async () => {
    const small = await setupCounty();
    try {
      const actor = { id: small.ids.reviewer, username: "reviewer", displayName: "赵审核" };
      const ids: number[] = [];
      for (const month of ["2025-11", "2025-12"]) {
        expect((await closeMonth(small.dbs.db, { month, actor })).ok).toBe(true);
        const d = await draftMonthlyNotice(small.dbs.db, { month, actor });
        if (!d.ok) throw new Error(d.message);
        ids.push(d.id);
        const saved = await updateNoticeText(small.dbs.db, {
          id: d.id, actor, fields: { addressee: "各学校", docNumber: "X教体办〔2026〕1号", opening: "开头", closing: "" },
        });
        expect(saved.ok).toBe(true);
      }
      const dataDir = small.dbs.dir;
      expect((await publishNotice(small.dbs.db, { id: ids[0], actor, signerName: "赵审核", dataDir })).ok).toBe(true);
      const clash = await publishNotice(small.dbs.db, { id: ids[1], actor, signerName: "赵审核", dataDir });
      expect(clash).toEqual({
        ok: false, status: 409, message: "文号 X教体办〔2026〕1号 已用于已签发的《关于2025年11月全县教育信息报送情况的通报》，请换一个文号。", fieldErrors: {},
      });
      // A draft whose month is reopened shows its last numbers and cannot be published until re-closed.
      expect((await reopenMonth(small.dbs.db, { month: "2025-12", actor, reason: "更正" })).ok).toBe(true);
      await updateNoticeText(small.dbs.db, { id: ids[1], actor, fields: { addressee: "各学校", docNumber: "X教体办〔2026〕2号", opening: "开头", closing: "" } });
      const view = await getNotice(small.dbs.db, ids[1], { role: "reviewer", unitId: null });
      expect(view!.problem).toBe("2025年12月已重新打开，以下为上次结算时的数字；重新结算后才能签发。");
      expect(view!.doc.body.tables.flatMap((t: { rows: unknown[] }) => t.rows)).toHaveLength(2);
      const refused = await publishNotice(small.dbs.db, { id: ids[1], actor, signerName: "赵审核", dataDir });
      expect(refused).toEqual({ ok: false, status: 409, message: view!.problem, fieldErrors: {} });
      expect((await closeMonth(small.dbs.db, { month: "2025-12", actor })).ok).toBe(true);
      expect((await publishNotice(small.dbs.db, { id: ids[1], actor, signerName: "赵审核", dataDir })).ok).toBe(true);
    } finally {
      await small.dbs.dispose();
    }
  });
});
