// STATS_FILE: each process of the portal (the primary too, which runs the workers' named writes)
// appends a line of JSON to this file every few seconds: its CPU time, how late its event loop
// ran (every request, and every answer from SQLite, waits for a turn of it) and how long each use
// of its writer waited for the writer's turn and then held it. The load test
// (tests/perf/loadtest.ts) sets it and prints these beside its latencies.
import { appendFile } from "node:fs/promises";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { takeOffThreadJobs } from "~/lib/off-thread.server";
import { keepWriterUses, takeWriterUses } from "~/models/db.server";

export interface ProcessStatsLine {
  pid: number;
  /** When the line was written (ISO). */
  at: string;
  /** How late the event loop ran over the interval, in ms: p50, p99 and the longest. */
  loopDelayMs: { p50: number; p99: number; max: number };
  /** Each use of the writer that ended in the interval: [ms waited for the turn, ms held]. */
  writerUses: Array<[number, number]>;
  /** CPU time the process used over the interval (user and system), in ms. */
  cpuMs: number;
  /** Files built on the process's job thread over the interval (lib/off-thread.server.ts), not on its event loop. */
  offThreadJobs: number;
}

/** The event-loop delay is sampled by a timer this often (ms); what it reports beyond that is delay. */
const SAMPLE_MS = 2;

const tenths = (ms: number) => Math.round(ms * 10) / 10;

/** Starts writing stats lines to `file` every `everyMs`; the returned function writes a last one and stops. */
export function startProcessStats(file: string, everyMs = 5_000): () => Promise<void> {
  const delay = monitorEventLoopDelay({ resolution: SAMPLE_MS });
  delay.enable();
  keepWriterUses(true);
  let written = Promise.resolve();
  let cpu = process.cpuUsage();
  const late = (ns: number) => tenths(Math.max(0, ns / 1e6 - SAMPLE_MS));
  const writeLine = () => {
    const line: ProcessStatsLine = {
      pid: process.pid,
      at: new Date().toISOString(),
      loopDelayMs: { p50: late(delay.percentile(50)), p99: late(delay.percentile(99)), max: late(delay.max) },
      writerUses: takeWriterUses().map((u) => [tenths(u.waitedMs), tenths(u.heldMs)]),
      cpuMs: Math.round((({ user, system }) => user + system)(process.cpuUsage(cpu)) / 1000),
      offThreadJobs: takeOffThreadJobs(),
    };
    cpu = process.cpuUsage();
    delay.reset();
    // A measurement must never take the portal down: a failed append loses one line.
    written = written.then(() => appendFile(file, `${JSON.stringify(line)}\n`)).catch(() => undefined);
  };
  const timer = setInterval(writeLine, everyMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    writeLine();
    await written;
    delay.disable();
    keepWriterUses(false);
  };
}
