// /admin/audit: both sources in one list, who reads what (a reviewer never sees account, unit or
// login entries; school roles are refused), each filter, paging, and the CSV download.
import { parse } from "csv-parse/sync";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AUDIT_LOG_COLUMNS } from "~/domain/audit-log";
import { auditLogBatches, auditLogQuery, listAuditLog } from "~/models/audit-log.server";
import { recordAudit } from "~/models/audit.server";
import * as exportRoute from "~/routes/admin.audit.export";
import * as page from "~/routes/admin.audit";
import { bodyOf, call, setupCounty, type County, type UserKey } from "../support/app";
import { insertItem } from "../support/item-fixtures";

let county: County;
const fixture = { itemA: 0, itemB: 0 };

/** Entries in March 2026, away from the logins the tests' sign-ins write today. */
beforeAll(async () => {
  county = await setupCounty();
  for (const user of ["admin", "reviewer", "leadA", "correspondentA"] as const) await county.cookieFor(user);
  const { db } = county.dbs;
  const { ids, units } = county;
  fixture.itemA = await insertItem(db, { unitId: units.A, createdBy: ids.correspondentA, title: "城关镇开学典礼", status: "adopted" });
  fixture.itemB = await insertItem(db, { unitId: units.B, createdBy: ids.correspondentB, title: "实验小学运动会", status: "rejected" });
  const trail = (itemId: number, actorId: number, action: string, at: string, extra: { grade?: "excellent"; reason?: string } = {}) =>
    db.insertInto("review_events").values({
      item_id: itemId, actor_id: actorId, action, from_status: "submitted", to_status: action === "adopt" ? "adopted" : "rejected",
      grade: extra.grade ?? null, reason: extra.reason ?? "", at,
    }).execute();
  await trail(fixture.itemA, ids.reviewer, "adopt", "2026-03-01T02:00:00.000Z", { grade: "excellent" });
  // 2026-03-01 23:59:59 and 2026-03-02 00:00:00 in Shanghai: either side of the day's end.
  await trail(fixture.itemB, ids.reviewer, "reject", "2026-03-01T15:59:59.000Z", { reason: "=HYPERLINK(\"http://x\")，与教育无关" });
  await trail(fixture.itemA, ids.leadA, "sign_off", "2026-03-01T16:00:00.000Z");
  await recordAudit(db, {
    actorId: ids.admin, actorName: "admin", action: "account_created", entityType: "account", entityId: ids.correspondentA,
    ip: "10.9.9.9", at: "2026-03-03T01:00:00.000Z",
  });
  await recordAudit(db, {
    actorId: ids.admin, actorName: "admin", action: "unit_updated", entityType: "unit", entityId: units.B, at: "2026-03-03T02:00:00.000Z",
  });
  await recordAudit(db, {
    actorId: ids.reviewer, actorName: "reviewer", action: "pickup_recorded", entityType: "item", entityId: fixture.itemA,
    at: "2026-03-04T03:00:00.000Z",
  });
  await recordAudit(db, {
    actorId: ids.reviewer, actorName: "reviewer", action: "month_reopened", entityType: "month", entityId: "2026-02",
    reason: "补录一篇漏审的稿件", at: "2026-03-05T03:00:00.000Z",
  });
  await recordAudit(db, {
    actorId: null, actorName: "nobody", action: "login_failed", entityType: "account", entityId: "nobody",
    reason: "bad_credentials", ip: "10.1.1.1", at: "2026-03-05T04:00:00.000Z",
  });
});
afterAll(async () => county.dbs.dispose());

interface Line { key: string; time: string; person: string; unit: string; action: string; object: { label: string; href: string | null } | null; reason: string }
async function view(query: string, user: UserKey = "admin") {
  const response = await call(page.loader, county, { url: `/admin/audit${query}`, user });
  expect(response.status).toBe(200);
  return (await bodyOf(response)) as { lines: Line[]; total: number; pages: number; page: number; values: Record<string, string>; csvHref: string };
}
const MARCH = "?from=2026-03-01&to=2026-03-31";

