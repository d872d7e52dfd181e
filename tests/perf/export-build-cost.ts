// How long each downloadable file takes to build, in ms of the thread that builds it: the demo
// county's year league and year summary workbooks and its register, then the same league and
// summary with their unit tables repeated to a bigger scale (EXPORT_SCALE units, default 2000).
// Also what stays on the thread answering requests: assembling the unpublished year summary, and
// copying the league to the job thread (v8.serialize, the same encoding postMessage uses).
//   npx tsx tests/perf/export-build-cost.ts
import os from "node:os";
import path from "node:path";
import { mkdtempSync, rmSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { openDatabases } from "../../db/connect";
import { seedDemo } from "../../app/models/demo.server";
import { hashPassword } from "../../app/models/password.server";
import { yearRankings } from "../../app/models/rankings.server";
import { annualSummaryDocument } from "../../app/models/notices.server";
import { registerFor } from "../../app/models/register.server";
import { rankingsWorkbook } from "../../app/lib/rankings-export.server";
import { summaryWorkbook } from "../../app/lib/notice-export.server";
import { registerWorkbook } from "../../app/lib/register-export.server";

const NOW = new Date("2026-11-21T04:00:00Z");
const SCALE = Number(process.env.EXPORT_SCALE || 2000);
const dir = mkdtempSync(path.join(os.tmpdir(), "export-cost-"));
const dbs = await openDatabases({ filename: path.join(dir, "portal.sqlite"), readers: 1 });
try {
  await seedDemo(dbs.db, { passwordHash: await hashPassword("Demo@2026"), dataDir: dir, now: NOW });
  const year = "2026";
  const league = await yearRankings(dbs.reader, year, NOW);
  const summary = (await annualSummaryDocument(dbs.reader, year, { role: "reviewer", unitId: null }, NOW))!;
  const register = await registerFor(dbs.reader, 2026, { unitId: null }, NOW);
  const time = async (label: string, build: () => Promise<unknown>) => {
    for (let i = 0; i < 3; i++) await build();
    const ms: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t = performance.now();
      await build();
      ms.push(performance.now() - t);
    }
    ms.sort((a, b) => a - b);
    console.log(`${label}: 中位 ${ms[2].toFixed(1)} ms（最短 ${ms[0].toFixed(1)}，最长 ${ms[4].toFixed(1)}）`);
  };
  await time("年度汇总的内容（未签发，审核员每次下载都重新组装；在处理请求的线程上）", () => annualSummaryDocument(dbs.reader, year, { role: "reviewer", unitId: null }, NOW));
  const { serialize } = await import("node:v8");
  await time("年度排行榜复制到后台线程（v8.serialize，演示县）", async () => serialize(league));
  const units = league.kinds.reduce((n, k) => n + k.rows.length, 0);
  await time(`年度排行榜 Excel（演示县 ${units} 个单位，${league.correspondents.length} 名信息员）`, () => rankingsWorkbook(league));
  await time("年度汇总 Excel（演示县）", () => summaryWorkbook(summary.doc, false));
  await time("登记表 Excel（演示县）", () => registerWorkbook(register));
  const repeat = <T>(rows: T[], n: number) => Array.from({ length: n }, (_, i) => rows[i % rows.length]);
  const per = Math.ceil(SCALE / league.kinds.length);
  const bigLeague = { ...league, kinds: league.kinds.map((k) => ({ ...k, rows: repeat(k.rows, per).map((r) => ({ ...r })) })), correspondents: repeat(league.correspondents, SCALE).map((r) => ({ ...r })) };
  await time(`年度排行榜 Excel（${SCALE} 个单位、${SCALE} 名信息员）`, () => rankingsWorkbook(bigLeague));
  const body = summary.doc.body as { tables: Array<{ rows: unknown[] }>; correspondents: unknown[] };
  const bigSummary = { ...summary.doc, body: { ...body, tables: body.tables.map((t) => ({ ...t, rows: repeat(t.rows, per) })), correspondents: repeat(body.correspondents, SCALE) } };
  await time(`年度排行榜复制到后台线程（v8.serialize，${SCALE} 个单位）`, async () => (await import("node:v8")).serialize(bigLeague));
  await time(`年度汇总 Excel（${SCALE} 个单位、${SCALE} 名信息员）`, () => summaryWorkbook(bigSummary as typeof summary.doc, false));
} finally {
  await dbs.close();
  rmSync(dir, { recursive: true, force: true });
}
