// A notice's lists as a table to check line by line: every unit a notice commends, criticises or
// (for the reviewer) leaves off the 表扬 list although its rank would have put it there, with its
// code, kind, the reasons the notice gives and whether a reviewer put it there. A page shows a
// province's lists cut to each kind's first entries (notice-pages.ts); this table always holds
// every entry, the draft's as it stands now.
import type { ListEntry, NoticeKind } from "./notice-lists";
import { NOTICE_LIST_NAMES } from "./notice-lists";
import { noticeFileStem } from "./notice-outline";

export interface NoticeListSheet {
  name: string;
  rows: NoticeListRow[];
}

export interface NoticeListRow {
  order: number;
  code: string;
  name: string;
  kindName: string;
  reasons: string;
  source: string;
}

export const NOTICE_LIST_COLUMNS: ReadonlyArray<{ key: keyof NoticeListRow; header: string; width: number }> = [
  { key: "order", header: "序号", width: 8 },
  { key: "code", header: "单位代码", width: 14 },
  { key: "name", header: "单位名称", width: 30 },
  { key: "kindName", header: "类别", width: 14 },
  { key: "reasons", header: "原因", width: 60 },
  { key: "source", header: "来源", width: 14 },
];

export const PASSED_OVER_SHEET = "排名靠前但未列入表扬";

/** Who put an entry on its list. */
export function entrySource(entry: Pick<ListEntry, "adjusted">): string {
  return entry.adjusted ? "审核员调整" : "按规则";
}

/** One sheet per list, in the notice's order (表扬, 通报批评, then the passed-over units when there are any); each entry once, numbered from 1. */
export function noticeListSheets(body: { commended: readonly ListEntry[]; criticised: readonly ListEntry[]; passedOver?: readonly ListEntry[] }): NoticeListSheet[] {
  const rowsOf = (entries: readonly ListEntry[]): NoticeListRow[] =>
    entries.map((e, i) => ({ order: i + 1, code: e.code, name: e.name, kindName: e.kindName, reasons: e.reasons.join("；"), source: entrySource(e) }));
  const sheets: NoticeListSheet[] = [
    { name: NOTICE_LIST_NAMES.commended, rows: rowsOf(body.commended) },
    { name: NOTICE_LIST_NAMES.criticised, rows: rowsOf(body.criticised) },
  ];
  if (body.passedOver && body.passedOver.length > 0) sheets.push({ name: PASSED_OVER_SHEET, rows: rowsOf(body.passedOver) });
  return sheets;
}

/** The lists' download names: "2026年10月信息报送情况通报名单（草稿）.xlsx", with an ASCII fallback. */
export function noticeListFileNames(doc: { kind: NoticeKind; period: string; docNumber: string; published: boolean }): { chinese: string; ascii: string } {
  const what = `${noticeFileStem(doc.kind, doc.period)}名单`;
  const state = doc.published ? (doc.docNumber ? `（${doc.docNumber}）` : "") : "（草稿）";
  return { chinese: `${what}${state}.xlsx`, ascii: `notice-${doc.period}-lists${doc.published ? "" : "-draft"}.xlsx` };
}