describe("who reads the log", () => {
  it("shows the admin both sources, in Chinese, newest first, times in Shanghai", async () => {
    const { lines, total } = await view(MARCH);
    expect(total).toBe(8);
    expect(lines.map((l) => l.action)).toEqual(["登录失败", "重新打开月份", "登记上稿", "修改单位", "新建账号", "签发", "不采用", "采用（优）"]);
    const adopt = lines.at(-1)!;
    expect(adopt).toMatchObject({ time: "2026-03-01 10:00", person: "赵审核（reviewer）", unit: "城关镇中心学校" });
    expect(adopt.object).toEqual({ label: `稿件 ${fixture.itemA}《城关镇开学典礼》`, href: null });
    const account = lines.find((l) => l.action === "新建账号")!;
    expect(account).toMatchObject({ person: "系统管理员（admin）", unit: "城关镇中心学校" });
    expect(account.object).toEqual({ label: "账号 张晓梅", href: `/admin/accounts/${county.ids.correspondentA}` });
    expect(lines.find((l) => l.action === "修改单位")!.object).toEqual({ label: "单位 县实验小学", href: `/admin/units/${county.units.B}` });
    expect(lines.find((l) => l.action === "登录失败")).toMatchObject({ person: "nobody", reason: "用户名或密码错误", unit: "" });
  });

  it("shows a reviewer the trail and the review work only, linked to the review pages", async () => {
    const { lines, total } = await view(MARCH, "reviewer");
    expect(lines.map((l) => l.action)).toEqual(["重新打开月份", "登记上稿", "签发", "不采用", "采用（优）"]);
    expect(total).toBe(5);
    expect(lines[0]).toMatchObject({ reason: "补录一篇漏审的稿件", object: { label: "月份 2026年2月", href: "/months/2026-02" } });
    expect(lines[1].object).toEqual({ label: `稿件 ${fixture.itemA}《城关镇开学典礼》`, href: `/review/${fixture.itemA}` });
  });

  it("never shows a reviewer account, unit or login entries, even when asked for by action", async () => {
    for (const action of ["account_created", "unit_updated", "login", "login_failed"]) {
      const { lines, values } = await view(`?action=${action}`, "reviewer");
      expect(values.action).toBe("");
      expect(lines.map((l) => l.action)).not.toContain("新建账号");
      expect(lines.map((l) => l.action)).not.toContain("修改单位");
      expect(lines.map((l) => l.action)).not.toContain("登录");
      expect(lines.map((l) => l.action)).not.toContain("登录失败");
    }
    const csv = await (await call(exportRoute.loader, county, { url: "/admin/audit/export?format=csv", user: "reviewer" })).text();
    expect(csv).toContain("登记上稿");
    expect(csv).not.toContain("新建账号");
    expect(csv).not.toContain("登录");
  });

  it("shows a reviewer no trail of a draft that never reached the bureau; the admin sees it", async () => {
    const draft = await insertItem(county.dbs.db, { unitId: county.units.A, createdBy: county.ids.correspondentA, title: "校内草稿", status: "draft" });
    await county.dbs.db.insertInto("review_events").values({
      item_id: draft, actor_id: county.ids.leadA, action: "send_back", from_status: "pending_school", to_status: "draft",
      reason: "请补充照片", at: "2026-06-01T01:00:00.000Z",
    }).execute();
    const range = "?from=2026-06-01&to=2026-06-01";
    expect((await view(range, "reviewer")).lines).toEqual([]);
    expect((await view(range, "admin")).lines.map((l) => [l.action, l.object?.label, l.reason])).toEqual([
      ["退回本单位修改", `稿件 ${draft}《校内草稿》`, "请补充照片"],
    ]);
    const csv = await (await call(exportRoute.loader, county, { url: `/admin/audit/export${range}&format=csv`, user: "reviewer" })).text();
    expect(csv).not.toContain("校内草稿");
  });

  it.each([
    ["correspondentA", 403],
    ["leadA", 403],
    [undefined, 302],
  ] as const)("refuses %s the page and the download (%i)", async (user, status) => {
    expect((await call(page.loader, county, { url: "/admin/audit", user })).status).toBe(status);
    expect((await call(exportRoute.loader, county, { url: "/admin/audit/export?format=csv", user })).status).toBe(status);
  });
});

