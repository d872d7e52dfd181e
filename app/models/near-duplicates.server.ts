// Near-duplicates for the review page: other items that reached the bureau in the last 12 months
// and read nearly the same, from bigram codes cached per database handle. A viewed item is compared
// with the whole window once (a province's: with the items sharing a band key, text-bands.server.ts);
// after each write, only with the items that moved (reached-items.server.ts).
import { sql, type Kysely } from "kysely";
import type { Database, ItemStatus } from "../../db/schema";
import { bigramCodes, isNearDuplicate, nearDuplicatesOf, pairSimilarity } from "~/domain/similarity";
import { timeSlices } from "~/models/time-slices.server";
import { chainOf, movedBetween, reachedItems, rowOf, snapshotOf, type Reached, type ReachedRow, type Snapshot } from "~/models/reached-items.server";
import { deepFreeze } from "~/models/write-cache.server";
import { bandCandidates } from "~/models/text-bands.server";

type DB = Kysely<Database>;

export interface NearDuplicate {
  id: number;
  title: string;
  status: ItemStatus;
  unit_name: string;
  report_month: string | null;
  similarity: number;
}

const MAX_DUPLICATES = 10;

/**
 * The bigram codes of every item in the window, kept between requests: submitted items rarely
 * change, so each text is read and broken into bigrams once, not on every page view. An entry is
 * stamped with the item's updated_at and text length and recomputed when either moves. One cache
 * per database handle.
 */
type CodeCache = Map<number, { updatedAt: string; len: number; codes: Float64Array }>;
const codeCaches = new WeakMap<object, CodeCache>();

function cacheOf(db: DB): CodeCache {
  let cache = codeCaches.get(db);
  if (!cache) {
    cache = new Map();
    codeCaches.set(db, cache);
  }
  return cache;
}

const FETCH_CHUNK = 400;

/**
 * A viewed item's comparison, kept between views: its text as compared, the snapshot it is up to
 * date with, the window start it was compared from, and every item of that window (or moved into
 * the chain since) that reads nearly the same, with the exact similarity. Runs on it go one after
 * another (`turn`).
 */
interface Target {
  text: string;
  codes: Float64Array;
  seq: number;
  since: string;
  similar: Map<number, number>;
  /** The last run on it, settled to nothing: holding the snapshot it returned would keep that reading's whole list alive. */
  turn: Promise<void>;
}
/**
 * Viewed items kept per database handle (the oldest viewed leaves first): a reviewer's queue at a
 * month's end. Each keeps only its text's codes and its few near-duplicates (about 10 KB for an
 * item of 1,000 characters). An item that left is compared with the whole window again when viewed.
 */
const MAX_TARGETS = 200;
const targets = new WeakMap<object, Map<number, Target>>();

function targetOf(db: DB, item: { id: number; title: string; body: string }): Target {
  let byItem = targets.get(db);
  if (!byItem) targets.set(db, (byItem = new Map()));
  const text = `${item.title}\n${item.body}`;
  let target = byItem.get(item.id);
  byItem.delete(item.id);
  // Its own text moved: everything is compared against the new one (after any run under way).
  if (target && target.text !== text) target = { text, codes: bigramCodes(text), seq: 0, since: "", similar: new Map(), turn: target.turn };
  if (!target) target = { text, codes: bigramCodes(text), seq: 0, since: "", similar: new Map(), turn: Promise.resolve() };
  if (byItem.size >= MAX_TARGETS) byItem.delete(byItem.keys().next().value!);
  byItem.set(item.id, target);
  return target;
}

/**
 * Up to this many items in the window, a viewed item is compared with every one of them (a county:
 * thousands; their codes take about 1 MB per thousand items of 800 characters). Above it (a
 * province), only with the items that share one of its band keys (text-bands.server.ts): a near
 * duplicate is missed with probability below 0.04 % (app/domain/text-bands.ts). Tests lower it.
 */
export const nearDuplicateScan = { exactUpTo: 50_000 };

/** Rows compared between two looks at the slice clock. */
const SLICE_CHECK = 64;

/** Work done, for tests: rows looked at by comparisons (the whole window's, or only the moved ones). */
export const comparisonWork = { rows: 0 };

