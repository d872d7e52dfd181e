import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readFlash } from "~/lib/flash.server";
import { commitSessionId } from "~/lib/session.server";
import { login } from "~/models/auth.server";
import * as reviewItem from "~/routes/review.$id";
import * as reviewQueue from "~/routes/review._index";
import { bodyOf, call, expectFieldErrors, isDataWithInit, PASSWORD, responseOf, setupCounty, type County, type UserKey } from "../support/app";
import { hoursAgo, insertItem, type ItemFixture } from "../support/item-fixtures";

let county: County;
let reviewer2Cookie = "";

// Report months of the fixtures: fixed, so the queue's month filter is predictable.
const M = "2026-10";
const PREV = "2026-09";

const q: Record<string, number> = {};

beforeAll(async () => {
  county = await setupCounty();
  for (const user of ["admin", "reviewer", "leadA", "correspondentA", "correspondentB"] as const) await county.cookieFor(user);
  // A second reviewer at the bureau.
  const hash = (await county.dbs.db.selectFrom("accounts").select("password_hash").where("id", "=", county.ids.reviewer).executeTakeFirstOrThrow()).password_hash;
  const now = new Date().toISOString();
  await county.dbs.db
    .insertInto("accounts")
    .values({ username: "reviewer2", display_name: "钱审核", role: "reviewer", unit_id: null, password_hash: hash, created_at: now, updated_at: now })
    .execute();
  const session = await login(county.dbs.db, { username: "reviewer2", password: PASSWORD, ip: "10.0.1.2", userAgent: "test" });
  if (!session.ok) throw new Error(session.message);
  reviewer2Cookie = (await commitSessionId(session.sessionId)).split(";")[0];

  const A = { unitId: county.units.A, createdBy: county.ids.correspondentA };
  const B = { unitId: county.units.B, createdBy: county.ids.correspondentB };
  // The queue: three waiting items of different ages, and one of every other state.
  q.a1 = await insertItem(county.dbs.db, { ...A, title: "丙：城关镇中心学校开展党史学习", category: "党建工作", reportMonth: M, firstSubmittedAt: hoursAgo(50) });
  q.b1 = await insertItem(county.dbs.db, { ...B, title: "甲：县实验小学召开家长会", category: "党建工作", reportMonth: PREV, firstSubmittedAt: hoursAgo(30) });
  q.a2 = await insertItem(county.dbs.db, { ...A, title: "乙：城关镇中心学校安全演练", category: "平安建设", reportMonth: M, firstSubmittedAt: hoursAgo(5), late: true });
  q.a3 = await insertItem(county.dbs.db, { ...A, status: "adopted", grade: "good", reportMonth: PREV, firstSubmittedAt: hoursAgo(400) });
  q.b2 = await insertItem(county.dbs.db, { ...B, status: "rejected", reportMonth: PREV, firstSubmittedAt: hoursAgo(300) });
  q.a4 = await insertItem(county.dbs.db, { ...A, status: "draft", reportMonth: M, firstSubmittedAt: hoursAgo(200) });
  q.a5 = await insertItem(county.dbs.db, { ...A, status: "draft" });
  q.b3 = await insertItem(county.dbs.db, { ...B, status: "withdrawn", reportMonth: PREV, firstSubmittedAt: hoursAgo(500) });
});
afterAll(async () => county.dbs.dispose());

const list = async (query: string, user: UserKey | null = "reviewer") =>
  call(reviewQueue.loader, county, { url: `/review${query}`, user: user ?? undefined });
const ids = async (query: string) => (await bodyOf(await list(query))).rows.map((r: { id: number }) => r.id);

const view = (id: number | string, user: UserKey | null = "reviewer") =>
  call(reviewItem.loader, county, { url: `/review/${id}`, user: user ?? undefined, params: { id: String(id) } });

