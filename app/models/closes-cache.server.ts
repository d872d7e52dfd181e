// Results computed from month closes' snapshots, kept for the life of the process: a close's
// snapshots never change (reopening a month makes a new close), so the set of closes is the key.
import { databaseFileOf } from "../../db/connect";

export interface ClosesCache<T> {
  /**
   * `compute()` once per process for the closes `closeIds` of the database behind `db` (whatever
   * their order); a failure is not kept. Without a database file (tests in memory) it computes.
   */
  get(db: object, closeIds: readonly number[], compute: () => Promise<T>): Promise<T>;
  /** Forgets every result (for measurements that must compute from the tables). */
  clear(): void;
}

/** A cache of its own, up to 32 sets of closes before it starts over. */
export function closesCache<T>(): ClosesCache<T> {
  const results = new Map<string, Promise<T>>();
  return {
    clear() {
      results.clear();
    },
    get(db, closeIds, compute) {
      const file = databaseFileOf(db);
      if (!file) return compute();
      const key = `${file}|${[...closeIds].sort((a, b) => a - b).join(",")}`;
      let hit = results.get(key);
      if (hit === undefined) {
        if (results.size > 32) results.clear();
        hit = compute();
        results.set(key, hit);
        hit.catch(() => results.delete(key));
      }
      return hit;
    },
  };
}