/**
 * Brings `target` up to the chain's latest snapshot for a window starting at `since`: only the
 * items that moved when it is up to an earlier one of the chain's last CHAIN_LOG steps and was
 * compared from this start or an earlier one; otherwise the whole window (milliseconds of
 * JavaScript: in time slices), or above `nearDuplicateScan.exactUpTo` items the window's
 * candidates. The same domain rules either way (pairSimilarity, nearDuplicatesOf). Returns the
 * snapshot it is now up to.
 */
async function bringUpToDate(db: DB, target: Target, itemId: number, since: string): Promise<Snapshot> {
  const chain = chainOf(db);
  const latest = chain.latest!;
  if (target.seq === latest.seq && target.since <= since) return latest;
  const moved = target.seq > 0 && target.since <= since ? movedBetween(chain, target.seq, latest.seq) : null;
  if (moved) {
    const present: ReachedRow[] = [];
    for (const id of moved) {
      const row = id === itemId ? undefined : rowOf(latest.rows, id);
      if (row) present.push(row);
      else target.similar.delete(id);
    }
    const codes = await codesFor(db, present);
    for (let i = 0; i < present.length; i++) {
      comparisonWork.rows++;
      const id = present[i][0];
      const other = codes[i];
      const similarity = other ? pairSimilarity(target.codes, other) : 0;
      if (isNearDuplicate(similarity)) target.similar.set(id, similarity);
      else target.similar.delete(id);
    }
  } else {
    let window = latest.rows.filter((row) => row[0] !== itemId && row[3] >= since);
    if (window.length > nearDuplicateScan.exactUpTo) {
      // A province's window: only the items that share a band key with this text, or have none yet.
      const ids = await bandCandidates(db, target.codes);
      window = ids.flatMap((id) => {
        const row = id === itemId ? undefined : rowOf(latest.rows, id);
        return row && row[3] >= since ? [row] : [];
      });
    }
    const codes = await codesFor(db, window);
    const similar = new Map<number, number>();
    const slices = timeSlices();
    for (let i = 0; i < window.length; i++) {
      if (i % SLICE_CHECK === 0 && slices.due) await slices.next();
      comparisonWork.rows++;
      const other = codes[i];
      if (!other) continue;
      const similarity = pairSimilarity(target.codes, other);
      if (isNearDuplicate(similarity)) similar.set(window[i][0], similarity);
    }
    target.similar = similar;
    target.since = since;
    // Items that left every window (or were deleted) leave the code cache; the item itself may stay.
    const cache = cacheOf(db);
    if (cache.size > window.length + 1) {
      const keep = new Set(window.map((row) => row[0]));
      for (const id of cache.keys()) if (id !== itemId && !keep.has(id)) cache.delete(id);
    }
  }
  target.seq = latest.seq;
  return latest;
}

/**
 * Other items (any unit) that reached the bureau in the last 12 months and read nearly the same,
 * most similar first.
 */
export async function findNearDuplicates(
  db: DB,
  item: { id: number; title: string; body: string },
  now = new Date(),
): Promise<NearDuplicate[]> {
  const since = new Date(now);
  since.setUTCMonth(since.getUTCMonth() - 12);
  const sinceIso = since.toISOString();
  const reachedNow = await reachedItems(db);
  // The same item and text viewed again before the next figures write (the list of reached items
  // is the same array until then), with a window that has lost none of its items: the same answer.
  let answers = answersByGeneration.get(reachedNow);
  if (!answers) answersByGeneration.set(reachedNow, (answers = new Map()));
  const text = `${item.title}\n${item.body}`;
  const known = answers.get(item.id);
  if (known && known.text === text && known.since <= sinceIso && sinceIso <= known.oldest) return known.found;
  snapshotOf(db, reachedNow);
  const target = targetOf(db, item);
  const run = target.turn.then(() => bringUpToDate(db, target, item.id, sinceIso));
  target.turn = run.then(
    () => undefined,
    () => undefined,
  );
  const snapshot = await run;
  const scored: Array<{ id: number; similarity: number }> = [];
  let oldest = "\uffff";
  for (const [id, similarity] of target.similar) {
    const row = rowOf(snapshot.rows, id);
    if (!row || row[3] < sinceIso) continue;
    scored.push({ id, similarity });
    if (row[3] < oldest) oldest = row[3];
  }
  const found = await detailsOf(db, nearDuplicatesOf(scored).slice(0, MAX_DUPLICATES));
  if (answers.size >= MAX_TARGETS) answers.delete(answers.keys().next().value!);
  answers.set(item.id, { text, since: sinceIso, oldest, found: deepFreeze(found) });
  return found;
}