async function post(id: number, body: Record<string, string>, user: UserKey | "reviewer2" = "reviewer"): Promise<Response> {
  if (user !== "reviewer2") return call(reviewItem.action, county, { url: `/review/${id}`, user, params: { id: String(id) }, body });
  const request = new Request(`http://localhost/review/${id}`, {
    method: "POST",
    headers: { Cookie: reviewer2Cookie, "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(body),
  });
  try {
    return responseOf(await reviewItem.action({ request, params: { id: String(id) }, context: county.context() }));
  } catch (thrown) {
    if (thrown instanceof Response || isDataWithInit(thrown)) return responseOf(thrown);
    throw thrown;
  }
}

const itemRow = (id: number) => county.dbs.db.selectFrom("items").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
const eventsOf = (id: number) => county.dbs.db.selectFrom("review_events").selectAll().where("item_id", "=", id).execute();
const count = async (table: "pickups" | "instructions" | "audit_events" | "review_events" | "notifications") =>
  Number((await county.dbs.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n);

async function flashOf(response: Response) {
  const cookie = (response.headers.get("Set-Cookie") ?? "").split(";")[0];
  return readFlash(new Request("http://localhost/", { headers: { Cookie: cookie } }));
}

/** A fresh waiting item for a decision test; it arrived an hour ago, so q.a1 stays the oldest. */
const waitingItem = (extra: Partial<ItemFixture> = {}) =>
  insertItem(county.dbs.db, { unitId: county.units.A, createdBy: county.ids.correspondentA, reportMonth: M, firstSubmittedAt: hoursAgo(1), ...extra });

describe("access", () => {
  it("the queue and the item page are the reviewer's only: login for anonymous, 403 for school roles and admin", async () => {
    const anonymous = await list("", null);
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get("Location")).toBe(`/login?${new URLSearchParams({ redirectTo: "/review" })}`);
    const page = await view(q.a1, null);
    expect(page.status).toBe(302);
    expect(page.headers.get("Location")).toBe(`/login?${new URLSearchParams({ redirectTo: `/review/${q.a1}` })}`);
    for (const user of ["correspondentA", "leadA", "admin"] as const) {
      expect((await list("", user)).status).toBe(403);
      expect((await view(q.a1, user)).status).toBe(403);
    }
    expect((await list("")).status).toBe(200);
    expect((await view(q.a1)).status).toBe(200);
  });

  it("the actions too, and nothing is written", async () => {
    const before = await count("review_events");
    const item = await itemRow(q.a1);
    const adopt = { intent: "adopt", version: String(item.version), grade: "excellent" };
    const anonymous = await call(reviewItem.action, county, { url: `/review/${q.a1}`, params: { id: String(q.a1) }, body: adopt });
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get("Location")).toMatch(/^\/login\?redirectTo=/);
    for (const user of ["correspondentA", "leadA", "admin"] as const) {
      expect((await post(q.a1, adopt, user)).status).toBe(403);
      expect((await post(q.a1, { intent: "pickup", outlet: "县融媒体中心", tier: "county", picked_on: "2026-01-02" }, user)).status).toBe(403);
    }
    expect(await count("review_events")).toBe(before);
    expect((await itemRow(q.a1)).status).toBe("submitted");
  });

  it("answers 404 for a missing item, a malformed id, and a school's own draft", async () => {
    expect((await view(999999)).status).toBe(404);
    expect((await view("abc")).status).toBe(404);
    expect((await view(q.a5)).status).toBe(404);
    expect((await post(999999, { intent: "adopt", version: "1", grade: "good" })).status).toBe(404);
  });
});

