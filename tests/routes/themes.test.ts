// 报送要点 against the demo county (2026-11-21: months to 2026-09 closed, 2026-10 and 2026-11 open).
// The reviewer publishes, edits and deletes a month's themes (each write audited); school roles
// and visitors cannot; the item form takes only a theme of the month the item counts in; a school
// sees only its own items' tags; coverage equals a recount from the items; the monthly notice says
// the figures frozen at the close, and a tag changed after the close does not move them.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AT_BUREAU_STATUSES, itemCounts } from "~/domain/points";
import { noticeOutline } from "~/domain/notice-outline";
import type { SessionUser } from "~/models/auth.server";
import { closeMonth, reopenMonth } from "~/models/month-close.server";
import { composeMonthly } from "~/models/notice-compose.server";
import { quotasFor } from "~/models/rules.server";
import { liveCoverage } from "~/models/themes.server";
import * as home from "~/routes/_index";
import * as itemEdit from "~/routes/items.$id_.edit";
import * as itemPage from "~/routes/items.$id";
import * as itemNew from "~/routes/items.new";
import * as themesPage from "~/routes/themes";
import { bodyOf, call, type County, type UserKey } from "../support/app";
import { closeDemoCounty, openDemoCountyAt } from "../support/demo";

let county: County;
let reviewer: SessionUser;
const db = () => county.dbs.db;
const MONTH = "2026-11";

beforeAll(async () => {
  ({ county, reviewer } = await openDemoCountyAt(["admin", "reviewer", "leadA", "correspondentA", "correspondentB"]));
}, 120_000);
afterAll(() => closeDemoCounty(county));

const post = (body: Record<string, string>, user?: UserKey) => call(themesPage.action, county, { url: `/themes?month=${MONTH}`, user, body });
const page = async (month = MONTH, user: UserKey = "reviewer") => bodyOf(await call(themesPage.loader, county, { url: `/themes?month=${month}`, user }));
const counts = async () => ({
  themes: (await db().selectFrom("themes").selectAll().execute()).length,
  audits: (await db().selectFrom("audit_events").selectAll().execute()).length,
  items: (await db().selectFrom("items").selectAll().execute()).length,
});
const themeOf = (month: string) => db().selectFrom("themes").selectAll().where("month", "=", month).orderBy("sort_order").orderBy("id").executeTakeFirstOrThrow();

function form(fields: Record<string, string>): FormData {
  const data = new FormData();
  for (const [k, v] of Object.entries(fields)) data.append(k, v);
  return data;
}
const itemFields = async (over: Record<string, string> = {}) => {
  const category = await db().selectFrom("categories").select("id").where("active", "=", 1).orderBy("id").executeTakeFirstOrThrow();
  const channel = await db().selectFrom("channels").select("id").where("active", "=", 1).orderBy("id").executeTakeFirstOrThrow();
  return {
    title: "城关镇中心学校开展消防安全疏散演练", body: "11月20日上午，城关镇中心学校开展消防安全疏散演练。", category_id: String(category.id),
    channel_id: String(channel.id), event_date: "2026-11-20", intent: "save", ...over,
  };
};

describe("the demo county carries themes", () => {
  it("has 2–4 themes in every month with items, tagged only on fitting items of that month", async () => {
    const months = await db().selectFrom("items").select("report_month").distinct().where("report_month", "is not", null).execute();
    for (const { report_month } of months) {
      const n = (await db().selectFrom("themes").select("id").where("month", "=", report_month!).execute()).length;
      expect(n, report_month!).toBeGreaterThanOrEqual(2);
      expect(n, report_month!).toBeLessThanOrEqual(4);
    }
    const tagged = await db()
      .selectFrom("items")
      .innerJoin("themes", "themes.id", "items.theme_id")
      .select(["items.report_month", "themes.month"])
      .execute();
    expect(tagged.length).toBeGreaterThan(20);
    for (const t of tagged) expect(t.report_month).toBe(t.month);
  });
});

