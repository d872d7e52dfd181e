// The queries the portal runs on nearly every request (the signed-in account, its unread count, an
// item's page), built and compiled by Kysely once instead of on every call. Kysely builds an
// immutable tree for each query and compiles it to SQL each time it runs; for these short queries
// that took more of the main thread than SQLite takes to answer them. Each call only puts its own
// values into the compiled query's parameters and runs it (Kysely's `executeQuery` of a compiled
// query), on whatever handle it is given: the database, a reader or a transaction.
import type { Compilable, CompiledQuery, Kysely } from "kysely";

/**
 * What stands for argument `i` while the query is built once: a text that trimming, a change of
 * case or a conversion to a number would change, so that such a use of an argument is caught.
 */
const markerOf = (i: number) => ` \u0000Prepared-Argument-${i}\u0000 `;
const MARKER = /^ \u0000Prepared-Argument-(\d+)\u0000 $/;

/** Each parameter of the compiled query: the index of the argument it takes, or a value of its own. */
type Slot = number | { value: unknown };

/**
 * `build` made into a function that builds and compiles its query on the first call only. `build`
 * must use each argument only as a plain value (compared, inserted, passed to `sql`), never to choose
 * the query's shape (a column, a branch) or to compute another value: the first call throws when an
 * argument does not reach the parameters unchanged or appears in the SQL text.
 */
export function preparedQuery<DB, Args extends unknown[], Row>(build: (db: Kysely<DB>, ...args: Args) => Compilable<Row>) {
  let prepared: { query: CompiledQuery<Row>; slots: Slot[] } | null = null;
  return async (db: Kysely<DB>, ...args: Args): Promise<Row[]> => {
    prepared ??= compileOnce(db, build);
    const { query, slots } = prepared;
    const parameters = slots.map((slot) => (typeof slot === "number" ? args[slot] : slot.value));
    const result = await db.executeQuery<Row>({ ...query, parameters });
    return result.rows;
  };
}

function compileOnce<DB, Args extends unknown[], Row>(db: Kysely<DB>, build: (db: Kysely<DB>, ...args: Args) => Compilable<Row>) {
  const arity = build.length - 1;
  const markers = Array.from({ length: arity }, (_, i) => markerOf(i));
  const query = build(db, ...(markers as unknown as Args)).compile();
  const slots: Slot[] = query.parameters.map((value) => {
    const m = typeof value === "string" ? MARKER.exec(value) : null;
    return m ? Number(m[1]) : { value };
  });
  for (let i = 0; i < arity; i++) {
    if (!slots.includes(i) || query.sql.includes(markers[i])) {
      throw new Error(`preparedQuery: argument ${i + 1} is not used as a plain value in: ${query.sql}`);
    }
  }
  return { query, slots };
}
