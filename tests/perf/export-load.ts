// A small page's latency while signed-in people download the year's league as Excel in a loop:
// what repeated downloads cost everyone else. Starts the production build of each checkout given
// (build it first: `npx remix build`) on a fresh demo county of its own, one after the other and
// alternating over the rounds, so that the machine's drift falls on each alike. Per round: the
// small page alone, then the same while EXPORT_CLIENTS clients (default 8) each download
// /rankings/<year>.xlsx again as soon as the last one arrived; p50 / p95 of each, the ratio to
// alone, and the downloads finished and the portal's CPU ms per download meanwhile.
//   npx tsx tests/perf/export-load.ts <checkout> [other checkout …]
// EXPORT_ROUNDS (default 2), EXPORT_SAMPLES (small pages per measurement, default 200),
// EXPORT_PORT (the first portal's port, default 4830; the next checkout takes the next port).
// EXPORT_RATE=n: the clients together start at most n downloads a second (each waits its turn)
// instead of one after another: the same load on portals that answer at different speeds.
// EXPORT_FILE=summary: the reviewers download the year summary's workbook (/summary/<year>.xlsx) instead,
// which before it is published is built again on every request (what the league's first download after
// each write costs); EXPORT_FILE=register: the year's register, also built on every request.
// EXPORT_WRITES=n: meanwhile a school files, its lead signs off and the reviewer adopts n items a second,
// each changing the league, so the league's next download is built again (and the league computed again).
import { performance } from "node:perf_hooks";
import { signInOverHttp } from "../e2e/support/portal";
import { startCheckoutPortal, stopCheckoutPortal } from "./checkout-portal";
import { Filing } from "./filing";
import { cpuMsOf } from "./proc";

const checkouts = process.argv.slice(2).length > 0 ? process.argv.slice(2) : ["."];
const CLIENTS = Number(process.env.EXPORT_CLIENTS || 8);
const ROUNDS = Number(process.env.EXPORT_ROUNDS || 2);
const SAMPLES = Number(process.env.EXPORT_SAMPLES || 200);
const FIRST_PORT = Number(process.env.EXPORT_PORT || 4830);
const RATE = Number(process.env.EXPORT_RATE || 0);
const WRITES = Number(process.env.EXPORT_WRITES || 0);
const FILE = (process.env.EXPORT_FILE || "league") as "league" | "summary" | "register";
const FILE_PATHS = { league: "rankings", summary: "summary", register: "register" } as const;
const FILE_NAMES = { league: "年度排行 Excel（缓存之后）", summary: "年度汇总 Excel（未签发，每次生成）", register: "登记表 Excel（每次生成）" } as const;

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];

