// A notice as a page shows it (app/domain/notice-pages.ts): whole for a county; a province's unit
// tables cut to their first rows and the viewer's own, with each table's count.
import { describe, expect, it } from "vitest";
import type { NoticeDocument } from "~/domain/notice-document";
import { ANNEX_ROWS_SHOWN, noticeShown } from "~/domain/notice-pages";
import { PAGED_ABOVE } from "~/domain/rankings-view";

const CRITICISED = { unitId: 1, code: "U1", name: "单位1", kind: "k0", kindName: "类别0", reasons: ["不报"], adjusted: false };

/** A notice whose unit tables have these many rows (ids numbered on across the tables). */
function noticeWith(...sizes: number[]): NoticeDocument {
  let id = 0;
  const tables = sizes.map((n, t) => ({ kind: `k${t}`, kindName: `类别${t}`, rows: Array.from({ length: n }, () => ({ unitId: ++id, name: `单位${id}`, rank: id })) }));
  return {
    header: { title: "通报", docNumber: "", addressee: "", opening: "", closing: "", issuer: "办公室", signerName: null, publishedAt: null },
    body: { kind: "monthly", period: "2026-10", tables, commended: [], criticised: [CRITICISED], passedOver: [] },
  } as unknown as NoticeDocument;
}
const rowIds = (doc: NoticeDocument) => (doc.body.tables as Array<{ rows: Array<{ unitId: number }> }>).map((t) => t.rows.map((r) => r.unitId));

describe("noticeShown", () => {
  it("leaves a county's notice whole", () => {
    const doc = noticeWith(PAGED_ABOVE - 100, 100);
    expect(noticeShown(doc, 5)).toEqual({ doc, annexTotals: null });
  });

  const big = noticeWith(PAGED_ABOVE, 30, 200);
  const cases: Array<[string, number | null, number[]]> = [
    // [whose page, own unit, rows shown per table]
    ["the public's", null, [ANNEX_ROWS_SHOWN, 30, ANNEX_ROWS_SHOWN]],
    ["a school ranked in the first rows", 7, [ANNEX_ROWS_SHOWN, 30, ANNEX_ROWS_SHOWN]],
    ["a school ranked further down", PAGED_ABOVE - 1, [ANNEX_ROWS_SHOWN + 1, 30, ANNEX_ROWS_SHOWN]],
    ["a school in the last table", PAGED_ABOVE + 30 + 199, [ANNEX_ROWS_SHOWN, 30, ANNEX_ROWS_SHOWN + 1]],
  ];
  it.each(cases)("cuts a province's tables for %s", (_who, own, shown) => {
    const { doc, annexTotals } = noticeShown(big, own);
    expect(annexTotals).toEqual([PAGED_ABOVE, 30, 200]);
    const ids = rowIds(doc);
    expect(ids.map((t) => t.length)).toEqual(shown);
    expect(ids[0].slice(0, ANNEX_ROWS_SHOWN)).toEqual(Array.from({ length: ANNEX_ROWS_SHOWN }, (_, i) => i + 1));
    if (own !== null) expect(ids.flat().filter((i) => i === own)).toEqual([own]);
    // The header, the lists and the figures are the notice's own.
    expect(doc.header).toBe(big.header);
    expect(doc.body.criticised).toEqual([CRITICISED]);
    expect(rowIds(big)[0]).toHaveLength(PAGED_ABOVE);
  });
});

it("leaves a province's year summary's every-correspondent list and its entries' rows off the page, keeping the outstanding ones", () => {
  const year = noticeWith(PAGED_ABOVE + 1);
  const people = [{ accountId: 1, displayName: "张三", rank: 1 }];
  // A year's entries carry the unit's row: the page's carry only what the list shows.
  const withRow = { ...CRITICISED, months: [{ adopted: 0, points: -15, status: "none" }], quota: 120, points: -75 };
  year.body = { ...year.body, kind: "annual", period: "2026", correspondents: people, outstanding: people, criticised: [withRow], passedOver: [withRow] } as unknown as NoticeDocument["body"];
  const { doc } = noticeShown(year, null);
  expect(doc.body).toMatchObject({ correspondents: [], outstanding: people });
  expect(doc.body.criticised).toStrictEqual([CRITICISED]);
  expect(doc.body.passedOver).toStrictEqual([CRITICISED]);
  expect(noticeShown({ ...year, body: { ...year.body, tables: [] } } as NoticeDocument, null).doc.body).toMatchObject({ correspondents: people });
});
