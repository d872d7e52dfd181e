import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readFlash } from "~/lib/flash.server";
import { waitingCount } from "~/models/review.server";
import * as root from "~/root";
import * as notifications from "~/routes/notifications";
import { bodyOf, call, setupCounty, type County } from "../support/app";

let county: County;
const ids: Record<string, number> = {};

async function insertNotification(key: string, accountId: number, title: string, at: string, extra: { link?: string; read?: boolean } = {}) {
  const { id } = await county.dbs.db
    .insertInto("notifications")
    .values({
      account_id: accountId, kind: "item_returned", title, body: `${title}的说明`, link: extra.link ?? "/items/1", item_id: null,
      created_at: at, read_at: extra.read ? at : null,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  ids[key] = id;
}

beforeAll(async () => {
  county = await setupCounty();
  for (const user of ["admin", "reviewer", "leadA", "correspondentA", "correspondentB"] as const) await county.cookieFor(user);
  const a = county.ids.correspondentA;
  await insertNotification("old", a, "稿件已采用：春季运动会", "2026-03-01T02:00:00.000Z", { read: true, link: "/items/11" });
  await insertNotification("mid", a, "稿件被退回修改：家长开放日", "2026-03-05T02:00:00.000Z", { link: "/items/12" });
  await insertNotification("new", a, "稿件未被采用：读书月", "2026-03-09T02:00:00.000Z", { link: "//evil.example/steal" });
  await insertNotification("other", county.ids.correspondentB, "稿件已采用：县实验小学科技节", "2026-03-08T02:00:00.000Z", { link: "/items/20" });
});
afterAll(async () => county.dbs.dispose());

const readAt = async (key: string) =>
  (await county.dbs.db.selectFrom("notifications").select("read_at").where("id", "=", ids[key]).executeTakeFirstOrThrow()).read_at;

async function flashOf(response: Response) {
  const cookie = (response.headers.get("Set-Cookie") ?? "").split(";")[0];
  return (await readFlash(new Request("http://localhost/", { headers: { Cookie: cookie } })))?.message;
}

describe("GET /notifications", () => {
  it("sends anonymous visitors to login and opens for every signed-in role", async () => {
    const anonymous = await call(notifications.loader, county, { url: "/notifications" });
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get("Location")).toBe("/login?redirectTo=%2Fnotifications");
    for (const user of ["admin", "reviewer", "leadA", "correspondentA", "correspondentB"] as const) {
      expect((await call(notifications.loader, county, { url: "/notifications", user })).status).toBe(200);
    }
  });

  it("lists the person's own notifications only, newest first, with unread marked and a safe link", async () => {
    const body = await bodyOf(await call(notifications.loader, county, { url: "/notifications", user: "correspondentA" }));
    expect(body.list.rows.map((n: { id: number }) => n.id)).toEqual([ids.new, ids.mid, ids.old]);
    expect(body.list.unread).toBe(2);
    expect(body.list.total).toBe(3);
    expect(body.list.rows[1]).toMatchObject({ title: "稿件被退回修改：家长开放日", body: "稿件被退回修改：家长开放日的说明", read_at: null, target: "/items/12" });
    expect(body.list.rows[2].read_at).not.toBeNull();
    // A link that leaves the site is never offered.
    expect(body.list.rows[0].target).toBeNull();
    const other = await bodyOf(await call(notifications.loader, county, { url: "/notifications", user: "correspondentB" }));
    expect(other.list.rows.map((n: { id: number }) => n.id)).toEqual([ids.other]);
    const none = await bodyOf(await call(notifications.loader, county, { url: "/notifications", user: "admin" }));
    expect(none.list).toMatchObject({ rows: [], total: 0, unread: 0 });
  });
});

describe("POST /notifications", () => {
  it("refuses another account's notification with 404 and leaves it unread", async () => {
    const res = await call(notifications.action, county, {
      url: "/notifications", user: "correspondentA", body: { intent: "read", id: String(ids.other) },
    });
    expect(res.status).toBe(404);
    expect(await readAt("other")).toBeNull();
    for (const id of ["999999", "abc", ""]) {
      const bad = await call(notifications.action, county, { url: "/notifications", user: "correspondentA", body: { intent: "read", id } });
      expect(bad.status, id).toBe(404);
    }
    const anonymous = await call(notifications.action, county, { url: "/notifications", body: { intent: "read", id: String(ids.other) } });
    expect(anonymous.status).toBe(302);
    expect(await readAt("other")).toBeNull();
  });

  it("marks one read and goes back to the page of the list it came from", async () => {
    const res = await call(notifications.action, county, {
      url: "/notifications?page=2", user: "correspondentA", body: { intent: "read", id: String(ids.mid) },
    });
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe("/notifications?page=2");
    expect(await readAt("mid")).not.toBeNull();
    expect(await readAt("new")).toBeNull();
  });

  it("with go=1, marks it read and follows its link; an off-site link is not followed", async () => {
    await county.dbs.db.updateTable("notifications").set({ read_at: null }).where("id", "=", ids.mid).execute();
    const go = await call(notifications.action, county, {
      url: "/notifications", user: "correspondentA", body: { intent: "read", id: String(ids.mid), go: "1" },
    });
    expect(go.headers.get("Location")).toBe("/items/12");
    expect(await readAt("mid")).not.toBeNull();
    const offsite = await call(notifications.action, county, {
      url: "/notifications", user: "correspondentA", body: { intent: "read", id: String(ids.new), go: "1" },
    });
    expect(offsite.headers.get("Location")).toBe("/notifications");
    expect(await readAt("new")).not.toBeNull();
  });

  it("keeps the first read time when a notification is marked read twice", async () => {
    const first = await readAt("old");
    await call(notifications.action, county, { url: "/notifications", user: "correspondentA", body: { intent: "read", id: String(ids.old) } });
    expect(await readAt("old")).toBe(first);
  });

  it("marks all of the person's own notifications read, and no one else's", async () => {
    await county.dbs.db.updateTable("notifications").set({ read_at: null }).where("account_id", "=", county.ids.correspondentA).execute();
    const res = await call(notifications.action, county, { url: "/notifications", user: "correspondentA", body: { intent: "read_all" } });
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe("/notifications");
    expect(await flashOf(res)).toBe("已将 3 条通知标为已读");
    for (const key of ["old", "mid", "new"]) expect(await readAt(key), key).not.toBeNull();
    expect(await readAt("other")).toBeNull();
    const again = await call(notifications.action, county, { url: "/notifications", user: "correspondentA", body: { intent: "read_all" } });
    expect(await flashOf(again)).toBe("没有未读通知");
  });

  it("answers an unknown intent with 400", async () => {
    const res = await call(notifications.action, county, { url: "/notifications", user: "correspondentB", body: { intent: "delete", id: String(ids.other) } });
    expect(res.status).toBe(400);
    expect(await readAt("other")).toBeNull();
  });
});

describe("header counts in the root loader", () => {
  it("gives a signed-in person their unread count, and only a reviewer the queue size", async () => {
    const now = new Date().toISOString();
    const category = await county.dbs.db.selectFrom("categories").select("id").executeTakeFirstOrThrow();
    for (const status of ["submitted", "submitted", "adopted", "draft"] as const) {
      await county.dbs.db
        .insertInto("items")
        .values({
          unit_id: county.units.A, title: `队列${status}`, body: "正文", category_id: category.id, event_date: "2026-03-01", status,
          report_month: status === "draft" ? null : "2026-03", grade: status === "adopted" ? "good" : null,
          created_by: county.ids.correspondentA, created_at: now, updated_at: now,
        })
        .execute();
    }
    expect(await waitingCount(county.dbs.reader)).toBe(2);

    const reviewer = await bodyOf(await call(root.loader, county, { url: "/", user: "reviewer" }));
    expect(reviewer.counts).toEqual({ unread: 0, reviewQueue: 2 });
    const b = await bodyOf(await call(root.loader, county, { url: "/", user: "correspondentB" }));
    expect(b.counts).toEqual({ unread: 1, reviewQueue: null });
    const admin = await bodyOf(await call(root.loader, county, { url: "/", user: "admin" }));
    expect(admin.counts).toEqual({ unread: 0, reviewQueue: null });
    const anonymous = await bodyOf(await call(root.loader, county, { url: "/" }));
    expect(anonymous.counts).toEqual({ unread: 0, reviewQueue: null });
  });
});
