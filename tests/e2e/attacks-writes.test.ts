// Writes an attacker can make a browser send, and cookies an attacker can plant, replayed against
// the production build over HTTP: an old browser's cross-site form post (no Origin, no
// Sec-Fetch-Site, only the page it came from, or not even that), an OPTIONS request that Remix would have run as an
// action, and cookies of the portal's names planted with a longer path (another service on the
// same address may set them; the browser sends them first).
import { afterAll, beforeAll, expect, it } from "vitest";
import { DEMO_PASSWORD, startPortal, type Portal } from "./support/portal";

let portal: Portal;
beforeAll(async () => {
  portal = await startPortal({ AUTO_REMINDERS: "0" });
});
afterAll(async () => portal?.stop());

async function send(pathname: string, init: { method?: string; body?: URLSearchParams; headers?: Record<string, string> } = {}) {
  const res = await fetch(`${portal.url}${pathname}`, {
    method: init.method ?? (init.body ? "POST" : "GET"), redirect: "manual", headers: init.headers, body: init.body, signal: AbortSignal.timeout(60_000),
  });
  return { status: res.status, location: res.headers.get("location"), cookies: res.headers.getSetCookie().map((c) => c.split(";")[0]), text: await res.text() };
}

const own = () => ({ Origin: new URL(portal.url).origin });
const named = (cookies: string[], name: string) => cookies.find((c) => c.startsWith(`${name}=`) && c.length > name.length + 1)!;

async function signIn(username: string, ip: string, cookie?: string) {
  const res = await send("/login", {
    body: new URLSearchParams({ username, password: DEMO_PASSWORD }), headers: { ...own(), "X-Forwarded-For": ip, ...(cookie ? { Cookie: cookie } : {}) },
  });
  expect(res.status, res.text.slice(0, 200)).toBe(302);
  return { session: named(res.cookies, "portal_sid"), device: named(res.cookies, "portal_device") };
}

it("an old browser's form post from another site (only a Referer) is refused, one from a portal page is not", async () => {
  const { session } = await signIn("x05-c1", "10.20.0.1");
  const body = () => new URLSearchParams({ intent: "read_all" });
  const foreign = await send("/notifications", { body: body(), headers: { Cookie: session, Referer: "http://evil.example.com/a.html" } });
  expect(foreign.status).toBe(403);
  expect(foreign.text).toContain("拒绝来自其他网站的提交");
  const fromPortal = await send("/notifications", { body: body(), headers: { Cookie: session, Referer: `${portal.url}/notifications` } });
  expect(fromPortal.status).not.toBe(403);
});

it("an old browser told to send no Referer either, with the person's session, is refused and writes nothing", async () => {
  const { session } = await signIn("x09-c1", "10.20.0.9");
  // An attacker's page with a no-referrer policy (or on https, posting to the portal on http): the
  // IE-kernel browser sends no Origin, no Sec-Fetch-Site and no Referer, but the session cookie.
  const forged = await send("/logout", { body: new URLSearchParams(), headers: { Cookie: session } });
  expect(forged.status).toBe(403);
  expect(forged.text).toContain("无法确认这次提交来自本平台的页面");
  expect(forged.cookies.filter((c) => c.startsWith("portal_sid="))).toEqual([]);
  expect((await send("/account/password", { headers: { Cookie: session } })).status).toBe(200);
  // The same post from a portal page signs out.
  const own = await send("/logout", { body: new URLSearchParams(), headers: { Cookie: session, Referer: `${portal.url}/account/password` } });
  expect(own.status).toBe(302);
  expect((await send("/account/password", { headers: { Cookie: session } })).status).toBe(302);
});

it("OPTIONS runs no action: signing out by OPTIONS leaves the session signed in", async () => {
  const { session } = await signIn("x06-c1", "10.20.0.2");
  const options = await send("/logout", { method: "OPTIONS", headers: { Cookie: session } });
  expect(options.status).toBe(405);
  expect(options.cookies.filter((c) => c.startsWith("portal_sid="))).toEqual([]);
  const home = await send("/account/password", { headers: { Cookie: session } });
  expect(home.status).toBe(200);
});

it("a session cookie planted ahead of the person's own does not sign them out", async () => {
  const { session } = await signIn("x07-c1", "10.20.0.3");
  const page = await send("/account/password", { headers: { Cookie: `portal_sid=planted; ${session}` } });
  expect(page.status).toBe(200);
});

it("a device cookie planted ahead of the owner's own does not let failures elsewhere lock the owner out", async () => {
  const { device } = await signIn("x08-c1", "10.20.0.4");
  // Someone fails the owner's password on purpose from another address until the account waits.
  for (let i = 0; i < 7; i++) {
    await send("/login", { body: new URLSearchParams({ username: "x08-c1", password: "wrong" }), headers: { ...own(), "X-Forwarded-For": "10.20.9.9" } });
  }
  const bare = await send("/login", { body: new URLSearchParams({ username: "x08-c1", password: DEMO_PASSWORD }), headers: { ...own(), "X-Forwarded-For": "10.20.0.4" } });
  expect(bare.status).toBe(429);
  const planted = await signIn("x08-c1", "10.20.0.4", `portal_device=junk; ${device}`);
  expect(planted.session).toBeTruthy();
});
