// What comparing one item with the whole 12-month window costs (the review page's near-duplicates,
// the first time an item is viewed in a process), on a fresh demo county: every item that reached
// the bureau as a target in turn (or every n-th), compared with all the others by `pairSimilarity`
// (the merge stops once the threshold is out of reach) and by the plain merge it replaced (the
// length filter, then `jaccardCodes` to the end). Both must find the same near-duplicates with the
// same similarities; prints the milliseconds per window of each and their ratio.
//   npx tsx tests/perf/near-duplicate-cost.ts [targets, default 200] [rounds, default 3]
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";

const [targetsArg = "200", roundsArg = "3"] = process.argv.slice(2);
const from = (file: string) => import(path.resolve(process.cwd(), file));

const { openDatabases } = await from("db/connect.ts");
const { seedDemo } = await from("app/models/demo.server.ts");
const { hashPassword } = await from("app/models/password.server.ts");
const { bigramCodes, jaccardCodes, pairSimilarity, isNearDuplicate, DUPLICATE_THRESHOLD } = await from("app/domain/similarity.ts");

const dir = mkdtempSync(path.join(os.tmpdir(), "portal-near-duplicates-"));
const dbs = await openDatabases({ filename: path.join(dir, "portal.sqlite") });
try {
  await seedDemo(dbs.db, { passwordHash: await hashPassword("Demo@2026"), dataDir: dir, now: new Date() });
  const texts: Array<{ title: string; body: string }> = await dbs.reader
    .selectFrom("items")
    .select(["title", "body"])
    .where("first_submitted_at", "is not", null)
    .execute();
  const codes: Float64Array[] = texts.map((t) => bigramCodes(`${t.title}\n${t.body}`));
  const step = Math.max(1, Math.floor(codes.length / Number(targetsArg)));
  const targets = codes.filter((_, i) => i % step === 0);
  console.log(`演示县到过局里的稿件 ${codes.length} 篇，平均 ${(codes.reduce((s, c) => s + c.length, 0) / codes.length).toFixed(0)} 个字对；${targets.length} 篇轮流作为被比对的稿件`);

  /** The rule before the early stop: the length filter, then the whole merge. */
  const plain = (a: Float64Array, b: Float64Array) =>
    Math.min(a.length, b.length) / Math.max(a.length, b.length) < DUPLICATE_THRESHOLD ? 0 : jaccardCodes(a, b);
  const run = (similarity: (a: Float64Array, b: Float64Array) => number) => {
    const found: number[] = [];
    const started = performance.now();
    for (const target of targets) {
      for (const other of codes) {
        const s = similarity(target, other);
        if (isNearDuplicate(s)) found.push(s);
      }
    }
    return { ms: (performance.now() - started) / targets.length, found };
  };

  for (let round = 1; round <= Number(roundsArg); round++) {
    // In turn first and second, so that neither always runs on a warmer machine.
    const [now, before] = round % 2 === 1 ? [run(pairSimilarity), run(plain)] : [run(plain), run(pairSimilarity)].reverse();
    if (now.found.length !== before.found.length || now.found.some((s, i) => s !== before.found[i])) {
      throw new Error(`两种比对找到的相似稿件不同：${now.found.length} 对 ${before.found.length}`);
    }
    console.log(
      `第 ${round} 轮：每篇与整个窗口比对 ${now.ms.toFixed(2)} ms（提前停止），原来的整段合并 ${before.ms.toFixed(2)} ms，之比 ${(now.ms / before.ms).toFixed(2)}；相似的稿件对 ${now.found.length} 个，两者相同`,
    );
  }
} finally {
  await dbs.close();
  rmSync(dir, { recursive: true, force: true });
}