describe("filters", () => {
  it("by unit: the unit's items, the unit itself and its accounts", async () => {
    const a = await view(`${MARCH}&unit=${county.units.A}`);
    expect(a.lines.map((l) => l.action)).toEqual(["登记上稿", "新建账号", "签发", "采用（优）"]);
    const b = await view(`${MARCH}&unit=${county.units.B}`);
    expect(b.lines.map((l) => l.action)).toEqual(["修改单位", "不采用"]);
  });

  it("by person, name or username, any case", async () => {
    expect((await view(`${MARCH}&person=王校`)).lines.map((l) => l.action)).toEqual(["签发"]);
    expect((await view(`${MARCH}&person=ADMIN`)).lines.map((l) => l.action)).toEqual(["修改单位", "新建账号"]);
    expect((await view(`${MARCH}&person=nobody`)).lines.map((l) => l.action)).toEqual(["登录失败"]);
  });

  it("by action, either source", async () => {
    expect((await view(`${MARCH}&action=adopt`)).lines.map((l) => l.action)).toEqual(["采用（优）"]);
    expect((await view(`${MARCH}&action=pickup_recorded`)).lines.map((l) => l.action)).toEqual(["登记上稿"]);
    // A code that is not offered is no filter.
    expect((await view(`${MARCH}&action=drop_tables`)).total).toBe(8);
  });

  it("by date range in Shanghai days, both ends included", async () => {
    const day1 = await view("?from=2026-03-01&to=2026-03-01");
    expect(day1.lines.map((l) => l.action)).toEqual(["不采用", "采用（优）"]);
    const day2 = await view("?from=2026-03-02&to=2026-03-02");
    expect(day2.lines.map((l) => l.action)).toEqual(["签发"]);
    // Backwards is read the right way round; a date that does not exist is no filter.
    expect((await view("?from=2026-03-02&to=2026-03-01")).total).toBe(3);
    expect((await view("?from=2026-02-30&to=2026-03-01")).total).toBe(2);
    expect((await view("?from=2026-03-05")).lines.map((l) => l.action).slice(-2)).toEqual(["登录失败", "重新打开月份"]);
  });

  it("combines filters", async () => {
    const { lines } = await view(`?from=2026-03-01&to=2026-03-01&unit=${county.units.A}&person=赵审核`);
    expect(lines.map((l) => l.action)).toEqual(["采用（优）"]);
  });
});

