import { describe, expect, it } from "vitest";
import { DEFAULT_POINTS_RULES } from "~/domain/catalog";
import { buildLeagueOfColumns, leagueRowsOf, scoreLeague, type LeagueInputColumns } from "~/domain/league";
import { yearTablesOf, type YearPart } from "~/domain/rankings-view";

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
