// Plain lists (accounts, units, words, months…): the page names its columns and the table lays
// out the rows; on a phone each row stacks as a card labelled by the column headers. Tables that
// sort are in sortable-tables.tsx.
import type { ReactNode } from "react";

function metaFlag(meta: unknown, flag: "numeric" | "primary" | "nowrap"): boolean {
  return !!meta && typeof meta === "object" && flag in meta && !!(meta as Record<string, unknown>)[flag];
}

export function numericClass(meta: unknown): string | undefined {
  return metaFlag(meta, "numeric") ? "num" : undefined;
}

/** A column marked `nowrap` holds short values (a month, a category) that read wrong broken over two lines. */
export function cellClass(meta: unknown): string | undefined {
  const classes = [
    numericClass(meta), metaFlag(meta, "primary") ? "cell-primary" : undefined, metaFlag(meta, "nowrap") ? "cell-nowrap" : undefined,
  ].filter(Boolean);
  return classes.length ? classes.join(" ") : undefined;
}

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