describe("paging", () => {
  it("pages 50 at a time, newest first, no entry twice", async () => {
    const { db } = county.dbs;
    for (let i = 0; i < 120; i++) {
      await recordAudit(db, {
        actorId: county.ids.reviewer, actorName: "reviewer", action: "reminder_sent", entityType: "unit", entityId: county.units.B,
        at: new Date(Date.parse("2026-04-10T00:00:00.000Z") + i * 60_000).toISOString(),
      });
    }
    const query = "?from=2026-04-10&to=2026-04-10&action=reminder_sent";
    const pages = [await view(query), await view(`${query}&page=2`), await view(`${query}&page=3`)];
    expect(pages.map((p) => [p.total, p.pages, p.lines.length])).toEqual([[120, 3, 50], [120, 3, 50], [120, 3, 20]]);
    const times = pages.flatMap((p) => p.lines.map((l) => l.key));
    expect(new Set(times).size).toBe(120);
    expect(pages[0].lines[0].time).toBe("2026-04-10 09:59");
    expect(pages[2].lines.at(-1)!.time).toBe("2026-04-10 08:00");
    // Past the end: an empty page, never an error.
    expect((await view(`${query}&page=9`)).lines).toEqual([]);
    // The download link carries the filters but not the page.
    expect(pages[1].csvHref).toBe("/admin/audit.csv?from=2026-04-10&to=2026-04-10&action=reminder_sent");
  });

  it("interleaves both sources page after page in the log's order, entries of the same moment included", async () => {
    const { db } = county.dbs;
    const expected: Array<{ key: string; at: string; source: string; id: number }> = [];
    for (let i = 0; i < 40; i++) {
      // Three entries a minute, some minutes from one source only: pages end inside a moment.
      const at = new Date(Date.parse("2026-06-10T00:00:00.000Z") + Math.floor(i / 3) * 60_000).toISOString();
      if (i % 4 !== 1) {
        await recordAudit(db, { actorId: county.ids.reviewer, actorName: "reviewer", action: "pickup_recorded", entityType: "item", entityId: fixture.itemA, at });
        const { id } = await db.selectFrom("audit_events").select(({ fn }) => fn.max("id").as("id")).executeTakeFirstOrThrow();
        expected.push({ key: `audit-${id}`, at, source: "audit", id: Number(id) });
      }
      if (i % 4 !== 2) {
        const { id } = await db.insertInto("review_events").values({
          item_id: fixture.itemB, actor_id: county.ids.reviewer, action: "reject", from_status: "submitted", to_status: "rejected", reason: `第${i}次`, at,
        }).returning("id").executeTakeFirstOrThrow();
        expected.push({ key: `trail-${id}`, at, source: "trail", id });
      }
    }
    expected.sort((a, b) => (a.at !== b.at ? (a.at < b.at ? 1 : -1) : a.source !== b.source ? (a.source < b.source ? -1 : 1) : b.id - a.id));
    const filters = { scope: "all" as const, from: "2026-06-10", to: "2026-06-10" };
    const read: string[] = [];
    for (let page = 1; ; page++) {
      const { rows, total, pages } = await listAuditLog(county.dbs.reader, filters, page, 7);
      expect([total, pages]).toEqual([expected.length, Math.ceil(expected.length / 7)]);
      if (rows.length === 0) break;
      read.push(...rows.map((r) => `${r.source}-${r.id}`));
    }
    expect(read).toEqual(expected.map((e) => e.key));
  });

  it("reads each source newest first from its time index, so a page or a batch never sorts the whole log", async () => {
    const { db } = county.dbs;
    const plan = async (query: ReturnType<typeof auditLogQuery>) => {
      const { sql: text, parameters } = query.compile();
      const rows = await db.executeQuery<{ detail: string }>({ ...query.compile(), sql: `explain query plan ${text}`, parameters });
      return rows.rows.map((r) => r.detail);
    };
    const after = { at: "2026-03-03T01:00:00.000Z", source: "audit" as const, id: 1 };
    for (const from of [{ skip: 0 }, { skip: 500 }, { after }]) {
      const all = await plan(auditLogQuery(db, { scope: "all" }, 50, from));
      expect(all).toContain("SCAN e USING INDEX audit_events_at");
      expect(all).toContain("SCAN r USING INDEX review_events_at");
      expect(await plan(auditLogQuery(db, { scope: "review" }, 50, from))).toContain("SCAN r USING INDEX review_events_at");
    }
    // The indexes are the migration's: without them both sources are sorted whole.
    expect((await sql<{ name: string }>`select name from sqlite_master where type = 'index' and name like '%events_at'`.execute(db)).rows.map((r) => r.name).sort())
      .toEqual(["audit_events_at", "review_events_at"]);
  });
});

