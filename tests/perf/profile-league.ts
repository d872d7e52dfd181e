// Profiles the monthly and year-to-date league on a database the bench kept (BENCH_KEEP=1):
//   node --cpu-prof --cpu-prof-dir=/tmp/prof --import tsx tests/perf/profile-league.ts <portal.sqlite> [runs]
// Every run is cold (all caches cleared, closed months' sums included); medians are printed at the end
// (wall time, and the process's CPU time: main thread and SQLite's threads together),
// with the longest the event loop was held (what a small page arriving meanwhile would wait) for the
// year view as the portal recomputes it after a write (closed months' sums kept).
import { monitorEventLoopDelay, performance } from "node:perf_hooks";
import { addMonths, shanghaiMonth } from "../../app/domain/time";
import { leagueFor } from "../../app/models/months.server";
import { clearClosedSums, yearRankings } from "../../app/models/rankings.server";
import { openDatabases } from "../../db/connect";
import { countWriterUse } from "../../db/write-generations";

const filename = process.argv[2];
if (!filename) throw new Error("usage: profile-league.ts <portal.sqlite> [runs]");
const runs = Number(process.argv[3] ?? 10);
const dbs = await openDatabases({ filename, readers: 4 });
const month = addMonths(shanghaiMonth(new Date()), -1);
const cold = () => {
  countWriterUse(filename, "everything");
  clearClosedSums();
};
const months: number[] = [];
const years: number[] = [];
// CPU time of the whole process (main thread and SQLite's threads): far steadier than wall time on a shared machine.
const monthCpu: number[] = [];
const yearCpu: number[] = [];
const cpuMs = (since: NodeJS.CpuUsage) => {
  const u = process.cpuUsage(since);
  return (u.user + u.system) / 1000;
};
for (let i = 0; i < runs; i++) {
  cold();
  let t = performance.now();
  let c = process.cpuUsage();
  await leagueFor(dbs.reader, month);
  months.push(performance.now() - t);
  monthCpu.push(cpuMs(c));
  cold();
  t = performance.now();
  c = process.cpuUsage();
  await yearRankings(dbs.reader, month.slice(0, 4));
  years.push(performance.now() - t);
  yearCpu.push(cpuMs(c));
  console.log(`month ${months.at(-1)!.toFixed(0)} ms (CPU ${monthCpu.at(-1)!.toFixed(0)} ms), year view ${years.at(-1)!.toFixed(0)} ms (CPU ${yearCpu.at(-1)!.toFixed(0)} ms)`);
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(
  `median of ${runs} cold runs: month ${median(months).toFixed(0)} ms (CPU ${median(monthCpu).toFixed(0)} ms), ` +
    `year view ${median(years).toFixed(0)} ms (CPU ${median(yearCpu).toFixed(0)} ms)`,
);
const stalls: number[] = [];
const afterWrite: number[] = [];
for (let i = 0; i < runs; i++) {
  countWriterUse(filename, "everything");
  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();
  const t = performance.now();
  await yearRankings(dbs.reader, month.slice(0, 4));
  afterWrite.push(performance.now() - t);
  delay.disable();
  stalls.push(delay.max / 1e6);
}
console.log(`year view after a write (median of ${runs}): ${median(afterWrite).toFixed(0)} ms; longest event-loop stall: median ${median(stalls).toFixed(0)} ms, worst ${Math.max(...stalls).toFixed(0)} ms`);
await dbs.close();
