// League tables: rows arrive in rank order from the server and the headers sort them in the
// browser (a page holds at most a few hundred rows). Without JavaScript the table is the same, in
// rank order. On the server a table seen before is kept whole as markup (rowsMarkup, columnsKey).
// The header, body and direct cells are shared with the review queue's table (sortable-tables.tsx).
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
import { useId, useState, type ReactNode } from "react";
import { replaceRows, type KeepMarkup } from "./kept-markup";
import { cardLabelRules, columnLabel, metaOf, rankCellClass } from "./ranking-cells";
import { directCell, SortableBody, SortableHead, SortMark } from "./sortable-tables";

export { cardLabelRules, cssString, type RankingColumnMeta } from "./ranking-cells";

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
  rowsMarkup?: KeepMarkup;
  /**
   * With `rowsMarkup`: what the columns' templates depend on beyond their shape (the column set and
   * its inputs), so that the whole table's markup can be kept by it.
   */
  columnsKey?: unknown;
  /**
   * With `rowsMarkup` and `columnsKey`: for a row this viewer sees marked (their own unit's, their
   * own), the row as everyone else sees it; null for a row everyone sees alike. The table is kept
   * once, as everyone else sees it, and the viewer's rows are rendered alone into their places:
   * forty schools looking at one league share one kept table instead of forty.
   */
  unmarked?: (row: T) => T | null;
}

export function RankingTable<T extends RowData>(props: Props<T>) {
  const scope = useId();
  const { data, empty, caption, rowKey, rowId, rowClassName, initialSort, rowsMarkup, columnsKey, unmarked } = props;
  if (data.length === 0) return <p className="muted">{empty ?? "暂无数据。"}</p>;
  if (rowsMarkup && columnsKey !== undefined && initialSort === undefined) {
    // On the server, in rank order: the whole table's markup (head and rows) is kept by everything
    // it shows, so a table seen before costs no table instance, head or rows to render again.
    const marked = unmarked ? data.flatMap((row, index) => (unmarked(row) === null ? [] : [index])) : [];
    const shared = marked.length === 0 ? data : data.map((row) => unmarked!(row) ?? row);
    const key = JSON.stringify([
      columnsKey,
      columnShapes(props.columns),
      scope,
      caption,
      shared.map((original) => [rowKey(original), rowId?.(original), rowClassName?.(original)]),
      shared,
    ]);
    const kept = rowsMarkup(key, () => <RankingTableParts {...props} data={shared} rowsMarkup={undefined} scope={scope} />);
    // The viewer's own rows, each rendered alone as it is in the whole table (and kept with it), in
    // place of everyone else's.
    const ownRow = (index: number) => {
      const row = data[index];
      const part = JSON.stringify([index, rowKey(row), rowId?.(row), rowClassName?.(row), row]);
      return rowsMarkup.part(key, part, () => <RankingTableParts {...props} rowsMarkup={undefined} scope={scope} only={index} />);
    };
    const html = marked.length === 0 ? kept : replaceRows(kept, new Map(marked.map((index) => [index, ownRow(index)])));
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

/** The table; with `only`, that row of it alone (as it is in the table, for RankingTable's kept markup). */
function RankingTableParts<T extends RowData>({ columns, data, caption, rowKey, rowClassName, rowId, initialSort, rowsMarkup, scope, only }: Props<T> & { scope: string; only?: number }) {
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
  const row = (original: T, index: number) => (
    <tr key={rowKey(original)} id={rowId?.(original)} className={rowClassName?.(original)}>
      {leafColumns.map((column, i) => (
        <td key={column.id} className={cellClasses[i]}>
          {directCell(column, original, index)}
        </td>
      ))}
    </tr>
  );
  if (only !== undefined) return row(data[only], only);
  const rows = () => <>{data.map(row)}</>;
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
