// Reminders: a reviewer's one-click reminder (recorded, notified, audited; refused to others and
// on bad input, writing nothing), the list per role, and the automatic job: the day setting,
// the forecast, once a month per unit however often it runs.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readFlash } from "~/lib/flash.server";
import { reviewerDashboard } from "~/models/dashboard.server";
import { lastRemindersThisMonth, sendDueReminders } from "~/models/reminders.server";
import { rebuildAllRollups } from "~/models/rollup.server";
import * as rankings from "~/routes/rankings.$period";
import * as reminders from "~/routes/reminders";
import { bodyOf, call, expectFieldErrors, setupCounty, type County, type UserKey } from "../support/app";
import { insertItem } from "../support/item-fixtures";

let county: County;
beforeAll(async () => {
  county = await setupCounty();
  for (const user of ["admin", "reviewer", "leadA", "correspondentA", "correspondentB"] as const) await county.cookieFor(user);
});
afterAll(async () => county.dbs.dispose());

const db = () => county.dbs.db;
const count = async (table: "reminders" | "notifications" | "audit_events") =>
  Number((await db().selectFrom(table).select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n);
const snapshot = async () => [await count("reminders"), await count("notifications"), await count("audit_events")];
const send = (body: Record<string, string>, user: UserKey = "reviewer") => call(reminders.action, county, { url: "/reminders", user, body });
async function flashOf(response: Response) {
  const cookie = (response.headers.get("Set-Cookie") ?? "").split(";")[0];
  return readFlash(new Request("http://localhost/", { headers: { Cookie: cookie } }));
}
const notificationsOf = (accountId: number) =>
  db().selectFrom("notifications").selectAll().where("account_id", "=", accountId).where("kind", "=", "reminder").orderBy("id").execute();

/** An instant at a Shanghai wall-clock time. */
const shanghai = (local: string) => new Date(`${local}+08:00`);

describe("a reviewer reminds a unit with one click", () => {
  it("records the reminder, notifies the unit's lead and correspondents, audits it and goes back", async () => {
    const before = await snapshot();
    const r = await send({ unit_id: String(county.units.A), reason: "请报送运动会稿件", redirect_to: "/" });
    expect(r.status).toBe(302);
    expect(r.headers.get("Location")).toBe("/");
    expect(await flashOf(r)).toEqual({ kind: "success", message: "已向城关镇中心学校发送催报，已通知其分管领导和信息员 2 人。" });

    const row = await db().selectFrom("reminders").selectAll().orderBy("id", "desc").limit(1).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ unit_id: county.units.A, kind: "manual", reason: "请报送运动会稿件", sent_by: county.ids.reviewer });
    for (const id of [county.ids.leadA, county.ids.correspondentA]) {
      const [n] = await notificationsOf(id);
      expect(n.title).toMatch(/^催报：\d{4}年\d{1,2}月信息报送$/);
      expect(n.body).toContain("任务 10 条");
      expect(n.body).toContain("审核员留言：请报送运动会稿件");
      // It opens the unit's month, not an item list.
      expect(n.link).toBe(`/rankings/${row.month}#own-unit`);
      expect(n.item_id).toBeNull();
    }
    expect(await notificationsOf(county.ids.correspondentB)).toEqual([]);
    // The lead following it lands on the month's league with the unit's own line.
    const league = await call(rankings.loader, county, { url: `/rankings/${row.month}`, user: "leadA", params: { period: row.month } });
    expect(league.status).toBe(200);
    expect((await bodyOf(league)).ownUnit).toMatchObject({ name: "城关镇中心学校" });
    const audit = await db().selectFrom("audit_events").selectAll().orderBy("id", "desc").limit(1).executeTakeFirstOrThrow();
    expect(audit).toMatchObject({ action: "reminder_sent", actor_id: county.ids.reviewer, entity_type: "unit", entity_id: String(county.units.A), reason: "请报送运动会稿件" });
    expect(await snapshot()).toEqual([before[0] + 1, before[1] + 2, before[2] + 1]);
  });

  it("does not send the same unit a second manual reminder straight after (a double click)", async () => {
    const before = await snapshot();
    const r = await send({ unit_id: String(county.units.A) });
    expect(r.status).toBe(302);
    expect(r.headers.get("Location")).toBe("/reminders");
    expect((await flashOf(r))?.message).toBe("城关镇中心学校 10 分钟内已催报过，未重复发送。");
    expect(await snapshot()).toEqual(before);
  });

  it("returns only to pages of this site", async () => {
    const r = await send({ unit_id: String(county.units.B), redirect_to: "//evil.example/" });
    expect(r.status).toBe(302);
    expect(r.headers.get("Location")).toBe("/reminders");
    // Unit B has no lead: its correspondent alone is told.
    expect((await flashOf(r))?.message).toBe("已向县实验小学发送催报，已通知其分管领导和信息员 1 人。");
    expect(await notificationsOf(county.ids.correspondentB)).toHaveLength(1);
  });

  it("refuses leads, correspondents, admins and anonymous visitors, writing nothing", async () => {
    const before = await snapshot();
    for (const user of ["leadA", "correspondentA", "admin"] as const) {
      expect((await send({ unit_id: String(county.units.A) }, user)).status).toBe(403);
    }
    const anonymous = await call(reminders.action, county, { url: "/reminders", body: { unit_id: String(county.units.A) } });
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get("Location")).toMatch(/^\/login/);
    expect(await snapshot()).toEqual(before);
  });

  it("answers bad input with 400 and a missing unit with 404, writing nothing", async () => {
    const before = await snapshot();
    const missing = await send({ reason: "请报送" });
    await expectFieldErrors(missing, { unit_id: "请选择单位" });
    expect((await send({ unit_id: "abc" })).status).toBe(400);
    const long = await send({ unit_id: String(county.units.A), reason: "催".repeat(201) });
    expect(long.status).toBe(400);
    expect((await bodyOf(long)).fieldErrors.reason).toBe("催报说明不能超过 200 个字");
    expect((await send({ unit_id: "999999" })).status).toBe(404);
    expect(await snapshot()).toEqual(before);
  });
});

