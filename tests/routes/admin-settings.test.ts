import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { readFlash } from "~/lib/flash.server";
import { closeMonth } from "~/models/month-close.server";
import { refreshMonth } from "~/models/rollup.server";
import { getSetting, settingColumn, settingFromColumn, settingsFor } from "~/models/settings.server";
import { settingFieldValue } from "~/domain/settings";
import * as root from "~/root";
import * as adminIndex from "~/routes/admin._index";
import * as settings from "~/routes/admin.settings";
import * as itemsNew from "~/routes/items.new";
import * as news from "~/routes/news._index";
import { bodyOf, call, expectFieldErrors, setupCounty, type County, type UserKey } from "../support/app";
import { insertItem } from "../support/item-fixtures";

// 2026-11-21 in Shanghai: 2026-09 is closed, so "month" settings may start from 2026-10 at the earliest.
const NOW = new Date("2026-11-21T02:00:00Z");
const CLOSED = "2026-09";

let county: County;
beforeAll(async () => {
  vi.useFakeTimers({ toFake: ["Date"], now: NOW });
  county = await setupCounty();
  for (const user of ["admin", "reviewer", "leadA", "correspondentA"] as const) await county.cookieFor(user);
  const closed = await closeMonth(county.dbs.db, { month: CLOSED, actor: { id: county.ids.reviewer, username: "reviewer" } });
  if (!closed.ok) throw new Error(closed.message);
});
afterAll(async () => {
  vi.useRealTimers();
  await county.dbs.dispose();
});

const db = () => county.dbs.db;
const URL_ = "/admin/settings";

type Table = "settings" | "audit_events" | "categories" | "channels";
const rowsOf = (table: Table) => db().selectFrom(table).selectAll().orderBy("id").execute();
/** Everything a refused request must leave as it was. */
const snapshot = async () => Promise.all((["settings", "audit_events", "categories", "channels"] as const).map(rowsOf));
const audits = (action: string) => db().selectFrom("audit_events").selectAll().where("action", "=", action).orderBy("id").execute();

describe("/admin, the address an admin types", () => {
  it("sends the admin on to the system settings", async () => {
    const response = await call(adminIndex.loader, county, { url: "/admin", user: "admin" });
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe(URL_);
  });

  it.each(["reviewer", "leadA", "correspondentA"] as const)("refuses %s as every admin page does (403 on the portal's error page)", async (user) => {
    const response = await call(adminIndex.loader, county, { url: "/admin", user });
    expect(response.status).toBe(403);
    expect((await bodyOf(response)).formError).toBe("您没有权限访问此页面。");
  });

  it("sends a visitor to sign in, and back to /admin", async () => {
    const response = await call(adminIndex.loader, county, { url: "/admin" });
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe(`/login?${new URLSearchParams({ redirectTo: "/admin" })}`);
  });
});

async function flashOf(response: Response) {
  const cookie = (response.headers.get("Set-Cookie") ?? "").split(";")[0];
  return (await readFlash(new Request("http://localhost/", { headers: { Cookie: cookie } })))?.message;
}

const post = (body: Record<string, string>, user: UserKey = "admin") => call(settings.action, county, { url: URL_, user, body });

const categoryId = async (name: string) => (await db().selectFrom("categories").select("id").where("name", "=", name).executeTakeFirstOrThrow()).id;
const channelId = async (name: string) => (await db().selectFrom("channels").select("id").where("name", "=", name).executeTakeFirstOrThrow()).id;
const activeNames = async (table: "categories" | "channels") =>
  (await db().selectFrom(table).select("name").where("active", "=", 1).orderBy("sort_order").orderBy("id").execute()).map((r) => r.name);

