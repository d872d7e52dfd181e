// Which units a month's league holds is decided by the units' history in that month, not by how
// they stand on the day the month is closed or recomputed. October 2026 is closed on 3 November:
// a unit created on 2 November is not in October, and a unit active all October that sent nothing
// and was deactivated on 2 November is in October as 不报 and criticised in its notice.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { leagueFor } from "~/models/months.server";
import { closeMonth } from "~/models/month-close.server";
import { composeMonthly } from "~/models/notice-compose.server";
import { rebuildAllRollups } from "~/models/rollup.server";
import { createTheme, liveCoverage } from "~/models/themes.server";
import { createUnit, setUnitActive } from "~/models/units.server";
import { setupCounty, type County } from "../support/app";
import { insertItem } from "../support/item-fixtures";

const OCTOBER = "2026-10";
let county: County;
let gone: number; // 旧单位 A02: active all October, sent nothing, deactivated on 2 November
let late: number; // 新建单位 A03: created on 2 November

const db = () => county.dbs.db;
const admin = () => ({ id: county.ids.admin, username: "admin", ip: "127.0.0.1" });
/** Sets the clock to a Shanghai wall-clock time ("2026-11-02 10:00"). */
const clockAt = (wallClock: string) => vi.setSystemTime(new Date(`${wallClock.replace(" ", "T")}:00+08:00`));

async function newUnit(code: string, name: string): Promise<number> {
  const r = await createUnit(db(), { code, name, township: "柳河镇", kind: "township_central", signoff_required: 1 }, admin());
  if (!r.ok) throw new Error(r.message);
  return r.id;
}

/** The township central schools of a month's league as [code, status, points, rank]. */
async function townshipRows(month: string) {
  const league = await leagueFor(db(), month);
  return league.rows.filter((r) => r.kind === "township_central").map((r) => [r.code, r.status, r.points, r.rank]);
}
const codesOf = async (month: string) => (await townshipRows(month)).map((r) => r[0]);

beforeAll(async () => {
  county = await setupCounty();
  vi.useFakeTimers({ toFake: ["Date"] });
  clockAt("2025-01-02 09:00");
  gone = await newUnit("A02", "旧单位");
  // A01 meets its quota of 10 in October.
  for (let i = 0; i < 10; i++) {
    await insertItem(db(), {
      unitId: county.units.A, createdBy: county.ids.correspondentA, status: "adopted", grade: "good", reportMonth: OCTOBER,
      firstSubmittedAt: `${OCTOBER}-1${i % 9}T02:00:00.000Z`, eventDate: `${OCTOBER}-09`,
    });
  }
  await rebuildAllRollups(db());
  clockAt("2026-11-02 10:00");
  expect(await setUnitActive(db(), gone, false, admin())).toEqual({ ok: true, changed: true });
  clockAt("2026-11-02 10:30");
  late = await newUnit("A03", "新建单位");
}, 60_000);
afterAll(async () => {
  vi.useRealTimers();
  await county.dbs.dispose();
});

describe("who is in a month's league", () => {
  it("records the deactivation with its time", async () => {
    const rows = await db().selectFrom("unit_status_changes").select(["unit_id", "active", "changed_at"]).orderBy("id").execute();
    expect(rows).toEqual([{ unit_id: gone, active: 0, changed_at: "2026-11-02T02:00:00.000Z" }]);
  });

  it("closing October on 3 November freezes the unit deactivated on 2 November as 不报, and leaves out the unit created that day", async () => {
    clockAt("2026-11-03 10:00");
    const r = await closeMonth(db(), { month: OCTOBER, actor: { id: county.ids.reviewer, username: "reviewer" }, now: new Date() });
    expect(r.ok).toBe(true);
    expect(await townshipRows(OCTOBER)).toEqual([
      ["A01", "met", 22, 1],
      ["A02", "none", -15, 2],
    ]);
    expect((await leagueFor(db(), OCTOBER)).closed).toBe(true);
  });

  it("criticises the deactivated unit in October's notice, and not the unit created in November", async () => {
    const notice = await composeMonthly(db(), OCTOBER, []);
    const criticised = notice!.criticised.map((c) => [c.code, c.reasons.join("；")]);
    expect(criticised).toContainEqual(["A02", "当月不报"]);
    expect(criticised.map((c) => c[0])).not.toContain("A03");
  });

  it("keeps both units in November, and the deactivated one out of the months after", async () => {
    expect(await codesOf("2026-11")).toEqual(["A01", "A02", "A03"]);
    expect(await codesOf("2026-12")).toEqual(["A01", "A03"]);
  });

  it("counts a month's 报送要点 coverage against the same units", async () => {
    const reviewer = { id: county.ids.reviewer, username: "reviewer", ip: "127.0.0.1" };
    const expectedOf = async (month: string) => {
      const theme = await createTheme(db(), month, { title: `${month} 平安校园`, guidance: "", category_id: null, sort_order: 1 }, reviewer);
      expect(theme.ok, month).toBe(true);
      const [coverage] = (await liveCoverage(db(), month)).map((t) => t.coverage);
      return coverage.notCovered.map((u) => u.code);
    };
    expect(await expectedOf("2026-11")).toEqual(["A01", "A02", "A03", "B01"]);
    expect(await expectedOf("2026-12")).toEqual(["A01", "A03", "B01"]);
  });

  it("takes a reactivated unit back from the month it was reactivated in, not the months between", async () => {
    clockAt("2027-01-10 09:00");
    expect(await setUnitActive(db(), gone, true, admin())).toEqual({ ok: true, changed: true });
    const changes = await db().selectFrom("unit_status_changes").select(["unit_id", "active", "changed_at"]).where("unit_id", "=", gone).orderBy("id").execute();
    expect(changes.map((c) => [c.active, c.changed_at])).toEqual([[0, "2026-11-02T02:00:00.000Z"], [1, "2027-01-10T01:00:00.000Z"]]);
    expect(await codesOf("2026-12")).toEqual(["A01", "A03"]);
    expect(await codesOf("2027-01")).toEqual(["A01", "A02", "A03"]);
    expect(late).toBeGreaterThan(gone);
  });
});