describe("GET /review: the queue", () => {
  it("shows the waiting items, longest waiting first, with the total waiting", async () => {
    const body = await bodyOf(await list(""));
    expect(body.rows.map((r: { id: number }) => r.id)).toEqual([q.a1, q.b1, q.a2]);
    expect(body.waiting).toBe(3);
    expect(body.total).toBe(3);
    expect(body.filters).toMatchObject({ status: "submitted", sort: "waiting", dir: "desc", page: 1 });
    expect(body.rows[0]).toMatchObject({
      title: "丙：城关镇中心学校开展党史学习", unit_name: "城关镇中心学校", kind_name: "乡镇中心校", category: "党建工作",
      report_month: M, status: "submitted", late: 0,
    });
    expect(body.rows[2]).toMatchObject({ unit_name: "城关镇中心学校", category: "平安建设", late: 1 });
    expect(body.choices.months).toEqual(expect.arrayContaining([M, PREV]));
  });

  it("filters by status from the URL, never showing a school's own draft", async () => {
    expect(await ids("?status=adopted")).toEqual([q.a3]);
    expect(await ids("?status=rejected")).toEqual([q.b2]);
    expect(await ids("?status=withdrawn")).toEqual([q.b3]);
    expect(await ids("?status=returned")).toEqual([q.a4]);
    const all = await ids("?status=all");
    expect([...all].sort((a, b) => a - b)).toEqual([q.a1, q.b1, q.a2, q.a3, q.b2, q.a4, q.b3].sort((a, b) => a - b));
    expect(all).not.toContain(q.a5);
  });

  it("filters by unit, unit kind, category and report month", async () => {
    const categories = await county.dbs.db.selectFrom("categories").select(["id", "name"]).execute();
    const party = categories.find((c) => c.name === "党建工作")!.id;
    expect(await ids(`?unit=${county.units.B}`)).toEqual([q.b1]);
    expect(await ids("?kind=district_school")).toEqual([q.b1]);
    expect(await ids("?kind=township_central")).toEqual([q.a1, q.a2]);
    expect(await ids(`?category=${party}`)).toEqual([q.a1, q.b1]);
    expect(await ids(`?month=${M}`)).toEqual([q.a1, q.a2]);
    const combined = await ids(`?status=all&unit=${county.units.B}&month=${PREV}&sort=submitted&dir=desc`);
    expect(combined).toEqual([q.b1, q.b2, q.b3]);
  });

  it("sorts by waiting time, submitted time, unit and title in either direction", async () => {
    expect(await ids("?sort=waiting&dir=asc")).toEqual([q.a2, q.b1, q.a1]);
    expect(await ids("?sort=submitted&dir=desc")).toEqual([q.a2, q.b1, q.a1]);
    expect(await ids("?sort=submitted&dir=asc")).toEqual([q.a1, q.b1, q.a2]);
    expect(await ids("?sort=unit&dir=asc")).toEqual([q.a1, q.a2, q.b1]);
    expect(await ids("?sort=unit&dir=desc")).toEqual([q.b1, q.a1, q.a2]);
    // SQLite compares text by code point: 丙 (U+4E19) < 乙 (U+4E59) < 甲 (U+7532).
    expect(await ids("?sort=title&dir=asc")).toEqual([q.a1, q.a2, q.b1]);
    expect(await ids("?sort=title&dir=desc")).toEqual([q.b1, q.a2, q.a1]);
    // A sort without a direction takes the sort's own default.
    expect((await bodyOf(await list("?sort=title"))).filters.dir).toBe("asc");
  });

  it("ignores unknown or malformed filter values instead of failing", async () => {
    const res = await list("?status=bogus&unit=99999&kind=university&category=abc&month=2026-13&sort=evil&dir=sideways&page=-3");
    expect(res.status).toBe(200);
    const body = await bodyOf(res);
    expect(body.filters).toEqual({ status: "submitted", unit: null, kind: null, category: null, month: null, sort: "waiting", dir: "desc", page: 1 });
    expect(body.rows.map((r: { id: number }) => r.id)).toEqual([q.a1, q.b1, q.a2]);
    for (const query of ["?unit=1e3", "?unit=1%20or%201=1", "?category=-1", "?month=%27", "?page=1.5", "?sort=title&dir=ASC"]) {
      const r = await list(query);
      expect(r.status, query).toBe(200);
    }
  });

  it("pages 20 to a page from the URL; a page past the end shows the last one", async () => {
    for (let i = 0; i < 21; i++) {
      await insertItem(county.dbs.db, {
        unitId: county.units.B, createdBy: county.ids.correspondentB, status: "rejected", reportMonth: "2025-01",
        title: `分页稿件 ${String(i).padStart(2, "0")}`, firstSubmittedAt: hoursAgo(1000 + i),
      });
    }
    const first = await bodyOf(await list("?status=rejected&month=2025-01&sort=title&dir=asc"));
    expect(first.total).toBe(21);
    expect(first.pages).toBe(2);
    expect(first.rows).toHaveLength(20);
    expect(first.rows[0].title).toBe("分页稿件 00");
    const second = await bodyOf(await list("?status=rejected&month=2025-01&sort=title&dir=asc&page=2"));
    expect(second.rows.map((r: { title: string }) => r.title)).toEqual(["分页稿件 20"]);
    const beyond = await bodyOf(await list("?status=rejected&month=2025-01&sort=title&dir=asc&page=99"));
    expect(beyond.filters.page).toBe(2);
    expect(beyond.rows).toHaveLength(1);
  });
});