describe("CSV", () => {
  it("downloads the filtered view, all pages, Chinese headers after a BOM, formulas neutralised", async () => {
    const response = await call(exportRoute.loader, county, { url: `/admin/audit/export${MARCH}&format=csv`, user: "admin" });
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("Content-Disposition")).toContain(`filename*=UTF-8''${encodeURIComponent("操作日志-2026-03-01至2026-03-31.csv")}`);
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const records: string[][] = parse(new TextDecoder().decode(bytes));
    expect(records[0]).toEqual([...AUDIT_LOG_COLUMNS]);
    expect(records).toHaveLength(9);
    const reject = records.find((r) => r[3] === "不采用")!;
    expect(reject).toEqual([
      "2026-03-01 23:59", "赵审核（reviewer）", "县实验小学", "不采用", `稿件 ${fixture.itemB}《实验小学运动会》`,
      "'=HYPERLINK(\"http://x\")，与教育无关", "",
    ]);
    expect(records.find((r) => r[3] === "新建账号")![6]).toBe("10.9.9.9");
  });

  it("includes every page of a long log", async () => {
    const response = await call(exportRoute.loader, county, { url: "/admin/audit/export?action=reminder_sent&format=csv", user: "admin" });
    const records: string[][] = parse(await response.text());
    expect(records[0]).toEqual([...AUDIT_LOG_COLUMNS]);
    expect(records).toHaveLength(121);
  });

  it("reads batch after batch in the page's order, ties included, unmoved by entries written meanwhile", async () => {
    const { db } = county.dbs;
    const at = "2026-05-01T01:00:00.000Z";
    for (let i = 0; i < 5; i++) {
      await recordAudit(db, { actorId: county.ids.reviewer, actorName: "reviewer", action: "pickup_recorded", entityType: "item", entityId: fixture.itemA, at });
      await db.insertInto("review_events").values({
        item_id: fixture.itemB, actor_id: county.ids.reviewer, action: "reject", from_status: "submitted", to_status: "rejected", reason: `第${i}次`, at,
      }).execute();
    }
    const filters = { scope: "all" as const, from: "2026-04-01", to: "2026-05-31" };
    const whole = (await listAuditLog(db, filters, 1, 1000)).rows.map((r) => `${r.source}-${r.id}`);
    expect(whole).toHaveLength(130);
    const read: string[] = [];
    let batches = 0;
    for await (const batch of auditLogBatches(db, filters, 7)) {
      read.push(...batch.map((r) => `${r.source}-${r.id}`));
      // A newer entry written while the download runs is not in it and moves nothing.
      if (batches++ === 0) {
        await recordAudit(db, { actorId: county.ids.reviewer, actorName: "reviewer", action: "reminder_sent", entityType: "unit", entityId: county.units.A, at: "2026-05-31T01:00:00.000Z" });
      }
    }
    expect(batches).toBe(19);
    expect(read).toEqual(whole);
  });

  it("refuses another format", async () => {
    expect((await call(exportRoute.loader, county, { url: "/admin/audit/export?format=xlsx", user: "admin" })).status).toBe(400);
  });
});

describe("a setting's change", () => {
  it("reads the setting by its name, with its value before and after, on the page and in the CSV", async () => {
    await recordAudit(county.dbs.db, {
      actorId: county.ids.admin, actorName: "admin", action: "setting_changed", entityType: "setting", entityId: "lateAfterDays",
      from: "7 天", to: "10 天", at: "2026-04-02T02:00:00.000Z",
    });
    const { lines } = await view("?action=setting_changed&from=2026-04-01&to=2026-04-30");
    expect(lines.map((l) => l.object)).toEqual([{ label: "系统设置 迟报天数：7 天 → 10 天", href: "/admin/settings" }]);
    const csv = await (await call(exportRoute.loader, county, { url: "/admin/audit/export?format=csv&action=setting_changed", user: "admin" })).text();
    expect(csv).toContain("系统设置 迟报天数：7 天 → 10 天");
    expect(csv).not.toContain("lateAfterDays");
  });
});
