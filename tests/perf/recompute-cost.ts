// What each shared result the pages read costs to compute again after a write, against reading it
// from its cache: on a fresh demo county, every case is called with all caches just told of a
// write to every unit and month (as the month-end filing does many times a second), then again at
// once (cached). CPU of the whole process (the thread pool's SQLite work included) per call, one
// call at a time, nothing else running. Run from a checkout to measure that checkout's code:
//   npx tsx tests/perf/recompute-cost.ts [calls per case, default 40] [only cases whose name contains this]
// Cases that are not cached themselves (quotasFor, liveCoverage, monthRankings, yearRankings,
// listReviewQueue) show their cost twice: what their own cached callers save is the difference.
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
const from = (file: string) => import(path.resolve(process.cwd(), file));
const { openDatabases, databaseFileOf } = await from("db/connect.ts");
const { figuresWrittenElsewhere } = await from("db/write-generations.ts");
const { seedDemo } = await from("app/models/demo.server.ts");
const { hashPassword } = await from("app/models/password.server.ts");
const m = {
  ...(await from("app/models/months.server.ts")), ...(await from("app/models/home.server.ts")), ...(await from("app/models/rankings.server.ts")),
  ...(await from("app/models/dashboard.server.ts")), ...(await from("app/models/review.server.ts")), ...(await from("app/models/news.server.ts")),
  ...(await from("app/models/themes.server.ts")), ...(await from("app/models/rules.server.ts")),
};
const dir = mkdtempSync(path.join(os.tmpdir(), "portal-recompute-"));
const dbs = await openDatabases({ filename: path.join(dir, "portal.sqlite") });
const { db } = dbs;
await seedDemo(db, { passwordHash: await hashPassword("Demo@2026"), dataDir: dir, now: new Date() });
const reader = dbs.reader ?? db;
const file = databaseFileOf(reader);
const now = new Date();
const month = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 7);
const lead = await db.selectFrom("accounts").selectAll().where("username", "=", "x01-lead").executeTakeFirstOrThrow();
const user = { id: lead.id, username: lead.username, displayName: lead.display_name, role: lead.role, unitId: lead.unit_id, unitName: null, mustChangePassword: false };
const cases: Array<[string, () => Promise<unknown>]> = [
  ["quotasFor(all)", () => m.quotasFor(reader, month)],
  ["liveCoverage", () => m.liveCoverage(reader, month)],
  ["reviewerDashboard", () => m.reviewerDashboard(reader, now)],
  ["reviewerHome", () => m.reviewerHome(reader, now)],
  ["unitHome(lead)", () => m.unitHome(reader, user, now)],
  ["leagueFor(month)", () => m.leagueFor(reader, month)],
  ["monthRankings", () => m.monthRankings(reader, month)],
  ["yearRankings", () => m.yearRankings(reader, month.slice(0, 4), now)],
  ["listReviewQueue", () => m.listReviewQueue(reader, new URLSearchParams())],
  ["listNews", () => m.listNews(reader, { page: 1 })],
  ["newsFilterOptions", () => m.newsFilterOptions(reader)],
  ["rankingBounds", () => m.rankingBounds(reader, now)],
  ["adoptionRates", () => m.adoptionRates(reader, month)],
  ["inReviewByUnit", () => m.inReviewByUnit(reader, month)],
];
const N = Number(process.argv[2] || 40);
const only = process.argv[3];
for (const [name, fn] of cases) {
  if (only && !name.includes(only)) continue;
  for (let i = 0; i < 5; i++) { figuresWrittenElsewhere(file, "everything"); await fn(); }
  let cold = 0, warm = 0;
  for (let i = 0; i < N; i++) {
    figuresWrittenElsewhere(file, "everything");
    const c0 = process.cpuUsage(); await fn(); const d = process.cpuUsage(c0); cold += d.user + d.system;
    const c1 = process.cpuUsage(); await fn(); const e = process.cpuUsage(c1); warm += e.user + e.system;
  }
  console.log(`${name.padEnd(20)} after a write ${(cold / N / 1000).toFixed(2)} ms   cached ${(warm / N / 1000).toFixed(2)} ms`);
}
await dbs.close();
rmSync(dir, { recursive: true, force: true });
