// A notice's lists as the table the reviewers check: each list a sheet, every entry numbered from 1
// in the notice's order, its reasons joined, who put it there; the passed-over units only when
// there are any; download names for a draft and a signed notice.
import { describe, expect, it } from "vitest";
import { entrySource, noticeListFileNames, noticeListSheets, PASSED_OVER_SHEET, type ListEntry } from "~/domain/notices";

const entry = (code: string, over: Partial<ListEntry> = {}): ListEntry => ({
  unitId: Number(code.slice(1)), code, name: `${code}学校`, kind: "township_central", kindName: "乡镇中心校", reasons: [], adjusted: false, ...over,
});

describe("noticeListSheets", () => {
  it.each([
    {
      case: "empty lists: the two sheets, no passed-over sheet",
      body: { commended: [], criticised: [], passedOver: [] },
      sheets: [["表扬", []], ["通报批评", []]],
    },
    {
      case: "a notice without passed-over units recorded",
      body: { commended: [entry("U1")], criticised: [] },
      sheets: [["表扬", [[1, "U1", "按规则", ""]]], ["通报批评", []]],
    },
    {
      case: "reasons joined, adjusted entries marked, each list numbered from 1 in its own order",
      body: {
        commended: [entry("U3", { reasons: ["采用 12 篇"] }), entry("U1", { adjusted: true, reasons: ["专题报道突出"] })],
        criticised: [entry("U2", { reasons: ["未报送", "约稿逾期 1 篇"] })],
        passedOver: [entry("U4", { reasons: ["本月有迟报"] })],
      },
      sheets: [
        ["表扬", [[1, "U3", "按规则", "采用 12 篇"], [2, "U1", "审核员调整", "专题报道突出"]]],
        ["通报批评", [[1, "U2", "按规则", "未报送；约稿逾期 1 篇"]]],
        [PASSED_OVER_SHEET, [[1, "U4", "按规则", "本月有迟报"]]],
      ],
    },
  ])("$case", ({ body, sheets }) => {
    const got = noticeListSheets(body).map((s) => [s.name, s.rows.map((r) => [r.order, r.code, r.source, r.reasons])]);
    expect(got).toEqual(sheets);
  });

  it("carries each entry's name and kind as the notice has them", () => {
    const [commended] = noticeListSheets({ commended: [entry("U5", { name: "柳河镇中心校", kindName: "乡镇中心校" })], criticised: [] });
    expect(commended.rows[0]).toMatchObject({ name: "柳河镇中心校", kindName: "乡镇中心校" });
  });

  it.each([
    [false, "按规则"],
    [true, "审核员调整"],
  ])("entrySource(adjusted %s) is %s", (adjusted, source) => expect(entrySource({ adjusted })).toBe(source));
});

describe("noticeListFileNames", () => {
  it.each([
    [{ kind: "monthly" as const, period: "2026-10", docNumber: "", published: false }, "2026年10月信息报送情况通报名单（草稿）.xlsx", "notice-2026-10-lists-draft.xlsx"],
    // A draft's 文号 is not yet the notice's: still the draft.
    [{ kind: "monthly" as const, period: "2026-10", docNumber: "X教体办〔2026〕9号", published: false }, "2026年10月信息报送情况通报名单（草稿）.xlsx", "notice-2026-10-lists-draft.xlsx"],
    [{ kind: "monthly" as const, period: "2026-10", docNumber: "X教体办〔2026〕9号", published: true }, "2026年10月信息报送情况通报名单（X教体办〔2026〕9号）.xlsx", "notice-2026-10-lists.xlsx"],
    [{ kind: "annual" as const, period: "2026", docNumber: "X教体办〔2027〕1号", published: true }, "2026年度信息报送工作情况通报名单（X教体办〔2027〕1号）.xlsx", "notice-2026-lists.xlsx"],
  ])("%o", (doc, chinese, ascii) => expect(noticeListFileNames(doc)).toEqual({ chinese, ascii }));
});
