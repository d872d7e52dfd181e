import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { DEFAULT_POINTS_RULES } from "~/domain/catalog";
import { pointsValuesOf } from "~/domain/rules-policy";
import { readFlash } from "~/lib/flash.server";
import { leagueFor } from "~/models/months.server";
import { quotaFor, quotasFor } from "~/models/rules.server";
import * as rules from "~/routes/admin.rules";
import { bodyOf, call, expectFieldErrors, expectPageOnlyFor, type County } from "../support/app";
import { DEMO_NOW, setupDemoCounty } from "../support/demo";
import { recomputeFromScratch, rollupAsMap } from "../support/recompute";

// The demo county on 2026-11-21: every month up to 2026-09 is closed; 2026-10 and 2026-11 are open.
let county: County;
let closedMonths: string[];
beforeAll(async () => {
  vi.useFakeTimers({ toFake: ["Date"], now: DEMO_NOW });
  ({ county, closedMonths } = await setupDemoCounty());
  for (const user of ["admin", "reviewer", "leadA", "correspondentA"] as const) await county.cookieFor(user);
}, 120_000);
afterAll(async () => {
  vi.useRealTimers();
  await county.dbs.dispose();
});

const db = () => county.dbs.db;
const URL_ = "/admin/rules";
const defaults = Object.fromEntries(Object.entries(pointsValuesOf(DEFAULT_POINTS_RULES)).map(([k, v]) => [k, String(v)]));

const count = async (table: "points_rule_versions" | "quota_rule_versions" | "quota_rules" | "unit_quota_overrides" | "audit_events") =>
  Number((await db().selectFrom(table).select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n);
const counts = async () =>
  Promise.all((["points_rule_versions", "quota_rule_versions", "quota_rules", "unit_quota_overrides", "audit_events"] as const).map(count));

const monthStats = (month: string) => db().selectFrom("unit_month_stats").selectAll().where("month", "=", month).orderBy("unit_id").execute();
const audits = (action: string) => db().selectFrom("audit_events").selectAll().where("action", "=", action).orderBy("id").execute();

async function flashOf(response: Response) {
  const cookie = (response.headers.get("Set-Cookie") ?? "").split(";")[0];
  return (await readFlash(new Request("http://localhost/", { headers: { Cookie: cookie } })))?.message;
}

const post = (body: Record<string, string>, user: "admin" | "reviewer" | "leadA" | "correspondentA" = "admin") =>
  call(rules.action, county, { url: URL_, user, body });

async function expectRollupMatchesScratch() {
  const [rollup, scratch] = await Promise.all([rollupAsMap(db()), recomputeFromScratch(db())]);
  expect(rollup.size).toBe(scratch.size);
  for (const [key, expected] of scratch) expect(rollup.get(key), key).toEqual(expected);
}

describe("access", () => {
  it("shows the page to the admin only; anonymous visitors go to the login page", () =>
    expectPageOnlyFor(rules.loader, county, { url: URL_, allowed: "admin", refused: ["reviewer", "leadA", "correspondentA"] }));

  it("refuses every change to anyone but the admin, writing nothing", async () => {
    const before = await counts();
    for (const user of ["reviewer", "leadA", "correspondentA"] as const) {
      expect((await post({ intent: "create_points", effective_month: "2026-12", ...defaults }, user)).status).toBe(403);
      expect((await post({ intent: "set_override", unit_id: String(county.units.A), effective_month: "2026-12", quota: "1", reason: "x" }, user)).status).toBe(403);
    }
    const anonymous = await call(rules.action, county, { url: URL_, body: { intent: "create_points", effective_month: "2026-12", ...defaults } });
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get("Location")).toMatch(/^\/login\?redirectTo=/);
    expect(await counts()).toEqual(before);
  });
});

