// 0007: frozen snapshots and the rows frozen into notices turn their movement text into a number.
import { Kysely, Migrator, sql } from "kysely";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Sqlite3WriterDialect } from "../../db/dialect";
import { movementFromText, movementToText } from "../../db/migrations/0007_movement_number";
import { migrationProvider } from "../../db/migrations/index";

describe("movementFromText", () => {
  const cases: Array<[string, number | null]> = [
    ["↑3", 3],
    ["↑12", 12],
    ["↓2", -2],
    ["↓1", -1],
    ["—", 0],
    ["-", 0],
    ["–", 0],
    ["0", 0],
    [" — ", 0],
    ["新", null],
    ["", null],
    ["?", null],
  ];
  it.each(cases)("%j → %s", (text, value) => expect(movementFromText(text)).toBe(value));
  it.each([null, 0, 3, -2])("%s survives text and back", (m) => expect(movementFromText(movementToText(m))).toBe(m));
});

describe("the migration on a database with closed months and a notice", () => {
  let dir: string;
  let db: Kysely<any>;
  const texts = ["↑3", "↓2", "—", "新", "↑1", "", "-", "↓10"];
  const numbers = [3, -2, 0, null, 1, null, 0, -10];
  const noticeRows = [
    { unitId: 1, code: "X01", movement: "↑3" },
    { unitId: 2, code: "X02", movement: "—" },
    { unitId: 3, code: "X03", movement: "新" },
    { unitId: 4, code: "X04", movement: "↓2" },
  ];

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), "portal-movement-"));
    db = new Kysely<any>({ dialect: new Sqlite3WriterDialect({ filename: path.join(dir, "portal.sqlite") }) });
    const migrator = new Migrator({ db, provider: migrationProvider });
    const before = await migrator.migrateTo("0006_login_protection");
    expect(before.error).toBeUndefined();
    // Rows as the text-era portal froze them; the parents they point at are beside the point here.
    await sql`pragma foreign_keys = off`.execute(db);
    for (const [i, movement] of texts.entries()) {
      await sql`insert into month_unit_snapshots (close_id, unit_id, kind_code, quota, submitted, adopted, late, completion, status,
          points, pickups_national, pickups_province, pickups_city, rank, tied, movement)
        values (1, ${i + 1}, 'township_central', 10, 10, 10, 0, 1, 'met', 20, 0, 0, 0, ${i + 1}, 0, ${movement})`.execute(db);
    }
    const body = { kind: "monthly", period: "2026-10", tables: [{ kind: "township_central", kindName: "乡镇中心校", rows: noticeRows }] };
    const annual = { kind: "annual", period: "2026", tables: [{ kind: "township_central", rows: [{ unitId: 1, movement: "↑3" }] }] };
    for (const [kind, period, doc] of [["monthly", "2026-10", body], ["annual", "2026", annual]] as const) {
      await sql`insert into notices (kind, period, title, doc_number, addressee, opening_text, closing_text, data_json, status, created_by, created_at, updated_at)
        values (${kind}, ${period}, '通报', '', '', '', '', ${JSON.stringify({ version: 1, header: { title: "通报" }, body: doc })}, 'draft', 1, 'x', 'x')`.execute(db);
    }
    await sql`pragma foreign_keys = on`.execute(db);
    const after = await migrator.migrateTo("0007_movement_number");
    expect(after.error).toBeUndefined();
  });

  afterAll(async () => {
    await db.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it("turns each snapshot's text into places gained (lost: negative), 0 unchanged, null for 新", async () => {
    const rows = await sql<{ unit_id: number; movement: number | null }>`select unit_id, movement from month_unit_snapshots order by unit_id`.execute(db);
    expect(rows.rows.map((r) => r.movement)).toEqual(numbers);
    const types = await sql<{ t: string }>`select typeof(movement) as t from month_unit_snapshots order by unit_id`.execute(db);
    expect(types.rows.map((r) => r.t)).toEqual(numbers.map((n) => (n === null ? "null" : "integer")));
  });

  it("keeps the table strict: movement is a nullable integer column and text is refused", async () => {
    const info = await sql<{ name: string; type: string; notnull: number }>`pragma table_info(month_unit_snapshots)`.execute(db);
    expect(info.rows.find((c) => c.name === "movement")).toMatchObject({ type: "INTEGER", notnull: 0 });
    const err = await sql`update month_unit_snapshots set movement = '↑1' where unit_id = 1`.execute(db).catch((e) => e);
    expect(String(err?.message)).toMatch(/cannot store TEXT value in INTEGER column/);
  });

  it("converts the rows frozen into a monthly notice and leaves other notices alone", async () => {
    const notices = await sql<{ kind: string; data_json: string }>`select kind, data_json from notices order by id`.execute(db);
    const monthly = JSON.parse(notices.rows[0].data_json);
    expect(monthly.version).toBe(1);
    expect(monthly.body.tables[0].rows).toEqual([
      { unitId: 1, code: "X01", movement: 3 },
      { unitId: 2, code: "X02", movement: 0 },
      { unitId: 3, code: "X03", movement: null },
      { unitId: 4, code: "X04", movement: -2 },
    ]);
    expect(JSON.parse(notices.rows[1].data_json).body.tables[0].rows[0].movement).toBe("↑3");
  });

  it("goes back down to the text it had (the empty default comes back as 新)", async () => {
    const migrator = new Migrator({ db, provider: migrationProvider });
    const down = await migrator.migrateTo("0006_login_protection");
    expect(down.error).toBeUndefined();
    const rows = await sql<{ movement: string }>`select movement from month_unit_snapshots order by unit_id`.execute(db);
    expect(rows.rows.map((r) => r.movement)).toEqual(["↑3", "↓2", "—", "新", "↑1", "新", "—", "↓10"]);
    const notice = await sql<{ data_json: string }>`select data_json from notices where kind = 'monthly'`.execute(db);
    expect(JSON.parse(notice.rows[0].data_json).body.tables[0].rows.map((r: { movement: string }) => r.movement)).toEqual(["↑3", "—", "新", "↓2"]);
    const up = await migrator.migrateToLatest();
    expect(up.error).toBeUndefined();
  });
});
