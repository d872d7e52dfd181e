// Crash safety. The built portal is killed with SIGKILL in the middle of a burst of concurrent
// writes (correspondents creating and submitting items with photos, leads signing off, reviewers
// adopting, returning, rejecting and recording 上稿, thumbnails being made), CRASH_ROUNDS times
// (default 20) on the same data directory. After each kill, before anything opens the live files again, a copy of
// the database file and its WAL is checked (the shared-memory index is left behind, so SQLite has
// to recover the log from the bytes on disk alone):
//  - integrity_check is ok and foreign_key_check is empty;
//  - every write a client saw acknowledged (a complete success response) is there, with the state
//    it claimed or a later one reached by a request that was in flight at the kill;
//  - each item's transitions are whole: its version, its review events, its photos and its audit
//    row agree, also for writes that were cut by the kill and happened to commit;
//  - every photo row's file exists under its content address with the recorded size and hash,
//    every thumbnail on disk decodes, every published notice's Word file is there;
//  - the monthly rollups equal a recomputation from the raw tables;
//  - every session issued by an acknowledged login still signs its person in after the restart.
// Then the server must start again cleanly on the same (uncopied) files.
// Submissions cut by a kill are posted again after the restart with the same form token, as a
// person would: the answer must be the item the cut post created, if it committed, never a second.
//   CRASH_ROUNDS (default 20)   CRASH_SEED (default: random, printed) replays the kill delays
import { Kysely, sql } from "kysely";
import { createHash, randomUUID } from "node:crypto";
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import sharp from "sharp";
import { afterAll, expect, it } from "vitest";
import { Sqlite3ReaderDialect, Sqlite3WriterDialect } from "../../db/dialect";
import type { Database, ItemStatus } from "../../db/schema";
import { recomputeFromScratch, rollupAsMap } from "../support/recompute";
import { PortalClient, prng, startKillablePortal, type KillablePortal, type Reply } from "./support/crash-portal";

const ROUNDS = Math.max(1, Number(process.env.CRASH_ROUNDS || 20));
const SEED = process.env.CRASH_SEED ? Number(process.env.CRASH_SEED) : Math.floor(Math.random() * 2 ** 31);
const KILL_AFTER_MS: readonly [number, number] = [100, 1500];
/** Titles of the items this test writes start with this; nothing in the demo county does. */
const TITLE_PREFIX = "校园安全演练简讯R";

/** Units whose people write here: three with the lead's sign-off, one (Y12) without. */
const UNIT_CODES = ["X01", "X02", "X03", "Y12"] as const;
type UnitCode = (typeof UNIT_CODES)[number];
const REVIEWERS = ["reviewer", "reviewer2"] as const;

// Separate streams: the kill delays and the photos replay exactly from the seed; the choices of
// the concurrent workers draw in whatever order their answers arrive, so they replay only roughly.
const killRand = prng(SEED);
const photoRand = prng(SEED ^ 0x5bd1e995);
const rand = prng(SEED + 1);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Known {
  status: ItemStatus;
  version: number;
  unitId: number;
  ours: boolean;
}

interface Transition {
  itemId: number;
  action: string;
  from: ItemStatus;
  to: ItemStatus;
  actorId: number;
  round: number;
}

interface Creation {
  title: string;
  unit: UnitCode;
  /** The form's one-time token: a retry of a cut post sends the same form again. */
  token: string;
  photos: Buffer[];
  round: number;
  acked: boolean;
  itemId?: number;
  /** Posts of this form that the kill cut off. */
  cut: number;
}

interface Baseline {
  accounts: Map<string, number>;
  units: Map<UnitCode, { id: number; signoff: boolean }>;
  categoryId: number;
  channelId: number;
  /** Items someone here may act on (waiting for sign-off or review) and every item of ours. */
  items: Map<number, Known>;
  /** Photos of items a reviewer may see, whose thumbnail has not been made yet. */
  thumbless: number[];
}

// Cumulative over all rounds.
const creations = new Map<string, Creation>();
const ackedTransitions: Transition[] = [];
const ackedThumbs = new Set<string>();
/** 上稿 records sent, by their (unique) outlet name. */
const pickupsSent = new Map<string, { itemId: number; acked: boolean }>();
const OUTLET_PREFIX = "演练日报";
const totals = {
  ackedCreations: 0, ackedTransitions: 0, ackedPickups: 0, ackedThumbs: 0, ackedLogins: 0,
  unackedAtKill: 0, unackedApplied: 0, retriedPosts: 0, retriesFoundTheirItem: 0, unackedCreationsPresent: 0, leftoverTempFiles: 0,
  photoFilesChecked: 0, thumbsChecked: 0,
};

