// The demo county (db/seed/demo-county.ts through seedDemo) as a County for route tests: its
// accounts sign in under the same keys as setupCounty's, so `call` works unchanged.
// Unit A is 城关镇中心学校 (X01), unit B 县第一中学 (Q01).
import { rmSync } from "node:fs";
import path from "node:path";
import { inject, vi } from "vitest";
import { openDatabases } from "../../db/connect";
import type { SessionUser } from "~/models/auth.server";
import { contextFor, cookieJar, type County, type UserKey } from "./app";
import { copyDemoTemplate } from "./demo-template";

import { DEMO_NOW } from "./demo-template";

export { DEMO_NOW };

const DEMO_USERS: Record<UserKey, string> = {
  correspondentA: "x01-c1",
  correspondentB: "q01-c1",
  leadA: "x01-lead",
  reviewer: "reviewer",
  admin: "admin",
};

/** The demo county seeded at DEMO_NOW, copied from the run's template (tests/support/demo-template.ts). */
export async function setupDemoCounty() {
  const { dir, closedMonths } = copyDemoTemplate(inject("demoTemplateDir"));
  const opened = await openDatabases({ filename: path.join(dir, "portal.sqlite"), readers: 2 });
  const dbs = {
    ...opened,
    dir,
    async dispose() {
      await opened.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  const summary = { closedMonths };
  const idOf = async (username: string) =>
    (await dbs.db.selectFrom("accounts").select("id").where("username", "=", username).executeTakeFirstOrThrow()).id;
  const unitOf = async (code: string) => (await dbs.db.selectFrom("units").select("id").where("code", "=", code).executeTakeFirstOrThrow()).id;
  const ids = Object.fromEntries(
    await Promise.all(Object.entries(DEMO_USERS).map(async ([key, username]) => [key, await idOf(username)] as const)),
  ) as Record<UserKey, number>;

  const cookieFor = cookieJar(dbs.db, DEMO_USERS, "10.0.1.");
  const context = contextFor(dbs);
  const county: County = { dbs, units: { A: await unitOf("X01"), B: await unitOf("Q01") }, ids, cookieFor, context };
  return { county, closedMonths: summary.closedMonths };
}

/** The demo county's first reviewer as a signed-in user, for calling models as that reviewer. */
export async function demoReviewer(county: County): Promise<SessionUser> {
  const r = await county.dbs.db.selectFrom("accounts").selectAll().where("username", "=", "reviewer").executeTakeFirstOrThrow();
  return { id: r.id, username: r.username, displayName: r.display_name, role: "reviewer", unitId: null, unitName: null, mustChangePassword: false };
}

/**
 * The demo county as the reviewers' route tests open it: the clock stopped at DEMO_NOW, the
 * given accounts signed in, and the first reviewer as a user; `closeDemoCounty` undoes it.
 */
export async function openDemoCountyAt(users: readonly UserKey[]) {
  vi.useFakeTimers({ toFake: ["Date"], now: DEMO_NOW });
  const opened = await setupDemoCounty();
  for (const user of users) await opened.county.cookieFor(user);
  return { ...opened, reviewer: await demoReviewer(opened.county) };
}

export async function closeDemoCounty(county: County | undefined) {
  vi.useRealTimers();
  await county?.dbs.dispose();
}
