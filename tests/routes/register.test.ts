// The correspondent register: who reads whose, a lead's corrections (own unit only, validated,
// audited), the Excel export read back against the page, and a correspondent who leaves keeping
// their items and points.
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { roleName } from "~/domain/permissions";
import { REGISTER_COLUMNS } from "~/domain/register";
import { shanghaiDate, shanghaiMonth } from "~/domain/time";
import { readFlash } from "~/lib/flash.server";
import { hashPassword } from "~/models/password.server";
import { registerFor, unitRegisterProblems } from "~/models/register.server";
import { rebuildAllRollups } from "~/models/rollup.server";
import * as accountEdit from "~/routes/admin.accounts.$id";
import * as exportRoute from "~/routes/register.$year.export";
import * as page from "~/routes/register.$year";
import * as index from "~/routes/register._index";
import { bodyOf, call, expectFieldErrors, setupCounty, type County, type UserKey } from "../support/app";
import { insertItem } from "../support/item-fixtures";

const YEAR = shanghaiDate(new Date()).slice(0, 4);
const MONTH = shanghaiMonth(new Date());
/** A since-date safely in the past whatever day the tests run. */
const PAST = `${Number(YEAR) - 1}-09-05`;
let county: County;

beforeAll(async () => {
  county = await setupCounty();
  // The county's units, like its people, were entered today.
  await county.dbs.db.updateTable("units").set({ created_at: new Date().toISOString() }).execute();
  for (const user of ["admin", "reviewer", "leadA", "correspondentA", "correspondentB"] as const) await county.cookieFor(user);
});
afterAll(async () => county.dbs.dispose());

const load = (user?: UserKey, year = YEAR) => call(page.loader, county, { url: `/register/${year}`, user, params: { year } });
const post = (body: Record<string, string>, user: UserKey = "leadA") =>
  call(page.action, county, { url: `/register/${YEAR}`, user, params: { year: YEAR }, body });
