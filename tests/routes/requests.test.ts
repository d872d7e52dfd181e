// 约稿 through the pages: the reviewer issues one (a kind at once, or chosen units), each role's
// view, answering with a linked item, declining, cancelling, and the refusals — a unit not addressed
// cannot link an item or decline (403, nothing written), a school cannot see another unit's request
// (404), a cancelled or past-deadline request cannot be declined (409).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { transitionItem } from "~/models/item-workflow.server";
import { runRequestJobs } from "~/models/requests.server";
import * as list from "~/routes/requests._index";
import * as newPage from "~/routes/requests.new";
import * as page from "~/routes/requests.$id";
import * as newItem from "~/routes/items.new";
import * as home from "~/routes/_index";
import { bodyOf, call, setupCounty, type County, type UserKey } from "../support/app";

let county: County;
const db = () => county.dbs.db;
beforeAll(async () => {
  county = await setupCounty();
  await db().updateTable("units").set({ signoff_required: 0 }).execute();
});
afterAll(async () => county.dbs.dispose());

const inDays = (days: number) => new Date(Date.now() + days * 86_400_000 + 8 * 3_600_000).toISOString().slice(0, 10);
const counts = async () => ({
  requests: (await db().selectFrom("requests").selectAll().execute()).length,
  units: (await db().selectFrom("request_units").selectAll().execute()).length,
  declines: (await db().selectFrom("request_units").selectAll().where("declined_at", "is not", null).execute()).length,
  items: (await db().selectFrom("items").selectAll().execute()).length,
  audits: (await db().selectFrom("audit_events").selectAll().where("action", "!=", "login").execute()).length,
});
const create = (body: Record<string, string> | FormData, user: UserKey = "reviewer") => call(newPage.action, county, { url: "/requests/new", user, body });
const view = (id: number, user: UserKey) => call(page.loader, county, { url: `/requests/${id}`, user, params: { id: String(id) } });
const act = (id: number, body: Record<string, string>, user: UserKey) => call(page.action, county, { url: `/requests/${id}`, user, body, params: { id: String(id) } });
const idOf = (r: Response) => Number(/\/requests\/(\d+)/.exec(r.headers.get("Location") ?? "")?.[1]);

function itemForm(extra: Record<string, string>) {
  const f = new FormData();
  for (const [k, v] of Object.entries({ title: "城关镇中心学校开展防溺水安全教育", body: "近日，学校开展防溺水安全教育活动。", event_date: inDays(0), confidential_checked: "1", ...extra })) f.set(k, v);
  return f;
}

let toA = 0;
let toAll = 0;

describe("issuing", () => {
  it("refuses bad input with a Chinese message per field and writes nothing", async () => {
    const before = await counts();
    const none = await create({ topic: "防溺水", due_date: inDays(3), due_time: "17:00" });
    expect(none.status).toBe(400);
    expect((await bodyOf(none)).fieldErrors.unit_ids).toBe("请至少选择一个约稿单位");
    const past = await create({ topic: "防溺水", due_date: inDays(-1), due_time: "17:00", unit_ids: String(county.units.A) });
    expect((await bodyOf(past)).fieldErrors.due_date).toBe("截止时间必须晚于现在");
    const long = await create({ topic: "字".repeat(41), due_date: inDays(3), unit_ids: String(county.units.A) });
    expect((await bodyOf(long)).fieldErrors.topic).toBe("约稿主题不能超过 40 个字");
    for (const user of ["correspondentA", "leadA", "admin"] as const) {
      expect((await create({ topic: "防溺水", due_date: inDays(3), unit_ids: String(county.units.A) }, user)).status).toBe(403);
    }
    expect(await counts()).toEqual(before);
  });

  it("addresses chosen units, or every active unit of a kind, and notifies their people", async () => {
    const one = await create({ topic: "防溺水安全教育", guidance: "写清楚活动形式", due_date: inDays(3), due_time: "17:00", unit_ids: String(county.units.A) });
    expect(one.status).toBe(302);
    toA = idOf(one);
    const byKind = new FormData();
    for (const [k, v] of Object.entries({ topic: "教师节", due_date: inDays(5), due_time: "12:00" })) byKind.set(k, v);
    byKind.append("kinds", "township_central");
    byKind.append("kinds", "district_school");
    const all = await create(byKind);
    expect(all.status).toBe(302);
    toAll = idOf(all);
    const units = await db().selectFrom("request_units").select("unit_id").where("request_id", "=", toAll).orderBy("unit_id").execute();
    expect(units.map((u) => u.unit_id)).toEqual([county.units.A, county.units.B].sort((a, b) => a - b));
    const notes = await db().selectFrom("notifications").select(["account_id", "title"]).where("link", "=", `/requests/${toA}`).execute();
    expect(notes.map((n) => n.account_id).sort()).toEqual([county.ids.correspondentA, county.ids.leadA].sort());
    const stored = await db().selectFrom("requests").selectAll().where("id", "=", toA).executeTakeFirstOrThrow();
    expect(stored.due_at.slice(11, 16)).toBe("09:00"); // 17:00 in Shanghai
  });
});

