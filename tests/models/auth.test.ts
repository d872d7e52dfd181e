import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LOGIN_LIMITS } from "~/domain/login-throttle";
import { findSessionUser, hashSessionId, login, logout, passwordTag, pruneLoginHistory } from "~/models/auth.server";
import { PASSWORD, setupCounty, USERS, type County } from "../support/app";

let county: County;
beforeAll(async () => {
  county = await setupCounty();
});
afterAll(async () => county.dbs.dispose());

const sessionsOf = (accountId: number) =>
  county.dbs.db.selectFrom("sessions").select("id_hash").where("account_id", "=", accountId).execute();
// An extra account with the shared test password, for tests that leave it throttled.
async function addAccount(username: string) {
  const admin = await county.dbs.db.selectFrom("accounts").selectAll().where("id", "=", county.ids.admin).executeTakeFirstOrThrow();
  const { id: _id, ...rest } = admin;
  await county.dbs.db.insertInto("accounts").values({ ...rest, username, role: "reviewer" }).execute();
}
const audits = (action: string) =>
  county.dbs.db.selectFrom("audit_events").selectAll().where("action", "=", action).execute();

describe("login", () => {
  it("creates a session stored by hash, never the raw id", async () => {
    const result = await login(county.dbs.db, { username: USERS.reviewer, password: PASSWORD, ip: "1.1.1.1", userAgent: "ua" });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.sessionId.length).toBeGreaterThanOrEqual(40);
    const rows = await sessionsOf(county.ids.reviewer);
    expect(rows.map((r) => r.id_hash)).toContain(hashSessionId(result.sessionId));
    expect(rows.map((r) => r.id_hash)).not.toContain(result.sessionId);
    const user = await findSessionUser(county.dbs.db, result.sessionId);
    expect(user).toMatchObject({ username: USERS.reviewer, role: "reviewer", unitId: null });
  });

  it("issues a new id at login and drops a planted one (no fixation)", async () => {
    const first = await login(county.dbs.db, { username: USERS.leadA, password: PASSWORD, ip: "1.1.1.2", userAgent: "ua" });
    if (!first.ok) throw new Error("login failed");
    const second = await login(county.dbs.db, {
      username: USERS.leadA, password: PASSWORD, ip: "1.1.1.2", userAgent: "ua", previousSessionId: first.sessionId,
    });
    if (!second.ok) throw new Error("login failed");
    expect(second.sessionId).not.toBe(first.sessionId);
    expect(await findSessionUser(county.dbs.db, first.sessionId)).toBeNull();
    expect(await findSessionUser(county.dbs.db, second.sessionId)).not.toBeNull();
  });

  it("audits successes and failures", async () => {
    const before = (await audits("login_failed")).length;
    const bad = await login(county.dbs.db, { username: USERS.admin, password: "wrong-password", ip: "1.1.1.3", userAgent: "ua" });
    expect(bad).toMatchObject({ ok: false, status: 401, message: "用户名或密码不正确。" });
    const failures = await audits("login_failed");
    expect(failures.length).toBe(before + 1);
    expect(failures.at(-1)).toMatchObject({ actor_name: USERS.admin, ip: "1.1.1.3" });
    expect((await audits("login")).length).toBeGreaterThan(0);
  });

  it("treats an unknown user like a wrong password", async () => {
    const bad = await login(county.dbs.db, { username: "nobody", password: PASSWORD, ip: "1.1.1.4", userAgent: "ua" });
    expect(bad).toMatchObject({ ok: false, status: 401, message: "用户名或密码不正确。" });
  });

  it("refuses a deactivated account, and its old sessions stop working", async () => {
    const ok = await login(county.dbs.db, { username: USERS.correspondentB, password: PASSWORD, ip: "1.1.1.5", userAgent: "ua" });
    if (!ok.ok) throw new Error("login failed");
    await county.dbs.db.updateTable("accounts").set({ active: 0 }).where("id", "=", county.ids.correspondentB).execute();
    const refused = await login(county.dbs.db, { username: USERS.correspondentB, password: PASSWORD, ip: "1.1.1.5", userAgent: "ua" });
    expect(refused).toMatchObject({ ok: false, status: 401, message: "该账号已停用，请联系管理员。" });
    expect(await findSessionUser(county.dbs.db, ok.sessionId)).toBeNull();
    await county.dbs.db.updateTable("accounts").set({ active: 1 }).where("id", "=", county.ids.correspondentB).execute();
  });

  it("throttles an account after repeated failures, even with the right password", async () => {
    for (let i = 0; i < LOGIN_LIMITS.account.freeFailures; i++) {
      const r = await login(county.dbs.db, { username: USERS.correspondentA, password: "bad", ip: `2.2.2.${i}`, userAgent: "ua" });
      expect(r).toMatchObject({ ok: false, status: 401 });
    }
    const blocked = await login(county.dbs.db, { username: USERS.correspondentA, password: PASSWORD, ip: "2.2.2.200", userAgent: "ua" });
    expect(blocked).toMatchObject({ ok: false, status: 429 });
    expect((await audits("login_throttled")).length).toBeGreaterThan(0);
    // After the window the account may try again.
    const later = new Date(Date.now() + (LOGIN_LIMITS.account.windowMinutes + 1) * 60_000);
    const after = await login(county.dbs.db, { username: USERS.correspondentA, password: PASSWORD, ip: "2.2.2.201", userAgent: "ua" }, later);
    expect(after.ok).toBe(true);
  });

  it("a browser the account has signed in with (device cookie) is not held by failures elsewhere, only by its own", async () => {
    await addAccount("device-owner");
    const { password_hash } = await county.dbs.db.selectFrom("accounts").select("password_hash").where("username", "=", "device-owner").executeTakeFirstOrThrow();
    const tag = passwordTag(password_hash);
    const attempt = (password: string, ip: string, device: string | null = null, deviceTag = tag) =>
      login(county.dbs.db, { username: "device-owner", password, ip, userAgent: "ua", device: device ? { id: device, passwordTag: deviceTag } : null });
    // Someone fails the password on purpose from the owner's own (shared) address and from others.
    for (let i = 0; i < LOGIN_LIMITS.pair.maxFailures + 3; i++) await attempt("bad", i % 2 ? "4.4.4.4" : `4.4.5.${i}`);
    // Without the cookie the owner is held, from the shared address as from a new one.
    expect(await attempt(PASSWORD, "4.4.4.4")).toMatchObject({ ok: false, status: 429 });
    expect(await attempt(PASSWORD, "4.4.6.1")).toMatchObject({ ok: false, status: 429 });
    // With it, from the shared address too, the right password signs in.
    expect((await attempt(PASSWORD, "4.4.4.4", "owner-browser-0001")).ok).toBe(true);
    // The cookie's own failures count: past the limit it waits too, and its success gave nothing back to the others.
    for (let i = 0; i < LOGIN_LIMITS.device.maxFailures; i++) expect(await attempt("bad", "4.4.4.4", "owner-browser-0001")).toMatchObject({ status: 401 });
    expect(await attempt(PASSWORD, "4.4.4.4", "owner-browser-0001")).toMatchObject({ ok: false, status: 429, message: expect.stringContaining("本浏览器") });
    expect(await attempt(PASSWORD, "4.4.6.2")).toMatchObject({ ok: false, status: 429 });
    // Another browser of the owner's has its own counter, and is told the password it signed in with.
    expect(await attempt(PASSWORD, "4.4.4.4", "owner-browser-0002")).toMatchObject({ ok: true, passwordTag: tag });
    // A browser trusted with an earlier password (changed or reset since) is trusted no more.
    expect(await attempt(PASSWORD, "4.4.4.4", "owner-browser-0003", passwordTag("an earlier hash"))).toMatchObject({ ok: false, status: 429 });
  });

  it("throttles an address that tries many accounts", async () => {
    const ip = "3.3.3.3";
    // Someone who has signed in from this address before (a teacher behind the school's NAT).
    expect((await login(county.dbs.db, { username: USERS.leadA, password: PASSWORD, ip, userAgent: "ua" })).ok).toBe(true);
    for (let i = 0; i < LOGIN_LIMITS.address.maxFailures; i++) {
      await login(county.dbs.db, { username: `guess${i}`, password: "bad", ip, userAgent: "ua" });
    }
    const blocked = await login(county.dbs.db, { username: USERS.reviewer, password: PASSWORD, ip, userAgent: "ua" });
    expect(blocked).toMatchObject({ ok: false, status: 429 });
    const elsewhere = await login(county.dbs.db, { username: USERS.reviewer, password: PASSWORD, ip: "3.3.3.4", userAgent: "ua" });
    expect(elsewhere.ok).toBe(true);
    // The address's failures do not lock out an account that signs in from there as usual.
    const known = await login(county.dbs.db, { username: USERS.leadA, password: PASSWORD, ip, userAgent: "ua" });
    expect(known.ok).toBe(true);
    // However many were refused, the address gets one summary row for the window.
    for (let i = 0; i < 30; i++) await login(county.dbs.db, { username: `more${i}`, password: "bad", ip, userAgent: "ua" });
    const summaries = (await audits("login_throttled")).filter((a) => a.ip === ip);
    expect(summaries).toHaveLength(1);
    expect(JSON.parse(summaries[0].detail_json)).toMatchObject({ refused: 31 });
  });

  it("a busy shared address does not stop a right password", async () => {
    const ip = "3.3.3.9";
    for (let i = 0; i < 20; i++) await login(county.dbs.db, { username: `typo${i % 7}`, password: "bad", ip, userAgent: "ua" });
    expect((await login(county.dbs.db, { username: USERS.reviewer, password: PASSWORD, ip, userAgent: "ua" })).ok).toBe(true);
  });

  it("a success clears only its own account+address counter", async () => {
    const ip = "3.3.4.1";
    // The attacker's own account signs in between guesses at someone else's.
    await addAccount("sprayed");
    for (let i = 0; i < LOGIN_LIMITS.pair.maxFailures; i++) {
      expect(await login(county.dbs.db, { username: "sprayed", password: `guess-${i}`, ip, userAgent: "ua" })).toMatchObject({ status: 401 });
    }
    expect((await login(county.dbs.db, { username: USERS.correspondentB, password: PASSWORD, ip, userAgent: "ua" })).ok).toBe(true);
    const still = await login(county.dbs.db, { username: "sprayed", password: PASSWORD, ip, userAgent: "ua" });
    expect(still).toMatchObject({ ok: false, status: 429 });
  });

  it("evaluates at most the allowed number of 200 parallel attempts", async () => {
    const ip = "5.5.5.5";
    const username = "burst";
    await addAccount(username);
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        login(county.dbs.db, { username, password: i === 199 ? PASSWORD : `wrong-${i}`, ip, userAgent: "ua" }),
      ),
    );
    const evaluated = await county.dbs.db.selectFrom("login_attempts").select("success").where("username", "=", username).where("ip", "=", ip).execute();
    expect(evaluated.length).toBeLessThanOrEqual(LOGIN_LIMITS.pair.maxFailures);
    expect(results.filter((r) => !r.ok && r.status === 429).length).toBeGreaterThanOrEqual(200 - LOGIN_LIMITS.pair.maxFailures);
    expect(results.filter((r) => r.ok)).toHaveLength(0);
  });

  it("evaluates at most the allowed number of 200 parallel attempts from 200 addresses", async () => {
    const username = "distributed";
    await addAccount(username);
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) => login(county.dbs.db, { username, password: `wrong-${i}`, ip: `6.6.${i >> 8}.${i & 255}`, userAgent: "ua" })),
    );
    const evaluated = await county.dbs.db.selectFrom("login_attempts").select("id").where("username", "=", username).execute();
    expect(evaluated.length).toBeLessThanOrEqual(LOGIN_LIMITS.account.freeFailures);
    expect(results.filter((r) => !r.ok && r.status === 429).length).toBeGreaterThanOrEqual(200 - LOGIN_LIMITS.account.freeFailures);
  });
});

