// How much an account import (系统管理 › 批量导入) slows everyone else's queries. A simple query
// (one indexed count through the portal's readers) runs back to back while N accounts are imported,
// first with every password hashed at once (as the import did before), then with at most
// BULK_HASHES_IN_FLIGHT at a time (as it does now); each before an idle baseline. Prints the
// query's p50 / p95 / max and the import's duration.
//   npx tsx tests/perf/import-latency.ts [accounts, default 3000]
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { openDatabases } from "../../db/connect";
import { seedReferenceData } from "../../db/seed/reference";
import { importDirectory } from "~/models/import.server";
import { BULK_HASHES_IN_FLIGHT } from "~/models/password.server";

const N = Number(process.argv[2] ?? 3000);
const dir = mkdtempSync(path.join(os.tmpdir(), "portal-import-latency-"));
const dbs = await openDatabases({ filename: path.join(dir, "portal.sqlite") });
await seedReferenceData(dbs.db, new Date());
const now = new Date().toISOString();
const { id: unitId } = await dbs.db
  .insertInto("units")
  .values({ code: "A01", name: "城关镇中心学校", township: "城关镇", kind_code: "township_central", signoff_required: 1, active: 1, created_at: now, updated_at: now })
  .returning("id")
  .executeTakeFirstOrThrow();

function csv(prefix: string): Uint8Array {
  const lines = ["用户名,姓名,手机号,角色,单位代码,初始密码"];
  for (let i = 1; i <= N; i++) lines.push(`${prefix}${i},测试${i},,信息员,A01,Kaishi#${i}Lx${prefix}`);
  return new TextEncoder().encode(`${lines.join("\n")}\n`);
}

/** Runs the probe query back to back (20 ms apart) until `done` resolves; each run's milliseconds. */
async function probeUntil(done: Promise<unknown>): Promise<number[]> {
  let finished = false;
  void done.finally(() => (finished = true));
  const times: number[] = [];
  while (!finished) {
    const t = performance.now();
    await dbs.reader.selectFrom("accounts").select((eb) => eb.fn.countAll<number>().as("n")).where("unit_id", "=", unitId).executeTakeFirstOrThrow();
    times.push(performance.now() - t);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return times;
}

const q = (list: number[], p: number) => [...list].sort((a, b) => a - b)[Math.min(list.length - 1, Math.floor(p * list.length))] ?? 0;
const summary = (list: number[]) => ({ p50: q(list, 0.5), p95: q(list, 0.95), max: Math.max(...list), n: list.length });
const fmt = (s: ReturnType<typeof summary>) => `p50 ${s.p50.toFixed(1)} ms, p95 ${s.p95.toFixed(1)} ms, max ${s.max.toFixed(1)} ms (${s.n} 次)`;
const actor = { id: 1, username: "admin", ip: "127.0.0.1" };

const results: Record<string, { idle: ReturnType<typeof summary>; during: ReturnType<typeof summary>; seconds: number }> = {};
for (const [mode, inFlight, prefix] of [["全部同时（改动前）", Number.POSITIVE_INFINITY, "all"], [`同时至多 ${BULK_HASHES_IN_FLIGHT} 个（现在）`, BULK_HASHES_IN_FLIGHT, "lim"]] as const) {
  const idle = summary(await probeUntil(new Promise((resolve) => setTimeout(resolve, 3000))));
  const started = performance.now();
  const importing = importDirectory(dbs.db, { kind: "accounts", bytes: csv(prefix), filename: "账号.csv" }, actor, { hashing: { inFlight } });
  const during = summary(await probeUntil(importing));
  const result = await importing;
  if (!result.ok) throw new Error(`导入失败：${result.message}`);
  const seconds = (performance.now() - started) / 1000;
  results[mode] = { idle, during, seconds };
  console.log(`${mode}：导入 ${N} 个账号 ${seconds.toFixed(1)} 秒\n  空闲时查询 ${fmt(idle)}\n  导入时查询 ${fmt(during)}（p95 为空闲的 ${(during.p95 / idle.p95).toFixed(1)} 倍）`);
}
const [before, after] = Object.values(results);
console.log(
  `导入时查询的 p95：改动前 ${before.during.p95.toFixed(0)} ms，现在 ${after.during.p95.toFixed(1)} ms（改动前为现在的 ${(before.during.p95 / after.during.p95).toFixed(0)} 倍）；`
    + `最慢：改动前 ${before.during.max.toFixed(0)} ms，现在 ${after.during.max.toFixed(0)} ms；导入用时：现在为改动前的 ${(after.seconds / before.seconds).toFixed(2)} 倍`,
);
await dbs.close();
rmSync(dir, { recursive: true, force: true });