describe("what each role sees", () => {
  it("the reviewer sees every request and each unit's outcome", async () => {
    const body = await bodyOf(await call(list.loader, county, { url: "/requests", user: "reviewer" }));
    expect(body.list.rows.map((r: { id: number }) => r.id).sort()).toEqual([toA, toAll].sort());
    const detail = await bodyOf(await view(toAll, "reviewer"));
    expect(detail.request.units.map((u: { outcomeName: string }) => u.outcomeName)).toEqual(["进行中", "进行中"]);
  });

  it("a school sees only the requests addressed to its unit, with the time left", async () => {
    const a = await bodyOf(await call(list.loader, county, { url: "/requests", user: "correspondentA" }));
    expect(a.list.rows.map((r: { id: number }) => r.id).sort()).toEqual([toA, toAll].sort());
    expect(a.list.rows[0].timeLeft).toMatch(/^还剩 \d+ 天/);
    const b = await bodyOf(await call(list.loader, county, { url: "/requests", user: "correspondentB" }));
    expect(b.list.rows.map((r: { id: number }) => r.id)).toEqual([toAll]);
    const detail = await bodyOf(await view(toAll, "correspondentB"));
    expect(detail.request.units.map((u: { unitId: number }) => u.unitId)).toEqual([county.units.B]);
  });

  it("another unit's request is not found; an admin has no 约稿 pages", async () => {
    expect((await view(toA, "correspondentB")).status).toBe(404);
    expect((await view(toA, "admin")).status).toBe(403);
    expect((await call(newItem.loader, county, { url: `/items/new?request=${toA}`, user: "correspondentB" })).status).toBe(404);
  });

  it("the home page shows the open requests with the time left", async () => {
    const a = await bodyOf(await call(home.loader, county, { url: "/", user: "correspondentA" }));
    expect(a.requests.map((r: { id: number }) => r.id).sort()).toEqual([toA, toAll].sort());
    const r = await bodyOf(await call(home.loader, county, { url: "/", user: "reviewer" }));
    expect(r.requests.open).toBe(2);
  });
});

