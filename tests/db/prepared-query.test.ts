// Queries built and compiled once: every call must answer exactly what building the query afresh
// answers, for each call's own values, on any handle; a builder that uses an argument for anything
// but a plain value is refused on the first call instead of quietly answering for the first values.
import { sql, type Kysely } from "kysely";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { preparedQuery } from "../../db/prepared-query";
import type { Database } from "../../db/schema";
import { freshDatabases } from "../support/db";

let dbs: Awaited<ReturnType<typeof freshDatabases>>;
let db: Kysely<Database>;
const now = "2026-01-01T00:00:00.000Z";

beforeAll(async () => {
  dbs = await freshDatabases();
  db = dbs.db;
  await db.insertInto("unit_kinds").values({ code: "k", name: "测试类" }).execute();
  await db.insertInto("unit_kinds").values({ code: "m", name: "另一类" }).execute();
  for (const [code, kind, township] of [["P1", "k", "城关镇"], ["P2", "k", ""], ["P3", "m", "城关镇"], ["P4", "m", "白沙镇"]] as const) {
    await db.insertInto("units").values({ code, name: `单位${code}`, kind_code: kind, township, created_at: now, updated_at: now }).execute();
  }
});
afterAll(async () => dbs.dispose());

type DB = Kysely<Database>;
const fresh = (d: DB, kind: string, township: string, limit: number) =>
  d
    .selectFrom("units")
    .innerJoin("unit_kinds", "unit_kinds.code", "units.kind_code")
    .select(["units.code", "unit_kinds.name as kind", sql<number>`length(${township})`.as("township_length")])
    .where("units.kind_code", "=", kind)
    .where((eb) => eb.or([eb("units.township", "=", township), eb("units.township", "=", "")]))
    .where("units.code", "like", "P%")
    .orderBy("units.code")
    .limit(limit);

describe("preparedQuery", () => {
  const build = vi.fn(fresh);
  const prepared = preparedQuery(build);

  it.each([
    { kind: "k", township: "城关镇", limit: 10 },
    { kind: "k", township: "白沙镇", limit: 10 },
    { kind: "m", township: "城关镇", limit: 10 },
    { kind: "m", township: "白沙镇", limit: 1 },
    { kind: "m", township: "", limit: 10 },
    { kind: "无此类", township: "城关镇", limit: 10 },
  ])("answers what the query built afresh answers: $kind, $township, $limit", async ({ kind, township, limit }) => {
    const expected = await fresh(db, kind, township, limit).execute();
    expect(await prepared(db, kind, township, limit)).toEqual(expected);
  });

  it("built the query once for all those calls", () => {
    expect(build).toHaveBeenCalledTimes(1);
  });

  it("runs on the handle it is given: a transaction sees its own uncommitted rows", async () => {
    const count = preparedQuery((d: DB, kind: string) => d.selectFrom("units").select((eb) => eb.fn.countAll<number>().as("n")).where("kind_code", "=", kind));
    await db
      .transaction()
      .execute(async (trx) => {
        await trx.insertInto("units").values({ code: "P9", name: "单位P9", kind_code: "k", created_at: now, updated_at: now }).execute();
        expect((await count(trx, "k"))[0].n).toBe(3);
        expect((await count(dbs.reader, "k"))[0].n).toBe(2);
        throw new Error("回滚");
      })
      .catch(() => undefined);
    expect((await count(db, "k"))[0].n).toBe(2);
  });

  it.each([
    { name: "an argument turned into another value", build: (d: DB, code: string) => d.selectFrom("units").select("code").where("code", "=", code.toLowerCase()) },
    { name: "an argument inside a pattern", build: (d: DB, code: string) => d.selectFrom("units").select("code").where("code", "like", `%${code}%`) },
    { name: "an argument as a column", build: (d: DB, column: string) => d.selectFrom("units").select("code").where(sql.ref(column), "=", "P1") },
    { name: "an argument not used", build: (d: DB, _code: string) => d.selectFrom("units").select("code") },
  ])("refuses a builder with $name on the first call", async ({ build: misused }) => {
    const query = preparedQuery(misused);
    await expect(query(db, "P1")).rejects.toThrow(/argument 1 is not used as a plain value/);
  });
});
