// 0019: the address of each step of an item's trail. Steps recorded before it keep their rows and
// read '' (no address known), new steps store theirs, and the migration goes down and up again.
import { Kysely, Migrator, sql } from "kysely";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Sqlite3WriterDialect } from "../../db/dialect";
import { migrationProvider } from "../../db/migrations/index";

const BEFORE = "0018_snapshot_adopted_items";

describe("the migration on a database whose items already have a trail", () => {
  let dir: string;
  let db: Kysely<any>;
  let migrator: Migrator;

  const trail = () =>
    sql<{ id: number; action: string; ip: string }>`select id, action, ip from review_events order by id`.execute(db).then((r) => r.rows);

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), "portal-review-address-"));
    db = new Kysely<any>({ dialect: new Sqlite3WriterDialect({ filename: path.join(dir, "portal.sqlite") }) });
    migrator = new Migrator({ db, provider: migrationProvider });
    expect((await migrator.migrateTo(BEFORE)).error).toBeUndefined();
    const at = "2026-11-02T02:00:00.000Z";
    await sql`insert into unit_kinds (code, name) values ('township_central', '乡镇中心校')`.execute(db);
    await sql`insert into units (id, code, name, kind_code, created_at, updated_at) values (1, 'A01', '城关镇中心学校', 'township_central', ${at}, ${at})`.execute(db);
    await sql`insert into accounts (id, username, display_name, role, unit_id, password_hash, created_at, updated_at)
      values (1, 'a-c1', '张晓梅', 'correspondent', 1, 'x', ${at}, ${at})`.execute(db);
    await sql`insert into categories (id, name) values (1, '综合')`.execute(db);
    await sql`insert into items (id, unit_id, title, body, category_id, event_date, status, created_by, created_at, updated_at)
      values (1, 1, '城关镇中心学校举行冬季运动会', '全校师生参加了运动会。', 1, '2026-11-01', 'pending_school', 1, ${at}, ${at})`.execute(db);
    await sql`insert into review_events (item_id, actor_id, action, from_status, to_status, at)
      values (1, 1, 'submit', 'draft', 'pending_school', ${at})`.execute(db);
    expect((await migrator.migrateToLatest()).error).toBeUndefined();
  });

  afterAll(async () => {
    await db.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it("keeps the earlier steps, with no address, and stores the address of new ones", async () => {
    await sql`insert into review_events (item_id, actor_id, action, from_status, to_status, ip, at)
      values (1, 1, 'recall', 'pending_school', 'draft', '10.20.0.11', '2026-11-02T03:00:00.000Z')`.execute(db);
    // A write that names no address (the system's own) still goes in.
    await sql`insert into review_events (item_id, actor_id, action, from_status, to_status, at)
      values (1, 1, 'submit', 'draft', 'pending_school', '2026-11-02T04:00:00.000Z')`.execute(db);
    expect(await trail()).toEqual([
      { id: 1, action: "submit", ip: "" },
      { id: 2, action: "recall", ip: "10.20.0.11" },
      { id: 3, action: "submit", ip: "" },
    ]);
    const refused = await sql`insert into review_events (item_id, actor_id, action, from_status, to_status, ip, at)
      values (1, 1, 'recall', 'pending_school', 'draft', null, '2026-11-02T05:00:00.000Z')`.execute(db).catch((e: Error) => e);
    expect(String((refused as Error).message)).toMatch(/NOT NULL/);
  });

  it("goes down and up again, keeping the trail", async () => {
    expect((await migrator.migrateTo(BEFORE)).error).toBeUndefined();
    const columns = await sql<{ name: string }>`select name from pragma_table_info('review_events')`.execute(db);
    expect(columns.rows.map((c) => c.name)).not.toContain("ip");
    expect((await migrator.migrateToLatest()).error).toBeUndefined();
    expect((await trail()).map((r) => [r.action, r.ip])).toEqual([["submit", ""], ["recall", ""], ["submit", ""]]);
  });
});
