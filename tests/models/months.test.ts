import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_POINTS_RULES } from "~/domain/catalog";
import { rankUnits } from "~/domain/ranking";
import { addMonths, shanghaiMonth } from "~/domain/time";
import { transitionItem } from "~/models/item-workflow.server";
import { leagueFor } from "~/models/months.server";
import { closeMonth, reopenMonth } from "~/models/month-close.server";
import { setupDemoCounty } from "../support/demo";
import { recomputeFromScratch, rollupAsMap } from "../support/recompute";

const NOW = new Date("2026-11-21T04:00:00Z");
let dbs: Awaited<ReturnType<typeof setupDemoCounty>>["county"]["dbs"];
let closedMonths: string[];

beforeAll(async () => {
  // The run's demo county, seeded at NOW (tests/support/demo-template.ts).
  ({ county: { dbs }, closedMonths } = await setupDemoCounty());
}, 120_000);
afterAll(async () => dbs.dispose());

const reviewer = async () => {
  const r = await dbs.db.selectFrom("accounts").selectAll().where("username", "=", "reviewer").executeTakeFirstOrThrow();
  return { id: r.id, username: r.username, displayName: r.display_name, role: "reviewer" as const, unitId: null, unitName: null, mustChangePassword: false };
};

describe("the demo county's accounting", () => {
  it("closes every month before last, leaving last month and this month open", () => {
    const current = shanghaiMonth(NOW);
    expect(closedMonths).toHaveLength(12);
    expect(closedMonths.at(-1)).toBe(addMonths(current, -2));
    expect(closedMonths).not.toContain(addMonths(current, -1));
  });

  it("keeps the rollup equal to a from-scratch recomputation", async () => {
    const [rollup, scratch] = await Promise.all([rollupAsMap(dbs.db), recomputeFromScratch(dbs.db)]);
    expect(rollup.size).toBe(scratch.size);
    expect(rollup.size).toBeGreaterThan(400);
    for (const [key, expected] of scratch) expect(rollup.get(key), key).toEqual(expected);
  });

  it("ranks each kind of every closed month consistently with its frozen points", async () => {
    for (const month of closedMonths) {
      const league = await leagueFor(dbs.reader, month);
      expect(league.closed).toBe(true);
      expect(league.rows).toHaveLength(40);
      for (const kind of ["township_central", "district_school", "kindergarten"]) {
        const rows = league.rows.filter((r) => r.kind === kind);
        const reranked = rankUnits(rows);
        expect(rows.map((r) => `${r.code}:${r.rank}`), `${month} ${kind}`).toEqual(reranked.map((r) => `${r.code}:${r.rank}`));
      }
    }
  });

  it("reads a closed month back exactly as frozen: every column, completions such as 2/3 to the last bit, in kind, rank, code order", async () => {
    // Completions that SQLite's JSON would cut to 15 digits (the demo's quotas give none), restored afterwards.
    const first = (await leagueFor(dbs.reader, closedMonths[0])).closeId!;
    const some = await dbs.db.selectFrom("month_unit_snapshots").select(["unit_id", "completion"]).where("close_id", "=", first).limit(2).execute();
    const setCompletion = (unitId: number, completion: number) =>
      dbs.db.updateTable("month_unit_snapshots").set({ completion }).where("close_id", "=", first).where("unit_id", "=", unitId).execute();
    await setCompletion(some[0].unit_id, 2 / 3);
    await setCompletion(some[1].unit_id, 0.1 + 0.2);
    try {
      for (const month of closedMonths) {
        const league = await leagueFor(dbs.reader, month);
        const frozen = await dbs.reader
          .selectFrom("month_unit_snapshots as s")
          .innerJoin("units as u", "u.id", "s.unit_id")
          .innerJoin("unit_kinds as k", "k.code", "s.kind_code")
          .select(["s.unit_id", "u.code", "u.name", "s.kind_code", "k.name as kind_name", "s.quota", "s.submitted", "s.adopted", "s.late",
            "s.completion", "s.status", "s.points", "s.pickups_national", "s.pickups_province", "s.pickups_city", "s.rank", "s.tied", "s.movement",
            "s.requests_fulfilled", "s.requests_late", "s.requests_missed", "s.requests_declined"])
          .where("s.close_id", "=", league.closeId!)
          .orderBy("s.kind_code")
          .orderBy("s.rank")
          .orderBy("u.code")
          .execute();
        expect(league.rows, month).toEqual(
          frozen.map((r) => ({
            unitId: r.unit_id, code: r.code, name: r.name, kind: r.kind_code, kindName: r.kind_name, quota: r.quota, submitted: r.submitted,
            adopted: r.adopted, late: r.late, national: r.pickups_national, province: r.pickups_province, city: r.pickups_city, status: r.status,
            completion: r.completion, points: r.points, rank: r.rank, tied: r.tied === 1, movement: r.movement,
            requests: { fulfilled: r.requests_fulfilled, late: r.requests_late, missed: r.requests_missed, declined: r.requests_declined },
          })),
        );
      }
      const read = (await leagueFor(dbs.reader, closedMonths[0])).rows;
      expect(read.find((r) => r.unitId === some[0].unit_id)?.completion).toBe(2 / 3);
      expect(read.find((r) => r.unitId === some[1].unit_id)?.completion).toBe(0.1 + 0.2);
    } finally {
      for (const r of some) await setCompletion(r.unit_id, r.completion);
    }
  });

  it("has units that missed quota and units that sent nothing in past months", async () => {
    const statuses = new Set<string>();
    for (const month of closedMonths) for (const r of (await leagueFor(dbs.reader, month)).rows) statuses.add(r.status);
    expect([...statuses].sort()).toEqual(["met", "none", "short"]);
  });
});

