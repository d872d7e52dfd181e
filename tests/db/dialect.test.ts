import path from "node:path";
import { sql, type Kysely } from "kysely";
import sqlite3 from "sqlite3";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { compareVersions, Sqlite3Connection, SqliteError } from "../../db/sqlite3-connection";
import { STATEMENT_CACHE_SIZE } from "../../db/kept-statements";
import { announceFiguresWrites, figuresGeneration, figuresWrittenElsewhere, shareWriterTurn, writeGeneration } from "../../db/write-generations";
import { BOOKKEEPING_TABLES, changesFigures } from "../../db/written-tables";
import { keepWriterUses, recordWriterUse, takeWriterUses } from "../../db/writer-uses";
import type { Database } from "../../db/schema";
import { freshDatabases } from "../support/db";

let dbs: Awaited<ReturnType<typeof freshDatabases>>;
let db: Kysely<Database>;

const now = "2026-01-01T00:00:00.000Z";
async function addKind(code = "k") {
  await db.insertInto("unit_kinds").values({ code, name: "测试类" }).onConflict((oc) => oc.doNothing()).execute();
}
function unitRow(code: string) {
  return { code, name: `单位${code}`, kind_code: "k", created_at: now, updated_at: now };
}

beforeAll(async () => {
  dbs = await freshDatabases();
  db = dbs.db;
  await addKind();
});
afterAll(async () => dbs.dispose());