/** Per database handle, the reading of stale texts under way (codesFor). */
const fills = new WeakMap<object, Promise<unknown>>();

/**
 * Into `codes` (aligned with `rows`), the cached codes still current of the rows at `indexes` (all
 * rows without); the indexes whose codes are missing or stale.
 */
function takeCodes(cache: CodeCache, rows: Reached, codes: Codes, indexes?: readonly number[]): number[] {
  const stale: number[] = [];
  const take = (i: number) => {
    const [id, updatedAt, len] = rows[i];
    const entry = cache.get(id);
    if (entry && entry.updatedAt === updatedAt && entry.len === len) codes[i] = entry.codes;
    else stale.push(i);
  };
  if (indexes) for (const i of indexes) take(i);
  else for (let i = 0; i < rows.length; i++) take(i);
  return stale;
}

/** Reads the texts of `ids` and breaks them into bigrams (up to the whole window after a start: in time slices), into the cache; returns their codes. */
async function readCodes(db: DB, cache: CodeCache, ids: readonly number[]): Promise<Map<number, Float64Array>> {
  const read = new Map<number, Float64Array>();
  for (let i = 0; i < ids.length; i += FETCH_CHUNK) {
    const texts = await db
      .selectFrom("items")
      .select(["id", "title", "body", "updated_at", sql<number>`length(title) + length(body)`.as("len")])
      .where("id", "in", ids.slice(i, i + FETCH_CHUNK))
      .execute();
    const slices = timeSlices();
    for (const t of texts) {
      if (slices.due) await slices.next();
      const codes = bigramCodes(`${t.title}\n${t.body}`);
      cache.set(t.id, { updatedAt: t.updated_at, len: t.len, codes });
      read.set(t.id, codes);
    }
  }
  return read;
}

/** Codes of rows, by the rows' order; none for an item no longer there. */
type Codes = Array<Float64Array | undefined>;

/**
 * The codes of `rows`, as this comparison's own array (so that what another request does to the
 * shared cache while this one waits, a query or a slice, never takes an item out of its answer).
 * Texts not cached at their edit time and length are read, one reading after another per database
 * handle: views arriving together (after a start, or after a write moved a text) each wait for the
 * reading under way and then read only what it left.
 */
async function codesFor(db: DB, rows: Reached): Promise<Codes> {
  const cache = cacheOf(db);
  const codes: Codes = new Array(rows.length);
  const stale = takeCodes(cache, rows, codes);
  if (stale.length > 0) {
    const fill = (fills.get(db) ?? Promise.resolve()).then(async () => {
      const left = takeCodes(cache, rows, codes, stale);
      const read = await readCodes(db, cache, left.map((i) => rows[i][0]));
      for (const i of left) codes[i] = read.get(rows[i][0]);
    });
    fills.set(db, fill.catch(() => undefined));
    await fill;
  }
  return codes;
}

/**
 * Answers per list of reached items (one list per figures generation, so a write leaves them
 * behind): item id → the text compared, the window's start and its oldest near-duplicate's arrival
 * (the answer holds while the window's start stays between them), and the answer.
 */
const answersByGeneration = new WeakMap<object, Map<number, { text: string; since: string; oldest: string; found: NearDuplicate[] }>>();

/** Title, status, month and unit of each found item, in the found order. */
async function detailsOf(db: DB, found: ReadonlyArray<{ id: number; similarity: number }>): Promise<NearDuplicate[]> {
  if (found.length === 0) return [];
  const details = await db
    .selectFrom("items")
    .innerJoin("units", "units.id", "items.unit_id")
    .select(["items.id", "items.title", "items.status", "items.report_month", "units.name as unit_name"])
    .where(
      "items.id",
      "in",
      found.map((f) => f.id),
    )
    .execute();
  const byId = new Map(details.map((d) => [d.id, d]));
  return found.flatMap((f) => {
    const d = byId.get(f.id);
    return d ? [{ ...d, similarity: f.similarity }] : [];
  });
}
