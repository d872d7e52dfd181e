// 0022 and 0023 add indexes on items. A database that keeps the planner's statistics (someone ran
// ANALYZE) gets them for the new indexes too, or SQLite would take the unmeasured ones for the most
// selective; a database without statistics is left without.
import { Kysely, Migrator, sql } from "kysely";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { Sqlite3WriterDialect } from "../../db/dialect";
import { migrationProvider } from "../../db/migrations/index";

const NEW_INDEXES = ["items_category_use", "items_channel_use", "items_month_figures"];
const dirs: string[] = [];

async function migratedFrom0021(analyzed: boolean) {
  const dir = mkdtempSync(path.join(os.tmpdir(), "portal-index-stats-"));
  dirs.push(dir);
  const db = new Kysely<any>({ dialect: new Sqlite3WriterDialect({ filename: path.join(dir, "portal.sqlite") }) });
  const migrator = new Migrator({ db, provider: migrationProvider });
  expect((await migrator.migrateTo("0021_log_time_indexes")).error).toBeUndefined();
  await sql`insert into unit_kinds (code, name) values ('township_central', '乡镇中心校')`.execute(db);
  await sql`insert into units (id, code, name, kind_code, active, created_at, updated_at)
    values (1, 'A01', '单位A01', 'township_central', 1, '2025-01-01T00:00:00.000Z', '2025-01-01T00:00:00.000Z')`.execute(db);
  // Items to measure (ANALYZE records nothing for an index of an empty table).
  await sql`insert into categories (id, name) values (1, '综合')`.execute(db);
  await sql`insert into accounts (id, username, display_name, role, unit_id, password_hash, created_at, updated_at)
    values (1, 'a01-c1', '信息员', 'correspondent', 1, 'x', '2025-01-01T00:00:00.000Z', '2025-01-01T00:00:00.000Z')`.execute(db);
  for (let i = 0; i < 3; i++) {
    await sql`insert into items (unit_id, title, body, category_id, event_date, status, report_month, created_by, created_at, updated_at)
      values (1, ${`稿件${i}`}, '正文', 1, '2026-11-02', 'submitted', '2026-11', 1, '2026-11-02T02:00:00.000Z', '2026-11-02T02:00:00.000Z')`.execute(db);
  }
  if (analyzed) await sql`analyze`.execute(db);
  expect((await migrator.migrateToLatest()).error).toBeUndefined();
  const tables = await sql<{ name: string }>`select name from sqlite_master where name = 'sqlite_stat1'`.execute(db);
  const stats = tables.rows.length === 0 ? [] : (await sql<{ idx: string }>`select idx from sqlite_stat1 where tbl = 'items'`.execute(db)).rows.map((r) => r.idx);
  await db.destroy();
  return { kept: tables.rows.length > 0, stats };
}

afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe("statistics for the indexes the migrations add", () => {
  it("are gathered where the database keeps statistics", async () => {
    const { kept, stats } = await migratedFrom0021(true);
    expect(kept).toBe(true);
    for (const index of NEW_INDEXES) expect(stats).toContain(index);
    // The indexes it had before are measured as they were.
    expect(stats).toContain("items_report_month");
  });

  it("are not started where it keeps none", async () => {
    expect(await migratedFrom0021(false)).toEqual({ kept: false, stats: [] });
  });
});
