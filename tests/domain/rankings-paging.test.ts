// A province-sized league page: one table at a time, one page of it, searchable, with the
// viewer's own unit findable; a county's small league stays whole.
import { describe, expect, it } from "vitest";
import { DEFAULT_POINTS_RULES } from "~/domain/catalog";
import { unitMonthReceipt, unitMonthTotal } from "~/domain/points";
import { buildLeague, type LeagueInputUnit } from "~/domain/league";
import { CROSS_KIND, crossKindOfRanked, PAGE_SIZE, PAGED_ABOVE, parseTableQuery, viewFor, type RankingsView, type UnitRankingRow } from "~/domain/rankings-view";

function view(units: number): RankingsView {
  const rows = (kind: string, name: string, from: number, n: number): UnitRankingRow[] =>
    Array.from({ length: n }, (_, i) => ({
      unitId: from + i, code: `U${String(from + i).padStart(5, "0")}`, name: `${name}${from + i}号`, kind, kindName: name, quota: 2,
      submitted: 2, adopted: 1, late: 0, national: 0, province: 0, city: 0, completion: 0.5, points: 1, rank: i + 1, tied: false,
      movement: 0, status: "short", months: null,
    }));
  const a = rows("township_central", "乡镇中心校", 1, Math.ceil(units / 2));
  const b = rows("kindergarten", "幼儿园", a.length + 1, units - a.length);
  return {
    period: "2026-11", scope: "month", months: ["2026-11"], provisional: true, openMonths: ["2026-11"], closedAt: null,
    kinds: [{ code: "township_central", name: "乡镇中心校", rows: a }, { code: "kindergarten", name: "幼儿园", rows: b }],
    crossKind: [...a, ...b].map((r, i) => ({ ...r, rank: i + 1, kindRank: r.rank, kindTied: false })),
    correspondents: [], channels: [], channelTotals: [],
  };
}

