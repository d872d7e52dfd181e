// Fewer clicks at the review desk: one decision on several ticked items of the queue, and "next
// item" staying within the queue view the reviewer came from.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readFlash } from "~/lib/flash.server";
import * as reviewItem from "~/routes/review.$id";
import * as reviewQueue from "~/routes/review._index";
import { bodyOf, call, setupCounty, type County, type UserKey } from "../support/app";
import { hoursAgo, insertItem, type ItemFixture } from "../support/item-fixtures";

let county: County;

beforeAll(async () => {
  county = await setupCounty();
});
afterAll(async () => county.dbs.dispose());

const itemRow = (id: number) => county.dbs.db.selectFrom("items").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
const eventsOf = (id: number) => county.dbs.db.selectFrom("review_events").selectAll().where("item_id", "=", id).execute();
const waiting = (extra: Partial<ItemFixture> = {}) =>
  insertItem(county.dbs.db, { unitId: county.units.A, createdBy: county.ids.correspondentA, reportMonth: "2026-10", firstSubmittedAt: hoursAgo(1), ...extra });

function bulk(body: Array<[string, string]>, query = "", user: UserKey = "reviewer") {
  return call(reviewQueue.action, county, { url: `/review?index${query ? `&${query}` : ""}`, user, body: new URLSearchParams(body).toString() });
}

async function flashOf(response: Response) {
  const cookie = (response.headers.get("Set-Cookie") ?? "").split(";")[0];
  return readFlash(new Request("http://localhost/", { headers: { Cookie: cookie } }));
}

const picksOf = async (ids: number[]) =>
  Promise.all(ids.map(async (id): Promise<[string, string]> => ["ids", `${id}:${(await itemRow(id)).version}`]));

describe("bulk decisions in the queue", () => {
  it("the queue offers a box per waiting row, valued id:version, and none on decided rows", async () => {
    const a = await waiting({ reportMonth: "2026-08" });
    const adopted = await waiting({ reportMonth: "2026-08", status: "adopted" });
    const page = await bodyOf(await call(reviewQueue.loader, county, { url: "/review?status=all&month=2026-08", user: "reviewer" }));
    const rows = page.rows as Array<{ id: number; version: number; status: string }>;
    expect(rows.find((r) => r.id === a)).toMatchObject({ status: "submitted", version: (await itemRow(a)).version });
    expect(rows.find((r) => r.id === adopted)?.status).toBe("adopted");
  });

  it("adopts 20 ticked items with one grade; the one someone else moved is reported 409 by title and left alone", async () => {
    const ids: number[] = [];
    for (let i = 0; i < 20; i++) ids.push(await waiting({ title: `批量采用稿 ${i + 1}`, reportMonth: "2026-09" }));
    const picks = await picksOf(ids);
    // Meanwhile another reviewer returned the seventh item.
    const moved = ids[6];
    const other = await call(reviewItem.action, county, {
      url: `/review/${moved}`, user: "reviewer", params: { id: String(moved) },
      body: { intent: "return", version: String((await itemRow(moved)).version), reason: "请补充照片。" },
    });
    expect(other.status).toBe(302);
    const movedBefore = await itemRow(moved);

    const res = await bulk([["intent", "bulk_adopt"], ["grade", "good"], ...picks]);
    expect(res.status).toBe(200);
    const body = await bodyOf(res);
    expect(body.summary).toBe("已采用（良） 19 篇稿件，1 篇未处理。");
    expect(body.done).toHaveLength(19);
    expect(body.refused).toEqual([{ id: moved, title: "批量采用稿 7", status: 409, message: "已被他人处理，未作改动。" }]);
    for (const id of ids.filter((id) => id !== moved)) {
      expect(await itemRow(id)).toMatchObject({ status: "adopted", grade: "good", decided_by: county.ids.reviewer });
      const events = await eventsOf(id);
      expect(events.map((e) => [e.action, e.grade])).toEqual([["adopt", "good"]]);
    }
    expect(await itemRow(moved)).toEqual(movedBefore);
    expect((await eventsOf(moved)).map((e) => e.action)).toEqual(["return"]);
  });

  it("when every ticked item goes through, back to the same view with a note", async () => {
    const ids = [await waiting({ reportMonth: "2026-07" }), await waiting({ reportMonth: "2026-07" })];
    const res = await bulk([["intent", "bulk_return"], ["reason", "请补充活动时间。"], ...(await picksOf(ids))], "month=2026-07");
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe("/review?month=2026-07");
    expect((await flashOf(res))?.message).toBe("已退回修改 2 篇稿件。");
    for (const id of ids) expect(await itemRow(id)).toMatchObject({ status: "draft", last_reason: "请补充活动时间。", returned_count: 1 });
  });

  it("refuses without a grade, without a reason, with nothing ticked, or with a malformed tick: 400, nothing written", async () => {
    const id = await waiting();
    const before = await itemRow(id);
    const pick = (await picksOf([id]))[0];
    const cases: Array<[Array<[string, string]>, string, string]> = [
      [[["intent", "bulk_adopt"], pick], "grade", "请选择采用等次（优、良、中）"],
      [[["intent", "bulk_return"], ["reason", "  "], pick], "reason", "请填写退回理由"],
      [[["intent", "bulk_adopt"], ["grade", "fair"]], "ids", "请先勾选要处理的稿件。"],
      [[["intent", "bulk_adopt"], ["grade", "fair"], ["ids", `${id}`]], "ids", "所选稿件的信息有误，请刷新页面后重试。"],
    ];
    for (const [form, field, message] of cases) {
      const res = await bulk(form);
      expect(res.status).toBe(400);
      expect((await bodyOf(res)).fieldErrors[field]).toBe(message);
    }
    const odd = await bulk([["intent", "bulk_reject"], pick]);
    expect(odd.status).toBe(400);
    expect(await itemRow(id)).toEqual(before);
    expect(await eventsOf(id)).toHaveLength(0);
  });

  it.each([
    ["bulk_adopt", [], "grade", "请选择采用等次（优、良、中）"],
    ["bulk_return", [["reason", " "]], "reason", "请填写退回理由"],
  ] as Array<[string, Array<[string, string]>, string, string]>)("says at once that nothing is ticked and what %s lacks", async (intent, rest, field, message) => {
    const res = await bulk([["intent", intent], ...rest]);
    expect(res.status).toBe(400);
    const { fieldErrors } = await bodyOf(res);
    expect(fieldErrors).toEqual({ ids: "请先勾选要处理的稿件。", [field]: message });
  });

  it("is the reviewer's only: login for anonymous, 403 for school roles and admin, nothing written", async () => {
    const id = await waiting();
    const form: Array<[string, string]> = [["intent", "bulk_adopt"], ["grade", "good"], ...(await picksOf([id]))];
    const anonymous = await call(reviewQueue.action, county, { url: "/review?index", body: new URLSearchParams(form).toString() });
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get("Location")).toMatch(/^\/login\?redirectTo=/);
    for (const user of ["correspondentA", "leadA", "admin"] as const) expect((await bulk(form, "", user)).status).toBe(403);
    expect((await itemRow(id)).status).toBe("submitted");
  });

  it("reports a school's own draft (never sent to the bureau) or a missing item as not found, without its title", async () => {
    const draft = await insertItem(county.dbs.db, { unitId: county.units.A, createdBy: county.ids.correspondentA, status: "draft", title: "校内草稿不外传" });
    const res = await bulk([["intent", "bulk_adopt"], ["grade", "good"], ["ids", `${draft}:1`], ["ids", "999999:1"]]);
    expect(res.status).toBe(409);
    const body = await bodyOf(res);
    expect(body.refused).toEqual([
      { id: draft, title: `稿件 ${draft}`, status: 404, message: "稿件不存在。" },
      { id: 999999, title: "稿件 999999", status: 404, message: "稿件不存在。" },
    ]);
    expect(JSON.stringify(body)).not.toContain("校内草稿不外传");
    expect((await itemRow(draft)).status).toBe("draft");
  });

  it("answers 409 when none of the ticked items could be decided", async () => {
    const id = await waiting({ status: "adopted" });
    const res = await bulk([["intent", "bulk_adopt"], ["grade", "good"], ["ids", `${id}:1`]]);
    expect(res.status).toBe(409);
    expect((await bodyOf(res)).refused.map((r: { status: number }) => r.status)).toEqual([409]);
  });
});