describe("access", () => {
  it("shows the page to the admin only; anonymous goes to login", async () => {
    const page = await call(settings.loader, county, { url: URL_, user: "admin" });
    expect(page.status).toBe(200);
    const body = await bodyOf(page);
    expect(body.values.commendTopN).toBe(3);
    expect(body.latestClosed).toBe(CLOSED);
    expect(body.defaultEffectiveMonth).toBe("2026-10");
    expect(body.catalog.category.length).toBe(10);
    for (const user of ["reviewer", "correspondentA", "leadA"] as const) {
      expect((await call(settings.loader, county, { url: URL_, user })).status).toBe(403);
    }
    const anonymous = await call(settings.loader, county, { url: URL_ });
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get("Location")).toBe("/login?redirectTo=%2Fadmin%2Fsettings");
  });

  it("refuses every change to anyone but the admin, writing nothing", async () => {
    const before = await snapshot();
    const id = String(await categoryId("综合"));
    const attempts: Array<Record<string, string>> = [
      { intent: "save_settings", countyName: "越权县" },
      { intent: "save_settings", commendTopN: "9", effective_month: "2026-12" },
      { intent: "catalog_add", kind: "category", name: "越权栏目" },
      { intent: "catalog_rename", kind: "category", id, name: "越权" },
      { intent: "catalog_up", kind: "category", id },
      { intent: "catalog_deactivate", kind: "category", id },
      { intent: "catalog_delete", kind: "category", id },
    ];
    for (const user of ["reviewer", "correspondentA", "leadA"] as const) {
      for (const body of attempts) expect((await post(body, user)).status).toBe(403);
    }
    const anonymous = await call(settings.action, county, { url: URL_, body: attempts[0] });
    expect(anonymous.status).toBe(302);
    expect(await snapshot()).toEqual(before);
  });
});