describe("league pages", () => {
  it("keeps a county's league whole", () => {
    const v = viewFor(view(PAGED_ABOVE), { accountId: 1, unitId: 3 });
    expect(v.paging).toBeNull();
    expect(v.kinds.flatMap((k) => k.rows)).toHaveLength(PAGED_ABOVE);
    expect(v.crossKind).toHaveLength(PAGED_ABOVE);
  });

  it("shows one kind and one page at province scale, the viewer's kind first, with a jump to their row", () => {
    const v = viewFor(view(20_000), { accountId: 1, unitId: 12_345 });
    expect(v.paging).not.toBeNull();
    expect(v.kinds.map((k) => k.code)).toEqual(["kindergarten"]);
    expect(v.kinds[0].rows).toHaveLength(PAGE_SIZE);
    expect(v.kinds[0].units).toBe(10_000);
    expect(v.crossKind).toEqual([]);
    expect(v.paging!.own).toEqual({ kind: "kindergarten", page: Math.floor((12_345 - 10_001) / PAGE_SIZE) + 1 });
    const jumped = viewFor(view(20_000), { accountId: 1, unitId: 12_345 }, undefined, { kind: "kindergarten", page: v.paging!.own!.page, q: "" });
    expect(jumped.kinds[0].rows.filter((r) => r.own).map((r) => r.unitId)).toEqual([12_345]);
    expect(v.ownUnit?.unitId).toBe(12_345);
  });

  it("finds units by name or code, pages the table across kinds, and clamps the page", () => {
    const byName = viewFor(view(20_000), { accountId: 1, unitId: null }, undefined, { kind: "township_central", page: 1, q: "中心校77号" });
    expect(byName.kinds[0].rows.map((r) => r.name)).toEqual(["乡镇中心校77号"]);
    const byCode = viewFor(view(20_000), { accountId: 1, unitId: null }, undefined, parseTableQuery(new URLSearchParams("kind=kindergarten&q=u19999")));
    expect(byCode.kinds[0].rows.map((r) => r.code)).toEqual(["U19999"]);
    const across = viewFor(view(20_000), { accountId: 1, unitId: null }, undefined, { kind: CROSS_KIND, page: 9_999, q: "" });
    expect(across.kinds).toEqual([]);
    expect(across.paging!.page).toBe(20_000 / PAGE_SIZE);
    expect(across.crossKind.map((r) => r.rank)).toEqual(Array.from({ length: PAGE_SIZE }, (_, i) => 20_000 - PAGE_SIZE + i + 1));
  });

  it("ranks exactly like the unpaged league: every page of every table, put together, is the whole table", () => {
    // 1,000 units in three kinds with many ties, ranked by the league's own rules.
    const input: LeagueInputUnit[] = Array.from({ length: 1_000 }, (_, i) => ({
      unitId: i + 1, code: `U${String(((i * 7919) % 1_000) + 1).padStart(4, "0")}`, name: `第${i + 1}号学校`,
      kind: ["township_central", "district_school", "kindergarten"][i % 3], quota: 1 + (i % 4), submitted: i % 5, adopted: i % 4,
      late: 0, national: i % 7 === 0 ? 1 : 0, province: i % 11 === 0 ? 1 : 0, city: 0, itemPoints: (i % 13) / 2,
    }));
    const names = new Map([["township_central", "乡镇中心校"], ["district_school", "区直中小学"], ["kindergarten", "幼儿园"]]);
    const rows = buildLeague(input, DEFAULT_POINTS_RULES, new Map(), names);
    const kinds = [...names].map(([code, name]) => ({ code, name, rows: rows.filter((r) => r.kind === code) }));
    const whole: RankingsView = {
      period: "2026-11", scope: "month", months: ["2026-11"], provisional: true, openMonths: ["2026-11"], closedAt: null, kinds,
      crossKind: crossKindOfRanked(rows), correspondents: [], channels: [], channelTotals: [],
    };
    expect(rows.some((r) => r.tied)).toBe(true);
    const line = (r: UnitRankingRow & { kindRank?: number }) => `${r.unitId}:${r.rank}:${r.tied}:${r.points}:${r.kindRank ?? ""}`;
    for (const table of [...kinds.map((k) => k.code), CROSS_KIND]) {
      const shown: string[] = [];
      const first = viewFor(whole, { accountId: 1, unitId: null }, undefined, { kind: table, page: 1, q: "" });
      for (let page = 1; page <= first.paging!.pages; page++) {
        const v = viewFor(whole, { accountId: 1, unitId: null }, undefined, { kind: table, page, q: "" });
        shown.push(...(table === CROSS_KIND ? v.crossKind : v.kinds[0].rows).map(line));
      }
      const expected = table === CROSS_KIND ? whole.crossKind : kinds.find((k) => k.code === table)!.rows;
      expect(shown, table).toEqual(expected.map(line));
      // And the unpaged order is the league's order: by rank, equal ranks by code.
      const ranks = expected.map((r) => r.rank);
      expect(ranks, table).toEqual([...ranks].sort((a, b) => a - b));
    }
  });

  it("parses the query from the address, ignoring nonsense", () => {
    expect(parseTableQuery(new URLSearchParams("page=-3&kind=&q=%20"))).toEqual({ kind: null, page: 1, q: "" });
    expect(parseTableQuery(new URLSearchParams("page=4&kind=all&q=实验"))).toEqual({ kind: "all", page: 4, q: "实验" });
  });
});

describe("a unit's month total without the receipt's lines", () => {
  it.each([
    [0, 0, 0, 0], [3, 2, 2, 2.5], [3, 1, 2, 1.5], [0, 0, 2, 0], [5, 0, 3, -0.5], [4, 4, 0, 6.25], [2, 1, 5, 0.33],
  ])("submitted %i, adopted %i, quota %i, item points %f: same as the receipt", (submitted, adopted, quota, itemPoints) => {
    const r = unitMonthReceipt({ submitted, adopted, quota, itemPoints }, DEFAULT_POINTS_RULES);
    expect(unitMonthTotal({ submitted, adopted, quota, itemPoints }, DEFAULT_POINTS_RULES)).toEqual({ status: r.status, total: r.total });
  });
});
