// A notice as one web page shows it. A county's notice is shown whole. Across a province the
// attached tables list every unit (tens of thousands of rows), so a page shows each table's first
// ANNEX_ROWS_SHOWN rows and the viewer's own unit's row, and says how many there are: the league
// page (/rankings/<period>) pages and searches the same table, and the Word and Excel downloads
// carry every row. The text and lists of the notice are never cut (their entries carry only what a
// list shows); a year summary's list of every correspondent, which the page does not show, is left off.
import type { NoticeDocument } from "./notice-document";
import type { ListEntry } from "./notice-lists";
import { PAGED_ABOVE } from "./rankings-view";

/** Rows of each attached unit table a province's notice shows on its page. */
export const ANNEX_ROWS_SHOWN = 50;

export interface NoticeShown {
  doc: NoticeDocument;
  /** Each unit table's number of rows, when the page shows only some (else null). */
  annexTotals: number[] | null;
}

/** What a page shows of `doc` to a viewer whose own unit is `ownUnitId`. */
export function noticeShown(doc: NoticeDocument, ownUnitId: number | null): NoticeShown {
  const tables = doc.body.tables as ReadonlyArray<{ rows: ReadonlyArray<{ unitId: number }> }>;
  const rows = tables.reduce((n, t) => n + t.rows.length, 0);
  if (rows <= PAGED_ABOVE) return { doc, annexTotals: null };
  const cut = tables.map((t) => ({
    ...t,
    rows: t.rows.filter((r, i) => i < ANNEX_ROWS_SHOWN || (ownUnitId !== null && r.unitId === ownUnitId)),
  }));
  // The lists' entries as a list shows them (a year's entries also carry the unit's whole row), and
  // a year's every correspondent (the Excel's and the league's, not the page's) stays off the page.
  const lists = {
    commended: doc.body.commended.map(listed), criticised: doc.body.criticised.map(listed), passedOver: doc.body.passedOver.map(listed),
  };
  const body = doc.body.kind === "annual" ? { ...doc.body, ...lists, tables: cut, correspondents: [] } : { ...doc.body, ...lists, tables: cut };
  return {
    doc: { ...doc, body: body as NoticeDocument["body"] },
    annexTotals: tables.map((t) => t.rows.length),
  };
}

/** A list entry's own fields, without the row a year summary's entries carry along. */
function listed({ unitId, code, name, kind, kindName, reasons, adjusted }: ListEntry): ListEntry {
  return { unitId, code, name, kind, kindName, reasons, adjusted };
}