describe("saving settings", () => {
  it("saves names at once, shows them in the header and on the public pages, and audits each change", async () => {
    const response = await post({
      intent: "save_settings", countyName: " 临溪县 ", bureauName: "临溪县教育和体育局", noticeIssuer: "临溪县教育和体育局办公室",
      letterheadText: "临溪县教育和体育局办公室", noticeDocPrefix: "临教体办", noticeAddressee: "各乡镇中心校、区直各学校、各幼儿园",
    });
    expect(response.status).toBe(302);
    expect(await flashOf(response)).toContain("县（区）名称");
    expect(await getSetting(db(), "countyName")).toBe("临溪县");
    expect(await getSetting(db(), "noticeDocPrefix")).toBe("临教体办");
    const changed = await audits("setting_changed");
    // The addressee was sent unchanged: no row, no audit.
    expect(changed.map((a) => a.entity_id).sort()).toEqual(["bureauName", "countyName", "letterheadText", "noticeDocPrefix", "noticeIssuer"]);
    const county_ = changed.find((a) => a.entity_id === "countyName")!;
    expect(county_).toMatchObject({ actor_id: county.ids.admin, from_state: "（未填写）", to_state: "临溪县" });

    const rootData = await bodyOf(await call(root.loader, county, { url: "/" }));
    expect(rootData.names).toEqual({ countyName: "临溪县", bureauName: "临溪县教育和体育局", office: "临溪县教育和体育局办公室", letterhead: "临溪县教育和体育局办公室" });
    const newsMeta = news.meta({ data: undefined, matches: [{ id: "root", data: rootData }] } as never) as Array<{ name?: string; content?: string }>;
    expect(newsMeta.find((m) => m.name === "description")?.content).toBe("全县各学校、幼儿园经临溪县教育和体育局审核采用的教育信息。");
  });

  it("saves routines: a month-day, a day of the month and a switch", async () => {
    const response = await post({
      intent: "save_settings", registerDeadline: "03-31", lateAfterDays: "10", reminderFromDay: "18", autoReminders: "0", effective_month: "2026-12",
    });
    expect(response.status).toBe(302);
    expect(await getSetting(db(), "registerDeadline")).toBe("03-31");
    expect(await getSetting(db(), "reminderFromDay")).toBe(18);
    expect(await getSetting(db(), "autoReminders")).toBe(false);
    expect(await getSetting(db(), "lateAfterDays", "2026-11")).toBe(7);
    expect(await getSetting(db(), "lateAfterDays", "2026-12")).toBe(10);
    // A write transaction reads a setting as a column of a larger select: the same value for every month.
    for (const key of ["lateAfterDays", "reminderFromDay", "autoReminders", "registerDeadline", "countyName"] as const) {
      const rows = await db().selectNoFrom(settingColumn(key).as("column")).execute();
      for (const month of ["2025-01", "2026-11", "2026-12", "2027-06", undefined]) {
        expect(settingFromColumn(key, rows[0].column, month), `${key} ${month}`).toEqual(await getSetting(db(), key, month));
      }
    }
  });

  it("a new lateness threshold re-marks the items of the months it governs, and only those", async () => {
    // Nine days from event to arrival: late under 7 days, on time under 10.
    const item = (month: string) =>
      insertItem(db(), {
        unitId: county.units.B, createdBy: county.ids.correspondentB, status: "adopted", reportMonth: month,
        eventDate: `${month}-01`, firstSubmittedAt: `${month}-10T02:00:00Z`, late: true,
      });
    const [inClosed, inOpen] = [await item(CLOSED), await item("2026-10")];
    await db().transaction().execute((trx) => refreshMonth(trx, "2026-10"));
    const lateIn = async (month: string) =>
      (await db().selectFrom("unit_month_stats").select("late").where("unit_id", "=", county.units.B).where("month", "=", month).executeTakeFirst())?.late;
    const lateOf = async (id: number) => (await db().selectFrom("items").select("late").where("id", "=", id).executeTakeFirstOrThrow()).late;
    expect(await lateIn("2026-10")).toBe(1);

    const response = await post({ intent: "save_settings", lateAfterDays: "10", reminderFromDay: "18", registerDeadline: "04-10", autoReminders: "0", effective_month: "2026-10" });
    expect(response.status).toBe(302);
    expect(await flashOf(response)).toBe("已保存：迟报天数，按月生效的自2026年10月起执行，已按新的迟报天数重新核对 1 个月的稿件");
    expect(await getSetting(db(), "lateAfterDays", CLOSED)).toBe(7);
    expect(await getSetting(db(), "lateAfterDays", "2026-10")).toBe(10);
    expect(await lateOf(inOpen)).toBe(0);
    expect(await lateIn("2026-10")).toBe(0);
    expect(await lateOf(inClosed)).toBe(1);
  });

  it("a month setting saved from a month applies from it on and leaves the closed month as it was", async () => {
    const before = await audits("setting_changed");
    const response = await post({
      intent: "save_settings", commendTopN: "5", criticiseBelowCompletion: "40", criticiseMinLate: "3", effective_month: "2026-10",
    });
    expect(response.status).toBe(302);
    expect(await flashOf(response)).toContain("2026年10月起");
    for (const month of [CLOSED, "2026-01"]) {
      expect(await getSetting(db(), "commendTopN", month)).toBe(3);
      expect(await getSetting(db(), "criticiseBelowCompletion", month)).toBe(0.5);
    }
    for (const month of ["2026-10", "2026-11", "2027-06"]) {
      expect(await getSetting(db(), "commendTopN", month)).toBe(5);
      expect(await getSetting(db(), "criticiseBelowCompletion", month)).toBe(0.4);
    }
    const added = (await audits("setting_changed")).slice(before.length);
    expect(added.map((a) => [a.entity_id, a.from_state, a.to_state])).toEqual([
      ["commendTopN", "3 名", "5 名"],
      ["criticiseBelowCompletion", "50%", "40%"],
    ]);
    expect(JSON.parse(added[0].detail_json)).toMatchObject({ effectiveMonth: "2026-10" });

    // The page lists both versions, with the one in force this month marked.
    const page = await bodyOf(await call(settings.loader, county, { url: URL_, user: "admin" }));
    expect(page.values.commendTopN).toBe(5);
    expect(page.versions.commendTopN.map((v: { effectiveMonth: string; state: string; value: number }) => [v.effectiveMonth, v.state, v.value])).toEqual([
      ["0000-00", "past", 3],
      ["2026-10", "current", 5],
    ]);
  });

  it("saves the year-end thresholds and the login history, scheduled for a later month", async () => {
    const response = await post({
      intent: "save_settings", yearCommendMinMonthsMet: "9", yearCommendTopN: "4", yearCorrespondentTopN: "12", yearCorrespondentMinAdopted: "10",
      yearCriticiseNoneMonths: "2", yearCriticiseBelowCompletion: "55%", effective_month: "2027-01",
    });
    expect(response.status).toBe(302);
    expect(await getSetting(db(), "yearCriticiseBelowCompletion", "2026-12")).toBe(0.6);
    expect(await getSetting(db(), "yearCriticiseBelowCompletion", "2027-01")).toBe(0.55);
    expect(await getSetting(db(), "yearCommendMinMonthsMet", "2027-01")).toBe(9);
    expect((await post({ intent: "save_settings", loginHistoryDays: "365" })).status).toBe(302);
    expect(await getSetting(db(), "loginHistoryDays")).toBe(365);
    const page = await bodyOf(await call(settings.loader, county, { url: URL_, user: "admin" }));
    expect(page.versions.yearCommendTopN.at(-1)).toMatchObject({ effectiveMonth: "2027-01", state: "scheduled", value: 4 });
  });

  it("refuses bad values with a Chinese message per field, keeps what was typed and writes nothing", async () => {
    const before = await snapshot();
    const response = await post({
      intent: "save_settings", commendTopN: "abc", criticiseBelowCompletion: "150", criticiseMinLate: "3", effective_month: "2026-12",
    });
    const body = await expectFieldErrors(response, {
      commendTopN: "每类表扬名额应为 0–50 名之间的整数",
      criticiseBelowCompletion: "批评：任务完成率低于应为 0–100 之间的整数（百分比）",
    });
    expect(body.values).toMatchObject({ commendTopN: "abc", criticiseBelowCompletion: "150" });

    const deadline = await post({ intent: "save_settings", registerDeadline: "02-30", reminderFromDay: "18", autoReminders: "1", lateAfterDays: "10", effective_month: "2026-12" });
    await expectFieldErrors(deadline, { registerDeadline: "信息员登记截止日有误：2月只有 29 天，请填写 01–29 日" });

    const empty = await post({ intent: "save_settings", bureauName: "  " });
    await expectFieldErrors(empty, { bureauName: "请填写教体局全称" });

    const noMonth = await post({ intent: "save_settings", commendTopN: "4", effective_month: "" });
    await expectFieldErrors(noMonth, { effective_month: "生效月份格式应为 年-月，如 2026-12" });

    for (const month of [CLOSED, "2026-08"]) {
      const intoClosed = await post({ intent: "save_settings", commendTopN: "8", effective_month: month });
      const refused = await expectFieldErrors(intoClosed, { effective_month: "2026年9月已结算，新规则最早从 2026年10月 起生效" });
      expect(refused.values).toMatchObject({ commendTopN: "8", effective_month: month });
    }
    expect(await getSetting(db(), "commendTopN", CLOSED)).toBe(3);

    expect((await post({ intent: "save_settings" })).status).toBe(400);
    expect((await post({ intent: "no_such_thing" })).status).toBe(400);
    expect(await snapshot()).toEqual(before);
  });

  it("says so when nothing changed, writing nothing", async () => {
    const before = await snapshot();
    const current = await settingsFor(db());
    const response = await post({ intent: "save_settings", noticeDocPrefix: current.noticeDocPrefix, autoReminders: current.autoReminders ? "1" : "0" });
    expect(response.status).toBe(302);
    expect(await flashOf(response)).toBe("没有需要保存的修改");
    expect(await snapshot()).toEqual(before);
  });
});

