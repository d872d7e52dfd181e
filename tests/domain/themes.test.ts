import { describe, expect, it } from "vitest";
import {
  noticeThemeSentences, taggableThemes, themeCoverage, themeFormSchema, themeMonthProblem, themeTagProblem, type CoverageItem, type CoverageUnit,
} from "~/domain/themes";

describe("theme form", () => {
  const cases: Array<[string, Record<string, string>, Record<string, string> | null]> = [
    ["a title alone", { title: "开学第一课" }, null],
    ["title trimmed, guidance and category", { title: "  防溺水  ", guidance: "请报送防溺水安全教育活动。", category_id: "6", sort_order: "2" }, null],
    ["empty title", { title: "   " }, { title: "请填写要点标题" }],
    ["missing title", {}, { title: "请填写要点标题" }],
    ["title of 31 characters", { title: "一".repeat(31) }, { title: "要点标题不能超过 30 个字" }],
    ["title of 30 characters", { title: "一".repeat(30) }, null],
    ["guidance of 301 characters", { title: "双减", guidance: "字".repeat(301) }, { guidance: "报送说明不能超过 300 个字" }],
    ["made-up category", { title: "双减", category_id: "0x10" }, { category_id: "请选择有效的栏目" }],
    ["sort order out of range", { title: "双减", sort_order: "100" }, { sort_order: "排序请填写 0–99 的整数" }],
    ...["0x10", "1e1", "+5", "-0", "1.0", "５", "Infinity"].map((v): [string, Record<string, string>, Record<string, string>] => [
      `sort order ${JSON.stringify(v)}, not written in digits`, { title: "双减", sort_order: v }, { sort_order: "排序请填写 0–99 的整数" },
    ]),
    ["sort order with spaces around it", { title: "双减", sort_order: " 07 " }, null],
  ];
  for (const [name, input, errors] of cases) {
    it(name, () => {
      const parsed = themeFormSchema().safeParse(input);
      if (errors === null) {
        expect(parsed.success).toBe(true);
      } else {
        expect(parsed.success).toBe(false);
        const got = Object.fromEntries(parsed.error!.issues.map((i) => [String(i.path[0]), i.message]));
        expect(got).toEqual(errors);
      }
    });
  }
  it("keeps the values", () => {
    expect(themeFormSchema().parse({ title: " 防溺水 ", guidance: " 说明 ", category_id: "6", sort_order: "2" })).toEqual({
      title: "防溺水", guidance: "说明", category_id: 6, sort_order: 2,
    });
    expect(themeFormSchema().parse({ title: "防溺水", category_id: "" })).toEqual({ title: "防溺水", guidance: "", category_id: null, sort_order: 0 });
  });
});

describe("which months take themes", () => {
  const ctx = { currentMonth: "2026-11", closedMonths: new Set(["2026-09", "2026-12"]) };
  const cases: Array<[string, string | null]> = [
    ["2026-11", null],
    ["2027-01", null],
    ["2026-10", "2026年10月已经过去，不能再发布或修改该月的报送要点"],
    ["2026-09", "2026年9月已经结算，不能再发布或修改该月的报送要点"],
    ["2026-12", "2026年12月已经结算，不能再发布或修改该月的报送要点"],
    ["2026-13", "请选择正确的月份（年-月）"],
    ["", "请选择正确的月份（年-月）"],
  ];
  for (const [month, problem] of cases) it(`${month || "(empty)"} → ${problem ?? "ok"}`, () => expect(themeMonthProblem(month, ctx)).toBe(problem));
});

