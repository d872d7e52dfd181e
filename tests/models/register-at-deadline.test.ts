// The register of a year whose deadline has passed: its list of incomplete units is judged by
// who was on the register at the end of the deadline day, and the units incomplete today stay
// listed beside it until fixed. The deadline itself is the one in force when it fell: a setting
// changed afterwards (for next year) leaves it as it was. Fixed "now"s in 2026.
import ExcelJS from "exceljs";
import { createElement } from "react";
import { renderToString } from "react-dom/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AllUnits } from "~/components/register-view";
import { registerShown } from "~/domain/register-pages";
import { shanghaiMidnight } from "~/domain/time";
import { registerWorkbook } from "~/lib/register-export.server";
import { hashPassword } from "~/models/password.server";
import { registerFor, unitRegisterProblems } from "~/models/register.server";
import { saveSettings } from "~/models/settings.server";
import { setupCounty, type County } from "../support/app";

const MAY = new Date("2026-05-01T04:00:00Z");
const JULY = new Date("2026-07-01T04:00:00Z");
const DECEMBER = new Date("2026-12-06T04:00:00Z");
/** A Shanghai wall-clock time as the instant stored. */
const at = (date: string, time = "09:00") =>
  new Date(Date.parse(shanghaiMidnight(date)) + (Number(time.slice(0, 2)) * 60 + Number(time.slice(3))) * 60_000).toISOString();

async function addUnit(county: County, code: string, name: string, createdOn: string) {
  const { id } = await county.dbs.db
    .insertInto("units")
    .values({ code, name, township: "柳河镇", kind_code: "township_central", created_at: at(createdOn), updated_at: at(createdOn) })
    .returning("id")
    .executeTakeFirstOrThrow();
  return id;
}

let hash = "";
async function addPerson(
  county: County, unitId: number, username: string, role: "school_lead" | "correspondent", registeredOn: string,
  deactivatedAt: string | null = null, createdOn = registeredOn,
) {
  hash ||= await hashPassword("Test@1234");
  await county.dbs.db
    .insertInto("accounts")
    .values({
      username, display_name: username, role, unit_id: unitId, password_hash: hash, phone: "13912345678",
      registered_on: registeredOn, created_at: at(createdOn), updated_at: at(createdOn),
      active: deactivatedAt ? 0 : 1, deactivated_at: deactivatedAt,
    })
    .execute();
}

const codes = (list: ReadonlyArray<{ code: string }>) => list.map((u) => u.code);
const entry = (list: ReadonlyArray<{ code: string; text: string }>, code: string) => list.find((u) => u.code === code)?.text;

