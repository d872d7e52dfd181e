// The near-duplicate check's band keys in the database (migration 0024, app/domain/text-bands.ts):
// which items may read nearly the same as a text, so that a province's review page compares a
// viewed item with those few instead of with two million. Triggers queue every item whose title
// or body is written; `drainTextBands` computes the queued items' keys, a batch per write, in the
// background (app/server.ts); `bandCandidates` reads who shares a key with a text, and every item
// still queued, so an item written a moment ago is never missed.
import type { Kysely } from "kysely";
import type { Database } from "../../db/schema";
import { bigramCodes } from "~/domain/similarity";
import { textBands } from "~/domain/text-bands";
import { timeSlices } from "~/models/time-slices.server";

type DB = Kysely<Database>;

/** Items taken off the queue at a time: their keys take about 50 ms of JavaScript for a thousand characters each, in slices. */
export const TEXT_BAND_BATCH = 100;
/** Rows per insert (two variables each, well under SQLite's limit). */
const INSERT_CHUNK = 4000;

/**
 * Computes the band keys of up to `limit` queued items and stores them; returns how many it took
 * off the queue. The queue and the texts are read on `reader` and the keys computed before the
 * write, in time slices (the turn to write is not held for them); the write stores only those whose
 * text is still the one they were computed from (one edited meanwhile stays queued for the next batch).
 */
export async function drainTextBands(db: DB, limit = TEXT_BAND_BATCH, reader: DB = db): Promise<number> {
  const queued = (await reader.selectFrom("item_text_queue").select("item_id").orderBy("item_id").limit(limit).execute()).map((r) => r.item_id);
  if (queued.length === 0) return 0;
  const texts = await reader.selectFrom("items").select(["id", "title", "body"]).where("id", "in", queued).execute();
  const keyed = new Map<number, { title: string; body: string; bands: number[] }>();
  const slices = timeSlices();
  for (const t of texts) {
    if (slices.due) await slices.next();
    keyed.set(t.id, { title: t.title, body: t.body, bands: textBands(bigramCodes(`${t.title}\n${t.body}`)) });
  }
  return db.transaction().execute(async (trx) => {
    const now = await trx.selectFrom("items").select(["id", "title", "body"]).where("id", "in", queued).execute();
    const done = now.filter((t) => keyed.get(t.id)?.title === t.title && keyed.get(t.id)?.body === t.body).map((t) => t.id);
    // Deleted meanwhile: its trigger took it off the queue and its keys away already.
    if (done.length === 0) return 0;
    await trx.deleteFrom("item_text_bands").where("item_id", "in", done).execute();
    const rows = done.flatMap((id) => keyed.get(id)!.bands.map((band) => ({ band, item_id: id })));
    for (let i = 0; i < rows.length; i += INSERT_CHUNK) await trx.insertInto("item_text_bands").values(rows.slice(i, i + INSERT_CHUNK)).execute();
    await trx.deleteFrom("item_text_queue").where("item_id", "in", done).execute();
    return done.length;
  });
}

/**
 * Works the whole queue off, a batch per write, letting other work run between batches; returns
 * how many items it keyed.
 */
export async function drainAllTextBands(db: DB, reader: DB = db): Promise<number> {
  let total = 0;
  for (;;) {
    const done = await drainTextBands(db, TEXT_BAND_BATCH, reader);
    total += done;
    // A short batch: the queue is empty (or what is left was edited meanwhile: the next run takes it).
    if (done < TEXT_BAND_BATCH) return total;
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** How often the keys are brought up to date (app/server.ts), and from how many keyed at once the log says so. */
export const TEXT_BANDS_INTERVAL_MS = 3000;
const LOGGED_FROM = 1000;

/**
 * Brings the keys up to date (reading on `reader`), a batch per write until none is left, once the
 * portal holds more than `from` items (the review page uses them only for a window larger than it
 * compares whole: a county never gets there). Then every item written before is keyed this way, in
 * the background (600–750 items a second on the development machine). Returns the log's line when
 * it keyed many.
 */
export async function catchUpTextBands(db: DB, from: number, reader: DB = db): Promise<string | null> {
  if ((await itemsEverWritten(reader)) <= from) return null;
  const started = performance.now();
  const keyed = await drainAllTextBands(db, reader);
  return keyed >= LOGGED_FROM ? `相似稿件比对的索引：算出了 ${keyed} 篇稿件的特征，用时 ${((performance.now() - started) / 1000).toFixed(1)} 秒。` : null;
}

/** The highest item id: how many items the portal has held (a lookup at the end of the primary key, not a count). */
export async function itemsEverWritten(db: DB): Promise<number> {
  const row = await db.selectFrom("items").select((eb) => eb.fn.max("id").as("id")).executeTakeFirst();
  return Number(row?.id ?? 0);
}

/** How many items wait for their keys. */
export async function queuedTextBands(db: DB): Promise<number> {
  const row = await db.selectFrom("item_text_queue").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * The ids of the items that may read nearly the same as a text with these bigram codes: those
 * sharing one of its band keys, and every item whose keys are not computed yet (ascending).
 */
export async function bandCandidates(db: DB, codes: Float64Array): Promise<number[]> {
  const bands = textBands(codes);
  const ids = new Set<number>();
  if (bands.length > 0) {
    for (const r of await db.selectFrom("item_text_bands").select("item_id").where("band", "in", bands).execute()) ids.add(r.item_id);
  }
  for (const r of await db.selectFrom("item_text_queue").select("item_id").execute()) ids.add(r.item_id);
  return [...ids].sort((a, b) => a - b);
}
