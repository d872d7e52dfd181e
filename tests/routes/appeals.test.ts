// Corrections with a reason and 申诉 appeals against the demo county (2026-11-21, a Saturday:
// every month to 2026-09 closed and notified, 2026-10 open with items waiting). A correction in an
// open month moves the live league at once; in a closed month it leaves the frozen snapshot and the
// published notice as they were and shows as a change when the month is reopened and closed again.
// An open appeal holds 签发 of its month's notice until it is answered or a reason is recorded.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readFlash } from "~/lib/flash.server";
import type { SessionUser } from "~/models/auth.server";
import { transitionItem } from "~/models/item-workflow.server";
import { closeMonth, reopenMonth } from "~/models/month-close.server";
import { leagueFor, liveLeague } from "~/models/months.server";
import { draftMonthlyNotice, updateNoticeText } from "~/models/notices.server";
import * as appealsPage from "~/routes/appeals";
import * as home from "~/routes/_index";
import * as itemPage from "~/routes/items.$id";
import * as monthPage from "~/routes/months.$month";
import * as noticePage from "~/routes/notices.$id";
import * as reviewPage from "~/routes/review.$id";
import { bodyOf, call, type County, type UserKey } from "../support/app";
import { closeDemoCounty, DEMO_NOW, openDemoCountyAt } from "../support/demo";

let county: County;
let reviewer: SessionUser;
const db = () => county.dbs.db;

beforeAll(async () => {
  ({ county, reviewer } = await openDemoCountyAt(["admin", "reviewer", "leadA", "correspondentA", "correspondentB"]));
}, 120_000);
afterAll(() => closeDemoCounty(county));

const review = (id: number, body: Record<string, string>, user: UserKey = "reviewer") =>
  call(reviewPage.action, county, { url: `/review/${id}`, user, body, params: { id: String(id) } });
const item = (id: number, body: Record<string, string>, user: UserKey = "leadA") =>
  call(itemPage.action, county, { url: `/items/${id}`, user, body, params: { id: String(id) } });
const itemView = async (id: number, user: UserKey = "leadA") =>
  bodyOf(await call(itemPage.loader, county, { url: `/items/${id}`, user, params: { id: String(id) } }));
const rowOf = (id: number) => db().selectFrom("items").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
const pointsOf = async (month: string, unitId: number) => (await liveLeague(db(), month, false)).find((r) => r.unitId === unitId)!.points;
const counts = async () => ({
  corrections: (await db().selectFrom("corrections").selectAll().execute()).length,
  appeals: (await db().selectFrom("appeals").selectAll().execute()).length,
  audits: (await db().selectFrom("audit_events").selectAll().execute()).length,
  events: (await db().selectFrom("review_events").selectAll().execute()).length,
});
async function flashOf(response: Response) {
  const cookie = (response.headers.get("Set-Cookie") ?? "").split(";")[0];
  return (await readFlash(new Request("http://localhost/", { headers: { Cookie: cookie } })))?.message;
}
const GRADE_POINTS = { excellent: 3, good: 2, fair: 1 } as const;

/** An adopted item of unit A in the month, not graded 优, preferring one with a pickup. */
async function adoptedOfA(month: string, opts: { withPickup?: boolean } = {}) {
  let q = db()
    .selectFrom("items")
    .select(["id", "version", "grade", "title"])
    .where("unit_id", "=", county.units.A)
    .where("report_month", "=", month)
    .where("status", "=", "adopted")
    .where("grade", "!=", "excellent");
  if (opts.withPickup) q = q.where("id", "in", db().selectFrom("pickups").select("item_id"));
  return q.orderBy("id").executeTakeFirstOrThrow();
}