describe("the incomplete units of a register whose deadline has passed", () => {
  let county: County;
  beforeAll(async () => {
    county = await setupCounty();
    const db = county.dbs.db;
    await db.updateTable("units").set({ created_at: at("2025-01-02") }).execute();
    await db.updateTable("accounts").set({ registered_on: "2025-03-01", created_at: at("2025-03-01") }).where("unit_id", "is not", null).execute();
    // 城关镇中心学校 (A01): its only correspondent registered on 20 April, after the deadline.
    await db.updateTable("accounts").set({ registered_on: "2026-04-20", created_at: at("2026-04-20") }).where("id", "=", county.ids.correspondentA).execute();
    // C01: complete at the deadline; its correspondent left in June and was not replaced.
    const c01 = await addUnit(county, "C01", "柳河镇中心学校", "2025-01-02");
    await addPerson(county, c01, "c01-lead", "school_lead", "2025-03-01");
    await addPerson(county, c01, "c01-c1", "correspondent", "2025-03-01", at("2026-06-15", "17:30"));
    // C02: its correspondent left on the deadline day itself; the successor came the day after.
    const c02 = await addUnit(county, "C02", "双河镇中心学校", "2025-01-02");
    await addPerson(county, c02, "c02-lead", "school_lead", "2025-03-01");
    await addPerson(county, c02, "c02-c1", "correspondent", "2025-03-01", at("2026-04-10", "15:00"));
    await addPerson(county, c02, "c02-c2", "correspondent", "2026-04-11");
    // C03: both registered on the deadline day: on time, complete.
    const c03 = await addUnit(county, "C03", "石桥镇中心学校", "2025-01-02");
    await addPerson(county, c03, "c03-lead", "school_lead", "2026-04-10");
    await addPerson(county, c03, "c03-c1", "correspondent", "2026-04-10");
    // C04: entered in June with a lead only: not judged at the deadline, incomplete today.
    const c04 = await addUnit(county, "C04", "新区实验学校", "2026-06-01");
    await addPerson(county, c04, "c04-lead", "school_lead", "2026-06-01");
    // C05: entered in June, but its lead has been on the register since January: judged.
    const c05 = await addUnit(county, "C05", "白沙镇中心学校", "2026-06-01");
    await addPerson(county, c05, "c05-lead", "school_lead", "2026-01-05");
    // C06: its people have had accounts since February 2025 and registered again in March 2026.
    const c06 = await addUnit(county, "C06", "东关镇中心学校", "2025-01-02");
    await addPerson(county, c06, "c06-lead", "school_lead", "2026-03-20", null, "2025-02-01");
    await addPerson(county, c06, "c06-c1", "correspondent", "2026-03-20", null, "2025-02-01");
  }, 60_000);
  afterAll(async () => county.dbs.dispose());

  it("lists a unit whose only correspondent registered after the deadline, as it stood at the deadline", async () => {
    const view = await registerFor(county.dbs.db, 2026, { unitId: null }, MAY);
    expect(view.deadline).toBe("2026-04-10");
    expect(view.deadlinePassed).toBe(true);
    expect(entry(view.incomplete, "A01")).toBe("缺少在岗信息员");
    expect(view.kinds[0].units.find((u) => u.code === "A01")!.correspondents.map((p) => [p.registeredOn, p.late])).toEqual([["2026-04-20", true]]);
    // Today it has one: not in today's list, and its dashboard is clear.
    expect(codes(view.incompleteToday)).not.toContain("A01");
    expect(await unitRegisterProblems(county.dbs.db, county.units.A)).toBeNull();
  });

  it("judges every unit by who was on the register at the end of the deadline day, and lists today's gaps beside it", async () => {
    const view = await registerFor(county.dbs.db, 2026, { unitId: null }, JULY);
    expect(view.incomplete.map((u) => [u.code, u.text])).toEqual([
      ["A01", "缺少在岗信息员"],
      ["C02", "缺少在岗信息员"],
      ["C05", "缺少在岗信息员"],
      ["B01", "缺少分管领导"],
    ]);
    expect(view.incompleteToday.map((u) => [u.code, u.text])).toEqual([
      ["C01", "缺少在岗信息员"],
      ["C04", "缺少在岗信息员"],
      ["C05", "缺少在岗信息员"],
      ["B01", "缺少分管领导"],
    ]);
    const unit = (code: string) => view.kinds.flatMap((k) => k.units).find((u) => u.code === code)!;
    expect([unit("C01").gapsAtDeadline, unit("C01").gaps]).toEqual([[], ["correspondent"]]);
    expect([unit("C02").gapsAtDeadline, unit("C02").gaps]).toEqual([["correspondent"], []]);
    expect([unit("C03").gapsAtDeadline, unit("C03").gaps]).toEqual([[], []]);
    expect([unit("C04").gapsAtDeadline, unit("C04").gaps]).toEqual([null, ["correspondent"]]);
    // The dashboard warning stays today's.
    expect((await unitRegisterProblems(county.dbs.db, county.units.B))?.text).toBe("缺少分管领导");
  });

  it("a lead's own register says what the unit lacked at the deadline", async () => {
    const view = await registerFor(county.dbs.db, 2026, { unitId: county.units.A }, JULY);
    expect(view.incomplete.map((u) => u.code)).toEqual(["A01"]);
    expect(view.incompleteToday).toEqual([]);
    expect(view.kinds[0].units[0].gapsAtDeadline).toEqual(["correspondent"]);
  });

  it("a past year's register: a since-date in a later year is a later registration, not an absence", async () => {
    const view = await registerFor(county.dbs.db, 2025, { unitId: null }, JULY);
    expect(view.deadline).toBe("2025-04-10");
    expect(view.incomplete.map((u) => [u.code, u.text])).toEqual([
      ["A01", "缺少在岗信息员"],
      ["C03", "缺少分管领导、在岗信息员"],
      ["B01", "缺少分管领导"],
    ]);
    // C04 and C05 were entered in 2026 with nobody on their registers in 2025: not judged.
    expect(view.kinds[0].units.filter((u) => u.gapsAtDeadline === null).map((u) => u.code)).toEqual(["C04", "C05"]);
    expect(codes(view.incompleteToday)).toEqual(["C01", "C04", "C05", "B01"]);
  });

  it("the Excel sheet of incomplete units has both columns, as the page", async () => {
    const view = await registerFor(county.dbs.db, 2026, { unitId: null }, JULY);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await registerWorkbook(view)) as never);
    const rows: string[][] = [];
    workbook.getWorksheet("登记不全的单位")!.eachRow((row) => rows.push((row.values as unknown[]).slice(1).map(String)));
    expect(rows).toEqual([
      ["单位代码", "单位名称", "类别", "截止日（2026-04-10）缺少", "目前缺少（截至 2026-07-01）"],
      ["A01", "城关镇中心学校", "乡镇中心校", "在岗信息员", "已补齐"],
      ["C01", "柳河镇中心学校", "乡镇中心校", "齐全", "在岗信息员"],
      ["C02", "双河镇中心学校", "乡镇中心校", "在岗信息员", "已补齐"],
      ["C04", "新区实验学校", "乡镇中心校", "截止日后新增", "在岗信息员"],
      ["C05", "白沙镇中心学校", "乡镇中心校", "在岗信息员", "在岗信息员"],
      ["B01", "县实验小学", "区直中小学", "分管领导", "分管领导"],
    ]);
  });

  it("the page shows the same table, with both columns", async () => {
    const view = await registerFor(county.dbs.db, 2026, { unitId: null }, JULY);
    const html = renderToString(createElement(AllUnits, { shown: registerShown(view, { kind: null, page: 1, q: "" }), linkAccounts: false }));
    expect(html).toContain("登记不全的单位<span class=\"muted small\">（截止日 4 个，目前 4 个）</span>");
    expect(html).toContain("截止日（2026年4月10日）缺少");
    // The incomplete units' table links each row to the unit's line (#unit-…): its cells as text.
    const row = (code: string) =>
      [...html.match(new RegExp(`<tr[^>]*>(?:(?!</tr>).)*href="#unit-${code}".*?</tr>`))![0].matchAll(/<td[^>]*>(.*?)<\/td>/g)].map((m) =>
        m[1].replace(/<[^>]+>/g, ""),
      );
    expect(row("A01")).toEqual(["A01 城关镇中心学校", "乡镇中心校", "在岗信息员", "已补齐"]);
    expect(row("C04")).toEqual(["C04 新区实验学校", "乡镇中心校", "截止日后新增", "在岗信息员"]);
    // A unit complete today but not at the deadline is marked in its kind's table too.
    expect(html).toMatch(/id="unit-C02"(?:(?!<\/tr>).)*截止日登记不全/);
    expect(html).not.toMatch(/id="unit-C03"(?:(?!<\/tr>).)*登记不全/);
  });

  it("before the deadline has passed, the list is today's", async () => {
    const view = await registerFor(county.dbs.db, 2027, { unitId: null }, DECEMBER);
    expect(view.deadlinePassed).toBe(false);
    expect(view.incomplete).toEqual(view.incompleteToday);
    expect(codes(view.incomplete)).toEqual(["C01", "C04", "C05", "B01"]);
    expect(view.kinds.flatMap((k) => k.units).every((u) => u.gapsAtDeadline === null)).toBe(true);
  });
});

