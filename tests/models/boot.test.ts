// The demo county's first start builds the database in a side file and renames it into place
// only when complete: a start cut short leaves no database behind, never a half-built county.
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import sqlite3 from "sqlite3";
import { expect, it } from "vitest";
import { seedDemoFile } from "~/models/db.server";

function query<T>(file: string, text: string): Promise<T[]> {
  return new Promise((resolve, reject) => {
    const db = new sqlite3.Database(file, sqlite3.OPEN_READONLY, (err) => {
      if (err) return reject(err);
      db.all(text, (e, rows) => db.close(() => (e ? reject(e) : resolve(rows as T[]))));
    });
  });
}

it("replaces what an interrupted first start left and renames a complete county into place", async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "portal-boot-"));
  const target = path.join(dir, "portal.sqlite");
  // What a start killed mid-seed leaves: a partial side file and its write-ahead log.
  writeFileSync(`${target}.seeding`, "half a database");
  writeFileSync(`${target}.seeding-wal`, "half a log");

  await seedDemoFile(target, { demoPassword: "Demo@2026", dataDir: dir });

  expect(readdirSync(dir).filter((f) => f.startsWith("portal.sqlite")).sort()).toEqual(["portal.sqlite"]);
  const [counts] = await query<{ units: number; items: number; closes: number; notices: number; rollups: number }>(
    target,
    `select (select count(*) from units) units, (select count(*) from items) items,
            (select count(*) from month_closes) closes, (select count(*) from notices where status = 'published') notices,
            (select count(*) from unit_month_stats) rollups`,
  );
  // The last steps of the seeding (closed months, published notices, rollups) are in the file.
  expect(counts.units).toBeGreaterThan(30);
  expect(counts.items).toBeGreaterThan(1000);
  expect(counts.closes).toBeGreaterThan(10);
  expect(counts.notices).toBeGreaterThan(10);
  expect(counts.rollups).toBeGreaterThan(100);
  const [check] = await query<{ integrity_check: string }>(target, "pragma integrity_check");
  expect(check.integrity_check).toBe("ok");
  expect(existsSync(`${target}.seeding`)).toBe(false);
}, 120_000);
