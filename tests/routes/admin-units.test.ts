import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readFlash } from "~/lib/flash.server";
import { isUniqueViolation } from "~/models/units.server";
import * as unitsIndex from "~/routes/admin.units._index";
import * as unitEdit from "~/routes/admin.units.$id";
import * as unitNew from "~/routes/admin.units.new";
import { bodyOf, call, expectFieldErrors, expectPageOnlyFor, setupCounty, type County } from "../support/app";

let county: County;
beforeAll(async () => {
  county = await setupCounty();
  // Sign everyone in up front, so login audit rows do not disturb the before/after counts.
  for (const user of ["admin", "reviewer", "leadA", "correspondentA"] as const) await county.cookieFor(user);
});
afterAll(async () => county.dbs.dispose());

const count = async (table: "units" | "audit_events" | "accounts") =>
  Number((await county.dbs.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n);

const unitByCode = (code: string) => county.dbs.db.selectFrom("units").selectAll().where("code", "=", code).executeTakeFirst();

const auditsOf = (action: string, entityId: number) =>
  county.dbs.db.selectFrom("audit_events").selectAll().where("action", "=", action).where("entity_id", "=", String(entityId)).execute();

async function flashOf(response: Response) {
  const cookie = (response.headers.get("Set-Cookie") ?? "").split(";")[0];
  return readFlash(new Request("http://localhost/", { headers: { Cookie: cookie } }));
}

const goodUnit = { code: "k-07", name: "县第七幼儿园", township: "", kind: "kindergarten", signoff_required: "1" };

describe("access", () => {
  const cases = [
    ["list", unitsIndex.loader, "/admin/units", {}],
    ["new form", unitNew.loader, "/admin/units/new", {}],
    ["edit form", unitEdit.loader, "/admin/units/1", { id: "1" }],
  ] as const;
  for (const [name, loader, url, params] of cases) {
    it(`${name}: 200 for admin, 403 for reviewer and correspondent, login for anonymous`, () =>
      expectPageOnlyFor(loader, county, { url, params, allowed: "admin", refused: ["reviewer", "correspondentA"] }));
  }

  it("refuses creating, editing and deactivating to a reviewer and a school lead, writing nothing", async () => {
    const before = [await count("units"), await count("audit_events")];
    for (const user of ["reviewer", "leadA", "correspondentA"] as const) {
      expect((await call(unitNew.action, county, { url: "/admin/units/new", user, body: { ...goodUnit, code: "NOPE" } })).status).toBe(403);
      const id = String(county.units.A);
      const edit = await call(unitEdit.action, county, { url: `/admin/units/${id}`, user, params: { id }, body: { ...goodUnit, code: "A01" } });
      expect(edit.status).toBe(403);
      const stop = await call(unitEdit.action, county, { url: `/admin/units/${id}`, user, params: { id }, body: { intent: "deactivate" } });
      expect(stop.status).toBe(403);
    }
    expect([await count("units"), await count("audit_events")]).toEqual(before);
    expect((await unitByCode("A01"))?.active).toBe(1);
  });

  it("sends an anonymous POST to the login page", async () => {
    const res = await call(unitNew.action, county, { url: "/admin/units/new", body: goodUnit });
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toMatch(/^\/login\?redirectTo=/);
  });
});

describe("GET /admin/units", () => {
  it("lists units with their kind and active account count", async () => {
    const body = await bodyOf(await call(unitsIndex.loader, county, { url: "/admin/units", user: "admin" }));
    const a01 = body.list.rows.find((r: { code: string }) => r.code === "A01");
    expect(a01).toMatchObject({ name: "城关镇中心学校", kind_name: "乡镇中心校", active: 1, active_accounts: 2 });
    expect(body.kinds.map((k: { code: string }) => k.code)).toEqual(["township_central", "district_school", "kindergarten"]);
  });

  it("filters by kind and by search text from the URL", async () => {
    const byKind = await bodyOf(await call(unitsIndex.loader, county, { url: "/admin/units?kind=district_school", user: "admin" }));
    expect(byKind.list.rows.map((r: { code: string }) => r.code)).toEqual(["B01"]);
    expect(byKind.filters.kind).toBe("district_school");
    const byName = await bodyOf(await call(unitsIndex.loader, county, { url: "/admin/units?q=%E5%AE%9E%E9%AA%8C", user: "admin" }));
    expect(byName.list.rows.map((r: { code: string }) => r.code)).toEqual(["B01"]);
    const byCode = await bodyOf(await call(unitsIndex.loader, county, { url: "/admin/units?q=a0", user: "admin" }));
    expect(byCode.list.rows.map((r: { code: string }) => r.code)).toEqual(["A01"]);
    // A LIKE wildcard typed into the box is taken literally.
    const wildcard = await bodyOf(await call(unitsIndex.loader, county, { url: "/admin/units?q=%25", user: "admin" }));
    expect(wildcard.list.rows).toEqual([]);
  });

  it("paginates 20 to a page", async () => {
    const now = new Date().toISOString();
    await county.dbs.db
      .insertInto("units")
      .values(Array.from({ length: 21 }, (_, i) => ({
        code: `P${String(i).padStart(2, "0")}`, name: `分页测试园${i}`, kind_code: "kindergarten", created_at: now, updated_at: now,
      })))
      .execute();
    const first = await bodyOf(await call(unitsIndex.loader, county, { url: "/admin/units?kind=kindergarten&q=%E5%88%86%E9%A1%B5", user: "admin" }));
    expect(first.list.total).toBe(21);
    expect(first.list.pages).toBe(2);
    expect(first.list.rows).toHaveLength(20);
    const second = await bodyOf(await call(unitsIndex.loader, county, { url: "/admin/units?kind=kindergarten&q=%E5%88%86%E9%A1%B5&page=2", user: "admin" }));
    expect(second.list.rows.map((r: { code: string }) => r.code)).toEqual(["P20"]);
  });
});

describe("POST /admin/units/new", () => {
  it("creates the unit with an upper-case code, one audit row, and goes to its page", async () => {
    const res = await call(unitNew.action, county, { url: "/admin/units/new", user: "admin", body: goodUnit, ip: "10.9.9.9" });
    expect(res.status).toBe(302);
    const unit = await unitByCode("K-07");
    expect(unit).toMatchObject({ name: "县第七幼儿园", township: "", kind_code: "kindergarten", signoff_required: 1, active: 1 });
    expect(res.headers.get("Location")).toBe(`/admin/units/${unit!.id}`);
    expect((await flashOf(res))?.message).toBe("已新建单位 县第七幼儿园");
    const audits = await auditsOf("unit_created", unit!.id);
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({ actor_id: county.ids.admin, actor_name: "admin", entity_type: "unit", ip: "10.9.9.9" });
    expect(JSON.parse(audits[0].detail_json)).toMatchObject({ code: "K-07", kind: "kindergarten" });
  });

  it("answers bad input with 400, a Chinese message per field, the typed values, and writes nothing", async () => {
    const before = [await count("units"), await count("audit_events")];
    const res = await call(unitNew.action, county, {
      url: "/admin/units/new", user: "admin", body: { code: "城关 01", name: "", township: "城关镇", kind: "" },
    });
    const body = await expectFieldErrors(res, {
      code: "单位代码只能包含字母、数字和连字符（-）", name: "请填写单位名称", kind: "请选择单位类别",
    });
    expect(body.values).toMatchObject({ code: "城关 01", township: "城关镇" });
    expect([await count("units"), await count("audit_events")]).toEqual(before);
  });

  it("refuses an unknown kind", async () => {
    const before = await count("units");
    const res = await call(unitNew.action, county, { url: "/admin/units/new", user: "admin", body: { ...goodUnit, code: "Q1", kind: "university" } });
    await expectFieldErrors(res, { kind: "请选择有效的单位类别" });
    expect(await count("units")).toBe(before);
  });

  it("refuses a duplicate code, whatever its case, with 单位代码已存在", async () => {
    const before = [await count("units"), await count("audit_events")];
    const res = await call(unitNew.action, county, { url: "/admin/units/new", user: "admin", body: { ...goodUnit, code: "a01" } });
    await expectFieldErrors(res, { code: "单位代码已存在" });
    expect([await count("units"), await count("audit_events")]).toEqual(before);
  });

  it("recognises SQLite's unique-index refusal on units.code (the race the pre-check cannot see)", async () => {
    const now = new Date().toISOString();
    const error = await county.dbs.db
      .insertInto("units")
      .values({ code: "A01", name: "重复", kind_code: "kindergarten", created_at: now, updated_at: now })
      .execute()
      .catch((e: unknown) => e);
    expect(isUniqueViolation(error, "units.code")).toBe(true);
    expect(isUniqueViolation(error, "accounts.username")).toBe(false);
    expect(isUniqueViolation(new Error("boom"), "units.code")).toBe(false);
  });
});

describe("/admin/units/:id", () => {
  it("shows the unit and its accounts", async () => {
    const id = String(county.units.A);
    const body = await bodyOf(await call(unitEdit.loader, county, { url: `/admin/units/${id}`, user: "admin", params: { id } }));
    expect(body.unit).toMatchObject({ code: "A01", kind_name: "乡镇中心校" });
    expect(body.unit.accounts.map((a: { username: string }) => a.username).sort()).toEqual(["a-c1", "a-lead"]);
  });

  it("answers 404 for a missing or malformed id, in loader and action", async () => {
    expect((await call(unitEdit.loader, county, { url: "/admin/units/99999", user: "admin", params: { id: "99999" } })).status).toBe(404);
    expect((await call(unitEdit.loader, county, { url: "/admin/units/abc", user: "admin", params: { id: "abc" } })).status).toBe(404);
    const save = await call(unitEdit.action, county, { url: "/admin/units/99999", user: "admin", params: { id: "99999" }, body: { intent: "save", ...goodUnit, code: "ZZ9" } });
    expect(save.status).toBe(404);
    const stop = await call(unitEdit.action, county, { url: "/admin/units/99999", user: "admin", params: { id: "99999" }, body: { intent: "deactivate" } });
    expect(stop.status).toBe(404);
  });

  it("saves edits with one unit_updated audit row naming the changes", async () => {
    const unit = (await unitByCode("K-07"))!;
    const id = String(unit.id);
    const res = await call(unitEdit.action, county, {
      url: `/admin/units/${id}`, user: "admin", params: { id },
      body: { intent: "save", code: "K-07", name: "县第七幼儿园（新园区）", township: "城南镇", kind: "kindergarten" },
    });
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe(`/admin/units/${id}`);
    expect(await unitByCode("K-07")).toMatchObject({ name: "县第七幼儿园（新园区）", township: "城南镇", signoff_required: 0 });
    const audits = await auditsOf("unit_updated", unit.id);
    expect(audits).toHaveLength(1);
    expect(JSON.parse(audits[0].detail_json).changes).toEqual({
      name: ["县第七幼儿园", "县第七幼儿园（新园区）"], township: ["", "城南镇"], signoff_required: [1, 0],
    });
  });

  it("refuses to take another unit's code", async () => {
    const id = String(county.units.B);
    const res = await call(unitEdit.action, county, {
      url: `/admin/units/${id}`, user: "admin", params: { id }, body: { intent: "save", code: "A01", name: "县实验小学", kind: "district_school" },
    });
    await expectFieldErrors(res, { code: "单位代码已存在" });
    expect((await unitByCode("B01"))?.id).toBe(county.units.B);
  });

  it("keeps the typed values on a bad edit and writes nothing", async () => {
    const id = String(county.units.B);
    const before = await count("audit_events");
    const res = await call(unitEdit.action, county, {
      url: `/admin/units/${id}`, user: "admin", params: { id }, body: { intent: "save", code: "B01", name: " ", township: "x".repeat(51), kind: "district_school" },
    });
    const body = await expectFieldErrors(res, { name: "请填写单位名称", township: "所属乡镇不能超过 50 个字" });
    expect(body.values.township).toBe("x".repeat(51));
    expect((await unitByCode("B01"))?.name).toBe("县实验小学");
    expect(await count("audit_events")).toBe(before);
  });

  it("deactivates without deleting anything, and reactivates", async () => {
    const now = new Date().toISOString();
    const { id: unitId } = await county.dbs.db
      .insertInto("units")
      .values({ code: "S01", name: "撤并小学", kind_code: "district_school", created_at: now, updated_at: now })
      .returning("id")
      .executeTakeFirstOrThrow();
    await county.dbs.db
      .insertInto("accounts")
      .values({ username: "s01-c1", display_name: "撤并信息员", role: "correspondent", unit_id: unitId, password_hash: "x", created_at: now, updated_at: now })
      .execute();
    const id = String(unitId);
    const before = [await count("units"), await count("accounts")];

    const stop = await call(unitEdit.action, county, { url: `/admin/units/${id}`, user: "admin", params: { id }, body: { intent: "deactivate" } });
    expect(stop.status).toBe(302);
    expect((await flashOf(stop))?.message).toBe("单位已停用：其账号和稿件均保留");
    expect((await unitByCode("S01"))?.active).toBe(0);
    expect([await count("units"), await count("accounts")]).toEqual(before);
    expect(await auditsOf("unit_deactivated", unitId)).toHaveLength(1);
    const inactive = await bodyOf(await call(unitsIndex.loader, county, { url: "/admin/units?status=inactive", user: "admin" }));
    expect(inactive.list.rows.map((r: { code: string }) => r.code)).toEqual(["S01"]);
    const active = await bodyOf(await call(unitsIndex.loader, county, { url: "/admin/units?status=active&q=S01", user: "admin" }));
    expect(active.list.rows).toEqual([]);

    // Doing it twice changes nothing and records nothing.
    await call(unitEdit.action, county, { url: `/admin/units/${id}`, user: "admin", params: { id }, body: { intent: "deactivate" } });
    expect(await auditsOf("unit_deactivated", unitId)).toHaveLength(1);

    const start = await call(unitEdit.action, county, { url: `/admin/units/${id}`, user: "admin", params: { id }, body: { intent: "reactivate" } });
    expect(start.status).toBe(302);
    expect((await unitByCode("S01"))?.active).toBe(1);
    expect(await auditsOf("unit_reactivated", unitId)).toHaveLength(1);
  });

  it("answers an unknown intent with 400 in Chinese and changes nothing", async () => {
    const id = String(county.units.A);
    const before = await count("audit_events");
    const res = await call(unitEdit.action, county, { url: `/admin/units/${id}`, user: "admin", params: { id }, body: { intent: "delete" } });
    expect(res.status).toBe(400);
    expect((await bodyOf(res)).formError).toBe("未知的操作，请刷新页面后重试。");
    expect(await unitByCode("A01")).toMatchObject({ active: 1 });
    expect(await count("audit_events")).toBe(before);
  });
});

describe("two tabs on one unit's edit form", () => {
  // The form posts every field: a tab drawn before another save put back all it still showed
  // (a unit's kind decides its league and its default quota).
  const open = async (id: string) => bodyOf(await call(unitEdit.loader, county, { url: `/admin/units/${id}`, user: "admin", params: { id } }));
  const save = (id: string, seen: string, fields: Record<string, string>) =>
    call(unitEdit.action, county, { url: `/admin/units/${id}`, user: "admin", params: { id }, body: { intent: "save", ...fields, seen } });

  it("refuses the stale tab's save (409), keeping what the other tab saved", async () => {
    const id = String(county.units.B);
    const tabA = await open(id);
    const tabB = await open(id);
    const shown = { code: tabA.unit.code, name: tabA.unit.name, township: tabA.unit.township, kind: tabA.unit.kind_code, signoff_required: tabA.unit.signoff_required ? "1" : "" };
    expect(tabA.seen).toBe(tabB.seen);
    expect((await save(id, tabB.seen, { ...shown, kind: "kindergarten" })).status).toBe(302);

    const before = [await count("audit_events"), await unitByCode(tabA.unit.code)];
    const stale = await save(id, tabA.seen, { ...shown, name: `${tabA.unit.name}（改）` });
    expect(stale.status).toBe(409);
    expect((await bodyOf(stale)).formError).toBe("该单位的信息在您打开页面之后已被修改（他人或您在另一个窗口保存过），这次没有保存；请刷新页面后再改。");
    expect([await count("audit_events"), await unitByCode(tabA.unit.code)]).toEqual(before);
    expect(before[1]).toMatchObject({ kind_code: "kindergarten", name: tabA.unit.name });

    // Drawn afresh, the same change is saved.
    const fresh = await open(id);
    expect(fresh.seen).not.toBe(tabA.seen);
    expect((await save(id, fresh.seen, { ...shown, kind: "kindergarten", name: `${tabA.unit.name}（改）` })).status).toBe(302);
    expect((await save(id, (await open(id)).seen, { ...shown })).status).toBe(302);
  });
});
