// How far a figures write reached: the units and report months of the item rows and monthly rollup
// rows it touched, recorded by SQLite itself (temporary triggers on the writer's connection), so a
// result computed from one unit's items, or from one month's rollup, is kept across the writes that
// touched only other units or other months (app/models/write-cache.server.ts). A write to any other
// table of figures (units, settings, notices, closes…) reaches everything.
import type { Sqlite3Connection } from "./sqlite3-connection";

/**
 * The units and report months a figures write touched, and the items whose own row it wrote
 * (inserted, changed or deleted), or everything.
 */
export type WriteReach = "everything" | { readonly units: readonly number[]; readonly months: readonly string[]; readonly items: readonly number[] };

/** A write that touched rows of these tables alone reaches only their units and months; `null` month: an item not in any month yet. */
const TABLES_WITH_UNIT_AND_MONTH: Readonly<Record<string, { unit: string; month: string }>> = {
  items: { unit: "unit_id", month: "report_month" },
  unit_month_stats: { unit: "unit_id", month: "month" },
  unit_month_channel_stats: { unit: "unit_id", month: "month" },
  correspondent_month_stats: { unit: "unit_id", month: "month" },
};
/** Rows that belong to an item: they reach the item's unit and month. */
const TABLES_OF_AN_ITEM = ["item_bylines", "photos", "review_events", "pickups", "instructions"] as const;

/** The tables whose writes are followed row by row; a write to any other table of figures reaches everything. */
export const TABLES_WITH_REACH: ReadonlySet<string> = new Set([...Object.keys(TABLES_WITH_UNIT_AND_MONTH), ...TABLES_OF_AN_ITEM]);

/**
 * Where the triggers note each touched row's unit and month (-1 for a unit: a row whose item was not
 * found), and for a row of items its id.
 */
const NOTED = "temp.figures_reach";
const UNKNOWN_UNIT = -1;

/** The temporary table and triggers that note the reach of every row written to TABLES_WITH_REACH. */
function reachStatements(): string[] {
  const statements = [`create temp table if not exists figures_reach (unit_id integer, month text, item_id integer)`];
  const trigger = (table: string, event: "insert" | "update" | "delete", body: string) =>
    `create temp trigger if not exists figures_reach_${table}_${event} after ${event} on main.${table} begin ${body} end`;
  for (const [table, { unit, month }] of Object.entries(TABLES_WITH_UNIT_AND_MONTH)) {
    const note = (row: "new" | "old") => `insert into ${NOTED} values (${row}.${unit}, ${row}.${month}, ${table === "items" ? `${row}.id` : "null"});`;
    statements.push(trigger(table, "insert", note("new")), trigger(table, "update", note("old") + note("new")), trigger(table, "delete", note("old")));
  }
  for (const table of TABLES_OF_AN_ITEM) {
    const note = (row: "new" | "old") =>
      `insert into ${NOTED} select coalesce((select unit_id from main.items where id = ${row}.item_id), ${UNKNOWN_UNIT}), (select report_month from main.items where id = ${row}.item_id), null;`;
    statements.push(trigger(table, "insert", note("new")), trigger(table, "update", note("old") + note("new")), trigger(table, "delete", note("old")));
  }
  return statements;
}

/**
 * Creates the notes' table and triggers on the writer's connection (temporary: they exist for this
 * connection only, and never in the database file). False while a table they follow is missing
 * (before the migrations): until then every figures write reaches everything.
 */
export async function followReach(conn: Sqlite3Connection): Promise<boolean> {
  const present = await new Promise<number>((resolve, reject) =>
    conn.raw.get(
      `select count(*) as n from main.sqlite_master where type = 'table' and name in (${[...TABLES_WITH_REACH].map(() => "?").join(", ")})`,
      [...TABLES_WITH_REACH],
      (err, row: { n: number }) => (err ? reject(err) : resolve(row.n)),
    ),
  );
  if (present !== TABLES_WITH_REACH.size) return false;
  await conn.exec(reachStatements().join(";\n"));
  return true;
}

/** The reach noted since the last call (the rows of the writes just committed, or none if rolled back), and the notes cleared. */
export async function takeReach(conn: Sqlite3Connection): Promise<WriteReach> {
  const rows = await new Promise<NotedRow[]>((resolve, reject) =>
    conn.raw.all(`delete from ${NOTED} returning unit_id, month, item_id`, (err, found: NotedRow[]) =>
      err ? reject(err) : resolve(found),
    ),
  );
  return reachOf(rows);
}

/** One note of a touched row: `item_id` only for a row of items. */
export interface NotedRow {
  unit_id: number | null;
  month: string | null;
  item_id?: number | null;
}

/** The reach of the noted rows: their units, months and items; everything if one of them could not be placed. */
export function reachOf(rows: readonly NotedRow[]): WriteReach {
  const units = new Set<number>();
  const months = new Set<string>();
  const items = new Set<number>();
  for (const r of rows) {
    if (r.unit_id === null || r.unit_id === UNKNOWN_UNIT) return "everything";
    units.add(r.unit_id);
    if (r.month !== null) months.add(r.month);
    if (r.item_id != null) items.add(r.item_id);
  }
  return { units: [...units], months: [...months], items: [...items] };
}
