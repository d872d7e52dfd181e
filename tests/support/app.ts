// A small county for route and model tests, and helpers to call loaders and actions with
// real Request objects the way the server does.
import type { Kysely } from "kysely";
import { expect } from "vitest";
import { seedReferenceData } from "../../db/seed/reference";
import type { Database } from "../../db/schema";
import type { PortalContext } from "~/lib/context";
import { commitSessionId } from "~/lib/session.server";
import { login, type SessionUser } from "~/models/auth.server";
import { hashPassword } from "~/models/password.server";
import { freshDatabases } from "./db";

export const PASSWORD = "Test@1234";
export const USERS = {
  correspondentA: "a-c1",
  correspondentB: "b-c1",
  leadA: "a-lead",
  reviewer: "reviewer",
  admin: "admin",
} as const;
export type UserKey = keyof typeof USERS;

/** The signed-in user a model function is given, for an account of the county. */
export const sessionUser = (id: number, unitId: number | null, role: SessionUser["role"]): SessionUser => ({
  id, username: `u${id}`, displayName: `用户${id}`, role, unitId, unitName: null, mustChangePassword: false,
});

/** When the county's units were created: long before any month the tests look at. */
const UNITS_CREATED_AT = "2020-01-01T00:00:00.000Z";

export async function setupCounty() {
  const dbs = await freshDatabases();
  const now = new Date().toISOString();
  await seedReferenceData(dbs.db, new Date());
  const hash = await hashPassword(PASSWORD);
  // A county that has existed all along: its units are in the league of every month a test looks at.
  const unitA = await insertUnit(dbs.db, "A01", "城关镇中心学校", "township_central", UNITS_CREATED_AT);
  const unitB = await insertUnit(dbs.db, "B01", "县实验小学", "district_school", UNITS_CREATED_AT);
  const account = (username: string, role: string, unitId: number | null, name: string) =>
    dbs.db
      .insertInto("accounts")
      .values({
        username, display_name: name, role: role as never, unit_id: unitId, password_hash: hash,
        created_at: now, updated_at: now, registered_on: now.slice(0, 10), phone: "13800000000",
      })
      .returning("id")
      .executeTakeFirstOrThrow();
  const ids = {
    correspondentA: (await account(USERS.correspondentA, "correspondent", unitA, "张晓梅")).id,
    correspondentB: (await account(USERS.correspondentB, "correspondent", unitB, "李建国")).id,
    leadA: (await account(USERS.leadA, "school_lead", unitA, "王校长")).id,
    reviewer: (await account(USERS.reviewer, "reviewer", null, "赵审核")).id,
    admin: (await account(USERS.admin, "admin", null, "系统管理员")).id,
  };

  const cookieFor = cookieJar(dbs.db, USERS, "10.0.0.");
  const context = contextFor(dbs);
  return { dbs, units: { A: unitA, B: unitB }, ids, cookieFor, context };
}

/**
 * A `cookieFor(user)` that signs the account `usernames[user]` in (with PASSWORD, from
 * `ipPrefix` and a number) on first use, and then answers with the same session cookie.
 */
export function cookieJar(db: Kysely<Database>, usernames: Record<UserKey, string>, ipPrefix: string) {
  const cookies = new Map<UserKey, string>();
  return async function cookieFor(user: UserKey): Promise<string> {
    const cached = cookies.get(user);
    if (cached) return cached;
    const result = await login(db, { username: usernames[user], password: PASSWORD, ip: `${ipPrefix}${cookies.size + 1}`, userAgent: "test" });
    if (!result.ok) throw new Error(`login failed for ${user}: ${result.message}`);
    const header = (await commitSessionId(result.sessionId)).split(";")[0];
    cookies.set(user, header);
    return header;
  };
}

/** The request context the server gives loaders and actions, over these databases. */
export const contextFor =
  (dbs: PortalContext["dbs"]) =>
  (ip = "127.0.0.1"): PortalContext => ({ dbs, nonce: "test-nonce", ip });