describe("corrections in an open month", () => {
  it("refuses a correction without a reason (400) or from someone else's form version (409), writing nothing", async () => {
    const it0 = await adoptedOfA("2026-10");
    const before = await counts();
    const noReason = await review(it0.id, { intent: "regrade", version: String(it0.version), grade: "excellent", reason: "  " });
    expect(noReason.status).toBe(400);
    expect((await bodyOf(noReason)).fieldErrors.reason).toBe("请填写更正理由");
    const stale = await review(it0.id, { intent: "regrade", version: String(it0.version - 1), grade: "excellent", reason: "复核" });
    expect(stale.status).toBe(409);
    const same = await review(it0.id, { intent: "regrade", version: String(it0.version), grade: it0.grade!, reason: "复核" });
    expect(same.status).toBe(400);
    for (const user of ["leadA", "correspondentA", "admin"] as const) {
      expect((await review(it0.id, { intent: "regrade", version: String(it0.version), grade: "excellent", reason: "复核" }, user)).status).toBe(403);
    }
    expect(await counts()).toEqual(before);
    expect((await rowOf(it0.id)).grade).toBe(it0.grade);
  });

  it("changes the grade: the league moves, the trail, the audit (with the unit) and the school's notification say why", async () => {
    const it0 = await adoptedOfA("2026-10");
    const pointsBefore = await pointsOf("2026-10", county.units.A);
    const res = await review(it0.id, { intent: "regrade", version: String(it0.version), grade: "excellent", reason: "复核后认为稿件质量优秀" });
    expect(res.status).toBe(302);
    expect(await flashOf(res)).toMatch(/^已更正等次为“优”/);
    const row = await rowOf(it0.id);
    expect(row).toMatchObject({ grade: "excellent", status: "adopted", version: it0.version + 1 });
    const gain = GRADE_POINTS.excellent - GRADE_POINTS[it0.grade as "good" | "fair"];
    expect(await pointsOf("2026-10", county.units.A)).toBeCloseTo(pointsBefore + gain, 5);
    // The month is open: the league page reads the same live numbers.
    expect((await leagueFor(db(), "2026-10")).rows.find((r) => r.unitId === county.units.A)!.points).toBeCloseTo(pointsBefore + gain, 5);

    const trail = await db().selectFrom("review_events").selectAll().where("item_id", "=", it0.id).orderBy("id", "desc").executeTakeFirstOrThrow();
    expect(trail).toMatchObject({ action: "regrade", grade: "excellent", actor_id: reviewer.id });
    expect(trail.reason).toContain("复核后认为稿件质量优秀");
    const audit = await db().selectFrom("audit_events").selectAll().where("action", "=", "grade_corrected").orderBy("id", "desc").executeTakeFirstOrThrow();
    expect(audit).toMatchObject({ entity_type: "item", entity_id: String(it0.id), reason: "复核后认为稿件质量优秀", actor_id: reviewer.id });
    expect(JSON.parse(audit.detail_json)).toMatchObject({ unit_id: county.units.A, month: "2026-10", month_closed: false, grade: "excellent" });
    const notes = await db().selectFrom("notifications").selectAll().where("kind", "=", "item_corrected").where("item_id", "=", it0.id).execute();
    expect(notes.map((n) => n.account_id)).toContain(county.ids.leadA);
    expect(notes[0].body).toContain("复核后认为稿件质量优秀");

    // The school reads the correction and its reason on the item page.
    const view = await itemView(it0.id, "leadA");
    expect(view.corrections[0]).toMatchObject({ kind: "grade", reason: "复核后认为稿件质量优秀", month_closed: 0 });
    // The item was adopted and stays so: the correction reads 等次良 → 等次优, not "→ 采用，等次优".
    expect(view.corrections[0].after_text).toBe("等次优");
    expect(notes[0].body).toMatch(/^等次[良中] → 等次优。/);
  });

  it("removes a pickup with a reason; the pickup's points leave the league", async () => {
    const it0 = await adoptedOfA("2026-10", { withPickup: true }).catch(() => null);
    if (!it0) {
      // The demo month may carry no pickup of unit A: record one to remove.
      const any = await adoptedOfA("2026-10");
      await review(any.id, { intent: "pickup", outlet: "某某日报", tier: "city", picked_on: "2026-10-20", url: "" });
    }
    const target = it0 ?? (await adoptedOfA("2026-10", { withPickup: true }));
    const pickup = await db().selectFrom("pickups").selectAll().where("item_id", "=", target.id).orderBy("id").executeTakeFirstOrThrow();
    const pointsBefore = await pointsOf("2026-10", county.units.A);
    const otherTiers = await db().selectFrom("pickups").select("tier").where("item_id", "=", target.id).where("id", "!=", pickup.id).execute();
    const res = await review(target.id, { intent: "remove_pickup", record_id: String(pickup.id), reason: "该媒体未实际刊发" });
    expect(res.status).toBe(302);
    expect(await db().selectFrom("pickups").selectAll().where("id", "=", pickup.id).executeTakeFirst()).toBeUndefined();
    const tierPoints = { county: 1, city: 2, province: 5, national: 10 } as const;
    const lost = otherTiers.some((t) => t.tier === pickup.tier) ? 0 : tierPoints[pickup.tier];
    expect(await pointsOf("2026-10", county.units.A)).toBeCloseTo(pointsBefore - lost, 5);
    const again = await review(target.id, { intent: "remove_pickup", record_id: String(pickup.id), reason: "再删一次" });
    expect(again.status).toBe(409);
    const audit = await db().selectFrom("audit_events").selectAll().where("action", "=", "pickup_removed").orderBy("id", "desc").executeTakeFirstOrThrow();
    expect(JSON.parse(audit.detail_json)).toMatchObject({ unit_id: county.units.A, pickup_id: pickup.id });
  });
});

