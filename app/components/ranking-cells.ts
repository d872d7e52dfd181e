// How a league table's columns read on a phone card and in the cells' classes, from each column's
// `meta` (RankingColumnMeta): the labels as one stylesheet per table, the classes once per column.

export interface RankingColumnMeta {
  numeric?: boolean;
  /** Stays on the card's first line on a phone (rank, name). */
  lead?: "rank" | "name";
  /** Takes two of the four columns on a phone card (long text such as a unit's name). */
  wide?: boolean;
  /** Label on a phone card when the header is not plain text. */
  label?: string;
}

/** A column's meta as RankingColumnMeta (empty when it has none). */
export function metaOf(meta: unknown): RankingColumnMeta {
  return meta && typeof meta === "object" ? (meta as RankingColumnMeta) : {};
}

/** A cell's classes from its column's meta: numeric, kept on the phone card's first line, or wide. */
export function rankCellClass(value: unknown): string | undefined {
  const meta = metaOf(value);
  const classes = [meta.numeric ? "num" : "", meta.lead ? `rank-lead rank-lead--${meta.lead}` : "", meta.wide ? "rank-wide" : ""];
  return classes.filter(Boolean).join(" ") || undefined;
}

/** A column's label: its header, or its `meta.label` when the header is not plain text. */
export function columnLabel(def: { header?: unknown; meta?: unknown }, id: string): string {
  return typeof def.header === "string" ? def.header : (metaOf(def.meta).label ?? id);
}

/** Text as a CSS string literal that is also safe inside a <style> element. */
export function cssString(text: string): string {
  return `"${text.replace(/["\\<>&\u0000-\u001f\u007f]/g, (c) => `\\${c.charCodeAt(0).toString(16)} `)}"`;
}

/**
 * The phone card's labels of a league table, once per table instead of once per cell: the n-th
 * cell of every row gets its column's label as `--cell-label`, which rankings.css shows before the
 * cell's value on a narrow screen (the cards' first line, rank and name, has none).
 */
export function cardLabelRules(scope: string, columns: ReadonlyArray<{ id: string; columnDef: { header?: unknown; meta?: unknown } }>): string {
  return columns
    .map((column, i) =>
      metaOf(column.columnDef.meta).lead
        ? ""
        : `table[data-cards="${scope}"] td:nth-child(${i + 1}){--cell-label:${cssString(columnLabel(column.columnDef, column.id))}}`,
    )
    .join("");
}