let dataDir = "";
let passed = false;
afterAll(() => {
  if (!dataDir) return;
  if (passed) rmSync(dataDir, { recursive: true, force: true });
  else process.stdout.write(`crash test: data directory kept for inspection: ${dataDir} (seed ${SEED})\n`);
});

it(`keeps every acknowledged write through ${ROUNDS} SIGKILLs during a burst of writes`, { timeout: ROUNDS * 60_000 + 120_000 }, async () => {
  process.stdout.write(`crash test: ${ROUNDS} rounds, seed ${SEED} (CRASH_SEED=${SEED} replays the kill delays)\n`);
  const started = performance.now();
  dataDir = mkdtempSync(path.join(os.tmpdir(), "portal-crash-"));
  const dbFile = path.join(dataDir, "portal.sqlite");
  let sessions: PortalClient[] = [];
  let baseline: Baseline | null = null;

  for (let round = 1; round <= ROUNDS; round++) {
    const photos = await photoPool(round, 40);
    const portal = await startKillablePortal(dataDir);
    try {
      await expectCleanStart(portal);

      // Sessions from acknowledged logins of the previous round still sign their people in.
      for (const old of sessions) {
        old.base = portal.url;
        const home = await old.send("/");
        expect(home.status, `session of ${old.username} from before the crash`).toBe(200);
      }

      if (!baseline) {
        const live = new Kysely<Database>({ dialect: new Sqlite3ReaderDialect({ filename: dbFile, size: 1 }) });
        try {
          baseline = await readBaseline(live, dataDir);
        } finally {
          await live.destroy();
        }
      }
      sessions = await signInEveryone(portal.url);
      totals.ackedLogins += sessions.length;

      const burst = await runBurst(round, portal, baseline, sessions, photos);
      expect(burst.problems, `unexpected answers in round ${round}`).toEqual([]);
      expect(burst.exit.signal, "the server died of the kill, not of anything else").toBe("SIGKILL");
      totals.unackedAtKill += burst.unacked.length;

      baseline = await checkCopyAfterKill(round, dbFile, baseline, burst.unacked);
      process.stdout.write(
        `round ${String(round).padStart(2)}: killed after ${burst.killAfterMs} ms; acknowledged ${burst.acked} writes, ` +
          `${burst.unacked.length} cut by the kill; checked OK\n`,
      );
    } catch (error) {
      process.stdout.write(`round ${round} failed; server output:\n${portal.output()}\n`);
      throw error;
    } finally {
      await portal.kill();
    }
  }

  // The files survive one more clean start after the last kill.
  const last = await startKillablePortal(dataDir);
  try {
    await expectCleanStart(last);
  } finally {
    last.child.kill("SIGTERM");
    await last.exited;
  }

  const elapsed = (performance.now() - started) / 1000;
  const checked = totals.ackedCreations + totals.ackedTransitions + totals.ackedPickups + totals.ackedThumbs + totals.ackedLogins;
  process.stdout.write(
    [
      `crash test summary (seed ${SEED}):`,
      `  rounds: ${ROUNDS}, elapsed ${elapsed.toFixed(1)} s`,
      `  acknowledged writes checked: ${checked} (${totals.ackedCreations} items created and submitted, ` +
        `${totals.ackedTransitions} transitions, ${totals.ackedPickups} 上稿 records, ${totals.ackedThumbs} thumbnails, ${totals.ackedLogins} logins)`,
      `  unacknowledged in flight at the kill: ${totals.unackedAtKill}; committed anyway: ` +
        `${totals.unackedCreationsPresent} cut submissions (their item is there, whole) and ${totals.unackedApplied} cut transitions`,
      `  cut submissions posted again after the restart (same form token): ${totals.retriedPosts}, ` +
        `${totals.retriesFoundTheirItem} of them answered with the item the cut post had created`,
      `  photo files verified by hash (last round): ${totals.photoFilesChecked}; thumbnails decoded: ${totals.thumbsChecked}; ` +
        `temp files left by kills: ${totals.leftoverTempFiles}`,
      "",
    ].join("\n"),
  );
  // Enough rounds that some kills come late: the burst must have got writes through at all.
  if (ROUNDS >= 5) {
    expect(totals.ackedCreations).toBeGreaterThan(0);
    expect(totals.ackedTransitions).toBeGreaterThan(0);
  }
  passed = true;
});