describe("GET /reminders", () => {
  const list = async (user: UserKey, query = "") => {
    const r = await call(reminders.loader, county, { url: `/reminders${query}`, user });
    return { status: r.status, body: r.status === 200 ? await bodyOf(r) : null };
  };
  const units = (body: any) => body.list.rows.map((row: any) => row.unit_code);

  it("shows reviewers every unit's reminders, newest first, with who sent them", async () => {
    const { status, body } = await list("reviewer");
    expect(status).toBe(200);
    expect(units(body)).toEqual(["B01", "A01"]);
    expect(body.list.rows[1]).toMatchObject({ kind: "manual", reason: "请报送运动会稿件", sender_name: "赵审核" });
    expect(body.canSend).toBe(true);
    expect(body.units.map((u: any) => u.code)).toEqual(["A01", "B01"]);
  });

  it("shows a school's people only their unit's, and admins nothing", async () => {
    expect(units((await list("leadA")).body)).toEqual(["A01"]);
    expect(units((await list("correspondentA")).body)).toEqual(["A01"]);
    expect(units((await list("correspondentB")).body)).toEqual(["B01"]);
    expect((await list("leadA")).body.canSend).toBe(false);
    expect((await list("admin")).status).toBe(403);
  });

  it("tells the dashboards each unit's latest reminder this month", async () => {
    const last = await lastRemindersThisMonth(county.dbs.reader);
    expect(Object.keys(last).map(Number).sort()).toEqual([county.units.A, county.units.B].sort());
    expect(last[county.units.A]).toEqual({ kind: "manual", at: expect.any(String) });
    expect(await lastRemindersThisMonth(county.dbs.reader, new Date(), county.units.B)).toEqual({ [county.units.B]: { kind: "manual", at: expect.any(String) } });
    expect(await lastRemindersThisMonth(county.dbs.reader, new Date("2000-01-15T00:00:00Z"))).toEqual({});
  });

  it("filters by kind and month from the URL", async () => {
    expect(units((await list("reviewer", "?kind=auto")).body)).toEqual([]);
    expect(units((await list("reviewer", "?kind=manual")).body)).toEqual(["B01", "A01"]);
    expect(units((await list("reviewer", "?month=2000-01")).body)).toEqual([]);
  });
});

