// Live leagues are cached between writes; a write that changes the figures makes them recompute,
// one that only touches bookkeeping (logins, sessions, notifications, audit) does not.
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { shanghaiMonth } from "~/domain/time";
import { login } from "~/models/auth.server";
import { schoolDashboard } from "~/models/dashboard.server";
import { transitionItem } from "~/models/item-workflow.server";
import { leagueFor, liveLeagueComputations } from "~/models/months.server";
import { notify } from "~/models/notifications.server";
import { PASSWORD, setupCounty, USERS, type County } from "../support/app";
import { insertItem } from "../support/item-fixtures";

let county: County;
beforeAll(async () => {
  // These tests count computations: the cache check (tests/support/setup.ts) would add its own.
  vi.stubEnv("CACHE_CHECK", "0");
  county = await setupCounty();
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await county.dbs.dispose();
});

it("serves the same live league until something is written, then the new one", async () => {
  const month = shanghaiMonth(new Date());
  const itemId = await insertItem(county.dbs.db, { unitId: county.units.A, createdBy: county.ids.correspondentA, status: "submitted", reportMonth: month });
  const before = await leagueFor(county.dbs.reader, month);
  const again = await leagueFor(county.dbs.reader, month);
  expect(again).toEqual(before);
  const rowA = (l: typeof before) => l.rows.find((r) => r.unitId === county.units.A)!;
  expect(rowA(before).adopted).toBe(0);
  // Callers may not corrupt the cache by changing what they were given: the shared rows are frozen.
  expect(() => {
    rowA(again).adopted = 99;
  }).toThrow(TypeError);
  expect(() => again.rows.push(rowA(again))).toThrow(TypeError);
  expect(rowA(await leagueFor(county.dbs.reader, month)).adopted).toBe(0);

  const reviewer = { id: county.ids.reviewer, username: "reviewer", displayName: "审核员", role: "reviewer" as const, unitId: null, unitName: null, mustChangePassword: false };
  const adopted = await transitionItem(county.dbs.db, { itemId, action: "adopt", actor: reviewer, grade: "excellent" });
  expect(adopted.ok).toBe(true);
  const after = await leagueFor(county.dbs.reader, month);
  expect(rowA(after).adopted).toBe(1);
  expect(rowA(after).points).toBeGreaterThan(rowA(before).points);
});

it("computes a live league once for requests arriving together after a write", async () => {
  const month = shanghaiMonth(new Date());
  await insertItem(county.dbs.db, { unitId: county.units.B, createdBy: county.ids.correspondentB, status: "submitted", reportMonth: month });
  const before = liveLeagueComputations();
  const leagues = await Promise.all(Array.from({ length: 8 }, () => leagueFor(county.dbs.reader, month, { movement: false })));
  expect(liveLeagueComputations() - before).toBe(1);
  for (const league of leagues) expect(league).toEqual(leagues[0]);
  // Callers share one frozen copy: a change throws and leaves what the others read as it was.
  const points = leagues[1].rows[0].points;
  expect(() => {
    leagues[0].rows[0].points = -1;
  }).toThrow(TypeError);
  expect(leagues[1].rows[0].points).toBe(points);
});

it("keeps the shared league through a login and a notification, and recomputes it after an adoption", async () => {
  const month = shanghaiMonth(new Date());
  const itemId = await insertItem(county.dbs.db, { unitId: county.units.A, createdBy: county.ids.correspondentA, status: "submitted", reportMonth: month });
  const first = await leagueFor(county.dbs.reader, month);
  const computed = liveLeagueComputations();

  // A login writes its attempt, counters, session and audit record; a notification its own row.
  const signedIn = await login(county.dbs.db, { username: USERS.reviewer, password: PASSWORD, ip: "10.9.9.9", userAgent: "test" });
  expect(signedIn.ok).toBe(true);
  await notify(county.dbs.db, [county.ids.correspondentA], { kind: "returned", title: "测试通知", link: "/items" });
  const unread = await county.dbs.db.selectFrom("notifications").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
  expect(Number(unread.n)).toBeGreaterThan(0);

  const kept = await leagueFor(county.dbs.reader, month);
  expect(liveLeagueComputations()).toBe(computed);
  expect(kept.rows).toBe(first.rows);

  const reviewer = { id: county.ids.reviewer, username: "reviewer", displayName: "审核员", role: "reviewer" as const, unitId: null, unitName: null, mustChangePassword: false };
  const adopted = await transitionItem(county.dbs.db, { itemId, action: "adopt", actor: reviewer, grade: "excellent" });
  expect(adopted.ok).toBe(true);
  const after = await leagueFor(county.dbs.reader, month);
  expect(liveLeagueComputations()).toBeGreaterThan(computed);
  expect(after.rows).not.toBe(first.rows);
  const adoptedOf = (l: typeof first) => l.rows.find((r) => r.unitId === county.units.A)!.adopted;
  expect(adoptedOf(after)).toBe(adoptedOf(first) + 1);
});

it("computes the current month once after a write for a school's home page, its history included", async () => {
  const month = shanghaiMonth(new Date());
  await insertItem(county.dbs.db, { unitId: county.units.A, createdBy: county.ids.correspondentA, status: "submitted", reportMonth: month });
  const before = liveLeagueComputations();
  const dashboard = await schoolDashboard(county.dbs.reader, county.units.A);
  const again = await leagueFor(county.dbs.reader, month);
  // Only the current month has figures in this county: one league, shared by the dashboard's row,
  // its twelve-month history and the league page.
  expect(liveLeagueComputations() - before).toBe(1);
  const own = again.rows.find((r) => r.unitId === county.units.A)!;
  expect(dashboard.history.at(-1)).toMatchObject({ month, rank: own.rank, points: own.points, adopted: own.adopted });
});