describe("clearing a 迟报 mark", () => {
  it("takes the item out of the month's late count and its −0.5 off, with a reason; a second time is 409", async () => {
    const late = await db().selectFrom("items").select(["id", "version", "unit_id"]).where("report_month", "=", "2026-10")
      .where("status", "=", "adopted").where("late", "=", 1).orderBy("id").executeTakeFirstOrThrow();
    const rowBefore = (await liveLeague(db(), "2026-10", false)).find((r) => r.unitId === late.unit_id)!;
    expect((await review(late.id, { intent: "clear_late", version: String(late.version), reason: "" })).status).toBe(400);
    const res = await review(late.id, { intent: "clear_late", version: String(late.version), reason: "事件日期填错，实为报送前两天" });
    expect(res.status).toBe(302);
    const rowAfter = (await liveLeague(db(), "2026-10", false)).find((r) => r.unitId === late.unit_id)!;
    expect(rowAfter.late).toBe(rowBefore.late - 1);
    expect(rowAfter.points).toBeCloseTo(rowBefore.points + 0.5, 5);
    expect((await rowOf(late.id)).late).toBe(0);
    expect((await review(late.id, { intent: "clear_late", version: String(late.version + 1), reason: "再来" })).status).toBe(409);
    const audit = await db().selectFrom("audit_events").selectAll().where("action", "=", "late_cleared").executeTakeFirstOrThrow();
    expect(JSON.parse(audit.detail_json)).toMatchObject({ unit_id: late.unit_id, month: "2026-10" });
  });
});

describe("corrections in a closed month", () => {
  it("reach the live numbers only; the snapshot and the published notice stay; the change shows after reopening", async () => {
    const month = "2026-09";
    const it0 = await adoptedOfA(month);
    const snapshotOf = async () => {
      const close = (await db().selectFrom("month_closes").selectAll().where("month", "=", month).where("reopened_at", "is", null).executeTakeFirstOrThrow());
      return db().selectFrom("month_unit_snapshots").selectAll().where("close_id", "=", close.id).orderBy("unit_id").execute();
    };
    const notice = () => db().selectFrom("notices").selectAll().where("kind", "=", "monthly").where("period", "=", month).executeTakeFirstOrThrow();
    const [snapBefore, noticeBefore, livePoints, frozenPoints] = await Promise.all([
      snapshotOf(), notice(), pointsOf(month, county.units.A),
      leagueFor(db(), month).then((l) => l.rows.find((r) => r.unitId === county.units.A)!.points),
    ]);
    expect(noticeBefore.status).toBe("published");

    const res = await review(it0.id, { intent: "regrade", version: String(it0.version), grade: "excellent", reason: "月度结算后复核" });
    expect(res.status).toBe(302);
    expect(await flashOf(res)).toContain("该月已结算");
    const gain = GRADE_POINTS.excellent - GRADE_POINTS[it0.grade as "good" | "fair"];
    expect(await pointsOf(month, county.units.A)).toBeCloseTo(livePoints + gain, 5);
    expect(await snapshotOf()).toEqual(snapBefore);
    expect((await leagueFor(db(), month)).rows.find((r) => r.unitId === county.units.A)!.points).toBe(frozenPoints);
    expect(await notice()).toEqual(noticeBefore);
    expect((await db().selectFrom("corrections").selectAll().orderBy("id", "desc").executeTakeFirstOrThrow()).month_closed).toBe(1);

    expect((await reopenMonth(db(), { month, actor: reviewer, reason: "复核更正后重新结算" })).ok).toBe(true);
    // Reopened: the month's page lists the change against the close, live.
    const page = await bodyOf(await call(monthPage.loader, county, { url: `/months/${month}`, user: "reviewer", params: { month } }));
    expect(page.state).toBe("open");
    expect(page.sinceClose.changes.filter((c: { unitId: number }) => c.unitId === county.units.A)).toContainEqual(
      expect.objectContaining({ field: "积分", before: String(frozenPoints), after: String(livePoints + gain) }),
    );
    const closed = await closeMonth(db(), { month, actor: reviewer });
    expect(closed.ok).toBe(true);
    if (!closed.ok) return;
    const unitA = closed.changes.filter((c) => c.unitId === county.units.A);
    expect(unitA.find((c) => c.field === "积分")).toMatchObject({ before: String(frozenPoints), after: String(livePoints + gain) });
    expect(await notice()).toEqual(noticeBefore);
  });
});

