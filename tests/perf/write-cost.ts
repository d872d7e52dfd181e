// What one write transaction costs, serially, on a fresh demo county: N items are each 报送 by a
// correspondent, 签发 by the school's lead and 采用 by a reviewer (the items written as drafts
// beforehand, outside the measurement). Prints, per action, the statements each runs (transaction
// control included) and the wall time per action, first with the event loop idle, then with the
// event loop busy (every turn of it also runs BUSY ms of other work, as under the month-end rush,
// where every statement's answer waits for a turn of the loop). CPU (idle loop only): the whole
// process's, the thread pool's included, per action.
//
// The code measured is the checkout in the current directory, so two builds compare by running
// this same file from each:
//   (cd <old checkout> && npx tsx /path/to/tests/perf/write-cost.ts [items, default 200] [busy ms, default 2])
//   npx tsx tests/perf/write-cost.ts [items] [busy ms]
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";

const [countArg = "200", busyArg = "2"] = process.argv.slice(2);
const N = Number(countArg);
const BUSY = Number(busyArg);
const from = (file: string) => import(path.resolve(process.cwd(), file));

const { openDatabases } = await from("db/connect.ts");
// The connection class moved out of dialect.ts; an older checkout still has it there.
const { Sqlite3Connection } = await from("db/sqlite3-connection.ts").catch(() => from("db/dialect.ts"));
const { seedDemo } = await from("app/models/demo.server.ts");
const { transitionItem } = await from("app/models/item-workflow.server.ts");
const { hashPassword } = await from("app/models/password.server.ts");

const dir = mkdtempSync(path.join(os.tmpdir(), "portal-write-cost-"));
const dbs = await openDatabases({ filename: path.join(dir, "portal.sqlite") });
const { db } = dbs;

/** Every statement any connection runs is counted here. */
let statements = 0;
const original = Sqlite3Connection.prototype.executeQuery;
Sqlite3Connection.prototype.executeQuery = function (this: unknown, ...args: unknown[]) {
  statements++;
  return original.apply(this, args);
};

/** While on: every turn of the event loop also runs `BUSY` ms of other work. */
let busy = false;
function spin() {
  if (!busy) return;
  const until = performance.now() + BUSY;
  while (performance.now() < until);
  setImmediate(spin);
}

try {
  await seedDemo(db, { passwordHash: await hashPassword("Demo@2026"), dataDir: dir, now: new Date() });
  const account = (username: string) => db.selectFrom("accounts").selectAll().where("username", "=", username).executeTakeFirstOrThrow();
  const asUser = (a: { id: number; username: string; display_name: string; role: string; unit_id: number | null }) => ({
    id: a.id, username: a.username, displayName: a.display_name, role: a.role, unitId: a.unit_id, unitName: null, mustChangePassword: false,
  });
  const [correspondent, lead, reviewer] = (await Promise.all(["x01-c1", "x01-lead", "reviewer"].map(account))).map(asUser);
  const category = await db.selectFrom("categories").select("id").orderBy("sort_order").executeTakeFirstOrThrow();
  const channel = await db.selectFrom("channels").select("id").orderBy("sort_order").executeTakeFirstOrThrow();
  const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);

  const rounds = [{ round: "事件循环空闲", busy: false }, { round: `事件循环繁忙（每轮另有 ${BUSY} 毫秒其他工作）`, busy: true }];
  for (const { round, busy: loaded } of rounds.filter((r) => !r.busy || BUSY > 0)) {
    const now = new Date().toISOString();
    const ids: number[] = [];
    for (let i = 0; i < N; i++) {
      const { id } = await db
        .insertInto("items")
        .values({
          unit_id: correspondent.unitId, title: `测速稿件 ${round} ${i}`, body: "全校师生参加了活动。", category_id: category.id, channel_id: channel.id,
          event_date: today, status: "draft", created_by: correspondent.id, created_at: now, updated_at: now,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      await db.insertInto("item_bylines").values({ item_id: id, account_id: correspondent.id }).execute();
      ids.push(id);
    }
    busy = loaded;
    if (busy) setImmediate(spin);
    console.log(`${round}，${N} 篇：`);
    const steps = [
      { name: "报送", actor: correspondent, action: "submit", version: 1, extra: { confidentialChecked: true } },
      { name: "签发", actor: lead, action: "sign_off", version: 2, extra: {} },
      { name: "采用", actor: reviewer, action: "adopt", version: 3, extra: { grade: "good" } },
    ];
    for (const step of steps) {
      const before = statements;
      const cpu = process.cpuUsage();
      const started = performance.now();
      for (const itemId of ids) {
        const result = await transitionItem(db, { itemId, action: step.action, actor: step.actor, expectedVersion: step.version, ...step.extra });
        if (!result.ok) throw new Error(`${step.name}失败：${result.message}`);
      }
      const ms = performance.now() - started;
      const used = process.cpuUsage(cpu);
      // With the loop busy the process's CPU is mostly the busy work itself: shown only when idle.
      const cpuText = busy ? "" : `，CPU ${((used.user + used.system) / 1000 / N).toFixed(2)} 毫秒`;
      console.log(`  ${step.name}：每次 ${((statements - before) / N).toFixed(1)} 条语句，${(ms / N).toFixed(2)} 毫秒（共 ${Math.round(ms)} 毫秒）${cpuText}`);
    }
    busy = false;
  }
} finally {
  busy = false;
  Sqlite3Connection.prototype.executeQuery = original;
  await dbs.close();
  rmSync(dir, { recursive: true, force: true });
}
