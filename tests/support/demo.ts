// The demo county (db/seed/demo-county.ts through seedDemo) as a County for route tests: its
// accounts sign in under the same keys as setupCounty's, so `call` works unchanged.
// Unit A is 城关镇中心学校 (X01), unit B 县第一中学 (Q01).
import type { PortalContext } from "~/lib/context";
import { commitSessionId } from "~/lib/session.server";
import { login } from "~/models/auth.server";
import { seedDemo } from "~/models/demo.server";
import { hashPassword } from "~/models/password.server";
import { PASSWORD, type County, type UserKey } from "./app";
import { freshDatabases } from "./db";

/** The instant the demo county is seeded at (matches tests/models/months.test.ts). */
export const DEMO_NOW = new Date("2026-11-21T04:00:00Z");

const DEMO_USERS: Record<UserKey, string> = {
  correspondentA: "x01-c1",
  correspondentB: "q01-c1",
  leadA: "x01-lead",
  reviewer: "reviewer",
  admin: "admin",
};

export async function setupDemoCounty(now = DEMO_NOW) {
  const dbs = await freshDatabases();
  const summary = await seedDemo(dbs.db, { passwordHash: await hashPassword(PASSWORD), dataDir: dbs.dir, now });
  const idOf = async (username: string) =>
    (await dbs.db.selectFrom("accounts").select("id").where("username", "=", username).executeTakeFirstOrThrow()).id;
  const unitOf = async (code: string) => (await dbs.db.selectFrom("units").select("id").where("code", "=", code).executeTakeFirstOrThrow()).id;
  const ids = Object.fromEntries(
    await Promise.all(Object.entries(DEMO_USERS).map(async ([key, username]) => [key, await idOf(username)] as const)),
  ) as Record<UserKey, number>;

  const cookies = new Map<UserKey, string>();
  async function cookieFor(user: UserKey): Promise<string> {
    const cached = cookies.get(user);
    if (cached) return cached;
    const result = await login(dbs.db, { username: DEMO_USERS[user], password: PASSWORD, ip: `10.0.1.${cookies.size + 1}`, userAgent: "test" });
    if (!result.ok) throw new Error(`login failed for ${user}: ${result.message}`);
    const header = (await commitSessionId(result.sessionId)).split(";")[0];
    cookies.set(user, header);
    return header;
  }
  const context = (ip = "127.0.0.1"): PortalContext => ({ dbs, nonce: "test-nonce", ip });
  const county: County = { dbs, units: { A: await unitOf("X01"), B: await unitOf("Q01") }, ids, cookieFor, context };
  return { county, closedMonths: summary.closedMonths };
}
