// Results that only change when the figures in the database are written to: computed once per
// such write and shared by every request that asks in the meantime (including those that ask while
// it is computed). Writes that only touch bookkeeping (a login, a session, a notification, an audit
// record: db/written-tables.ts BOOKKEEPING_TABLES) leave them in place, and a result that says which
// rows of the items and monthly rollups it reads (one unit's, some months', only those in a month,
// none) is kept across writes that touched only other units or months, or only items in no month
// (db/write-reach.ts).
import { databaseFileOf } from "../../db/connect";
import { figuresToken, type RowsRead } from "../../db/write-generations";

export type { RowsRead };

export interface WriteCache<T> {
  /**
   * `compute()` at most once per figures write of the database behind `db` that may have changed
   * it for `key`: every such write unless `rows` (default "all") narrows which rows of the items
   * and their monthly rollups the result is computed from (it must read no others). The value is
   * shared: callers must not change it. Without a database file (tests in memory) it computes.
   */
  get(db: object, key: string, compute: () => Promise<T>, rows?: RowsRead): Promise<T>;
}

/**
 * With CACHE_CHECK=1 (the test suites), every answer from a cache is compared with the result
 * computed afresh, and a difference (a write that should have moved the cache, or a `rows` that
 * says too little) fails the request that saw it.
 */
export const checking = () => process.env.CACHE_CHECK === "1";

/**
 * Keys one cache keeps before it lets the least recently used go. Several caches are kept per unit
 * (a school's home, its month's dashboard, its quota): a county's month-end brings every school's
 * people to them, and a county may well have more than a hundred schools and kindergartens.
 */
export const WRITE_CACHE_KEYS = 512;

/**
 * A cache of its own, up to `limit` keys (default WRITE_CACHE_KEYS), the least recently used let go
 * first. `frozen`: each computed value is made read-only (deepFreeze) before anyone gets it, for
 * values shared by many requests.
 */
export function writeCache<T>(options: { frozen?: boolean; limit?: number } = {}): WriteCache<T> {
  const limit = options.limit ?? WRITE_CACHE_KEYS;
  const results = new Map<string, { token: string; value: T }>();
  const inFlight = new Map<string, Promise<T>>();
  return {
    async get(db, key, computeValue, rows = "all") {
      const compute = options.frozen ? async () => deepFreeze(await computeValue()) : computeValue;
      const file = databaseFileOf(db);
      if (!file) return compute();
      const full = `${file}|${key}`;
      const token = figuresToken(file, rows);
      const hit = results.get(full);
      if (hit && hit.token === token) {
        // Most recently used last.
        results.delete(full);
        results.set(full, hit);
        if (checking()) await checkAgainstFresh(key, hit.value, computeValue, () => figuresToken(file, "all"));
        return hit.value;
      }
      // Requests arriving together after a write share one computation.
      const flightKey = `${full}|${token}`;
      let flight = inFlight.get(flightKey);
      if (!flight) {
        flight = compute().finally(() => inFlight.delete(flightKey));
        inFlight.set(flightKey, flight);
      }
      const value = await flight;
      // Kept only if nothing it reads was written while it was computed.
      if (figuresToken(file, rows) === token) {
        results.delete(full);
        results.set(full, { token, value });
        if (results.size > limit) results.delete(results.keys().next().value!);
      }
      return value;
    },
  };
}

/**
 * CACHE_CHECK: `kept` must equal what `compute` gives now, unless the figures were written
 * meanwhile. A write is counted only once its use of the writer has ended, and in another process
 * once it has been announced here: a difference is an error only if no write is counted within
 * CHECK_GRACE_MS after it was seen.
 */
export async function checkAgainstFresh<T>(key: string, kept: T, compute: () => Promise<T>, writes: () => string): Promise<void> {
  const before = writes();
  const fresh = await compute();
  if (sameData(fresh, kept)) return;
  for (const start = performance.now(); performance.now() - start < CHECK_GRACE_MS; await new Promise((r) => setTimeout(r, 10))) {
    if (writes() !== before) return;
  }
  throw new Error(`缓存的结果与重新计算的不同（${key}）：写入之后没有重算，或声明读取的行不全`);
}
const CHECK_GRACE_MS = 2000;

// The league views kept here are a few periods' each and large at province scale (tens of thousands of rows).
const shared = writeCache<unknown>({ limit: 64 });

/** WriteCache.get on a cache shared by its callers (their keys must differ). */
export async function untilNextWrite<T>(db: object, key: string, compute: () => Promise<T>, rows: RowsRead = "all"): Promise<T> {
  return (await shared.get(db, key, compute, rows)) as T;
}

/**
 * Whether two results hold the same data: primitives alike, arrays (typed ones too), Maps, Sets,
 * Dates and objects alike member by member. A function counts as its data: two functions are alike
 * (a cached result's methods read the members compared beside them).
 */
export function sameData(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a === "function" && typeof b === "function") return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
  if (a instanceof Date) return a.getTime() === (b as Date).getTime();
  if (a instanceof Map) {
    const other = b as Map<unknown, unknown>;
    return a.size === other.size && [...a].every(([k, v]) => other.has(k) && sameData(v, other.get(k)));
  }
  if (a instanceof Set) {
    const other = b as Set<unknown>;
    return a.size === other.size && [...a].every((v) => other.has(v));
  }
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => Object.hasOwn(b, k) && sameData((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/** `value` and everything reachable from it made read-only (a cached result shared by many requests). */
export function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}
