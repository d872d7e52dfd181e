import { performance } from "node:perf_hooks";
import { openDatabases } from "../../db/connect";
import { closedMonthSums } from "../../app/models/year-totals.server";
import { channelStats } from "../../app/models/channel-stats.server";
import { clearClosedSums, yearRankings } from "../../app/models/rankings.server";
import { clearLiveLeagueCache, leagueFor } from "../../app/models/months.server";
import { clearWriteCache } from "../../app/models/write-cache.server";
const dbs = await openDatabases({ filename: "/tmp/l3-bench/portal.sqlite", readers: 4 });
const ids = [1,2,3,4,5,6,7,8,9,10];
const months = Array.from({ length: 12 }, (_, i) => `2026-${String(i + 1).padStart(2, "0")}`);
const T = async (label: string, f: () => Promise<unknown>, n = 9) => {
  const w: number[] = [], c: number[] = [];
  for (let i = 0; i < n; i++) { clearClosedSums(); clearLiveLeagueCache(); clearWriteCache(); const t = performance.now(); const u = process.cpuUsage(); await f(); w.push(performance.now() - t); const d = process.cpuUsage(u); c.push((d.user + d.system) / 1000); }
  w.sort((a, b) => a - b); c.sort((a, b) => a - b);
  console.log(label.padEnd(22), "wall", w[n >> 1].toFixed(1), "cpu", c[n >> 1].toFixed(1));
};
await T("closedMonthSums", () => closedMonthSums(dbs.reader, ids));
await T("channelStats year", () => channelStats(dbs.reader, months));
await T("league 2026-11", () => leagueFor(dbs.reader, "2026-11"));
await T("league 2026-12 nomov", () => leagueFor(dbs.reader, "2026-12", { movement: false }));
await T("yearRankings", () => yearRankings(dbs.reader, "2026"));
await dbs.close();
