import { describe, expect, it } from "vitest";
import {
  catalogAddSchema, catalogNameKey, catalogNameProblem, catalogRenameSchema, deactivationProblem, deletionProblem, movedOrder,
  normalizeCatalogName, sameNameAs,
} from "~/domain/catalog-admin";

describe("catalogue names", () => {
  const cases: Array<[string, string, string]> = [
    ["plain", "党建工作", "党建工作"],
    ["ends trimmed", "  平安建设 ", "平安建设"],
    ["inner runs of spaces made one", "劳动   教育", "劳动 教育"],
    ["full-width letters and spaces folded", "ＡＢＣ　频道", "ABC 频道"],
  ];
  for (const [label, raw, stored] of cases) it(`${label}: “${raw}” is stored as “${stored}”`, () => expect(normalizeCatalogName(raw)).toBe(stored));

  it("compares names by their stored form in one letter case", () => {
    expect(catalogNameKey("ＡＢＣ 频道")).toBe(catalogNameKey("abc  频道"));
    expect(catalogNameKey("abc频道")).not.toBe(catalogNameKey("abc 频道"));
  });

  const problems: Array<[string, string | null]> = [
    ["教育网", null],
    ["", "请填写投送频道名称"],
    ["   ", "请填写投送频道名称"],
    ["一二三四五六七八九十一二三四五六七八九十", null],
    ["一二三四五六七八九十一二三四五六七八九十一", "投送频道名称不能超过 20 个字"],
    ["<b>网</b>", "投送频道名称含有不能使用的字符"],
  ];
  for (const [raw, problem] of problems) it(`“${raw}” → ${problem ?? "accepted"}`, () => expect(catalogNameProblem("channel", raw)).toBe(problem));

  it("finds another row with the same name, but not the row being renamed", () => {
    const rows = [{ id: 1, name: "综合" }, { id: 2, name: "ABC 频道" }];
    expect(sameNameAs(rows, " abc 频道")?.id).toBe(2);
    expect(sameNameAs(rows, "abc 频道", 2)).toBeUndefined();
    expect(sameNameAs(rows, "综合信息")).toBeUndefined();
  });

  it("the forms store the normalised name and refuse a list that does not exist", () => {
    expect(catalogAddSchema().parse({ kind: "category", name: " 劳动  教育" })).toEqual({ kind: "category", name: "劳动 教育" });
    expect(catalogRenameSchema().parse({ kind: "channel", id: "3", name: "新网" })).toEqual({ kind: "channel", id: 3, name: "新网" });
    expect(catalogAddSchema().safeParse({ kind: "unit", name: "甲" }).success).toBe(false);
    expect(catalogRenameSchema().safeParse({ kind: "channel", id: "0x1", name: "新网" }).success).toBe(false);
  });
});

describe("refusals", () => {
  it("the last active one cannot be deactivated", () => {
    expect(deactivationProblem("channel", 1)).toContain("至少要保留一个启用的投送频道");
    expect(deactivationProblem("category", 0)).toContain("至少要保留一个启用的栏目");
    expect(deactivationProblem("channel", 2)).toBeNull();
  });

  it("a row that items use cannot be deleted; the message counts them and suggests deactivating", () => {
    expect(deletionProblem("category", "综合", 0)).toBeNull();
    expect(deletionProblem("category", "综合", 12)).toBe("“综合”已被 12 篇稿件使用，不能删除；如不再使用，请停用它（已有稿件仍显示原名称）");
  });
});

describe("moving a row", () => {
  const cases: Array<[number, "up" | "down", number[] | null]> = [
    [2, "up", [2, 1, 3]],
    [2, "down", [1, 3, 2]],
    [1, "up", null],
    [3, "down", null],
    [9, "up", null],
  ];
  for (const [id, direction, expected] of cases) {
    it(`${id} ${direction} → ${expected?.join(",") ?? "stays"}`, () => expect(movedOrder([1, 2, 3], id, direction)).toEqual(expected));
  }
});
