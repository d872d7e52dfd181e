// The production build builds its workbooks on a worker thread (lib/off-thread.server.ts): the
// year's league, the year summary and the register arrive whole and readable, and the process's
// STATS_FILE counts each as built off its event loop; a league file asked for again is read from
// the kept files, not built again; the portal still stops cleanly with its job thread running. The
// bundle on a job thread starts no server and touches no data directory.
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, expect, it } from "vitest";
import { jobThread } from "~/lib/off-thread.server";
import type { ProcessStatsLine } from "~/lib/process-stats.server";
import { signInOverHttp, startPortal, type Portal } from "./support/portal";

let portal: Portal;
let reviewer: string;
const statsDir = mkdtempSync(path.join(os.tmpdir(), "portal-stats-"));
const statsFile = path.join(statsDir, "stats.jsonl");
const year = new Date().toLocaleString("sv", { timeZone: "Asia/Shanghai" }).slice(0, 4);

beforeAll(async () => {
  portal = await startPortal({ AUTO_REMINDERS: "0", STATS_FILE: statsFile });
  reviewer = await signInOverHttp(portal.url, "reviewer");
});

afterAll(async () => {
  await portal?.stop();
  rmSync(statsDir, { recursive: true, force: true });
});

function offThreadJobs(): number {
  if (!existsSync(statsFile)) return 0;
  const lines = readFileSync(statsFile, "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l) as ProcessStatsLine);
  return lines.reduce((sum, l) => sum + l.offThreadJobs, 0);
}

/** A workbook downloaded by the reviewer, opened: its sheets' names. */
async function download(pathname: string): Promise<string[]> {
  const res = await fetch(portal.url + pathname, { headers: { Cookie: reviewer } });
  expect(res.status, pathname).toBe(200);
  expect(res.headers.get("content-type")).toBe("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
  const bytes = await res.arrayBuffer();
  expect(Number(res.headers.get("content-length"))).toBe(bytes.byteLength);
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes);
  return workbook.worksheets.map((ws) => ws.name);
}

it("builds the league, summary and register workbooks on the job thread and stops cleanly", async () => {
  expect(await download(`/rankings/${year}.xlsx`)).toContain("信息员");
  // Kept after the first build: the same league is not built again.
  expect(await download(`/rankings/${year}.xlsx`)).toContain("信息员");
  expect(await download(`/summary/${year}.xlsx`)).toContain("信息员");
  expect(await download(`/register/${year}.xlsx`)).toEqual(["登记表", "登记不全的单位"]);
  const stopped = portal.process;
  await portal.stop();
  expect(stopped.exitCode).toBe(0);
  // The last stats line is written on the way out: three files, each built once, off the event loop.
  expect(offThreadJobs()).toBe(3);
  expect(portal.output()).not.toMatch(/后台线程|Error/);
});

it("the bundle on a job thread only answers jobs: no configuration read, no data directory made", async () => {
  const dataDir = path.join(statsDir, "never-made");
  const saved = { DATA_DIR: process.env.DATA_DIR, NODE_ENV: process.env.NODE_ENV };
  // A worker thread takes its copy of the environment when it starts (with the first job).
  Object.assign(process.env, { DATA_DIR: dataDir, NODE_ENV: "production" });
  const thread = jobThread(path.resolve("build/index.js"), { portalJobs: true });
  try {
    await expect(thread.run("no-such-job", null)).rejects.toThrow("未知的生成任务：no-such-job");
    // Input the builder cannot use: its own error, in the caller.
    await expect(thread.run("rankings-xlsx", { period: "2026" })).rejects.toThrow();
    expect(thread.started()).toBe(1);
    expect(existsSync(dataDir)).toBe(false);
  } finally {
    await thread.stop();
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
});