describe("GET /admin/rules", () => {
  it("lists the versions with the months they govern and the months closed with them", async () => {
    const body = await bodyOf(await call(rules.loader, county, { url: URL_, user: "admin" }));
    expect(body).toMatchObject({ currentMonth: "2026-11", latestClosed: "2026-09", earliest: "2026-10", suggested: "2026-12" });
    expect(body.points.versions).toHaveLength(1);
    expect(body.points.versions[0]).toMatchObject({ effectiveMonth: "2000-01", until: null, name: "初始版本", editable: false });
    expect(body.points.versions[0].values).toEqual(pointsValuesOf(DEFAULT_POINTS_RULES));
    expect(body.points.versions[0].closedMonths).toEqual(closedMonths);
    expect(body.points.inForceId).toBe(body.points.versions[0].id);
    expect(body.quotas.versions[0].quotas).toEqual({ township_central: 10, district_school: 5, kindergarten: 5 });
    expect(body.kinds.map((k: { code: string }) => k.code)).toEqual(["township_central", "district_school", "kindergarten"]);
    expect(body.units).toHaveLength(40);
    expect(body.edit).toBeNull();
  });
});

describe("a new points version", () => {
  it("takes effect from the next open month: that month's rollup is recomputed, closed months keep theirs", async () => {
    const closedBefore = await leagueFor(county.dbs.reader, "2026-09");
    const septemberBefore = await monthStats("2026-09");
    const octoberBefore = await monthStats("2026-10");
    const auditBefore = await count("audit_events");

    const res = await post({
      intent: "create_points", effective_month: "2026-10", ...defaults, grade_excellent: "4", grade_good: "2.5", photo_bonus: "1", note: "试行新规",
    });
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe("/admin/rules");
    expect(await flashOf(res)).toBe("已新建积分规则版本，2026年10月起执行，已按新规则重新计算 2 个月的积分");

    const version = await db().selectFrom("points_rule_versions").selectAll().where("effective_month", "=", "2026-10").executeTakeFirstOrThrow();
    expect(JSON.parse(version.rules_json)).toEqual({ ...DEFAULT_POINTS_RULES, grade: { excellent: 4, good: 2.5, fair: 1 }, photoBonus: 1 });
    expect(version).toMatchObject({ note: "试行新规", created_by: county.ids.admin });

    const octoberAfter = await monthStats("2026-10");
    const total = (rows: Array<{ item_points: number }>) => rows.reduce((s, r) => s + r.item_points, 0);
    expect(total(octoberAfter)).toBeGreaterThan(total(octoberBefore));
    expect(octoberAfter.map((r) => r.adopted)).toEqual(octoberBefore.map((r) => r.adopted));
    await expectRollupMatchesScratch();
    expect(await monthStats("2026-09")).toEqual(septemberBefore);
    expect(await leagueFor(county.dbs.reader, "2026-09")).toEqual(closedBefore);

    expect(await count("audit_events")).toBe(auditBefore + 1);
    const [audit] = await audits("rules_points_version_created");
    expect(audit).toMatchObject({ actor_id: county.ids.admin, entity_type: "points_rule_version", entity_id: String(version.id) });
    const detail = JSON.parse(audit.detail_json);
    expect(detail.refreshedMonths).toEqual(["2026-10", "2026-11"]);
    expect(detail.changed.map((c: { name: string }) => c.name)).toEqual(["grade_excellent", "grade_good", "photo_bonus"]);

    const body = await bodyOf(await call(rules.loader, county, { url: URL_, user: "admin" }));
    expect(body.points.versions.map((v: { effectiveMonth: string; until: string | null }) => [v.effectiveMonth, v.until])).toEqual([
      ["2000-01", "2026-09"],
      ["2026-10", null],
    ]);
    expect(body.points.versions[1]).toMatchObject({ name: "2026年10月起", editable: true, closedMonths: [] });
  });

  it.each([
    ["2026-09", "2026年9月已结算，新规则最早从 2026年10月 起生效"],
    ["2025-12", "2026年9月已结算，新规则最早从 2026年10月 起生效"],
    ["2029-01", "生效月份不能晚于 2028年11月，请核对年份"],
    ["2026-10", "2026年10月起生效的积分规则版本已经存在。同一月份不能再建新版本：请选择其他月份，或在下方列表中修改该版本"],
  ])("effective %s is refused with 409 and nothing written", async (month, message) => {
    const before = [await counts(), await rollupAsMap(db())];
    const res = await post({ intent: "create_points", effective_month: month, ...defaults, grade_excellent: "9" });
    expect(res.status).toBe(409);
    const body = await bodyOf(res);
    expect(body.fieldErrors).toEqual({ effective_month: message });
    expect(body.values.effective_month).toBe(month);
    expect([await counts(), await rollupAsMap(db())]).toEqual(before);
  });

  it("answers bad numbers with 400 and a message per field, keeping what was typed", async () => {
    const before = await counts();
    const res = await post({
      intent: "create_points", ...defaults, effective_month: "2026-13", grade_excellent: "abc", photo_bonus: "0.125",
      late_penalty: "0.5", pickup_city: "", none_sent: "-200",
    });
    const body = await expectFieldErrors(res, {
      effective_month: "生效月份格式应为 年-月，如 2026-12",
      grade_excellent: "“采用（优）”请填写数字，如 2 或 0.5",
      photo_bonus: "“配发图片”最多保留两位小数",
      late_penalty: "“迟报”是扣分项，应填 -100 到 0 之间的数，如 -0.5",
      pickup_city: "请填写“市级媒体上稿”的分值",
      none_sent: "“当月不报”是扣分项，应填 -100 到 0 之间的数，如 -0.5",
    });
    expect(body.values).toMatchObject({ grade_excellent: "abc", photo_bonus: "0.125" });
    expect(await counts()).toEqual(before);
  });

  it("can be edited in place while it governs no closed month; the initial version cannot", async () => {
    const body = await bodyOf(await call(rules.loader, county, { url: `${URL_}?edit=points-999`, user: "admin" }));
    expect(body.edit).toBeNull();
    const [initial, october] = body.points.versions;
    expect((await bodyOf(await call(rules.loader, county, { url: `${URL_}?edit=points-${october.id}`, user: "admin" }))).edit).toEqual({
      kind: "points", id: october.id,
    });
    expect((await bodyOf(await call(rules.loader, county, { url: `${URL_}?edit=points-${initial.id}`, user: "admin" }))).edit).toBeNull();

    const before = await counts();
    const refused = await post({ intent: "update_points", version_id: String(initial.id), ...defaults, grade_excellent: "9" });
    expect(refused.status).toBe(409);
    expect((await bodyOf(refused)).formError).toBe("该版本已用于已结算的月份，不能修改；如需调整，请新建一个版本");
    expect(await counts()).toEqual(before);

    const octoberBefore = await monthStats("2026-10");
    const res = await post({ intent: "update_points", version_id: String(october.id), ...october.values, grade_excellent: "5", note: "试行新规" });
    expect(res.status).toBe(302);
    expect(await flashOf(res)).toBe("积分规则已修改，已按新规则重新计算 2 个月的积分");
    expect(await monthStats("2026-10")).not.toEqual(octoberBefore);
    await expectRollupMatchesScratch();
    const [audit] = await audits("rules_points_version_updated");
    expect(JSON.parse(audit.detail_json).changed).toEqual([{ name: "grade_excellent", label: "采用（优）", before: 4, after: 5 }]);

    const unchanged = await post({ intent: "update_points", version_id: String(october.id), ...october.values, grade_excellent: "5", note: "试行新规" });
    expect(await flashOf(unchanged)).toBe("没有需要保存的修改");
    expect(await audits("rules_points_version_updated")).toHaveLength(1);

    expect((await post({ intent: "update_points", version_id: "999999", ...defaults })).status).toBe(404);
  });
});

