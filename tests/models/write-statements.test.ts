// How many statements the writer runs for one 报送, 签发, 采用 and 退回 on the demo county. Each
// statement is a round trip through node-sqlite3's thread pool and back to the event loop while the
// write turn is held, so under the month-end rush the count is what the other writers wait on. The
// budgets below are what the actions take now (before the rollup and the transition were reworked:
// 报送 18, 签发 22, 采用 22, 退回 23, 上稿 19): a change that adds statements to them fails here.
import { afterAll, beforeAll, expect, it } from "vitest";
import type { CompiledQuery } from "kysely";
import { Sqlite3Connection } from "../../db/sqlite3-connection";
import type { SessionUser } from "~/models/auth.server";
import { createItem } from "~/models/item-drafts.server";
import { transitionItem } from "~/models/item-workflow.server";
import { recordPickup } from "~/models/review.server";
import type { County } from "../support/app";
import { closeDemoCounty, openDemoCountyAt } from "../support/demo";
import { recomputeFromScratch, rollupAsMap, storedAndFreshRollups } from "../support/recompute";

let county: County;
let reviewer: SessionUser;
beforeAll(async () => {
  ({ county, reviewer } = await openDemoCountyAt([]));
});
afterAll(() => closeDemoCounty(county));

/** The statements every connection runs while `action` runs (transaction control included). */
async function statementsOf<T>(action: () => Promise<T>): Promise<{ result: T; statements: string[] }> {
  const statements: string[] = [];
  const original = Sqlite3Connection.prototype.executeQuery;
  Sqlite3Connection.prototype.executeQuery = function <R>(this: Sqlite3Connection, query: CompiledQuery) {
    statements.push(query.sql.replace(/\s+/g, " ").slice(0, 160));
    return original.call(this, query) as Promise<import("kysely").QueryResult<R>>;
  };
  try {
    return { result: await action(), statements };
  } finally {
    Sqlite3Connection.prototype.executeQuery = original;
  }
}

async function user(username: string): Promise<SessionUser> {
  const a = await county.dbs.db.selectFrom("accounts").selectAll().where("username", "=", username).executeTakeFirstOrThrow();
  return { id: a.id, username: a.username, displayName: a.display_name, role: a.role, unitId: a.unit_id, unitName: null, mustChangePassword: false };
}

/** Statements per action, at most (transaction control included: begin and commit are two of them). */
const BUDGET = { submit: 12, sign_off: 8, adopt: 10, return: 9, pickup: 8 };

it("keeps each write within its statement budget, and the rollup equal to a recomputation", async () => {
  const { db } = county.dbs;
  const correspondent = await user("x01-c1");
  const lead = await user("x01-lead");
  const [category, channel] = await Promise.all([
    db.selectFrom("categories").select("id").orderBy("sort_order").executeTakeFirstOrThrow(),
    db.selectFrom("channels").select("id").orderBy("sort_order").executeTakeFirstOrThrow(),
  ]);
  const measure = async <T extends { ok: boolean }>(name: keyof typeof BUDGET, action: () => Promise<T>): Promise<T> => {
    const { result, statements } = await statementsOf(action);
    expect(result.ok, `${name}: ${JSON.stringify(result)}`).toBe(true);
    expect.soft(statements.length, `${name} ran:\n${statements.join("\n")}`).toBeLessThanOrEqual(BUDGET[name]);
    return result;
  };

  const created: number[] = [];
  for (const title of ["城关镇中心学校举行冬季运动会", "城关镇中心学校开展消防演练"]) {
    const r = await measure("submit", () =>
      createItem(db, correspondent, {
        title, body: "全校师生参加了活动。", category_id: category.id, channel_id: channel.id, event_date: "2026-11-20", bylines: [],
      }, [], { dataDir: county.dbs.dir, submit: { confidentialChecked: true } }),
    );
    if (!r.ok) throw new Error("not created");
    expect(r.answer).toEqual({ kind: "submitted", to: "pending_school" });
    created.push(r.itemId);
  }
  for (const itemId of created) {
    await measure("sign_off", () => transitionItem(db, { itemId, action: "sign_off", actor: lead, expectedVersion: 2 }));
  }
  await measure("adopt", () => transitionItem(db, { itemId: created[0], action: "adopt", actor: reviewer, grade: "good", expectedVersion: 3 }));
  await measure("return", () => transitionItem(db, { itemId: created[1], action: "return", actor: reviewer, reason: "请补充活动照片。", expectedVersion: 3 }));
  await measure("pickup", () =>
    recordPickup(db, { id: reviewer.id, username: reviewer.username, ip: "" }, created[0], { outlet: "县融媒体中心", tier: "city", picked_on: "2026-11-21", url: "" }),
  );
  expect(await rollupAsMap(db)).toEqual(await recomputeFromScratch(db));
  const { stored, fresh } = await storedAndFreshRollups(db);
  expect(stored).toEqual(fresh);
});
