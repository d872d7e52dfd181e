// The portal's sortable tables, rendered with TanStack Table, sharing one header and one body:
// - SortableDataTable: sorting, filtering and paging happen on the server from URL parameters
//   (the review queue); each sortable header is a plain link, so it works without JavaScript.
// - RankingTable: league tables; rows arrive in rank order from the server and the headers sort
//   them in the browser (a page holds at most a few hundred rows). Without JavaScript the table is
//   the same, in rank order.
// On a phone each row becomes a card labelled by the column headers. Plain lists use DataTable
// (data-table.tsx).
import { Link } from "@remix-run/react";
import {
  createColumnHelper,
  createSortedRowModel,
  flexRender,
  rowSortingFeature,
  sortFn_alphanumeric,
  tableFeatures,
  useTable,
  type ColumnDef,
  type HeaderGroup,
  type Row,
  type RowData,
  type SortingState,
  type TableFeatures,
} from "@tanstack/react-table";
import { useId, useMemo, useState, type ReactElement, type ReactNode } from "react";
import { cellClass, numericClass } from "./data-table";
import { cardLabelRules, columnLabel, metaOf, rankCellClass } from "./ranking-cells";

export { cardLabelRules, cssString, type RankingColumnMeta } from "./ranking-cells";

type SortState = false | "asc" | "desc";

/** What the sorting feature adds to a column (both tables have it; TanStack's types add it per feature). */
interface SortingColumn {
  getIsSorted(): SortState;
  getCanSort(): boolean;
}

function SortMark({ sorted }: { sorted: SortState }) {
  return (
    <span className="sort-mark" aria-hidden="true">
      {sorted === "asc" ? "▲" : sorted === "desc" ? "▼" : "↕"}
    </span>
  );
}

function SortableHead<F extends TableFeatures, T extends RowData>({
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
function SortableBody<F extends TableFeatures, T extends RowData>({
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
        <input type="checkbox" name={select.name} value={value} aria-label={`${select.label}：${select.rowLabel(row as T & RowData)}`} />
      )}
    </td>
  );
}

export const rankingFeatures = tableFeatures({
  rowSortingFeature,
  sortedRowModel: createSortedRowModel(),
  sortFns: { alphanumeric: sortFn_alphanumeric },
});
export type RankingFeatures = typeof rankingFeatures;

export function rankingColumnHelper<T extends RowData>() {
  return createColumnHelper<RankingFeatures, T>();
}

interface Props<T extends RowData> {
  columns: Array<ColumnDef<RankingFeatures, T, any>>;
  data: T[];
  caption: string;
  rowKey: (row: T) => string;
  rowClassName?: (row: T) => string | undefined;
  /** An id for a row (the viewer's own unit, for the "我的单位" link). */
  rowId?: (row: T) => string | undefined;
  initialSort?: SortingState;
  empty?: ReactNode;
  /**
   * On the server: the rows' markup, kept by `key` (what they show). The rows in rank order are the
   * same for everyone who asks for that page of that league until the next write; the browser
   * renders and hydrates the same rows itself.
   */
  rowsMarkup?: (key: string, render: () => ReactElement) => string;
  /**
   * With `rowsMarkup`: what the columns' templates depend on beyond their shape (the column set and
   * its inputs), so that the whole table's markup can be kept by it.
   */
  columnsKey?: unknown;
}

interface DirectColumn<T> {
  accessorFn?: (row: T, index: number) => unknown;
  columnDef: { cell?: unknown };
}

/**
 * A cell rendered by calling its column's template with what the templates read (the value, the
 * row's original data), as FlexRender would render it: a template's elements, a string or nothing.
 */
function directCell<T>(column: DirectColumn<T>, original: T, index: number): ReactNode {
  const getValue = () => column.accessorFn?.(original, index);
  const template = column.columnDef.cell;
  if (typeof template !== "function") return (template ?? null) as ReactNode;
  return template({ getValue, renderValue: getValue, row: { original, index }, column }) as ReactNode;
}

