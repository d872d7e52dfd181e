// The portal's sortable tables, rendered with TanStack Table, sharing one header and one body:
// - SortableDataTable: sorting, filtering and paging happen on the server from URL parameters
//   (the review queue); each sortable header is a plain link, so it works without JavaScript.
// - RankingTable (ranking-table.tsx): league tables sorted in the browser, built on the header,
//   body and direct cells here.
// On a phone each row becomes a card labelled by the column headers. Plain lists use DataTable
// (data-table.tsx).
import { Link } from "~/components/link";
import {
  createColumnHelper,
  flexRender,
  rowSortingFeature,
  tableFeatures,
  useTable,
  type ColumnDef,
  type HeaderGroup,
  type Row,
  type RowData,
  type SortingState,
  type TableFeatures,
} from "@tanstack/react-table";
import { useMemo, type ReactNode } from "react";
import { cellClass, numericClass } from "./data-table";


type SortState = false | "asc" | "desc";

/** What the sorting feature adds to a column (both tables have it; TanStack's types add it per feature). */
interface SortingColumn {
  getIsSorted(): SortState;
  getCanSort(): boolean;
}

export function SortMark({ sorted }: { sorted: SortState }) {
  return (
    <span className="sort-mark" aria-hidden="true">
      {sorted === "asc" ? "▲" : sorted === "desc" ? "▼" : "↕"}
    </span>
  );
}

export function SortableHead<F extends TableFeatures, T extends RowData>({
  groups, lead, className, control,
}: {
  groups: Array<HeaderGroup<F, T>>;
  /** A first header cell of each row (the checkbox column's). */
  lead?: ReactNode;
  className: (header: HeaderGroup<F, T>["headers"][number]) => string | undefined;
  /** The sort control of a column that sorts. */
  control: (header: HeaderGroup<F, T>["headers"][number], sorted: SortState) => ReactNode;
}) {
  return (
    <thead>
      {groups.map((group) => (
        <tr key={group.id}>
          {lead}
          {group.headers.map((header) => {
            const column = header.column as unknown as SortingColumn;
            const sorted = column.getIsSorted();
            return (
              <th
                key={header.id}
                scope="col"
                className={className(header)}
                aria-sort={sorted === "asc" ? "ascending" : sorted === "desc" ? "descending" : undefined}
              >
                {header.isPlaceholder ? null : column.getCanSort() ? control(header, sorted) : flexRender(header.column.columnDef.header, header.getContext())}
              </th>
            );
          })}
        </tr>
      ))}
    </thead>
  );
}

/**
 * The body rows. Each cell is labelled by its column's header for the card layout on a phone: by a
 * `data-label` of its own, or (`labelled: false`) by the table's stylesheet (the league tables).
 */
export function SortableBody<F extends TableFeatures, T extends RowData>({
  rows, rowId, rowClassName, lead, cellClassName, labelled = true,
}: {
  rows: Array<Row<F, T>>;
  rowId?: (row: T) => string | undefined;
  rowClassName?: (row: T) => string | undefined;
  /** A first cell of each row (the checkbox column's). */
  lead?: (row: T) => ReactNode;
  cellClassName: (meta: unknown) => string | undefined;
  labelled?: boolean;
}) {
  return (
    <tbody>
      {rows.map((row) => (
        <tr key={row.id} id={rowId?.(row.original)} className={rowClassName?.(row.original)}>
          {lead?.(row.original)}
          {row.getAllCells().map((cell) => (
            <td
              key={cell.id}
              data-label={labelled && typeof cell.column.columnDef.header === "string" ? cell.column.columnDef.header : undefined}
              className={cellClassName(cell.column.columnDef.meta)}
            >
              {flexRender(cell.column.columnDef.cell, cell.getContext())}
            </td>
          ))}
        </tr>
      ))}
    </tbody>
  );
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
        <SortableHead
          groups={table.getHeaderGroups()}
          lead={select ? (
            <th scope="col" className="cell-select">
              <span className="sr-only">{select.label}</span>
            </th>
          ) : null}
          className={(header) => numericClass(header.column.columnDef.meta)}
          control={(header, sorted) => {
            const column = header.column;
            const label = typeof column.columnDef.header === "string" ? column.columnDef.header : column.id;
            const next = column.getNextSortingOrder();
            return (
              <Link className="sort-link" to={sortHref(column.id, next === "desc")} title={`按${label}${next === "desc" ? "降序" : "升序"}排列`}>
                {label}
                <SortMark sorted={sorted} />
              </Link>
            );
          }}
        />
        <DirectBody
          data={data}
          columns={table.getAllLeafColumns()}
          rowClassName={rowClassName}
          lead={select ? (row) => <SelectCell select={select} row={row} /> : undefined}
        />
      </table>
    </div>
  );
}

/**
 * The body of a table whose rows arrive in the order shown (sorted and paged by the server): each
 * cell is its column's template called on the row (directCell), without the table's row and cell
 * objects; the same markup as SortableBody with `labelled` cells.
 */
function DirectBody<T>({
  data, columns, rowClassName, lead,
}: {
  data: T[];
  columns: ReadonlyArray<DirectColumn<T> & { id: string; columnDef: { header?: unknown; meta?: unknown } }>;
  rowClassName?: (row: T) => string | undefined;
  lead?: (row: T) => ReactNode;
}) {
  const heads = columns.map((column) => ({
    label: typeof column.columnDef.header === "string" ? column.columnDef.header : undefined,
    className: cellClass(column.columnDef.meta),
  }));
  return (
    <tbody>
      {data.map((original, index) => (
        <tr key={index} className={rowClassName?.(original)}>
          {lead?.(original)}
          {columns.map((column, i) => (
            <td key={column.id} data-label={heads[i].label} className={heads[i].className}>
              {directCell(column, original, index)}
            </td>
          ))}
        </tr>
      ))}
    </tbody>
  );
}

function SelectCell<T>({ select, row }: { select: NonNullable<SortableProps<T & RowData>["select"]>; row: T }) {
  const value = select.value(row as T & RowData);
  return (
    <td className="cell-select" data-label={select.label}>
      {value === null ? null : (
        // The label around the box makes the space about it a tap target of a finger's size.
        <label className="cell-select__hit">
          <input type="checkbox" name={select.name} value={value} aria-label={`${select.label}：${select.rowLabel(row as T & RowData)}`} />
        </label>
      )}
    </td>
  );
}

export interface DirectColumn<T> {
  accessorFn?: (row: T, index: number) => unknown;
  columnDef: { cell?: unknown };
}

/**
 * A cell rendered by calling its column's template with what the templates read (the value, the
 * row's original data), as FlexRender would render it: a template's elements, a string or nothing.
 */
export function directCell<T>(column: DirectColumn<T>, original: T, index: number): ReactNode {
  const getValue = () => column.accessorFn?.(original, index);
  const template = column.columnDef.cell;
  if (typeof template !== "function") return (template ?? null) as ReactNode;
  return template({ getValue, renderValue: getValue, row: { original, index }, column }) as ReactNode;
}
