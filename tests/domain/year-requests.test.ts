// 约稿 over a year: the units' months summed, the county's totals, the summary's sentence, its
// table column and when a summary shows them at all.
import { describe, expect, it } from "vitest";
import { attachedTables, composeAnnualBody, monthsOfYear, noticeOutline, type AnnualUnitRow, type NoticeDocument } from "~/domain/notices";
import type { RequestCounts } from "~/domain/requests";
import { sumRequestCounts, yearRequestsCell, yearRequestsSentence, yearRequestTotals } from "~/domain/year-requests";

const c = (fulfilled: number, late: number, missed: number, declined: number): RequestCounts => ({ fulfilled, late, missed, declined });

describe("a unit's 约稿 over the year's months", () => {
  const cases: Array<[string, Array<RequestCounts | null | undefined>, RequestCounts]> = [
    ["没有月份：全为 0", [], c(0, 0, 0, 0)],
    ["没有约稿的月份（缺失或全 0）不改变合计", [null, undefined, c(0, 0, 0, 0)], c(0, 0, 0, 0)],
    ["一个月照抄", [c(2, 1, 0, 1)], c(2, 1, 0, 1)],
    ["各项分别相加", [c(2, 1, 0, 1), c(0, 0, 3, 0), null, c(1, 2, 1, 4)], c(3, 3, 4, 5)],
  ];
  it.each(cases)("%s", (_label, months, expected) => {
    expect(sumRequestCounts(months)).toEqual(expected);
  });
});

describe("the county's 约稿 over the year and the summary's sentence", () => {
  const cases: Array<[string, Array<RequestCounts | undefined>, string]> = [
    ["各单位相加，篇次为四项之和", [c(3, 1, 0, 1), c(0, 2, 4, 0), undefined], "全年约稿 11 篇次：按时完成 3、逾期 3、未报送 4、婉拒 1。"],
    ["只有按时完成", [c(5, 0, 0, 0)], "全年约稿 5 篇次：按时完成 5、逾期 0、未报送 0、婉拒 0。"],
    ["一个单位婉拒", [c(0, 0, 0, 1), c(0, 0, 0, 0)], "全年约稿 1 篇次：按时完成 0、逾期 0、未报送 0、婉拒 1。"],
  ];
  it.each(cases)("%s", (_label, units, sentence) => {
    const t = yearRequestTotals(units);
    expect(t.pieces).toBe(t.fulfilled + t.late + t.missed + t.declined);
    expect(yearRequestsSentence(t)).toBe(sentence);
  });

  const cells: Array<[RequestCounts | undefined, string]> = [
    [c(3, 1, 0, 2), "3/1/0/2"],
    [c(0, 0, 0, 0), "0/0/0/0"],
    [undefined, "0/0/0/0"],
  ];
  it.each(cells)("cell of %j is %s", (counts, text) => expect(yearRequestsCell(counts)).toBe(text));
});

describe("a year-end summary body with and without 约稿", () => {
  const row = (id: number, requests: RequestCounts | undefined): AnnualUnitRow => ({
    unitId: id, code: `X${id}`, name: `X${id}学校`, kind: "t", kindName: "乡镇中心校",
    months: monthsOfYear("2025").map((m) => (m >= "2025-11" ? { adopted: 2, points: 10, status: "met" as const } : null)),
    quota: 4, submitted: 4, adopted: 4, late: 0, points: 20, completion: 1, rank: id, tied: false, met: 2, short: 0, none: 0,
    ...(requests ? { requests } : {}),
  });
  const compose = (rows: AnnualUnitRow[]) =>
    composeAnnualBody({
      year: "2025", months: ["2025-11", "2025-12"], tables: [{ kind: "t", kindName: "乡镇中心校", rows }], correspondents: [],
      thresholds: { yearCommendMinMonthsMet: 0, yearCommendTopN: 1, yearCorrespondentTopN: 1, yearCorrespondentMinAdopted: 0, yearCriticiseNoneMonths: 3, yearCriticiseBelowCompletion: 0 },
      adjustments: [],
    });
  const sentenceOf = (body: ReturnType<typeof compose>) => {
    const doc: NoticeDocument = { header: { title: "t", docNumber: "", addressee: "a", opening: "", closing: "", issuer: "i", signerName: null, publishedAt: null }, body };
    return noticeOutline(doc).filter((b) => b.type === "paragraph" && b.text.startsWith("全年约稿")).map((b) => (b as { text: string }).text);
  };

  const cases: Array<[string, Array<RequestCounts | undefined>, { sentence: string | null; cells: string[] | null }]> = [
    ["有约稿：一句话和一列", [c(2, 1, 0, 0), c(0, 0, 1, 1)], { sentence: "全年约稿 5 篇次：按时完成 2、逾期 1、未报送 1、婉拒 1。", cells: ["2/1/0/0", "0/0/1/1"] }],
    ["约稿全为 0：不写也不列", [c(0, 0, 0, 0), c(0, 0, 0, 0)], { sentence: null, cells: null }],
    ["早先起草的汇总没有约稿数据：照旧", [undefined, undefined], { sentence: null, cells: null }],
  ];
  it.each(cases)("%s", (_label, requests, expected) => {
    const body = compose(requests.map((r, i) => row(i + 1, r)));
    expect(sentenceOf(body)).toEqual(expected.sentence ? [expected.sentence] : []);
    const [table] = attachedTables(body);
    const col = table.columns.findIndex((x) => x.header.startsWith("约稿"));
    if (expected.cells === null) {
      expect(col).toBe(-1);
      expect(table.columns).toHaveLength(2 + 12 + 3);
    } else {
      expect(table.columns).toHaveLength(2 + 12 + 4);
      expect(table.rows.map((r) => r.cells[col])).toEqual(expected.cells);
    }
  });
});
