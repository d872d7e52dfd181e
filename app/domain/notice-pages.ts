// A notice as one web page shows it. A county's notice is shown whole. Across a province the
// attached tables list every unit (tens of thousands of rows), so a page shows each table's first
// ANNEX_ROWS_SHOWN rows and the viewer's own unit's row, and says how many there are: the league
// page (/rankings/<period>) pages and searches the same table, and the Word and Excel downloads
// carry every row. A list in the text (表扬, 通报批评, 优秀信息员) longer than PAGED_ABOVE is cut the
// same way to the first LIST_ENTRIES_SHOWN entries of each kind of unit and the viewer's own, with
// its size in all and per kind (`listsCut`); the Word file carries every entry. The entries carry
// only what a list shows; a year summary's list of every correspondent, which the page does not
// show, is left off.
import type { ListCut, ListsCut, NoticeDocument } from "./notice-document";
import type { ListEntry } from "./notice-lists";
import { PAGED_ABOVE } from "./rankings-view";

/** Rows of each attached unit table a province's notice shows on its page. */
export const ANNEX_ROWS_SHOWN = 50;
/** Entries of each kind of unit (or people) of a long list a province's notice shows on its page. */
export const LIST_ENTRIES_SHOWN = 50;

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
  const listsCut: ListsCut = {};
  const shownOf = (name: "commended" | "criticised" | "passedOver", entries: readonly ListEntry[]) => {
    if (entries.length <= PAGED_ABOVE) return entries.map(listed);
    const before = new Map<string, number>();
    let ownAdded = false;
    const kept = entries.filter((e) => {
      const n = before.get(e.kind) ?? 0;
      before.set(e.kind, n + 1);
      if (n < LIST_ENTRIES_SHOWN) return true;
      if (ownUnitId === null || e.unitId !== ownUnitId) return false;
      return (ownAdded = true);
    });
    listsCut[name] = { ...sizeOf(entries), ownAdded };
    return kept.map(listed);
  };
  const lists = {
    commended: shownOf("commended", doc.body.commended), criticised: shownOf("criticised", doc.body.criticised),
    passedOver: shownOf("passedOver", doc.body.passedOver ?? []),
  };
  let body;
  if (doc.body.kind === "annual") {
    const { outstanding } = doc.body;
    const people = outstanding.length > PAGED_ABOVE ? outstanding.slice(0, LIST_ENTRIES_SHOWN) : outstanding;
    if (people !== outstanding) listsCut.outstanding = { total: outstanding.length, kinds: [], ownAdded: false };
    body = { ...doc.body, ...lists, outstanding: people, tables: cut, correspondents: [] };
  } else {
    body = { ...doc.body, ...lists, tables: cut };
  }
  return {
    doc: { ...doc, body: body as NoticeDocument["body"], ...(Object.keys(listsCut).length > 0 ? { listsCut } : {}) },
    annexTotals: tables.map((t) => t.rows.length),
  };
}

/** A list's size in all and per kind, the kinds in the order the list first names them. */
function sizeOf(entries: readonly ListEntry[]): Omit<ListCut, "ownAdded"> {
  const kinds = new Map<string, ListCut["kinds"][number]>();
  for (const e of entries) {
    const k = kinds.get(e.kind);
    if (k) k.count++;
    else kinds.set(e.kind, { kind: e.kind, kindName: e.kindName, count: 1 });
  }
  return { total: entries.length, kinds: [...kinds.values()] };
}

/** A list entry's own fields, without the row a year summary's entries carry along. */
function listed({ unitId, code, name, kind, kindName, reasons, adjusted }: ListEntry): ListEntry {
  return { unitId, code, name, kind, kindName, reasons, adjusted };
}