// ---------------------------------------------------------------------------------------------
// The server

async function expectCleanStart(portal: KillablePortal) {
  const health = await fetch(`${portal.url}/healthz`);
  await health.text();
  expect(health.status).toBe(200);
  const complaints = portal.output().split("\n").filter((l) => /error|warn|错误|失败/i.test(l));
  expect(complaints, "the server starts without complaints").toEqual([]);
}

async function signInEveryone(base: string): Promise<PortalClient[]> {
  const names = [
    ...UNIT_CODES.map((u) => `${u.toLowerCase()}-c1`),
    ...UNIT_CODES.filter((u) => u !== "Y12").map((u) => `${u.toLowerCase()}-lead`),
    ...REVIEWERS,
  ];
  const clients = names.map((n) => new PortalClient(base, n));
  await Promise.all(clients.map((c) => c.login()));
  return clients;
}

// ---------------------------------------------------------------------------------------------
// The burst

interface Unacked {
  kind: "create" | "transition" | "pickup" | "thumb";
  itemId?: number;
  fromVersion?: number;
  to?: ItemStatus;
  title?: string;
}

async function runBurst(round: number, portal: KillablePortal, base: Baseline, clients: PortalClient[], photos: Buffer[]) {
  const client = (name: string) => clients.find((c) => c.username === name)!;
  const known = base.items;
  const problems: string[] = [];
  const unacked: Unacked[] = [];
  let acked = 0;
  let dead = false;
  let seq = 0;
  let photoNext = 0;

  const leadQueue = new Map<UnitCode, number[]>(UNIT_CODES.map((u) => [u, []]));
  const draftQueue = new Map<UnitCode, number[]>(UNIT_CODES.map((u) => [u, []]));
  const reviewQueue: number[] = [];
  const adoptedPool: number[] = [];
  /** Items with a request on the way: a second entry for one in a queue is stale by then. */
  const busy = new Set<number>();
  const unitCodeOf = new Map([...base.units].map(([code, u]) => [u.id, code]));
  const queueFor = (id: number, k: Known) => {
    const unit = unitCodeOf.get(k.unitId);
    if (k.status === "submitted") reviewQueue.push(id);
    else if (k.status === "pending_school" && unit && unit !== "Y12") leadQueue.get(unit)!.push(id);
    else if (k.status === "draft" && k.ours && unit) draftQueue.get(unit)!.push(id);
    else if (k.status === "adopted") adoptedPool.push(id);
  };
  for (const [id, k] of [...known].sort((a, b) => a[0] - b[0])) queueFor(id, k);
  const thumbs = [...base.thumbless];

  const today = new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Shanghai" }).format(new Date());

  /** Sends one write; false when the server is gone (the request is then unacknowledged). */
  async function attempt(what: Unacked, send: () => Promise<Reply>, onReply: (r: Reply) => string | null): Promise<boolean> {
    let reply: Reply;
    if (what.itemId !== undefined) busy.add(what.itemId);
    try {
      reply = await send();
    } catch {
      unacked.push(what);
      if (what.kind === "create") creations.get(what.title!)!.cut++;
      return false;
    }
    if (what.itemId !== undefined) busy.delete(what.itemId);
    const problem = onReply(reply);
    if (problem) problems.push(`${problem}: ${reply.status} ${reply.location ?? ""} ${reply.body.slice(0, 200).replace(/\s+/g, " ")}`);
    else acked++;
    return true;
  }

  function transitioned(itemId: number, action: string, to: ItemStatus, actor: string) {
    const k = known.get(itemId)!;
    ackedTransitions.push({ itemId, action, from: k.status, to, actorId: base.accounts.get(actor)!, round });
    k.status = to;
    k.version += 1;
    queueFor(itemId, k);
  }

  async function correspondent(unit: UnitCode) {
    const me = client(`${unit.toLowerCase()}-c1`);
    const { signoff } = base.units.get(unit)!;
    const afterSubmit: ItemStatus = signoff ? "pending_school" : "submitted";
    for (const c of [...creations.values()].filter((c) => c.unit === unit && !c.acked)) {
      if (dead || !(await postNewItem(c))) return;
    }
    while (!dead) {
      const drafts = draftQueue.get(unit)!;
      if (drafts.length > 0 && rand() < 0.4) {
        const id = drafts.shift()!;
        const k = known.get(id)!;
        if (k.status !== "draft" || busy.has(id)) continue;
        const body = new URLSearchParams({ intent: "submit", version: String(k.version), confidential_checked: "1" });
        const ok = await attempt({ kind: "transition", itemId: id, fromVersion: k.version, to: afterSubmit }, () => me.post(`/items/${id}`, body), (r) => {
          if (r.status !== 302 || r.location !== `/items/${id}`) return `resubmit of ${id}`;
          transitioned(id, "submit", afterSubmit, me.username);
          totals.ackedTransitions++;
          return null;
        });
        if (!ok) return;
        continue;
      }
      const n = 1 + Math.floor(rand() * 3);
      const creation: Creation = {
        title: `${TITLE_PREFIX}${round}-${unit}-${++seq}`, unit, token: randomUUID(),
        photos: Array.from({ length: n }, () => photos[photoNext++ % photos.length]), round, acked: false, cut: 0,
      };
      creations.set(creation.title, creation);
      if (!(await postNewItem(creation))) return;
    }
  }

  /**
   * Posts the new-item form (报送 straight away). A retry of a post the kill cut off sends the same
   * form, token included, as a person pressing the button again after the outage would: it must be
   * answered with the item the first post created, if that one committed, never with a second one.
   */
  async function postNewItem(creation: Creation): Promise<boolean> {
    const me = client(`${creation.unit.toLowerCase()}-c1`);
    const { id: unitId, signoff } = base.units.get(creation.unit)!;
    const form = new FormData();
    form.set("title", creation.title);
    form.set("body", `本校组织开展校园安全应急疏散演练，全体师生参加。\n演练有序，效果良好。`);
    form.set("category_id", String(base.categoryId));
    form.set("channel_id", String(base.channelId));
    form.set("event_date", today);
    form.append("bylines", String(base.accounts.get(me.username)!));
    form.set("confidential_checked", "1");
    form.set("intent", "submit");
    form.set("form_token", creation.token);
    creation.photos.forEach((jpeg, i) => {
      form.set(`photo_${i + 1}`, new Blob([new Uint8Array(jpeg)], { type: "image/jpeg" }), `演练-${i + 1}.jpg`);
      form.set(`caption_${i + 1}`, `演练现场${i + 1}`);
    });
    return attempt({ kind: "create", title: creation.title }, () => me.post("/items/new", form), (r) => {
      const id = r.status === 302 ? Number(/^\/items\/(\d+)$/.exec(r.location ?? "")?.[1]) : NaN;
      if (!id) return `create ${creation.title}`;
      if (creation.cut > 0) {
        if (creation.itemId !== undefined && creation.itemId !== id) return `retry of ${creation.title} answered with another item`;
        totals.retriedPosts++;
        if (creation.itemId !== undefined) totals.retriesFoundTheirItem++;
      }
      creation.acked = true;
      creation.itemId = id;
      totals.ackedCreations++;
      const k = known.get(id);
      if (!k) {
        known.set(id, { status: "draft", version: 1, unitId, ours: true });
        transitioned(id, "submit", signoff ? "pending_school" : "submitted", me.username);
      } else if (k.status === "draft" && k.version === 1) {
        // A cut post saved the draft but not its 报送; the retry finished it.
        transitioned(id, "submit", signoff ? "pending_school" : "submitted", me.username);
      }
      return null;
    });
  }

  async function lead(unit: UnitCode) {
    const me = client(`${unit.toLowerCase()}-lead`);
    while (!dead) {
      const id = leadQueue.get(unit)!.shift();
      if (id === undefined) {
        await sleep(10);
        continue;
      }
      const k = known.get(id)!;
      if (k.status !== "pending_school" || busy.has(id)) continue;
      const sendBack = rand() < 0.15;
      const to: ItemStatus = sendBack ? "draft" : "submitted";
      const body = new URLSearchParams({ intent: sendBack ? "send_back" : "sign_off", version: String(k.version) });
      if (sendBack) body.set("reason", "请补充活动的具体时间和参加人数。");
      const ok = await attempt({ kind: "transition", itemId: id, fromVersion: k.version, to }, () => me.post(`/items/${id}`, body), (r) => {
        if (r.status !== 302 || r.location !== `/items/${id}`) return `${body.get("intent")} of ${id}`;
        transitioned(id, body.get("intent")!, to, me.username);
        totals.ackedTransitions++;
        return null;
      });
      if (!ok) return;
    }
  }

  async function reviewer(name: string) {
    const me = client(name);
    let pickups = 0;
    while (!dead) {
      if (adoptedPool.length > 0 && rand() < 0.25) {
        // 登记上稿 on an adopted item: a record that earns points, so the unit's month moves with it.
        const id = pick(adoptedPool);
        const outlet = `${OUTLET_PREFIX}${round}-${name}-${++pickups}`;
        pickupsSent.set(outlet, { itemId: id, acked: false });
        const body = new URLSearchParams({ intent: "pickup", outlet, tier: pick(["county", "city", "province", "national"]), picked_on: today, url: "" });
        const ok = await attempt({ kind: "pickup" }, () => me.post(`/review/${id}`, body), (r) => {
          if (r.status !== 302 || r.location !== `/review/${id}`) return `pickup on ${id}`;
          pickupsSent.get(outlet)!.acked = true;
          totals.ackedPickups++;
          return null;
        });
        if (!ok) return;
        continue;
      }
      const id = reviewQueue.shift();
      if (id === undefined) {
        await sleep(10);
        continue;
      }
      const k = known.get(id)!;
      if (k.status !== "submitted" || busy.has(id)) continue;
      const roll = rand();
      const intent = roll < 0.6 ? "adopt" : roll < 0.85 ? "return" : "reject";
      const to: ItemStatus = intent === "adopt" ? "adopted" : intent === "return" ? "draft" : "rejected";
      const body = new URLSearchParams({ intent, version: String(k.version) });
      if (intent === "adopt") body.set("grade", pick(["excellent", "good", "fair"]));
      else body.set("reason", intent === "return" ? "请补充活动成效。" : "内容与本月重点工作关联不大。");
      const ok = await attempt({ kind: "transition", itemId: id, fromVersion: k.version, to }, () => me.post(`/review/${id}`, body), (r) => {
        if (r.status !== 302 || !/^\/review(\/\d+)?$/.test(r.location ?? "")) return `${intent} of ${id}`;
        transitioned(id, intent, to, me.username);
        totals.ackedTransitions++;
        return null;
      });
      if (!ok) return;
    }
  }

  /** A thumbnail answered with 200 has been written to disk; each first request makes one. */
  async function thumbnails() {
    const me = client("reviewer2");
    while (!dead) {
      const photoId = thumbs.shift();
      if (photoId === undefined) return;
      const ok = await attempt({ kind: "thumb" }, () => me.send(`/photos/${photoId}/thumb`), (r) => {
        if (r.status !== 200) return `thumbnail of photo ${photoId}`;
        ackedThumbs.add(String(photoId));
        totals.ackedThumbs++;
        return null;
      });
      if (!ok) return;
      await sleep(20);
    }
  }

  const killAfterMs = Math.round(KILL_AFTER_MS[0] + killRand() * (KILL_AFTER_MS[1] - KILL_AFTER_MS[0]));
  const workers = [
    ...UNIT_CODES.map(correspondent),
    ...UNIT_CODES.filter((u) => u !== "Y12").map(lead),
    ...REVIEWERS.map(reviewer),
    thumbnails(),
  ];
  await sleep(killAfterMs);
  dead = true;
  portal.child.kill("SIGKILL");
  const exit = await portal.exited;
  await Promise.all(workers);
  return { problems, unacked, acked, exit, killAfterMs };
}

