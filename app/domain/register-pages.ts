// The register as one page shows it. A county's register is shown whole; above PAGED_ABOVE units
// (a province) the page shows one kind at a time and one page of its units, searchable by name or
// code as the league pages are, and lists that kind's incomplete units up to INCOMPLETE_SHOWN.
// The Excel download keeps every unit and every incomplete one.
import { PAGED_ABOVE, PAGE_SIZE, tablePage, type Paging, type TableQuery } from "~/domain/rankings-view";
import { incompleteTable, type IncompleteRow, type RegisterView } from "~/domain/register";

/** The most incomplete units a paged register lists (of the kind shown). */
export const INCOMPLETE_SHOWN = 100;

export interface RegisterIncomplete {
  /** The incomplete units listed. */
  rows: IncompleteRow[];
  /** How many there are in what the list covers (the kind shown, or everything). */
  listed: number;
  /** The kind the list covers on a paged register; null when it covers every unit. */
  kindName: string | null;
  /** Units incomplete at the deadline (once passed; else today), and today, across the register. */
  atDeadline: number;
  today: number;
}

export interface RegisterShown {
  /** The register with only the units shown (and no incomplete lists: `incomplete` has what is shown). */
  view: Omit<RegisterView, "incomplete" | "incompleteToday">;
  paging: Paging | null;
  incomplete: RegisterIncomplete;
}

/** What the page shows of `view` for `query` (`?kind=…&page=…&q=…`, read only when paged). */
export function registerShown(view: RegisterView, query: TableQuery): RegisterShown {
  const { incomplete: deadlineList, incompleteToday, ...rest } = view;
  const counts = { atDeadline: deadlineList.length, today: incompleteToday.length };
  if (view.scope === "unit" || view.totals.units <= PAGED_ABOVE) {
    const rows = incompleteTable(view.kinds.flatMap((k) => k.units), view.deadlinePassed);
    return { view: rest, paging: null, incomplete: { rows, listed: rows.length, kindName: null, ...counts } };
  }
  const tables = view.kinds.map((k) => ({ code: k.code, name: k.name, units: k.units.length }));
  const kind = view.kinds.find((k) => k.code === query.kind) ?? view.kinds[0];
  const { matches, pages, page, rows: units } = tablePage(kind.units, query);
  const rows = incompleteTable(kind.units, view.deadlinePassed);
  return {
    view: { ...rest, kinds: [{ ...kind, units }] },
    paging: { kind: kind.code, tables, page, pages, pageSize: PAGE_SIZE, q: query.q, matches, own: null },
    incomplete: { rows: rows.slice(0, INCOMPLETE_SHOWN), listed: rows.length, kindName: kind.name, ...counts },
  };
}
