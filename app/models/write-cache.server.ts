// Results that only change when the figures in the database are written to: computed once per
// such write and shared by every request that asks in the meantime (including those that ask while
// it is computed). Writes that only touch bookkeeping (a login, a session, a notification, an audit
// record: db/written-tables.ts BOOKKEEPING_TABLES) leave them in place.
import { databaseFileOf } from "../../db/connect";
import { figuresGeneration } from "../../db/write-generations";

export interface WriteCache<T> {
  /**
   * `compute()` at most once per figures generation of the database behind `db` for `key`. The
   * value is shared: callers must not change it. Without a database file (tests in memory) it
   * computes.
   */
  get(db: object, key: string, compute: () => Promise<T>): Promise<T>;
}

/**
 * A cache of its own (up to 64 keys before it starts over).
 * `frozen`: each computed value is made read-only (deepFreeze) before anyone gets it, for values
 * shared by many requests.
 */
export function writeCache<T>(options: { frozen?: boolean } = {}): WriteCache<T> {
  const results = new Map<string, { generation: number; value: T }>();
  const inFlight = new Map<string, Promise<T>>();
  return {
    async get(db, key, computeValue) {
      const compute = options.frozen ? async () => deepFreeze(await computeValue()) : computeValue;
      const file = databaseFileOf(db);
      if (!file) return compute();
      const full = `${file}|${key}`;
      const generation = figuresGeneration(file);
      const hit = results.get(full);
      if (hit && hit.generation === generation) return hit.value;
      // Requests arriving together after a write share one computation.
      const flightKey = `${full}|${generation}`;
      let flight = inFlight.get(flightKey);
      if (!flight) {
        flight = compute().finally(() => inFlight.delete(flightKey));
        inFlight.set(flightKey, flight);
      }
      const value = await flight;
      // Kept only if nothing was written while it was computed.
      if (figuresGeneration(file) === generation) {
        if (results.size > 64) results.clear();
        results.set(full, { generation, value });
      }
      return value;
    },
  };
}

const shared = writeCache<unknown>();

/**
 * `compute()` at most once per figures generation of the database behind `db` for `key`. The value
 * is shared: callers must not change it. Without a database file (tests in memory) it computes.
 */
export async function untilNextWrite<T>(db: object, key: string, compute: () => Promise<T>): Promise<T> {
  return (await shared.get(db, key, compute)) as T;
}

/** `value` and everything reachable from it made read-only (a cached result shared by many requests). */
export function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}
