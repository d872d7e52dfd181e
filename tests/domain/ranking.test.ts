import { describe, expect, it } from "vitest";
import { movement, movementText, placeById, rankBy, rankLookup, rankUnits, showMovement, type MovementShown, type RankableUnit } from "~/domain/ranking";

const u = (code: string, points: number, extra: Partial<RankableUnit> = {}): RankableUnit => ({
  code, points, national: 0, province: 0, city: 0, adopted: 0, ...extra,
});

const ranks = (rows: RankableUnit[]) => rankUnits(rows).map((r) => `${r.code}:${r.rank}${r.tied ? "并列" : ""}`);

describe("rankUnits", () => {
  const cases: Array<[string, RankableUnit[], string[]]> = [
    ["按积分", [u("X02", 10), u("X01", 20), u("X03", 5)], ["X01:1", "X02:2", "X03:3"]],
    ["并列第一，按代码列出，下一名是 3", [u("X03", 20), u("X01", 20), u("X02", 10)], ["X01:1并列", "X03:1并列", "X02:3"]],
    ["中间并列 1,2,2,4", [u("A", 30), u("C", 20), u("B", 20), u("D", 10)], ["A:1", "B:2并列", "C:2并列", "D:4"]],
    ["末尾并列", [u("A", 30), u("B", 20), u("D", -5), u("C", -5)], ["A:1", "B:2", "C:3并列", "D:3并列"]],
    ["积分相同，国家级上稿多者在前", [u("A", 10), u("B", 10, { national: 1 })], ["B:1", "A:2"]],
    ["积分、国家级相同，省级多者在前", [u("A", 10, { national: 1 }), u("B", 10, { national: 1, province: 2 })], ["B:1", "A:2"]],
    ["再比市级", [u("A", 10, { city: 1 }), u("B", 10, { city: 3 })], ["B:1", "A:2"]],
    ["再比采用数", [u("A", 10, { adopted: 4 }), u("B", 10, { adopted: 5 })], ["B:1", "A:2"]],
    ["全部相同才并列", [u("B", 10, { city: 1, adopted: 3 }), u("A", 10, { city: 1, adopted: 3 })], ["A:1并列", "B:1并列"]],
    ["0.5 积分的浮点相加仍然相等", [u("A", 0.1 + 0.2), u("B", 0.3)], ["A:1并列", "B:1并列"]],
    ["没有单位", [], []],
    ["全部不报（同为负分）", [u("B", -15), u("A", -15)], ["A:1并列", "B:1并列"]],
  ];
  it.each(cases)("%s", (_l, rows, expected) => expect(ranks(rows)).toEqual(expected));
});

describe("rankUnits on many rows", () => {
  // The league order written out plainly: compare row by row, competition ranks, ties by code.
  const reference = (rows: RankableUnit[]) => {
    const cmp = (a: RankableUnit, b: RankableUnit) =>
      Math.round(b.points * 100) - Math.round(a.points * 100) || b.national - a.national || b.province - a.province || b.city - a.city || b.adopted - a.adopted;
    const sorted = [...rows].sort((a, b) => cmp(a, b) || (a.code < b.code ? -1 : 1));
    const rank = sorted.map((r, i) => i + 1);
    for (let i = 1; i < sorted.length; i++) if (cmp(sorted[i - 1], sorted[i]) === 0) rank[i] = rank[i - 1];
    return sorted.map((r, i) => `${r.code}:${rank[i]}${rank.filter((x) => x === rank[i]).length > 1 ? "并列" : ""}`);
  };
  const rows = (n: number, scale: number) =>
    Array.from({ length: n }, (_, i) =>
      u(`U${String((i * 7919) % n).padStart(4, "0")}`, (((i * 31) % 17) - 5) * scale + (i % 2) / 2, {
        national: i % 3 === 0 ? 1 : 0, province: i % 5, city: (i * 7) % 3, adopted: (i * 13) % 4,
      }),
    );
  it.each([
    ["小数目（键可合成一个数）", rows(2_000, 1)],
    ["积分极大（逐行比较）", rows(2_000, 1e13)],
    ["按代码顺序给出（并列的不再比较代码）", [...rows(2_000, 1)].sort((a, b) => (a.code < b.code ? -1 : 1))],
  ])("%s: same order, ranks and ties as comparing row by row", (_l, input) => {
    expect(ranks(input).some((x) => x.endsWith("并列"))).toBe(true);
    expect(ranks(input)).toEqual(reference(input));
  });
});

