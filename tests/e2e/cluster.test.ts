// The portal on two processes (WEB_CONCURRENCY=2): one port, the primary's shared limits, writes seen
// by every process at once, a dead worker replaced, a clean stop. Each request goes on a connection of
// its own, so the primary hands them to the workers in turn.
import http from "node:http";
import { readdirSync, readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signInOverHttp, startPortal, type Portal } from "./support/portal";
import { itemFields, multipart, MULTIPART, rawPost } from "./support/raw-post";

let portal: Portal;
const cookies = new Map<string, string>();

/** GET on a new connection (no keep-alive agent), body read whole. */
function freshGet(pathname: string, cookie = ""): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get(`${portal.url}${pathname}`, { agent: false, headers: cookie ? { Cookie: cookie } : {} }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (d) => (body += d));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("error", reject);
  });
}

/** The live child processes of the portal's primary (from /proc). */
function workerPids(): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      // pid (comm) state ppid …: comm may hold spaces, so read after its closing parenthesis.
      const [state, ppid] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (Number(ppid) === portal.process.pid && state !== "Z") pids.push(Number(entry));
    } catch {
      // Gone between the listing and the read.
    }
  }
  return pids;
}

async function until(check: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return check();
}

beforeAll(async () => {
  portal = await startPortal({ WEB_CONCURRENCY: "2", AUTO_REMINDERS: "0" });
  for (const username of ["admin", "x01-c1"]) cookies.set(username, await signInOverHttp(portal.url, username));
});

afterAll(async () => {
  await portal?.stop();
});

describe("the portal on two processes", () => {
  it("two workers serve one port; the start message says so", async () => {
    expect(portal.output()).toContain("处理请求的进程：2 个（WEB_CONCURRENCY）");
    expect(await until(() => workerPids().length === 2, 10_000)).toBe(true);
  });

  it("a figures write made through one process is seen at once by pages from every process", async () => {
    // Both processes cache the settings until the next figures write: fill both caches first.
    for (let i = 0; i < 6; i++) expect((await freshGet("/login")).body).toContain("临溪县教育和体育局");
    for (let round = 1; round <= 5; round++) {
      const name = `临溪县教育局第${round}次改名`;
      const saved = await fetch(`${portal.url}/admin/settings`, {
        method: "POST", redirect: "manual",
        headers: { Cookie: cookies.get("admin")!, Origin: portal.url, "Content-Type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ intent: "save_settings", bureauName: name }),
      });
      expect(saved.status).toBe(302);
      // Right after the answer, on new connections handed to the workers in turn: never the old name.
      const pages = await Promise.all(Array.from({ length: 6 }, () => freshGet("/login")));
      for (const page of pages) {
        expect(page.status).toBe(200);
        expect(page.body).toContain(name);
      }
    }
  });

  it("upload slots are the whole portal's: one account's fifth upload at once is refused, whichever process takes it", async () => {
    const cookie = cookies.get("x01-c1")!;
    const headers = { "Content-Type": MULTIPART, Cookie: cookie };
    const head = async () => multipart(await itemFields(portal.url, cookie, "慢速上传"), false);
    // Two in flight and two waiting, trickling a byte a second, on four connections (two per process).
    const slow = [];
    for (let i = 0; i < 4; i++) {
      slow.push(rawPost(portal.url, "/items/new", { headers, prefix: await head(), chunked: true, trickle: 1000 }));
      await new Promise((r) => setTimeout(r, 150));
    }
    const fifth = await rawPost(portal.url, "/items/new", { headers, prefix: await head(), fill: 1024 }).answer;
    expect(fifth.status).toBe(429);
    expect(fifth.text).toContain("上传正在进行");
    expect(fifth.ms).toBeLessThan(2000);
    // Cut off, their slots come back: the next upload of the same account goes through.
    for (const s of slow) s.stop();
    await new Promise((r) => setTimeout(r, 500));
    const next = await fetch(`${portal.url}/items/new`, {
      method: "POST", redirect: "manual", headers: { ...headers, Origin: portal.url },
      body: new Uint8Array(multipart(await itemFields(portal.url, cookie, "空出位置后的上传"))),
    });
    expect(next.status).toBe(302);
  });

  it("a worker that dies is replaced, and the portal keeps answering meanwhile", async () => {
    const [victim, survivor] = workerPids();
    expect(survivor).toBeGreaterThan(0);
    process.kill(victim, "SIGKILL");
    await new Promise((r) => setTimeout(r, 300));
    for (let i = 0; i < 10; i++) expect((await freshGet("/healthz")).status).toBe(200);
    expect(await until(() => workerPids().length === 2 && !workerPids().includes(victim), 10_000)).toBe(true);
    expect(portal.output()).toContain("意外退出");
    // The new worker serves signed-in pages too.
    for (let i = 0; i < 4; i++) expect((await freshGet("/items", cookies.get("x01-c1"))).status).toBe(200);
  });

  it("SIGTERM stops the primary and every worker, exit code 0", async () => {
    const workers = workerPids();
    expect(workers).toHaveLength(2);
    const exited = new Promise<number | null>((resolve) => portal.process.once("exit", (code) => resolve(code)));
    portal.process.kill("SIGTERM");
    expect(await exited).toBe(0);
    for (const pid of workers) expect(() => process.kill(pid, 0)).toThrow();
  });
});
