// Reading a large result as columns: SQL returns the rows as one JSON object of arrays, one per
// column, and one JSON.parse takes it all. At province scale (20,000 units) node-sqlite3 spends far
// longer making one object per row than SQLite spends finding the rows.
import { sql, type Kysely, type RawBuilder, type Transaction } from "kysely";
import type { Database } from "../../db/schema";

/**
 * The rows of `from` (a `from … where …` clause) as one array per key of `columns` (key → SQL
 * expression). SQLite's JSON keeps 15 significant digits: a REAL that must read back exactly goes
 * through `printf('%!.17g', …)` as text (see months.server.ts).
 */
export async function readColumns<T>(db: Kysely<Database> | Transaction<Database>, columns: Record<string, string>, from: RawBuilder<unknown>): Promise<T> {
  const list = Object.entries(columns).map(([key, column]) => sql`${sql.lit(key)}, json_group_array(${sql.raw(column)})`);
  const { rows } = await sql<{ j: string }>`select json_object(${sql.join(list)}) as j ${from}`.execute(db);
  return JSON.parse(rows[0].j) as T;
}

/**
 * A REAL column as text that reads back to the same double: SQLite's JSON writes reals with 15
 * digits only (2/3 would come back as 0.666666666666667), `%!.17g` with all 17.
 */
export const exactReal = (column: string) => `printf('%!.17g', ${column})`;
