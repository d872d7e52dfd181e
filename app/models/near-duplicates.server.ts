// Near-duplicates for the review page: other items that reached the bureau in the last 12 months
// and read nearly the same, from bigram codes cached per database handle.
import { sql, type Kysely } from "kysely";
import type { Database, ItemStatus } from "../../db/schema";
import { bigramCodes, nearDuplicatesOf, pairSimilarity } from "~/domain/similarity";
import { timeSlices } from "~/models/time-slices.server";
import { deepFreeze, writeCache } from "~/models/write-cache.server";

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
 * stamped with the item's updated_at and length and recomputed when either moves. One cache per
 * database handle.
 */
type CodeCache = Map<number, { stamp: string; codes: Float64Array }>;
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

/** What tells that an item's text moved since it was compared: its edit time and text length. */
const stampOf = (row: { updated_at: string; len: number }) => `${row.updated_at}|${row.len}`;

/**
 * Every item that has reached the bureau, as id, stamp and first arrival: read once per write that
 * changes the figures (an edit, a submission) and shared by the review pages viewed in between,
 * as one JSON string rather than thousands of row objects.
 */
const reached = writeCache<ReadonlyArray<{ id: number; stamp: string; at: string }>>();

function reachedItems(db: DB) {
  return reached.get(db, "reached", async () => {
    const { rows } = await db
      .selectFrom("items")
      .select(sql<string>`json_group_array(json_array(id, updated_at, length(title) + length(body), first_submitted_at))`.as("rows"))
      .where("first_submitted_at", "is not", null)
      .executeTakeFirstOrThrow();
    return (JSON.parse(rows) as Array<[number, string, number, string]>).map(([id, updated_at, len, at]) => ({ id, stamp: stampOf({ updated_at, len }), at }));
  });
}

/**
 * The similarity of an item to each other item, kept between views of its review page: a pair is
 * compared again only when either text moved (its stamp), so a view compares only what is new or
 * changed since the last one instead of the whole 12-month window. Up to MAX_TARGETS items per
 * database handle (the oldest viewed leaves first).
 */
interface PairCache {
  /** The viewed item's own text, as compared. */
  text: string;
  codes: Float64Array;
  /** Other item id → its stamp when compared, and the exact similarity (0 when it cannot qualify). */
  pairs: Map<number, { stamp: string; similarity: number }>;
}
/**
 * A viewed item keeps a pair for every item in the window, so only the most recently viewed 50
 * keep theirs: a reviewer's queue at a month's end, not every item viewed since the start. With
 * 200, the pairs held about 45 MB per process after 60 s of the load test (live heap after a full
 * GC about 125 MB, against 80 MB with none kept). An item that left is compared afresh when viewed
 * again, in time slices.
 */
const MAX_TARGETS = 50;
const pairCaches = new WeakMap<object, Map<number, PairCache>>();

function pairsOf(db: DB, item: { id: number; title: string; body: string }): PairCache {
  let byItem = pairCaches.get(db);
  if (!byItem) pairCaches.set(db, (byItem = new Map()));
  const text = `${item.title}\n${item.body}`;
  let entry = byItem.get(item.id);
  if (entry && entry.text !== text) entry = undefined;
  byItem.delete(item.id);
  if (!entry) entry = { text, codes: bigramCodes(text), pairs: new Map() };
  if (byItem.size >= MAX_TARGETS) byItem.delete(byItem.keys().next().value!);
  byItem.set(item.id, entry);
  return entry;
}

/** Rows compared between two looks at the slice clock. */
const SLICE_CHECK = 64;

/**
 * `nearDuplicatesByCodes` of the item's text against the window (the same domain rules:
 * pairSimilarity, nearDuplicatesOf), comparing only pairs not compared before. A first look at an
 * item compares it with the whole window (milliseconds of JavaScript): in time slices.
 */
