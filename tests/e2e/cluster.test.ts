// The portal on two processes (WEB_CONCURRENCY=2): one port, the primary's shared limits, writes seen
// by every process at once, a dead worker replaced, a clean stop. Each request goes on a connection of
// its own, so the primary hands them to the workers in turn.
import http from "node:http";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signInOverHttp, startPortal, type Portal } from "./support/portal";
import { itemFields, multipart, MULTIPART, rawPost } from "./support/raw-post";
import type { ProcessStatsLine } from "~/lib/process-stats.server";
import { dataUrl, loaderDataOf } from "../support/single-fetch";

let portal: Portal;
const cookies = new Map<string, string>();
/** Where every process of the portal writes its STATS_FILE lines (its writer's uses among them). */
const statsDir = mkdtempSync(path.join(os.tmpdir(), "portal-stats-"));
const statsFile = path.join(statsDir, "stats.jsonl");

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
  portal = await startPortal({ WEB_CONCURRENCY: "2", AUTO_REMINDERS: "0", STATS_FILE: statsFile });
  for (const username of ["admin", "x01-c1", "x01-lead"]) cookies.set(username, await signInOverHttp(portal.url, username));
});

afterAll(async () => {
  await portal?.stop();
  rmSync(statsDir, { recursive: true, force: true });
});

/** The STATS_FILE lines written so far. */
function statsLines(): ProcessStatsLine[] {
  if (!existsSync(statsFile)) return [];
  return readFileSync(statsFile, "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l) as ProcessStatsLine);
}

/** An item's status and version as the lead's item page reads them, on a new connection. */
async function itemState(id: number): Promise<{ status: string; version: number }> {
  const res = await freshGet(dataUrl(`/items/${id}`, "routes/items.$id"), cookies.get("x01-lead"));
  expect(res.status).toBe(200);
  const data = await loaderDataOf<{ item: { status: string; version: number } }>(new Response(res.body), "routes/items.$id");
  return { status: data.item.status, version: data.item.version };
}

describe("the portal on two processes", () => {
  it("two workers serve one port; the start message says so", async () => {
    expect(portal.output()).toContain("处理请求的进程：2 个（WEB_CONCURRENCY）");
    expect(await until(() => workerPids().length === 2, 10_000)).toBe(true);
  });

  it("the sweep of unreferenced photo files and Word documents runs once at start, in the primary only", async () => {
    // One log line per sweep; the workers run none (three processes would write three).
    expect(await until(() => /Word 文件清理：/.test(portal.output()), 20_000)).toBe(true);
    await new Promise((r) => setTimeout(r, 1500));
    expect(portal.output().match(/照片清理：删除了 \d+ 个/g)).toHaveLength(1);
    expect(portal.output().match(/Word 文件清理：删除了 \d+ 个/g)).toHaveLength(1);
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

  it("an item's 报送 and 签发 through the workers run in the primary, and every process shows them at once", async () => {
    // Lines cover the 5 s before them: count from the primary's first line written after this test
    // began (the sign-ins before it, which the primary runs too, are in that line or earlier ones).
    const primaryLines = () => statsLines().filter((l) => l.pid === portal.process.pid);
    const began = Date.now();
    expect(await until(() => primaryLines().some((l) => Date.parse(l.at) > began), 8_000)).toBe(true);
    const since = Date.parse(primaryLines().at(-1)!.at);
    const correspondent = cookies.get("x01-c1")!;
    const fields = (await itemFields(portal.url, correspondent, "两个进程下报送的稿件")).filter((f) => f.name !== "intent");
    const created = await fetch(`${portal.url}/items/new`, {
      method: "POST", redirect: "manual", headers: { "Content-Type": MULTIPART, Cookie: correspondent, Origin: portal.url },
      body: new Uint8Array(multipart([...fields, { name: "intent", value: "submit" }, { name: "confidential_checked", value: "1" }])),
    });
    expect(created.status).toBe(302);
    const id = Number(/^\/items\/(\d+)$/.exec(created.headers.get("location") ?? "")?.[1]);
    expect(id).toBeGreaterThan(0);
    for (let i = 0; i < 4; i++) expect(await itemState(id)).toEqual({ status: "pending_school", version: 2 });

    const signOff = (version: number) =>
      fetch(`${portal.url}/items/${id}`, {
        method: "POST", redirect: "manual",
        headers: { Cookie: cookies.get("x01-lead")!, Origin: portal.url, "Content-Type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ intent: "sign_off", version: String(version) }),
      });
    expect((await signOff(2)).status).toBe(302);
    for (let i = 0; i < 4; i++) expect(await itemState(id)).toEqual({ status: "submitted", version: 3 });
    // The same sign-off again: refused in the primary, answered by the worker as in one process
    // (the lead's own sign-off found again, so the lead is told it is signed already).
    const again = await signOff(2);
    expect(again.status).toBe(409);
    expect(await again.text()).toMatch(/您已于 [\d-]+ [\d:]+ 签发过这篇稿件，这次提交没有再作改动/);

    // Both writes were the primary's: its lines count them (each process writes a line every 5 s).
    const primaryUses = () => primaryLines().filter((l) => Date.parse(l.at) > since).flatMap((l) => l.writerUses);
    expect(await until(() => primaryUses().length >= 3, 8_000), JSON.stringify(statsLines())).toBe(true);
  });

  it("sign-ins through the workers (run in the primary) answer a wrong password as in one process", async () => {
    const wrong = await fetch(`${portal.url}/login`, {
      method: "POST", redirect: "manual", headers: { Origin: portal.url, "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ username: "x01-c1", password: "不是这个密码" }),
    });
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).toContain("用户名或密码不正确。");
    // The sign-ins before these tests went the same way: their sessions work on every process.
    for (let i = 0; i < 4; i++) expect((await freshGet("/items", cookies.get("x01-c1"))).status).toBe(200);
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