describe("movement", () => {
  const cases: Array<[number | null | undefined, number, number | null]> = [
    [null, 3, null],
    [undefined, 1, null],
    [3, 3, 0],
    [5, 3, 2],
    [1, 2, -1],
    [1, 40, -39],
  ];
  it.each(cases)("%s → %i = %s", (prev, now, moved) => expect(movement(prev, now)).toBe(moved));
});

describe("placeById", () => {
  it.each([
    [[3, 1, 2, 7], [3, 1, 2, 7, 0, 4, 8, -1], [0, 1, 2, 3, -1, -1, -1, -1]],
    [[5_000_000, 1, 90_000], [90_000, 5_000_000, 1, 2], [2, 0, 1, -1]],
    [[], [1], [-1]],
  ])("ids %j: %j → %j", (ids, asked, places) => {
    const place = placeById(ids);
    expect(asked.map(place)).toEqual(places);
  });
});

describe("rankLookup", () => {
  // [unit ids, their ranks, a unit asked for, its rank]: dense ids (an array by id) and sparse ones (a Map) answer alike.
  const dense = [[3, 1, 2, 7], [2, 1, 4, 3]] as const;
  const sparse = [[5_000_000, 1, 90_000], [2, 1, 3]] as const;
  const cases: Array<[readonly number[], readonly number[], number, number | undefined]> = [
    [dense[0], dense[1], 3, 2],
    [dense[0], dense[1], 1, 1],
    [dense[0], dense[1], 7, 3],
    [dense[0], dense[1], 2, 4],
    [dense[0], dense[1], 5, undefined],
    [dense[0], dense[1], 0, undefined],
    [dense[0], dense[1], 8, undefined],
    [dense[0], dense[1], -1, undefined],
    [sparse[0], sparse[1], 5_000_000, 2],
    [sparse[0], sparse[1], 90_000, 3],
    [sparse[0], sparse[1], 1, 1],
    [sparse[0], sparse[1], 2, undefined],
    [[], [], 1, undefined],
  ];
  it.each(cases)("ids %j ranks %j: unit %i → %s", (ids, ranks, unitId, rank) => expect(rankLookup(ids, ranks)(unitId)).toBe(rank));

  it("gives movement the same answers as a Map of the ranks", () => {
    const ids = Array.from({ length: 500 }, (_, i) => (i * 7919) % 1000 + 1);
    const ranks = ids.map((_, i) => (i % 37) + 1);
    const map = new Map(ids.map((id, i) => [id, ranks[i]]));
    const lookup = rankLookup(ids, Int32Array.from(ranks));
    for (let id = 0; id <= 1001; id++) expect(movement(lookup(id), 5)).toBe(movement(map.get(id), 5));
  });
});

describe("showMovement", () => {
  const cases: Array<[number | null, MovementShown]> = [
    [null, { text: "新", words: "新上榜", tone: "same" }],
    [0, { text: "—", words: "名次不变", tone: "same" }],
    [2, { text: "↑2", words: "上升2名", tone: "up" }],
    [1, { text: "↑1", words: "上升1名", tone: "up" }],
    [-1, { text: "↓1", words: "下降1名", tone: "down" }],
    [-12, { text: "↓12", words: "下降12名", tone: "down" }],
  ];
  it.each(cases)("%s → %j", (m, shown) => {
    expect(showMovement(m)).toEqual(shown);
    expect(movementText(m)).toBe(shown.text);
  });

  // The text the league printed before movement was a number, from the same ranks.
  const printed: Array<[number | null, number, string]> = [
    [null, 3, "新"],
    [3, 3, "—"],
    [5, 3, "↑2"],
    [1, 2, "↓1"],
  ];
  it.each(printed)("previous %s, now %i prints %s", (prev, now, text) => expect(movementText(movement(prev, now))).toBe(text));
});

describe("rankBy", () => {
  it("ranks by one value with ties and a tiebreak for listing", () => {
    const rows = [
      { name: "乙", v: 0.8 },
      { name: "甲", v: 1.2 },
      { name: "丙", v: 0.8 },
    ];
    const out = rankBy(rows, (r) => r.v, (a, b) => a.name.localeCompare(b.name, "zh-CN"));
    expect(out.map((r) => [r.name, r.rank, r.tied])).toEqual([
      ["甲", 1, false],
      ["丙", 2, true],
      ["乙", 2, true],
    ]);
  });
});
