// Races between people acting at the same moment, through the real route actions: two reviewers
// on one item, the same form posted twice, decisions and records racing the close of their month.
// The writer is one connection behind a mutex, so every race ends in some serial order; these
// tests hold each order to its one legal outcome.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Grade, ItemStatus } from "../../db/schema";
import { addMonths, shanghaiDate, shanghaiMonth } from "~/domain/time";
import { getConfig } from "~/models/env.server";
import { readFlash } from "~/lib/flash.server";
import { commitSessionId } from "~/lib/session.server";
import { login } from "~/models/auth.server";
import { leagueFor } from "~/models/months.server";
import { refreshMonth } from "~/models/rollup.server";
import * as itemEdit from "~/routes/items.$id_.edit";
import * as itemPage from "~/routes/items.$id";
import * as itemNew from "~/routes/items.new";
import * as monthsPage from "~/routes/months._index";
import * as reviewItem from "~/routes/review.$id";
import * as reviewQueue from "~/routes/review._index";
import { bodyOf, isDataWithInit, PASSWORD, responseOf, setupCounty, type County, type UserKey } from "../support/app";
import { insertItem } from "../support/item-fixtures";
import { jpeg, photoFiles } from "../support/photos";
import { recomputeFromScratch, rollupAsMap } from "../support/recompute";
import {
  correspondentDifferences, correspondentRollupAsMap, expectedSnapshot, frozenPeople, frozenSnapshot, recomputeCorrespondentsFromScratch,
} from "../support/snapshot-check";

const TAKEN = "该稿件已被他人处理，请刷新后查看最新状态。";

let county: County;
let reviewer2 = { id: 0, cookie: "" };
/** Every cookie looked up before the races, so no request starts with an extra wait. */
const cookies = new Map<string, string>();
const db = () => county.dbs.db;

beforeAll(async () => {
  county = await setupCounty();
  for (const user of ["reviewer", "leadA", "correspondentA", "correspondentB"] as const) await county.cookieFor(user);
  // The bureau's second reviewer.
  const { password_hash } = await db().selectFrom("accounts").select("password_hash").where("id", "=", county.ids.reviewer).executeTakeFirstOrThrow();
  const now = new Date().toISOString();
  const { id } = await db()
    .insertInto("accounts")
    .values({ username: "reviewer2", display_name: "钱审核", role: "reviewer", unit_id: null, password_hash, created_at: now, updated_at: now })
    .returning("id")
    .executeTakeFirstOrThrow();
  const session = await login(db(), { username: "reviewer2", password: PASSWORD, ip: "10.0.9.2", userAgent: "test" });
  if (!session.ok) throw new Error(session.message);
  reviewer2 = { id, cookie: (await commitSessionId(session.sessionId)).split(";")[0] };
  cookies.set("reviewer2", reviewer2.cookie);
  for (const user of ["reviewer", "leadA", "correspondentA", "correspondentB"] as const) cookies.set(user, await county.cookieFor(user));
});
afterAll(async () => county.dbs.dispose());

type Who = UserKey | "reviewer2";
type RouteFn = (args: { request: Request; params: Record<string, string>; context: any }) => unknown;

/** A loader or action run as the server runs it, by anyone including the second reviewer. */
async function send(fn: RouteFn | undefined, who: Who, url: string, options: { params?: Record<string, string>; body?: Record<string, string> | URLSearchParams | FormData } = {}) {
  if (!fn) throw new Error("route has no such function");
  const headers = new Headers({ Cookie: cookies.get(who) ?? (await county.cookieFor(who as UserKey)) });
  let body: BodyInit | undefined;
  if (options.body instanceof FormData) body = options.body;
  else if (options.body) {
    body = new URLSearchParams(options.body);
    headers.set("Content-Type", "application/x-www-form-urlencoded");
  }
  const request = new Request(new URL(url, "http://localhost"), { method: body ? "POST" : "GET", headers, body });
  try {
    const result = await fn({ request, params: options.params ?? {}, context: county.context() });
    return responseOf(result);
  } catch (thrown) {
    if (thrown instanceof Response || isDataWithInit(thrown)) return responseOf(thrown);
    throw thrown;
  }
}

const idOf = (who: Who) => (who === "reviewer2" ? reviewer2.id : county.ids[who]);
const review = (who: Who, itemId: number, body: Record<string, string>) =>
  send(reviewItem.action, who, `/review/${itemId}`, { params: { id: String(itemId) }, body });
const closeAs = (who: Who, month: string) => send(monthsPage.action, who, "/months", { body: { intent: "close", month } });

async function flashOf(response: Response) {
  const cookie = (response.headers.get("Set-Cookie") ?? "").split(";")[0];
  return readFlash(new Request("http://localhost/", { headers: { Cookie: cookie } }));
}

