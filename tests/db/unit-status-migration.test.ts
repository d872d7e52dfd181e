// 0017: each unit's deactivations and reactivations, taken from the audit trail that recorded them,
// so the months a unit was active in are known for the units deactivated before it.
import { Kysely, Migrator, sql } from "kysely";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Sqlite3WriterDialect } from "../../db/dialect";
import { migrationProvider } from "../../db/migrations/index";

describe("the migration on a database whose units were deactivated and reactivated before it", () => {
  let dir: string;
  let db: Kysely<any>;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), "portal-unit-status-"));
    db = new Kysely<any>({ dialect: new Sqlite3WriterDialect({ filename: path.join(dir, "portal.sqlite") }) });
    const migrator = new Migrator({ db, provider: migrationProvider });
    const before = await migrator.migrateTo("0016_reached_items_index");
    expect(before.error).toBeUndefined();
    await sql`insert into unit_kinds (code, name) values ('township_central', '乡镇中心校')`.execute(db);
    for (const [id, code, active] of [[1, "A01", 1], [2, "A02", 0], [3, "A03", 1]] as const) {
      await sql`insert into units (id, code, name, kind_code, active, created_at, updated_at)
        values (${id}, ${code}, ${`单位${code}`}, 'township_central', ${active}, '2025-01-01T00:00:00.000Z', '2025-01-01T00:00:00.000Z')`.execute(db);
    }
    const audit = (at: string, action: string, entityType: string, entityId: string) =>
      sql`insert into audit_events (at, actor_id, action, entity_type, entity_id, detail_json)
        values (${at}, null, ${action}, ${entityType}, ${entityId}, '{}')`.execute(db);
    // A02: deactivated on 2 November (Shanghai). A03: deactivated in August, reactivated in November.
    await audit("2026-11-02T02:00:00.000Z", "unit_deactivated", "unit", "2");
    await audit("2026-08-05T02:00:00.000Z", "unit_deactivated", "unit", "3");
    await audit("2026-11-12T02:00:00.000Z", "unit_reactivated", "unit", "3");
    // Not a unit's status: another act on a unit, an account's deactivation, a unit that is not there.
    await audit("2026-09-01T02:00:00.000Z", "unit_updated", "unit", "1");
    await audit("2026-09-01T03:00:00.000Z", "account_deactivated", "account", "1");
    await audit("2026-09-01T04:00:00.000Z", "unit_deactivated", "unit", "99");
    const after = await migrator.migrateToLatest();
    expect(after.error).toBeUndefined();
  });

  afterAll(async () => {
    await db.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it("takes every unit deactivation and reactivation from the audit trail, with its time", async () => {
    const rows = await sql<{ unit_id: number; active: number; changed_at: string }>`
      select unit_id, active, changed_at from unit_status_changes order by unit_id, changed_at`.execute(db);
    expect(rows.rows).toEqual([
      { unit_id: 2, active: 0, changed_at: "2026-11-02T02:00:00.000Z" },
      { unit_id: 3, active: 0, changed_at: "2026-08-05T02:00:00.000Z" },
      { unit_id: 3, active: 1, changed_at: "2026-11-12T02:00:00.000Z" },
    ]);
  });

  it("goes down and up again", async () => {
    const migrator = new Migrator({ db, provider: migrationProvider });
    expect((await migrator.migrateTo("0016_reached_items_index")).error).toBeUndefined();
    const tables = await sql<{ name: string }>`select name from sqlite_master where name = 'unit_status_changes'`.execute(db);
    expect(tables.rows).toEqual([]);
    expect((await migrator.migrateToLatest()).error).toBeUndefined();
    const count = await sql<{ n: number }>`select count(*) as n from unit_status_changes`.execute(db);
    expect(count.rows[0].n).toBe(3);
  });
});
