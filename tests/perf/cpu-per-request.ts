// The portal's CPU time per request for the load test's reading mix (the same pages and weights as
// tests/perf/loadtest.ts, without the writes), from /proc/<pid>/stat: what a change saves, free of
// the queueing that dominates the load test's latencies on a shared machine. Starts the production
// build of a checkout (default: this one; build it first) on a fresh demo county, signs the four
// demo accounts in, warms every page twice, then prints CPU ms per request for each round.
//   npx tsx tests/perf/cpu-per-request.ts [checkout dir] [rounds, default 3] [requests per round, default 500]
// CPU_CONCURRENCY (default 8): requests at once; CPU_PER_PAGE=n: each kind of page alone first, n requests each;
// CPU_WARMUP (default 3000): requests of the mix before anything is measured, so that V8 has compiled
// the hot code (without it, successive rounds of one run drift down by a fifth).
// Compare two checkouts by running it on each in turn, twice (the machine's load drifts).
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { dataUrl, loaderDataOf } from "../support/single-fetch";
import { cpuMsOf } from "./proc";

const [dir = ".", rounds = "3", perRound = "500"] = process.argv.slice(2);
const CONCURRENCY = Number(process.env.CPU_CONCURRENCY || 8);
const PASSWORD = "Demo@2026";

const dataDir = mkdtempSync(path.join(os.tmpdir(), "portal-cpu-"));
const child = spawn(process.execPath, [...(process.env.CPU_NODE_ARGS ?? "").split(" ").filter(Boolean), "build/index.js"], {
  cwd: dir,
  env: { ...process.env, NODE_ENV: "production", PORT: "0", DATA_DIR: dataDir, COOKIE_SECURE: "0", AUTO_REMINDERS: "0", SEED_DEMO: "1", DEMO_PASSWORD: PASSWORD },
  stdio: ["ignore", "pipe", "pipe"],
});
let out = "";
child.stderr!.on("data", (d) => (out += d));
const base = await new Promise<string>((resolve, reject) => {
  child.once("exit", (code) => reject(new Error(`门户退出（${code}）：\n${out}`)));
  child.stdout!.on("data", (d) => {
    out += d;
    const m = /http:\/\/localhost:(\d+)/.exec(out);
    if (m) resolve(`http://127.0.0.1:${m[1]}`);
  });
});

/** User + system CPU of the portal so far, in ms. */
const cpuMs = () => cpuMsOf(child.pid!);

try {
  const cookies: Record<string, string> = { anonymous: "" };
  for (const username of ["x01-c1", "x01-lead", "reviewer", "admin"]) {
    const res = await fetch(`${base}/login`, {
      method: "POST", redirect: "manual",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ username, password: PASSWORD }),
    });
    cookies[username] = (res.headers.get("set-cookie") ?? "").split(";")[0];
  }
  const data = async <T>(who: string, page: string, route: string) =>
    loaderDataOf<T>(await fetch(base + dataUrl(page, route), { headers: { Cookie: cookies[who] } }), route);
  const review = await data<{ rows: Array<{ id: number }> }>("reviewer", "/review", "routes/review._index");
  const news = await data<{ list: { rows: Array<{ id: number }> } }>("reviewer", "/news", "routes/news._index");
  const notices = await data<{ published: Array<{ id: number; href: string }> }>("reviewer", "/notices", "routes/notices._index");
  const { today } = await data<{ today: string }>("x01-c1", "/items/new", "routes/items.new");
  const month = today.slice(0, 7);
  const [y, m] = month.split("-").map(Number);
  const closed = m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, "0")}`;
  const reviewIds = review.rows.map((r) => r.id).slice(0, 20);
  const newsIds = news.list.rows.map((r) => r.id).slice(0, 20);
  const noticeIds = notices.published.filter((r) => r.href === `/notices/${r.id}`).map((r) => r.id);
  const at = <T>(xs: T[], i: number) => xs[i % xs.length];
  // Weights as in loadtest.ts OPERATIONS (reads only; the bare Remix app is not the portal's).
  const ops: Array<[number, (i: number) => [string, string]]> = [
    [6, () => ["x01-c1", "/"]], [4, () => ["x01-lead", "/"]], [5, () => ["reviewer", "/"]], [3, () => ["admin", "/"]],
    [6, () => ["x01-c1", "/items"]], [5, () => ["reviewer", "/review"]], [6, (i) => ["reviewer", `/review/${at(reviewIds, i)}`]],
    [5, (i) => ["x01-c1", `/rankings/${i % 2 ? month : closed}`]], [3, () => ["x01-c1", `/rankings/${y}`]],
    [6, () => ["x01-lead", "/news"]], [6, (i) => ["x01-c1", `/news/${at(newsIds, i)}`]], [4, () => ["admin", "/notices"]],
    [3, (i) => ["x01-lead", `/notices/${at(noticeIds, i)}`]], [3, () => ["reviewer", `/register/${y}`]],
    [6, () => ["reviewer", dataUrl("/review", "routes/review._index")]], [5, () => ["x01-c1", dataUrl("/items", "routes/items._index")]],
    [4, () => ["x01-c1", dataUrl(`/rankings/${month}`, "routes/rankings.$period")]], [4, () => ["x01-lead", dataUrl("/news", "routes/news._index")]],
    [8, () => ["anonymous", "/healthz"]],
  ];
  const sequence = ops.flatMap(([weight, op]) => Array.from({ length: weight }, () => op));
  const request = async (i: number) => {
    const [who, page] = sequence[i % sequence.length](i);
    const res = await fetch(base + page, { headers: { Cookie: cookies[who], "Accept-Encoding": "gzip, deflate" } });
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`${page} → ${res.status}`);
  };
  /** `n` requests of the mix, CONCURRENCY at a time; a large odd stride spreads consecutive ones over the kinds of page. */
  const mix = async (n: number) => {
    let next = 0;
    await Promise.all(Array.from({ length: CONCURRENCY }, async () => { while (next < n) await request(next++ * 7919); }));
  };
  for (let i = 0; i < sequence.length * 2; i++) await request(i);
  await mix(Number(process.env.CPU_WARMUP ?? 3000));
  if (process.env.CPU_PER_PAGE) {
    // Each kind of page alone: 8 concurrent clients, CPU_PER_PAGE requests of that kind.
    const n = Number(process.env.CPU_PER_PAGE);
    for (const [, op] of ops) {
      const [who, page] = op(0);
      const before = cpuMs();
      let next = 0;
      let bytes = 0;
      await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
        while (next < n) {
          const [w, p] = op(next++);
          const res = await fetch(base + p, { headers: { Cookie: cookies[w], "Accept-Encoding": "gzip, deflate" } });
          bytes += (await res.arrayBuffer()).byteLength;
        }
      }));
      console.log(`${((cpuMs() - before) / n).toFixed(2).padStart(7)} ms ${(bytes / n / 1024).toFixed(1).padStart(6)} KB  ${who} ${page}`);
    }
  }
  const perRequest: number[] = [];
  for (let r = 0; r < Number(rounds); r++) {
    const before = cpuMs();
    await mix(Number(perRound));
    perRequest.push((cpuMs() - before) / Number(perRound));
  }
  console.log(`${path.resolve(dir)}：门户每个请求的 CPU 时间（负载测试的读取组合，不含写入，${CONCURRENCY} 个并发，${rounds} 轮 × ${perRound} 个请求）：${perRequest.map((x) => `${x.toFixed(2)} ms`).join("、")}`);
} finally {
  child.kill("SIGTERM");
  await new Promise((r) => child.once("exit", r));
  rmSync(dataDir, { recursive: true, force: true });
}