describe("appeals", () => {
  const MONTH = "2026-10";
  let noticeId = 0;
  const publish = (body: Record<string, string>) =>
    call(noticePage.action, county, { url: `/notices/${noticeId}`, user: "reviewer", body: { intent: "publish", signer_name: "王局长", ...body }, params: { id: String(noticeId) } });

  it("closes the month and drafts its notice", async () => {
    const waiting = await db().selectFrom("items").select(["id", "version"]).where("report_month", "=", MONTH).where("status", "=", "submitted").execute();
    for (const w of waiting) {
      expect((await transitionItem(db(), { itemId: w.id, action: "adopt", grade: "good", actor: reviewer, expectedVersion: w.version })).ok).toBe(true);
    }
    expect((await closeMonth(db(), { month: MONTH, actor: reviewer, now: DEMO_NOW })).ok).toBe(true);
    const drafted = await draftMonthlyNotice(db(), { month: MONTH, actor: reviewer });
    expect(drafted.ok).toBe(true);
    if (!drafted.ok) return;
    noticeId = drafted.id;
    const saved = await updateNoticeText(db(), {
      id: noticeId, actor: reviewer, fields: { addressee: "各学校", docNumber: "X教体办〔2026〕99号", opening: "开头", closing: "" },
    });
    expect(saved.ok).toBe(true);
  });

  it("only the unit's lead appeals, about a decision the item has, with a reason", async () => {
    const it0 = await adoptedOfA(MONTH);
    const before = await counts();
    expect((await item(it0.id, { intent: "appeal", subject: "grade", reason: "" })).status).toBe(400);
    expect((await item(it0.id, { intent: "appeal", subject: "rejected", reason: "理由" })).status).toBe(409);
    expect((await item(it0.id, { intent: "appeal", subject: "grade", reason: "理由" }, "correspondentA")).status).toBe(403);
    const other = await db().selectFrom("items").select("id").where("unit_id", "=", county.units.B).where("status", "=", "adopted").where("report_month", "=", MONTH).executeTakeFirstOrThrow();
    expect([403, 404]).toContain((await item(other.id, { intent: "appeal", subject: "grade", reason: "理由" })).status);
    expect(await counts()).toEqual(before);
  });

  it("an open appeal holds 签发; its answer releases it", async () => {
    const it0 = await adoptedOfA(MONTH);
    const view = await itemView(it0.id);
    expect(view.appealChoice).toMatchObject({ subjects: expect.arrayContaining(["grade"]), window: { open: true, deadline: "2026-11-25" }, hasOpen: false });
    const filed = await item(it0.id, { intent: "appeal", subject: "grade", reason: "该稿被市级媒体转载，质量应评为优" });
    expect(filed.status).toBe(302);
    const appeal = await db().selectFrom("appeals").selectAll().where("item_id", "=", it0.id).executeTakeFirstOrThrow();
    expect(appeal).toMatchObject({ status: "open", unit_id: county.units.A, month: MONTH, filed_by: county.ids.leadA });
    expect((await db().selectFrom("notifications").selectAll().where("kind", "=", "appeal_filed").where("account_id", "=", reviewer.id).execute()).length).toBe(1);
    const audit = await db().selectFrom("audit_events").selectAll().where("action", "=", "appeal_filed").executeTakeFirstOrThrow();
    expect(JSON.parse(audit.detail_json)).toMatchObject({ unit_id: county.units.A, appeal_id: appeal.id });
    // A second appeal on the same item waits for the first.
    expect((await item(it0.id, { intent: "appeal", subject: "grade", reason: "再次申诉" })).status).toBe(409);

    // The reviewer sees it on the dashboard, on /appeals and on the notice draft.
    const dash = await bodyOf(await call(home.loader, county, { url: "/", user: "reviewer" }));
    expect(dash.openAppeals.map((a: { id: number }) => a.id)).toEqual([appeal.id]);
    const draft = await bodyOf(await call(noticePage.loader, county, { url: `/notices/${noticeId}`, user: "reviewer", params: { id: String(noticeId) } }));
    expect(draft.notice.openAppeals.map((a: { id: number }) => a.id)).toEqual([appeal.id]);

    const held = await publish({});
    expect(held.status).toBe(409);
    expect((await bodyOf(held)).fieldErrors.appeals_override).toMatch(/^该月还有 1 件申诉等待答复/);
    expect((await db().selectFrom("notices").selectAll().where("id", "=", noticeId).executeTakeFirstOrThrow()).status).toBe("draft");

    const noAnswer = await review(it0.id, { intent: "answer_appeal", appeal_id: String(appeal.id), outcome: "upheld", answer: "" });
    expect(noAnswer.status).toBe(400);
    const answered = await review(it0.id, { intent: "answer_appeal", appeal_id: String(appeal.id), outcome: "upheld", answer: "转载已另计上稿分，等次维持" });
    expect(answered.status).toBe(302);
    expect(await db().selectFrom("appeals").selectAll().where("id", "=", appeal.id).executeTakeFirstOrThrow()).toMatchObject({
      status: "upheld", answer: "转载已另计上稿分，等次维持", answered_by: reviewer.id,
    });
    const told = await db().selectFrom("notifications").selectAll().where("kind", "=", "appeal_answered").where("account_id", "=", county.ids.leadA).execute();
    expect(told).toHaveLength(1);
    expect((await review(it0.id, { intent: "answer_appeal", appeal_id: String(appeal.id), outcome: "upheld", answer: "再答" })).status).toBe(409);

    // /appeals: the reviewer sees every unit's, school B's correspondent not unit A's.
    const mine = await bodyOf(await call(appealsPage.loader, county, { url: "/appeals", user: "leadA" }));
    expect(mine.rows.map((r: { id: number }) => r.id)).toEqual([appeal.id]);
    const theirs = await bodyOf(await call(appealsPage.loader, county, { url: "/appeals", user: "correspondentB" }));
    expect(theirs.rows).toEqual([]);
    expect((await call(appealsPage.loader, county, { url: "/appeals", user: "admin" })).status).toBe(403);
  });

  it("a correction answers the appeal; 签发 with appeals open needs the reason it cannot wait, then ends the window", async () => {
    const it0 = await adoptedOfA(MONTH);
    expect((await item(it0.id, { intent: "appeal", subject: "grade", reason: "请复核等次" })).status).toBe(302);
    const appeal = await db().selectFrom("appeals").selectAll().where("item_id", "=", it0.id).where("status", "=", "open").executeTakeFirstOrThrow();
    const fresh = await rowOf(it0.id);
    const corrected = await review(it0.id, { intent: "regrade", version: String(fresh.version), grade: "excellent", reason: "申诉成立，改为优", appeal_id: String(appeal.id) });
    expect(corrected.status).toBe(302);
    expect((await db().selectFrom("appeals").selectAll().where("id", "=", appeal.id).executeTakeFirstOrThrow()).status).toBe("corrected");
    const view = await itemView(it0.id);
    expect(view.appeals[0]).toMatchObject({ status: "corrected", answer: "申诉成立，改为优" });
    expect(view.corrections[0]).toMatchObject({ appeal_id: appeal.id, month_closed: 1 });

    // Another appeal is filed; 签发 cannot wait for it, and says why.
    const second = await db().selectFrom("items").select("id").where("unit_id", "=", county.units.A).where("report_month", "=", MONTH)
      .where("status", "=", "adopted").where("id", "!=", it0.id).orderBy("id").executeTakeFirstOrThrow();
    expect((await item(second.id, { intent: "appeal", subject: "grade", reason: "请复核" })).status).toBe(302);
    expect((await publish({})).status).toBe(409);
    const res = await publish({ appeals_override: "县局会议要求今日印发" });
    expect(res.status).toBe(302);
    const row = await db().selectFrom("notices").selectAll().where("id", "=", noticeId).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: "published", appeals_override: "县局会议要求今日印发" });
    const audit = await db().selectFrom("audit_events").selectAll().where("action", "=", "notice_published").orderBy("id", "desc").executeTakeFirstOrThrow();
    expect(JSON.parse(audit.detail_json)).toMatchObject({ openAppeals: 1, appealsOverride: "县局会议要求今日印发" });

    // Published: the month's window is over.
    const third = await db().selectFrom("items").select("id").where("unit_id", "=", county.units.A).where("report_month", "=", MONTH)
      .where("status", "=", "adopted").where("id", "not in", [it0.id, second.id]).orderBy("id").executeTakeFirstOrThrow();
    const late = await item(third.id, { intent: "appeal", subject: "grade", reason: "请复核" });
    expect(late.status).toBe(409);
    expect((await bodyOf(late)).formError).toBe("该月通报已签发，申诉期已结束。");
  });
});
