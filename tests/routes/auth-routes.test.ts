import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as accountPassword from "~/routes/account.password";
import * as healthz from "~/routes/healthz";
import * as loginRoute from "~/routes/login";
import * as logoutRoute from "~/routes/logout";
import { commitSessionId, sessionCookieSecure, sessionCookieWouldBeDropped } from "~/lib/session.server";
import { login } from "~/models/auth.server";
import { verifyPassword } from "~/models/password.server";
import { bodyOf, call, expectFieldErrors, PASSWORD, responseOf, setupCounty, USERS, type County } from "../support/app";

let county: County;
beforeAll(async () => {
  county = await setupCounty();
});
afterAll(async () => county.dbs.dispose());

const sessionCount = async () =>
  Number((await county.dbs.db.selectFrom("sessions").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n);

describe("POST /login", () => {
  it("signs in, sets an HttpOnly SameSite=Lax cookie and goes back where the person was headed", async () => {
    const res = await call(loginRoute.action, county, {
      url: "/login",
      body: { username: USERS.reviewer, password: PASSWORD, redirectTo: "/review?page=2" },
    });
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe("/review?page=2");
    const cookie = res.headers.get("Set-Cookie") ?? "";
    expect(cookie).toMatch(/^portal_sid=/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).toMatch(/Path=\//);
  });

  it("never redirects off-site", async () => {
    for (const target of ["//evil.example/x", "https://evil.example", "/\\evil.example"]) {
      const res = await call(loginRoute.action, county, { url: "/login", body: { username: USERS.admin, password: PASSWORD, redirectTo: target } });
      expect(res.headers.get("Location")).toBe("/");
    }
  });

  it("falls back to / for every off-site trick, and never answers 500 (the session row is kept usable)", async () => {
    const targets = [
      "/\t/evil.example/phish", "/%09/evil.example/phish", "/\n/evil.example", "/%2F%2Fevil.example", "/%5Cevil.example",
      "///evil.example", "/%252F%252Fevil.example", "javascript:alert(1)", "/\u200b/evil.example",
    ];
    for (const target of targets) {
      const res = await call(loginRoute.action, county, { url: "/login", body: { username: USERS.admin, password: PASSWORD, redirectTo: target } });
      expect(res.status, target).toBe(302);
      expect(res.headers.get("Location"), target).toBe("/");
    }
    const chinese = await call(loginRoute.action, county, { url: "/login", body: { username: USERS.admin, password: PASSWORD, redirectTo: "/items?q=城关镇" } });
    expect(chinese.status).toBe(302);
    expect(chinese.headers.get("Location")).toBe("/items?q=%E5%9F%8E%E5%85%B3%E9%95%87");
    // A signed-in visitor to /login?redirectTo=… is sent on by the loader through the same rule.
    const cookie = await county.cookieFor("admin");
    const loaded = await loginRoute
      .loader({ request: new Request("http://localhost/login?redirectTo=/%09/evil.example/phish", { headers: { Cookie: cookie } }), params: {}, context: county.context() })
      .catch((r: Response) => r);
    expect((loaded as Response).headers.get("Location")).toBe("/");
  });

  it("sets Secure on the session cookie only for requests that came over https", async () => {
    const plain = await call(loginRoute.action, county, { url: "/login", body: { username: USERS.admin, password: PASSWORD } });
    expect(plain.headers.get("Set-Cookie")).not.toMatch(/Secure/i);
    const request = new Request("https://portal.example/login", {
      method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ username: USERS.admin, password: PASSWORD }),
    });
    const secure = (await loginRoute.action({ request, params: {}, context: county.context() })) as Response;
    expect(secure.status).toBe(302);
    expect(secure.headers.get("Set-Cookie")).toMatch(/; Secure/i);
  });

  it("decides Secure from the setting and the request's scheme", () => {
    const http = new Request("http://192.168.1.20:3000/login");
    const https = new Request("https://portal.example/login");
    const table: Array<["auto" | boolean, Request, boolean, boolean]> = [
      ["auto", http, false, false],
      ["auto", https, true, false],
      [true, http, true, true], // forced Secure over http: login refuses with a message instead of failing silently
      [true, https, true, false],
      [false, http, false, false],
      [false, https, false, false],
    ];
    for (const [setting, request, secure, dropped] of table) {
      expect(sessionCookieSecure(request, setting), `${setting} ${request.url}`).toBe(secure);
      expect(sessionCookieWouldBeDropped(request, setting), `${setting} ${request.url}`).toBe(dropped);
    }
  });

  it("answers a throttled attempt with 429, a Chinese wait and Retry-After", async () => {
    for (let i = 0; i < 5; i++) {
      await call(loginRoute.action, county, { url: "/login", body: { username: "throttled-here", password: `x${i}` }, ip: "8.8.8.1" });
    }
    const res = await call(loginRoute.action, county, { url: "/login", body: { username: "throttled-here", password: "x" }, ip: "8.8.8.1" });
    expect(res.status).toBe(429);
    expect(Number(res.headers.get("Retry-After"))).toBeGreaterThan(0);
    expect((await bodyOf(res)).formError).toMatch(/请 \d+ (秒|分钟)后再试/);
  });

  it("remembers the browser an account signed in with (device cookie): others' failures then do not lock its owner out", async () => {
    const admin = await county.dbs.db.selectFrom("accounts").selectAll().where("id", "=", county.ids.admin).executeTakeFirstOrThrow();
    const { id: _id, ...rest } = admin;
    for (const username of ["device-route-owner", "device-route-other"]) await county.dbs.db.insertInto("accounts").values({ ...rest, username, role: "reviewer" }).execute();
    const post = async (username: string, password: string, ip: string, cookie?: string) =>
      responseOf(await loginRoute.action({
        request: new Request("http://localhost/login", {
          method: "POST",
          headers: { "Content-Type": "application/x-www-form-urlencoded", ...(cookie ? { Cookie: cookie } : {}) },
          body: new URLSearchParams({ username, password }),
        }),
        params: {},
        context: county.context(ip),
      }));
    const deviceCookieOf = (res: Response) => {
      const set = res.headers.getSetCookie().find((c) => c.startsWith("portal_device="));
      expect(set).toBeDefined();
      expect(set).toMatch(/HttpOnly/i);
      expect(set).toMatch(/SameSite=Lax/i);
      expect(set).toMatch(/Max-Age=31536000/);
      return set!.split(";")[0];
    };
    /** The accounts and ids a device cookie holds (its signed content, decoded). */
    const entriesOf = (cookie: string) =>
      (JSON.parse(Buffer.from(decodeURIComponent(cookie.split("=")[1]).split(".")[0], "base64").toString("utf8")) as Array<{ u: string; d: string }>)
        .map((e) => `${e.u}:${e.d}`);
    // One browser of a school's office: the owner signs in, then a colleague on the same browser.
    const owner = deviceCookieOf(await post("device-route-owner", PASSWORD, "9.9.9.1"));
    const shared = deviceCookieOf(await post("device-route-other", PASSWORD, "9.9.9.1", owner));
    expect(entriesOf(shared).sort()).toEqual([...entriesOf(owner), entriesOf(shared).find((e) => e.startsWith("device-route-other:"))!].sort());
    const other = deviceCookieOf(await post("device-route-other", PASSWORD, "9.9.9.2"));
    // Someone fails the owner's password on purpose, from the owner's address and elsewhere.
    for (let i = 0; i < 5; i++) expect((await post("device-route-owner", "wrong", i % 2 ? "9.9.9.1" : `9.9.8.${i}`)).status).toBe(401);
    expect((await post("device-route-owner", PASSWORD, "9.9.9.1")).status).toBe(429);
    // Not with a cookie that is forged, altered, or another account's.
    const [name, value] = owner.split("=");
    const forged = `${name}=${Buffer.from(JSON.stringify([{ u: "device-route-owner", d: "forged-forged-forged", p: "forged-forged-forged" }])).toString("base64")}`;
    // One character of the signed content changed (not a trailing one, whose low bits base64 may ignore).
    const altered = `${name}=${value.slice(0, 10)}${value[10] === "A" ? "B" : "A"}${value.slice(11)}`;
    for (const cookie of [forged, altered, other]) expect((await post("device-route-owner", PASSWORD, "9.9.9.1", cookie)).status).toBe(429);
    // The shared browser signs the owner in, even behind a cookie of the same name planted with a
    // longer path (sent first), and keeps both accounts' ids.
    const res = await post("device-route-owner", PASSWORD, "9.9.9.1", `${forged}; ${shared}`);
    expect(res.status).toBe(302);
    expect(entriesOf(deviceCookieOf(res)).sort()).toEqual(entriesOf(shared).sort());
  });

  it("answers wrong credentials with 401 and a Chinese message, keeping the username", async () => {
    const before = await sessionCount();
    const res = await call(loginRoute.action, county, { url: "/login", body: { username: USERS.admin, password: "nope-nope" } });
    expect(res.status).toBe(401);
    expect(await bodyOf(res)).toMatchObject({ formError: "用户名或密码不正确。", values: { username: USERS.admin } });
    expect(res.headers.get("Set-Cookie")).toBeNull();
    expect(await sessionCount()).toBe(before);
  });

  it("answers missing fields with 400 per field", async () => {
    const res = await call(loginRoute.action, county, { url: "/login", body: { username: "", password: "" } });
    await expectFieldErrors(res, { username: "请填写用户名", password: "请填写密码" });
  });

  it("refuses a body that is not a form with 415", async () => {
    const res = await call(loginRoute.action, county, { url: "/login", body: '{"username":"admin"}', contentType: "application/json" });
    expect(res.status).toBe(415);
  });

  it("turns a malformed multipart body into a 400, not a 500", async () => {
    const res = await call(loginRoute.action, county, {
      url: "/login",
      body: "--xyz\r\nContent-Disposition: form-data; name=\"username\"\r\n\r\nadmin",
      contentType: "multipart/form-data; boundary=xyz",
    });
    expect(res.status).toBe(400);
    expect((await bodyOf(res)).formError).toMatch(/无法解析/);
  });
});