// ---------------------------------------------------------------------------------------------
// The checks, on a copy of the files as the kill left them

async function checkCopyAfterKill(round: number, dbFile: string, before: Baseline, unacked: Unacked[]): Promise<Baseline> {
  const copyDir = mkdtempSync(path.join(os.tmpdir(), "portal-crash-check-"));
  const copy = path.join(copyDir, "portal.sqlite");
  copyFileSync(dbFile, copy);
  if (existsSync(`${dbFile}-wal`)) copyFileSync(`${dbFile}-wal`, `${copy}-wal`);
  // Opened read-write, so SQLite recovers the WAL into this copy exactly as the next start would.
  const db = new Kysely<Database>({ dialect: new Sqlite3WriterDialect({ filename: copy }) });
  try {
    const integrity = await sql<{ integrity_check: string }>`pragma integrity_check`.execute(db);
    expect(integrity.rows.map((r) => r.integrity_check), `integrity_check after round ${round}`).toEqual(["ok"]);
    const fk = await sql`pragma foreign_key_check`.execute(db);
    expect(fk.rows, `foreign_key_check after round ${round}`).toEqual([]);

    await checkOurItems(db, unacked);
    await checkTransitions(db, before, unacked);
    await checkPickups(db);
    await checkFiles(db, path.dirname(dbFile));

    const rollup = await rollupAsMap(db);
    expect(rollup, `rollups after round ${round}`).toEqual(await recomputeFromScratch(db));
    return await readBaseline(db, path.dirname(dbFile));
  } finally {
    await db.destroy();
    rmSync(copyDir, { recursive: true, force: true });
  }
}

