import { sql } from "kysely";
import { afterAll, beforeAll, expect, it } from "vitest";
import { migrateToLatest } from "../../db/connect";
import { migrations } from "../../db/migrations/index";
import { freshDatabases } from "../support/db";

let dbs: Awaited<ReturnType<typeof freshDatabases>>;
beforeAll(async () => {
  dbs = await freshDatabases();
});
afterAll(async () => dbs.dispose());

const domainTables = [
  "unit_kinds", "units", "accounts", "sessions", "login_attempts", "login_counters", "quota_rule_versions", "quota_rules",
  "unit_quota_overrides", "points_rule_versions", "categories", "channels", "items", "item_bylines", "photos",
  "review_events", "pickups", "instructions", "unit_month_stats", "correspondent_month_stats", "month_closes", "month_unit_snapshots",
  "month_correspondent_snapshots", "notices", "notice_adjustments", "notifications", "reminders",
  "sensitive_words", "audit_events", "settings",
];

it("migrates an empty database to every domain table", async () => {
  const rows = await sql<{ name: string }>`select name from sqlite_master where type = 'table'`.execute(dbs.db);
  const names = rows.rows.map((r) => r.name);
  for (const t of domainTables) expect(names, t).toContain(t);
  const applied = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(dbs.db);
  expect(applied.rows.map((r) => r.name)).toEqual(Object.keys(migrations).sort());
});

it("is idempotent: migrating again changes nothing", async () => {
  await migrateToLatest(dbs.db);
  const applied = await sql<{ n: number }>`select count(*) as n from kysely_migration`.execute(dbs.db);
  expect(applied.rows[0].n).toBe(Object.keys(migrations).length);
});

it("passes SQLite's integrity and foreign-key checks", async () => {
  const integrity = await sql<{ integrity_check: string }>`pragma integrity_check`.execute(dbs.db);
  expect(integrity.rows[0].integrity_check).toBe("ok");
  const fk = await sql`pragma foreign_key_check`.execute(dbs.db);
  expect(fk.rows).toEqual([]);
});

it("enforces the item invariants in the schema", async () => {
  const err = await sql`insert into items (unit_id, title, body, category_id, event_date, status, created_by, created_at, updated_at)
    values (1, 't', 'b', 1, 'not-a-date', 'draft', 1, 'x', 'x')`.execute(dbs.db).catch((e) => e);
  expect(String(err.message)).toMatch(/CHECK|FOREIGN KEY/);
});