describe("POST /logout", () => {
  it("kills the server-side session and clears the cookie", async () => {
    const cookie = await county.cookieFor("leadA");
    const before = await sessionCount();
    const request = new Request("http://localhost/logout", { method: "POST", headers: { Cookie: cookie } });
    const res = (await logoutRoute.action({ request, params: {}, context: county.context() })) as Response;
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe("/login");
    expect(res.headers.get("Set-Cookie")).toMatch(/Max-Age=0|Expires=Thu, 01 Jan 1970/);
    expect(await sessionCount()).toBe(before - 1);
    // The old cookie no longer opens anything.
    const after = await call(accountPassword.loader, county, { url: "/account/password" });
    expect(after.status).toBe(302);
    const replay = await accountPassword
      .loader({ request: new Request("http://localhost/account/password", { headers: { Cookie: cookie } }), params: {}, context: county.context() })
      .catch((r: Response) => r);
    expect((replay as Response).status).toBe(302);
  });
});

describe("GET /healthz", () => {
  it("answers JSON after a query", async () => {
    const res = await call(healthz.loader, county, { url: "/healthz" });
    expect(res.status).toBe(200);
    expect(await bodyOf(res)).toMatchObject({ status: "ok", database: "ok" });
  });
});

describe("change own password", () => {
  it("refuses a wrong current password and a weak new one, writing nothing", async () => {
    const before = await county.dbs.db.selectFrom("accounts").select("password_hash").where("id", "=", county.ids.admin).executeTakeFirstOrThrow();
    const wrong = await call(accountPassword.action, county, {
      url: "/account/password", user: "admin",
      body: { current_password: "not-it-1", new_password: "Better#2026", confirm_password: "Better#2026" },
    });
    expect(wrong.status).toBe(400);
    expect((await bodyOf(wrong)).fieldErrors.current_password).toBe("当前密码不正确");
    const weak = await call(accountPassword.action, county, {
      url: "/account/password", user: "admin",
      body: { current_password: PASSWORD, new_password: "short", confirm_password: "short" },
    });
    expect(weak.status).toBe(400);
    expect((await bodyOf(weak)).fieldErrors.new_password).toMatch(/至少 10 位/);
    const after = await county.dbs.db.selectFrom("accounts").select("password_hash").where("id", "=", county.ids.admin).executeTakeFirstOrThrow();
    expect(after.password_hash).toBe(before.password_hash);
  });

  it("throttles the current-password check like a login: 200 parallel guesses, at most 5 evaluated", async () => {
    const before = await county.dbs.db.selectFrom("accounts").select("password_hash").where("id", "=", county.ids.leadA).executeTakeFirstOrThrow();
    // A session someone else got hold of (signed in once, before the guesses).
    const session = await login(county.dbs.db, { username: USERS.leadA, password: PASSWORD, ip: "8.8.4.3", userAgent: "test" });
    if (!session.ok) throw new Error(session.message);
    const cookie = (await commitSessionId(session.sessionId)).split(";")[0];
    const change = (current: string) =>
      accountPassword.action({
        request: new Request("http://localhost/account/password", {
          method: "POST", headers: { Cookie: cookie, "Content-Type": "application/x-www-form-urlencoded" },
          body: new URLSearchParams({ current_password: current, new_password: "Stolen#Session26", confirm_password: "Stolen#Session26" }),
        }),
        params: {}, context: county.context("8.8.4.4"),
      }).then(responseOf);
    const guesses = await Promise.all(Array.from({ length: 200 }, (_, i) => change(`guess-${i}`)));
    const statuses = guesses.map((r) => r.status);
    expect(statuses.filter((s) => s === 400).length).toBeLessThanOrEqual(5);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(195);
    const evaluated = await county.dbs.db.selectFrom("audit_events").select("id").where("action", "=", "password_check_failed").where("ip", "=", "8.8.4.4").execute();
    expect(evaluated.length).toBeLessThanOrEqual(5);
    // Even the right current password now waits.
    const right = await change(PASSWORD);
    expect(right.status).toBe(429);
    expect((await bodyOf(right)).fieldErrors.current_password).toMatch(/后再试/);
    const after = await county.dbs.db.selectFrom("accounts").select("password_hash").where("id", "=", county.ids.leadA).executeTakeFirstOrThrow();
    expect(after.password_hash).toBe(before.password_hash);
  });

  it("refuses a common password and one shorter than 10 characters", async () => {
    for (const [next, message] of [["Password", /至少 10 位/], ["password123", /常见/], ["Demo@2026", /至少 10 位/]] as const) {
      const res = await call(accountPassword.action, county, {
        url: "/account/password", user: "admin",
        body: { current_password: PASSWORD, new_password: next, confirm_password: next },
      });
      expect(res.status).toBe(400);
      expect((await bodyOf(res)).fieldErrors.new_password).toMatch(message);
    }
  });

  it("changes the password, keeps this session and ends the others", async () => {
    const other = await call(loginRoute.action, county, { url: "/login", body: { username: USERS.correspondentB, password: PASSWORD }, ip: "9.9.9.9" });
    const otherCookie = (other.headers.get("Set-Cookie") ?? "").split(";")[0];
    const res = await call(accountPassword.action, county, {
      url: "/account/password", user: "correspondentB",
      body: { current_password: PASSWORD, new_password: "Fresh#2026pw", confirm_password: "Fresh#2026pw" },
    });
    expect(res.status).toBe(302);
    const row = await county.dbs.db.selectFrom("accounts").select("password_hash").where("id", "=", county.ids.correspondentB).executeTakeFirstOrThrow();
    expect(await verifyPassword("Fresh#2026pw", row.password_hash)).toBe(true);
    const still = await call(accountPassword.loader, county, { url: "/account/password", user: "correspondentB" });
    expect(still.status).toBe(200);
    const ended = await accountPassword
      .loader({ request: new Request("http://localhost/account/password", { headers: { Cookie: otherCookie } }), params: {}, context: county.context() })
      .catch((r: Response) => r);
    expect((ended as Response).status).toBe(302);
  });
});