/** Every item this test created: acknowledged ones present, all of them whole. */
async function checkOurItems(db: Kysely<Database>, unacked: Unacked[]) {
  const rows = await db
    .selectFrom("items")
    .select(["id", "title", "status", "version", "unit_id", "report_month"])
    .where("title", "like", `${TITLE_PREFIX}%`)
    .execute();
  const byTitle = new Map(rows.map((r) => [r.title, r]));
  expect(byTitle.size, "one item per submission, never two").toBe(rows.length);
  const cutCreations = new Set(unacked.filter((u) => u.kind === "create").map((u) => u.title!));

  const photoCounts = new Map(
    (await db.selectFrom("photos").select(["item_id", db.fn.countAll<number>().as("n")]).groupBy("item_id").execute()).map((r) => [r.item_id, Number(r.n)]),
  );
  const events = await db.selectFrom("review_events").select(["item_id", "to_status"]).orderBy("id").execute();
  const eventsOf = new Map<number, ItemStatus[]>();
  for (const e of events) eventsOf.set(e.item_id, [...(eventsOf.get(e.item_id) ?? []), e.to_status]);
  const created = new Set(
    (await db.selectFrom("audit_events").select("entity_id").where("action", "=", "item_created").where("entity_type", "=", "item").execute()).map((r) => r.entity_id),
  );

  for (const row of rows) {
    const creation = creations.get(row.title);
    expect(creation, `item ${row.id} "${row.title}" was never sent`).toBeDefined();
    // One transaction writes the item, its photos and its audit row: all or nothing.
    expect(photoCounts.get(row.id) ?? 0, `photos of item ${row.id}`).toBe(creation!.photos.length);
    expect(created.has(String(row.id)), `audit row of item ${row.id}`).toBe(true);
    // Each transition is one transaction: version, event and status move together.
    const trail = eventsOf.get(row.id) ?? [];
    expect(trail.length, `review events of item ${row.id} (version ${row.version})`).toBe(row.version - 1);
    expect(trail.at(-1) ?? "draft", `status of item ${row.id} against its last event`).toBe(row.status);
    if (creation!.itemId !== undefined) {
      expect(row.id, `id of "${row.title}"`).toBe(creation!.itemId);
    } else {
      // First seen now: a post the kill cut off had committed (the creation, maybe its 报送 too).
      expect(cutCreations.has(row.title), `item ${row.id} appeared without a post cut off this round`).toBe(true);
      expect(["draft", "pending_school", "submitted"]).toContain(row.status);
      creation!.itemId = row.id;
      totals.unackedCreationsPresent++;
    }
  }
  // Acknowledged ones, and cut ones seen committed after an earlier kill, are all still there.
  for (const c of creations.values()) {
    if (c.itemId !== undefined) expect(byTitle.get(c.title)?.id, `submission "${c.title}" (round ${c.round})`).toBe(c.itemId);
  }
}

