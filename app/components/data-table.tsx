// A read-only table rendered with TanStack Table. Sorting, filtering and paging happen on the
// server from URL parameters, so the table only lays out rows; on a phone rows stack as cards.
import { createColumnHelper, tableFeatures, useTable, type ColumnDef, type RowData } from "@tanstack/react-table";

export const coreFeatures = tableFeatures({});
export type CoreFeatures = typeof coreFeatures;

export function columnHelper<T extends RowData>() {
  return createColumnHelper<CoreFeatures, T>();
}

interface Props<T extends RowData> {
  columns: Array<ColumnDef<CoreFeatures, T, any>>;
  data: T[];
  caption?: string;
  rowKey?: (row: T) => string | number;
  rowClassName?: (row: T) => string | undefined;
}

export function DataTable<T extends RowData>({ columns, data, caption, rowClassName }: Props<T>) {
  const table = useTable({ features: coreFeatures, columns, data });
  return (
    <div className="table-wrap">
      <table className="data stack-on-phone">
        {caption ? <caption className="sr-only">{caption}</caption> : null}
        <thead>
          {table.getHeaderGroups().map((group) => (
            <tr key={group.id}>
              {group.headers.map((header) => (
                <th key={header.id} scope="col" className={numericClass(header.column.columnDef.meta)}>
                  {header.isPlaceholder ? null : <table.FlexRender header={header} />}
                </th>
              ))}
            </tr>
          ))}
        </thead>
        <tbody>
          {table.getRowModel().rows.map((row) => (
            <tr key={row.id} className={rowClassName?.(row.original)}>
              {row.getAllCells().map((cell) => {
                const header = cell.column.columnDef.header;
                return (
                  <td
                    key={cell.id}
                    data-label={typeof header === "string" ? header : undefined}
                    className={numericClass(cell.column.columnDef.meta)}
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

function numericClass(meta: unknown): string | undefined {
  return meta && typeof meta === "object" && "numeric" in meta && meta.numeric ? "num" : undefined;
}
