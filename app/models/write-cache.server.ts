// Results that only change when the database is written to: computed once per write and shared
// by every request that asks in the meantime (including those that ask while it is computed).
import { databaseFileOf } from "../../db/connect";
import { writeGeneration } from "../../db/dialect";

const results = new Map<string, { generation: number; value: unknown }>();
const inFlight = new Map<string, Promise<unknown>>();

/** Forgets every cached result (for measurements that must compute from the tables). */
export function clearWriteCache(): void {
  results.clear();
}

/**
 * `compute()` at most once per write generation of the database behind `db` for `key`. The value
 * is shared: callers must not change it. Without a database file (tests in memory) it computes.
 */
export async function untilNextWrite<T>(db: object, key: string, compute: () => Promise<T>): Promise<T> {
  const file = databaseFileOf(db);
  if (!file) return compute();
  const full = `${file}|${key}`;
  const generation = writeGeneration(file);
  const hit = results.get(full);
  if (hit && hit.generation === generation) return hit.value as T;
  const flightKey = `${full}|${generation}`;
  let flight = inFlight.get(flightKey) as Promise<T> | undefined;
  if (!flight) {
    flight = compute().finally(() => inFlight.delete(flightKey));
    inFlight.set(flightKey, flight);
  }
  const value = await flight;
  // Kept only if nothing was written while it was computed.
  if (writeGeneration(file) === generation) {
    if (results.size > 64) results.clear();
    results.set(full, { generation, value });
  }
  return value;
}
