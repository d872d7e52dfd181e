// The portal's CPU time per request for the load test's reading mix (the same pages and weights as
// tests/perf/loadtest.ts, without the writes), from /proc/<pid>/stat: what a change saves, free of
// the queueing that dominates the load test's latencies on a shared machine. Starts the production
// build of a checkout (default: this one; build it first) on a fresh demo county, signs the four
// demo accounts in, warms every page twice, then prints CPU ms per request for each round.
//   npx tsx tests/perf/cpu-per-request.ts [checkout dir] [rounds, default 3] [requests per round, default 500]
// CPU_CONCURRENCY (default 8): requests at once; CPU_PER_PAGE=n: each kind of page alone first, n requests each;
// CPU_WARMUP (default 3000): requests of the mix before anything is measured, so that V8 has compiled
// the hot code (without it, successive rounds of one run drift down by a fifth).
// CPU_WRITES=1: the mix with the load test's filing as well (filing.ts: submissions with a photo,
// sign-offs, adoptions, same weights), so the work each write leaves behind (caches computed again)
// is counted too; without it the mix only reads. CPU_WRITES=only: the filing alone (with the reads
// each write makes first), for what a write costs.
// CPU_VS=<other checkout dir>: compares two checkouts in one run. Both portals run side by side and
// the rounds alternate between them (A B A B …), so the machine's drift (±10 % from one minute to
// the next here) falls on both alike; prints each pair's ratio A/B and their median.
// CPU_NODE_ARGS: Node's flags for the portal (both, when comparing); CPU_VS_NODE_ARGS: the second one's
// instead, so that one checkout can be compared with itself under other flags (CPU_VS=.).
import type { ChildProcess } from "node:child_process";
import path from "node:path";
import { dataUrl, loaderDataOf } from "../support/single-fetch";
import { signInOverHttp } from "../e2e/support/portal";
import { startCheckoutPortal, stopCheckoutPortal } from "./checkout-portal";
import { Filing, type Send } from "./filing";
import { cpuMsOf } from "./proc";

const [dir = ".", rounds = "3", perRound = "500"] = process.argv.slice(2);
const CONCURRENCY = Number(process.env.CPU_CONCURRENCY || 8);
const WRITES = process.env.CPU_WRITES === "1" || process.env.CPU_WRITES === "only";
const ONLY_WRITES = process.env.CPU_WRITES === "only";

interface Portal {
  dir: string;
  child: ChildProcess;
  dataDir: string;
  /** User + system CPU of the portal (its whole process tree) so far, in ms. */
  cpuMs: () => number;
  /** `n` requests of the mix, CONCURRENCY at a time. */
  mix: (n: number) => Promise<void>;
  /** Each kind of page alone, `n` requests each: one line per kind. */
  perPage: (n: number) => Promise<string[]>;
}