describe("quota versions and per-unit overrides", () => {
  const quota = (kind: string, month: string) => quotasFor(county.dbs.reader, month).then((q) => q.byKind.get(kind));

  it("a quota version changes the quotas from its month on, not before", async () => {
    const res = await post({
      intent: "create_quota", effective_month: "2026-12", quota_township_central: "12", quota_district_school: "6", quota_kindergarten: "5",
    });
    expect(res.status).toBe(302);
    expect(await flashOf(res)).toBe("已新建月度任务数版本，2026年12月起执行");
    expect(await quota("township_central", "2026-09")).toBe(10);
    expect(await quota("township_central", "2026-11")).toBe(10);
    expect(await quota("township_central", "2026-12")).toBe(12);
    expect(await quota("district_school", "2027-06")).toBe(6);
    expect(await quota("kindergarten", "2026-12")).toBe(5);
    const [audit] = await audits("rules_quota_version_created");
    expect(JSON.parse(audit.detail_json)).toMatchObject({
      effectiveMonth: "2026-12", quotas: { township_central: 12, district_school: 6, kindergarten: 5 },
      previous: { township_central: 10, district_school: 5, kindergarten: 5 },
    });
  });

  it("refuses a quota version in a closed month (409) and a bad quota (400), writing nothing", async () => {
    const before = await counts();
    const closed = await post({
      intent: "create_quota", effective_month: "2026-08", quota_township_central: "1", quota_district_school: "1", quota_kindergarten: "1",
    });
    expect(closed.status).toBe(409);
    expect((await bodyOf(closed)).fieldErrors.effective_month).toBe("2026年9月已结算，新规则最早从 2026年10月 起生效");
    const bad = await post({
      intent: "create_quota", effective_month: "2027-01", quota_township_central: "-1", quota_district_school: "2.5", quota_kindergarten: "",
    });
    await expectFieldErrors(bad, {
      quota_township_central: "乡镇中心校的月度任务数应为 0 到 999 之间的整数",
      quota_district_school: "区直中小学的月度任务数应为 0 到 999 之间的整数",
      quota_kindergarten: "请填写幼儿园的月度任务数",
    });
    expect(await counts()).toEqual(before);
  });

  it("an override changes one unit's quota from its month on, and nobody else's", async () => {
    const { A, B } = county.units;
    const res = await post({ intent: "set_override", unit_id: String(A), effective_month: "2027-01", quota: "3", reason: "校舍改造，半年减半" });
    expect(res.status).toBe(302);
    expect(await flashOf(res)).toBe("已设置例外任务数：2027年1月起每月 3 条");
    expect(await quotaFor(county.dbs.reader, A, "2026-09")).toBe(10);
    expect(await quotaFor(county.dbs.reader, A, "2026-12")).toBe(12);
    expect(await quotaFor(county.dbs.reader, A, "2027-01")).toBe(3);
    expect(await quotaFor(county.dbs.reader, A, "2027-08")).toBe(3);
    expect(await quotaFor(county.dbs.reader, B, "2027-01")).toBe(6);
    const [audit] = await audits("quota_override_set");
    expect(audit).toMatchObject({ entity_type: "unit", entity_id: String(A), from_state: "12", to_state: "3", reason: "校舍改造，半年减半" });

    const body = await bodyOf(await call(rules.loader, county, { url: URL_, user: "admin" }));
    expect(body.overrides).toHaveLength(1);
    expect(body.overrides[0]).toMatchObject({ unitCode: "X01", effectiveMonth: "2027-01", quota: 3, kindQuota: 12, editable: true });
  });

  it("refuses an override without a reason, in a closed month, or twice for the same month", async () => {
    const before = await counts();
    const A = String(county.units.A);
    const noReason = await post({ intent: "set_override", unit_id: A, effective_month: "2027-02", quota: "x", reason: " " });
    await expectFieldErrors(noReason, { quota: "月度任务数应为 0 到 999 之间的整数", reason: "请填写设置理由" });
    const noUnit = await post({ intent: "set_override", unit_id: "999999", effective_month: "2027-02", quota: "1", reason: "x" });
    await expectFieldErrors(noUnit, { unit_id: "请选择一个启用中的单位" });
    const closed = await post({ intent: "set_override", unit_id: A, effective_month: "2026-09", quota: "1", reason: "补设" });
    expect(closed.status).toBe(409);
    expect((await bodyOf(closed)).fieldErrors.effective_month).toBe("2026年9月已结算，新规则最早从 2026年10月 起生效");
    const twice = await post({ intent: "set_override", unit_id: A, effective_month: "2027-01", quota: "1", reason: "再设" });
    expect(twice.status).toBe(409);
    expect((await bodyOf(twice)).fieldErrors.effective_month).toMatch(/已有从 2027年1月 起的例外任务数/);
    expect(await counts()).toEqual(before);
    expect(await quotaFor(county.dbs.reader, county.units.A, "2027-01")).toBe(3);
  });

  it("an override that governs no closed month can be edited in place", async () => {
    const [override] = await db().selectFrom("unit_quota_overrides").selectAll().execute();
    const res = await post({ intent: "update_override", override_id: String(override.id), quota: "4", reason: "校舍改造" });
    expect(res.status).toBe(302);
    expect(await flashOf(res)).toBe("例外任务数已修改");
    expect(await quotaFor(county.dbs.reader, county.units.A, "2027-01")).toBe(4);
    const [audit] = await audits("quota_override_updated");
    expect(audit).toMatchObject({ from_state: "3", to_state: "4", reason: "校舍改造" });
  });

  it("rejects an unknown intent with 400", async () => {
    expect((await post({ intent: "drop_everything" })).status).toBe(400);
  });
});

