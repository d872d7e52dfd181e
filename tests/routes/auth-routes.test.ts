import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as accountPassword from "~/routes/account.password";
import * as healthz from "~/routes/healthz";
import * as loginRoute from "~/routes/login";
import * as logoutRoute from "~/routes/logout";
import { verifyPassword } from "~/models/password.server";
import { bodyOf, call, PASSWORD, setupCounty, USERS, type County } from "../support/app";

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
    expect(res.status).toBe(400);
    const body = await bodyOf(res);
    expect(body.fieldErrors).toEqual({ username: "请填写用户名", password: "请填写密码" });
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
    expect((await bodyOf(weak)).fieldErrors.new_password).toMatch(/至少 8 位/);
    const after = await county.dbs.db.selectFrom("accounts").select("password_hash").where("id", "=", county.ids.admin).executeTakeFirstOrThrow();
    expect(after.password_hash).toBe(before.password_hash);
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