describe("which themes an item may carry", () => {
  const themes = [
    { id: 1, month: "2026-10" },
    { id: 2, month: "2026-11" },
    { id: 3, month: "2026-11" },
    { id: 4, month: "2026-12" },
  ];
  const cases: Array<[string, { countMonth: string; currentThemeId: number | null }, number[]]> = [
    ["a new item counting in November", { countMonth: "2026-11", currentThemeId: null }, [2, 3]],
    ["a returned item keeping its October tag, counting in November", { countMonth: "2026-11", currentThemeId: 1 }, [1, 2, 3]],
    ["a month without themes", { countMonth: "2027-01", currentThemeId: null }, []],
  ];
  for (const [name, input, ids] of cases) it(name, () => expect(taggableThemes(themes, input).map((t) => t.id)).toEqual(ids));

  const tagCases: Array<[number | null, string | null]> = [
    [null, null],
    [2, null],
    [1, "请选择本月的报送要点（其他月份的要点不能选）"],
    [4, "请选择本月的报送要点（其他月份的要点不能选）"],
    [999, "请选择本月的报送要点（其他月份的要点不能选）"],
  ];
  for (const [id, problem] of tagCases) {
    it(`tag ${id} on a November item → ${problem ?? "ok"}`, () => expect(themeTagProblem(id, taggableThemes(themes, { countMonth: "2026-11", currentThemeId: null }))).toBe(problem));
  }
});

describe("coverage of a theme", () => {
  const theme = { id: 7, month: "2026-11" };
  const units: CoverageUnit[] = [
    { id: 1, code: "X01", name: "甲校", active: true, quota: 5 },
    { id: 2, code: "X02", name: "乙校", active: true, quota: 5 },
    { id: 3, code: "X03", name: "丙园", active: true, quota: 0 },
    { id: 4, code: "X04", name: "丁校", active: false, quota: 5 },
    { id: 5, code: "X05", name: "戊校", active: true, quota: 3 },
  ];
  const item = (unitId: number, status: string, extra: Partial<CoverageItem> = {}): CoverageItem => ({
    unitId, themeId: 7, status, pointsRevoked: false, reportMonth: "2026-11", ...extra,
  });
  const cases: Array<[string, CoverageItem[], { covered: number; reported: number; notCovered: string[] }]> = [
    ["nothing tagged", [], { covered: 0, reported: 0, notCovered: ["X01", "X02", "X05"] }],
    ["adopted covers and reports", [item(1, "adopted")], { covered: 1, reported: 1, notCovered: ["X02", "X05"] }],
    ["submitted and rejected report only", [item(2, "submitted"), item(5, "rejected")], { covered: 0, reported: 2, notCovered: ["X01", "X02", "X05"] }],
    ["withdrawn keeps its coverage unless revoked", [item(1, "withdrawn"), item(2, "withdrawn", { pointsRevoked: true })], { covered: 1, reported: 2, notCovered: ["X02", "X05"] }],
    ["drafts and pending items do not count", [item(1, "draft"), item(2, "pending_school")], { covered: 0, reported: 0, notCovered: ["X01", "X02", "X05"] }],
    ["another theme or another month does not count", [item(1, "adopted", { themeId: 8 }), item(2, "adopted", { reportMonth: "2026-12" })], { covered: 0, reported: 0, notCovered: ["X01", "X02", "X05"] }],
    ["two items of one unit count once", [item(1, "adopted"), item(1, "adopted")], { covered: 1, reported: 1, notCovered: ["X02", "X05"] }],
    ["a unit without a quota may still cover it", [item(3, "adopted")], { covered: 1, reported: 1, notCovered: ["X01", "X02", "X05"] }],
  ];
  for (const [name, items, want] of cases) {
    it(name, () => {
      const c = themeCoverage(theme, items, units);
      expect({ covered: c.covered, reported: c.reported, notCovered: c.notCovered.map((u) => u.code) }).toEqual(want);
      expect(c.expected).toBe(3);
    });
  }
});

describe("the notice's sentences", () => {
  it("says nothing for a month without themes", () => expect(noticeThemeSentences("2026-09", [])).toEqual([]));
  it("names each theme with its frozen figures and the uncovered ones", () => {
    expect(
      noticeThemeSentences("2026-09", [
        { title: "教师节", expected: 40, covered: 10, reported: 12 },
        { title: "开学第一课", expected: 40, covered: 0, reported: 1 },
      ]),
    ).toEqual([
      "2026年9月发布报送要点 2 项：“教师节”12 个单位报送、10 个单位被采用，覆盖 25% 的应报单位；“开学第一课”1 个单位报送、0 个单位被采用，覆盖 0% 的应报单位。",
      "“开学第一课”尚无单位信息被采用，请各单位围绕报送要点加强组稿。",
    ]);
  });
});
