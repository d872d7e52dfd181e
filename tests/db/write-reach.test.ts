// How far each figures write reached (db/write-reach.ts): the units and report months of the item and
// rollup rows it touched, as the writer's temporary triggers note them, and everything for any other
// table of figures. A result kept across a write it should have moved with is a stale league table.
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { databaseFileOf } from "../../db/connect";
import { announceFiguresWrites, figuresGeneration, figuresToken, figuresWrittenElsewhere, itemsWrittenSince, type RowsRead } from "../../db/write-generations";
import { reachOf, TABLES_WITH_REACH, type WriteReach } from "../../db/write-reach";
import { BOOKKEEPING_TABLES, changesSchema, figuresWriteOf } from "../../db/written-tables";
import { shanghaiMonth } from "~/domain/time";
import { transitionItem } from "~/models/item-workflow.server";
import { sessionUser, setupCounty, type County } from "../support/app";
import { insertItem } from "../support/item-fixtures";

describe("figuresWriteOf", () => {
  it.each([
    ["select * from items", "none"],
    ["begin immediate", "none"],
    ['delete from "sessions" where "id_hash" = ?', "none"],
    ['insert into "items" ("title") values (?)', { table: "items" }],
    ['update "Unit_Month_Stats" set "adopted" = ?', { table: "unit_month_stats" }],
    ['insert into "unit_month_stats" ("unit_id") values (?) on conflict ("unit_id", "month") do update set "adopted" = excluded."adopted"', { table: "unit_month_stats" }],
    ['delete from "photos" where "id" = ?', { table: "photos" }],
    ['update "units" set "name" = ?', { table: "units" }],
    // A replacing write deletes the rows it conflicts with without their delete triggers.
    ["replace into items (id) values (?)", "anything"],
    ["insert or replace into unit_month_stats (unit_id) values (?)", "anything"],
    ["update or replace items set id = ?", "anything"],
    ["with x as (select 1) insert into items select * from x", "anything"],
    ["insert into main.items (title) values (?)", "anything"],
    ["create table t (a)", "anything"],
  ] as const)("%s → %j", (statement, expected) => {
    expect(figuresWriteOf(statement)).toEqual(expected);
  });
});

describe("changesSchema (after which the writer sets its triggers again)", () => {
  it.each([
    ["create table t (a)", true],
    ["  DROP INDEX items_reached", true],
    ["alter table items add column x", true],
    ['insert into "items" ("title") values (?)', false],
    ["select * from created", false],
  ] as const)("%s → %s", (statement, expected) => {
    expect(changesSchema(statement)).toBe(expected);
  });
});

describe("reachOf", () => {
  it.each([
    { rows: [], reach: { units: [], months: [], items: [] } },
    { rows: [{ unit_id: 3, month: "2026-11" }, { unit_id: 3, month: null }, { unit_id: 4, month: "2026-11" }], reach: { units: [3, 4], months: ["2026-11"], items: [] } },
    // A row of items notes its id; an item's other rows and the rollups note none.
    {
      rows: [{ unit_id: 3, month: "2026-11", item_id: 7 }, { unit_id: 3, month: null, item_id: 7 }, { unit_id: 3, month: null, item_id: 9 }, { unit_id: 4, month: "2026-11", item_id: null }],
      reach: { units: [3, 4], months: ["2026-11"], items: [7, 9] },
    },
    // A row whose item was not found, or without a unit: everything.
    { rows: [{ unit_id: 3, month: "2026-11" }, { unit_id: -1, month: null }], reach: "everything" },
    { rows: [{ unit_id: null, month: "2026-11" }], reach: "everything" },
  ] as const)("$rows → $reach", ({ rows, reach }) => {
    expect(reachOf(rows)).toEqual(reach);
  });
});