describe("publishing, editing and deleting (reviewer)", () => {
  it("creates a theme of the current month, audited", async () => {
    const before = await counts();
    const res = await post({ intent: "create", month: MONTH, title: "  冬季防火  ", guidance: "报送冬季防火演练。", category_id: "", sort_order: "9" }, "reviewer");
    expect(res.status).toBe(302);
    const row = await db().selectFrom("themes").selectAll().where("month", "=", MONTH).where("title", "=", "冬季防火").executeTakeFirstOrThrow();
    expect(row).toMatchObject({ guidance: "报送冬季防火演练。", category_id: null, sort_order: 9, created_by: reviewer.id });
    const audit = await db().selectFrom("audit_events").selectAll().where("action", "=", "theme_created").orderBy("id", "desc").executeTakeFirstOrThrow();
    expect(audit.entity_id).toBe(String(row.id));
    expect(await counts()).toEqual({ ...before, themes: before.themes + 1, audits: before.audits + 1 });
  });

  it("refuses bad input, a past month, a closed month and a duplicate title, writing nothing", async () => {
    const before = await counts();
    const empty = await post({ intent: "create", month: MONTH, title: " " }, "reviewer");
    expect(empty.status).toBe(400);
    expect((await bodyOf(empty)).fieldErrors.title).toBe("请填写要点标题");
    const long = await post({ intent: "create", month: MONTH, title: "一".repeat(31) }, "reviewer");
    expect((await bodyOf(long)).fieldErrors.title).toBe("要点标题不能超过 30 个字");
    const past = await post({ intent: "create", month: "2026-10", title: "国庆" }, "reviewer");
    expect(past.status).toBe(400);
    expect((await bodyOf(past)).formError).toBe("2026年10月已经过去，不能再发布或修改该月的报送要点");
    const closed = await post({ intent: "create", month: "2026-09", title: "教师节" }, "reviewer");
    expect(closed.status).toBe(409);
    expect((await bodyOf(closed)).formError).toMatch(/已经结算/);
    const dup = await post({ intent: "create", month: MONTH, title: "冬季防火" }, "reviewer");
    expect(dup.status).toBe(409);
    expect((await bodyOf(dup)).fieldErrors.title).toMatch(/已有同名/);
    expect(await counts()).toEqual(before);
  });

  it("edits a theme with the change audited, and answers 409 to a stale form", async () => {
    const row = await db().selectFrom("themes").selectAll().where("month", "=", MONTH).where("title", "=", "冬季防火").executeTakeFirstOrThrow();
    const res = await post({ intent: "update", id: String(row.id), version: String(row.version), title: "冬季防火安全", guidance: "新的说明", sort_order: "9" }, "reviewer");
    expect(res.status).toBe(302);
    const after = await db().selectFrom("themes").selectAll().where("id", "=", row.id).executeTakeFirstOrThrow();
    expect(after).toMatchObject({ title: "冬季防火安全", guidance: "新的说明" });
    const audit = await db().selectFrom("audit_events").selectAll().where("action", "=", "theme_updated").orderBy("id", "desc").executeTakeFirstOrThrow();
    expect(JSON.parse(audit.detail_json).changes.title).toEqual({ before: "冬季防火", after: "冬季防火安全" });
    const stale = await post({ intent: "update", id: String(row.id), version: String(row.version), title: "又改了", sort_order: "9" }, "reviewer");
    expect(stale.status).toBe(409);
    expect((await db().selectFrom("themes").select("title").where("id", "=", row.id).executeTakeFirstOrThrow()).title).toBe("冬季防火安全");
  });

  it("deletes an untagged theme, and refuses to delete a tagged one", async () => {
    const row = await db().selectFrom("themes").selectAll().where("month", "=", MONTH).where("title", "=", "冬季防火安全").executeTakeFirstOrThrow();
    expect((await post({ intent: "delete", id: String(row.id) }, "reviewer")).status).toBe(302);
    expect(await db().selectFrom("themes").select("id").where("id", "=", row.id).executeTakeFirst()).toBeUndefined();
    const audit = await db().selectFrom("audit_events").selectAll().where("action", "=", "theme_deleted").orderBy("id", "desc").executeTakeFirstOrThrow();
    expect(audit.entity_id).toBe(String(row.id));

    const tagged = await db()
      .selectFrom("themes")
      .select("themes.id")
      .where("themes.month", "=", MONTH)
      .where("themes.id", "in", db().selectFrom("items").select("theme_id").where("theme_id", "is not", null).$narrowType<{ theme_id: number }>())
      .executeTakeFirstOrThrow();
    const before = await counts();
    const refusedDelete = await post({ intent: "delete", id: String(tagged.id) }, "reviewer");
    expect(refusedDelete.status).toBe(409);
    expect((await bodyOf(refusedDelete)).formError).toMatch(/篇稿件标注了报送要点.*不能删除/);
    expect(await counts()).toEqual(before);
  });

  it("is closed to school roles and visitors: 403 or the login page, nothing written", async () => {
    const target = await themeOf(MONTH);
    const before = await counts();
    for (const user of ["correspondentA", "correspondentB", "leadA"] as const) {
      expect((await post({ intent: "create", month: MONTH, title: "越权要点" }, user)).status).toBe(403);
      expect((await post({ intent: "update", id: String(target.id), title: "越权修改" }, user)).status).toBe(403);
      expect((await post({ intent: "delete", id: String(target.id) }, user)).status).toBe(403);
      expect((await call(themesPage.loader, county, { url: "/themes", user })).status).toBe(403);
    }
    const anonymous = await post({ intent: "create", month: MONTH, title: "越权要点" });
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get("Location")).toMatch(/^\/login/);
    expect(await counts()).toEqual(before);
    expect((await themeOf(MONTH)).title).toBe(target.title);
  });
});