async function measure(checkout: string, port: number) {
  const portal = await startCheckoutPortal(checkout, { port, tmpPrefix: "portal-export-" });
  try {
    const reviewer = await signInOverHttp(portal.base, "reviewer");
    let school = await signInOverHttp(portal.base, "x01-c1");
    const get = async (page: string, cookie: string) => {
      const res = await fetch(portal.base + page, { headers: { Cookie: cookie } });
      const bytes = (await res.arrayBuffer()).byteLength;
      if (res.status !== 200) throw new Error(`${page} → ${res.status}`);
      return bytes;
    };
    const year = new Date().toLocaleString("sv", { timeZone: "Asia/Shanghai" }).slice(0, 4);
    const small = "/account/password";
    const heavy = `/${FILE_PATHS[FILE]}/${year}.xlsx`;
    // The league is for everyone signed in; the summary's draft and the whole register for reviewers.
    if (FILE !== "league") school = reviewer;
    const sample = async () => {
      const times: number[] = [];
      for (let i = 0; i < SAMPLES; i++) {
        const t = performance.now();
        await get(small, reviewer);
        times.push(performance.now() - t);
      }
      return times.sort((a, b) => a - b);
    };
    // Warm both: V8's compiled code, the league views the portal shares.
    for (let i = 0; i < 20; i++) await get(small, reviewer);
    for (let i = 0; i < 20; i++) await get(heavy, i % 2 ? school : reviewer);
    const filing = WRITES > 0
      ? await Filing.prepare({
          base: portal.base,
          reviewer,
          send: async (_type, cookie, pathname, init = {}) => {
            const res = await fetch(portal.base + pathname, { ...init, redirect: "manual", headers: { ...(init.headers as Record<string, string> | undefined), Cookie: cookie } });
            return { status: res.status, body: await res.text(), location: res.headers.get("location") };
          },
          unexpected: (type, message) => {
            throw new Error(`${type}：${message}`);
          },
        })
      : null;
    const cpuAlone = cpuMsOf(portal.child.pid!);
    const alone = await sample();
    // The small pages' own CPU, taken out of what the downloads cost below.
    const cpuPerSmall = (cpuMsOf(portal.child.pid!) - cpuAlone) / SAMPLES;
    let running = true;
    let downloads = 0;
    let scheduled = 0;
    let bytes = 0;
    const cpuBefore = cpuMsOf(portal.child.pid!);
    const start = performance.now();
    const clients = Array.from({ length: CLIENTS }, async (_, i) => {
      while (running) {
        if (RATE > 0) {
          // The next download's turn: one every 1/RATE seconds over all the clients.
          const turn = start + (scheduled++ * 1000) / RATE - performance.now();
          if (turn > 0) await new Promise((r) => setTimeout(r, turn));
          if (!running) break;
          bytes = await get(heavy, i % 2 ? school : reviewer);
          downloads++;
          continue;
        }
        bytes = await get(heavy, i % 2 ? school : reviewer);
        downloads++;
      }
    });
    let writes = 0;
    const writer = (async () => {
      while (filing && running) {
        const turn = start + (writes * 1000) / WRITES - performance.now();
        if (turn > 0) await new Promise((r) => setTimeout(r, turn));
        if (!running) break;
        await filing.submit();
        await filing.signOff();
        await filing.adopt();
        writes++;
      }
    })();
    const t = performance.now();
    const during = await sample();
    const seconds = (performance.now() - t) / 1000;
    running = false;
    await Promise.all([...clients, writer]);
    const cpu = cpuMsOf(portal.child.pid!) - cpuBefore - cpuPerSmall * SAMPLES;
    return { alone, during, downloads, seconds, bytes, cpuPerDownload: cpu / downloads, heavy, writes };
  } finally {
    await stopCheckoutPortal(portal);
  }
}

const f = (x: number) => x.toFixed(1);
console.log(
  `小页面 /account/password（审核员）${SAMPLES} 次，单独与 ${CLIENTS} 个客户端同时循环下载${FILE_NAMES[FILE]}时` +
    `${RATE > 0 ? `（合计每秒至多开始 ${RATE} 次）` : "（一次接一次）"}；门户单进程，演示数据${WRITES > 0 ? `；同时每秒报送、签发并采用 ${WRITES} 篇稿件（每篇都改变排行）` : ""}`,
);
console.log("| 检出 | 轮 | 单独 p50 / p95 | 下载时 p50 / p95 | p50 / p95 之比 | 期间下载（次/秒） | 每次下载的 CPU（减去小页面的） |");
console.log("|---|---|---|---|---|---|---|");
for (let round = 1; round <= ROUNDS; round++) {
  for (const [i, checkout] of checkouts.entries()) {
    const r = await measure(checkout, FIRST_PORT + i);
    console.log(
      `| ${checkout} | ${round} | ${f(pct(r.alone, 0.5))} / ${f(pct(r.alone, 0.95))} ms | ${f(pct(r.during, 0.5))} / ${f(pct(r.during, 0.95))} ms | ` +
        `${(pct(r.during, 0.5) / pct(r.alone, 0.5)).toFixed(2)}× / ${(pct(r.during, 0.95) / pct(r.alone, 0.95)).toFixed(2)}× | ` +
        `${r.downloads}（${(r.downloads / r.seconds).toFixed(0)}，每个 ${(r.bytes / 1024).toFixed(0)} KB${WRITES > 0 ? `；写入 ${r.writes} 次` : ""}） | ${r.cpuPerDownload.toFixed(2)} ms |`,
    );
  }
}