describe("the writer notes how far each figures write reached", () => {
  let county: County;
  let file: string;
  beforeAll(async () => {
    county = await setupCounty();
    file = databaseFileOf(county.dbs.db)!;
  });
  afterAll(async () => county.dbs.dispose());

  const M = "2026-10";
  const N = "2026-11";
  const scopes = (): Record<string, RowsRead> => ({
    all: "all", none: "none", inAMonth: "in-a-month", unitA: { unit: county.units.A }, unitB: { unit: county.units.B }, monthM: { months: [M] }, monthN: { months: [N] },
  });
  /** Which of the scopes' tokens `write` moved. */
  async function moved(write: () => Promise<unknown>): Promise<string[]> {
    const before = Object.entries(scopes()).map(([name, rows]) => [name, figuresToken(file, rows)] as const);
    await write().catch(() => undefined);
    return before.filter(([name, token]) => figuresToken(file, scopes()[name]) !== token).map(([name]) => name);
  }

  it("an item of one unit and month reaches that unit and month only", async () => {
    expect(await moved(() => insertItem(county.dbs.db, { unitId: county.units.A, createdBy: county.ids.correspondentA, reportMonth: M }))).toEqual(["all", "inAMonth", "unitA", "monthM"]);
  });

  it("an item not in a month yet reaches its unit only; the month it then moves to, and from, are reached", async () => {
    let id = 0;
    expect(
      await moved(async () => (id = await insertItem(county.dbs.db, { unitId: county.units.B, createdBy: county.ids.correspondentB, status: "pending_school", reportMonth: null }))),
    ).toEqual(["all", "unitB"]);
    expect(await moved(() => county.dbs.db.updateTable("items").set({ report_month: N }).where("id", "=", id).execute())).toEqual(["all", "inAMonth", "unitB", "monthN"]);
    expect(await moved(() => county.dbs.db.updateTable("items").set({ report_month: M }).where("id", "=", id).execute())).toEqual(["all", "inAMonth", "unitB", "monthM", "monthN"]);
  });

  it("a correspondent's submission waiting for the lead's sign-off reaches its unit only; the sign-off reaches the month it arrives in", async () => {
    const id = await insertItem(county.dbs.db, { unitId: county.units.A, createdBy: county.ids.correspondentA, status: "draft", reportMonth: null });
    const submit = () => transitionItem(county.dbs.db, { itemId: id, action: "submit", actor: sessionUser(county.ids.correspondentA, county.units.A, "correspondent"), confidentialChecked: true });
    expect(await moved(submit)).toEqual(["all", "unitA"]);
    expect((await county.dbs.db.selectFrom("items").select("status").where("id", "=", id).executeTakeFirstOrThrow()).status).toBe("pending_school");
    const arrival = shanghaiMonth(new Date());
    const arrivalBefore = figuresToken(file, { months: [arrival] });
    const arrived = await moved(() => transitionItem(county.dbs.db, { itemId: id, action: "sign_off", actor: sessionUser(county.ids.leadA, county.units.A, "school_lead") }));
    expect((await county.dbs.db.selectFrom("items").select("report_month").where("id", "=", id).executeTakeFirstOrThrow()).report_month).toBe(arrival);
    expect(figuresToken(file, { months: [arrival] })).not.toBe(arrivalBefore);
    expect(arrived).toEqual(["all", "inAMonth", "unitA", ...(arrival === M ? ["monthM"] : arrival === N ? ["monthN"] : [])]);
  });

  it("a row of an item (byline, photo, review event) reaches the item's unit and month", async () => {
    const id = await insertItem(county.dbs.db, { unitId: county.units.B, createdBy: county.ids.correspondentB, reportMonth: N });
    expect(await moved(() => county.dbs.db.insertInto("item_bylines").values({ item_id: id, account_id: county.ids.leadA }).execute())).toEqual(["all", "inAMonth", "unitB", "monthN"]);
    expect(await moved(() => county.dbs.db.deleteFrom("item_bylines").where("item_id", "=", id).where("account_id", "=", county.ids.leadA).execute())).toEqual([
      "all", "inAMonth", "unitB", "monthN",
    ]);
    expect(
      await moved(() =>
        county.dbs.db
          .insertInto("review_events")
          .values({ item_id: id, actor_id: county.ids.reviewer, action: "adopt", from_status: "submitted", to_status: "adopted", grade: "good", at: new Date().toISOString() })
          .execute(),
      ),
    ).toEqual(["all", "inAMonth", "unitB", "monthN"]);
  });

  it("deleting an item takes its rows with it (cascade): rows whose item is gone reach everything", async () => {
    const id = await insertItem(county.dbs.db, { unitId: county.units.A, createdBy: county.ids.correspondentA, status: "draft", reportMonth: null });
    await county.dbs.db.insertInto("item_bylines").values({ item_id: id, account_id: county.ids.leadA }).execute();
    expect(await moved(() => county.dbs.db.deleteFrom("items").where("id", "=", id).execute())).toEqual(["all", "none", "inAMonth", "unitA", "unitB", "monthM", "monthN"]);
    expect(await county.dbs.db.selectFrom("item_bylines").select("item_id").where("item_id", "=", id).execute()).toEqual([]);
  });

  it("a monthly rollup row reaches its unit and month", async () => {
    expect(await moved(() => county.dbs.db.insertInto("unit_month_stats").values({ unit_id: county.units.A, month: N }).execute())).toEqual(["all", "inAMonth", "unitA", "monthN"]);
    expect(await moved(() => county.dbs.db.updateTable("unit_month_stats").set({ adopted: 3 }).where("unit_id", "=", county.units.A).where("month", "=", N).execute())).toEqual([
      "all", "inAMonth", "unitA", "monthN",
    ]);
  });

  it("any other table of figures, a replacing write and DDL reach everything; bookkeeping nothing", async () => {
    const everything = ["all", "none", "inAMonth", "unitA", "unitB", "monthM", "monthN"];
    expect(await moved(() => county.dbs.db.updateTable("units").set({ name: "城关镇中心学校" }).where("id", "=", county.units.A).execute())).toEqual(everything);
    expect(await moved(() => sql`replace into unit_month_stats (unit_id, month, adopted) values (${county.units.A}, ${N}, 4)`.execute(county.dbs.db))).toEqual(everything);
    expect(await moved(() => sql`create table scratch_reach (a)`.execute(county.dbs.db))).toEqual(everything);
    expect(await moved(() => county.dbs.db.deleteFrom("sessions").where("id_hash", "=", "nobody").execute())).toEqual([]);
    // After DDL the triggers are set again: an item reaches its unit and month only.
    expect(await moved(() => insertItem(county.dbs.db, { unitId: county.units.A, createdBy: county.ids.correspondentA, reportMonth: M }))).toEqual(["all", "inAMonth", "unitA", "monthM"]);
  });

  it("remembers the items whose own row each write wrote, until a write reaches everything (itemsWrittenSince)", async () => {
    const { db } = county.dbs;
    const since = figuresGeneration(file);
    expect(itemsWrittenSince(file, since)).toEqual(new Set());
    const a = await insertItem(db, { unitId: county.units.A, createdBy: county.ids.correspondentA, reportMonth: M });
    const b = await insertItem(db, { unitId: county.units.B, createdBy: county.ids.correspondentB });
    await db.insertInto("unit_month_stats").values({ unit_id: county.units.B, month: "2026-05" }).execute();
    expect(figuresGeneration(file)).toBeGreaterThan(since + 2);
    expect(itemsWrittenSince(file, since)).toEqual(new Set([a, b]));
    const mid = figuresGeneration(file);
    await db.updateTable("items").set({ title: "改过的标题" }).where("id", "=", a).execute();
    // A byline names its item but does not write the item's own row.
    await db.insertInto("item_bylines").values({ item_id: b, account_id: county.ids.correspondentA }).execute();
    expect(itemsWrittenSince(file, mid)).toEqual(new Set([a]));
    await db.updateTable("units").set({ name: "城关镇中心学校" }).where("id", "=", county.units.A).execute();
    expect(itemsWrittenSince(file, mid)).toBeNull();
    const after = figuresGeneration(file);
    figuresWrittenElsewhere(file, { units: [county.units.A], months: [], items: [b] });
    expect(itemsWrittenSince(file, after)).toEqual(new Set([b]));
    figuresWrittenElsewhere(file);
    expect(itemsWrittenSince(file, after)).toBeNull();
    // A count not reached yet is no count this process knows.
    expect(itemsWrittenSince(file, figuresGeneration(file) + 1)).toBeNull();
  });

  it("forgets the items of writes more than 1,024 back", () => {
    const start = figuresGeneration(file);
    for (let i = 0; i < 1025; i++) figuresWrittenElsewhere(file, { units: [county.units.A], months: [], items: [i + 1] });
    expect(itemsWrittenSince(file, start)).toBeNull();
    expect(itemsWrittenSince(file, start + 1)?.size).toBe(1024);
    expect(itemsWrittenSince(file, start + 1024)).toEqual(new Set([1025]));
  });

  it("a write rolled back reaches no unit or month", async () => {
    const failed = () =>
      county.dbs.db.transaction().execute(async (trx) => {
        await insertItem(trx, { unitId: county.units.A, createdBy: county.ids.correspondentA, reportMonth: M });
        throw new Error("rolled back");
      });
    expect(await moved(failed)).toEqual(["all"]);
    // Nothing of it is left noted for the next write.
    expect(await moved(() => county.dbs.db.insertInto("unit_month_stats").values({ unit_id: county.units.B, month: M }).execute())).toEqual(["all", "inAMonth", "unitB", "monthM"]);
  });

  it("tells the other processes how far a write reached, and hears how far theirs did", async () => {
    const heard: WriteReach[] = [];
    announceFiguresWrites(async (_file, reach) => void heard.push(reach));
    let id = 0;
    try {
      id = await insertItem(county.dbs.db, { unitId: county.units.B, createdBy: county.ids.correspondentB, reportMonth: N });
      await county.dbs.db.updateTable("units").set({ name: "县实验小学" }).where("id", "=", county.units.B).execute();
    } finally {
      announceFiguresWrites(undefined);
    }
    // The item and its byline are two writes (the fixture's), each reaching the item's unit and
    // month; the item's row is the first one's.
    expect(heard).toEqual([
      { units: [county.units.B], months: [N], items: [id] },
      { units: [county.units.B], months: [N], items: [] },
      "everything",
    ]);
    expect(await moved(async () => figuresWrittenElsewhere(file, { units: [county.units.A], months: [N], items: [] }))).toEqual(["all", "inAMonth", "unitA", "monthN"]);
    expect(await moved(async () => figuresWrittenElsewhere(file))).toEqual(["all", "none", "inAMonth", "unitA", "unitB", "monthM", "monthN"]);
  });

  it("the schema changes nothing behind a statement's back: no triggers but the search index's and the band keys' queue, no cascade into an unfollowed table", async () => {
    const triggers = await sql<{ name: string; tbl_name: string; sql: string }>`select name, tbl_name, sql from main.sqlite_master where type = 'trigger' order by name`.execute(county.dbs.db);
    // A trigger of its own on a followed table could write any table unnoticed: only the search
    // index's are known, and those that queue an item's band keys, which write bookkeeping alone.
    expect(triggers.rows.map(({ name, tbl_name }) => ({ name, tbl_name }))).toEqual([
      { name: "items_search_delete", tbl_name: "items" },
      { name: "items_search_insert", tbl_name: "items" },
      { name: "items_search_update", tbl_name: "items" },
      { name: "items_text_bands_delete", tbl_name: "items" },
      { name: "items_text_queue_insert", tbl_name: "items" },
      { name: "items_text_queue_update", tbl_name: "items" },
    ]);
    for (const t of triggers.rows.filter((r) => r.name.startsWith("items_text_"))) {
      const body = t.sql.slice(t.sql.toLowerCase().indexOf(" begin"));
      const written = [...body.matchAll(/(?:insert(?: or ignore)? into|delete from|update)\s+(\w+)/gi)].map((m) => m[1]);
      expect(written.length).toBeGreaterThan(0);
      for (const table of written) expect(BOOKKEEPING_TABLES.has(table), `${t.name} writes ${table}`).toBe(true);
    }
    // A foreign key's action changes the child's rows within the parent's statement: when that
    // statement is followed row by row, the child must be followed too (its triggers note the rows;
    // one whose item is gone reaches everything) or hold bookkeeping only.
    const actions = await sql<{ child: string; parent: string }>`
      select m.name as child, f."table" as parent from main.sqlite_master m join pragma_foreign_key_list(m.name) f
      where m.type = 'table' and (f.on_delete not in ('NO ACTION', 'RESTRICT') or f.on_update not in ('NO ACTION', 'RESTRICT'))`.execute(county.dbs.db);
    expect(actions.rows.length).toBeGreaterThan(0);
    const unnoticed = actions.rows.filter((a) => TABLES_WITH_REACH.has(a.parent) && !TABLES_WITH_REACH.has(a.child) && !BOOKKEEPING_TABLES.has(a.child));
    expect(unnoticed).toEqual([]);
  });
});
