// A notice as a page shows it (app/domain/notice-pages.ts): whole for a county; a province's unit
// tables and long lists cut to their first rows and the viewer's own, with each one's count.
import { describe, expect, it } from "vitest";
import type { NoticeDocument } from "~/domain/notice-document";
import { ANNEX_ROWS_SHOWN, LIST_ENTRIES_SHOWN, noticeShown } from "~/domain/notice-pages";
import { noticeOutline } from "~/domain/notice-outline";
import { PAGED_ABOVE } from "~/domain/rankings-view";

const CRITICISED = { unitId: 1, code: "U1", name: "单位1", kind: "k0", kindName: "类别0", reasons: ["不报"], adjusted: false };

/** A notice whose unit tables have these many rows (ids numbered on across the tables). */
function noticeWith(...sizes: number[]): NoticeDocument {
  let id = 0;
  const tables = sizes.map((n, t) => ({ kind: `k${t}`, kindName: `类别${t}`, rows: Array.from({ length: n }, () => ({ unitId: ++id, name: `单位${id}`, rank: id })) }));
  return {
    header: { title: "通报", docNumber: "", addressee: "", opening: "", closing: "", issuer: "办公室", signerName: null, publishedAt: null },
    body: {
      kind: "monthly", period: "2026-10", tables, commended: [], criticised: [CRITICISED], passedOver: [],
      // What the outline's text reads (the annual's added where a test makes one).
      figures: { units: id, submitted: 0, adopted: 0, met: 0, short: 0, none: 0, late: 0, byKind: [] }, months: [],
      thresholds: { commendTopN: 3, criticiseBelowCompletion: 0.5, criticiseMinLate: 3, yearCommendMinMonthsMet: 9, yearCommendTopN: 3, yearCriticiseBelowCompletion: 0.5, yearCriticiseMinMonthsNone: 3 },
    },
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

describe("a province's long lists on a page", () => {
  /** A criticised list of `n` units, alternating between two kinds, ids from 1. */
  const criticisedOf = (n: number) =>
    Array.from({ length: n }, (_, i) => ({ ...CRITICISED, unitId: i + 1, code: `U${i + 1}`, name: `单位${i + 1}`, kind: `k${i % 2}`, kindName: `类别${i % 2}` }));
  const province = (criticised: number) => ({ ...noticeWith(PAGED_ABOVE + 1), body: { ...noticeWith(PAGED_ABOVE + 1).body, criticised: criticisedOf(criticised) } }) as NoticeDocument;

  // Two kinds alternate: the first LIST_ENTRIES_SHOWN of each are the first 2 × LIST_ENTRIES_SHOWN ids.
  const FIRST = 2 * LIST_ENTRIES_SHOWN;
  it.each([
    // [whose page, own unit, entries shown]
    ["the public's", null, FIRST],
    ["a school in the first entries", 3, FIRST],
    ["a school further down", PAGED_ABOVE, FIRST + 1],
    ["a school not on the list", PAGED_ABOVE + 40, FIRST],
  ] as const)("cuts a list longer than PAGED_ABOVE to each kind's first entries for %s, with its size in all and per kind", (_who, own, shown) => {
    const { doc } = noticeShown(province(PAGED_ABOVE + 1), own);
    const ids = doc.body.criticised.map((e) => e.unitId);
    expect(ids).toHaveLength(shown);
    expect(ids.slice(0, FIRST)).toEqual(Array.from({ length: FIRST }, (_, i) => i + 1));
    if (shown > FIRST) expect(ids.at(-1)).toBe(own);
    const ownAdded = shown > FIRST;
    expect(doc.listsCut).toEqual({
      criticised: {
        total: PAGED_ABOVE + 1, ownAdded,
        kinds: [{ kind: "k0", kindName: "类别0", count: PAGED_ABOVE / 2 + 1 }, { kind: "k1", kindName: "类别1", count: PAGED_ABOVE / 2 }],
      },
    });
    // The outline labels each kind with its whole count and says the list is cut.
    const block = noticeOutline(doc).find((b) => b.type === "entries" && b.list === "criticised");
    expect(block).toMatchObject({ cut: { total: PAGED_ABOVE + 1, ownAdded } });
    expect(block?.type === "entries" && block.groups.map((g) => [g.label, g.entries.length])).toEqual([
      [`（一）类别0（${PAGED_ABOVE / 2 + 1} 个）`, LIST_ENTRIES_SHOWN + (own === PAGED_ABOVE && own % 2 === 1 ? 1 : 0)],
      [`（二）类别1（${PAGED_ABOVE / 2} 个）`, LIST_ENTRIES_SHOWN + (own === PAGED_ABOVE && own % 2 === 0 ? 1 : 0)],
    ]);
  });

  it("leaves a list of PAGED_ABOVE entries whole, and a county's notice whole however long its lists", () => {
    const { doc } = noticeShown(province(PAGED_ABOVE), null);
    expect(doc.body.criticised).toHaveLength(PAGED_ABOVE);
    expect(doc.listsCut).toBeUndefined();
    expect(noticeOutline(doc).some((b) => b.type === "entries" && b.cut)).toBe(false);
    const county = { ...noticeWith(40), body: { ...noticeWith(40).body, criticised: criticisedOf(PAGED_ABOVE + 5) } } as NoticeDocument;
    expect(noticeShown(county, null).doc).toBe(county);
  });

  it("cuts a year's 优秀信息员 longer than PAGED_ABOVE to the first entries", () => {
    const people = Array.from({ length: PAGED_ABOVE + 10 }, (_, i) => ({ accountId: i + 1, displayName: `信息员${i + 1}`, unitName: "单位", items: 20, points: 40, rank: 1 }));
    const year = noticeWith(PAGED_ABOVE + 1);
    year.body = {
      ...year.body, kind: "annual", period: "2026", correspondents: people, outstanding: people,
      thresholds: { ...(year.body.thresholds as object), yearCorrespondentMinAdopted: 12, yearCorrespondentTopN: 30 },
    } as unknown as NoticeDocument["body"];
    const { doc } = noticeShown(year, null);
    expect(doc.body.kind === "annual" && doc.body.outstanding.map((p) => p.accountId)).toEqual(Array.from({ length: LIST_ENTRIES_SHOWN }, (_, i) => i + 1));
    expect(doc.listsCut).toEqual({ outstanding: { total: PAGED_ABOVE + 10, kinds: [], ownAdded: false } });
    expect(noticeOutline(doc).find((b) => b.type === "entries" && b.list === "outstanding")).toMatchObject({ cut: { total: PAGED_ABOVE + 10, ownAdded: false } });
  });
});