describe("answering", () => {
  it("refuses an item linked to a request of another unit (403), writing nothing", async () => {
    const before = await counts();
    const category = await db().selectFrom("categories").select("id").executeTakeFirstOrThrow();
    const channel = await db().selectFrom("channels").select("id").executeTakeFirstOrThrow();
    const res = await call(newItem.action, county, {
      url: "/items/new", user: "correspondentB",
      body: itemForm({ intent: "submit", category_id: String(category.id), channel_id: String(channel.id), request_id: String(toA) }),
    });
    expect(res.status).toBe(403);
    expect(await counts()).toEqual(before);
  });

  it("an addressed unit files an item from the request; adopted on time it is 按时完成 (+2 on the month)", async () => {
    const form = await bodyOf(await call(newItem.loader, county, { url: `/items/new?request=${toA}`, user: "correspondentA" }));
    expect(form.request).toEqual({ id: toA, topic: "防溺水安全教育" });
    const category = await db().selectFrom("categories").select("id").executeTakeFirstOrThrow();
    const channel = await db().selectFrom("channels").select("id").executeTakeFirstOrThrow();
    const res = await call(newItem.action, county, {
      url: `/items/new?request=${toA}`, user: "correspondentA",
      body: itemForm({ intent: "submit", category_id: String(category.id), channel_id: String(channel.id), request_id: String(toA), form_token: form.formToken }),
    });
    expect(res.status).toBe(302);
    const item = await db().selectFrom("items").selectAll().where("request_id", "=", toA).executeTakeFirstOrThrow();
    expect(item.status).toBe("submitted");
    const reviewer = { id: county.ids.reviewer, username: "reviewer", displayName: "赵审核", role: "reviewer" as const, unitId: null, unitName: null, mustChangePassword: false };
    const adopted = await transitionItem(db(), { itemId: item.id, action: "adopt", actor: reviewer, grade: "good", expectedVersion: item.version });
    expect(adopted.ok).toBe(true);
    const detail = await bodyOf(await view(toA, "correspondentA"));
    expect(detail.request.units[0].outcomeName).toBe("按时完成");
    expect(detail.request.units[0].items.map((i: { id: number }) => i.id)).toEqual([item.id]);
    const month = (await db().selectFrom("requests").select("month").where("id", "=", toA).executeTakeFirstOrThrow()).month;
    const stats = await db().selectFrom("unit_month_stats").selectAll().where("unit_id", "=", county.units.A).where("month", "=", month).executeTakeFirstOrThrow();
    expect([stats.requests_fulfilled, stats.request_points]).toEqual([1, 2]);
  });

  it("a draft the school keeps against the request is listed for the school, not for the bureau", async () => {
    const form = await bodyOf(await call(newItem.loader, county, { url: `/items/new?request=${toA}`, user: "correspondentA" }));
    const category = await db().selectFrom("categories").select("id").executeTakeFirstOrThrow();
    const channel = await db().selectFrom("channels").select("id").executeTakeFirstOrThrow();
    const saved = await call(newItem.action, county, {
      url: `/items/new?request=${toA}`, user: "correspondentA",
      body: itemForm({ intent: "save", title: "校内草稿：尚未报送", category_id: String(category.id), channel_id: String(channel.id), request_id: String(toA), form_token: form.formToken }),
    });
    expect(saved.status).toBe(302);
    const draft = await db().selectFrom("items").select(["id", "status"]).where("request_id", "=", toA).where("title", "=", "校内草稿：尚未报送").executeTakeFirstOrThrow();
    expect(draft.status).toBe("draft");
    const itemsSeenBy = async (user: UserKey) => (await bodyOf(await view(toA, user))).request.units[0].items.map((i: { id: number }) => i.id);
    expect(await itemsSeenBy("correspondentA")).toContain(draft.id);
    expect(await itemsSeenBy("reviewer")).not.toContain(draft.id);
    expect(await itemsSeenBy("reviewer")).toHaveLength(1);
  });

  it("declining needs a reason of 5 characters; a unit not addressed cannot decline (403); a second decline is 409", async () => {
    const before = await counts();
    const short = await act(toAll, { intent: "decline", reason: "太忙" }, "correspondentB");
    expect(short.status).toBe(400);
    expect((await bodyOf(short)).fieldErrors.reason).toBe("请写明婉拒的理由（至少 5 个字）");
    expect((await act(toA, { intent: "decline", reason: "本月没有相关活动" }, "correspondentB")).status).toBe(403);
    expect((await act(toAll, { intent: "decline", reason: "本月没有相关活动" }, "reviewer")).status).toBe(403);
    expect(await counts()).toEqual(before);
    expect((await act(toAll, { intent: "decline", reason: "本月没有教师节相关活动" }, "correspondentB")).status).toBe(302);
    expect((await act(toAll, { intent: "decline", reason: "本月没有教师节相关活动" }, "correspondentB")).status).toBe(409);
    const detail = await bodyOf(await view(toAll, "reviewer"));
    const b = detail.request.units.find((u: { unitId: number }) => u.unitId === county.units.B);
    expect([b.outcomeName, b.declineReason]).toEqual(["婉拒", "本月没有教师节相关活动"]);
  });

  it("a cancelled request scores nothing and cannot be declined or answered", async () => {
    expect((await act(toAll, { intent: "cancel", reason: "" }, "reviewer")).status).toBe(400);
    expect((await act(toAll, { intent: "cancel", reason: "活动取消" }, "correspondentA")).status).toBe(403);
    expect((await act(toAll, { intent: "cancel", reason: "活动取消" }, "reviewer")).status).toBe(302);
    expect((await act(toAll, { intent: "cancel", reason: "活动取消" }, "reviewer")).status).toBe(409);
    expect((await act(toAll, { intent: "decline", reason: "本月没有相关活动" }, "leadA")).status).toBe(409);
    const month = (await db().selectFrom("requests").select("month").where("id", "=", toAll).executeTakeFirstOrThrow()).month;
    const stats = await db().selectFrom("unit_month_stats").selectAll().where("unit_id", "=", county.units.B).where("month", "=", month).executeTakeFirst();
    expect(stats?.requests_declined ?? 0).toBe(0);
    expect((await call(newItem.loader, county, { url: `/items/new?request=${toAll}`, user: "correspondentA" })).status).toBe(404);
  });

  it("past the deadline: no decline (409); nothing sent is 未报送 (−3) once the periodic run settles it; one reminder before", async () => {
    const res = await create({ topic: "期中考试", due_date: inDays(1), due_time: "23:00", unit_ids: String(county.units.B) });
    const id = idOf(res);
    const due = new Date((await db().selectFrom("requests").select("due_at").where("id", "=", id).executeTakeFirstOrThrow()).due_at);
    const reminded = await runRequestJobs(db(), new Date(due.getTime() - 3_600_000));
    expect(reminded.reminded).toEqual([{ requestId: id, unitId: county.units.B }]);
    expect((await runRequestJobs(db(), new Date(due.getTime() - 1_800_000))).reminded).toEqual([]);
    // The deadline passes: move it into the past, as time would.
    await db().updateTable("requests").set({ due_at: new Date(Date.now() - 60_000).toISOString() }).where("id", "=", id).execute();
    expect((await act(id, { intent: "decline", reason: "本月没有相关活动" }, "correspondentB")).status).toBe(409);
    const settled = await runRequestJobs(db());
    expect(settled.settled).toEqual([id]);
    const month = (await db().selectFrom("requests").select("month").where("id", "=", id).executeTakeFirstOrThrow()).month;
    const stats = await db().selectFrom("unit_month_stats").selectAll().where("unit_id", "=", county.units.B).where("month", "=", month).executeTakeFirstOrThrow();
    expect([stats.requests_missed, stats.request_points]).toEqual([1, -3]);
    expect((await runRequestJobs(db())).settled).toEqual([]);
  });
});

