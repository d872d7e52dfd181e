// League tables with TanStack Table: rows arrive in rank order from the server; the headers sort
// them in the browser (a kind has at most a few hundred units). Without JavaScript the table is
// the same, in rank order. On a phone each row becomes a compact card.
import {
  createColumnHelper,
  createSortedRowModel,
  rowSortingFeature,
  sortFn_alphanumeric,
  tableFeatures,
  useTable,
  type ColumnDef,
  type RowData,
  type SortingState,
} from "@tanstack/react-table";
import { useState, type ReactNode } from "react";

export const rankingFeatures = tableFeatures({
  rowSortingFeature,
  sortedRowModel: createSortedRowModel(),
  sortFns: { alphanumeric: sortFn_alphanumeric },
});
export type RankingFeatures = typeof rankingFeatures;

export function rankingColumnHelper<T extends RowData>() {
  return createColumnHelper<RankingFeatures, T>();
}

export interface RankingColumnMeta {
  numeric?: boolean;
  /** Stays on the card's first line on a phone (rank, name). */
  lead?: "rank" | "name";
  /** Takes two of the four columns on a phone card (long text such as a unit's name). */
  wide?: boolean;
  /** Label on a phone card when the header is not plain text. */
  label?: string;
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
}

function metaOf(meta: unknown): RankingColumnMeta {
  return meta && typeof meta === "object" ? (meta as RankingColumnMeta) : {};
}

/** A body cell's label (for the phone card) and classes, from its column. */
function cellProps(def: { header?: unknown; meta?: unknown }) {
  const meta = metaOf(def.meta);
  const classes = [meta.numeric ? "num" : "", meta.lead ? `rank-lead rank-lead--${meta.lead}` : "", meta.wide ? "rank-wide" : ""].filter(Boolean).join(" ");
  return { "data-label": typeof def.header === "string" ? def.header : meta.label, className: classes || undefined };
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

export function RankingTable<T extends RowData>({ columns, data, caption, rowKey, rowClassName, rowId, initialSort, empty }: Props<T>) {
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
  if (data.length === 0) return <p className="muted">{empty ?? "暂无数据。"}</p>;
  // Until a header is clicked the rows are shown as they arrive (rank order): each cell is its
  // column's template called on the row, without the table's row and cell objects (a page of a
  // province's league is 750 cells, rendered on the server for every request). The same on the
  // server and in the browser, so hydration sees the same markup.
  const inArrivalOrder = initialSort === undefined && sorting.length === 1 && sorting[0].id === "rank" && !sorting[0].desc;
  const leafColumns = table.getAllLeafColumns();
  return (
    <div className="table-wrap rank-wrap">
      <table className="data rank-table">
        <caption className="sr-only">{caption}（点击表头可排序）</caption>
        <thead>
          {table.getHeaderGroups().map((group) => (
            <tr key={group.id}>
              {group.headers.map((header) => {
                const column = header.column;
                const meta = metaOf(column.columnDef.meta);
                const sorted = column.getIsSorted();
                const label = typeof column.columnDef.header === "string" ? column.columnDef.header : (meta.label ?? column.id);
                return (
                  <th
                    key={header.id}
                    scope="col"
                    className={meta.numeric ? "num" : undefined}
                    aria-sort={sorted === "asc" ? "ascending" : sorted === "desc" ? "descending" : undefined}
                  >
                    {header.isPlaceholder ? null : column.getCanSort() ? (
                      <button
                        type="button"
                        className="sort-button"
                        onClick={column.getToggleSortingHandler()}
                        title={`按${label}排序`}
                      >
                        <table.FlexRender header={header} />
                        <span className="sort-mark" aria-hidden="true">
                          {sorted === "asc" ? "▲" : sorted === "desc" ? "▼" : "↕"}
                        </span>
                      </button>
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
          {inArrivalOrder
            ? data.map((original, index) => (
                <tr key={rowKey(original)} id={rowId?.(original)} className={rowClassName?.(original)}>
                  {leafColumns.map((column) => (
                    <td key={column.id} {...cellProps(column.columnDef)}>
                      {directCell(column, original, index)}
                    </td>
                  ))}
                </tr>
              ))
            : table.getRowModel().rows.map((row) => (
                <tr key={row.id} id={rowId?.(row.original)} className={rowClassName?.(row.original)}>
                  {row.getAllCells().map((cell) => (
                    <td key={cell.id} {...cellProps(cell.column.columnDef)}>
                      <table.FlexRender cell={cell} />
                    </td>
                  ))}
                </tr>
              ))}
        </tbody>
      </table>
    </div>
  );
}