describe("the deadline of a year whose setting changed", () => {
  let county: County;
  beforeAll(async () => {
    county = await setupCounty();
    const db = county.dbs.db;
    await db.updateTable("accounts").set({ registered_on: "2025-03-01" }).where("unit_id", "is not", null).execute();
    await db.updateTable("accounts").set({ registered_on: "2026-04-05" }).where("id", "=", county.ids.correspondentA).execute();
  }, 60_000);
  afterAll(async () => county.dbs.dispose());
  /** The admin changes the deadline in December 2026, from December (meant for next year). */
  const changeInDecember = (value: string) =>
    saveSettings(county.dbs.db, {
      changes: [{ key: "registerDeadline", value }], effectiveMonth: "2026-12", actor: { id: county.ids.admin, username: "admin" }, now: DECEMBER,
    });

  it("a change made in December for next year leaves this year's passed deadline as it was", async () => {
    const db = county.dbs.db;
    expect((await registerFor(db, 2026, { unitId: null }, DECEMBER)).deadline).toBe("2026-04-10");
    expect((await changeInDecember("03-31")).ok).toBe(true);
    const view = await registerFor(db, 2026, { unitId: null }, DECEMBER);
    expect(view.deadline).toBe("2026-04-10");
    // Registered on 5 April: on time under the deadline that was in force.
    expect(view.totals.late).toBe(0);
    expect((await registerFor(db, 2027, { unitId: null }, DECEMBER)).deadline).toBe("2027-03-31");
  });

  it("takes the version in force in the deadline's own month, not January's or December's", async () => {
    const db = county.dbs.db;
    // From March 2026 the deadline was 31 March; in December it is changed again, for next year.
    await db
      .insertInto("settings")
      .values({
        key: "registerDeadline", value_json: JSON.stringify("03-31"), effective_month: "2026-03", updated_by: null, updated_at: DECEMBER.toISOString(),
      })
      .execute();
    expect((await changeInDecember("05-20")).ok).toBe(true);
    const view = await registerFor(db, 2026, { unitId: null }, DECEMBER);
    expect(view.deadline).toBe("2026-03-31");
    // Registered on 5 April: late under the deadline in force when it fell.
    expect(view.totals.late).toBe(1);
    expect((await registerFor(db, 2027, { unitId: null }, DECEMBER)).deadline).toBe("2027-05-20");
  });
});