describe("the same 约稿 form posted twice (a double click, a resend after a slow answer)", () => {
  const flashOf = async (r: Response) => {
    const { readFlash } = await import("~/lib/flash.server");
    return readFlash(new Request("http://localhost/", { headers: { Cookie: (r.headers.get("Set-Cookie") ?? "").split(";")[0] } }));
  };
  const formToken = async () => (await bodyOf(await call(newPage.loader, county, { url: "/requests/new", user: "reviewer" }))).formToken as string;

  it("issues one request however often its form is posted, so a unit that sends nothing is 未报送 once (−3), not twice", async () => {
    // Two requests from one click used to mean −6 and 约稿未完成 2 项: the threshold of 通报批评.
    const token = await formToken();
    expect(token).toMatch(/^[A-Za-z0-9-]{16,64}$/);
    const fields = { topic: "寒假安全教育", due_date: inDays(40), due_time: "17:00", unit_ids: String(county.units.A), form_token: token };
    const before = await counts();
    const [a, b] = await Promise.all([create(fields), create(fields)]);
    expect([a.status, b.status]).toEqual([302, 302]);
    expect(idOf(b)).toBe(idOf(a));
    const again = await create(fields);
    expect(again.headers.get("Location")).toBe(`/requests/${idOf(a)}`);
    expect((await flashOf(again))?.message).toBe("此表单已经提交过，没有重复发出约稿；约稿的当前状态如下。");
    const after = await counts();
    expect({ requests: after.requests - before.requests, units: after.units - before.units }).toEqual({ requests: 1, units: 1 });
    const notes = await db().selectFrom("notifications").select("account_id").where("link", "=", `/requests/${idOf(a)}`).execute();
    expect(notes.map((n) => n.account_id).sort()).toEqual([county.ids.correspondentA, county.ids.leadA].sort());

    // The deadline passes with nothing sent.
    const { month } = await db().selectFrom("requests").select("month").where("id", "=", idOf(a)).executeTakeFirstOrThrow();
    await db().updateTable("requests").set({ due_at: new Date(Date.now() - 60_000).toISOString() }).where("topic", "=", "寒假安全教育").execute();
    await runRequestJobs(db());
    const stats = await db().selectFrom("unit_month_stats").selectAll().where("unit_id", "=", county.units.A).where("month", "=", month).executeTakeFirstOrThrow();
    expect([stats.requests_missed, stats.request_points]).toEqual([1, -3]);
  });

  it("a fresh form issues a request of its own, and a page from before the token (none sent) still issues one", async () => {
    const fields = { topic: "春季开学第一课", due_date: inDays(45), due_time: "17:00", unit_ids: String(county.units.B) };
    const before = (await counts()).requests;
    const first = await create({ ...fields, form_token: await formToken() });
    const second = await create({ ...fields, form_token: await formToken() });
    const old = await create(fields);
    expect([first.status, second.status, old.status]).toEqual([302, 302, 302]);
    expect(new Set([idOf(first), idOf(second), idOf(old)]).size).toBe(3);
    expect((await counts()).requests).toBe(before + 3);
    // Another reviewer's post of the same token is that reviewer's own form.
    const mangled = await create({ ...fields, form_token: "x'; drop table requests; --" });
    expect(mangled.status).toBe(400);
    expect((await bodyOf(mangled)).formError).toBe("页面已过期，请刷新后重试。");
    expect((await counts()).requests).toBe(before + 3);
  });
});
