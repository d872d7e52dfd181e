// The league pages as the schools read them at the month's end: every school's lead looks at the
// month's, last month's and the year's league in turn, against one school's lead doing the same.
// Each school sees its own row marked, so a table kept whole for each viewer would be kept forty
// times (and evicted); kept once, with each school's own row kept beside it, forty schools cost
// about what one does. Prints the portal's CPU per request (from /proc) for each round.
//   npx tsx tests/perf/league-schools.ts [many|one, default many] [rounds, default 3] [requests per round, default 600]
// Runs the production build of the current directory (build it first) on a fresh demo county;
// to compare another checkout, run it from that checkout's directory.
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { addMonths, shanghaiMonth } from "../../app/domain/time";
import { DEMO_PASSWORD, signInOverHttp, spawnPortal } from "../e2e/support/portal";
import { cpuMsOf } from "./proc";

const [who = "many", rounds = "3", perRound = "600"] = process.argv.slice(2);
const CONCURRENCY = 4;
/** The demo county's unit codes: 12 乡镇中心校, 16 区直中小学, 12 幼儿园. */
const CODES = [["x", 12], ["q", 16], ["y", 12]].flatMap(([prefix, n]) => Array.from({ length: n as number }, (_, i) => `${prefix}${String(i + 1).padStart(2, "0")}`));

const dataDir = mkdtempSync(path.join(os.tmpdir(), "league-schools-"));
const portal = await spawnPortal({ DATA_DIR: dataDir, DEMO_PASSWORD, SESSION_SECRET: "", COOKIE_SECURE: "0", AUTO_REMINDERS: "0", SEED_DEMO: "1" });
try {
  const base = portal.url.replace("localhost", "127.0.0.1");
  const cookies: string[] = [];
  for (const code of who === "one" ? ["x01"] : CODES) cookies.push(await signInOverHttp(base, `${code}-lead`));
  const month = shanghaiMonth(new Date());
  const pages = [`/rankings/${month}`, `/rankings/${addMonths(month, -1)}`, `/rankings/${month.slice(0, 4)}`];
  let next = 0;
  const one = async () => {
    const i = next++;
    const res = await fetch(base + pages[i % pages.length], { headers: { Cookie: cookies[Math.floor(i / pages.length) % cookies.length], "Accept-Encoding": "gzip" } });
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`${pages[i % pages.length]} → ${res.status}`);
  };
  const run = async (n: number) => {
    let started = 0;
    await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
      while (started++ < n) await one();
    }));
  };
  // Every school's tables seen, and V8 warmed up, before anything is measured.
  await run(Math.max(1_500, cookies.length * pages.length * 3));
  const line: string[] = [];
  for (let r = 0; r < Number(rounds); r++) {
    const before = cpuMsOf(portal.process.pid!);
    await run(Number(perRound));
    line.push(`${((cpuMsOf(portal.process.pid!) - before) / Number(perRound)).toFixed(2)} ms`);
  }
  console.log(`${cookies.length} 所学校的分管领导轮流看本月、上月和年度排行榜（${CONCURRENCY} 个并发，${rounds} 轮 × ${perRound} 次）：门户每个请求的 CPU ${line.join("、")}`);
} finally {
  portal.process.kill("SIGTERM");
  await portal.exited;
  rmSync(dataDir, { recursive: true, force: true });
}