describe("categories and channels", () => {
  it("adds one at the end of the list, refusing a name already used (ignoring case and spaces) or too long", async () => {
    const added = await post({ intent: "catalog_add", kind: "category", name: "  劳动  教育 " });
    expect(added.status).toBe(302);
    expect(await flashOf(added)).toBe("已添加栏目“劳动 教育”");
    expect((await activeNames("categories")).at(-1)).toBe("劳动 教育");
    const audit = (await audits("category_added")).at(-1)!;
    expect(audit).toMatchObject({ actor_id: county.ids.admin, entity_type: "category", to_state: "劳动 教育" });

    const before = await snapshot();
    for (const [name, message] of [
      ["劳动 教育", "已有名为“劳动 教育”的栏目"],
      ["劳动   教育", "已有名为“劳动 教育”的栏目"],
      ["", "请填写栏目名称"],
      ["一二三四五六七八九十一二三四五六七八九十一", "栏目名称不能超过 20 个字"],
    ]) {
      const refused = await post({ intent: "catalog_add", kind: "category", name });
      await expectFieldErrors(refused, { name: message });
    }
    const channel = await post({ intent: "catalog_add", kind: "channel", name: "教育信息网" });
    expect(channel.status).toBe(400);
    await post({ intent: "catalog_add", kind: "channel", name: "ABC 频道" });
    const caseOnly = await post({ intent: "catalog_add", kind: "channel", name: "abc频道" });
    expect(caseOnly.status).toBe(302);
    // "ABC 频道" and "abc频道" differ by a space inside, so both may exist; the same letters in
    // another case may not.
    const sameCase = await post({ intent: "catalog_add", kind: "channel", name: "abc 频道" });
    await expectFieldErrors(sameCase, { name: "已有名为“ABC 频道”的投送频道" });
    expect(await rowsOf("categories")).toEqual(before[2]);
    expect((await post({ intent: "catalog_add", kind: "school", name: "甲" })).status).toBe(400);
  });

  it("renames one: existing items show the new name", async () => {
    const id = await categoryId("综合");
    await insertItem(db(), { unitId: county.units.A, createdBy: county.ids.correspondentA, category: "综合", status: "adopted" });
    const renamed = await post({ intent: "catalog_rename", kind: "category", id: String(id), name: "综合信息" });
    expect(renamed.status).toBe(302);
    const item = await db().selectFrom("items").innerJoin("categories", "categories.id", "items.category_id").select("categories.name").where("category_id", "=", id).executeTakeFirstOrThrow();
    expect(item.name).toBe("综合信息");
    expect((await audits("category_renamed")).at(-1)).toMatchObject({ from_state: "综合", to_state: "综合信息" });
    const clash = await post({ intent: "catalog_rename", kind: "category", id: String(id), name: "党建工作" });
    expect(clash.status).toBe(400);
    expect((await bodyOf(clash)).values).toMatchObject({ name: "党建工作", id: String(id) });
    expect((await post({ intent: "catalog_rename", kind: "category", id: "999999", name: "无此栏目" })).status).toBe(404);
  });

  it("moves one up and down; the first cannot move up", async () => {
    const names = await activeNames("categories");
    const second = await categoryId(names[1]);
    expect((await post({ intent: "catalog_up", kind: "category", id: String(second) })).status).toBe(302);
    expect((await activeNames("categories")).slice(0, 2)).toEqual([names[1], names[0]]);
    expect((await audits("category_reordered")).at(-1)).toMatchObject({ from_state: "2", to_state: "1" });
    const before = await snapshot();
    const atTop = await post({ intent: "catalog_up", kind: "category", id: String(second) });
    expect(await flashOf(atTop)).toBe("没有需要保存的修改");
    expect(await snapshot()).toEqual(before);
    expect((await post({ intent: "catalog_down", kind: "category", id: String(second) })).status).toBe(302);
    expect((await activeNames("categories")).slice(0, 2)).toEqual(names.slice(0, 2));
  });

  it("deactivates one (gone from the item form, kept on old items) and reactivates it", async () => {
    const id = await categoryId("综合信息");
    const off = await post({ intent: "catalog_deactivate", kind: "category", id: String(id) });
    expect(off.status).toBe(302);
    expect(await activeNames("categories")).not.toContain("综合信息");
    expect((await audits("category_deactivated")).length).toBe(1);
    const page = await bodyOf(await call(settings.loader, county, { url: URL_, user: "admin" }));
    expect(page.catalog.category.find((c: { id: number }) => c.id === id)).toMatchObject({ active: false, items: 1 });
    const offered = async () =>
      (await bodyOf(await call(itemsNew.loader, county, { url: "/items/new", user: "correspondentA" }))).options.categories.map((c: { name: string }) => c.name);
    expect(await offered()).not.toContain("综合信息");
    const old = await db().selectFrom("items").innerJoin("categories", "categories.id", "items.category_id").select("categories.name").where("category_id", "=", id).executeTakeFirstOrThrow();
    expect(old.name).toBe("综合信息");
    expect((await post({ intent: "catalog_reactivate", kind: "category", id: String(id) })).status).toBe(302);
    expect(await activeNames("categories")).toContain("综合信息");
    expect(await offered()).toContain("综合信息");
    expect((await audits("category_reactivated")).length).toBe(1);
  });

  it("deletes one no item uses; refuses (409, with the count) one that items use", async () => {
    const unused = await categoryId("劳动 教育");
    const deleted = await post({ intent: "catalog_delete", kind: "category", id: String(unused) });
    expect(deleted.status).toBe(302);
    expect(await db().selectFrom("categories").select("id").where("id", "=", unused).executeTakeFirst()).toBeUndefined();
    expect((await audits("category_deleted")).at(-1)).toMatchObject({ from_state: "劳动 教育", entity_id: String(unused) });

    const used = await categoryId("综合信息");
    await insertItem(db(), { unitId: county.units.A, createdBy: county.ids.correspondentA, category: "综合信息", status: "draft" });
    const before = await snapshot();
    const refused = await post({ intent: "catalog_delete", kind: "category", id: String(used) });
    expect(refused.status).toBe(409);
    expect((await bodyOf(refused)).formError).toBe("“综合信息”已被 2 篇稿件使用，不能删除；如不再使用，请停用它（已有稿件仍显示原名称）");
    expect(await snapshot()).toEqual(before);
  });

  it("refuses to deactivate or delete the last active channel", async () => {
    for (const name of ["ABC 频道", "abc频道"]) expect((await post({ intent: "catalog_delete", kind: "channel", id: String(await channelId(name)) })).status).toBe(302);
    const [first, second] = await activeNames("channels");
    expect((await post({ intent: "catalog_deactivate", kind: "channel", id: String(await channelId(first)) })).status).toBe(302);
    const before = await snapshot();
    const last = await channelId(second);
    const refused = await post({ intent: "catalog_deactivate", kind: "channel", id: String(last) });
    expect(refused.status).toBe(409);
    expect((await bodyOf(refused)).formError).toContain("至少要保留一个启用的投送频道");
    expect((await post({ intent: "catalog_delete", kind: "channel", id: String(last) })).status).toBe(409);
    expect(await snapshot()).toEqual(before);
    expect(await activeNames("channels")).toEqual([second]);
  });
});

