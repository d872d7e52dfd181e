// A read-only table rendered with TanStack Table. Sorting, filtering and paging happen on the
// server from URL parameters, so the table only lays out rows; on a phone rows stack as cards.
// (The league tables sort in the browser instead: see ranking-table.tsx.)
import { Link } from "@remix-run/react";
import {
  createColumnHelper,
  rowSortingFeature,
  tableFeatures,
  useTable,
  type ColumnDef,
  type RowData,
  type SortingState,
} from "@tanstack/react-table";
import { useMemo, type ReactNode } from "react";

function metaFlag(meta: unknown, flag: "numeric" | "primary"): boolean {
  return !!meta && typeof meta === "object" && flag in meta && !!(meta as Record<string, unknown>)[flag];
}

function numericClass(meta: unknown): string | undefined {
  return metaFlag(meta, "numeric") ? "num" : undefined;
}

function cellClass(meta: unknown): string | undefined {
  const classes = [numericClass(meta), metaFlag(meta, "primary") ? "cell-primary" : undefined].filter(Boolean);
  return classes.length ? classes.join(" ") : undefined;
}

// ---------------------------------------------------------------------------------------------
// Sortable by links: the sort lives in the URL and the server sorts in SQL (manualSorting), so the
// table only reports which column is sorted and which way a click would sort it next. Each
// sortable header is a plain link, so it works without JavaScript.

export const sortingFeatures = tableFeatures({ rowSortingFeature });
export type SortingFeatures = typeof sortingFeatures;

export function sortableColumnHelper<T extends RowData>() {
  return createColumnHelper<SortingFeatures, T>();
}

interface SortableProps<T extends RowData> {
  columns: Array<ColumnDef<SortingFeatures, T, any>>;
  data: T[];
  caption?: string;
  /** The column the rows arrive sorted by. */
  sort: { id: string; desc: boolean };
  /** The address that shows the rows sorted by a column in a direction. */
  sortHref: (columnId: string, desc: boolean) => string;
  rowClassName?: (row: T) => string | undefined;
  /**
   * A first column of checkboxes (`name`, one value per row) for a form around the table; a row
   * whose value is null has no box. Works without JavaScript: the ticked values are posted.
   */
  select?: { name: string; label: string; value: (row: T) => string | null; rowLabel: (row: T) => string };
}

export function SortableDataTable<T extends RowData>({ columns, data, caption, sort, sortHref, rowClassName, select }: SortableProps<T>) {
  const sorting = useMemo<SortingState>(() => [{ id: sort.id, desc: sort.desc }], [sort.id, sort.desc]);
  const table = useTable({
    features: sortingFeatures,
    columns,
    data,
    state: { sorting },
    manualSorting: true,
    enableMultiSort: false,
    enableSortingRemoval: false,
    sortDescFirst: false,
  });
  return (
    <div className="table-wrap">
      <table className="data stack-on-phone">
        {caption ? <caption className="sr-only">{caption}</caption> : null}
        <thead>
          {table.getHeaderGroups().map((group) => (
            <tr key={group.id}>
              {select ? (
                <th scope="col" className="cell-select">
                  <span className="sr-only">{select.label}</span>
                </th>
              ) : null}
              {group.headers.map((header) => {
                const column = header.column;
                const sorted = column.getIsSorted();
                const label = typeof column.columnDef.header === "string" ? column.columnDef.header : column.id;
                const next = column.getNextSortingOrder();
                return (
                  <th
                    key={header.id}
                    scope="col"
                    className={numericClass(column.columnDef.meta)}
                    aria-sort={sorted === "asc" ? "ascending" : sorted === "desc" ? "descending" : undefined}
                  >
                    {header.isPlaceholder ? null : column.getCanSort() ? (
                      <Link
                        className="sort-link"
                        to={sortHref(column.id, next === "desc")}
                        title={`按${label}${next === "desc" ? "降序" : "升序"}排列`}
                      >
                        {label}
                        <span className="sort-mark" aria-hidden="true">
                          {sorted === "asc" ? "▲" : sorted === "desc" ? "▼" : "↕"}
                        </span>
                      </Link>
                    ) : (
                      <table.FlexRender header={header} />
                    )}
                  </th>
                );
              })}
            </tr>
          ))}
        </thead>
        <tbody>
          {table.getRowModel().rows.map((row) => (
            <tr key={row.id} className={rowClassName?.(row.original)}>
              {select ? <SelectCell select={select} row={row.original} /> : null}
              {row.getAllCells().map((cell) => {
                const header = cell.column.columnDef.header;
                return (
                  <td
                    key={cell.id}
                    data-label={typeof header === "string" ? header : undefined}
                    className={cellClass(cell.column.columnDef.meta)}
                  >
                    <table.FlexRender cell={cell} />
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function SelectCell<T>({ select, row }: { select: NonNullable<SortableProps<T & RowData>["select"]>; row: T }) {
  const value = select.value(row as T & RowData);
  return (
    <td className="cell-select" data-label={select.label}>
      {value === null ? null : (
        <input type="checkbox" name={select.name} value={value} aria-label={`${select.label}：${select.rowLabel(row as T & RowData)}`} />
      )}
    </td>
  );
}

// ---------------------------------------------------------------------------------------------
// Plain lists (accounts, units, words, months…): the page names its columns and the table lays
// out the rows; on a phone each row stacks as a card labelled by the column headers.

export interface Column<T> {
  header: string;
  cell: (row: T) => ReactNode;
  numeric?: boolean;
  /** The row's main cell (its title on a phone). */
  primary?: boolean;
  /** Extra class of the column's cells, and of its header unless `headerClassName` says otherwise. */
  className?: string;
  headerClassName?: string;
}

function headerClass<T>(c: Column<T>): string | undefined {
  return [c.numeric ? "num" : "", c.headerClassName ?? c.className ?? ""].filter(Boolean).join(" ") || undefined;
}

export function DataTable<T>({
  columns, rows, rowKey, rowId, caption, rowClassName, className = "data stack-on-phone",
}: {
  columns: Array<Column<T> | false | null | undefined>;
  rows: readonly T[];
  rowKey: (row: T) => string | number;
  /** The row's id, for links to it (#unit-…). */
  rowId?: (row: T) => string;
  caption?: string;
  rowClassName?: (row: T) => string | undefined;
  className?: string;
}) {
  const shown = columns.filter((c): c is Column<T> => !!c);
  return (
    <div className="table-wrap">
      <table className={className}>
        {caption ? <caption className="sr-only">{caption}</caption> : null}
        <thead>
          <tr>
            {shown.map((c) => (
              <th key={c.header} scope="col" className={headerClass(c)}>
                {c.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={rowKey(row)} id={rowId?.(row)} className={rowClassName?.(row)}>
              {shown.map((c) => (
                <td
                  key={c.header}
                  data-label={c.header}
                  className={[cellClass({ numeric: c.numeric, primary: c.primary }), c.className].filter(Boolean).join(" ") || undefined}
                >
                  {c.cell(row)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