describe("closing a month", () => {
  it("is refused while items of that month wait for review, listing them", async () => {
    const lastMonth = addMonths(shanghaiMonth(NOW), -1);
    const result = await closeMonth(dbs.db, { month: lastMonth, actor: await reviewer() });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.status).toBe(409);
    expect(result.message).toMatch(/待审核/);
    const waiting = await dbs.db.selectFrom("items").select("id").where("report_month", "=", lastMonth).where("status", "=", "submitted").execute();
    expect(result.waiting?.map((w) => w.id).sort()).toEqual(waiting.map((w) => w.id).sort());
    expect(await dbs.db.selectFrom("month_closes").select("id").where("month", "=", lastMonth).execute()).toEqual([]);
  });

  it("freezes the month: a later decision or rule change does not move it; reopening and re-closing shows the change", async () => {
    const lastMonth = addMonths(shanghaiMonth(NOW), -1);
    const actor = await reviewer();
    const waiting = await dbs.db.selectFrom("items").select(["id", "version"]).where("report_month", "=", lastMonth).where("status", "=", "submitted").execute();
    for (const w of waiting) {
      const r = await transitionItem(dbs.db, { itemId: w.id, action: "adopt", actor, grade: "good", expectedVersion: w.version });
      expect(r.ok).toBe(true);
    }
    const closed = await closeMonth(dbs.db, { month: lastMonth, actor });
    expect(closed.ok).toBe(true);
    const frozen = await leagueFor(dbs.reader, lastMonth);
    expect(frozen.closed).toBe(true);

    // A rule change effective from that month, and a take-down of one of its items.
    await dbs.db.insertInto("points_rule_versions").values({
      effective_month: lastMonth, rules_json: JSON.stringify({ ...DEFAULT_POINTS_RULES, grade: { excellent: 9, good: 9, fair: 9 } }), created_at: new Date().toISOString(),
    }).execute();
    const adopted = await dbs.db.selectFrom("items").select(["id", "version", "unit_id"]).where("report_month", "=", lastMonth).where("status", "=", "adopted").orderBy("id").executeTakeFirstOrThrow();
    const taken = await transitionItem(dbs.db, { itemId: adopted.id, action: "withdraw", actor, reason: "内容有误", revokePoints: true, expectedVersion: adopted.version });
    expect(taken.ok).toBe(true);
    expect(await leagueFor(dbs.reader, lastMonth)).toEqual(frozen);

    expect((await reopenMonth(dbs.db, { month: lastMonth, actor, reason: "" })).ok).toBe(false);
    expect(await reopenMonth(dbs.db, { month: lastMonth, actor, reason: "更正撤稿积分" })).toEqual({ ok: true });
    const reopened = await leagueFor(dbs.reader, lastMonth);
    expect(reopened.closed).toBe(false);
    const again = await closeMonth(dbs.db, { month: lastMonth, actor });
    expect(again.ok).toBe(true);
    if (!again.ok) return;
    expect(again.changes.length).toBeGreaterThan(0);
    expect(again.changes.some((c) => c.unitId === adopted.unit_id && c.field === "采用数")).toBe(true);
    const audit = await dbs.db.selectFrom("audit_events").select(["action", "reason"]).where("entity_id", "=", lastMonth).orderBy("id").execute();
    expect(audit.map((a) => a.action)).toEqual(["month_closed", "month_reopened", "month_closed"]);
  });
});