describe("GET /review/:id", () => {
  it("shows the item with its sensitive-word hits, meta and history", async () => {
    await county.dbs.db.insertInto("item_bylines").values({ item_id: q.a2, account_id: county.ids.leadA }).execute();
    await county.dbs.db.updateTable("items").set({ body: "我校做为试点，将内部资料整理成册。\n\n其它工作同步推进。" }).where("id", "=", q.a2).execute();
    const body = await bodyOf(await view(q.a2));
    expect(body.item).toMatchObject({ id: q.a2, unit_name: "城关镇中心学校", kind_name: "乡镇中心校", category: "平安建设", late: 1, report_month: M });
    expect(body.hits.body.map((h: { word: string }) => h.word)).toEqual(["做为", "内部资料", "其它"]);
    expect(body.bylines.map((b: { display_name: string }) => b.display_name).sort()).toEqual(["张晓梅", "王校长"].sort());
    expect(body.canPickup).toBe(true);
  });
});

describe("decisions", () => {
  it("adopts with a grade: adopted, one review event, the bylines notified of the grade, then on to the item waiting longest", async () => {
    const id = await waitingItem({ title: "采用测试稿", bylines: [county.ids.correspondentA, county.ids.leadA] });
    const { version } = await itemRow(id);
    const res = await post(id, { intent: "adopt", version: String(version), grade: "excellent" });
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe(`/review/${q.a1}`);
    expect((await flashOf(res))?.message).toBe("已采用（优）：采用测试稿。下面是等待最久的下一篇稿件。");
    expect(await itemRow(id)).toMatchObject({ status: "adopted", grade: "excellent", decided_by: county.ids.reviewer, version: version + 1 });
    const events = await eventsOf(id);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ action: "adopt", from_status: "submitted", to_status: "adopted", grade: "excellent", actor_id: county.ids.reviewer });
    const notes = await county.dbs.db.selectFrom("notifications").select(["account_id", "kind", "title", "body", "link"]).where("item_id", "=", id).execute();
    expect(notes.map((n) => n.account_id).sort()).toEqual([county.ids.correspondentA, county.ids.leadA].sort());
    // The notice says the grade: the correspondent learns it without opening the item.
    for (const n of notes) expect(n).toMatchObject({ kind: "item_adopted", title: "稿件已采用：采用测试稿", body: "等次：优" });
  });

  it("refuses to adopt without a grade (or with an unknown one): 400, nothing written", async () => {
    const id = await waitingItem();
    const { version } = await itemRow(id);
    const before = [await count("review_events"), await count("notifications")];
    for (const grade of [undefined, "", "perfect"]) {
      const res = await post(id, { intent: "adopt", version: String(version), ...(grade === undefined ? {} : { grade }) });
      expect(res.status).toBe(400);
      const body = await bodyOf(res);
      expect(body).toMatchObject({ intent: "adopt", fieldErrors: { grade: "请选择采用等次（优、良、中）" } });
    }
    expect(await itemRow(id)).toMatchObject({ status: "submitted", grade: null, version });
    expect([await count("review_events"), await count("notifications")]).toEqual(before);
  });

  it("refuses to return or reject without a reason: 400, nothing written", async () => {
    const id = await waitingItem();
    const { version } = await itemRow(id);
    const before = await count("review_events");
    const ret = await post(id, { intent: "return", version: String(version), reason: "   " });
    await expectFieldErrors(ret, { reason: "请填写退回理由" });
    const rej = await post(id, { intent: "reject", version: String(version) });
    await expectFieldErrors(rej, { reason: "请填写不采用的理由" });
    expect(await itemRow(id)).toMatchObject({ status: "submitted", version });
    expect(await count("review_events")).toBe(before);
  });

  it("returns with a reason (back to the unit as a draft) and rejects with a reason", async () => {
    const back = await waitingItem({ title: "退回测试稿" });
    let res = await post(back, { intent: "return", version: String((await itemRow(back)).version), reason: "请补充活动时间和参与人数。" });
    expect(res.status).toBe(302);
    expect((await flashOf(res))?.message).toMatch(/^已退回修改：退回测试稿。/);
    expect(await itemRow(back)).toMatchObject({ status: "draft", returned_count: 1, last_reason: "请补充活动时间和参与人数。", report_month: M });
    expect(await ids("?status=returned")).toContain(back);

    const no = await waitingItem();
    res = await post(no, { intent: "reject", version: String((await itemRow(no)).version), reason: "与上月稿件重复。" });
    expect(res.status).toBe(302);
    expect(await itemRow(no)).toMatchObject({ status: "rejected", last_reason: "与上月稿件重复。" });
  });

  it("refuses a page without the item's version, and an unknown intent", async () => {
    const id = await waitingItem();
    const res = await post(id, { intent: "adopt", grade: "good" });
    expect(res.status).toBe(400);
    expect((await bodyOf(res)).fieldErrors.version).toBe("页面已过期，请刷新后重试。");
    const odd = await post(id, { intent: "publish" });
    expect(odd.status).toBe(400);
    expect((await bodyOf(odd)).formError).toBe("未知的操作，请刷新页面后重试。");
    expect((await itemRow(id)).status).toBe("submitted");
  });

  it("two reviewers on the same item: the first decides, the second gets 409 and overwrites nothing", async () => {
    const id = await waitingItem();
    const { version } = await itemRow(id);
    const first = await post(id, { intent: "adopt", version: String(version), grade: "good" });
    expect(first.status).toBe(302);
    // The second reviewer's page still carries the old version.
    const second = await post(id, { intent: "reject", version: String(version), reason: "不采用" }, "reviewer2");
    expect(second.status).toBe(409);
    const body = await bodyOf(second);
    expect(body.formError).toContain("该稿件已被他人处理");
    expect(body.conflict).toBe(true);
    // Even a reload with the new version cannot decide a decided item again.
    const again = await post(id, { intent: "adopt", version: String(version + 1), grade: "fair" }, "reviewer2");
    expect(again.status).toBe(409);
    expect((await bodyOf(again)).formError).toContain("该稿件已被他人处理");
    expect(await itemRow(id)).toMatchObject({ status: "adopted", grade: "good", decided_by: county.ids.reviewer, version: version + 1 });
    expect(await eventsOf(id)).toHaveLength(1);
  });

  it("two reviewers at the same moment: exactly one succeeds", async () => {
    const id = await waitingItem();
    const { version } = await itemRow(id);
    const results = await Promise.all([
      post(id, { intent: "adopt", version: String(version), grade: "excellent" }),
      post(id, { intent: "return", version: String(version), reason: "请修改标题。" }, "reviewer2"),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([302, 409]);
    const loser = results.find((r) => r.status === 409)!;
    expect((await bodyOf(loser)).formError).toContain("该稿件已被他人处理");
    const events = await eventsOf(id);
    expect(events).toHaveLength(1);
    const row = await itemRow(id);
    expect(row.version).toBe(version + 1);
    expect(row.status).toBe(events[0].to_status);
  });

  it("goes back to the queue when nothing else is waiting", async () => {
    // Decide everything that waits, then the last one.
    const waiting = await county.dbs.db.selectFrom("items").select(["id", "version"]).where("status", "=", "submitted").orderBy("id").execute();
    for (const w of waiting.slice(0, -1)) {
      expect((await post(w.id, { intent: "adopt", version: String(w.version), grade: "fair" })).status).toBe(302);
    }
    const last = waiting[waiting.length - 1];
    const res = await post(last.id, { intent: "adopt", version: String(last.version), grade: "fair" });
    expect(res.headers.get("Location")).toBe("/review");
    expect((await flashOf(res))?.message).toMatch(/待审核稿件已全部处理完。$/);
    expect((await bodyOf(await list(""))).waiting).toBe(0);
  });
});

