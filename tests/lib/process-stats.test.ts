// STATS_FILE: each process of the portal writes its event-loop delay, its CPU time and its
// writer's turns as lines of JSON, which the load test reads.
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startProcessStats, type ProcessStatsLine } from "~/lib/process-stats.server";
import { takeWriterUses } from "~/models/db.server";
import { freshDatabases } from "../support/db";

let dbs: Awaited<ReturnType<typeof freshDatabases>>;
beforeAll(async () => {
  dbs = await freshDatabases();
});
afterAll(async () => dbs.dispose());

const now = "2026-01-01T00:00:00.000Z";

it("writes a line per interval with the event loop's delay, the CPU used and each use of the writer, and a last one when stopped", async () => {
  const file = path.join(dbs.dir, "stats.jsonl");
  const stop = startProcessStats(file, 50);
  await dbs.db.insertInto("unit_kinds").values({ code: "k", name: "测试类" }).execute();
  // The delay is measured between two samples of its timer: let it take its first.
  await new Promise((r) => setTimeout(r, 20));
  // The event loop held for 30 ms of the clock and of this process's CPU (on a busy machine the
  // process may be descheduled while the clock runs): a delay and CPU time the lines must show.
  const until = performance.now() + 30;
  const cpuFrom = process.cpuUsage();
  const cpuMs = () => {
    const used = process.cpuUsage(cpuFrom);
    return (used.user + used.system) / 1000;
  };
  while (performance.now() < until || cpuMs() < 30) {
    // busy
  }
  await dbs.db.transaction().execute(async (trx) => {
    await trx.insertInto("units").values({ code: "PS1", name: "单位PS1", kind_code: "k", created_at: now, updated_at: now }).execute();
    await new Promise((r) => setTimeout(r, 20));
  });
  await new Promise((r) => setTimeout(r, 120));
  await stop();
  const lines = readFileSync(file, "utf8").trim().split("\n").map((l) => JSON.parse(l) as ProcessStatsLine);
  expect(lines.length).toBeGreaterThanOrEqual(2);
  for (const line of lines) {
    expect(line.pid).toBe(process.pid);
    expect(Number.isNaN(Date.parse(line.at))).toBe(false);
    expect(line.loopDelayMs.p50).toBeGreaterThanOrEqual(0);
    expect(line.loopDelayMs.p99).toBeGreaterThanOrEqual(line.loopDelayMs.p50);
    // Run from the sources, workbooks are built on the event loop: none off it.
    expect(line.offThreadJobs).toBe(0);
  }
  expect(Math.max(...lines.map((l) => l.loopDelayMs.max))).toBeGreaterThanOrEqual(20);
  // The 30 ms busy loop is CPU time of the process: the lines together count at least that.
  expect(lines.reduce((sum, l) => sum + l.cpuMs, 0)).toBeGreaterThanOrEqual(29);
  const uses = lines.flatMap((l) => l.writerUses);
  expect(uses).toHaveLength(2);
  // [waited, held]: the transaction held the writer for its 20 ms pause at least.
  expect(uses[1][1]).toBeGreaterThanOrEqual(19);
  // Stopped: writer uses are no longer kept.
  await dbs.db.updateTable("units").set({ township: "甲镇" }).where("code", "=", "PS1").execute();
  expect(takeWriterUses()).toEqual([]);
});
