// The items that have reached the bureau, as each process read them after each figures write, and
// what moved between two readings: what the review page's near-duplicates follow
// (near-duplicates.server.ts) instead of comparing a viewed item with the whole window again.
import { sql, type Kysely } from "kysely";
import type { Database } from "../../db/schema";
import { databaseFileOf } from "../../db/connect";
import { figuresGeneration, figuresToken, itemsWrittenSince } from "../../db/write-generations";
import { checkAgainstFresh, checking } from "~/models/write-cache.server";

type DB = Kysely<Database>;

/**
 * An item that has reached the bureau: id, updated_at and text length (what tells that its text
 * moved since it was compared) and first arrival.
 */
export type ReachedRow = readonly [id: number, updatedAt: string, len: number, at: string];
/** Reached items by id, ascending. */
export type Reached = readonly ReachedRow[];

/** The reached items as last read, and how many figures writes that reading had seen. */
interface Held {
  total: number;
  list: Reached;
}
/** Per database file: what was last read. */
const held = new Map<string, Held>();
/** Per database file: the reading under way (for the writes counted when it began), which those who ask for the same share. */
const reading = new Map<string, { total: number; list: Promise<Reached> }>();

/**
 * Every item that has reached the bureau, one list shared by the review pages. After a figures
 * write only the items whose own row it wrote are read again (itemsWrittenSince); the whole list,
 * as one JSON value from SQLite rather than thousands of rows, only at first, after a write that
 * reached everything, or when the writes since the last reading are no longer all remembered. A
 * write that moved no reached item (a submission waiting for its lead) leaves the same list.
 * Readings go one at a time, each from the one before.
 */
export async function reachedItems(db: DB): Promise<Reached> {
  const file = databaseFileOf(db);
  if (!file) return readAll(db);
  for (;;) {
    const total = figuresGeneration(file);
    const last = held.get(file);
    if (last && last.total === total && !checking()) return last.list;
    const under = reading.get(file);
    if (under?.total === total) return under.list;
    if (under) {
      // Began before a write this caller must see: the next reading starts from it.
      await under.list.catch(() => undefined);
      continue;
    }
    const list = readSince(db, file, last, total).finally(() => reading.delete(file));
    reading.set(file, { total, list });
    return list;
  }
}

async function readSince(db: DB, file: string, last: Held | undefined, total: number): Promise<Reached> {
  const written = last ? itemsWrittenSince(file, last.total) : null;
  const list = !last || written === null ? await readAll(db) : written.size === 0 ? last.list : patched(last.list, written, await readRows(db, [...written]));
  // CACHE_CHECK: the list kept or patched must be the one read whole now.
  if (checking()) await checkAgainstFresh("reached", list, () => readAll(db), () => figuresToken(file, "all"));
  held.set(file, { total, list });
  return list;
}

async function readAll(db: DB): Promise<Reached> {
  const { rows } = await reachedQuery(db).executeTakeFirstOrThrow();
  return JSON.parse(rows) as ReachedRow[];
}

/** The rows of the reached items among `ids` (those that have not reached the bureau, or are gone, are left out). */
async function readRows(db: DB, ids: number[]): Promise<ReachedRow[]> {
  const rows: ReachedRow[] = [];
  for (let i = 0; i < ids.length; i += READ_CHUNK) {
    const found = await db
      .selectFrom("items")
      .select(["id", "updated_at", sql<number>`length(title) + length(body)`.as("len"), "first_submitted_at"])
      .where("id", "in", ids.slice(i, i + READ_CHUNK))
      .where("first_submitted_at", "is not", null)
      .execute();
    for (const r of found) rows.push([r.id, r.updated_at, r.len, r.first_submitted_at!]);
  }
  return rows;
}
const READ_CHUNK = 500;

/**
 * `list` without the rows of `ids`, and with `rows` (the ones of `ids` read again) in their places
 * by id; `list` itself when none of `ids` is in it or read (the writes touched no reached item).
 */
