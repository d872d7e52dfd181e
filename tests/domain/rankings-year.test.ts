import { describe, expect, it } from "vitest";
import { DEFAULT_POINTS_RULES } from "~/domain/catalog";
import { buildLeagueOfColumns, leagueRowsOf, scoreLeague, type LeagueInputColumns } from "~/domain/league";
import { yearTablesOf, type UnitMonthsSums, type YearPart } from "~/domain/rankings-view";

const names = new Map([["township_central", "乡镇中心校"], ["district_school", "区直中小学"]]);

/** A month of 300 units with many ties: some units missing that month, one unit changing kind, one kind the bureau has no name for. */
function month(k: number): LeagueInputColumns {
  const ids = Array.from({ length: 300 }, (_, i) => i + 1).filter((id) => (id + k) % 17 !== 0);
  const kindOf = (id: number) => (id === 5 ? (k < 3 ? "district_school" : "township_central") : id % 50 === 0 ? "unnamed_kind" : ["township_central", "district_school"][id % 2]);
  return {
    unitId: ids, code: ids.map((id) => `U${String((id * 37) % 1000).padStart(4, "0")}`), name: ids.map((id) => `第${id}号学校`), kind: ids.map(kindOf),
    quota: ids.map((id) => 1 + ((id + k) % 4)), submitted: ids.map((id) => (id * k) % 6), adopted: ids.map((id) => (id + k) % 4), late: ids.map((id) => id % 2),
    national: ids.map((id) => (id % 9 === 0 ? 1 : 0)), province: ids.map((id) => (id % 7 === k ? 1 : 0)), city: ids.map(() => 0),
    itemPoints: ids.map((id) => ((id * k) % 11) / 2), requests: ids.map((id) => (id % 13 === 0 ? { fulfilled: 1, late: 0, missed: k % 2, declined: 0 } : undefined)),
  };
}

describe("a month scored as columns", () => {
  const months = [1, 2, 3, 4].map((k) => ({ month: `2026-0${k}`, scored: scoreLeague(month(k), DEFAULT_POINTS_RULES) }));

  it("gives the same rows as the league built at once", () => {
    for (const [i, m] of months.entries()) {
      const previous = (unitId: number) => (unitId % 3 === 0 ? undefined : unitId + i);
      expect(leagueRowsOf(m.scored, previous, names)).toEqual(buildLeagueOfColumns(month(i + 1), DEFAULT_POINTS_RULES, previous, names));
    }
  });

  it("adds to the year exactly as its rows do: every table, rank, tie, movement and kind name", () => {
    const asRows: YearPart[] = months.map((m) => ({ month: m.month, rows: leagueRowsOf(m.scored, () => undefined, names) }));
    const asColumns: YearPart[] = months.map((m) => ({ month: m.month, scored: m.scored, kindNames: names }));
    const mixed: YearPart[] = months.map((m, i) => (i % 2 === 0 ? asColumns[i] : asRows[i]));
    const want = yearTablesOf(asRows);
    expect(want.rows.some((r) => r.tied) && want.rows.some((r) => r.movement !== null && r.movement !== 0)).toBe(true);
    expect(want.rows.find((r) => r.unitId === 5)).toMatchObject({ kind: "township_central", kindName: "乡镇中心校" });
    expect(yearTablesOf(asColumns)).toEqual(want);
    expect(yearTablesOf(mixed)).toEqual(want);
  });
});

describe("closed months' sums without names", () => {
  // Three units summed over closed months and absent from the open month (so named as the directory names them); one in a kind the bureau has no name for.
  const sums: UnitMonthsSums = {
    unitId: [48, 14, 31], code: ["U0003", "U0001", "U0002"], name: ["丙校", "甲校", "乙校"], kind: ["district_school", "township_central", "unnamed_kind"],
    kindName: ["区直中小学", "乡镇中心校", "unnamed_kind"], latest: ["2026-02", "2026-02", "2026-01"], quota: [8, 8, 4], submitted: [5, 9, 2],
    adopted: [4, 6, 2], late: [0, 1, 0], national: [0, 1, 0], province: [1, 0, 0], city: [0, 0, 2], cents: [1250, 1250, 300], met: [1, 1, 0], short: [1, 1, 1], none: [0, 0, 1],
  };
  const open = scoreLeague(month(3), DEFAULT_POINTS_RULES);
  const { code: _c, name: _n, kindName: _k, ...counts } = sums;
  // The directory in id order, as the portal reads it, with every unit of the open month too.
  const ids = [...new Set([...sums.unitId, ...open.units.unitId])].sort((a, b) => a - b);
  const at = (id: number) => sums.unitId.indexOf(id);
  const units = {
    unitId: ids,
    code: ids.map((id) => (at(id) >= 0 ? sums.code[at(id)] : open.units.code[open.units.unitId.indexOf(id)])),
    name: ids.map((id) => (at(id) >= 0 ? sums.name[at(id)] : open.units.name[open.units.unitId.indexOf(id)])),
  };

  it("gives the same year when codes and names come from the unit directory", () => {
    const want = yearTablesOf([{ sums }, { month: "2026-03", scored: open, kindNames: names }]);
    expect(want.rows.find((r) => r.unitId === 31)).toMatchObject({ code: "U0002", name: "乙校", kindName: "unnamed_kind" });
    expect(yearTablesOf([{ sums: counts, units, kindNames: names }, { month: "2026-03", scored: open, kindNames: names }])).toEqual(want);
    // The closed months alone: each unit named from the directory, its kind's name from the kinds (else the code).
    const closedOnly = yearTablesOf([{ sums: counts, units, kindNames: names }]).rows;
    expect(closedOnly.map((r) => `${r.code}:${r.name}:${r.kindName}:${r.points}`).sort()).toEqual([
      "U0001:甲校:乡镇中心校:12.5", "U0002:乙校:unnamed_kind:3", "U0003:丙校:区直中小学:12.5",
    ]);
  });
});