const account = (id: number) => county.dbs.db.selectFrom("accounts").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
const audits = async () => Number((await county.dbs.db.selectFrom("audit_events").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n);
async function flashOf(response: Response) {
  const cookie = (response.headers.get("Set-Cookie") ?? "").split(";")[0];
  return (await readFlash(new Request("http://localhost/", { headers: { Cookie: cookie } })))?.message;
}

async function addPerson(username: string, role: "correspondent" | "school_lead", unitId: number, name: string, registeredOn: string) {
  const now = new Date().toISOString();
  const { id } = await county.dbs.db
    .insertInto("accounts")
    .values({
      username, display_name: name, role, unit_id: unitId, password_hash: await hashPassword("Test@1234"), phone: "13912345678",
      registered_on: registeredOn, created_at: now, updated_at: now,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return id;
}

describe("who may read the register", () => {
  it("/register goes to this year's page for readers, 403 for correspondents, login for anonymous", async () => {
    for (const user of ["reviewer", "admin", "leadA"] as const) {
      const r = await call(index.loader, county, { url: "/register", user });
      expect(r.status).toBe(302);
      expect(r.headers.get("Location")).toBe(`/register/${YEAR}`);
    }
    expect((await call(index.loader, county, { url: "/register", user: "correspondentA" })).status).toBe(403);
    expect((await call(index.loader, county, { url: "/register" })).headers.get("Location")).toMatch(/^\/login\?redirectTo=/);
  });

  it("shows reviewers and admins every unit, a lead only their own, correspondents nothing", async () => {
    const reviewer = await bodyOf(await load("reviewer"));
    const codes = (b: any) => b.shown.view.kinds.flatMap((k: any) => k.units.map((u: any) => u.code));
    expect(codes(reviewer)).toEqual(["A01", "B01"]);
    expect(reviewer.shown.view.scope).toBe("all");
    expect(codes(await bodyOf(await load("admin")))).toEqual(["A01", "B01"]);
    const lead = await bodyOf(await load("leadA"));
    expect(lead.shown.view.scope).toBe("unit");
    expect(codes(lead)).toEqual(["A01"]);
    expect(lead.canEdit).toBe(true);
    expect(reviewer.canEdit).toBe(false);
    expect((await load("correspondentA")).status).toBe(403);
    expect((await load("correspondentB")).status).toBe(403);
    expect((await load()).status).toBe(302);
  });

  it("answers 404 for a year it has no register for", async () => {
    for (const year of ["1999", String(Number(YEAR) + 2), "abc"]) expect((await load("reviewer", year)).status).toBe(404);
    expect((await load("reviewer", String(Number(YEAR) - 1))).status).toBe(200);
  });
});

describe("the page", () => {
  it("groups units by kind, lists leads and correspondents with phone and since-date, and the deadline", async () => {
    const { view } = (await bodyOf(await load("reviewer"))).shown;
    expect(view.deadline).toBe(`${YEAR}-04-10`);
    expect(view.deadlineLabel).toBe(`${YEAR}年4月10日`);
    expect(view.kinds.map((k: any) => k.name)).toEqual(["乡镇中心校", "区直中小学"]);
    const a = view.kinds[0].units[0];
    expect(a.leads.map((p: any) => [p.name, p.phone])).toEqual([["王校长", "13800000000"]]);
    expect(a.correspondents.map((p: any) => p.name)).toEqual(["张晓梅"]);
    expect(a.correspondents[0].registeredOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it("lists units without an active lead or correspondent at the top: today's, and the deadline's once it has passed", async () => {
    const view = await registerFor(county.dbs.reader, Number(YEAR), { unitId: null });
    const b01 = { unitId: county.units.B, code: "B01", name: "县实验小学", kindName: "区直中小学", gaps: ["lead"], text: "缺少分管领导" };
    expect(view.incompleteToday).toEqual([b01]);
    // The county's units and people were entered today: at a deadline already past they were not there yet.
    expect(view.incomplete).toEqual(view.deadlinePassed ? [] : [b01]);
    // The page sends the table of them and the counts, not the lists.
    const { shown } = await bodyOf(await load("reviewer"));
    expect(shown.view.incomplete).toBeUndefined();
    expect(shown.incomplete).toMatchObject({ atDeadline: view.incomplete.length, today: 1, listed: 1, kindName: null });
    expect(shown.incomplete.rows.map((r: { code: string; today: { text: string } }) => [r.code, r.today.text])).toEqual([["B01", "分管领导"]]);
    expect(await unitRegisterProblems(county.dbs.reader, county.units.B)).toEqual({ gaps: ["lead"], text: "缺少分管领导", message: "本单位登记不全：缺少分管领导" });
    expect(await unitRegisterProblems(county.dbs.reader, county.units.A)).toBeNull();
  });

  it("takes the deadline from the setting in force that year", async () => {
    const now = new Date().toISOString();
    const { id } = await county.dbs.db
      .insertInto("settings")
      .values({ key: "registerDeadline", value_json: JSON.stringify("03-31"), effective_month: `${YEAR}-01`, updated_by: null, updated_at: now })
      .returning("id")
      .executeTakeFirstOrThrow();
    try {
      expect((await bodyOf(await load("reviewer"))).shown.view.deadlineLabel).toBe(`${YEAR}年3月31日`);
      expect((await bodyOf(await load("reviewer", String(Number(YEAR) - 1)))).shown.view.deadlineLabel).toBe(`${Number(YEAR) - 1}年4月10日`);
    } finally {
      await county.dbs.db.deleteFrom("settings").where("id", "=", id).execute();
    }
  });
});

describe("a lead corrects their unit's entries", () => {
  it("updates phone and since-date of their own unit's correspondent, with one audit row", async () => {
    const before = await audits();
    const r = await post({ account_id: String(county.ids.correspondentA), phone: "139 0000 1111", registered_on: PAST });
    expect(r.status).toBe(302);
    expect(r.headers.get("Location")).toBe(`/register/${YEAR}`);
    expect(await flashOf(r)).toBe("已更新张晓梅的登记信息");
    const a = await account(county.ids.correspondentA);
    expect([a.phone, a.registered_on]).toEqual(["13900001111", PAST]);
    expect(await audits()).toBe(before + 1);
    const row = await county.dbs.db.selectFrom("audit_events").selectAll().orderBy("id", "desc").limit(1).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ action: "register_updated", actor_id: county.ids.leadA, entity_type: "account", entity_id: String(county.ids.correspondentA) });
    expect(JSON.parse(row.detail_json).changes).toEqual({ phone: ["13800000000", "13900001111"], registered_on: [expect.any(String), PAST] });
  });

  it("writes nothing when nothing changed", async () => {
    const before = await audits();
    const r = await post({ account_id: String(county.ids.correspondentA), phone: "13900001111", registered_on: PAST });
    expect(r.status).toBe(302);
    expect(await flashOf(r)).toBe("张晓梅的登记信息没有变化");
    expect(await audits()).toBe(before);
  });

  it("may correct their own entry", async () => {
    const r = await post({ account_id: String(county.ids.leadA), phone: "13700000000", registered_on: `${Number(YEAR) - 1}-02-01` });
    expect(r.status).toBe(302);
    expect((await account(county.ids.leadA)).phone).toBe("13700000000");
  });

  it("refuses another unit's person with 403, writing nothing", async () => {
    const before = [await audits(), JSON.stringify(await account(county.ids.correspondentB))];
    const r = await post({ account_id: String(county.ids.correspondentB), phone: "13911112222", registered_on: PAST });
    expect(r.status).toBe(403);
    expect([await audits(), JSON.stringify(await account(county.ids.correspondentB))]).toEqual(before);
  });

  it("refuses a bad phone or date with 400 and a message per field, writing nothing", async () => {
    const before = [await audits(), JSON.stringify(await account(county.ids.correspondentA))];
    const bad = await post({ account_id: String(county.ids.correspondentA), phone: "12345", registered_on: PAST });
    const body = await expectFieldErrors(bad, { phone: "手机号应为 11 位手机号码，或留空" });
    expect(body.values).toMatchObject({ account_id: String(county.ids.correspondentA), phone: "12345" });
    const future = await post({ account_id: String(county.ids.correspondentA), phone: "13900001111", registered_on: `${Number(YEAR) + 1}-01-01` });
    await expectFieldErrors(future, { registered_on: "登记日期不能晚于今天" });
    expect((await post({ account_id: "abc", phone: "", registered_on: PAST })).status).toBe(400);
    expect([await audits(), JSON.stringify(await account(county.ids.correspondentA))]).toEqual(before);
  });

  it("answers 404 for someone not on any register and 403 to reviewers, admins and correspondents", async () => {
    const body = { account_id: String(county.ids.correspondentA), phone: "13900009999", registered_on: PAST };
    const before = await audits();
    expect((await post({ ...body, account_id: String(county.ids.reviewer) })).status).toBe(404);
    expect((await post({ ...body, account_id: "999999" })).status).toBe(404);
    for (const user of ["reviewer", "admin", "correspondentA"] as const) expect((await post(body, user)).status).toBe(403);
    expect((await account(county.ids.correspondentA)).phone).toBe("13900001111");
    expect(await audits()).toBe(before);
  });
});

/** The page's rows as the export should have them, built from the loader's JSON. */
function expectedRows(view: any): string[][] {
  const rows: string[][] = [];
  for (const kind of view.kinds) {
    for (const u of kind.units) {
      const head = [u.code, u.name, kind.name, u.township];
      for (const p of [...u.leads, ...u.correspondents]) rows.push([...head, roleName(p.role), p.name, p.phone, p.registeredOn ?? "", p.late ? "在用（逾期登记）" : "在用"]);
      for (const g of u.gaps) rows.push([...head, g === "lead" ? "分管领导" : "信息员", "", "", "", "未登记"]);
      for (const p of u.inactive) rows.push([...head, roleName(p.role), p.name, p.phone, p.registeredOn ?? "", `已停用（${p.deactivatedOn}）`]);
    }
  }
  return rows;
}

async function sheetRows(response: Response, name = "登记表"): Promise<string[][]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(await response.arrayBuffer());
  const sheet = workbook.getWorksheet(name)!;
  const rows: string[][] = [];
  sheet.eachRow((row) => {
    const values = (row.values as unknown[]).slice(1);
    rows.push(REGISTER_COLUMNS.map((_, i) => (values[i] === undefined || values[i] === null ? "" : String(values[i]))));
  });
  return rows;
}

const download = (user: UserKey, format = "xlsx") =>
  call(exportRoute.loader, county, { url: `/register/${YEAR}/export?format=${format}`, user, params: { year: YEAR } });

describe("the Excel export", () => {
  it("is a real workbook with a header row and the page's rows, under a Chinese file name", async () => {
    const r = await download("reviewer");
    expect(r.status).toBe(200);
    expect(r.headers.get("Content-Type")).toBe("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    expect(r.headers.get("Content-Disposition")).toBe(
      `attachment; filename="register-${YEAR}.xlsx"; filename*=UTF-8''${encodeURIComponent(`信息员登记表-${YEAR}年.xlsx`)}`,
    );
    const rows = await sheetRows(r);
    expect(rows[0]).toEqual([...REGISTER_COLUMNS]);
    const { view } = (await bodyOf(await load("reviewer"))).shown;
    expect(rows.slice(1)).toEqual(expectedRows(view));
    expect(rows.slice(1).some((row) => row[0] === "B01" && row[4] === "分管领导" && row[8] === "未登记")).toBe(true);
  });

  it("gives a lead their own unit's sheet, and correspondents nothing", async () => {
    const r = await download("leadA");
    expect(r.status).toBe(200);
    expect(r.headers.get("Content-Disposition")).toContain(encodeURIComponent(`信息员登记表-${YEAR}年-城关镇中心学校.xlsx`));
    const rows = await sheetRows(r);
    expect(new Set(rows.slice(1).map((row) => row[0]))).toEqual(new Set(["A01"]));
    expect(rows.slice(1)).toEqual(expectedRows((await bodyOf(await load("leadA"))).shown.view));
    expect((await download("correspondentA")).status).toBe(403);
    expect((await download("reviewer", "csv")).status).toBe(400);
  });
});

describe("a correspondent who leaves", () => {
  it("keeps their items and split points after deactivation, and shows only in the 已停用 note", async () => {
    const leaver = await addPerson("a-c2", "correspondent", county.units.A, "陈思远", `${YEAR}-03-01`);
    const item = await insertItem(county.dbs.db, {
      unitId: county.units.A, createdBy: leaver, status: "adopted", grade: "excellent", bylines: [leaver, county.ids.correspondentA],
    });
    await rebuildAllRollups(county.dbs.db);
    const stats = () =>
      county.dbs.db.selectFrom("correspondent_month_stats").selectAll().where("account_id", "=", leaver).where("month", "=", MONTH).executeTakeFirst();
    const before = await stats();
    expect(before).toMatchObject({ unit_id: county.units.A, items: 0.5, points: 1.5 });
    expect(((await bodyOf(await load("reviewer"))).shown.view.kinds[0].units[0].correspondents as any[]).map((p) => p.name)).toContain("陈思远");

    // Replaced: the admin deactivates the old account (a new one would be created beside it).
    const r = await call(accountEdit.action, county, {
      url: `/admin/accounts/${leaver}`, user: "admin", params: { id: String(leaver) }, body: { intent: "deactivate" },
    });
    expect(r.status).toBe(302);
    expect((await account(leaver)).active).toBe(0);

    expect(await stats()).toEqual(before);
    const bylines = await county.dbs.db.selectFrom("item_bylines").select("account_id").where("item_id", "=", item).orderBy("account_id").execute();
    expect(bylines.map((b) => b.account_id).sort()).toEqual([leaver, county.ids.correspondentA].sort());
    expect((await county.dbs.db.selectFrom("items").select(["created_by", "status"]).where("id", "=", item).executeTakeFirstOrThrow())).toEqual({ created_by: leaver, status: "adopted" });
    // A rebuild from the items gives the same: the points are the items', not the account's.
    await rebuildAllRollups(county.dbs.db);
    expect(await stats()).toEqual(before);

    const unitA = (await bodyOf(await load("reviewer"))).shown.view.kinds[0].units[0];
    expect(unitA.correspondents.map((p: any) => p.name)).not.toContain("陈思远");
    expect(unitA.inactive).toEqual([expect.objectContaining({ name: "陈思远", role: "correspondent", deactivatedOn: shanghaiDate(new Date()) })]);
    const rows = await sheetRows(await download("reviewer"));
    expect(rows.filter((row) => row[5] === "陈思远")).toEqual([
      ["A01", "城关镇中心学校", "乡镇中心校", "城关镇", "信息员", "陈思远", "13912345678", `${YEAR}-03-01`, `已停用（${shanghaiDate(new Date())}）`],
    ]);
    // The lead cannot edit someone who has left.
    const edit = await post({ account_id: String(leaver), phone: "13900000000", registered_on: `${YEAR}-03-01` });
    expect(edit.status).toBe(409);
  });
});
