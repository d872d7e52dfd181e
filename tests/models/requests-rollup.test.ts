// 约稿 in the rollup: after random events (requests created, items linked, submitted, adopted,
// rejected, returned; declines, cancellations; the clock moving past deadlines and the periodic run
// settling them) the stored request counts and points of every unit-month equal a recomputation
// from the rows (tests/support/recompute.ts).
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Grade } from "../../db/schema";
import { availableActions, type ItemAction } from "~/domain/workflow";
import type { SessionUser } from "~/models/auth.server";
import { transitionItem } from "~/models/item-workflow.server";
import { cancelRequest, createRequest, declineRequest, runRequestJobs } from "~/models/requests.server";
import { mulberry32 } from "../../db/seed/random";
import { setupCounty, type County } from "../support/app";
import { recomputeFromScratch, rollupAsMap } from "../support/recompute";

let county: County;
beforeAll(async () => {
  county = await setupCounty();
});
afterAll(async () => county.dbs.dispose());

it("stores each unit-month's 约稿 counts and points as a recomputation gives them, after 400 random events", async () => {
  const { db } = county.dbs;
  const rand = mulberry32(14);
  const pick = <T,>(list: readonly T[]): T => list[Math.floor(rand() * list.length)];
  // From the 27th of this month: deadlines fall in the next month while items still arrive in
  // this one, so a request's month is not always its items' report month.
  const today = new Date();
  let clock = new Date(`${today.toISOString().slice(0, 7)}-27T02:00:00.000Z`);
  const units = [county.units.A, county.units.B];
  const authors = { [county.units.A]: county.ids.correspondentA, [county.units.B]: county.ids.correspondentB };
  await db.updateTable("units").set({ signoff_required: 0 }).where("id", "=", county.units.B).execute();
  const category = await db.selectFrom("categories").select("id").executeTakeFirstOrThrow();
  const reviewer = { id: county.ids.reviewer, username: "reviewer", role: "reviewer" as const, unitId: null, ip: "127.0.0.1" };
  const actorFor = (role: string, unitId: number): SessionUser => {
    const id = role === "reviewer" ? county.ids.reviewer : role === "school_lead" ? county.ids.leadA : authors[unitId];
    return { id, username: "x", displayName: "x", role: role as SessionUser["role"], unitId: role === "reviewer" ? null : unitId, unitName: null, mustChangePassword: false };
  };
  const grades: Grade[] = ["excellent", "good", "fair"];
  const requestIds: number[] = [];
  const itemIds: number[] = [];
  const tally = { created: 0, linked: 0, moves: 0, declined: 0, cancelled: 0, settled: 0, checks: 0 };

  const check = async () => {
    tally.checks++;
    expect(await rollupAsMap(db)).toEqual(await recomputeFromScratch(db, clock));
  };

  for (let step = 0; step < 400; step++) {
    const r = rand();
    if (r < 0.08 || requestIds.length === 0) {
      const addressed = units.filter(() => rand() < 0.7);
      const due = new Date(clock.getTime() + (1 + Math.floor(rand() * 72)) * 3_600_000 + Math.floor(rand() * 60) * 60_000);
      const created = await createRequest(db, reviewer, { topic: `约稿 ${step}`, guidance: "", dueAt: due.toISOString(), unitIds: addressed.length ? addressed : [county.units.A] }, clock);
      expect(created.ok).toBe(true);
      if (created.ok) requestIds.push(created.id);
      tally.created++;
    } else if (r < 0.2) {
      // A new draft answering a request addressed to its unit (what 按此约稿撰稿 saves).
      const requestId = pick(requestIds);
      const to = await db.selectFrom("request_units").select("unit_id").where("request_id", "=", requestId).execute();
      const unitId = pick(to).unit_id;
      const at = clock.toISOString();
      const row = await db
        .insertInto("items")
        .values({
          unit_id: unitId, title: `应约稿件 ${step}`, body: "正文", category_id: category.id, channel_id: null, event_date: at.slice(0, 10),
          status: "draft", created_by: authors[unitId], created_at: at, updated_at: at, request_id: requestId,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      await db.insertInto("item_bylines").values({ item_id: row.id, account_id: authors[unitId] }).execute();
      itemIds.push(row.id);
      tally.linked++;
    } else if (r < 0.75 && itemIds.length > 0) {
      const itemId = pick(itemIds);
      const item = await db.selectFrom("items").innerJoin("units", "units.id", "items.unit_id").select(["items.status", "items.unit_id", "units.signoff_required"]).where("items.id", "=", itemId).executeTakeFirstOrThrow();
      const options: Array<[string, ItemAction]> = [];
      for (const role of ["correspondent", "school_lead", "reviewer"] as const) {
        for (const a of availableActions({ role, unitId: role === "reviewer" ? null : item.unit_id }, { status: item.status, unitId: item.unit_id }, item.signoff_required === 1)) {
          if (!(role === "school_lead" && item.unit_id !== county.units.A)) options.push([role, a]);
        }
      }
      if (options.length === 0) continue;
      const [role, action] = pick(options);
      const result = await transitionItem(db, {
        itemId, action, actor: actorFor(role, item.unit_id), reason: "理由", grade: pick(grades), confidentialChecked: true, revokePoints: rand() < 0.3, now: clock,
      });
      expect(result.ok, JSON.stringify(result)).toBe(true);
      tally.moves++;
      if (rand() < 0.1) await check();
    } else if (r < 0.78) {
      const unitId = pick(units);
      const result = await declineRequest(db, { ...actorFor("correspondent", unitId), role: "correspondent", ip: "127.0.0.1" }, pick(requestIds), "本月没有相关活动", clock);
      if (result.ok) tally.declined++;
    } else if (r < 0.8) {
      const result = await cancelRequest(db, reviewer, pick(requestIds), "安排有变", clock);
      if (result.ok) tally.cancelled++;
    } else {
      clock = new Date(clock.getTime() + Math.floor(rand() * 10) * 3_600_000);
      tally.settled += (await runRequestJobs(db, clock)).settled.length;
      if (rand() < 0.5) await check();
    }
  }
  clock = new Date(clock.getTime() + 80 * 3_600_000);
  await runRequestJobs(db, clock);
  await check();

  const stored = await db
    .selectFrom("unit_month_stats")
    .select([(eb) => eb.fn.sum<number>("requests_fulfilled").as("f"), (eb) => eb.fn.sum<number>("requests_late").as("l"), (eb) => eb.fn.sum<number>("requests_missed").as("m"), (eb) => eb.fn.sum<number>("requests_declined").as("d")])
    .executeTakeFirstOrThrow();
  // The run exercised every outcome, and the checks ran along the way.
  expect({ f: Number(stored.f) > 0, l: Number(stored.l) > 0, m: Number(stored.m) > 0, d: Number(stored.d) > 0 }).toEqual({ f: true, l: true, m: true, d: true });
  expect(tally.created).toBeGreaterThan(20);
  expect(tally.cancelled).toBeGreaterThan(0);
  expect(tally.settled).toBeGreaterThan(10);
  expect(tally.checks).toBeGreaterThan(10);
});