describe("a group saved as the page shows it: only what the person changed is written", () => {
  // The page shows each setting's value this month and posts its whole group, with the effective
  // month of its monthly settings (by default the first open month). A field nobody touched used to
  // be saved too, at that month: an open month's figures moved because someone changed the reminder
  // day, and a stale second tab put back what another admin had just changed.
  const ROUTINE = ["registerDeadline", "lateAfterDays", "appealDays", "reminderFromDay", "requestRemindHours", "autoReminders", "bulletinTier"] as const;
  type Page = { values: Record<string, unknown>; defaultEffectiveMonth: string };
  const openPage = async (): Promise<Page> => bodyOf(await call(settings.loader, county, { url: URL_, user: "admin" }));
  /** The routine group's form as the page posts it, with `typed` changed by the person. */
  const routineForm = (page: Page, typed: Record<string, string>, effectiveMonth = page.defaultEffectiveMonth) => {
    const body: Record<string, string> = { intent: "save_settings", effective_month: effectiveMonth };
    for (const key of ROUTINE) {
      const shown = settingFieldValue(key, page.values[key]);
      body[key] = typed[key] ?? shown;
      body[`shown_${key}`] = shown;
    }
    return body;
  };

  it("changing the reminder day leaves the lateness of an open month alone when this month's threshold differs from it", async () => {
    // 迟报天数 14 from November on; October (open, the page's default effective month) keeps 10.
    const setUp = await post(routineForm(await openPage(), { lateAfterDays: "14" }, "2026-11"));
    expect(setUp.status).toBe(302);
    expect([await getSetting(db(), "lateAfterDays", "2026-10"), await getSetting(db(), "lateAfterDays", "2026-11")]).toEqual([10, 14]);
    // Twelve days from event to arrival: late in October.
    const october = await insertItem(db(), {
      unitId: county.units.A, createdBy: county.ids.correspondentA, status: "adopted", reportMonth: "2026-10",
      eventDate: "2026-10-01", firstSubmittedAt: "2026-10-13T02:00:00Z", late: true,
    });
    await db().transaction().execute((trx) => refreshMonth(trx, "2026-10"));
    const lateOctober = async () =>
      (await db().selectFrom("unit_month_stats").select("late").where("unit_id", "=", county.units.A).where("month", "=", "2026-10").executeTakeFirstOrThrow()).late;
    const lateBefore = await lateOctober();

    const page = await openPage();
    expect(page.values.lateAfterDays).toBe(14);
    expect(page.defaultEffectiveMonth).toBe("2026-10");
    const before = await audits("setting_changed");
    const saved = await post(routineForm(page, { reminderFromDay: "23" }));
    expect(saved.status).toBe(302);
    expect(await flashOf(saved)).toBe("已保存：自动催报日");
    expect(await getSetting(db(), "reminderFromDay")).toBe(23);
    expect((await audits("setting_changed")).slice(before.length).map((a) => a.entity_id)).toEqual(["reminderFromDay"]);
    expect(await getSetting(db(), "lateAfterDays", "2026-10")).toBe(10);
    expect((await db().selectFrom("items").select("late").where("id", "=", october).executeTakeFirstOrThrow()).late).toBe(1);
    expect(await lateOctober()).toBe(lateBefore);
  });

  it("two tabs: the stale one keeps what the other saved, and is told when it changes the same setting", async () => {
    const tabA = await openPage();
    const tabB = await openPage();
    expect((await post(routineForm(tabB, { requestRemindHours: "48" }))).status).toBe(302);
    // Tab A, drawn before, changes another setting of the group: 48 stays.
    expect((await post(routineForm(tabA, { appealDays: "5" }))).status).toBe(302);
    expect([await getSetting(db(), "requestRemindHours"), await getSetting(db(), "appealDays")]).toEqual([48, 5]);
    // Tab A changes the very setting tab B changed: refused with what it is now, nothing written.
    const rows = await snapshot();
    const clash = await post(routineForm(tabA, { requestRemindHours: "12" }));
    expect(clash.status).toBe(409);
    expect((await bodyOf(clash)).fieldErrors.requestRemindHours).toBe("约稿截止提醒已被他人改为 48 小时（您打开页面时为 24 小时），这次没有保存；请刷新页面后再改。");
    expect(await snapshot()).toEqual(rows);
    expect(await getSetting(db(), "requestRemindHours")).toBe(48);
  });
});

