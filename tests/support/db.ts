// A fresh database file per test file, in its own temporary directory.
import { mkdtempSync, rmSync } from "node:fs";
import sqlite3 from "sqlite3";
import os from "node:os";
import path from "node:path";
import { openDatabases, type Databases } from "../../db/connect";

export async function freshDatabases(): Promise<Databases & { dir: string; dispose(): Promise<void> }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "portal-test-"));
  const dbs = await openDatabases({ filename: path.join(dir, "portal.sqlite"), readers: 2 });
  return {
    ...dbs,
    dir,
    async dispose() {
      await dbs.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A statement run on a connection of its own, bypassing the portal's writer (as no portal code
 * does, but another process would until its write is announced): shows what is cached.
 */
export function writeBehindThePortal(file: string, sql: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const raw = new sqlite3.Database(file, (open) => {
      if (open) return reject(open);
      raw.run(sql, (err) => raw.close(() => (err ? reject(err) : resolve())));
    });
  });
}
