// A page's loaders (the layout's and the page's) share one lookup of the signed-in account per
// request, only when reading (GET), only within the request, and only for the same session; the
// cookie's signature is checked once per header.
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { login, logout } from "~/models/auth.server";
import { commitSessionId, getSessionCookie, getSignedIn, getUser, readSessionId } from "~/lib/session.server";
import { unreadCount } from "~/models/notifications.server";
import { PASSWORD, setupCounty, USERS, type County } from "../support/app";

let county: County;
beforeAll(async () => {
  county = await setupCounty();
});
afterAll(async () => county.dbs.dispose());

async function signIn(username: string) {
  const result = await login(county.dbs.db, { username, password: PASSWORD, ip: "10.9.0.1", userAgent: "test" });
  if (!result.ok) throw new Error(result.message);
  return { sessionId: result.sessionId, cookie: (await commitSessionId(result.sessionId)).split(";")[0] };
}

const get = (cookie: string, method = "GET") => new Request("http://portal.test/items", { method, headers: { Cookie: cookie } });

it("looks the account up once per page request, for that request only", async () => {
  const a = await signIn(USERS.correspondentA);
  const context = { ...county.context(), requestMemo: {} };
  expect((await getUser(get(a.cookie), context))?.username).toBe(USERS.correspondentA);
  // Signed out meanwhile: this request still sees the account it started with…
  await logout(county.dbs.db, a.sessionId, "10.9.0.1");
  expect((await getUser(get(a.cookie), context))?.username).toBe(USERS.correspondentA);
  // …the next request (a fresh memo) does not, and neither does one without a memo.
  expect(await getUser(get(a.cookie), { ...county.context(), requestMemo: {} })).toBeNull();
  expect(await getUser(get(a.cookie), county.context())).toBeNull();
});

it("reads afresh for another session and for a form post", async () => {
  const a = await signIn(USERS.correspondentA);
  const b = await signIn(USERS.reviewer);
  const context = { ...county.context(), requestMemo: {} };
  expect((await getUser(get(a.cookie), context))?.username).toBe(USERS.correspondentA);
  expect((await getUser(get(b.cookie), context))?.username).toBe(USERS.reviewer);
  // A post's action may sign out before the loaders run: they must see it.
  const post = { ...county.context(), requestMemo: {} };
  expect((await getUser(get(b.cookie, "POST"), post))?.username).toBe(USERS.reviewer);
  await logout(county.dbs.db, b.sessionId, "10.9.0.1");
  expect(await getUser(get(b.cookie, "POST"), post)).toBeNull();
});

it("checks a cookie header's signature once, and still refuses a forged one every time", async () => {
  const a = await signIn(USERS.leadA);
  const parse = vi.spyOn(getSessionCookie(), "parse");
  try {
    const header = `${a.cookie}; theme=dark`;
    expect(await readSessionId(get(header))).toBe(a.sessionId);
    expect(await readSessionId(get(header))).toBe(a.sessionId);
    expect(parse).toHaveBeenCalledTimes(1);
    // The same id with its signature changed, or unsigned: no session, however often it is sent.
    const [name, value] = a.cookie.split("=");
    const forged = `${name}=${value.slice(0, -3)}${value.endsWith("abc") ? "xyz" : "abc"}`;
    expect(await readSessionId(get(forged))).toBeNull();
    expect(await readSessionId(get(forged))).toBeNull();
    expect(await readSessionId(get(`${name}=${Buffer.from(JSON.stringify(a.sessionId)).toString("base64")}`))).toBeNull();
    expect(parse).toHaveBeenCalledTimes(3);
  } finally {
    parse.mockRestore();
  }
});

it("reads the unread count with the account: the same for the whole page request, afresh for the next and for a post", async () => {
  const a = await signIn(USERS.correspondentB);
  const account = (await county.dbs.db.selectFrom("accounts").select("id").where("username", "=", USERS.correspondentB).executeTakeFirstOrThrow()).id;
  const notify = (readAt: string | null) =>
    county.dbs.db.insertInto("notifications").values({ account_id: account, kind: "test", title: "稿件已采用", created_at: new Date().toISOString(), read_at: readAt }).execute();
  await notify(null);
  await notify(new Date().toISOString());
  const page = { ...county.context(), requestMemo: {} };
  const first = await getSignedIn(get(a.cookie), page);
  expect(first?.user.username).toBe(USERS.correspondentB);
  // Only unread ones count, exactly as the notifications page counts them.
  expect(first?.unread).toBe(await unreadCount(county.dbs.reader, account));
  expect(first?.unread).toBeGreaterThan(0);
  await notify(null);
  expect((await getSignedIn(get(a.cookie), page))?.unread).toBe(first!.unread);
  expect((await getSignedIn(get(a.cookie), { ...county.context(), requestMemo: {} }))?.unread).toBe(first!.unread + 1);
  expect((await getSignedIn(get(a.cookie, "POST"), page))?.unread).toBe(first!.unread + 1);
});
