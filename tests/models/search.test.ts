// The keyword index (FTS5 trigram, kept in step by triggers on items) must find exactly what a
// scan of the current rows finds, after any mix of creations, edits, submissions, decisions,
// take-downs and deletions made through the models.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "kysely";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Grade } from "../../db/schema";
import { availableActions, type ItemAction } from "~/domain/workflow";
import { planSearch } from "~/domain/search";
import type { SessionUser } from "~/models/auth.server";
import { createItem, deleteDraft, updateDraft } from "~/models/item-drafts.server";
import { transitionItem } from "~/models/item-workflow.server";
import { indexHits } from "~/models/search.server";
import { mulberry32 } from "../../db/seed/random";
import { setupCounty, type County } from "../support/app";

let county: County;
let dataDir: string;
beforeAll(async () => {
  county = await setupCounty();
  dataDir = await mkdtemp(join(tmpdir(), "search-"));
});
afterAll(async () => {
  await county.dbs.dispose();
  await rm(dataDir, { recursive: true, force: true });
});

const prng = mulberry32;

// Enough phrases that each word is in only some items, so a stale index shows.
const PHRASES = [
  "主题党日", "消防演练", "家长会", "读书节", "校园足球", "教研活动", "防溺水", "Science课", "安全教育", "志愿服务",
  "开学典礼", "运动会", "艺术节", "食堂检查", "课后服务", "劳动实践", "心理健康", "期中考试", "研学旅行", "送教下乡",
  "书法比赛", "国旗下讲话", "科技创新", "家访活动",
];
const TERMS = ["主题党", "消防演", "家长会", "读书节", "教研活动", "防溺水", "science", "安全教", "志愿服", "运动会", "国旗下讲话"];

/** Ids whose current title or body contains every word (LIKE, as a scan of the rows). */
async function scanHits(term: string): Promise<number[]> {
  const pattern = `%${term}%`;
  const rows = await sql<{ id: number }>`select id from items where title like ${pattern} or body like ${pattern} order by id`.execute(county.dbs.db);
  return rows.rows.map((r) => r.id);
}

