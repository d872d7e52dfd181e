// Backup under write load, restore into a stopped portal, and refusal while it runs.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "kysely";
import sqlite3 from "sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backupDatabase, restoreDatabase, RestoreRefused } from "../../db/backup";
import { storeFile, PHOTOS } from "../../db/file-store";
import { backupProblem } from "../../db/restore";
import { openDatabases, type DB } from "../../db/connect";
import { seedReferenceData } from "../../db/seed/reference";
import { freshDatabases } from "../support/db";

type Fresh = Awaited<ReturnType<typeof freshDatabases>>;

async function counts(db: DB) {
  const one = async (t: "units" | "items") =>
    Number((await db.selectFrom(t).select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n);
  return { units: await one("units"), items: await one("items") };
}

function rawCheck(file: string): Promise<{ integrity: string; fk: number; units: number; items: number; journal: string }> {
  return new Promise((resolve, reject) => {
    const db = new sqlite3.Database(file, sqlite3.OPEN_READONLY, (err) => {
      if (err) return reject(err);
      db.all("pragma integrity_check", (e1, ic: { integrity_check: string }[]) => {
        db.all("pragma foreign_key_check", (e2, fk: unknown[]) => {
          db.get(
            "select (select count(*) from units) as units, (select count(*) from items) as items",
            (e3, c: { units: number; items: number }) => {
              db.get("pragma journal_mode", (e4, j: { journal_mode: string }) => {
                db.close();
                const e = e1 ?? e2 ?? e3 ?? e4;
                if (e) return reject(e);
                resolve({ integrity: ic.map((r) => r.integrity_check).join(";"), fk: fk.length, ...c, journal: j.journal_mode });
              });
            },
          );
        });
      });
    });
  });
}

describe("backup and restore", () => {
  let src: Fresh;
  let work: string;
  let accountId: number;
  let categoryId: number;
  let kind: string;

  beforeAll(async () => {
    src = await freshDatabases();
    work = mkdtempSync(path.join(os.tmpdir(), "portal-backup-"));
    const now = new Date("2026-11-02T02:00:00Z");
    await seedReferenceData(src.db, now);
    kind = (await src.db.selectFrom("unit_kinds").select("code").executeTakeFirstOrThrow()).code;
    categoryId = (await src.db.selectFrom("categories").select("id").executeTakeFirstOrThrow()).id;
    accountId = Number(
      (
        await src.db
          .insertInto("accounts")
          .values({
            username: "admin", display_name: "管理员", role: "admin", unit_id: null, password_hash: "x",
            created_at: now.toISOString(), updated_at: now.toISOString(), registered_on: null, deactivated_at: null,
          })
          .executeTakeFirstOrThrow()
      ).insertId,
    );
    // Some content so the copy takes many steps: ~2 MB of item bodies.
    await writeBatch(0, 400, "x".repeat(4000));
    // Photos and notices on disk, as the portal stores them.
    mkdirSync(path.join(src.dir, "photos", "ab"), { recursive: true });
    writeFileSync(path.join(src.dir, "photos", "ab", "ab12"), "photo-bytes");
    mkdirSync(path.join(src.dir, "notices"), { recursive: true });
    writeFileSync(path.join(src.dir, "notices", "cd34.docx"), "docx-bytes");
  });
  afterAll(async () => {
    await src.dispose();
    rmSync(work, { recursive: true, force: true });
  });

  /** One transaction: a unit and `n` items in it (a unit with no items never exists). */
  async function writeBatch(seq: number, n: number, body = "正文") {
    const at = new Date().toISOString();
    await src.db.transaction().execute(async (trx) => {
      const unit = await trx
        .insertInto("units")
        .values({ code: `U${seq}-${Math.random().toString(36).slice(2)}`, name: `测试学校${seq}`, kind_code: kind, created_at: at, updated_at: at })
        .executeTakeFirstOrThrow();
      for (let i = 0; i < n; i++) {
        await trx
          .insertInto("items")
          .values({
            unit_id: Number(unit.insertId), title: `稿件${seq}-${i}`, body, category_id: categoryId, channel_id: null,
            event_date: "2026-11-01", status: "draft", report_month: null, first_submitted_at: null, submitted_at: null,
            grade: null, decided_at: null, decided_by: null, created_by: accountId, created_at: at, updated_at: at,
          })
          .execute();
      }
    });
  }

  const backupFile = () => path.join(work, "backups", "portal-backup.sqlite");

  it("takes a consistent online backup while three writers keep committing", async () => {
    let stop = false;
    let seq = 1;
    let committed = 0;
    const loops = [0, 1, 2].map(async () => {
      while (!stop) {
        await writeBatch(seq++, 3, "y".repeat(500));
        committed++;
      }
    });
    await new Promise((r) => setTimeout(r, 300));
    const before = await counts(src.db);
    const committedBefore = committed;
    // Small steps force the chunked path and its restarts under concurrent writes.
    const summary = await backupDatabase(src.filename, backupFile(), { dataDir: src.dir, pagesPerStep: 8 });
    const committedDuring = committed - committedBefore;
    await new Promise((r) => setTimeout(r, 700));
    stop = true;
    await Promise.all(loops);
    const after = await counts(src.db);

    expect(committedDuring, "the load really ran during the backup").toBeGreaterThan(0);
    const copy = await rawCheck(backupFile());
    expect(copy.integrity).toBe("ok");
    expect(copy.fk).toBe(0);
    expect(copy.journal).toBe("delete");
    expect(summary.integrity).toBe("ok");
    expect(summary.counts.units).toBe(copy.units);
    expect(summary.counts.items).toBe(copy.items);
    // A snapshot: between the counts before and after, and whole transactions only.
    expect(copy.units).toBeGreaterThanOrEqual(before.units);
    expect(copy.units).toBeLessThan(after.units);
    expect(copy.items).toBeGreaterThanOrEqual(before.items);
    expect(copy.items).toBeLessThan(after.items);
    expect(copy.items - 400).toBe((copy.units - 1) * 3);
    expect(existsSync(`${backupFile()}.tmp-${process.pid}`)).toBe(false);
    expect(readdirSync(`${backupFile()}.files/photos/ab`)).toEqual(["ab12"]);
    expect(readdirSync(`${backupFile()}.files/notices`)).toEqual(["cd34.docx"]);
    expect(summary.filesCopied).toBe(2);

    expect(summary.steps, "the copy went in several steps").toBeGreaterThan(1);
  });

  it("restores into a stopped portal: counts and integrity survive, the old database is kept", async () => {
    const expected = await rawCheck(backupFile());
    const dataDir = path.join(work, "restored");
    // A stopped portal with a database of its own (and stale WAL files) that the restore replaces.
    const old = await openDatabases({ filename: path.join(dataDir, "portal.sqlite"), readers: 1 });
    await seedReferenceData(old.db, new Date());
    await old.close();
    writeFileSync(path.join(dataDir, "portal.sqlite-shm"), "stale");

    const summary = await restoreDatabase(backupFile(), dataDir, { now: new Date("2026-11-30T10:00:00Z") });
    const restored = await rawCheck(path.join(dataDir, "portal.sqlite"));
    expect(restored.integrity).toBe("ok");
    expect(restored.fk).toBe(0);
    expect({ units: restored.units, items: restored.items }).toEqual({ units: expected.units, items: expected.items });
    expect(summary.counts.units).toBe(expected.units);
    expect(summary.counts.items).toBe(expected.items);
    expect(summary.previous).toBe(path.join(dataDir, "portal.sqlite.before-restore-20261130T100000Z"));
    expect(existsSync(summary.previous!)).toBe(true);
    expect(existsSync(`${summary.previous}-shm`), "the stale -shm moved away with the old file").toBe(true);
    expect((await rawCheck(summary.previous!)).units).toBe(0);
    expect(readdirSync(path.join(dataDir, "photos", "ab"))).toEqual(["ab12"]);
    expect(readdirSync(path.join(dataDir, "notices"))).toEqual(["cd34.docx"]);
    expect(summary.filesCopied).toBe(2);

    // The restored portal opens, is migrated and writable.
    const dbs = await openDatabases({ filename: path.join(dataDir, "portal.sqlite"), readers: 1 });
    try {
      expect(await counts(dbs.reader)).toEqual({ units: expected.units, items: expected.items });
    } finally {
      await dbs.close();
    }
  });

  it("refuses while the portal has the database open, idle or mid-transaction, and changes nothing", async () => {
    const dataDir = path.join(work, "running");
    const live = await openDatabases({ filename: path.join(dataDir, "portal.sqlite"), readers: 1 });
    try {
      await seedReferenceData(live.db, new Date());
      // Idle but open, as a serving portal is between requests.
      await expect(restoreDatabase(backupFile(), dataDir, { lockTimeoutMs: 200 })).rejects.toBeInstanceOf(RestoreRefused);
      // In the middle of a write transaction.
      let release!: () => void;
      const held = new Promise<void>((r) => (release = r));
      let started!: () => void;
      const inTrx = new Promise<void>((r) => (started = r));
      const trx = live.db.transaction().execute(async (t) => {
        await t.insertInto("categories").values({ name: "事务中" }).execute();
        started();
        await held;
      });
      await inTrx;
      await expect(restoreDatabase(backupFile(), dataDir, { lockTimeoutMs: 200 })).rejects.toThrow(/门户似乎正在运行/);
      release();
      await trx;
      expect(readdirSync(dataDir).filter((f) => f.includes("before-restore") || f.includes("restoring"))).toEqual([]);
      expect(await counts(live.reader)).toEqual({ units: 0, items: 0 });
    } finally {
      await live.close();
    }
    // Once stopped, the same restore goes through.
    await expect(restoreDatabase(backupFile(), dataDir)).resolves.toMatchObject({ integrity: "ok" });
  });

  it("refuses a damaged backup before touching the data directory", async () => {
    const bad = path.join(work, "bad.sqlite");
    writeFileSync(bad, "SQLite format 3\0".padEnd(8192, "?"));
    const dataDir = path.join(work, "untouched");
    await expect(restoreDatabase(bad, dataDir)).rejects.toBeInstanceOf(RestoreRefused);
    expect(readdirSync(dataDir)).toEqual([]);
  });

  it("copies each photo and notice file once across repeated backups", async () => {
    const again = path.join(work, "again", "portal.sqlite");
    expect((await backupDatabase(src.filename, again, { dataDir: src.dir })).filesCopied).toBe(2);
    writeFileSync(path.join(src.dir, "photos", "ab", "ab99"), "new-photo");
    const second = await backupDatabase(src.filename, again, { dataDir: src.dir });
    expect(second.filesCopied).toBe(1);
    expect(second.filesKept).toBe(2);
  });

  // ---------------------------------------------------------------------------------------------
  // What a restore must refuse before touching the data directory: anything that is not a whole
  // backup of this portal. Each case restores over a stopped portal with its own database, which
  // must be left exactly where and as it was.

  /** A stopped portal's data directory with a database of its own (one account). */
  async function stoppedPortal(name: string) {
    const dataDir = path.join(work, name);
    const live = await openDatabases({ filename: path.join(dataDir, "portal.sqlite"), readers: 1 });
    await seedReferenceData(live.db, new Date());
    const at = new Date().toISOString();
    await live.db
      .insertInto("accounts")
      .values({ username: "admin", display_name: "本县管理员", role: "admin", unit_id: null, password_hash: "x", created_at: at, updated_at: at, registered_on: null, deactivated_at: null })
      .execute();
    await live.close();
    return { dataDir, dbFile: path.join(dataDir, "portal.sqlite"), bytes: readFileSync(path.join(dataDir, "portal.sqlite")) };
  }

  async function expectRefusedAndUntouched(backup: string, name: string, message: RegExp) {
    const portal = await stoppedPortal(name);
    const error = await restoreDatabase(backup, portal.dataDir).then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(RestoreRefused);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).toMatch(/未做任何恢复/);
    // The county's database is where it was, byte for byte, and nothing was put beside it.
    expect(readdirSync(portal.dataDir).sort()).toEqual(["portal.sqlite"]);
    expect(readFileSync(portal.dbFile).equals(portal.bytes)).toBe(true);
  }

  it("refuses an empty file, another program's database, a newer version's backup and one without accounts, leaving the county's database in place", async () => {
    // A valid empty SQLite database: it passed the integrity and foreign-key checks, and the portal
    // then started on nothing and seeded a demo county (or a fresh admin) over the county's records.
    const empty = path.join(work, "empty.sqlite");
    writeFileSync(empty, "");
    await expectRefusedAndUntouched(empty, "over-empty", /不是本门户的数据库/);

    const foreign = path.join(work, "foreign.sqlite");
    await new Promise<void>((resolve, reject) => {
      const db = new sqlite3.Database(foreign, (e) => (e ? reject(e) : db.exec("create table t (x); insert into t values (1);", (e2) => db.close(() => (e2 ? reject(e2) : resolve())))));
    });
    await expectRefusedAndUntouched(foreign, "over-foreign", /不是本门户的数据库/);

    // A newer program's backup: the live database was moved aside, then the migration failed, and
    // the portal would not start on what was put in its place.
    const newer = await openDatabases({ filename: path.join(work, "newer", "portal.sqlite"), readers: 1 });
    await seedReferenceData(newer.db, new Date());
    await newer.db.insertInto("accounts").values({
      username: "admin", display_name: "管理员", role: "admin", unit_id: null, password_hash: "x",
      created_at: new Date().toISOString(), updated_at: new Date().toISOString(), registered_on: null, deactivated_at: null,
    }).execute();
    await sql`insert into kysely_migration (name, timestamp) values ('0099_future', ${new Date().toISOString()})`.execute(newer.db);
    await newer.close();
    await expectRefusedAndUntouched(path.join(work, "newer", "portal.sqlite"), "over-newer", /更新版本的门户程序.*0099_future/);

    // Migrated but never used: no account to sign in with (and a portal would seed it as empty).
    const unused = await openDatabases({ filename: path.join(work, "unused", "portal.sqlite"), readers: 1 });
    await seedReferenceData(unused.db, new Date());
    await unused.close();
    await expectRefusedAndUntouched(path.join(work, "unused", "portal.sqlite"), "over-unused", /没有任何账号/);
  });

  it("backupProblem: what makes a sound SQLite file no backup of this portal", () => {
    const known = ["0001_initial", "0002_correspondent_stats"];
    const tables = new Set(["kysely_migration", "accounts", "items"]);
    const cases: Array<[string, Parameters<typeof backupProblem>[0], RegExp | null]> = [
      ["a portal's backup", { tables, migrations: known, accounts: 3 }, null],
      ["an older version's backup (migrated on restore)", { tables, migrations: ["0001_initial"], accounts: 1 }, null],
      ["an empty database", { tables: new Set(), migrations: [], accounts: 0 }, /不是本门户的数据库/],
      ["another program's tables", { tables: new Set(["t"]), migrations: [], accounts: 0 }, /不是本门户的数据库/],
      ["a newer version's schema", { tables, migrations: [...known, "0003_next"], accounts: 2 }, /更新版本.*0003_next/],
      ["no accounts", { tables, migrations: known, accounts: 0 }, /没有任何账号/],
    ];
    for (const [name, found, expected] of cases) {
      const problem = backupProblem(found, known);
      if (expected === null) expect(problem, name).toBeNull();
      else expect(problem, name).toMatch(expected);
    }
  });

  it("a backup's photos go with it: refused when they are nowhere, restored with them, and a backup says which photos it lacks", async () => {
    // A portal with one item and two photos on disk, as the portal stores them.
    const origin = await freshDatabases();
    try {
      const at = new Date().toISOString();
      await seedReferenceData(origin.db, new Date());
      const kind = (await origin.db.selectFrom("unit_kinds").select("code").executeTakeFirstOrThrow()).code;
      const category = (await origin.db.selectFrom("categories").select("id").executeTakeFirstOrThrow()).id;
      const unit = (await origin.db.insertInto("units").values({ code: "P01", name: "图片学校", kind_code: kind, created_at: at, updated_at: at }).returning("id").executeTakeFirstOrThrow()).id;
      const author = (await origin.db.insertInto("accounts").values({
        username: "p01-c1", display_name: "信息员", role: "correspondent", unit_id: unit, password_hash: "x", created_at: at, updated_at: at, registered_on: null, deactivated_at: null,
      }).returning("id").executeTakeFirstOrThrow()).id;
      const item = (await origin.db.insertInto("items").values({
        unit_id: unit, title: "带图片的稿件", body: "正文", category_id: category, channel_id: null, event_date: "2026-11-01", status: "draft",
        report_month: null, first_submitted_at: null, submitted_at: null, grade: null, decided_at: null, decided_by: null, created_by: author, created_at: at, updated_at: at,
      }).returning("id").executeTakeFirstOrThrow()).id;
      const shas: string[] = [];
      for (const bytes of ["第一张图片的字节", "第二张图片的字节"]) {
        const stored = await storeFile(origin.dir, PHOTOS, new TextEncoder().encode(bytes));
        shas.push(stored.sha256);
        await origin.db.insertInto("photos").values({ item_id: item, sha256: stored.sha256, mime: "image/jpeg", width: 100, height: 100, bytes: 10, created_at: at }).execute();
      }

      // The backup carries both files beside it.
      const file = path.join(work, "photos-backup", "portal.sqlite");
      const summary = await backupDatabase(origin.filename, file, { dataDir: origin.dir });
      expect(summary.missingPhotos).toEqual([]);
      expect(existsSync(path.join(`${file}.files`, "photos", shas[0].slice(0, 2), shas[0]))).toBe(true);

      // The backup copied to a new machine without its .files directory: refused, nothing changed.
      const alone = path.join(work, "alone", "portal.sqlite");
      mkdirSync(path.dirname(alone), { recursive: true });
      writeFileSync(alone, readFileSync(file));
      await expectRefusedAndUntouched(alone, "over-alone", /2 张在 .*都找不到.*连同同名的 \.files 目录/);

      // With its files: restored, and both photos are where the portal looks for them.
      const portal = await stoppedPortal("with-photos");
      const restored = await restoreDatabase(file, portal.dataDir);
      expect(restored.missingPhotos).toBe(0);
      expect(restored.counts.photos).toBe(2);
      for (const sha of shas) expect(existsSync(path.join(portal.dataDir, "photos", sha.slice(0, 2), sha))).toBe(true);

      // A photo already lost from the data directory: the backup says so…
      rmSync(path.join(origin.dir, "photos", shas[1].slice(0, 2), shas[1]));
      const later = path.join(work, "photos-lost", "portal.sqlite");
      expect((await backupDatabase(origin.filename, later, { dataDir: origin.dir })).missingPhotos).toEqual([shas[1]]);
      // …its restore is refused, and goes through only when told the photo is known to be lost.
      await expectRefusedAndUntouched(later, "over-lost", /1 张在/);
      const told = await stoppedPortal("told");
      expect((await restoreDatabase(later, told.dataDir, { allowMissingPhotos: true })).missingPhotos).toBe(1);
    } finally {
      await origin.dispose();
    }
  });
});
