// Writes an attacker can make a browser send, cookies an attacker can plant, and requests a client
// can write by hand, replayed against the production build over HTTP: an old browser's cross-site
// form post (no Origin, no Sec-Fetch-Site, only the page it came from, or not even that), an OPTIONS
// request that Remix would have run as an action, cookies of the portal's names planted with a
// longer path (another service on the same address may set them; the browser sends them first),
// methods other than GET, HEAD and POST, and Host headers that name no host.
import net from "node:net";
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

it("PUT, PATCH and DELETE run no action, and TRACE or a WebDAV method is no 500: each 405 from the server, nothing in the log", async () => {
  // Remix ran a route's action for PUT, PATCH and DELETE as for POST (signing out by DELETE), and
  // the adapter's fetch Request refuses TRACE: a 500 and a 20-line stack trace for anyone who sent one.
  const { session } = await signIn("x10-c1", "10.20.0.10");
  const logged = portal.output().length;
  for (const method of ["PUT", "PATCH", "DELETE", "TRACE", "PROPFIND"]) {
    const answer = await rawRequest(`${method} /logout HTTP/1.1`, { Cookie: session, Origin: new URL(portal.url).origin, "Content-Length": "0" });
    expect(answer.status, method).toBe(405);
    expect(answer.headers.allow, method).toBe("GET, HEAD, POST");
    expect(answer.text, method).toContain("不支持的请求方法");
  }
  expect((await send("/account/password", { headers: { Cookie: session } })).status).toBe(200);
  await new Promise((r) => setTimeout(r, 200));
  expect(portal.output().slice(logged)).toBe("");
});

it("a Host or X-Forwarded-Host that names no host is 400, not a 500 with a stack trace, and cannot move the path Remix routes", async () => {
  const { port } = new URL(portal.url);
  const logged = portal.output().length;
  // Before: 500 from the adapter (invalid address) for the first ones, and "/b/news" routed (404) for the last.
  for (const host of ["a b", "[", "x@y", `localhost:99999`, "%", "^", `localhost:${port}/b`]) {
    const answer = await rawRequest("GET /news HTTP/1.1", { Host: host });
    expect(answer.status, host).toBe(400);
    expect(answer.text, host).toContain("主机名");
  }
  // The adapter took X-Forwarded-Host's port from any client, trusted or not.
  for (const forwarded of ["a:99999", "a:-1", "a b"]) {
    const answer = await rawRequest("GET /news HTTP/1.1", { Host: `localhost:${port}`, "X-Forwarded-Host": forwarded });
    expect(answer.status, forwarded).toBe(400);
  }
  // A post with a bad Host is refused before its body is read.
  const post = await rawRequest("POST /login HTTP/1.1", { Host: "x@y", "Content-Type": "application/x-www-form-urlencoded", "Content-Length": "20" }, "username=x01-c1&pa");
  expect(post.status).toBe(400);
  // A proper host, and a request without one (HTTP/1.0), are served as before.
  expect((await rawRequest("GET /news HTTP/1.1", { Host: `localhost:${port}` })).status).toBe(200);
  expect((await rawRequest("GET /news HTTP/1.0", {})).status).toBe(200);
  await new Promise((r) => setTimeout(r, 200));
  expect(portal.output().slice(logged)).not.toMatch(/Error|\n\s+at /);
});

/** A request written by hand over a socket (fetch sets Host itself, and refuses TRACE); the answer when the server closes. */
function rawRequest(requestLine: string, headers: Record<string, string>, body = ""): Promise<{ status: number; headers: Record<string, string>; text: string }> {
  const { hostname, port } = new URL(portal.url);
  const head = { ...(requestLine.endsWith("1.1") && !("Host" in headers) ? { Host: `${hostname}:${port}` } : {}), ...headers, Connection: "close" };
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: hostname, port: Number(port) }, () => {
      socket.write(`${requestLine}\r\n${Object.entries(head).map(([k, v]) => `${k}: ${v}\r\n`).join("")}\r\n${body}`);
    });
    let received = Buffer.alloc(0);
    socket.on("data", (d: Buffer) => (received = Buffer.concat([received, d])));
    socket.on("error", reject);
    socket.on("close", () => {
      const text = received.toString("utf8");
      const end = text.indexOf("\r\n\r\n");
      const lines = text.slice(0, end).split("\r\n");
      const parsed: Record<string, string> = {};
      for (const line of lines.slice(1)) parsed[line.slice(0, line.indexOf(":")).toLowerCase()] = line.slice(line.indexOf(":") + 1).trim();
      resolve({ status: Number(lines[0].split(" ")[1]), headers: parsed, text: text.slice(end + 4) });
    });
    socket.setTimeout(30_000, () => socket.destroy(new Error(`no answer to ${requestLine}`)));
  });
}
