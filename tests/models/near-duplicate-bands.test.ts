// A province's review page compares a viewed item only with the items that share one of its band
// keys (app/models/text-bands.server.ts) or have none yet. The keys follow every write of a title or
// body through triggers and a queue; keeping them never counts as a figures write; and the page
// lists exactly what comparing the whole window lists, while looking at far fewer items.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { figuresGeneration } from "../../db/write-generations";
import { TEXT_BANDS } from "~/domain/text-bands";
import { comparisonWork, findNearDuplicates, nearDuplicateScan } from "~/models/near-duplicates.server";
import { bandCandidates, catchUpTextBands, drainAllTextBands, drainTextBands, queuedTextBands } from "~/models/text-bands.server";
import { bigramCodes, nearDuplicates } from "~/domain/similarity";
import { setupCounty, type County } from "../support/app";
import { insertItem } from "../support/item-fixtures";

let county: County;
const db = () => county.dbs.db;
beforeAll(async () => {
  county = await setupCounty();
});
afterAll(async () => county.dbs.dispose());
const EXACT_UP_TO = nearDuplicateScan.exactUpTo;
afterEach(() => {
  nearDuplicateScan.exactUpTo = EXACT_UP_TO;
});

const BASE = "本校组织开展校园安全教育活动，全体师生参加，活动内容丰富，效果良好，受到家长好评。";
/** Texts unrelated to BASE and to each other, the same on every run. */
function unrelated(i: number): string {
  let seed = i * 7919 + 17;
  return Array.from({ length: 60 }, () => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return String.fromCodePoint(0x4e00 + (seed % 3000));
  }).join("");
}
const at = () => new Date().toISOString();
const item = (title: string, body: string) =>
  insertItem(db(), { unitId: county.units.A, createdBy: county.ids.correspondentA, title, body, firstSubmittedAt: at() });
const keysOf = async (id: number) => (await db().selectFrom("item_text_bands").select("band").where("item_id", "=", id).orderBy("band").execute()).map((r) => r.band);
const queued = async () => (await db().selectFrom("item_text_queue").select("item_id").orderBy("item_id").execute()).map((r) => r.item_id);

describe("the band keys follow the items' texts", () => {
  it("queues a new or re-worded item, keys it, and forgets it when it is deleted; other writes queue nothing", async () => {
    await drainAllTextBands(db());
    const id = await item("安全教育", BASE);
    expect(await queued()).toEqual([id]);
    expect(await keysOf(id)).toEqual([]);
    expect(await drainTextBands(db())).toBe(1);
    expect(await queued()).toEqual([]);
    const keys = await keysOf(id);
    expect(keys).toHaveLength(TEXT_BANDS.bands);

    // A status, a month or the same text written again: nothing to key again.
    await db().updateTable("items").set({ status: "adopted", grade: "good", report_month: "2026-10", title: "安全教育" }).where("id", "=", id).execute();
    expect(await queued()).toEqual([]);
    await db().updateTable("items").set({ body: `${BASE}另有安排。` }).where("id", "=", id).execute();
    expect(await queued()).toEqual([id]);
    await drainAllTextBands(db());
    const rekeyed = await keysOf(id);
    expect(rekeyed).toHaveLength(TEXT_BANDS.bands);
    expect(rekeyed).not.toEqual(keys);

    await db().deleteFrom("items").where("id", "=", id).execute();
    expect(await keysOf(id)).toEqual([]);
  });

  it("keys nothing that was re-worded while its keys were being computed: it stays queued for the next batch", async () => {
    await drainAllTextBands(db());
    const id = await item("秋季运动会", unrelated(1));
    // Between the batch's reading and its write, the text moves on (a save on another request).
    const write = db().transaction.bind(db());
    let moved = false;
    (db() as unknown as { transaction: typeof write }).transaction = () => {
      if (!moved) {
        moved = true;
        void db().updateTable("items").set({ body: unrelated(2) }).where("id", "=", id).execute();
      }
      return write();
    };
    try {
      expect(await drainTextBands(db())).toBe(0);
    } finally {
      (db() as unknown as { transaction: typeof write }).transaction = write;
    }
    expect(await queued()).toEqual([id]);
    expect(await drainTextBands(db())).toBe(1);
    expect(await queued()).toEqual([]);
  });

  it("is kept up to date in the background only once the portal holds more items than the review page compares whole", async () => {
    const id = await item("国庆活动", unrelated(4));
    const most = (await db().selectFrom("items").select((eb) => eb.fn.max("id").as("id")).executeTakeFirstOrThrow()).id as number;
    expect(await catchUpTextBands(db(), most, county.dbs.reader)).toBeNull();
    expect(await queued()).toEqual([id]);
    // Read on the reader pool, written by the writer, as the portal runs it.
    expect(await catchUpTextBands(db(), most - 1, county.dbs.reader)).toBeNull();
    expect(await queued()).toEqual([]);
    expect(await keysOf(id)).toHaveLength(TEXT_BANDS.bands);
  });

  it("keeps keys without moving the figures, so no league or page cached for the figures is recomputed", async () => {
    const file = county.dbs.filename;
    await item("教研活动", unrelated(3));
    const before = figuresGeneration(file);
    expect(await drainAllTextBands(db())).toBeGreaterThan(0);
    expect(figuresGeneration(file)).toBe(before);
    expect(await queuedTextBands(db())).toBe(0);
  });
});