const itemRow = (id: number) => db().selectFrom("items").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
const eventsOf = (id: number) => db().selectFrom("review_events").selectAll().where("item_id", "=", id).orderBy("id").execute();
const count = async (table: "items" | "photos" | "review_events" | "audit_events" | "notifications" | "month_closes") =>
  Number((await db().selectFrom(table).select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n);

const A = () => ({ unitId: county.units.A, createdBy: county.ids.correspondentA });
const B = () => ({ unitId: county.units.B, createdBy: county.ids.correspondentB });

async function expectRollupConsistent() {
  expect(await rollupAsMap(db())).toEqual(await recomputeFromScratch(db()));
  expect(correspondentDifferences(await correspondentRollupAsMap(db()), await recomputeCorrespondentsFromScratch(db()))).toEqual([]);
}

// ---------------------------------------------------------------------------------------------

describe("two reviewers on one item", () => {
  interface Decision {
    label: string;
    body: Record<string, string>;
    /** What the item looks like when this decision won. */
    result: { status: ItemStatus; grade?: Grade | null; last_reason?: string; points_revoked?: 0 | 1 };
  }
  const adoptExcellent: Decision = { label: "采用（优）", body: { intent: "adopt", grade: "excellent" }, result: { status: "adopted", grade: "excellent" } };
  const adoptFair: Decision = { label: "采用（中）", body: { intent: "adopt", grade: "fair" }, result: { status: "adopted", grade: "fair" } };
  const returnIt: Decision = { label: "退回", body: { intent: "return", reason: "请补充活动时间和参加人数" }, result: { status: "draft", last_reason: "请补充活动时间和参加人数" } };
  const returnOther: Decision = { label: "退回（另一理由）", body: { intent: "return", reason: "标题过长" }, result: { status: "draft", last_reason: "标题过长" } };
  const rejectIt: Decision = { label: "不采用", body: { intent: "reject", reason: "与教育工作无关" }, result: { status: "rejected", last_reason: "与教育工作无关" } };
  const withdrawRevoke: Decision = {
    label: "撤稿并取消积分", body: { intent: "withdraw", reason: "数据有误", revoke_points: "1" },
    result: { status: "withdrawn", last_reason: "数据有误", points_revoked: 1 },
  };
  const withdrawKeep: Decision = {
    label: "撤稿保留积分", body: { intent: "withdraw", reason: "图片版权问题" }, result: { status: "withdrawn", last_reason: "图片版权问题", points_revoked: 0 },
  };

  // [first, second, the state both saw, which of them may win (both unless said)]
  const table: Array<[Decision, Decision, "submitted" | "adopted", ("first" | "second")[]]> = [
    [adoptExcellent, adoptFair, "submitted", ["first", "second"]],
    [adoptExcellent, returnIt, "submitted", ["first", "second"]],
    [adoptFair, rejectIt, "submitted", ["first", "second"]],
    [returnIt, rejectIt, "submitted", ["first", "second"]],
    [returnIt, returnOther, "submitted", ["first", "second"]],
    [withdrawRevoke, withdrawKeep, "adopted", ["first", "second"]],
    // A take-down of an item still waiting is never legal: the return wins whatever the order.
    [returnIt, withdrawKeep, "submitted", ["first"]],
  ];

  const winners: string[] = [];
  afterAll(() => {
    console.log(`two reviewers: winners ${winners.join("; ")}`);
  });

  for (const [first, second, state, mayWin] of table) {
    for (const order of ["as listed", "swapped"] as const) {
      it(`${first.label} vs ${second.label} on a ${state} item (${order}): exactly one wins, the other is told 409`, async () => {
        const itemId = await insertItem(db(), { ...A(), status: state, reportMonth: "2026-10" });
        const { version } = await itemRow(itemId);
        const before = { events: await count("review_events"), audits: await count("audit_events") };
        const posts: Array<[Who, Decision]> = order === "as listed" ? [["reviewer", first], ["reviewer2", second]] : [["reviewer2", second], ["reviewer", first]];
        const responses = await Promise.all(posts.map(([who, d]) => review(who, itemId, { ...d.body, version: String(version) })));

        const won = responses.flatMap((r, i) => (r.status === 302 ? [i] : []));
        expect(responses.map((r) => r.status).sort(), responses.map((r) => r.status).join()).toEqual([302, 409]);
        const [w] = won;
        const [winner, decision] = posts[w];
        const loser = responses[1 - w];
        expect(await bodyOf(loser)).toMatchObject({ ok: false, formError: TAKEN, conflict: true });
        expect(mayWin).toContain(decision === first ? "first" : "second");
        winners.push(`${decision.label}←${winner}`);

        // One review event, the winner's; the item as the winner left it, one version on.
        const events = await eventsOf(itemId);
        expect(events).toHaveLength(1);
        expect(events[0]).toMatchObject({ actor_id: idOf(winner), action: decision.body.intent, from_status: state, to_status: decision.result.status });
        expect(await count("review_events")).toBe(before.events + 1);
        const item = await itemRow(itemId);
        expect(item).toMatchObject({ ...decision.result, version: version + 1 });
        if (decision.result.status === "adopted" || decision.result.status === "rejected") expect(item.decided_by).toBe(idOf(winner));
        // Nothing else was written by the refused one (decisions are audited as review events).
        expect(await count("audit_events")).toBe(before.audits);
      });
    }
  }

  it("six decisions at once from both reviewers (two tabs each): one wins, five are told 409", async () => {
    const itemId = await insertItem(db(), { ...B(), status: "submitted", reportMonth: "2026-10" });
    const v = String((await itemRow(itemId)).version);
    const posts: Array<[Who, Record<string, string>]> = [
      ["reviewer", { intent: "adopt", grade: "good" }],
      ["reviewer2", { intent: "adopt", grade: "excellent" }],
      ["reviewer", { intent: "reject", reason: "重复报送" }],
      ["reviewer2", { intent: "return", reason: "请补充图片说明" }],
      ["reviewer", { intent: "adopt", grade: "fair" }],
      ["reviewer2", { intent: "reject", reason: "内容失实" }],
    ];
    const responses = await Promise.all(posts.map(([who, body]) => review(who, itemId, { ...body, version: v })));
    expect(responses.filter((r) => r.status === 302)).toHaveLength(1);
    expect(responses.filter((r) => r.status === 409)).toHaveLength(5);
    // The others are told someone else handled it; the winner's own other tab with the same move
    // (an 采用 with another grade) is told it had adopted it already, and with which grade.
    const [winner, won] = posts[responses.findIndex((r) => r.status === 302)];
    const { grade } = await itemRow(itemId);
    for (const [i, r] of responses.entries()) {
      if (r.status !== 409) continue;
      const [who, body] = posts[i];
      const own = who === winner && body.intent === won.intent;
      expect((await bodyOf(r)).formError).toMatch(own ? new RegExp(`^您已于 .* 采用过这篇稿件（等次${{ excellent: "优", good: "良", fair: "中" }[grade!]}）`) : new RegExp(`^${TAKEN}$`));
    }
    expect(await eventsOf(itemId)).toHaveLength(1);
    await expectRollupConsistent();
  });

  it("a pickup racing a take-down: either the pickup lands on the adopted item first, or it is refused (409) after it", async () => {
    const outcomes = new Set<string>();
    for (let i = 0; i < 6; i++) {
      const itemId = await insertItem(db(), { ...A(), status: "adopted", reportMonth: "2026-10" });
      await db().transaction().execute((trx) => refreshMonth(trx, "2026-10", county.units.A));
      const { version } = await itemRow(itemId);
      const pickup = { intent: "pickup", outlet: "市教育局网站", tier: "city", picked_on: "2026-10-20" };
      const take = { intent: "withdraw", reason: "数据有误", revoke_points: "1", version: String(version) };
      const [p, t] = i % 2 === 0
        ? await Promise.all([review("reviewer", itemId, pickup), review("reviewer2", itemId, take)])
        : (await Promise.all([review("reviewer2", itemId, take), review("reviewer", itemId, pickup)])).reverse();
      expect(t.status).toBe(302);
      const pickups = await db().selectFrom("pickups").select("id").where("item_id", "=", itemId).execute();
      if (p.status === 302) {
        outcomes.add("pickup first");
        expect(pickups).toHaveLength(1);
      } else {
        outcomes.add("take-down first");
        expect(p.status).toBe(409);
        expect((await bodyOf(p)).formError).toMatch(/只有已采用的稿件才能登记上稿或批示/);
        expect(pickups).toHaveLength(0);
      }
      expect(await itemRow(itemId)).toMatchObject({ status: "withdrawn", points_revoked: 1 });
    }
    console.log(`pickup vs take-down: ${[...outcomes].join(", ")}`);
    await expectRollupConsistent();
  });
});

// ---------------------------------------------------------------------------------------------

describe("the same person's move sent twice (a double click, a post repeated after a slow answer)", () => {
  // The first post wins; the second, refused by the version it carries, used to be told that
  // "someone else" had handled the item (a reviewer went looking for a colleague) or that the item
  // "has changed" (a correspondent took the 报送 for failed). It is told it was already done.
  const DONE_ALREADY = (name: string) => new RegExp(`^您已于 \\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2} ${name}过这篇稿件(（等次.）)?，这次提交没有再作改动`);
  const itemPost = (who: Who, itemId: number, body: Record<string, string>) =>
    send(itemPage.action, who, `/items/${itemId}`, { params: { id: String(itemId) }, body });

  async function twice(post: () => Promise<Response>, expected: { name: string; action: string; actor: Who; itemId: number; state: ItemStatus }) {
    const before = await eventsOf(expected.itemId);
    const responses = await Promise.all([post(), post()]);
    expect(responses.map((r) => r.status).sort(), responses.map((r) => r.status).join()).toEqual([302, 409]);
    const second = await bodyOf(responses.find((r) => r.status === 409)!);
    expect(second).toMatchObject({ ok: false, conflict: true });
    expect(second.formError).toMatch(DONE_ALREADY(expected.name));
    expect(second.formError).not.toMatch(/他人|已有更新/);
    // One move in the item's trail, the person's own.
    const events = (await eventsOf(expected.itemId)).slice(before.length);
    expect(events.map((e) => [e.action, e.actor_id])).toEqual([[expected.action, idOf(expected.actor)]]);
    expect((await itemRow(expected.itemId)).status).toBe(expected.state);
    // Sent once more after the answers (the page resent after a restart): the same answer.
    const { version } = await itemRow(expected.itemId);
    const third = await post();
    expect(third.status).toBe(409);
    expect((await bodyOf(third)).formError).toMatch(DONE_ALREADY(expected.name));
    expect((await itemRow(expected.itemId)).version).toBe(version);
    return responses;
  }

  it("a reviewer's 采用 clicked twice: adopted once, the second told it was already adopted (not that someone else handled it)", async () => {
    const itemId = await insertItem(db(), { ...A(), status: "submitted", reportMonth: "2026-10" });
    const { version } = await itemRow(itemId);
    await twice(() => review("reviewer", itemId, { intent: "adopt", grade: "good", version: String(version) }), {
      name: "采用", action: "adopt", actor: "reviewer", itemId, state: "adopted",
    });
    await expectRollupConsistent();
  });

  it("a correspondent's 报送 of a returned item clicked twice, and the lead's 签发 clicked twice", async () => {
    const itemId = await insertItem(db(), { ...A(), status: "draft" });
    const { version } = await itemRow(itemId);
    await twice(() => itemPost("correspondentA", itemId, { intent: "submit", version: String(version), confidential_checked: "1" }), {
      name: "报送", action: "submit", actor: "correspondentA", itemId, state: "pending_school",
    });
    const signed = await itemRow(itemId);
    await twice(() => itemPost("leadA", itemId, { intent: "sign_off", version: String(signed.version) }), {
      name: "签发", action: "sign_off", actor: "leadA", itemId, state: "submitted",
    });
    await expectRollupConsistent();
  });

  it("another person, or another move of one's own, is still told the item moved on", async () => {
    const itemId = await insertItem(db(), { ...A(), status: "submitted", reportMonth: "2026-10" });
    const { version } = await itemRow(itemId);
    expect((await review("reviewer", itemId, { intent: "adopt", grade: "good", version: String(version) })).status).toBe(302);
    const colleague = await review("reviewer2", itemId, { intent: "adopt", grade: "fair", version: String(version) });
    expect((await bodyOf(colleague)).formError).toBe(TAKEN);
    const ownOtherTab = await review("reviewer", itemId, { intent: "return", reason: "请补充图片", version: String(version) });
    expect((await bodyOf(ownOtherTab)).formError).toBe(TAKEN);
  });

  it("the queue's 采用所选 sent twice: every row of the second post says it was the reviewer's own decision", async () => {
    const ids = [await insertItem(db(), { ...B(), status: "submitted", reportMonth: "2026-10" }), await insertItem(db(), { ...B(), status: "submitted", reportMonth: "2026-10" })];
    const picks = await Promise.all(ids.map(async (id) => ["ids", `${id}:${(await itemRow(id)).version}`] as [string, string]));
    const bulk = () => send(reviewQueue.action, "reviewer", "/review?index", { body: new URLSearchParams([["intent", "bulk_adopt"], ["grade", "good"], ...picks]) });
    expect((await bulk()).status).toBe(302);
    const again = await bodyOf(await bulk());
    expect(again.refused).toEqual(ids.map((id) => expect.objectContaining({ id, status: 409, message: "您已处理过这篇稿件，未作改动。" })));
    for (const id of ids) expect((await eventsOf(id)).map((e) => e.action)).toEqual(["adopt"]);
  });
});

// ---------------------------------------------------------------------------------------------

describe("the same new-item form posted twice", () => {
  let category = 0;
  let channel = 0;
  let serial = 0;
  beforeAll(async () => {
    category = (await db().selectFrom("categories").select("id").orderBy("sort_order").executeTakeFirstOrThrow()).id;
    channel = (await db().selectFrom("channels").select("id").orderBy("sort_order").executeTakeFirstOrThrow()).id;
  });

  async function freshToken(who: UserKey = "correspondentA"): Promise<string> {
    const res = await send(itemNew.loader, who, "/items/new");
    expect(res.status).toBe(200);
    return (await bodyOf(res)).formToken;
  }

  const nextTitle = () => `城关镇中心学校开展冬季安全教育第${++serial}期`;

  /** The form as the browser sends it (each post needs its own FormData: a body is read once). */
  function formOf(token: string | null, fields: Record<string, string> = {}, photo?: Buffer): FormData {
    const data = new FormData();
    const values: Record<string, string> = {
      title: "城关镇中心学校开展冬季安全教育",
      body: "11月20日，学校组织全体师生开展冬季安全教育。\n\n活动覆盖防火、防滑、防一氧化碳中毒等内容。",
      category_id: String(category), channel_id: String(channel), event_date: shanghaiDate(new Date()),
      bylines: String(county.ids.correspondentA), intent: "save", ...fields,
    };
    if (token !== null) values.form_token = token;
    for (const [k, v] of Object.entries(values)) data.append(k, v);
    if (photo) {
      data.append("photo_1", new File([new Uint8Array(photo)], "现场.jpg", { type: "image/jpeg" }));
      data.append("caption_1", "活动现场");
    }
    return data;
  }
  const post = (make: () => FormData, who: UserKey = "correspondentA") => send(itemNew.action, who, "/items/new", { body: make() });
  const itemsOfToken = (token: string) => db().selectFrom("items").selectAll().where("form_token", "=", token).execute();
  const photosOf = (id: number) => db().selectFrom("photos").selectAll().where("item_id", "=", id).execute();

  async function answers(responses: Response[]) {
    return Promise.all(responses.map(async (r) => ({ status: r.status, location: r.headers.get("Location"), flash: await flashOf(r) })));
  }

  it("the form page issues a fresh one-time token each time it is shown, carried as a hidden field", async () => {
    const [a, b] = [await freshToken(), await freshToken()];
    expect(a).toMatch(/^[0-9a-f-]{36}$/);
    expect(b).not.toBe(a);
  });

  for (const mode of ["concurrently (double click)", "one after the other (resubmit after a slow network)"] as const) {
    it(`保存草稿 with a photo, posted twice ${mode}: one item, one set of photo rows, the same answer twice`, async () => {
      const token = await freshToken();
      const title = nextTitle();
      const photo = await jpeg(80, 60, mode.startsWith("concurrently") ? "#0a7" : "#a70");
      const make = () => formOf(token, { title }, photo);
      const before = { items: await count("items"), photos: await count("photos"), audits: await count("audit_events"), files: photoFiles(getConfig().dataDir).length };
      const responses = mode.startsWith("concurrently") ? await Promise.all([post(make), post(make)]) : [await post(make), await post(make)];
      const got = await answers(responses);
      expect(got[0].status).toBe(302);
      expect(got[1]).toEqual(got[0]);
      expect(got[0].flash).toEqual({ kind: "success", message: "草稿已保存" });

      const items = await itemsOfToken(token);
      expect(items).toHaveLength(1);
      expect(got[0].location).toBe(`/items/${items[0].id}`);
      expect(items[0]).toMatchObject({ status: "draft", version: 1, created_by: county.ids.correspondentA });
      expect(await count("items")).toBe(before.items + 1);
      expect(await photosOf(items[0].id)).toHaveLength(1);
      expect(await count("photos")).toBe(before.photos + 1);
      expect(photoFiles(getConfig().dataDir).length).toBeLessThanOrEqual(before.files + 1);
      expect(await count("audit_events")).toBe(before.audits + 1);
    });

    it(`报送 posted twice ${mode}: one item, submitted once, the lead told once, the same answer twice`, async () => {
      const token = await freshToken();
      const title = nextTitle();
      const make = () => formOf(token, { title, intent: "submit", confidential_checked: "1" });
      const before = { items: await count("items"), events: await count("review_events"), notices: await count("notifications") };
      const responses = mode.startsWith("concurrently") ? await Promise.all([post(make), post(make)]) : [await post(make), await post(make)];
      const got = await answers(responses);
      expect(got[1]).toEqual(got[0]);
      expect(got[0]).toMatchObject({ status: 302, flash: { kind: "success", message: "已报送，等待分管领导签发" } });

      const items = await itemsOfToken(token);
      expect(items).toHaveLength(1);
      expect(got[0].location).toBe(`/items/${items[0].id}`);
      expect(items[0]).toMatchObject({ status: "pending_school", version: 2 });
      expect((await eventsOf(items[0].id)).map((e) => e.action)).toEqual(["submit"]);
      expect(await count("items")).toBe(before.items + 1);
      expect(await count("review_events")).toBe(before.events + 1);
      // The unit's one lead is told once.
      expect(await count("notifications")).toBe(before.notices + 1);
    });
  }

  it("five posts of one form at once, 报送 refused for a block word: one draft, five identical answers", async () => {
    const at = new Date().toISOString();
    await db().insertInto("sensitive_words").values({ word: "全县第一", level: "block", created_at: at, updated_at: at }).execute();
    try {
      const token = await freshToken();
      const title = nextTitle();
      const make = () => formOf(token, { title, intent: "submit", confidential_checked: "1", body: "我校教学质量全县第一。" });
      const got = await answers(await Promise.all(Array.from({ length: 5 }, () => post(make))));
      const items = await itemsOfToken(token);
      expect(items).toHaveLength(1);
      for (const g of got) {
        expect(g).toEqual({
          status: 302, location: `/items/${items[0].id}/edit`,
          flash: { kind: "error", message: "草稿已保存，但未能报送：稿件含有禁用词“全县第一”，请修改后再报送。" },
        });
      }
      expect(items[0]).toMatchObject({ status: "draft", version: 1 });
    } finally {
      await db().deleteFrom("sensitive_words").where("word", "=", "全县第一").execute();
    }
  });

  it("five posts of one form at once without the 涉密自查 box: no draft, five identical refusals marking the box", async () => {
    const token = await freshToken();
    const make = () => formOf(token, { title: nextTitle(), intent: "submit" });
    const responses = await Promise.all(Array.from({ length: 5 }, () => post(make)));
    for (const r of responses) {
      expect(r.status).toBe(400);
      expect((await bodyOf(r)).fieldErrors).toEqual({ confidential_checked: "请先勾选涉密自查：不得报送涉密信息。" });
    }
    expect(await itemsOfToken(token)).toHaveLength(0);
  });

  it("saved first, then 报送 from the same form (back button): the one draft is submitted, not a second one", async () => {
    const token = await freshToken();
    const title = nextTitle();
    const saved = await post(() => formOf(token, { title }));
    expect(saved.status).toBe(302);
    const submitted = await post(() => formOf(token, { title, intent: "submit", confidential_checked: "1" }));
    const items = await itemsOfToken(token);
    expect(items).toHaveLength(1);
    expect(submitted.headers.get("Location")).toBe(`/items/${items[0].id}`);
    expect((await flashOf(submitted))?.message).toBe("已报送，等待分管领导签发");
    expect(items[0]).toMatchObject({ status: "pending_school", version: 2 });

    // A third post of the same form, as a save, finds the item no longer a draft: shown as it stands.
    const again = await post(() => formOf(token, { title }));
    expect(again.headers.get("Location")).toBe(`/items/${items[0].id}`);
    expect((await flashOf(again))?.message).toBe("此表单已经提交过，没有重复创建稿件；稿件的当前状态如下。");
    expect(await itemsOfToken(token)).toHaveLength(1);
  });

  it("a repost of a form whose draft has since been edited changes nothing and shows the item as it stands", async () => {
    const token = await freshToken();
    const title = nextTitle();
    const first = await post(() => formOf(token, { title }));
    const id = Number(/^\/items\/(\d+)$/.exec(first.headers.get("Location")!)![1]);
    const edit = new FormData();
    for (const [k, v] of Object.entries({
      title: "改过的标题：冬季安全教育", body: "改过的正文。", category_id: String(category), channel_id: String(channel),
      event_date: shanghaiDate(new Date()), bylines: String(county.ids.correspondentA), intent: "save", version: "1",
    })) edit.append(k, v);
    expect((await send(itemEdit.action, "correspondentA", `/items/${id}/edit`, { params: { id: String(id) }, body: edit })).status).toBe(302);

    const repost = await post(() => formOf(token, { title, intent: "submit", confidential_checked: "1" }));
    expect(repost.status).toBe(302);
    expect(repost.headers.get("Location")).toBe(`/items/${id}`);
    expect((await flashOf(repost))?.message).toBe("此表单已经提交过，没有重复创建稿件；稿件的当前状态如下。");
    expect(await itemRow(id)).toMatchObject({ title: "改过的标题：冬季安全教育", status: "draft", version: 2 });
    expect(await itemsOfToken(token)).toHaveLength(1);
  });

  it("different forms, an old form without a token, and another author's same token each create their own item", async () => {
    const before = await count("items");
    const [t1, t2] = [await freshToken(), await freshToken()];
    const title = nextTitle();
    expect((await Promise.all([post(() => formOf(t1, { title })), post(() => formOf(t2, { title }))])).map((r) => r.status)).toEqual([302, 302]);
    expect((await Promise.all([post(() => formOf(null, { title })), post(() => formOf(null, { title }))])).map((r) => r.status)).toEqual([302, 302]);
    const other = formOf(t1, { title, bylines: String(county.ids.correspondentB) });
    expect((await send(itemNew.action, "correspondentB", "/items/new", { body: other })).status).toBe(302);
    expect(await count("items")).toBe(before + 5);
    expect((await itemsOfToken(t1)).map((i) => i.created_by).sort()).toEqual([county.ids.correspondentA, county.ids.correspondentB].sort());
  });

  it("a mangled token is a stale page (400), nothing written", async () => {
    const before = await count("items");
    const res = await post(() => formOf("x'; drop table items; --"));
    expect(res.status).toBe(400);
    expect((await bodyOf(res)).formError).toBe("页面已过期，请刷新后重试。");
    expect(await count("items")).toBe(before);
  });

  it("the schema itself refuses a second item of one author with one token (the index behind the check)", async () => {
    const token = await freshToken();
    const make = () => insertItem(db(), { ...A(), status: "draft" }).then((id) => db().updateTable("items").set({ form_token: token }).where("id", "=", id).execute());
    await make();
    await expect(make()).rejects.toThrow(/UNIQUE constraint failed: items\.created_by, items\.form_token/);
  });
});

// ---------------------------------------------------------------------------------------------

describe("decisions and records racing the close of their month", () => {
  // Each run takes a month of its own, long past, so the months do not meet.
  let nextMonth = "2019-01";
  const takeMonth = () => {
    const m = nextMonth;
    nextMonth = addMonths(nextMonth, 1);
    return m;
  };

  /** A month with decided items in both units (a photo, a pickup, a 批示, a late one) and the rollup up to date. */
  async function monthWithItems(month: string, extra: { waiting?: boolean } = {}) {
    const at = `${month}-10T02:00:00.000Z`;
    const base = { reportMonth: month, firstSubmittedAt: at, eventDate: `${month}-08` };
    const adopted = await insertItem(db(), { ...A(), ...base, status: "adopted", grade: "excellent" });
    await insertItem(db(), { ...A(), ...base, status: "rejected" });
    const late = await insertItem(db(), { ...B(), ...base, status: "adopted", grade: "fair", late: true, bylines: [county.ids.correspondentB] });
    await insertItem(db(), { ...B(), ...base, status: "withdrawn", grade: "good" });
    const now = new Date().toISOString();
    await db().insertInto("photos").values({ item_id: adopted, sha256: "0".repeat(64), mime: "image/png", width: 10, height: 10, bytes: 1, created_at: now }).execute();
    await db().insertInto("pickups").values({ item_id: late, outlet: "县融媒体中心", tier: "county", picked_on: `${month}-12`, created_by: county.ids.reviewer, created_at: now }).execute();
    await db().insertInto("instructions").values({ item_id: adopted, level: "county", leader: "县长", content: "", instructed_on: `${month}-15`, created_by: county.ids.reviewer, created_at: now }).execute();
    const waiting = extra.waiting ? await insertItem(db(), { ...A(), ...base, status: "submitted" }) : null;
    await db().transaction().execute((trx) => refreshMonth(trx, month));
    return { adopted, late, waiting };
  }

  const sameRows = (a: Map<number, unknown>, b: Map<number, unknown>) =>
    JSON.stringify([...a].sort(([x], [y]) => x - y)) === JSON.stringify([...b].sort(([x], [y]) => x - y));

  /** The month's frozen snapshot (units and correspondents) equals a recomputation from the raw tables now. */
  async function expectSnapshotIsRecomputation(month: string) {
    const frozen = await frozenSnapshot(db(), month);
    expect(frozen, `${month} is closed`).not.toBeNull();
    expect(frozen).toEqual(await expectedSnapshot(db(), month));
    const people = await frozenPeople(db(), month);
    const scratch = await recomputeCorrespondentsFromScratch(db());
    const expected = new Map([...scratch].filter(([k]) => k.endsWith(`:${month}`)).map(([k, v]) => [Number(k.split(":")[0]), v]));
    expect([...people!.keys()].sort()).toEqual([...expected.keys()].sort());
    for (const [id, p] of people!) {
      expect(p.items).toBeCloseTo(expected.get(id)!.items, 1);
      expect(p.points).toBeCloseTo(expected.get(id)!.points, 1);
    }
  }

  it("采用 racing the close, 20 times in both orders: either adopted-then-closed (the snapshot counts it) or close refused-then-adopted", async () => {
    const outcomes: Record<string, number> = {};
    for (let i = 0; i < 20; i++) {
      const month = takeMonth();
      const { waiting } = await monthWithItems(month, { waiting: true });
      const { version } = await itemRow(waiting!);
      const adopt = () => review("reviewer", waiting!, { intent: "adopt", grade: "good", version: String(version) });
      const close = () => closeAs("reviewer2", month);
      const [a, c] = i % 2 === 0 ? await Promise.all([adopt(), close()]) : (await Promise.all([close(), adopt()])).reverse();

      // The adoption always stands: closing never moves an item.
      expect(a.status).toBe(302);
      expect(await itemRow(waiting!)).toMatchObject({ status: "adopted", grade: "good", report_month: month });
      if (c.status === 302) {
        outcomes["adopted, then closed"] = (outcomes["adopted, then closed"] ?? 0) + 1;
        await expectSnapshotIsRecomputation(month);
        expect((await frozenSnapshot(db(), month))!.get(county.units.A)!.adopted).toBe(2);
      } else {
        outcomes["close refused, then adopted"] = (outcomes["close refused, then adopted"] ?? 0) + 1;
        expect(c.status).toBe(409);
        expect((await bodyOf(c)).formError).toMatch(/还有 1 篇稿件待审核，审核完毕后才能结算/);
        expect(await frozenSnapshot(db(), month)).toBeNull();
        // Now nothing waits: the close goes through and freezes the adoption.
        expect((await closeAs("reviewer2", month)).status).toBe(302);
        await expectSnapshotIsRecomputation(month);
      }
    }
    console.log(`采用 vs 结算: ${JSON.stringify(outcomes)}`);
    expect(Object.values(outcomes).reduce((a, b) => a + b, 0)).toBe(20);
    // Started in both orders, the race really went both ways.
    expect(Object.keys(outcomes).sort()).toEqual(["adopted, then closed", "close refused, then adopted"]);
    await expectRollupConsistent();
  });

  it("a returned item resubmitted while its month closes: either it is waiting in that month (close refused) or it takes the open month", async () => {
    await db().updateTable("units").set({ signoff_required: 0 }).where("id", "=", county.units.B).execute();
    const current = shanghaiMonth(new Date());
    const outcomes: Record<string, number> = {};
    try {
      for (let i = 0; i < 10; i++) {
        const month = takeMonth();
        await monthWithItems(month);
        const returned = await insertItem(db(), { ...B(), status: "draft", reportMonth: month, firstSubmittedAt: `${month}-11T02:00:00.000Z` });
        const { version } = await itemRow(returned);
        // The state a close before the resubmission freezes: the returned item still counted in its month.
        const beforeResubmit = await expectedSnapshot(db(), month);
        const resubmit = () =>
          send(itemPage.action, "correspondentB", `/items/${returned}`, {
            params: { id: String(returned) }, body: { intent: "submit", version: String(version), confidential_checked: "1" },
          });
        const close = () => closeAs("reviewer", month);
        const [s, c] = i % 2 === 0 ? await Promise.all([resubmit(), close()]) : (await Promise.all([close(), resubmit()])).reverse();
        expect(s.status).toBe(302);
        const item = await itemRow(returned);
        expect(item.status).toBe("submitted");
        if (c.status === 302) {
          outcomes["closed, then resubmitted into the open month"] = (outcomes["closed, then resubmitted into the open month"] ?? 0) + 1;
          expect(item.report_month).toBe(current);
          expect(await frozenSnapshot(db(), month)).toEqual(beforeResubmit);
        } else {
          outcomes["resubmitted into its month, close refused"] = (outcomes["resubmitted into its month, close refused"] ?? 0) + 1;
          expect(c.status).toBe(409);
          expect(item.report_month).toBe(month);
          expect(await frozenSnapshot(db(), month)).toBeNull();
        }
      }
    } finally {
      await db().updateTable("units").set({ signoff_required: 1 }).where("id", "=", county.units.B).execute();
    }
    console.log(`重新报送 vs 结算: ${JSON.stringify(outcomes)}`);
    await expectRollupConsistent();
  });

  type Move = "pickup" | "instruction" | "withdraw";
  const moves: Move[] = ["pickup", "instruction", "withdraw"];
  const moveBody = (move: Move, version: number, month: string): Record<string, string> =>
    move === "pickup"
      ? { intent: "pickup", outlet: "省教育厅网站", tier: "province", picked_on: `${month}-20` }
      : move === "instruction"
        ? { intent: "instruction", level: "city", leader: "市教育局局长", content: "经验值得推广", instructed_on: `${month}-21` }
        : { intent: "withdraw", reason: "信息有误", revoke_points: "1", version: String(version) };
  const auditOf: Record<Move, string | null> = { pickup: "pickup_recorded", instruction: "instruction_recorded", withdraw: null };

  for (const move of moves) {
    it(`a ${move} on an adopted item racing the close of its month: the snapshot is the recomputation of the state it was taken in, in both orders`, async () => {
      const outcomes: Record<string, number> = {};
      for (let i = 0; i < 8; i++) {
        const month = takeMonth();
        const { adopted } = await monthWithItems(month);
        const beforeMove = await expectedSnapshot(db(), month);
        const { version } = await itemRow(adopted);
        const act = () => review("reviewer", adopted, moveBody(move, version, month));
        const close = () => closeAs("reviewer2", month);
        const [m, c] = i % 2 === 0 ? await Promise.all([act(), close()]) : (await Promise.all([close(), act()])).reverse();
        // Both always go through: a closed month's items may still be picked up, instructed on or taken down.
        expect([m.status, c.status], `${await m.clone().text()} ${await c.clone().text()}`).toEqual([302, 302]);
        const afterMove = await expectedSnapshot(db(), month);
        expect(afterMove, "the move changes the month's figures").not.toEqual(beforeMove);
        const frozen = await frozenSnapshot(db(), month);
        const movedFirst = sameRows(frozen!, afterMove);
        expect(frozen).toEqual(movedFirst ? afterMove : beforeMove);
        const audit = auditOf[move];
        if (audit) {
          // The audit trail says which went first; the snapshot must agree.
          const order = await db()
            .selectFrom("audit_events")
            .select("action")
            .where((eb) => eb.or([eb.and([eb("action", "=", audit), eb("entity_id", "=", String(adopted))]), eb.and([eb("action", "=", "month_closed"), eb("entity_id", "=", month)])]))
            .orderBy("id")
            .execute();
          expect(order.map((o) => o.action)).toEqual(movedFirst ? [audit, "month_closed"] : ["month_closed", audit]);
        }
        outcomes[movedFirst ? `${move} first` : "close first"] = (outcomes[movedFirst ? `${move} first` : "close first"] ?? 0) + 1;

        // A change after the close goes to the live figures only; the frozen month stays as it was.
        const later = await review("reviewer", adopted, { intent: "pickup", outlet: "人民网", tier: "national", picked_on: `${month}-25` });
        expect(later.status).toBe(move === "withdraw" ? 409 : 302);
        expect(await frozenSnapshot(db(), month)).toEqual(frozen);
      }
      console.log(`${move} vs 结算: ${JSON.stringify(outcomes)}`);
      await expectRollupConsistent();
    });
  }

  it("a change after the close moves the live figures only: the month's league keeps the frozen numbers", async () => {
    const month = takeMonth();
    const { adopted } = await monthWithItems(month);
    expect((await closeAs("reviewer", month)).status).toBe(302);
    const frozen = await frozenSnapshot(db(), month);
    const { version } = await itemRow(adopted);
    expect((await review("reviewer2", adopted, { intent: "withdraw", reason: "信息有误", revoke_points: "1", version: String(version) })).status).toBe(302);
    expect(await frozenSnapshot(db(), month)).toEqual(frozen);
    expect(await expectedSnapshot(db(), month)).not.toEqual(frozen);
    await expectRollupConsistent();
    const league = await leagueFor(county.dbs.reader, month);
    expect(league.closed).toBe(true);
    expect(league.rows.map((r) => [r.unitId, r.adopted, r.points])).toEqual(
      [...frozen!].map(([unitId, r]) => [unitId, r.adopted, r.points]).sort((x, y) => (league.rows.findIndex((l) => l.unitId === x[0]) - league.rows.findIndex((l) => l.unitId === y[0]))),
    );
  });
});
