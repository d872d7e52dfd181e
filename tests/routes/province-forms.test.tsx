// Forms and confirmations at province scale. An account's unit is typed (an exact code or whole
// name) instead of picked from a drop-down of every unit; a refusal shows what was typed and
// writes nothing. A month's close confirmation gives the totals and links to the month's league
// instead of listing every unit.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as newAccount from "~/routes/admin.accounts.new";
import * as editAccount from "~/routes/admin.accounts.$id";
import * as closePage from "~/routes/months.$month_.close";
import { rebuildAllRollups } from "~/models/rollup.server";
import { bodyOf, call, type County } from "../support/app";
import { EXTRA_UNITS, setupProvince } from "../support/province";
import { renderPage } from "../support/render-page";

let county: County;
let ids: Record<string, number>;

beforeAll(async () => {
  ({ county, ids } = await setupProvince());
  // The items were written straight into the table: the month's figures are counted from them.
  await rebuildAllRollups(county.dbs.db);
});
afterAll(async () => county.dbs.dispose());

const text = (html: string) => html.replace(/<!-- -->/g, "");
const accountsNamed = (username: string) =>
  county.dbs.db.selectFrom("accounts").select(["unit_id", "role"]).where("username", "=", username).execute();

describe("a new account's unit at province scale", () => {
  const post = (body: Record<string, string>) =>
    call(newAccount.action, county, {
      url: "/admin/accounts/new", user: "admin",
      body: { unit_by: "text", display_name: "赵老师", phone: "", role: "correspondent", password: "Liuhe#2026x", ...body },
    });

  it("is a text box, not a drop-down of every unit, and a unit's page fills it in", async () => {
    const res = await call(newAccount.loader, county, { url: "/admin/accounts/new", user: "admin" });
    const page = await bodyOf(res);
    expect(page.units).toBeNull();
    expect(page.presetUnit).toBe("");
    const html = await renderPage(newAccount.default, page);
    expect(html).toContain('name="unit_by" value="text"');
    expect(html.match(/<input[^>]*name="unit_id"[^>]*>/)?.[0]).toContain('type="text"');
    expect(html).not.toMatch(/<select[^>]*name="unit_id"/);
    expect(html.length).toBeLessThan(30_000);
    const preset = await bodyOf(await call(newAccount.loader, county, { url: `/admin/accounts/new?unit_id=${ids.P0042}`, user: "admin" }));
    expect(preset.presetUnit).toBe("P0042 第42号学校");
    expect(text(await renderPage(newAccount.default, preset))).toContain('value="P0042 第42号学校"');
  });

  it("takes a code in any case, or what the box shows for a unit, and writes the account to that unit", async () => {
    expect((await post({ username: "p42-c1", unit_id: "p0042" })).status).toBe(302);
    expect(await accountsNamed("p42-c1")).toEqual([{ unit_id: ids.P0042, role: "correspondent" }]);
    expect((await post({ username: "p43-c1", unit_id: "P0043 第43号学校" })).status).toBe(302);
    expect(await accountsNamed("p43-c1")).toEqual([{ unit_id: ids.P0043, role: "correspondent" }]);
    // A reviewer has no unit: the box is left empty.
    expect((await post({ username: "rev-2", role: "reviewer", unit_id: "" })).status).toBe(302);
    expect(await accountsNamed("rev-2")).toEqual([{ unit_id: null, role: "reviewer" }]);
  });

  it("refuses part of a name, several units or a bare id, showing what was typed and never the password, and writes nothing", async () => {
    const cases: Array<[string, string]> = [
      ["第4", "请输入完整的单位代码"],
      ["第42号", "是否要找“P0042 第42号学校”"],
      [String(ids.P0042), "的单位"],
    ];
    for (const [typed, message] of cases) {
      const res = await post({ username: "p-none", unit_id: typed });
      expect(res.status).toBe(400);
      const body = await bodyOf(res);
      expect(body.fieldErrors.unit_id).toContain(message);
      expect(body.values.unit_id).toBe(typed);
      expect(body.values.password).toBeUndefined();
    }
    // A refusal after the unit was read (here the phone) shows the typed text too, not the unit's id.
    const badPhone = await post({ username: "p-none", unit_id: "P0044", phone: "12" });
    expect(badPhone.status).toBe(400);
    const body = await bodyOf(badPhone);
    expect(Object.keys(body.fieldErrors)).toEqual(["phone"]);
    expect(body.values.unit_id).toBe("P0044");
    expect(body.values.password).toBeUndefined();
    expect(await accountsNamed("p-none")).toEqual([]);
  });
});

describe("an account's unit changed at province scale", () => {
  const load = async () => {
    const res = await call(editAccount.loader, county, { url: `/admin/accounts/${county.ids.leadA}`, user: "admin", params: { id: String(county.ids.leadA) } });
    expect(res.status).toBe(200);
    return bodyOf(res);
  };
  const save = (unit: string) =>
    call(editAccount.action, county, {
      url: `/admin/accounts/${county.ids.leadA}`, user: "admin", params: { id: String(county.ids.leadA) },
      body: { intent: "save", unit_by: "text", display_name: "王校长", phone: "", role: "school_lead", unit_id: unit },
    });
  const unitOf = async () =>
    (await county.dbs.db.selectFrom("accounts").select("unit_id").where("id", "=", county.ids.leadA).executeTakeFirstOrThrow()).unit_id;

  it("shows the account's unit by code and name in a text box", async () => {
    const page = await load();
    expect(page.units).toBeNull();
    expect(page.unitValue).toBe("A01 城关镇中心学校");
    const html = text(await renderPage(editAccount.default, page));
    expect(html).toMatch(/<input[^>]*name="unit_id"[^>]*value="A01 城关镇中心学校"/);
    expect(html).not.toMatch(/<select[^>]*name="unit_id"/);
    expect(html.length).toBeLessThan(40_000);
  });

  it("saves the form as shown unchanged, moves the account to a typed code, and refuses an unknown one", async () => {
    expect((await save("A01 城关镇中心学校")).status).toBe(302);
    expect(await unitOf()).toBe(county.units.A);
    const unknown = await save("Q9999");
    expect(unknown.status).toBe(400);
    const body = await bodyOf(unknown);
    expect(body).toMatchObject({ intent: "save", fieldErrors: { unit_id: "没有名称或代码含“Q9999”的单位" }, values: { unit_id: "Q9999" } });
    expect(await unitOf()).toBe(county.units.A);
    expect((await save("p0300")).status).toBe(302);
    expect(await unitOf()).toBe(ids.P0300);
    expect((await save("A01")).status).toBe(302);
    expect(await unitOf()).toBe(county.units.A);
  });
});

describe("a month's close confirmation at province scale", () => {
  it("gives the totals and links to the month's league instead of a row per unit", async () => {
    const res = await call(closePage.loader, county, { url: "/months/2026-10/close", user: "reviewer", params: { month: "2026-10" } });
    expect(res.status).toBe(200);
    const { preview } = await bodyOf(res);
    expect(preview.state).toBe("open");
    expect(preview.units).toBeNull();
    expect(preview.totals).toMatchObject({ units: EXTRA_UNITS + 2, adopted: EXTRA_UNITS });
    const html = text(await renderPage(closePage.default, { preview }));
    expect(html).toContain(`各单位明细（${EXTRA_UNITS + 2} 个）见`);
    expect(html).toContain('href="/rankings/2026-10"');
    expect(html).not.toContain("<table");
    expect(html).toMatch(/<button[^>]*type="submit"[^>]*>确认结算2026年10月/);
    expect(html.length).toBeLessThan(30_000);
  });
});