/** Items acted on: the state the acknowledged answers claim, or one an in-flight request led to. */
async function checkTransitions(db: Kysely<Database>, before: Baseline, unacked: Unacked[]) {
  const ids = [...before.items.keys()];
  const rows = ids.length
    ? await db.selectFrom("items").select(["id", "status", "version"]).where("id", "in", ids).execute()
    : [];
  const now = new Map(rows.map((r) => [r.id, r]));
  for (const [id, k] of before.items) {
    const row = now.get(id);
    expect(row, `item ${id} still exists`).toBeDefined();
    const allowed = [`${k.status}@${k.version}`];
    for (const u of unacked) {
      if (u.kind === "transition" && u.itemId === id && u.fromVersion === k.version) allowed.push(`${u.to}@${k.version + 1}`);
    }
    const actual = `${row!.status}@${row!.version}`;
    expect(allowed, `item ${id}: acknowledged state or the outcome of a request cut by the kill`).toContain(actual);
    if (actual !== allowed[0]) totals.unackedApplied++;
  }
  // Every acknowledged transition, in every round so far, left its review event.
  const wanted = new Map<string, number>();
  for (const t of ackedTransitions) {
    const key = `${t.itemId}|${t.action}|${t.from}|${t.to}|${t.actorId}`;
    wanted.set(key, (wanted.get(key) ?? 0) + 1);
  }
  const events = await db.selectFrom("review_events").select(["item_id", "action", "from_status", "to_status", "actor_id"]).execute();
  const have = new Map<string, number>();
  for (const e of events) {
    const key = `${e.item_id}|${e.action}|${e.from_status}|${e.to_status}|${e.actor_id}`;
    have.set(key, (have.get(key) ?? 0) + 1);
  }
  for (const [key, n] of wanted) expect(have.get(key) ?? 0, `review events ${key}`).toBeGreaterThanOrEqual(n);
}