/** The production build of `checkout` on a fresh demo county, signed in and warmed up. */
async function startPortal(checkout: string, nodeArgs = process.env.CPU_NODE_ARGS ?? ""): Promise<Portal> {
  const { base, child, dataDir } = await startCheckoutPortal(checkout, { nodeArgs, tmpPrefix: "portal-cpu-" });
  const portal: Portal = { dir: path.resolve(checkout), child, dataDir, cpuMs: () => cpuMsOf(child.pid!), mix: async () => {}, perPage: async () => [] };

  const cookies: Record<string, string> = { anonymous: "" };
  for (const username of ["x01-c1", "x01-lead", "reviewer", "admin"]) cookies[username] = await signInOverHttp(base, username);
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
  /** One request of `op`; its size. */
  const fetchOne = async (who: string, page: string) => {
    const res = await fetch(base + page, { headers: { Cookie: cookies[who], "Accept-Encoding": "gzip, deflate" } });
    const bytes = (await res.arrayBuffer()).byteLength;
    if (res.status !== 200) throw new Error(`${page} → ${res.status}`);
    return bytes;
  };
  const reads = ops.map(([weight, op]): [number, (i: number) => Promise<unknown>] => [weight, (i) => fetchOne(...op(i))]);
  const writes: Array<[number, (i: number) => Promise<unknown>]> = [];
  if (WRITES) {
    // A page must answer 200 and a form post redirect, as in the load test.
    const send: Send = async (_type, cookie, page, init = {}) => {
      const res = await fetch(base + page, { ...init, redirect: "manual", headers: { ...(init.headers as Record<string, string> | undefined), Cookie: cookie, "Accept-Encoding": "gzip, deflate" } });
      const body = await res.text();
      const ok = (init.method ?? "GET") === "GET" ? res.status === 200 : res.status === 302 || res.status === 303;
      if (!ok) throw new Error(`${init.method ?? "GET"} ${page} → ${res.status} ${body.slice(0, 160)}`);
      return { status: res.status, body, location: res.headers.get("location") };
    };
    const unexpected = (type: string, message: string) => {
      throw new Error(`${type}：${message}`);
    };
    const filing = await Filing.prepare({ base, reviewer: cookies.reviewer, send, unexpected });
    // With nothing waiting, the lead reads the home page and the reviewer an item, as in the load test.
    writes.push(
      [3, () => filing.submit()],
      [3, async () => (await filing.signOff()) || (await fetchOne("x01-lead", "/"))],
      [3, async (i) => (await filing.adopt()) || (await fetchOne("reviewer", `/review/${at(reviewIds, i)}`))],
    );
  }
  const sequence = [...(ONLY_WRITES ? [] : reads), ...writes].flatMap(([weight, op]) => Array.from({ length: weight }, () => op));
  /** `n` calls of `one`, CONCURRENCY at a time. */
  const concurrently = async (n: number, one: (i: number) => Promise<unknown>) => {
    let next = 0;
    await Promise.all(Array.from({ length: CONCURRENCY }, async () => { while (next < n) await one(next++); }));
  };
  // A large odd stride spreads consecutive requests over the kinds of page.
  portal.mix = (n) => concurrently(n, (i) => sequence[(i * 7919) % sequence.length](i * 7919));
  portal.perPage = async (n) => {
    const lines: string[] = [];
    for (const [, op] of ops) {
      const [who, page] = op(0);
      const before = portal.cpuMs();
      let bytes = 0;
      await concurrently(n, async (i) => (bytes += await fetchOne(...op(i))));
      lines.push(`${((portal.cpuMs() - before) / n).toFixed(2).padStart(7)} ms ${(bytes / n / 1024).toFixed(1).padStart(6)} KB  ${who} ${page}`);
    }
    return lines;
  };
  for (let i = 0; i < sequence.length * 2; i++) await sequence[i % sequence.length](i);
  await portal.mix(Number(process.env.CPU_WARMUP ?? 3000));
  return portal;
}

/** CPU ms per request of one round of the mix on `portal`. */
async function round(portal: Portal): Promise<number> {
  const before = portal.cpuMs();
  await portal.mix(Number(perRound));
  return (portal.cpuMs() - before) / Number(perRound);
}

const median = (xs: number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const ms = (xs: number[]) => xs.map((x) => `${x.toFixed(2)} ms`).join("、");
const portals: Portal[] = [];
try {
  portals.push(await startPortal(dir));
  if (process.env.CPU_VS) portals.push(await startPortal(process.env.CPU_VS, process.env.CPU_VS_NODE_ARGS));
  if (process.env.CPU_PER_PAGE) {
    for (const portal of portals) {
      console.log(`${portal.dir}：每种页面单独 ${process.env.CPU_PER_PAGE} 次`);
      for (const line of await portal.perPage(Number(process.env.CPU_PER_PAGE))) console.log(line);
    }
  }
  const perRequest: number[][] = portals.map(() => []);
  for (let r = 0; r < Number(rounds); r++) for (const [i, portal] of portals.entries()) perRequest[i].push(await round(portal));
  const what = `负载测试的${ONLY_WRITES ? "报送、签发、采用（不含别的读取）" : WRITES ? "组合（含报送、签发、采用）" : "读取组合，不含写入"}，${CONCURRENCY} 个并发，${rounds} 轮 × ${perRound} 次操作`;
  for (const [i, portal] of portals.entries()) console.log(`${portal.dir}：门户每${WRITES ? "次操作" : "个请求"}的 CPU 时间（${what}）：${ms(perRequest[i])}`);
  if (portals.length === 2) {
    const ratios = perRequest[0].map((a, r) => a / perRequest[1][r]);
    console.log(`两者交替各轮之比（A = ${portals[0].dir}，B = ${portals[1].dir}）A/B：${ratios.map((x) => x.toFixed(3)).join("、")}；中位数 ${median(ratios).toFixed(3)}`);
  }
} finally {
  for (const portal of portals) await stopCheckoutPortal(portal);
}
