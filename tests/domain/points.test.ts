import { describe, expect, it } from "vitest";
import { DEFAULT_POINTS_RULES as R, type PointsRules } from "~/domain/catalog";
import { bylineCents, completion, itemReceipt, quotaStatus, splitCents, unitMonthReceipt, type ItemScoringFacts } from "~/domain/points";

const base: ItemScoringFacts = { status: "adopted", grade: "good", pointsRevoked: false, photoCount: 0, late: false, pickupTiers: [], instructionLevels: [] };

describe("item receipt", () => {
  const cases: Array<[string, Partial<ItemScoringFacts>, number, string[]]> = [
    ["采用（良）", {}, 2, ["grade.good"]],
    ["采用（优）配图", { grade: "excellent", photoCount: 2 }, 3.5, ["grade.excellent", "photo"]],
    ["采用（中）迟报", { grade: "fair", late: true }, 0.5, ["grade.fair", "late"]],
    ["市级上稿两次只算一次", { pickupTiers: ["city", "city"] }, 4, ["grade.good", "pickup.city"]],
    ["各级上稿各算一次", { pickupTiers: ["national", "county", "province", "city"] }, 2 + 1 + 2 + 5 + 10, ["grade.good", "pickup.county", "pickup.city", "pickup.province", "pickup.national"]],
    ["省级批示", { instructionLevels: ["province"] }, 10, ["grade.good", "instruction.province"]],
    ["撤稿保留积分", { status: "withdrawn" }, 2, ["grade.good"]],
    ["撤稿并取消积分", { status: "withdrawn", pointsRevoked: true }, 0, []],
    ["不采用无积分", { status: "rejected", grade: null }, 0, []],
    ["待审核无积分", { status: "submitted", grade: null }, 0, []],
  ];
  it.each(cases)("%s", (_l, facts, total, rules) => {
    const r = itemReceipt({ ...base, ...facts }, R);
    expect(r.total).toBe(total);
    expect(r.lines.map((l) => l.rule)).toEqual(rules);
    for (const line of r.lines) expect(line.label).toMatch(/[\u4e00-\u9fa5]/);
  });

  it("follows the rule version it is given", () => {
    const v2: PointsRules = { ...R, grade: { excellent: 5, good: 3, fair: 1 }, photoBonus: 1 };
    expect(itemReceipt({ ...base, grade: "excellent", photoCount: 1 }, v2).total).toBe(6);
    expect(itemReceipt({ ...base, grade: "excellent", photoCount: 1 }, R).total).toBe(3.5);
  });
});

describe("quota status and completion", () => {
  const cases: Array<[string, number, number, number, string, number]> = [
    ["超额完成", 14, 12, 10, "met", 1.2],
    ["恰好完成", 10, 10, 10, "met", 1],
    ["未完成", 9, 4, 5, "short", 0.8],
    ["报了但一条未采用", 3, 0, 5, "short", 0],
    ["不报", 0, 0, 10, "none", 0],
    ["任务数为 0 且没报", 0, 0, 0, "met", 1],
    ["任务数为 0 但报了", 2, 1, 0, "met", 1],
  ];
  it.each(cases)("%s", (_l, submitted, adopted, quota, status, pct) => {
    expect(quotaStatus({ submitted, adopted, quota })).toBe(status);
    expect(completion(adopted, quota)).toBeCloseTo(pct);
  });
});

describe("unit month receipt", () => {
  const cases: Array<[string, { submitted: number; adopted: number; quota: number; itemPoints: number }, number, string[]]> = [
    ["达标加 2 分", { submitted: 6, adopted: 5, quota: 5, itemPoints: 11.5 }, 13.5, ["items", "quota.met"]],
    ["差 2 条扣 2 分", { submitted: 5, adopted: 3, quota: 5, itemPoints: 6 }, 4, ["items", "quota.short"]],
    ["不报：差全部任务并扣 5 分", { submitted: 0, adopted: 0, quota: 10, itemPoints: 0 }, -15, ["items", "quota.short", "quota.none"]],
    ["任务数为 0：不加不扣", { submitted: 0, adopted: 0, quota: 0, itemPoints: 0 }, 0, ["items"]],
    ["超额完成只加一次", { submitted: 20, adopted: 18, quota: 10, itemPoints: 40 }, 42, ["items", "quota.met"]],
  ];
  it.each(cases)("%s", (_l, facts, total, rules) => {
    const r = unitMonthReceipt(facts, R);
    expect(r.total).toBe(total);
    expect(r.lines.map((l) => l.rule)).toEqual(rules);
  });

  it("不报 always scores below sending something that was rejected", () => {
    const none = unitMonthReceipt({ submitted: 0, adopted: 0, quota: 5, itemPoints: 0 }, R).total;
    const tried = unitMonthReceipt({ submitted: 1, adopted: 0, quota: 5, itemPoints: 0 }, R).total;
    expect(none).toBeLessThan(tried);
  });
});

describe("split among bylines, to the hundredth", () => {
  // [hundredths, bylines, turn (item id), each byline's share in order]
  const cases: Array<[number, number, number, number[]]> = [
    [350, 1, 7, [350]],
    [300, 2, 4, [150, 150]],
    [350, 3, 0, [117, 117, 116]],
    [350, 3, 1, [116, 117, 117]],
    [350, 3, 2, [117, 116, 117]],
    [350, 3, 5, [117, 116, 117]],
    [100, 3, 0, [34, 33, 33]],
    [100, 3, 4, [33, 34, 33]],
    [100, 6, 0, [17, 17, 17, 17, 16, 16]],
    [100, 6, 3, [17, 16, 16, 17, 17, 17]],
    [1, 2, 1, [0, 1]],
    [-50, 3, 0, [-17, -17, -16]],
    [200, 0, 3, []],
  ];
  it.each(cases)("%i among %i, turn %i → %j", (cents, n, turn, shares) => {
    expect(splitCents(cents, n, turn)).toEqual(shares);
    expect(shares.reduce((a, b) => a + b, 0)).toBe(n > 0 ? cents : 0);
  });

  it("sums exactly to the amount, shares at most a hundredth apart, and over a run of items every co-author gets the same", () => {
    for (let n = 1; n <= 9; n++) {
      const totals = new Array<number>(n).fill(0);
      for (let item = 1; item <= n * 50; item++) {
        const cents = 37 * item + 100;
        const shares = splitCents(cents, n, item);
        expect(shares.reduce((a, b) => a + b, 0)).toBe(cents);
        expect(Math.max(...shares) - Math.min(...shares)).toBeLessThanOrEqual(1);
        shares.forEach((c, i) => (totals[i] += c));
        // The item itself (100 hundredths) over n × k items: exactly k items each.
      }
      const items = new Array<number>(n).fill(0);
      for (let item = 1; item <= n * 12; item++) splitCents(100, n, item).forEach((c, i) => (items[i] += c));
      expect(items).toEqual(new Array<number>(n).fill(1200));
    }
  });

  it("credits by account id whatever order the bylines come in", () => {
    expect([...bylineCents(100, [30, 10, 20], 0)]).toEqual([[10, 34], [20, 33], [30, 33]]);
    expect([...bylineCents(100, [20, 30, 10], 1)]).toEqual([[10, 33], [20, 34], [30, 33]]);
  });
});