it("finds what a scan of the rows finds after 300 random edits, submissions and take-downs", async () => {
  const { db } = county.dbs;
  const rand = prng(20261205);
  const pick = <T,>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)];
  const text = (n: number) => Array.from({ length: n }, () => pick(PHRASES)).join(rand() < 0.5 ? "，" : "");
  // The index must follow each word out of an item as well as into it.
  const categories = await db.selectFrom("categories").select("id").where("active", "=", 1).execute();
  const channels = await db.selectFrom("channels").select("id").where("active", "=", 1).execute();
  await db.updateTable("units").set({ signoff_required: 0 }).where("id", "=", county.units.B).execute();
  const units = [county.units.A, county.units.B];
  const authors = { [county.units.A]: county.ids.correspondentA, [county.units.B]: county.ids.correspondentB };
  const actorFor = (role: string, unitId: number): SessionUser => {
    const id = role === "reviewer" ? county.ids.reviewer : role === "school_lead" ? county.ids.leadA : authors[unitId];
    return { id, username: "x", displayName: "x", role: role as SessionUser["role"], unitId: role === "reviewer" ? null : unitId, unitName: null, mustChangePassword: false };
  };
  const input = () => ({
    title: text(1), body: text(1 + Math.floor(rand() * 2)), category_id: pick(categories).id,
    channel_id: pick(channels).id, event_date: new Date().toISOString().slice(0, 10), bylines: [],
  });
  const ids: number[] = [];
  const done: Record<string, number> = { create: 0, edit: 0, move: 0, delete: 0 };
  const grades: Grade[] = ["excellent", "good", "fair"];

  let checks = 0;
  for (let step = 0; step < 300; step++) {
    if (step % 25 === 24) {
      for (const term of TERMS) expect(await indexHits(db, planSearch(term)!.match!), `${term} at step ${step}`).toEqual(await scanHits(term));
      checks++;
    }
    const roll = rand();
    if (ids.length < 8 || roll < 0.2) {
      const unitId = pick(units);
      const r = await createItem(db, actorFor("correspondent", unitId), input(), [], { dataDir, submit: rand() < 0.3 ? { confidentialChecked: true } : undefined });
      expect(r.ok, JSON.stringify(r)).toBe(true);
      if (r.ok) ids.push(r.itemId);
      done.create++;
      continue;
    }
    const itemId = pick(ids);
    const item = await db.selectFrom("items").innerJoin("units", "units.id", "items.unit_id")
      .select(["items.status", "items.unit_id", "items.version", "items.report_month", "units.signoff_required"])
      .where("items.id", "=", itemId).executeTakeFirstOrThrow();
    if (item.status === "draft" && roll < 0.55) {
      const r = await updateDraft(db, actorFor("correspondent", item.unit_id), itemId, item.version, input(), { add: [], remove: [], captions: {} }, { dataDir });
      expect(r.ok, JSON.stringify(r)).toBe(true);
      done.edit++;
      continue;
    }
    if (item.status === "draft" && item.report_month === null && roll < 0.6) {
      const r = await deleteDraft(db, actorFor("correspondent", item.unit_id), itemId, item.version);
      expect(r.ok, JSON.stringify(r)).toBe(true);
      ids.splice(ids.indexOf(itemId), 1);
      done.delete++;
      continue;
    }
    const options: Array<[string, ItemAction]> = [];
    for (const role of ["correspondent", "school_lead", "reviewer"] as const) {
      if (role === "school_lead" && item.unit_id !== county.units.A) continue;
      for (const a of availableActions({ role, unitId: role === "reviewer" ? null : item.unit_id }, { status: item.status, unitId: item.unit_id }, item.signoff_required === 1)) {
        options.push([role, a]);
      }
    }
    if (options.length === 0) continue;
    const [role, action] = pick(options);
    const r = await transitionItem(db, {
      itemId, action, actor: actorFor(role, item.unit_id), reason: "理由", grade: pick(grades), confidentialChecked: true, revokePoints: rand() < 0.5,
    });
    expect(r.ok, JSON.stringify(r)).toBe(true);
    done.move++;
  }
  expect(checks).toBe(12);
  // Every kind of write happened, and the index was not trivially empty.
  expect(done.create).toBeGreaterThan(20);
  expect(done.edit).toBeGreaterThan(20);
  expect(done.move).toBeGreaterThan(50);
  expect(done.delete).toBeGreaterThan(0);
  const withdrawn = await db.selectFrom("items").select("id").where("status", "=", "withdrawn").execute();
  expect(withdrawn.length).toBeGreaterThan(0);
  for (const term of TERMS) {
    const scan = await scanHits(term);
    expect(scan.length, term).toBeGreaterThan(0);
    expect(await indexHits(db, planSearch(term)!.match!), term).toEqual(scan);
  }
  // Two words: both required, in any order and place.
  const both = await indexHits(db, planSearch("家长会 读书节")!.match!);
  const a = new Set(await scanHits("家长会"));
  expect(both).toEqual((await scanHits("读书节")).filter((id) => a.has(id)));
  // The index matches ASCII letters without regard to case, as LIKE does.
  expect(await indexHits(db, planSearch("SCIENCE")!.match!)).toEqual(await scanHits("science"));
  // FTS5's own check of the index against its content table.
  await sql`insert into item_search(item_search, rank) values ('integrity-check', 1)`.execute(db);
});

it("is written inside the item's own transaction: a write that rolls back leaves the index as it was", async () => {
  const { db } = county.dbs;
  const item = await db.selectFrom("items").select(["id", "title"]).orderBy("id").executeTakeFirstOrThrow();
  await expect(
    db.transaction().execute(async (trx) => {
      await trx.updateTable("items").set({ title: "回滚前的临时标题甲乙丙" }).where("id", "=", item.id).execute();
      // Inside the transaction the index already has the new title.
      expect(await indexHits(trx as never, planSearch("临时标题甲")!.match!)).toEqual([item.id]);
      throw new Error("roll back");
    }),
  ).rejects.toThrow("roll back");
  expect(await indexHits(db, planSearch("临时标题甲")!.match!)).toEqual([]);
  expect(await indexHits(db, planSearch(item.title)!.match!)).toContain(item.id);
  // The index agrees with its content table (FTS5's own check).
  await sql`insert into item_search(item_search, rank) values ('integrity-check', 1)`.execute(db);
});