describe("sqlite3 dialect contract", () => {
  it("reports insert ids and affected rows", async () => {
    const r1 = await db.insertInto("units").values(unitRow("A1")).executeTakeFirstOrThrow();
    const r2 = await db.insertInto("units").values(unitRow("A2")).executeTakeFirstOrThrow();
    expect(Number(r1.insertId)).toBeGreaterThan(0);
    expect(Number(r2.insertId)).toBe(Number(r1.insertId) + 1);
    const upd = await db.updateTable("units").set({ township: "城关镇" }).where("code", "in", ["A1", "A2"]).executeTakeFirstOrThrow();
    expect(upd.numUpdatedRows).toBe(2n);
    const del = await db.deleteFrom("units").where("code", "=", "none").executeTakeFirstOrThrow();
    expect(del.numDeletedRows).toBe(0n);
  });

  it("returns rows from returning clauses", async () => {
    const row = await db.insertInto("units").values(unitRow("R1")).returning(["id", "code", "signoff_required"]).executeTakeFirstOrThrow();
    expect(row.code).toBe("R1");
    expect(row.signoff_required).toBe(1);
    const updated = await db.updateTable("units").set({ name: "改名" }).where("id", "=", row.id).returning("name").execute();
    expect(updated).toEqual([{ name: "改名" }]);
  });

  it("runs raw SQL that returns rows and raw SQL that does not", async () => {
    const { rows } = await sql<{ n: number }>`select count(*) as n from units where code like 'A%'`.execute(db);
    expect(rows[0].n).toBe(2);
    const res = await sql`update units set township = 'X' where code = 'A1'`.execute(db);
    expect(res.numAffectedRows).toBe(1n);
  });

  it("rolls back a transaction that throws", async () => {
    await expect(
      db.transaction().execute(async (trx) => {
        await trx.insertInto("units").values(unitRow("T1")).execute();
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    expect(await db.selectFrom("units").where("code", "=", "T1").selectAll().execute()).toEqual([]);
  });

  it("supports savepoints: rolled-back inner work disappears, outer work commits", async () => {
    const trx = await db.startTransaction().execute();
    await trx.insertInto("units").values(unitRow("S1")).execute();
    const sp = await trx.savepoint("inner").execute();
    await sp.insertInto("units").values(unitRow("S2")).execute();
    await sp.rollbackToSavepoint("inner").execute();
    const sp2 = await trx.savepoint("second").execute();
    await sp2.insertInto("units").values(unitRow("S3")).execute();
    await sp2.releaseSavepoint("second").execute();
    await trx.commit().execute();
    const codes = (await db.selectFrom("units").select("code").where("code", "like", "S%").orderBy("code").execute()).map((r) => r.code);
    expect(codes).toEqual(["S1", "S3"]);
  });

  it("raises constraint errors with SQLite codes", async () => {
    const err = await db.insertInto("units").values(unitRow("A1")).execute().catch((e) => e);
    expect(err).toBeInstanceOf(SqliteError);
    expect(err.code).toBe("SQLITE_CONSTRAINT");
    expect(err.message).toMatch(/UNIQUE/);
    const fk = await db.insertInto("units").values({ ...unitRow("FK1"), kind_code: "missing" }).execute().catch((e) => e);
    expect(fk.code).toBe("SQLITE_CONSTRAINT");
    expect(fk.message).toMatch(/FOREIGN KEY/);
  });

  it("commits 50 concurrent transactions, each whole", async () => {
    await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        db.transaction().execute(async (trx) => {
          await trx.insertInto("units").values(unitRow(`C${i}`)).execute();
          await new Promise((r) => setTimeout(r, Math.random() * 3));
          await trx.updateTable("units").set({ township: `镇${i}` }).where("code", "=", `C${i}`).execute();
        }),
      ),
    );
    const rows = await dbs.reader.selectFrom("units").select(["code", "township"]).where("code", "like", "C%").execute();
    expect(rows).toHaveLength(50);
    for (const r of rows) expect(r.township).toBe(`镇${r.code.slice(1)}`);
  });

  it("refuses a write on a reader connection", async () => {
    const err = await dbs.reader.insertInto("units").values(unitRow("W1")).execute().catch((e) => e);
    expect(err).toBeInstanceOf(SqliteError);
    expect(err.code).toMatch(/SQLITE_READONLY|SQLITE_ERROR/);
    expect(await db.selectFrom("units").where("code", "=", "W1").selectAll().execute()).toEqual([]);
  });

  it("readers see committed data while the writer holds a transaction", async () => {
    const trx = await db.startTransaction().execute();
    await trx.insertInto("units").values(unitRow("V1")).execute();
    const seen = await dbs.reader.selectFrom("units").where("code", "=", "V1").selectAll().execute();
    expect(seen).toEqual([]);
    await trx.commit().execute();
    expect(await dbs.reader.selectFrom("units").where("code", "=", "V1").selectAll().execute()).toHaveLength(1);
  });

  it("opens in WAL with synchronous=FULL and foreign keys on", async () => {
    const mode = await sql<{ journal_mode: string }>`pragma journal_mode`.execute(db);
    expect(mode.rows[0].journal_mode).toBe("wal");
    const sync = await sql<{ synchronous: number }>`pragma synchronous`.execute(db);
    expect(sync.rows[0].synchronous).toBe(2);
    const fk = await sql<{ foreign_keys: number }>`pragma foreign_keys`.execute(db);
    expect(fk.rows[0].foreign_keys).toBe(1);
    const version = await sql<{ v: string }>`select sqlite_version() as v`.execute(db);
    expect(compareVersions(version.rows[0].v, "3.51.3")).toBeGreaterThanOrEqual(0);
  });

  it("compares versions numerically", () => {
    expect(compareVersions("3.51.3", "3.51.3")).toBe(0);
    expect(compareVersions("3.9.0", "3.51.3")).toBeLessThan(0);
    expect(compareVersions("3.52.0", "3.51.3")).toBeGreaterThan(0);
    expect(compareVersions("3.51", "3.51.3")).toBeLessThan(0);
  });
});

describe("kept prepared statements", () => {
  const select = (sqlText: string, parameters: unknown[] = []) => ({ sql: sqlText, parameters, query: { kind: "SelectQueryNode" } }) as never;
  async function connection() {
    const raw = await new Promise<sqlite3.Database>((resolve, reject) => {
      const d = new sqlite3.Database(path.join(dbs.dir, "kept.sqlite"), (err) => (err ? reject(err) : resolve(d)));
    });
    return new Sqlite3Connection(raw);
  }

  it("prepares a row-returning statement once and runs it again with new parameters", async () => {
    const conn = await connection();
    const prepare = vi.spyOn(conn.raw, "prepare");
    for (const n of [1, 2, 3]) {
      const { rows } = await conn.executeQuery<{ n: number }>(select("select ? + 1 as n", [n]));
      expect(rows).toEqual([{ n: n + 1 }]);
    }
    expect(prepare).toHaveBeenCalledTimes(1);
    expect(conn.kept.size).toBe(1);
    await conn.close();
  });

  it("keeps row writes and transaction steps prepared too, with ids and affected rows as before; DDL is not kept", async () => {
    const conn = await connection();
    await conn.exec("create table if not exists kept_w (id integer primary key, name text unique, n integer)");
    const prepare = vi.spyOn(conn.raw, "prepare");
    const write = (kind: string, sqlText: string, parameters: unknown[] = []) => conn.executeQuery({ sql: sqlText, parameters, query: { kind } } as never);
    await write("RawNode", "begin immediate");
    const ids: bigint[] = [];
    for (const name of ["甲", "乙", "丙"]) {
      const r = await write("InsertQueryNode", "insert into kept_w (name, n) values (?, ?)", [name, 1]);
      expect(r.numAffectedRows).toBe(1n);
      ids.push(r.insertId!);
    }
    expect(ids[1] - ids[0]).toBe(1n);
    expect(ids[2] - ids[1]).toBe(1n);
    expect((await write("UpdateQueryNode", "update kept_w set n = n + ? where name <> ?", [5, "甲"])).numAffectedRows).toBe(2n);
    expect((await write("DeleteQueryNode", "delete from kept_w where name = ?", ["乙"])).numAffectedRows).toBe(1n);
    await write("RawNode", "commit");
    await write("RawNode", "begin immediate");
    await write("UpdateQueryNode", "update kept_w set n = n + ? where name <> ?", [100, "甲"]);
    await write("RawNode", "rollback");
    const { rows } = await conn.executeQuery<{ name: string; n: number }>(select("select name, n from kept_w order by id"));
    expect(rows).toEqual([{ name: "甲", n: 1 }, { name: "丙", n: 6 }]);
    // begin immediate, insert, update, delete, commit, rollback and the select: each prepared once.
    expect(prepare).toHaveBeenCalledTimes(7);
    expect(conn.kept.size).toBe(7);
    await write("RawNode", "create table if not exists kept_w2 (id integer primary key)");
    expect(conn.kept.size).toBe(7);
    await conn.close();
  });

  it("a kept write that fails answers SQLite's error, changes nothing, and runs again next time", async () => {
    const conn = await connection();
    await conn.exec("create table if not exists kept_u (id integer primary key, name text unique)");
    const insert = (name: string) => conn.executeQuery({ sql: "insert into kept_u (name) values (?)", parameters: [name], query: { kind: "InsertQueryNode" } } as never);
    await insert("甲");
    for (let i = 0; i < 2; i++) {
      const err = await insert("甲").catch((e) => e);
      expect(err).toBeInstanceOf(SqliteError);
      expect(err.code).toBe("SQLITE_CONSTRAINT");
    }
    expect((await insert("乙")).numAffectedRows).toBe(1n);
    const { rows } = await conn.executeQuery<{ name: string }>(select("select name from kept_u order by id"));
    expect(rows.map((r) => r.name)).toEqual(["甲", "乙"]);
    await conn.close();
  });

  it("keeps no snapshot: a reader's kept statement sees each commit, and a checkpoint is never held back", async () => {
    await db.insertInto("units").values(unitRow("KS1")).execute();
    for (const township of ["一镇", "二镇", "三镇", "四镇", "五镇"]) {
      await db.updateTable("units").set({ township }).where("code", "=", "KS1").execute();
      // Two readers in the pool: both run (and keep) the same statement.
      const seen = await Promise.all([1, 2].map(() => dbs.reader.selectFrom("units").select("township").where("code", "=", "KS1").executeTakeFirstOrThrow()));
      expect(seen.map((r) => r.township)).toEqual([township, township]);
      const { rows } = await sql<{ busy: number }>`pragma wal_checkpoint(truncate)`.execute(db);
      expect(rows[0].busy).toBe(0);
    }
  });

  it("a statement that fails to prepare answers SQLite's error each time and is not kept", async () => {
    const conn = await connection();
    for (let i = 0; i < 2; i++) {
      const err = await conn.executeQuery(select("select nope from nowhere")).catch((e) => e);
      expect(err).toBeInstanceOf(SqliteError);
      expect(err.message).toContain("no such table: nowhere");
      expect(conn.kept.size).toBe(0);
    }
    await conn.close();
  });

  it("keeps the most recently used statements only, leaves one-off long lists out, and still closes", async () => {
    const conn = await connection();
    for (let i = 0; i < STATEMENT_CACHE_SIZE + 10; i++) await conn.executeQuery(select(`select ${i} as n`));
    expect(conn.kept.size).toBe(STATEMENT_CACHE_SIZE);
    const ids = Array.from({ length: 40 }, (_, i) => i);
    const { rows } = await conn.executeQuery<{ n: number }>(select(`select count(*) as n from (select 1) where 1 in (${ids.map(() => "?").join(", ")})`, ids));
    expect(rows).toEqual([{ n: 1 }]);
    expect(conn.kept.size).toBe(STATEMENT_CACHE_SIZE);
    await expect(conn.close()).resolves.toBeUndefined();
  });
});

describe("the writer's uses, while kept", () => {
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  it("records how long each use waited for the writer and then held it, only while kept", async () => {
    await db.insertInto("units").values(unitRow("WU1")).execute();
    keepWriterUses(true);
    try {
      // The first holds the writer for at least 40 ms; the second asks meanwhile and waits for it.
      const first = db.transaction().execute(async (trx) => {
        await trx.updateTable("units").set({ township: "甲镇" }).where("code", "=", "WU1").execute();
        await sleep(40);
      });
      await sleep(5);
      const second = db.updateTable("units").set({ township: "乙镇" }).where("code", "=", "WU1").execute();
      await Promise.all([first, second]);
      const uses = takeWriterUses();
      expect(uses).toHaveLength(2);
      expect(uses[0].heldMs).toBeGreaterThanOrEqual(39);
      expect(uses[1].waitedMs).toBeGreaterThanOrEqual(30);
      expect(uses[1].heldMs).toBeLessThan(uses[0].heldMs);
      expect(takeWriterUses()).toEqual([]);
    } finally {
      keepWriterUses(false);
    }
    await db.updateTable("units").set({ township: "丙镇" }).where("code", "=", "WU1").execute();
    recordWriterUse({ waitedMs: 1, heldMs: 1 });
    expect(takeWriterUses()).toEqual([]);
  });
});

describe("which writer statements change the figures", () => {
  it.each([
    ['select * from "items"', false],
    ["  with t as (select 1) select * from t", true],
    ["begin immediate", false],
    ["commit", false],
    ["rollback", false],
    ['savepoint "sp"', false],
    ['release "sp"', false],
    ['insert into "sessions" ("id_hash") values (?)', false],
    ['delete from "sessions" where "id_hash" = ?', false],
    ['update "sessions" set "last_seen_at" = ?', false],
    ['insert into "login_attempts" ("at") values (?)', false],
    ['update "login_counters" set "points" = ?', false],
    ['insert or ignore into "login_counters" ("key") values (?)', false],
    ['insert into "notifications" ("account_id") values (?)', false],
    ['update "notifications" set "read_at" = ?', false],
    ['insert into "audit_events" ("action") values (?)', false],
    ["delete from reminders where id = ?", false],
    ['INSERT INTO "AUDIT_EVENTS" ("action") values (?)', false],
    ['update "items" set "status" = ?', true],
    ['insert into "pickups" ("item_id") values (?)', true],
    ['delete from "instructions" where "id" = ?', true],
    ['insert into "month_closes" ("month") values (?)', true],
    ['update "unit_month_stats" set "adopted" = ?', true],
    ['update "accounts" set "display_name" = ?', true],
    ['update "settings" set "value" = ?', true],
    ["replace into units (code) values (?)", true],
    // A name it cannot place counts: a schema-qualified table, a name that only begins like one.
    ['insert into "main"."sessions" ("id_hash") values (?)', true],
    ["delete from main.sessions", true],
    ['insert into "sessions_archive" ("id") values (?)', true],
    ["with x as (select 1) insert into sessions select * from x", true],
    ["create table t (a)", true],
    ["drop table sessions", true],
    ["pragma user_version = 14", true],
  ] as const)("%s → %s", (statement, expected) => {
    expect(changesFigures(statement)).toBe(expected);
  });

  it("moves the figures generation only for a use of the writer that changed the figures", async () => {
    expect(BOOKKEEPING_TABLES.has("items")).toBe(false);
    const filename = path.join(dbs.dir, "portal.sqlite");
    const writes = writeGeneration(filename);
    const figures = figuresGeneration(filename);
    await db.transaction().execute(async (trx) => {
      await trx.deleteFrom("sessions").where("id_hash", "=", "nobody").execute();
      await trx.deleteFrom("audit_events").where("id", "=", -1).execute();
    });
    expect(writeGeneration(filename)).toBeGreaterThan(writes);
    expect(figuresGeneration(filename)).toBe(figures);
    await addKind("figures");
    expect(figuresGeneration(filename)).toBe(figures + 1);
  });

  it("with several processes, every use of the writer takes the shared turn first and gives it back after, in order", async () => {
    const events: string[] = [];
    let open: () => void = () => undefined;
    let held = false;
    shareWriterTurn({
      take: () => {
        events.push("take");
        // The first use waits until let through; the others at once.
        return events.length === 1 ? new Promise<void>((resolve) => (open = resolve)) : Promise.resolve();
      },
      give: () => {
        events.push("give");
        held = false;
      },
    });
    try {
      const first = addKind("turn-a").then(() => events.push("a done"));
      const second = addKind("turn-b").then(() => events.push("b done"));
      await new Promise((r) => setTimeout(r, 50));
      // Nothing runs until the turn comes; the second use waits behind the first in this process.
      expect(events).toEqual(["take"]);
      held = true;
      open();
      await Promise.all([first, second]);
      expect(held).toBe(false);
      // Each use took the turn and gave it back before the next took it.
      expect(events.filter((e) => e === "take" || e === "give")).toEqual(["take", "give", "take", "give"]);
      expect(events).toContain("a done");
      expect(events).toContain("b done");
      // A turn that cannot be had fails the use and leaves the writer free for the next.
      shareWriterTurn({ take: () => Promise.reject(new Error("no turn")), give: () => events.push("given back without a turn") });
      await expect(addKind("turn-c")).rejects.toThrow("no turn");
    } finally {
      shareWriterTurn(undefined);
    }
    await addKind("turn-d");
    expect(events).not.toContain("given back without a turn");
    expect((await db.selectFrom("unit_kinds").select("code").where("code", "like", "turn-%").orderBy("code").execute()).map((r) => r.code)).toEqual(["turn-a", "turn-b", "turn-d"]);
  });

  it("with several processes, a figures write is announced and its caller waits for the announcement; bookkeeping is not announced", async () => {
    const filename = path.join(dbs.dir, "portal.sqlite");
    const heard: string[] = [];
    let hear: () => void = () => undefined;
    announceFiguresWrites((file) => {
      heard.push(file);
      return new Promise<void>((resolve) => (hear = resolve));
    });
    try {
      await db.deleteFrom("sessions").where("id_hash", "=", "nobody").execute();
      expect(heard).toEqual([]);
      let returned = false;
      const write = addKind("announced").then(() => (returned = true));
      await new Promise((r) => setTimeout(r, 50));
      expect(heard).toEqual([path.resolve(filename)]);
      expect(returned).toBe(false);
      // The writer itself is free meanwhile: another write goes through.
      await db.deleteFrom("sessions").where("id_hash", "=", "nobody").execute();
      hear();
      await write;
      expect(returned).toBe(true);
    } finally {
      announceFiguresWrites(undefined);
    }
    // Another process's write: what this one cached from the file is stale.
    const before = figuresGeneration(filename);
    figuresWrittenElsewhere(filename);
    expect(figuresGeneration(filename)).toBe(before + 1);
  });
});