export function patched(list: Reached, ids: ReadonlySet<number>, rows: readonly ReachedRow[]): Reached {
  const kept = list.filter((row) => !ids.has(row[0]));
  if (rows.length === 0 && kept.length === list.length) return list;
  const added = [...rows].sort((a, b) => a[0] - b[0]);
  const out: ReachedRow[] = [];
  let i = 0;
  let j = 0;
  while (i < kept.length || j < added.length) {
    if (j >= added.length || (i < kept.length && kept[i][0] < added[j][0])) out.push(kept[i++]);
    else out.push(added[j++]);
  }
  return out;
}

/**
 * The reading of the reached items: from the index items_reached alone (migration 0016), which
 * holds exactly these columns of these items, so none of the items' text is read.
 */
export function reachedQuery(db: DB) {
  return db
    .selectFrom("items")
    .select(sql<string>`json_group_array(json_array(id, updated_at, length(title) + length(body), first_submitted_at) order by id)`.as("rows"))
    .where("first_submitted_at", "is not", null);
}

/** The row of `id` in `rows` (by id, ascending), if there. */
export function rowOf(rows: Reached, id: number): ReachedRow | undefined {
  let low = 0;
  let high = rows.length - 1;
  while (low <= high) {
    const mid = (low + high) >>> 1;
    const at = rows[mid][0];
    if (at === id) return rows[mid];
    if (at < id) low = mid + 1;
    else high = mid - 1;
  }
  return undefined;
}

/** The ids in one list and not the other, or in both with a different edit time, text length or arrival (both by id, ascending). */
export function movedIds(before: Reached, after: Reached): number[] {
  const moved: number[] = [];
  let i = 0;
  let j = 0;
  while (i < before.length || j < after.length) {
    const a = before[i];
    const b = after[j];
    if (!b || (a && a[0] < b[0])) {
      moved.push(a[0]);
      i++;
    } else if (!a || b[0] < a[0]) {
      moved.push(b[0]);
      j++;
    } else {
      if (a[1] !== b[1] || a[2] !== b[2] || a[3] !== b[3]) moved.push(b[0]);
      i++;
      j++;
    }
  }
  return moved;
}

/**
 * The reached items as this process read them after one write, and what moved since the reading
 * before it. Each database handle keeps a chain of them: a viewed item's near-duplicates, once
 * compared with the whole window, follow the chain and compare again only the items that moved
 * (new, edited, gone), so a view after a write costs the write's few items, not the window's
 * thousands.
 */
export interface Snapshot {
  seq: number;
  rows: Reached;
}
export interface Chain {
  latest: Snapshot | null;
  /** The last CHAIN_LOG steps: the ids that moved from the snapshot before `seq` to it. */
  log: Array<{ seq: number; moved: readonly number[] }>;
  /** The snapshot made from each list of reached items (one per figures generation). */
  of: WeakMap<Reached, Snapshot>;
}
/** Steps kept: an item last compared more writes ago than this is compared with the whole window again. */
const CHAIN_LOG = 256;
const chains = new WeakMap<object, Chain>();

export function chainOf(db: DB): Chain {
  let chain = chains.get(db);
  if (!chain) chains.set(db, (chain = { latest: null, log: [], of: new WeakMap() }));
  return chain;
}

/** The snapshot of `list`, made (and added to the chain, with what moved) when first seen. */
export function snapshotOf(db: DB, list: Reached): Snapshot {
  const chain = chainOf(db);
  const known = chain.of.get(list);
  if (known) return known;
  const before = chain.latest;
  const snapshot = { seq: (before?.seq ?? 0) + 1, rows: list };
  if (before) {
    const moved = movedIds(before.rows, list);
    chain.log.push({ seq: snapshot.seq, moved });
    if (chain.log.length > CHAIN_LOG) chain.log.shift();
  }
  chain.latest = snapshot;
  chain.of.set(list, snapshot);
  return snapshot;
}

/** The ids that moved after snapshot `from` up to `to`, or null when the chain no longer holds every step. */
export function movedBetween(chain: Chain, from: number, to: number): Set<number> | null {
  const first = chain.log.findIndex((step) => step.seq === from + 1);
  if (first < 0 || chain.log.length - first < to - from) return null;
  const moved = new Set<number>();
  for (let i = first; i < chain.log.length && chain.log[i].seq <= to; i++) for (const id of chain.log[i].moved) moved.add(id);
  return moved;
}