async function insertUnit(db: Kysely<Database>, code: string, name: string, kind: string, now: string) {
  const row = await db
    .insertInto("units")
    .values({ code, name, township: "城关镇", kind_code: kind, created_at: now, updated_at: now })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

export type County = Awaited<ReturnType<typeof setupCounty>>;

type DataFunction = (args: { request: Request; params: Record<string, string>; context: any }) => unknown;

/** Runs a loader or action as Remix would; a thrown Response is returned as the result. */
export async function call(
  fn: DataFunction | undefined,
  county: County,
  options: { url: string; method?: string; user?: UserKey; body?: Record<string, string> | FormData | string; contentType?: string; params?: Record<string, string>; ip?: string },
): Promise<Response> {
  if (!fn) throw new Error("route has no such function");
  const headers = new Headers();
  if (options.user) headers.set("Cookie", await county.cookieFor(options.user));
  let body: BodyInit | undefined;
  if (options.body instanceof FormData) body = options.body;
  else if (typeof options.body === "string") {
    body = options.body;
    headers.set("Content-Type", options.contentType ?? "application/x-www-form-urlencoded");
  } else if (options.body) {
    body = new URLSearchParams(options.body);
    headers.set("Content-Type", "application/x-www-form-urlencoded");
  }
  if (options.contentType && options.body instanceof FormData) headers.set("Content-Type", options.contentType);
  const request = new Request(new URL(options.url, "http://localhost"), {
    method: options.method ?? (body ? "POST" : "GET"),
    headers,
    body,
  });
  try {
    return responseOf(await fn({ request, params: options.params ?? {}, context: county.context(options.ip) }));
  } catch (thrown) {
    if (thrown instanceof Response || isDataWithInit(thrown)) return responseOf(thrown);
    throw thrown;
  }
}

/** What `data(value, init)` (single fetch) returns: the value with a status and headers, not yet a Response. */
interface DataWithInit {
  type: "DataWithResponseInit";
  data: unknown;
  init: ResponseInit | null;
}

export function isDataWithInit(value: unknown): value is DataWithInit {
  return typeof value === "object" && value !== null && (value as { type?: unknown }).type === "DataWithResponseInit";
}

/**
 * A loader's or action's result as the Response Remix answers with: a Response as it is, `data()`
 * with its status and headers, naked data with 200; the data as JSON, so tests read it as before.
 */
export function responseOf(result: unknown): Response {
  if (result instanceof Response) return result;
  const init = isDataWithInit(result) ? (result.init ?? {}) : {};
  const value = isDataWithInit(result) ? result.data : result;
  const headers = new Headers(init.headers);
  headers.set("Content-Type", "application/json");
  return new Response(JSON.stringify(value ?? null), { status: init.status ?? 200, headers });
}

export async function bodyOf(response: Response): Promise<any> {
  return response.clone().json();
}

/** Expects a 400 answer whose field errors are exactly `fieldErrors`; returns its body for more checks. */
export async function expectFieldErrors(response: Response, fieldErrors: Record<string, unknown>): Promise<any> {
  expect(response.status).toBe(400);
  const body = await bodyOf(response);
  expect(body.fieldErrors).toEqual(fieldErrors);
  return body;
}

/**
 * Opens a page as each role: 200 for `allowed`, 403 for each of `refused`, and an anonymous
 * visitor is sent to the login page, which will bring them back to `url`.
 */
export async function expectPageOnlyFor(
  loader: DataFunction | undefined,
  county: County,
  options: { url: string; params?: Record<string, string>; allowed: UserKey; refused: readonly UserKey[] },
) {
  const { url, params = {}, allowed, refused } = options;
  expect((await call(loader, county, { url, user: allowed, params: { ...params } })).status).toBe(200);
  for (const user of refused) expect((await call(loader, county, { url, user, params: { ...params } })).status, user).toBe(403);
  const anonymous = await call(loader, county, { url, params: { ...params } });
  expect(anonymous.status).toBe(302);
  expect(anonymous.headers.get("Location")).toBe(`/login?${new URLSearchParams({ redirectTo: url })}`);
}