describe("a province's review page: the items sharing a key, and those not keyed yet", () => {
  /** What the page must list: the whole window compared with the domain rule, top 10. */
  async function everything(id: number) {
    const target = await db().selectFrom("items").select(["title", "body"]).where("id", "=", id).executeTakeFirstOrThrow();
    const window = await db().selectFrom("items").select(["id", "title", "body"]).where("id", "!=", id).where("first_submitted_at", "is not", null).execute();
    return nearDuplicates(`${target.title}\n${target.body}`, window.map((w) => ({ id: w.id, text: `${w.title}\n${w.body}` }))).slice(0, 10);
  }
  async function listed(id: number) {
    const target = await db().selectFrom("items").select(["id", "title", "body"]).where("id", "=", id).executeTakeFirstOrThrow();
    comparisonWork.rows = 0;
    const found = (await findNearDuplicates(db(), target)).map((d) => ({ id: d.id, similarity: d.similarity }));
    return { found, compared: comparisonWork.rows };
  }

  it("lists what the whole window lists, comparing only candidates", async () => {
    const copies: number[] = [];
    for (let i = 0; i < 6; i++) copies.push(await item("安全教育", i % 2 ? BASE : `${BASE.slice(0, 36)}第${i}项。`));
    for (let i = 10; i < 70; i++) await item(`第${i}篇`, unrelated(i));
    await drainAllTextBands(db());
    const windowSize = (await db().selectFrom("items").select("id").where("first_submitted_at", "is not", null).execute()).length;
    expect(windowSize).toBeGreaterThan(60);

    nearDuplicateScan.exactUpTo = 0;
    const target = await item("安全教育", BASE);
    const { found, compared } = await listed(target);
    expect(found.length).toBeGreaterThanOrEqual(3);
    expect(found).toEqual(await everything(target));
    // The target itself is queued (not keyed yet), the copies share a key; the sixty unrelated
    // items almost never do.
    expect(compared).toBeLessThan(20);
    const candidates = await bandCandidates(db(), bigramCodes(`安全教育\n${BASE}`));
    for (const c of copies.filter((_, i) => i % 2)) expect(candidates).toContain(c);

    // The same with the whole window compared, for the same answer.
    nearDuplicateScan.exactUpTo = EXACT_UP_TO;
    const again = await item("安全教育", BASE);
    const whole = await listed(again);
    expect(whole.compared).toBeGreaterThanOrEqual(windowSize);
    expect(whole.found).toEqual(await everything(again));
  });

  it("finds an item written a moment ago, before its keys are computed", async () => {
    await drainAllTextBands(db());
    nearDuplicateScan.exactUpTo = 0;
    const fresh = await item("新写的", `${BASE}刚刚报送。`);
    expect(await queued()).toEqual([fresh]);
    const target = await item("安全教育", `${BASE}刚刚报送。`);
    const { found } = await listed(target);
    expect(found.map((f) => f.id)).toContain(fresh);
    expect(found).toEqual(await everything(target));
  });
});