describe("two tabs editing one version: the stale one is told, and undoes nothing", () => {
  // An edit form posts the whole version (every value, the note). A tab opened before another
  // admin's (or the same admin's other tab's) save used to put back everything it still showed:
  // the open months' points were recomputed with values nobody chose, without a word.
  const page = async (edit: string) => bodyOf(await call(rules.loader, county, { url: `${URL_}?edit=${edit}`, user: "admin" }));

  it("a points version", async () => {
    const october = (await page("")).points.versions.find((v: { effectiveMonth: string }) => v.effectiveMonth === "2026-10");
    const tabA = (await page(`points-${october.id}`)).points.versions.find((v: { id: number }) => v.id === october.id);
    const tabB = (await page(`points-${october.id}`)).points.versions.find((v: { id: number }) => v.id === october.id);
    const form = (v: { id: number; values: Record<string, number>; note: string; seen: string }, changed: Record<string, string>) => ({
      intent: "update_points", version_id: String(v.id), note: v.note, seen: v.seen ?? "",
      ...Object.fromEntries(Object.entries(v.values).map(([k, n]) => [k, String(n)])), ...changed,
    });
    expect((await post(form(tabB, { pickup_national: String(tabB.values.pickup_national + 2) }))).status).toBe(302);
    const saved = (await page("")).points.versions.find((v: { id: number }) => v.id === october.id).values;
    const before = await counts();
    const octoberStats = await monthStats("2026-10");

    const stale = await post(form(tabA, { grade_good: String(tabA.values.grade_good + 1) }));
    expect(stale.status).toBe(409);
    expect((await bodyOf(stale)).formError).toBe("这个版本在您打开页面之后已被修改（他人或您在另一个窗口保存过），这次没有保存；请刷新页面后再改。");
    expect((await page("")).points.versions.find((v: { id: number }) => v.id === october.id).values).toEqual(saved);
    expect(await counts()).toEqual(before);
    expect(await monthStats("2026-10")).toEqual(octoberStats);
  });

  it("a quota version and a unit's override", async () => {
    const overview = await page("");
    const december = overview.quotas.versions.find((v: { effectiveMonth: string }) => v.effectiveMonth === "2026-12");
    const quotaForm = (v: { id: number; quotas: Record<string, number>; note: string; seen: string }, changed: Record<string, string>) => ({
      intent: "update_quota", version_id: String(v.id), note: v.note, seen: v.seen ?? "",
      ...Object.fromEntries(Object.entries(v.quotas).map(([k, n]) => [`quota_${k}`, String(n)])), ...changed,
    });
    expect((await post(quotaForm(december, { quota_kindergarten: "7" }))).status).toBe(302);
    const stale = await post(quotaForm(december, { quota_township_central: "15" }));
    expect(stale.status).toBe(409);
    expect(await quotasFor(county.dbs.reader, "2026-12").then((q) => [q.byKind.get("kindergarten"), q.byKind.get("township_central")])).toEqual([7, 12]);

    const [override] = overview.overrides;
    expect((await post({ intent: "update_override", override_id: String(override.id), quota: "6", reason: override.reason, seen: override.seen ?? "" })).status).toBe(302);
    const staleOverride = await post({ intent: "update_override", override_id: String(override.id), quota: override.quota, reason: "另一个窗口改的理由", seen: override.seen ?? "" });
    expect(staleOverride.status).toBe(409);
    expect(await quotaFor(county.dbs.reader, county.units.A, "2027-01")).toBe(6);
  });
});
