// Near-duplicates for the review page: other items that reached the bureau in the last 12 months
// and read nearly the same, from bigram codes cached per database handle.
import { sql, type Kysely } from "kysely";
import type { Database, ItemStatus } from "../../db/schema";
import { bigramCodes, nearDuplicatesByCodes } from "~/domain/similarity";

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
  const window = await db
    .selectFrom("items")
    .select(["id", "updated_at", sql<number>`length(title) + length(body)`.as("len")])
    .where("id", "!=", item.id)
    .where("first_submitted_at", "is not", null)
    .where("first_submitted_at", ">=", since.toISOString())
    .execute();

  const cache = cacheOf(db);
  const stampOf = (row: { updated_at: string; len: number }) => `${row.updated_at}|${row.len}`;
  const stale = window.filter((row) => cache.get(row.id)?.stamp !== stampOf(row)).map((row) => row.id);
  for (let i = 0; i < stale.length; i += FETCH_CHUNK) {
    const texts = await db
      .selectFrom("items")
      .select(["id", "title", "body", "updated_at", sql<number>`length(title) + length(body)`.as("len")])
      .where("id", "in", stale.slice(i, i + FETCH_CHUNK))
      .execute();
    for (const t of texts) cache.set(t.id, { stamp: stampOf(t), codes: bigramCodes(`${t.title}\n${t.body}`) });
  }
  // Items that left the window (or were deleted) leave the cache; the item itself may stay.
  if (cache.size > window.length + 1) {
    const keep = new Set(window.map((row) => row.id));
    for (const id of cache.keys()) if (id !== item.id && !keep.has(id)) cache.delete(id);
  }

  const found = nearDuplicatesByCodes(
    `${item.title}\n${item.body}`,
    window.flatMap((row) => {
      const entry = cache.get(row.id);
      return entry ? [{ id: row.id, codes: entry.codes }] : [];
    }),
  ).slice(0, MAX_DUPLICATES);
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