describe("上稿, 批示 and 撤稿 on adopted items", () => {
  let adopted = 0;
  beforeAll(async () => {
    adopted = await insertItem(county.dbs.db, {
      unitId: county.units.B, createdBy: county.ids.correspondentB, status: "adopted", grade: "good", reportMonth: M, firstSubmittedAt: hoursAgo(72),
    });
  });
  const audits = (action: string, id: number) =>
    county.dbs.db.selectFrom("audit_events").selectAll().where("action", "=", action).where("entity_id", "=", String(id)).execute();

  it("stays in the queue view the reviewer came from after a pickup, a 批示 and a correction", async () => {
    const adopted = await insertItem(county.dbs.db, {
      unitId: county.units.B, createdBy: county.ids.correspondentB, status: "adopted", grade: "good", reportMonth: M, firstSubmittedAt: hoursAgo(72),
    });
    const from = "?status=adopted&kind=township_central";
    const url = `/review/${adopted}?from=${encodeURIComponent(from)}`;
    const send = (body: Record<string, string>) => call(reviewItem.action, county, { url, user: "reviewer", params: { id: String(adopted) }, body });
    const pickup = await send({ intent: "pickup", outlet: "县融媒体中心", tier: "county", picked_on: "2026-01-06" });
    expect(pickup.status).toBe(302);
    const back = pickup.headers.get("Location")!;
    expect(back.startsWith(`/review/${adopted}?from=`)).toBe(true);
    expect(new URL(back, "http://localhost").searchParams.get("from")).toContain("status=adopted");
    const instruction = await send({ intent: "instruction", leader: "县长", level: "county", instructed_on: "2026-01-07" });
    expect(instruction.headers.get("Location")).toBe(back);
    const [pickupRow] = await county.dbs.db.selectFrom("pickups").select("id").where("item_id", "=", adopted).orderBy("id", "desc").limit(1).execute();
    const removed = await send({ intent: "remove_pickup", record_id: String(pickupRow.id), reason: "登记错了媒体" });
    expect(removed.status).toBe(302);
    expect(removed.headers.get("Location")).toBe(back);
    // A view that is not one (or none) gives the plain page.
    const plain = await call(reviewItem.action, county, {
      url: `/review/${adopted}?from=${encodeURIComponent("https://evil.example/")}`, user: "reviewer", params: { id: String(adopted) },
      body: { intent: "pickup", outlet: "县电视台", tier: "county", picked_on: "2026-01-05" },
    });
    expect(plain.headers.get("Location")).toBe(`/review/${adopted}`);
  });

  it("records a pickup with one audit row", async () => {
    const res = await post(adopted, { intent: "pickup", outlet: "市教育局网站", tier: "city", picked_on: "2026-01-08", url: "https://jyj.example.gov.cn/a/1.html" });
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe(`/review/${adopted}`);
    expect((await flashOf(res))?.message).toBe("已登记上稿：市教育局网站（市级，2026-01-08）");
    const rows = await county.dbs.db.selectFrom("pickups").selectAll().where("item_id", "=", adopted).execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ outlet: "市教育局网站", tier: "city", picked_on: "2026-01-08", url: "https://jyj.example.gov.cn/a/1.html", created_by: county.ids.reviewer });
    const audit = await audits("pickup_recorded", adopted);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor_id: county.ids.reviewer, actor_name: "reviewer", entity_type: "item" });
    expect((await bodyOf(await view(adopted))).pickups).toHaveLength(1);
  });

  it("refuses a bad tier, link or date with a message per field and writes nothing", async () => {
    const before = [await count("pickups"), await count("audit_events")];
    const res = await post(adopted, { intent: "pickup", outlet: "", tier: "global", picked_on: "2026-02-30", url: "javascript:alert(1)" });
    expect(res.status).toBe(400);
    const body = await bodyOf(res);
    expect(body.intent).toBe("pickup");
    expect(body.fieldErrors).toEqual({
      outlet: "请填写刊发媒体",
      tier: "请选择媒体级别（县区级、市级、省级、国家级）",
      picked_on: "刊发日期格式不正确，应为 年-月-日",
      url: "链接须以 http:// 或 https:// 开头",
    });
    expect(body.values).toMatchObject({ tier: "global", url: "javascript:alert(1)" });
    const future = await post(adopted, { intent: "pickup", outlet: "省教育厅网站", tier: "province", picked_on: "2999-01-01", url: "ftp://x.example/1" });
    await expectFieldErrors(future, { picked_on: "刊发日期不能晚于今天", url: "链接须以 http:// 或 https:// 开头" });
    expect([await count("pickups"), await count("audit_events")]).toEqual(before);
  });

  it("records a 批示 with one audit row, and validates it", async () => {
    const bad = await post(adopted, { intent: "instruction", level: "national", leader: "", instructed_on: "" });
    await expectFieldErrors(bad, {
      level: "请选择批示级别（县区级、市级、省级）", leader: "请填写批示领导", instructed_on: "请填写批示日期",
    });
    const res = await post(adopted, { intent: "instruction", level: "county", leader: "县政府副县长 李某", content: "经验做法值得推广。", instructed_on: "2026-01-10" });
    expect(res.status).toBe(302);
    expect(await county.dbs.db.selectFrom("instructions").selectAll().where("item_id", "=", adopted).execute()).toMatchObject([
      { level: "county", leader: "县政府副县长 李某", content: "经验做法值得推广。", instructed_on: "2026-01-10" },
    ]);
    expect(await audits("instruction_recorded", adopted)).toHaveLength(1);
  });

  it("refuses a pickup on an item that is not adopted with 409", async () => {
    const id = await waitingItem();
    const before = await count("pickups");
    const res = await post(id, { intent: "pickup", outlet: "县融媒体中心", tier: "county", picked_on: "2026-01-02" });
    expect(res.status).toBe(409);
    expect(await count("pickups")).toBe(before);
  });

  it("takes an item down with a reason, optionally revoking its points", async () => {
    const { version } = await itemRow(adopted);
    const missing = await post(adopted, { intent: "withdraw", version: String(version), reason: "" });
    await expectFieldErrors(missing, { reason: "请填写撤稿理由" });
    expect((await itemRow(adopted)).status).toBe("adopted");

    const res = await post(adopted, { intent: "withdraw", version: String(version), reason: "数据有误，需核实。", revoke_points: "1" });
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe(`/review/${adopted}`);
    expect((await flashOf(res))?.message).toMatch(/并取消了该稿积分$/);
    expect(await itemRow(adopted)).toMatchObject({ status: "withdrawn", points_revoked: 1, last_reason: "数据有误，需核实。" });
    expect((await eventsOf(adopted)).map((e) => e.action)).toEqual(["withdraw"]);
    // A withdrawn item takes no more pickups.
    expect((await post(adopted, { intent: "pickup", outlet: "县融媒体中心", tier: "county", picked_on: "2026-01-02" })).status).toBe(409);
  });
});