describe("next item keeps the queue's filter", () => {
  const decide = (id: number, version: number, from: string | null) =>
    call(reviewItem.action, county, {
      url: `/review/${id}${from === null ? "" : `?from=${encodeURIComponent(from)}`}`, user: "reviewer", params: { id: String(id) },
      body: { intent: "adopt", version: String(version), grade: "fair" },
    });

  it("after a decision on a November item opened from the November view, the next item is November's", async () => {
    // An older item of another month waits longer than both November items.
    const october = await waiting({ reportMonth: "2026-10", firstSubmittedAt: hoursAgo(900) });
    const nov1 = await waiting({ reportMonth: "2026-11", firstSubmittedAt: hoursAgo(30) });
    const nov2 = await waiting({ reportMonth: "2026-11", firstSubmittedAt: hoursAgo(20) });

    const queue = await bodyOf(await call(reviewQueue.loader, county, { url: "/review?month=2026-11", user: "reviewer" }));
    expect(queue.rows.map((r: { id: number }) => r.id)).toEqual([nov1, nov2]);

    let res = await decide(nov1, (await itemRow(nov1)).version, "?month=2026-11");
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe(`/review/${nov2}?from=${encodeURIComponent("?month=2026-11")}`);
    // The last one of the view: back to the view, not on to October.
    res = await decide(nov2, (await itemRow(nov2)).version, "?month=2026-11");
    expect(res.headers.get("Location")).toBe("/review?month=2026-11");
    expect((await flashOf(res))?.message).toMatch(/当前筛选下的待审核稿件已全部处理完。$/);
    // Without a view, the item waiting longest anywhere comes next.
    const nov3 = await waiting({ reportMonth: "2026-11" });
    res = await decide(nov3, (await itemRow(nov3)).version, null);
    expect(res.headers.get("Location")).toBe(`/review/${october}`);
  });

  it("the item page links back to the view, and a forged or foreign `from` is dropped", async () => {
    const id = await waiting({ reportMonth: "2026-11" });
    const page = (from: string) =>
      call(reviewItem.loader, county, { url: `/review/${id}?from=${encodeURIComponent(from)}`, user: "reviewer", params: { id: String(id) } });
    expect((await bodyOf(await page("?month=2026-11&sort=unit&dir=asc"))).back).toBe("?month=2026-11&sort=unit&dir=asc");
    expect((await bodyOf(await page("https://evil.example/?month=2026-11"))).back).toBe("");
    expect((await bodyOf(await page("?month=2026-13&unit=abc"))).back).toBe("");
    const res = await call(reviewItem.action, county, {
      url: `/review/${id}?from=${encodeURIComponent("//evil.example")}`, user: "reviewer", params: { id: String(id) },
      body: { intent: "adopt", version: String((await itemRow(id)).version), grade: "fair" },
    });
    expect(res.headers.get("Location")).toMatch(/^\/review(\/\d+)?$/);
  });
});
