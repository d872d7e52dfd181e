import { sql, type Kysely } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compareVersions, SqliteError } from "../../db/dialect";
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