describe("tagging an item", () => {
  it("offers the month's themes on the form and saves a tag of the month", async () => {
    const loaded = await bodyOf(await call(itemNew.loader, county, { url: "/items/new", user: "correspondentA" }));
    const ids = (await db().selectFrom("themes").select("id").where("month", "=", MONTH).execute()).map((t) => t.id).sort();
    expect(loaded.options.themes.map((t: { id: number }) => t.id).sort()).toEqual(ids);
    const theme = await themeOf(MONTH);
    const res = await call(itemNew.action, county, { url: "/items/new", user: "correspondentA", body: form(await itemFields({ theme_id: String(theme.id) })) });
    expect(res.status).toBe(302);
    const id = Number(/^\/items\/(\d+)/.exec(res.headers.get("Location")!)![1]);
    expect((await db().selectFrom("items").select("theme_id").where("id", "=", id).executeTakeFirstOrThrow()).theme_id).toBe(theme.id);
    const view = await bodyOf(await call(itemPage.loader, county, { url: `/items/${id}`, user: "correspondentA", params: { id: String(id) } }));
    expect(JSON.stringify(view)).toContain(theme.title);
  });

  it("refuses a theme of another month or a made-up id with a field error, writing nothing", async () => {
    const october = await themeOf("2026-10");
    const before = await counts();
    for (const bad of [String(october.id), "999999", "abc"]) {
      const res = await call(itemNew.action, county, { url: "/items/new", user: "correspondentA", body: form(await itemFields({ theme_id: bad })) });
      expect(res.status, bad).toBe(400);
      expect((await bodyOf(res)).fieldErrors.theme_id, bad).toMatch(/报送要点/);
    }
    expect(await counts()).toEqual(before);
  });

  it("refuses a wrong-month tag on an edited draft, leaving the draft as it was", async () => {
    const draft = await db()
      .selectFrom("items")
      .select(["id", "version", "theme_id", "title"])
      .where("unit_id", "=", county.units.A)
      .where("status", "=", "draft")
      .where("report_month", "is", null)
      .orderBy("id")
      .executeTakeFirstOrThrow();
    const october = await themeOf("2026-10");
    const before = await counts();
    const res = await call(itemEdit.action, county, {
      url: `/items/${draft.id}/edit`, user: "correspondentA", params: { id: String(draft.id) },
      body: form(await itemFields({ version: String(draft.version), theme_id: String(october.id), title: "改过的标题" })),
    });
    expect(res.status).toBe(400);
    expect((await bodyOf(res)).fieldErrors.theme_id).toMatch(/报送要点/);
    expect(await db().selectFrom("items").select(["version", "theme_id", "title"]).where("id", "=", draft.id).executeTakeFirstOrThrow()).toEqual({
      version: draft.version, theme_id: draft.theme_id, title: draft.title,
    });
    expect(await counts()).toEqual(before);
  });

  it("a school sees its own items' tags, never another unit's item", async () => {
    const other = await db()
      .selectFrom("items")
      .select("id")
      .where("unit_id", "=", county.units.B)
      .where("theme_id", "is not", null)
      .where("status", "=", "submitted")
      .executeTakeFirst();
    const otherAny = other ?? (await db().selectFrom("items").select("id").where("unit_id", "!=", county.units.A).where("theme_id", "is not", null).where("status", "!=", "adopted").executeTakeFirstOrThrow());
    const res = await call(itemPage.loader, county, { url: `/items/${otherAny.id}`, user: "correspondentA", params: { id: String(otherAny.id) } });
    expect(res.status).toBe(403);
    // The school's home card lists the month's themes, with no unit's coverage figures.
    const h = await bodyOf(await call(home.loader, county, { url: "/", user: "correspondentA" }));
    expect(h.themes.themes.length).toBeGreaterThan(0);
    expect(JSON.stringify(h.themes)).not.toContain("notCovered");
    expect(JSON.stringify(h.themes)).not.toContain("covered");
  });
});

/** Coverage recounted straight from the items table, without the domain's function. */
async function recount(month: string) {
  const themes = await db().selectFrom("themes").select(["id"]).where("month", "=", month).execute();
  const quotas = await quotasFor(db(), month);
  const units = await db().selectFrom("units").select(["id", "active"]).execute();
  const expected = units.filter((u) => u.active === 1 && (quotas.byUnit.get(u.id) ?? 0) > 0).map((u) => u.id);
  const out = new Map<number, { expected: number; covered: number; reported: number; notCovered: number[] }>();
  for (const t of themes) {
    const items = await db().selectFrom("items").select(["unit_id", "status", "points_revoked"]).where("theme_id", "=", t.id).where("report_month", "=", month).execute();
    const reported = new Set(items.filter((i) => (AT_BUREAU_STATUSES as readonly string[]).includes(i.status)).map((i) => i.unit_id));
    const covered = new Set(items.filter((i) => itemCounts({ status: i.status, pointsRevoked: i.points_revoked === 1 })).map((i) => i.unit_id));
    out.set(t.id, { expected: expected.length, covered: covered.size, reported: reported.size, notCovered: expected.filter((u) => !covered.has(u)).sort((a, b) => a - b) });
  }
  return out;
}