describe("withdrawing (撤回) a version scheduled for a later month", () => {
  // The field shows this month's value, so typing it back there is no change: a version scheduled
  // for a later month used to stay until that month began. The list takes it back on its own row.
  type Page = { values: Record<string, unknown>; versions: Record<string, Array<{ effectiveMonth: string; value: unknown; state: string }>> };
  const openPage = async (): Promise<Page> => bodyOf(await call(settings.loader, county, { url: URL_, user: "admin" }));
  const schedule = (value: string, month: string, shown: string) =>
    post({ intent: "save_settings", commendTopN: value, shown_commendTopN: shown, effective_month: month });
  const withdraw = (month: string, shown: string, user: UserKey = "admin") =>
    post({ intent: "withdraw_setting", key: "commendTopN", effective_month: month, shown }, user);

  it("takes a scheduled version back: the months it would have governed keep the value before it, and the change is audited", async () => {
    const now = String(await getSetting(db(), "commendTopN", "2026-11"));
    expect((await schedule("11", "2027-01", now)).status).toBe(302);
    expect(await getSetting(db(), "commendTopN", "2027-01")).toBe(11);
    const listed = (await openPage()).versions.commendTopN.find((v) => v.effectiveMonth === "2027-01");
    expect(listed).toMatchObject({ value: 11, state: "scheduled" });

    // The field as the page shows it cannot do it: this month's value is no change.
    expect(await flashOf(await schedule(now, "2027-01", now))).toBe("没有需要保存的修改");
    expect(await getSetting(db(), "commendTopN", "2027-01")).toBe(11);

    const before = await audits("setting_changed");
    const done = await withdraw("2027-01", "11");
    expect(done.status).toBe(302);
    expect(done.headers.get("Location")).toBe(`${URL_}#monthly`);
    expect(await flashOf(done)).toBe(`已撤回每类表扬名额2027年1月起的版本，2027年1月起为 ${now} 名`);
    expect(await getSetting(db(), "commendTopN", "2027-01")).toBe(Number(now));
    expect((await openPage()).versions.commendTopN.map((v) => v.effectiveMonth)).not.toContain("2027-01");
    const added = (await audits("setting_changed")).slice(before.length);
    expect(added.map((a) => [a.entity_id, a.from_state, a.to_state])).toEqual([["commendTopN", "11 名", `${now} 名`]]);
    expect(JSON.parse(added[0].detail_json ?? "{}")).toMatchObject({ effectiveMonth: "2027-01", withdrawn: true });

    // Sent again (a double click, another tab): already done, nothing written.
    const rows = await snapshot();
    const again = await withdraw("2027-01", "11");
    expect(again.status).toBe(302);
    expect(await flashOf(again)).toBe("每类表扬名额2027年1月起的版本已经撤回，没有需要保存的修改");
    expect(await snapshot()).toEqual(rows);
  });

  it("refuses a version someone changed since the page was drawn (409), writing nothing", async () => {
    const now = String(await getSetting(db(), "commendTopN", "2026-11"));
    expect((await schedule("11", "2027-02", now)).status).toBe(302);
    // Another admin's tab makes it 12 (the field there shows this month's value).
    expect((await schedule("12", "2027-02", now)).status).toBe(302);
    const rows = await snapshot();
    const stale = await withdraw("2027-02", "11");
    expect(stale.status).toBe(409);
    expect((await bodyOf(stale)).formError).toBe("每类表扬名额2027年2月起的值已被他人改为 12 名（您打开页面时为 11 名），这次没有撤回；请刷新页面后再看。");
    expect(await snapshot()).toEqual(rows);
    expect((await withdraw("2027-02", "12")).status).toBe(302);
    expect(await getSetting(db(), "commendTopN", "2027-02")).toBe(Number(now));
  });

  it("refuses a version that already governs this month or an earlier one (409), writing nothing", async () => {
    const now = String(await getSetting(db(), "commendTopN", "2026-11"));
    expect((await schedule("13", "2026-11", now)).status).toBe(302);
    const rows = await snapshot();
    const begun = await withdraw("2026-11", "13");
    expect(begun.status).toBe(409);
    expect((await bodyOf(begun)).formError).toBe("每类表扬名额2026年11月起的版本已经开始执行，不能撤回；要改回原值，请在上面的输入框填写并选择生效月份。");
    expect(await snapshot()).toEqual(rows);
    expect(await getSetting(db(), "commendTopN", "2026-11")).toBe(13);
  });

  it("refuses anyone but the admin, and a form no page draws, writing nothing", async () => {
    expect((await schedule("14", "2027-04", String(await getSetting(db(), "commendTopN", "2026-11")))).status).toBe(302);
    const rows = await snapshot();
    for (const user of ["reviewer", "leadA", "correspondentA"] as const) expect((await withdraw("2027-04", "14", user)).status).toBe(403);
    const forged = await post({ intent: "withdraw_setting", key: "countyName", effective_month: "2027-04", shown: "临溪县" });
    expect(forged.status).toBe(400);
    expect((await bodyOf(forged)).formError).toBe("页面已过期，请刷新后重试。");
    expect(await snapshot()).toEqual(rows);
    expect(await getSetting(db(), "commendTopN", "2027-04")).toBe(14);
  });
});