async function similarTo(
  db: DB,
  codes: CodeCache,
  item: { id: number; title: string; body: string },
  window: ReadonlyArray<{ id: number }>,
): Promise<Array<{ id: number; similarity: number }>> {
  const target = pairsOf(db, item);
  const scored: Array<{ id: number; similarity: number }> = [];
  const seen = new Set<number>();
  const slices = timeSlices();
  for (let i = 0; i < window.length; i++) {
    if (i % SLICE_CHECK === 0 && slices.due) await slices.next();
    const row = window[i];
    const entry = codes.get(row.id);
    if (!entry) continue;
    seen.add(row.id);
    let pair = target.pairs.get(row.id);
    if (!pair || pair.stamp !== entry.stamp) {
      pair = { stamp: entry.stamp, similarity: pairSimilarity(target.codes, entry.codes) };
      target.pairs.set(row.id, pair);
    }
    scored.push({ id: row.id, similarity: pair.similarity });
  }
  // Items that left the window leave the pairs too.
  if (target.pairs.size > seen.size) for (const id of target.pairs.keys()) if (!seen.has(id)) target.pairs.delete(id);
  return nearDuplicatesOf(scored);
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
  const window = reachedNow.filter((row) => row.id !== item.id && row.at >= sinceIso);
  const found = await compareWithWindow(db, item, window);
  let oldest = "\uffff";
  for (const row of window) if (row.at < oldest) oldest = row.at;
  if (answers.size >= MAX_TARGETS) answers.delete(answers.keys().next().value!);
  answers.set(item.id, { text, since: sinceIso, oldest, found: deepFreeze(found) });
  return found;
}

/** Per database handle, the reading of stale texts under way (compareWithWindow). */
const fills = new WeakMap<object, Promise<unknown>>();

/** The window's cached codes that are still current, into `codes`; the ids whose codes are missing or stale. */
function takeCodes(cache: CodeCache, window: ReadonlyArray<{ id: number; stamp: string }>, codes: CodeCache): number[] {
  const stale: number[] = [];
  for (const row of window) {
    const entry = cache.get(row.id);
    if (entry?.stamp === row.stamp) codes.set(row.id, entry);
    else stale.push(row.id);
  }
  return stale;
}

/** Reads the texts of `stale` and breaks them into bigrams (up to the whole window after a start: in time slices), into the cache and `codes`. */
async function readCodes(db: DB, cache: CodeCache, stale: readonly number[], codes: CodeCache): Promise<void> {
  for (let i = 0; i < stale.length; i += FETCH_CHUNK) {
    const texts = await db
      .selectFrom("items")
      .select(["id", "title", "body", "updated_at", sql<number>`length(title) + length(body)`.as("len")])
      .where("id", "in", stale.slice(i, i + FETCH_CHUNK))
      .execute();
    const slices = timeSlices();
    for (const t of texts) {
      if (slices.due) await slices.next();
      const entry = { stamp: stampOf(t), codes: bigramCodes(`${t.title}\n${t.body}`) };
      cache.set(t.id, entry);
      codes.set(t.id, entry);
    }
  }
}

/**
 * Answers per list of reached items (one list per figures generation, so a write leaves them
 * behind): item id → the text compared, the window's start and its oldest item's arrival (the
 * answer holds while the window's start stays between them), and the answer.
 */
const answersByGeneration = new WeakMap<object, Map<number, { text: string; since: string; oldest: string; found: NearDuplicate[] }>>();

async function compareWithWindow(db: DB, item: { id: number; title: string; body: string }, window: ReadonlyArray<{ id: number; stamp: string; at: string }>): Promise<NearDuplicate[]> {
  const cache = cacheOf(db);
  // This comparison's own codes for its window, so that what another request does to the shared
  // cache while this one waits (a query, a slice) never takes an item out of this answer.
  const codes: CodeCache = new Map();
  if (takeCodes(cache, window, codes).length > 0) {
    // Views arriving together (after a start, or after a write moved a text) read stale texts one
    // after another: each waits for the reading under way and then reads only what it left.
    const fill = (fills.get(db) ?? Promise.resolve()).then(() => readCodes(db, cache, takeCodes(cache, window, codes), codes));
    fills.set(db, fill.catch(() => undefined));
    await fill;
  }
  // Items that left the window (or were deleted) leave the cache; the item itself may stay.
  if (cache.size > window.length + 1) {
    const keep = new Set(window.map((row) => row.id));
    for (const id of cache.keys()) if (id !== item.id && !keep.has(id)) cache.delete(id);
  }

  const found = (await similarTo(db, codes, item, window)).slice(0, MAX_DUPLICATES);
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