export function RankingTable<T extends RowData>(props: Props<T>) {
  const scope = useId();
  const { data, empty, caption, rowKey, rowId, rowClassName, initialSort, rowsMarkup, columnsKey } = props;
  if (data.length === 0) return <p className="muted">{empty ?? "暂无数据。"}</p>;
  if (rowsMarkup && columnsKey !== undefined && initialSort === undefined) {
    // On the server, in rank order: the whole table's markup (head and rows) is kept by everything
    // it shows, so a table seen before costs no table instance, head or rows to render again.
    const key = JSON.stringify([
      columnsKey,
      columnShapes(props.columns),
      scope,
      caption,
      data.map((original) => [rowKey(original), rowId?.(original), rowClassName?.(original)]),
      data,
    ]);
    const html = rowsMarkup(key, () => <RankingTableParts {...props} rowsMarkup={undefined} scope={scope} />);
    return <div className="table-wrap rank-wrap" dangerouslySetInnerHTML={{ __html: html }} />;
  }
  return (
    <div className="table-wrap rank-wrap">
      <RankingTableParts {...props} scope={scope} />
    </div>
  );
}

/** What a column list is made of, as far as it can be written down (ids, labels, cell metadata), nested groups included. */
function columnShapes(columns: ReadonlyArray<unknown>): unknown {
  return columns.map((column) => {
    const c = column as { id?: string; accessorKey?: string; header?: unknown; meta?: unknown; columns?: unknown[] };
    return [c.id, c.accessorKey, typeof c.header === "string" ? c.header : typeof c.header, c.meta, c.columns ? columnShapes(c.columns) : null];
  });
}

function RankingTableParts<T extends RowData>({ columns, data, caption, rowKey, rowClassName, rowId, initialSort, rowsMarkup, scope }: Props<T> & { scope: string }) {
  const [sorting, setSorting] = useState<SortingState>(initialSort ?? [{ id: "rank", desc: false }]);
  const table = useTable({
    features: rankingFeatures,
    columns,
    data,
    state: { sorting },
    onSortingChange: setSorting,
    getRowId: (row) => rowKey(row),
    enableMultiSort: false,
    enableSortingRemoval: false,
  });
  // Until a header is clicked the rows are shown as they arrive (rank order): each cell is its
  // column's template called on the row, without the table's row and cell objects (a page of a
  // province's league is 750 cells, rendered on the server for every request). The same on the
  // server and in the browser, so hydration sees the same markup.
  const inArrivalOrder = initialSort === undefined && sorting.length === 1 && sorting[0].id === "rank" && !sorting[0].desc;
  const leafColumns = table.getAllLeafColumns();
  const cellClasses = leafColumns.map((column) => rankCellClass(column.columnDef.meta));
  const rows = () => (
    <>
      {data.map((original, index) => (
        <tr key={rowKey(original)} id={rowId?.(original)} className={rowClassName?.(original)}>
          {leafColumns.map((column, i) => (
            <td key={column.id} className={cellClasses[i]}>
              {directCell(column, original, index)}
            </td>
          ))}
        </tr>
      ))}
    </>
  );
  // Everything the rows' markup depends on: the table, its columns, each row's data, id and class.
  const rowsKey = () =>
    JSON.stringify([
      caption,
      leafColumns.map((column, i) => [column.id, columnLabel(column.columnDef, column.id), cellClasses[i]]),
      data.map((original) => [rowKey(original), rowId?.(original), rowClassName?.(original)]),
      data,
    ]);
  return (
    <>
      <style dangerouslySetInnerHTML={{ __html: cardLabelRules(scope, leafColumns) }} />
      <table className="data rank-table" data-cards={scope}>
        <caption className="sr-only">{caption}（点击表头可排序）</caption>
        <SortableHead
          groups={table.getHeaderGroups()}
          className={(header) => (metaOf(header.column.columnDef.meta).numeric ? "num" : undefined)}
          control={(header, sorted) => {
            const column = header.column;
            const label = columnLabel(column.columnDef, column.id);
            return (
              <button type="button" className="sort-button" onClick={column.getToggleSortingHandler()} title={`按${label}排序`}>
                <table.FlexRender header={header} />
                <SortMark sorted={sorted} />
              </button>
            );
          }}
        />
        {inArrivalOrder ? (
          rowsMarkup ? (
            <tbody dangerouslySetInnerHTML={{ __html: rowsMarkup(rowsKey(), rows) }} />
          ) : (
            <tbody>{rows()}</tbody>
          )
        ) : (
          <SortableBody rows={table.getRowModel().rows} rowId={rowId} rowClassName={rowClassName} cellClassName={rankCellClass} labelled={false} />
        )}
      </table>
    </>
  );
}