describe("login history", () => {
  it("prunes attempts and login audit rows past loginHistoryDays, keeping the rest", async () => {
    const old = new Date(Date.now() - 200 * 86_400_000).toISOString();
    const recent = new Date(Date.now() - 100 * 86_400_000).toISOString();
    await county.dbs.db.insertInto("login_attempts").values([
      { username: "old", ip: "7.7.7.7", success: 0, at: old },
      { username: "recent", ip: "7.7.7.7", success: 0, at: recent },
    ]).execute();
    await county.dbs.db.insertInto("audit_events").values([
      { at: old, actor_id: null, actor_name: "old", action: "login_failed", entity_type: "account", entity_id: "old", reason: "", ip: "7.7.7.7", detail_json: "{}" },
      { at: old, actor_id: null, actor_name: "old", action: "unit_created", entity_type: "unit", entity_id: "1", reason: "", ip: "7.7.7.7", detail_json: "{}" },
    ]).execute();
    await pruneLoginHistory(county.dbs.db);
    const attempts = await county.dbs.db.selectFrom("login_attempts").select("username").where("ip", "=", "7.7.7.7").execute();
    expect(attempts.map((a) => a.username)).toEqual(["recent"]);
    const audit = await county.dbs.db.selectFrom("audit_events").select("action").where("ip", "=", "7.7.7.7").execute();
    expect(audit.map((a) => a.action)).toEqual(["unit_created"]);
  });

  it("follows the loginHistoryDays setting", async () => {
    const at = new Date(Date.now() - 40 * 86_400_000).toISOString();
    await county.dbs.db.insertInto("login_attempts").values({ username: "forty-days", ip: "7.7.7.8", success: 1, at }).execute();
    await pruneLoginHistory(county.dbs.db);
    expect(await county.dbs.db.selectFrom("login_attempts").select("id").where("ip", "=", "7.7.7.8").execute()).toHaveLength(1);
    // The reference data writes every setting's default; the administrator changes it to 30 days.
    const setTo = (days: number) =>
      county.dbs.db.updateTable("settings").set({ value_json: JSON.stringify(days) }).where("key", "=", "loginHistoryDays").execute();
    await setTo(30);
    await pruneLoginHistory(county.dbs.db);
    expect(await county.dbs.db.selectFrom("login_attempts").select("id").where("ip", "=", "7.7.7.8").execute()).toHaveLength(0);
    await setTo(180);
  });
});

describe("logout", () => {
  it("deletes the server-side session row", async () => {
    const r = await login(county.dbs.db, { username: USERS.admin, password: PASSWORD, ip: "4.4.4.4", userAgent: "ua" });
    if (!r.ok) throw new Error("login failed");
    await logout(county.dbs.db, r.sessionId, "4.4.4.4");
    const rows = await county.dbs.db.selectFrom("sessions").selectAll().where("id_hash", "=", hashSessionId(r.sessionId)).execute();
    expect(rows).toEqual([]);
    expect(await findSessionUser(county.dbs.db, r.sessionId)).toBeNull();
  });

  it("expired sessions are not honoured", async () => {
    const r = await login(county.dbs.db, { username: USERS.admin, password: PASSWORD, ip: "4.4.4.5", userAgent: "ua" });
    if (!r.ok) throw new Error("login failed");
    const farFuture = new Date(Date.now() + 30 * 86_400_000);
    expect(await findSessionUser(county.dbs.db, r.sessionId, farFuture)).toBeNull();
  });
});