/** Every acknowledged 上稿 record is there once; a cut one at most once. */
async function checkPickups(db: Kysely<Database>) {
  const rows = await db.selectFrom("pickups").select(["item_id", "outlet"]).where("outlet", "like", `${OUTLET_PREFIX}%`).execute();
  const seen = new Map<string, number>();
  for (const row of rows) {
    const sent = pickupsSent.get(row.outlet);
    expect(sent, `上稿 record "${row.outlet}" was never sent`).toBeDefined();
    expect(row.item_id, `item of 上稿 record "${row.outlet}"`).toBe(sent!.itemId);
    seen.set(row.outlet, (seen.get(row.outlet) ?? 0) + 1);
  }
  for (const [outlet, n] of seen) expect(n, `copies of 上稿 record "${outlet}"`).toBe(1);
  for (const [outlet, sent] of pickupsSent) if (sent.acked) expect(seen.get(outlet), `acknowledged 上稿 record "${outlet}"`).toBe(1);
}

/** No row points at a missing, short or altered file; no thumbnail on disk is torn. */
async function checkFiles(db: Kysely<Database>, dir: string) {
  const photos = await db.selectFrom("photos").select(["id", "sha256", "bytes"]).execute();
  const distinct = new Map(photos.map((p) => [p.sha256, p.bytes]));
  for (const [sha, bytes] of distinct) {
    const file = path.join(dir, "photos", sha.slice(0, 2), sha);
    expect(existsSync(file), `photo file ${sha}`).toBe(true);
    const data = readFileSync(file);
    expect(data.length, `size of photo file ${sha}`).toBe(bytes);
    expect(createHash("sha256").update(data).digest("hex"), `content of photo file ${sha}`).toBe(sha);
  }
  totals.photoFilesChecked = distinct.size;

  const shaOfPhoto = new Map(photos.map((p) => [String(p.id), p.sha256]));
  for (const id of ackedThumbs) {
    const sha = shaOfPhoto.get(id);
    expect(sha, `photo ${id} with an acknowledged thumbnail`).toBeDefined();
    expect(existsSync(path.join(dir, "photos", sha!.slice(0, 2), `${sha}.thumb.webp`)), `thumbnail of photo ${id}`).toBe(true);
  }
  let thumbs = 0;
  let temps = 0;
  for (const sub of readdirSync(path.join(dir, "photos"))) {
    for (const name of readdirSync(path.join(dir, "photos", sub))) {
      const file = path.join(dir, "photos", sub, name);
      if (name.endsWith(".tmp")) temps++;
      else if (name.endsWith(".thumb.webp")) {
        expect(statSync(file).size, `thumbnail ${name}`).toBeGreaterThan(0);
        // A torn file fails to decode to the end.
        const info = await sharp(file, { failOn: "truncated" }).raw().toBuffer({ resolveWithObject: true }).then((r) => r.info);
        expect(info.width, `thumbnail ${name}`).toBeGreaterThan(0);
        thumbs++;
      }
    }
  }
  totals.thumbsChecked = thumbs;
  totals.leftoverTempFiles = temps;

  const notices = await db.selectFrom("notices").select(["id", "docx_sha256"]).where("status", "=", "published").execute();
  for (const n of notices) {
    if (!n.docx_sha256) continue;
    const file = path.join(dir, "notices", `${n.docx_sha256}.docx`);
    expect(existsSync(file), `Word file of notice ${n.id}`).toBe(true);
    expect(createHash("sha256").update(readFileSync(file)).digest("hex"), `Word file of notice ${n.id}`).toBe(n.docx_sha256);
  }
}

