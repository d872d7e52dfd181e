import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findSessionUser, login } from "~/models/auth.server";
import { verifyPassword } from "~/models/password.server";
import * as accountsIndex from "~/routes/admin.accounts._index";
import * as accountEdit from "~/routes/admin.accounts.$id";
import * as accountNew from "~/routes/admin.accounts.new";
import { bodyOf, call, expectFieldErrors, expectPageOnlyFor, PASSWORD, setupCounty, type County, type UserKey } from "../support/app";

let county: County;
beforeAll(async () => {
  county = await setupCounty();
  // Sign everyone in up front, so login audit rows do not disturb the before/after counts.
  for (const user of ["admin", "reviewer", "leadA", "correspondentA"] as const) await county.cookieFor(user);
});
afterAll(async () => county.dbs.dispose());

const NEW_PASSWORD = "Chushi@2024";

const count = async (table: "accounts" | "audit_events") =>
  Number((await county.dbs.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n);
const accountByName = (username: string) =>
  county.dbs.db.selectFrom("accounts").selectAll().where("username", "=", username).executeTakeFirst();
const sessionsOf = async (accountId: number) =>
  (await county.dbs.db.selectFrom("sessions").select("id_hash").where("account_id", "=", accountId).execute()).length;
const auditsOf = (action: string, entityId: number) =>
  county.dbs.db.selectFrom("audit_events").selectAll().where("action", "=", action).where("entity_id", "=", String(entityId)).execute();

let ipCounter = 0;
const signIn = (username: string, password: string) =>
  login(county.dbs.db, { username, password, ip: `10.1.0.${++ipCounter}`, userAgent: "test" });

async function createAccount(values: Record<string, string>) {
  const res = await call(accountNew.action, county, { url: "/admin/accounts/new", user: "admin", body: values });
  if (res.status !== 302) throw new Error(`create failed: ${res.status} ${JSON.stringify(await bodyOf(res))}`);
  return Number(res.headers.get("Location")!.split("/").pop());
}

const edit = (id: number, body: Record<string, string>, user: UserKey = "admin") =>
  call(accountEdit.action, county, { url: `/admin/accounts/${id}`, user, params: { id: String(id) }, body: { intent: "save", ...body } });

describe("access", () => {
  const cases = [
    ["list", accountsIndex.loader, "/admin/accounts", {}],
    ["new form", accountNew.loader, "/admin/accounts/new", {}],
    ["edit form", accountEdit.loader, "/admin/accounts/1", { id: "1" }],
  ] as const;
  for (const [name, loader, url, params] of cases) {
    it(`${name}: 200 for admin, 403 for reviewer and correspondent, login for anonymous`, () =>
      expectPageOnlyFor(loader, county, { url, params, allowed: "admin", refused: ["reviewer", "correspondentA"] }));
  }

  it("refuses create, edit, deactivate and reset to non-admins, writing nothing", async () => {
    const before = [await count("accounts"), await count("audit_events")];
    const target = county.ids.correspondentB;
    const hash = (await accountByName("b-c1"))!.password_hash;
    for (const user of ["reviewer", "leadA", "correspondentA"] as const) {
      const create = await call(accountNew.action, county, {
        url: "/admin/accounts/new", user,
        body: { username: "sneaky", display_name: "某人", role: "admin", unit_id: "", password: NEW_PASSWORD },
      });
      expect(create.status).toBe(403);
      expect((await edit(target, { display_name: "改名", role: "admin", unit_id: "" }, user)).status).toBe(403);
      expect((await edit(target, { intent: "deactivate" }, user)).status).toBe(403);
      expect((await edit(target, { intent: "reset_password", password: NEW_PASSWORD }, user)).status).toBe(403);
    }
    expect([await count("accounts"), await count("audit_events")]).toEqual(before);
    expect(await accountByName("b-c1")).toMatchObject({ role: "correspondent", active: 1, password_hash: hash });
  });
});

describe("GET /admin/accounts", () => {
  const usernames = (body: { list: { rows: Array<{ username: string }> } }) => body.list.rows.map((r) => r.username).sort();

  it("filters by role, unit, status and search text from the URL", async () => {
    const all = await bodyOf(await call(accountsIndex.loader, county, { url: "/admin/accounts", user: "admin" }));
    expect(all.list.total).toBeGreaterThanOrEqual(5);
    expect(all.list.rows.some((r: { password_hash?: string }) => "password_hash" in r)).toBe(false);
    const byRole = await bodyOf(await call(accountsIndex.loader, county, { url: "/admin/accounts?role=school_lead", user: "admin" }));
    expect(usernames(byRole)).toEqual(["a-lead"]);
    const byUnit = await bodyOf(await call(accountsIndex.loader, county, { url: `/admin/accounts?unit=${county.units.A}`, user: "admin" }));
    expect(usernames(byUnit)).toEqual(["a-c1", "a-lead"]);
    expect(byUnit.filters.unit).toBe(String(county.units.A));
    const byName = await bodyOf(await call(accountsIndex.loader, county, { url: `/admin/accounts?q=${encodeURIComponent("张晓梅")}`, user: "admin" }));
    expect(usernames(byName)).toEqual(["a-c1"]);
    const byUsername = await bodyOf(await call(accountsIndex.loader, county, { url: "/admin/accounts?q=REVIEW", user: "admin" }));
    expect(usernames(byUsername)).toEqual(["reviewer"]);
    const inactive = await bodyOf(await call(accountsIndex.loader, county, { url: "/admin/accounts?status=inactive&q=a-", user: "admin" }));
    expect(usernames(inactive)).toEqual([]);
    // Nonsense filters are ignored rather than failing.
    const junk = await bodyOf(await call(accountsIndex.loader, county, { url: "/admin/accounts?role=boss&unit=x&status=zz&page=-3", user: "admin" }));
    expect(junk.filters).toEqual({ role: "", unit: "", status: "", q: "" });
    expect(junk.page).toBe(1);
  });
});

describe("POST /admin/accounts/new", () => {
  it("creates a correspondent with a lower-case username, a hashed temporary password and one audit row", async () => {
    const res = await call(accountNew.action, county, {
      url: "/admin/accounts/new", user: "admin", ip: "10.7.7.7",
      body: { username: " LiuYang ", display_name: "刘洋", phone: "139 1234 5678", role: "correspondent", unit_id: String(county.units.B), password: NEW_PASSWORD },
    });
    expect(res.status).toBe(302);
    const account = (await accountByName("liuyang"))!;
    expect(res.headers.get("Location")).toBe(`/admin/accounts/${account.id}`);
    expect(account).toMatchObject({
      display_name: "刘洋", phone: "13912345678", role: "correspondent", unit_id: county.units.B, active: 1, must_change_password: 1,
    });
    expect(account.password_hash).not.toContain(NEW_PASSWORD);
    expect(await verifyPassword(NEW_PASSWORD, account.password_hash)).toBe(true);
    const audits = await auditsOf("account_created", account.id);
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({ actor_id: county.ids.admin, ip: "10.7.7.7" });
    expect(audits[0].detail_json).not.toContain(NEW_PASSWORD);
  });

  it("answers bad input with 400 per field, keeps the typed values but not the password, writes nothing", async () => {
    const before = [await count("accounts"), await count("audit_events")];
    const res = await call(accountNew.action, county, {
      url: "/admin/accounts/new", user: "admin",
      body: { username: "ab", display_name: "", phone: "12345", role: "correspondent", unit_id: "", password: "abcdefghijk" },
    });
    const body = await expectFieldErrors(res, {
      username: "用户名应为 3-32 个字符",
      display_name: "请填写姓名",
      phone: "手机号应为 11 位手机号码，或留空",
      unit_id: "信息员必须选择所属单位",
      password: "密码需包含字母、数字、符号中的至少两类",
    });
    expect(body.values).toMatchObject({ username: "ab", phone: "12345", role: "correspondent" });
    expect(body.values.password).toBeUndefined();
    expect([await count("accounts"), await count("audit_events")]).toEqual(before);
  });

  it("refuses a username that exists in another case", async () => {
    const before = await count("accounts");
    const res = await call(accountNew.action, county, {
      url: "/admin/accounts/new", user: "admin",
      body: { username: "REVIEWER", display_name: "冒名", role: "reviewer", unit_id: "", password: NEW_PASSWORD },
    });
    await expectFieldErrors(res, { username: "用户名已存在" });
    expect(await count("accounts")).toBe(before);
  });

  it("refuses a unit for a reviewer, and a deactivated unit for a correspondent", async () => {
    const before = await count("accounts");
    const reviewer = await call(accountNew.action, county, {
      url: "/admin/accounts/new", user: "admin",
      body: { username: "zhao2", display_name: "赵二", role: "reviewer", unit_id: String(county.units.A), password: NEW_PASSWORD },
    });
    await expectFieldErrors(reviewer, { unit_id: "审核员不属于任何单位，单位请选择“无”" });

    const now = new Date().toISOString();
    const { id: closed } = await county.dbs.db
      .insertInto("units")
      .values({ code: "X01", name: "已撤并学校", kind_code: "district_school", active: 0, created_at: now, updated_at: now })
      .returning("id")
      .executeTakeFirstOrThrow();
    const intoClosed = await call(accountNew.action, county, {
      url: "/admin/accounts/new", user: "admin",
      body: { username: "x01-c1", display_name: "某人", role: "correspondent", unit_id: String(closed), password: NEW_PASSWORD },
    });
    await expectFieldErrors(intoClosed, { unit_id: "该单位已停用，不能再添加或调入账号" });
    const missing = await call(accountNew.action, county, {
      url: "/admin/accounts/new", user: "admin",
      body: { username: "x02-c1", display_name: "某人", role: "correspondent", unit_id: "99999", password: NEW_PASSWORD },
    });
    expect((await bodyOf(missing)).fieldErrors).toEqual({ unit_id: "所选单位不存在" });
    expect(await count("accounts")).toBe(before);
  });
});

describe("/admin/accounts/:id", () => {
  it("shows the account without its password hash, and 404s a missing one", async () => {
    const id = String(county.ids.correspondentA);
    const body = await bodyOf(await call(accountEdit.loader, county, { url: `/admin/accounts/${id}`, user: "admin", params: { id } }));
    expect(body.account).toMatchObject({ username: "a-c1", unit_code: "A01", role: "correspondent" });
    expect(body.account.password_hash).toBeUndefined();
    expect(body.self).toBe(false);
    expect((await call(accountEdit.loader, county, { url: "/admin/accounts/9999", user: "admin", params: { id: "9999" } })).status).toBe(404);
    expect((await edit(9999, { display_name: "某", role: "admin", unit_id: "" })).status).toBe(404);
    expect((await edit(9999, { intent: "deactivate" })).status).toBe(404);
    expect((await edit(9999, { intent: "reset_password", password: NEW_PASSWORD })).status).toBe(404);
  });

  it("edits name, phone, role and unit with one audit row", async () => {
    const id = await createAccount({ username: "sun01", display_name: "孙", role: "correspondent", unit_id: String(county.units.A), password: NEW_PASSWORD });
    const res = await edit(id, { intent: "save", display_name: "孙老师", phone: "13700000001", role: "school_lead", unit_id: String(county.units.B) });
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe(`/admin/accounts/${id}`);
    expect(await accountByName("sun01")).toMatchObject({ display_name: "孙老师", phone: "13700000001", role: "school_lead", unit_id: county.units.B });
    const audits = await auditsOf("account_updated", id);
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({ from_state: "correspondent", to_state: "school_lead" });
    expect(JSON.parse(audits[0].detail_json).changes.unit_id).toEqual([county.units.A, county.units.B]);

    // Becoming a reviewer means leaving the unit.
    const keepUnit = await edit(id, { display_name: "孙老师", role: "reviewer", unit_id: String(county.units.B) });
    expect(keepUnit.status).toBe(400);
    expect((await bodyOf(keepUnit)).values).toMatchObject({ role: "reviewer", unit_id: String(county.units.B) });
    expect((await edit(id, { display_name: "孙老师", role: "reviewer", unit_id: "" })).status).toBe(302);
    expect(await accountByName("sun01")).toMatchObject({ role: "reviewer", unit_id: null });
  });

  it("does not let an admin demote or deactivate themselves", async () => {
    const before = await count("audit_events");
    const demote = await edit(county.ids.admin, { display_name: "系统管理员", role: "reviewer", unit_id: "" });
    await expectFieldErrors(demote, { role: "不能修改自己的角色；如需调整，请由其他管理员操作" });
    const stop = await edit(county.ids.admin, { intent: "deactivate" });
    expect(stop.status).toBe(409);
    expect((await bodyOf(stop)).formError).toBe("不能停用自己的账号；如需停用，请由其他管理员操作");
    const reset = await edit(county.ids.admin, { intent: "reset_password", password: NEW_PASSWORD });
    expect(reset.status).toBe(409);
    expect(await accountByName("admin")).toMatchObject({ role: "admin", active: 1, must_change_password: 0 });
    expect(await sessionsOf(county.ids.admin)).toBeGreaterThan(0);
    expect(await count("audit_events")).toBe(before);
    // Their own name can still be changed.
    expect((await edit(county.ids.admin, { display_name: "县局管理员", role: "admin", unit_id: "" })).status).toBe(302);
    expect((await accountByName("admin"))?.display_name).toBe("县局管理员");
  });

  it("deactivates: ends sessions, blocks login, keeps items; reactivates", async () => {
    const id = await createAccount({ username: "zhou01", display_name: "周", role: "correspondent", unit_id: String(county.units.A), password: NEW_PASSWORD });
    const session = await signIn("zhou01", NEW_PASSWORD);
    expect(session.ok).toBe(true);
    expect(await sessionsOf(id)).toBe(1);
    const now = new Date().toISOString();
    const category = await county.dbs.db.selectFrom("categories").select("id").executeTakeFirstOrThrow();
    const { id: itemId } = await county.dbs.db
      .insertInto("items")
      .values({
        unit_id: county.units.A, title: "周老师的稿件", body: "正文", category_id: category.id, event_date: "2026-01-05",
        status: "draft", created_by: id, created_at: now, updated_at: now,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await county.dbs.db.insertInto("item_bylines").values({ item_id: itemId, account_id: id }).execute();

    const res = await edit(id, { intent: "deactivate" });
    expect(res.status).toBe(302);
    const row = (await accountByName("zhou01"))!;
    expect(row.active).toBe(0);
    expect(row.deactivated_at).not.toBeNull();
    expect(await sessionsOf(id)).toBe(0);
    if (session.ok) expect(await findSessionUser(county.dbs.db, session.sessionId)).toBeNull();
    expect(await signIn("zhou01", NEW_PASSWORD)).toMatchObject({ ok: false, status: 401, message: "该账号已停用，请联系管理员。" });
    expect(await county.dbs.db.selectFrom("items").select("created_by").where("id", "=", itemId).executeTakeFirst()).toEqual({ created_by: id });
    expect(await county.dbs.db.selectFrom("item_bylines").selectAll().where("account_id", "=", id).execute()).toHaveLength(1);
    expect(await auditsOf("account_deactivated", id)).toHaveLength(1);

    const back = await edit(id, { intent: "reactivate" });
    expect(back.status).toBe(302);
    expect(await accountByName("zhou01")).toMatchObject({ active: 1, deactivated_at: null });
    expect(await auditsOf("account_reactivated", id)).toHaveLength(1);
    expect((await signIn("zhou01", NEW_PASSWORD)).ok).toBe(true);
  });

  it("will not reactivate an account whose unit is stopped", async () => {
    const now = new Date().toISOString();
    const { id: unitId } = await county.dbs.db
      .insertInto("units")
      .values({ code: "Y01", name: "将撤并学校", kind_code: "district_school", created_at: now, updated_at: now })
      .returning("id")
      .executeTakeFirstOrThrow();
    const id = await createAccount({ username: "y01-c1", display_name: "吴", role: "correspondent", unit_id: String(unitId), password: NEW_PASSWORD });
    expect((await edit(id, { intent: "deactivate" })).status).toBe(302);
    await county.dbs.db.updateTable("units").set({ active: 0 }).where("id", "=", unitId).execute();
    const res = await edit(id, { intent: "reactivate" });
    expect(res.status).toBe(409);
    expect((await accountByName("y01-c1"))?.active).toBe(0);
  });

  it("resets a password: checks the policy, forces a change, ends every session", async () => {
    const id = county.ids.correspondentA;
    const other = await signIn("a-c1", PASSWORD);
    expect(other.ok).toBe(true);
    expect(await sessionsOf(id)).toBeGreaterThanOrEqual(2);
    const hashBefore = (await accountByName("a-c1"))!.password_hash;

    const weak = await edit(id, { intent: "reset_password", password: "a-c1-Password" });
    await expectFieldErrors(weak, { password: "密码不能包含用户名" });
    const empty = await edit(id, { intent: "reset_password", password: "" });
    expect((await bodyOf(empty)).fieldErrors).toEqual({ password: "请填写新的临时密码" });
    expect((await accountByName("a-c1"))!.password_hash).toBe(hashBefore);
    expect(await sessionsOf(id)).toBeGreaterThanOrEqual(2);

    const res = await edit(id, { intent: "reset_password", password: "Linshi#8899" });
    expect(res.status).toBe(302);
    const row = (await accountByName("a-c1"))!;
    expect(row.must_change_password).toBe(1);
    expect(await verifyPassword("Linshi#8899", row.password_hash)).toBe(true);
    expect(await sessionsOf(id)).toBe(0);
    expect(await auditsOf("password_reset", id)).toHaveLength(1);
    expect(await signIn("a-c1", PASSWORD)).toMatchObject({ ok: false, status: 401 });
    const fresh = await signIn("a-c1", "Linshi#8899");
    expect(fresh.ok && fresh.user.mustChangePassword).toBe(true);
  });

  it("answers an unknown intent with 400 in Chinese", async () => {
    const before = await count("audit_events");
    const res = await edit(county.ids.reviewer, { intent: "promote" });
    expect(res.status).toBe(400);
    expect((await bodyOf(res)).formError).toBe("未知的操作，请刷新页面后重试。");
    expect(await count("audit_events")).toBe(before);
  });
});

describe("two tabs on one account's edit form", () => {
  it("refuses the stale tab's save (409), keeping what was saved since: another admin's edit, or the person's own new phone number", async () => {
    const id = await createAccount({ username: "tabs01", display_name: "周", role: "correspondent", unit_id: String(county.units.A), password: NEW_PASSWORD });
    const open = async () => (await bodyOf(await call(accountEdit.loader, county, { url: `/admin/accounts/${id}`, user: "admin", params: { id: String(id) } }))).seen as string;
    const fields = { intent: "save", display_name: "周", phone: "", role: "correspondent", unit_id: String(county.units.A) };
    const tabA = await open();
    expect((await edit(id, { ...fields, role: "school_lead", seen: await open() })).status).toBe(302);

    const before = [await count("audit_events"), await accountByName("tabs01")];
    const stale = await edit(id, { ...fields, display_name: "周老师", seen: tabA });
    expect(stale.status).toBe(409);
    expect((await bodyOf(stale)).formError).toBe("该账号的信息在您打开页面之后已被修改（他人或您在另一个窗口保存过），这次没有保存；请刷新页面后再改。");
    expect([await count("audit_events"), await accountByName("tabs01")]).toEqual(before);
    expect(before[1]).toMatchObject({ role: "school_lead", display_name: "周" });

    // A phone number changed elsewhere (the register) is a change too.
    const tabC = await open();
    await county.dbs.db.updateTable("accounts").set({ phone: "13800000009" }).where("id", "=", id).execute();
    expect((await edit(id, { ...fields, role: "school_lead", display_name: "周老师", seen: tabC })).status).toBe(409);
    expect((await edit(id, { ...fields, role: "school_lead", display_name: "周老师", phone: "13800000009", seen: await open() })).status).toBe(302);
    expect(await accountByName("tabs01")).toMatchObject({ display_name: "周老师", phone: "13800000009", role: "school_lead" });
  });
});
