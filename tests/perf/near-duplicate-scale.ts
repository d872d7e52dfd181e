// The review page's near-duplicates at a province's scale: the demo county's items, and `count`
// more made from them (sentences reordered, one in eight characters changed, so texts read like
// the bureau's news without copying it), all in the 12-month window. Measures how long the band keys
// of every item take to compute (the background work after migration 0024), then the first view of
// a few items: compared with the items sharing a band key (as the portal does above
// `nearDuplicateScan.exactUpTo` items) and with the whole window (as below it), time, items compared
// and the process's memory; both must list the same near-duplicates.
//   npx tsx tests/perf/near-duplicate-scale.ts [count, default 200000] [targets, default 5]
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";

const [countArg = "200000", targetsArg = "5"] = process.argv.slice(2);
const from = (file: string) => import(path.resolve(process.cwd(), file));

const { openDatabases } = await from("db/connect.ts");
const { seedDemo } = await from("app/models/demo.server.ts");
const { hashPassword } = await from("app/models/password.server.ts");
const { drainAllTextBands } = await from("app/models/text-bands.server.ts");
const { comparisonWork, findNearDuplicates, nearDuplicateScan } = await from("app/models/near-duplicates.server.ts");

const rssMb = () => Math.round(process.memoryUsage().rss / 1024 / 1024);
let seed = 2026;
const next = () => {
  seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
  return seed / 4294967296;
};

const dir = mkdtempSync(path.join(os.tmpdir(), "portal-near-duplicate-scale-"));
const dbs = await openDatabases({ filename: path.join(dir, "portal.sqlite") });
try {
  await seedDemo(dbs.db, { passwordHash: await hashPassword("Demo@2026"), dataDir: dir, now: new Date() });
  const demo = await dbs.db.selectFrom("items").selectAll().where("first_submitted_at", "is not", null).execute();
  const now = new Date();
  const count = Number(countArg);
  const started = performance.now();
  for (let done = 0; done < count; ) {
    const rows = [];
    for (let i = 0; i < 500 && done < count; i++, done++) {
      const from = demo[Math.floor(next() * demo.length)];
      const sentences = from.body.split("。").filter(Boolean).sort(() => next() - 0.5);
      const body = [...sentences.join("。")].map((c: string) => (next() < 0.125 ? String.fromCodePoint(0x4e00 + Math.floor(next() * 3000)) : c)).join("");
      const arrived = new Date(now.getTime() - Math.floor(next() * 330) * 86_400_000).toISOString();
      const { id: _id, ...rest } = from;
      rows.push({ ...rest, title: `${from.title}（${done}）`, body, first_submitted_at: arrived, submitted_at: arrived });
    }
    await dbs.db.insertInto("items").values(rows).execute();
  }
  const window = (await dbs.db.selectFrom("items").select((eb: any) => eb.fn.countAll().as("n")).where("first_submitted_at", "is not", null).executeTakeFirstOrThrow()).n;
  console.log(`窗口里的稿件 ${window} 篇（演示县 ${demo.length} 篇，另造 ${count} 篇，${((performance.now() - started) / 1000).toFixed(0)} 秒）；进程内存 ${rssMb()} MB`);

  const keyStart = performance.now();
  const keyed = await drainAllTextBands(dbs.db, dbs.reader);
  const keySeconds = (performance.now() - keyStart) / 1000;
  console.log(`算出 ${keyed} 篇的特征并存入：${keySeconds.toFixed(1)} 秒，每秒 ${(keyed / keySeconds).toFixed(0)} 篇`);

  const targets = demo.filter((_: unknown, i: number) => i % Math.floor(demo.length / Number(targetsArg)) === 0).slice(0, Number(targetsArg));
  const view = async (item: { id: number; title: string; body: string }) => {
    comparisonWork.rows = 0;
    const t = performance.now();
    const found = await findNearDuplicates(dbs.reader, item, now);
    return { ms: performance.now() - t, compared: comparisonWork.rows, found: found.map((f: { id: number; similarity: number }) => `${f.id}:${f.similarity}`).join(",") };
  };
  const banded = [];
  for (const item of targets) banded.push(await view(item));
  const bandedRss = rssMb();
  for (const [i, r] of banded.entries()) console.log(`按特征挑候选：第 ${i + 1} 篇 ${r.ms.toFixed(0)} ms，比对 ${r.compared} 篇，相似 ${r.found.split(",").filter(Boolean).length} 篇`);
  console.log(`按特征挑候选之后进程内存 ${bandedRss} MB`);

  // The whole window, as below the limit: the first view reads and breaks into bigrams every text.
  nearDuplicateScan.exactUpTo = Number.POSITIVE_INFINITY;
  const whole = [];
  // Another handle, so that nothing the first views kept is reused.
  const other = await openDatabases({ filename: path.join(dir, "portal.sqlite") });
  try {
    for (const item of targets.slice(0, 2)) {
      comparisonWork.rows = 0;
      const t = performance.now();
      const found = await findNearDuplicates(other.reader, item, now);
      whole.push({ ms: performance.now() - t, compared: comparisonWork.rows, found: found.map((f: { id: number; similarity: number }) => `${f.id}:${f.similarity}`).join(",") });
    }
  } finally {
    await other.close();
  }
  for (const [i, r] of whole.entries()) {
    console.log(`整个窗口逐篇比对：第 ${i + 1} 篇 ${r.ms.toFixed(0)} ms，比对 ${r.compared} 篇；与按特征挑候选的结果${r.found === banded[i].found ? "相同" : `不同：${r.found} 对 ${banded[i].found}`}`);
  }
  console.log(`整个窗口逐篇比对之后进程内存 ${rssMb()} MB`);
} finally {
  await dbs.close();
  rmSync(dir, { recursive: true, force: true });
}