// ---------------------------------------------------------------------------------------------
// What the next round starts from

async function readBaseline(db: Kysely<Database>, dir?: string): Promise<Baseline> {
  const names = [...UNIT_CODES.map((u) => `${u.toLowerCase()}-c1`), ...UNIT_CODES.map((u) => `${u.toLowerCase()}-lead`), ...REVIEWERS];
  const accounts = new Map(
    (await db.selectFrom("accounts").select(["id", "username"]).where("username", "in", names).execute()).map((a) => [a.username, a.id]),
  );
  const unitRows = await db.selectFrom("units").select(["id", "code", "signoff_required"]).where("code", "in", [...UNIT_CODES]).execute();
  const units = new Map(unitRows.map((u) => [u.code as UnitCode, { id: u.id, signoff: u.signoff_required === 1 }]));
  expect(units.size).toBe(UNIT_CODES.length);
  expect(units.get("Y12")!.signoff, "Y12 needs no sign-off").toBe(false);
  const category = await db.selectFrom("categories").select("id").where("active", "=", 1).orderBy("sort_order").orderBy("id").executeTakeFirstOrThrow();
  const channel = await db.selectFrom("channels").select("id").where("active", "=", 1).orderBy("sort_order").orderBy("id").executeTakeFirstOrThrow();
  const ourUnits = [...units.values()].map((u) => u.id);
  const rows = await db
    .selectFrom("items")
    .select(["id", "status", "version", "unit_id", "title"])
    .where((eb) =>
      eb.or([
        eb("status", "=", "submitted"),
        eb.and([eb("status", "=", "pending_school"), eb("unit_id", "in", ourUnits)]),
        eb("title", "like", `${TITLE_PREFIX}%`),
      ]),
    )
    .execute();
  const items = new Map(
    rows.map((r) => [r.id, { status: r.status, version: r.version, unitId: r.unit_id, ours: r.title.startsWith(TITLE_PREFIX) }]),
  );
  let thumbless: number[] = [];
  if (dir) {
    const seen = await db
      .selectFrom("photos")
      .innerJoin("items", "items.id", "photos.item_id")
      .select(["photos.id", "photos.sha256"])
      .where("items.report_month", "is not", null)
      .orderBy("photos.id", "desc")
      .limit(200)
      .execute();
    thumbless = seen.filter((p) => !existsSync(path.join(dir, "photos", p.sha256.slice(0, 2), `${p.sha256}.thumb.webp`))).map((p) => p.id).slice(0, 20);
  }
  return { accounts, units, categoryId: category.id, channelId: channel.id, items, thumbless };
}

// ---------------------------------------------------------------------------------------------
// Photos to upload: small JPEGs, each one different (so each upload writes a file of its own)

async function photoPool(round: number, count: number): Promise<Buffer[]> {
  const width = 240;
  const height = 180;
  return Promise.all(
    Array.from({ length: count }, (_, i) => {
      const pixels = Buffer.alloc(width * height * 3);
      const [r, g, b] = [photoRand() * 255, photoRand() * 255, photoRand() * 255];
      for (let p = 0; p < width * height; p++) {
        const x = p % width;
        const y = Math.floor(p / width);
        const grain = (photoRand() - 0.5) * 24;
        pixels[p * 3] = (r + x + grain) & 255;
        pixels[p * 3 + 1] = (g + y + grain) & 255;
        pixels[p * 3 + 2] = (b + round * 7 + i * 3 + grain) & 255;
      }
      return sharp(pixels, { raw: { width, height, channels: 3 } }).jpeg({ quality: 80 }).toBuffer();
    }),
  );
}
