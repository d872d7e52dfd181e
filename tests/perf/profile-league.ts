// Profiles the monthly and year-to-date league on a database the bench kept (BENCH_KEEP=1):
//   node --cpu-prof --cpu-prof-dir=/tmp/prof --import tsx tests/perf/profile-league.ts <portal.sqlite>
import { performance } from "node:perf_hooks";
import { addMonths, shanghaiMonth } from "../../app/domain/time";
import { clearLiveLeagueCache, leagueFor } from "../../app/models/months.server";
import { clearClosedSums } from "../../app/models/rankings.server";
import { clearWriteCache } from "../../app/models/write-cache.server";
import { yearRankings } from "../../app/models/rankings.server";
import { openDatabases } from "../../db/connect";

const filename = process.argv[2];
if (!filename) throw new Error("usage: profile-league.ts <portal.sqlite>");
const dbs = await openDatabases({ filename, readers: 4 });
const month = addMonths(shanghaiMonth(new Date()), -1);
for (let i = 0; i < 5; i++) {
  clearLiveLeagueCache();
  let t = performance.now();
  await leagueFor(dbs.reader, month);
  const monthMs = performance.now() - t;
  clearLiveLeagueCache();
  clearWriteCache();
  if (i === 0) clearClosedSums();
  t = performance.now();
  await yearRankings(dbs.reader, month.slice(0, 4));
  console.log(`month ${monthMs.toFixed(0)} ms, year view ${(performance.now() - t).toFixed(0)} ms`);
}
await dbs.close();