describe("coverage", () => {
  it("on /themes and the reviewer's home equals a recount from the items", async () => {
    for (const month of ["2026-10", MONTH, "2026-08"]) {
      const want = await recount(month);
      const live = await liveCoverage(db(), month);
      expect(live.length).toBe(want.size);
      for (const t of live) {
        const w = want.get(t.id)!;
        expect({ expected: t.coverage.expected, covered: t.coverage.covered, reported: t.coverage.reported }, `${month} ${t.title}`).toEqual({
          expected: w.expected, covered: w.covered, reported: w.reported,
        });
        expect(t.coverage.notCovered.map((u) => u.id).sort((a, b) => a - b)).toEqual(w.notCovered);
      }
      expect(live.some((t) => t.coverage.reported > 0), month).toBe(true);
    }
    const p = await page("2026-10");
    expect(p.themes.map((t: { coverage: unknown }) => t.coverage)).toEqual((await liveCoverage(db(), "2026-10")).map((t) => t.coverage));
    const h = await bodyOf(await call(home.loader, county, { url: "/", user: "reviewer" }));
    expect(h.themes.list.map((t: { coverage: unknown }) => t.coverage)).toEqual((await liveCoverage(db(), MONTH)).map((t) => t.coverage));
  });
});

describe("the monthly notice", () => {
  it("mentions the themes with the figures frozen at the close; a later tag does not move them; a re-close re-freezes", async () => {
    const month = "2026-09";
    const close = await db().selectFrom("month_closes").selectAll().where("month", "=", month).where("reopened_at", "is", null).executeTakeFirstOrThrow();
    const frozen = await db().selectFrom("month_theme_snapshots").selectAll().where("close_id", "=", close.id).orderBy("sort_order").execute();
    expect(frozen.length).toBeGreaterThanOrEqual(2);
    const live = await liveCoverage(db(), month);
    expect(frozen.map((f) => [f.theme_id, f.covered, f.reported, f.expected])).toEqual(live.map((t) => [t.id, t.coverage.covered, t.coverage.reported, t.coverage.expected]));

    const text = async () => {
      const body = (await composeMonthly(db(), month, []))!;
      return noticeOutline({ header: { title: "", docNumber: "", addressee: "", opening: "", closing: "", issuer: "", letterhead: "", signerName: null, publishedAt: null }, body })
        .filter((b) => b.type === "paragraph")
        .map((b) => (b as { text: string }).text)
        .join("\n");
    };
    const before = await text();
    expect(before).toContain(`2026年9月发布报送要点 ${frozen.length} 项`);
    for (const f of frozen) expect(before).toContain(`“${f.title}”${f.reported} 个单位报送、${f.covered} 个单位被采用`);

    // After the close, an adopted item of a unit that had not covered the first theme is tagged with it.
    const theme = frozen[0];
    const coveredUnits = (await db().selectFrom("items").select("unit_id").where("theme_id", "=", theme.theme_id).where("status", "=", "adopted").execute()).map((r) => r.unit_id);
    let q = db().selectFrom("items").select("id").where("report_month", "=", month).where("status", "=", "adopted");
    if (coveredUnits.length) q = q.where("unit_id", "not in", coveredUnits);
    const late = await q.orderBy("id").executeTakeFirstOrThrow();
    await db().updateTable("items").set({ theme_id: theme.theme_id }).where("id", "=", late.id).execute();
    expect((await liveCoverage(db(), month))[0].coverage.covered).toBe(theme.covered + 1);
    expect(await text()).toBe(before);

    // Reopened and closed again: the new close freezes the numbers as they are then.
    expect((await reopenMonth(db(), { month, actor: reviewer, reason: "复核报送要点" })).ok).toBe(true);
    const again = await closeMonth(db(), { month, actor: reviewer });
    expect(again.ok).toBe(true);
    const refrozen = await db().selectFrom("month_theme_snapshots").selectAll().where("close_id", "=", (again as { closeId: number }).closeId).orderBy("sort_order").execute();
    expect(refrozen[0].covered).toBe(theme.covered + 1);
    expect(await text()).toContain(`“${theme.title}”`);
    expect(await text()).toContain(`${theme.covered + 1} 个单位被采用`);
  });
});