describe("sendDueReminders", () => {
  // Unit A (quota 10) has one adopted item in March 2027: heading short. Unit B (quota 5) has sent nothing.
  beforeAll(async () => {
    await insertItem(db(), {
      unitId: county.units.A, createdBy: county.ids.correspondentA, status: "adopted", reportMonth: "2027-03",
      firstSubmittedAt: "2027-03-02T02:00:00.000Z",
    });
    await rebuildAllRollups(db());
  });
  const autoRows = (month: string) => db().selectFrom("reminders").selectAll().where("month", "=", month).where("kind", "=", "auto").orderBy("unit_id").execute();

  it("sends nothing before the day set (default the 20th)", async () => {
    const before = await snapshot();
    const run = await sendDueReminders(db(), shanghai("2027-03-19T23:59:00"));
    expect(run).toEqual({ month: "2027-03", open: false, sent: [] });
    expect(await snapshot()).toEqual(before);
  });

  it("sends nothing while the bureau has switched automatic reminders off in its settings", async () => {
    const before = await snapshot();
    await db().insertInto("settings").values({ key: "autoReminders", value_json: "false", effective_month: "2027-03", updated_at: new Date().toISOString() }).execute();
    try {
      expect(await sendDueReminders(db(), shanghai("2027-03-20T00:05:00"))).toEqual({ month: "2027-03", open: false, sent: [] });
      expect(await autoRows("2027-03")).toEqual([]);
    } finally {
      await db().deleteFrom("settings").where("key", "=", "autoReminders").where("effective_month", "=", "2027-03").execute();
    }
    expect(await snapshot()).toEqual(before);
  });

  it("from the day on, reminds units heading short and units with nothing submitted, once", async () => {
    const before = await snapshot();
    const now = shanghai("2027-03-20T00:05:00");
    const run = await sendDueReminders(db(), now);
    expect(run.open).toBe(true);
    expect(run.sent.map((s) => [s.unitId, s.reason, s.recipients])).toEqual([
      [county.units.A, "short", 2],
      [county.units.B, "none", 1],
    ]);
    const rows = await autoRows("2027-03");
    expect(rows.map((r) => [r.unit_id, r.kind, r.sent_by])).toEqual([
      [county.units.A, "auto", null],
      [county.units.B, "auto", null],
    ]);
    expect(rows[0].reason).toMatch(/^预计差 \d+ 条（已采用 1 条，任务 10 条）$/);
    expect(rows[1].reason).toBe("本月尚无稿件报送到教体局（任务 5 条）");
    const lead = (await notificationsOf(county.ids.leadA)).at(-1)!;
    expect(lead.title).toBe("催报：2027年3月信息报送");
    expect(lead.body).toMatch(/^本月已采用 1 条，任务 10 条，预计差 \d+ 条，请抓紧报送。$/);
    expect((await notificationsOf(county.ids.correspondentB)).at(-1)!.body).toBe(
      "本月尚无稿件报送到教体局，任务 5 条，请抓紧报送；已写好的稿件请分管领导尽快签发。",
    );
    // Two reminders, three people told, no audit rows (the job is not a person's act).
    expect(await snapshot()).toEqual([before[0] + 2, before[1] + 3, before[2]]);

    // The units reminded for falling short are the reviewer's "units at risk" that have sent something.
    const dash = await reviewerDashboard(county.dbs.reader, now);
    expect(dash.atRisk.map((u) => u.unitId).sort()).toEqual([county.units.A, county.units.B].sort());
  });

  it("is idempotent: the same day, the next hour or the next day it sends nothing new", async () => {
    const before = await snapshot();
    for (const at of ["2027-03-20T00:05:00", "2027-03-20T01:05:00", "2027-03-21T09:00:00", "2027-03-31T23:00:00"]) {
      expect((await sendDueReminders(db(), shanghai(at))).sent).toEqual([]);
    }
    const concurrent = await Promise.all([1, 2, 3].map(() => sendDueReminders(db(), shanghai("2027-03-22T10:00:00"))));
    expect(concurrent.flatMap((r) => r.sent)).toEqual([]);
    expect(await snapshot()).toEqual(before);
  });

  it("runs concurrently without sending twice", async () => {
    const runs = await Promise.all([1, 2, 3].map(() => sendDueReminders(db(), shanghai("2027-06-20T10:00:00"))));
    expect(runs.flatMap((r) => r.sent).map((s) => s.unitId).sort()).toEqual([county.units.A, county.units.B].sort());
    expect((await autoRows("2027-06")).map((r) => r.unit_id)).toEqual([county.units.A, county.units.B]);
  });

  it("respects the reminder day setting in force that month", async () => {
    await db()
      .insertInto("settings")
      .values({ key: "reminderFromDay", value_json: "25", effective_month: "2027-04", updated_by: county.ids.admin, updated_at: new Date().toISOString() })
      .execute();
    for (const day of ["20", "24"]) {
      expect(await sendDueReminders(db(), shanghai(`2027-04-${day}T12:00:00`))).toEqual({ month: "2027-04", open: false, sent: [] });
    }
    expect(await autoRows("2027-04")).toEqual([]);
    const run = await sendDueReminders(db(), shanghai("2027-04-25T00:00:00"));
    expect(run.sent.map((s) => s.unitId)).toEqual([county.units.A, county.units.B]);
  });

  it("leaves out a unit whose quota is 0", async () => {
    await db()
      .insertInto("unit_quota_overrides")
      .values({ unit_id: county.units.B, effective_month: "2027-05", quota: 0, reason: "停办整顿", created_by: county.ids.admin, created_at: new Date().toISOString() })
      .execute();
    const run = await sendDueReminders(db(), shanghai("2027-05-28T08:00:00"));
    expect(run.sent.map((s) => [s.unitId, s.reason])).toEqual([[county.units.A, "none"]]);
  });
});