describe("review aids", () => {
  const ORIGINAL =
    "为进一步提升教师课堂教学能力，十一月十五日，城关镇中心学校组织全体语文教师开展“同课异构”教研活动。" +
    "活动中，三位青年教师分别执教《秋天的雨》一课，各具特色。课后，教研组长带领大家逐一评课，" +
    "从教学目标、课堂结构、学生参与等方面提出改进建议。此次活动为青年教师搭建了交流成长的平台。";
  // The same story sent again by another school, with a few words changed.
  const NEAR_COPY = ORIGINAL.replace("城关镇中心学校", "县实验小学").replace("三位", "两位").replace("各具特色", "精彩纷呈");

  it("finds a near-duplicate from another unit in the last 12 months, with its similarity", async () => {
    const mine = await waitingItem({ title: "城关镇中心学校开展同课异构教研活动", body: ORIGINAL });
    const copy = await insertItem(county.dbs.db, {
      unitId: county.units.B, createdBy: county.ids.correspondentB, status: "adopted", title: "县实验小学开展同课异构教研活动",
      body: NEAR_COPY, reportMonth: PREV, firstSubmittedAt: hoursAgo(24 * 60),
    });
    // Too old, and never sent: neither counts.
    const old = await insertItem(county.dbs.db, {
      unitId: county.units.B, createdBy: county.ids.correspondentB, status: "adopted", title: "县实验小学开展同课异构教研活动",
      body: ORIGINAL, reportMonth: "2025-01", firstSubmittedAt: hoursAgo(24 * 400),
    });
    const draft = await insertItem(county.dbs.db, { unitId: county.units.A, createdBy: county.ids.correspondentA, status: "draft", body: ORIGINAL });
    const body = await bodyOf(await view(mine));
    expect(body.duplicates).toHaveLength(1);
    const [dup] = body.duplicates;
    expect(dup).toMatchObject({ id: copy, unit_name: "县实验小学", status: "adopted", title: "县实验小学开展同课异构教研活动" });
    expect(dup.similarity).toBeGreaterThanOrEqual(0.6);
    expect(dup.similarity).toBeLessThan(1);
    expect(body.duplicates.map((d: { id: number }) => d.id)).not.toContain(old);
    expect(body.duplicates.map((d: { id: number }) => d.id)).not.toContain(draft);
    // And the other way round: the copy's page names this one.
    const back = await bodyOf(await view(copy));
    expect(back.duplicates.map((d: { id: number }) => d.id)).toEqual([mine]);
    // Unrelated items have none.
    expect((await bodyOf(await view(q.b1))).duplicates).toEqual([]);
    // Texts are remembered between page views, but a changed text is read again.
    await county.dbs.db
      .updateTable("items")
      .set({ body: "县实验小学举办秋季田径运动会，同学们奋勇拼搏。", updated_at: new Date(Date.now() + 1000).toISOString() })
      .where("id", "=", copy)
      .execute();
    expect((await bodyOf(await view(mine))).duplicates).toEqual([]);
  });

  it("shows the unit's count against its quota for the item's month", async () => {
    const month = "2025-06";
    const A = { unitId: county.units.A, createdBy: county.ids.correspondentA, reportMonth: month, firstSubmittedAt: hoursAgo(24 * 500) };
    const id = await insertItem(county.dbs.db, { ...A, status: "submitted" });
    await insertItem(county.dbs.db, { ...A, status: "adopted" });
    await insertItem(county.dbs.db, { ...A, status: "adopted", grade: "excellent" });
    await insertItem(county.dbs.db, { ...A, status: "withdrawn" }); // keeps its points: counts
    await insertItem(county.dbs.db, { ...A, status: "withdrawn", pointsRevoked: true }); // does not
    await insertItem(county.dbs.db, { ...A, status: "rejected" });
    // Another unit's adopted item of the same month is not this unit's.
    await insertItem(county.dbs.db, { unitId: county.units.B, createdBy: county.ids.correspondentB, status: "adopted", reportMonth: month });
    let body = await bodyOf(await view(id));
    expect(body.quota).toEqual({ month, adopted: 3, submitted: 6, quota: 10, completion: 0.3, status: "short" });

    await county.dbs.db
      .insertInto("unit_quota_overrides")
      .values({ unit_id: county.units.A, effective_month: "2025-05", quota: 3, reason: "撤并", created_at: new Date().toISOString() })
      .execute();
    body = await bodyOf(await view(id));
    expect(body.quota).toMatchObject({ adopted: 3, quota: 3, completion: 1, status: "met" });
  });
});
