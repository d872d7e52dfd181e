// The rollup must equal a from-scratch recomputation after any sequence of decisions.
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Grade } from "../../db/schema";
import { availableActions, type ItemAction } from "~/domain/workflow";
import type { SessionUser } from "~/models/auth.server";
import { transitionItem } from "~/models/item-workflow.server";
import { setupCounty, type County } from "../support/app";
import { mulberry32 } from "../../db/seed/random";
import { recomputeFromScratch, rollupAsMap, storedAndFreshRollups } from "../support/recompute";

let county: County;
beforeAll(async () => {
  county = await setupCounty();
});
afterAll(async () => county.dbs.dispose());

const prng = mulberry32;

it("equals a recomputation after 300 random decisions", async () => {
  const { db } = county.dbs;
  const rand = prng(42);
  const now = new Date().toISOString();
  const units = [county.units.A, county.units.B];
  const authors = { [county.units.A]: county.ids.correspondentA, [county.units.B]: county.ids.correspondentB };
  const categories = await db.selectFrom("categories").select("id").execute();
  // Unit B signs off without its lead, so both paths to the bureau are exercised.
  await db.updateTable("units").set({ signoff_required: 0 }).where("id", "=", county.units.B).execute();
  const itemIds: number[] = [];
  for (let i = 0; i < 40; i++) {
    const unitId = units[i % 2];
    const row = await db
      .insertInto("items")
      .values({
        unit_id: unitId, title: `测试稿件${i}`, body: "正文", category_id: categories[i % categories.length].id, channel_id: null,
        event_date: i % 5 === 0 ? "2026-01-02" : new Date().toISOString().slice(0, 10), status: "draft", created_by: authors[unitId], created_at: now, updated_at: now,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await db.insertInto("item_bylines").values({ item_id: row.id, account_id: authors[unitId] }).execute();
    if (i % 3 === 0) {
      await db.insertInto("photos").values({ item_id: row.id, sha256: "0".repeat(64), mime: "image/png", width: 10, height: 10, bytes: 1, created_at: now }).execute();
    }
    itemIds.push(row.id);
  }
  const actorFor = (role: string, unitId: number): SessionUser => {
    const id = role === "reviewer" ? county.ids.reviewer : role === "school_lead" ? county.ids.leadA : authors[unitId];
    return { id, username: "x", displayName: "x", role: role as SessionUser["role"], unitId: role === "reviewer" ? null : unitId, unitName: null, mustChangePassword: false };
  };
  const grades: Grade[] = ["excellent", "good", "fair"];
  let moves = 0;
  for (let step = 0; step < 300; step++) {
    const itemId = itemIds[Math.floor(rand() * itemIds.length)];
    const item = await db.selectFrom("items").innerJoin("units", "units.id", "items.unit_id").select(["items.status", "items.unit_id", "units.signoff_required"]).where("items.id", "=", itemId).executeTakeFirstOrThrow();
    const options: Array<[string, ItemAction]> = [];
    for (const role of ["correspondent", "school_lead", "reviewer"] as const) {
      for (const a of availableActions({ role, unitId: role === "reviewer" ? null : item.unit_id }, { status: item.status, unitId: item.unit_id }, item.signoff_required === 1)) {
        options.push([role, a]);
      }
    }
    if (options.length === 0) continue;
    const [role, action] = options[Math.floor(rand() * options.length)];
    if (role === "school_lead" && item.unit_id !== county.units.A) continue;
    if (action === "adopt" && rand() < 0.3) {
      // Pickups recorded by hand on adopted items must be counted too.
      await db.insertInto("pickups").values({ item_id: itemId, outlet: "县融媒体中心", tier: rand() < 0.5 ? "city" : "national", picked_on: "2026-11-01", created_by: county.ids.reviewer, created_at: now }).execute();
    }
    const result = await transitionItem(db, {
      itemId, action, actor: actorFor(role, item.unit_id), reason: "理由", grade: grades[Math.floor(rand() * 3)],
      confidentialChecked: true, revokePoints: rand() < 0.5,
    });
    expect(result.ok, JSON.stringify(result)).toBe(true);
    moves++;
    if (step % 25 === 0 || step === 299) {
      expect(await rollupAsMap(db)).toEqual(await recomputeFromScratch(db));
      // Refreshes write only the rows that changed: every table must still equal a fresh computation.
      const { stored, fresh } = await storedAndFreshRollups(db);
      expect(stored).toEqual(fresh);
    }
  }
  expect(moves).toBeGreaterThan(120);
  expect((await rollupAsMap(db)).size).toBeGreaterThan(0);
});
