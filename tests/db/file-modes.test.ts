// The database holds every account's password hash, the phone numbers and the schools'
// unpublished items. SQLite created it (and its -wal and -shm files, and a backup) 0644, readable
// by every user of the server (on the county's machine: nginx's www-data, anyone with a shell);
// the photos and notices were already 0640. Now the database and its backups are kept the same way.
import { chmodSync, existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backupDatabase } from "../../db/backup";
import { openDatabases } from "../../db/connect";

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), "portal-modes-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** What the file allows users other than its owner and group (0: nothing). */
const othersMay = (file: string) => statSync(file).mode & 0o007;

describe("the database and its backups are not readable by other users of the server", () => {
  it("a new database, its -wal and -shm", async () => {
    const file = path.join(dir, "new", "portal.sqlite");
    const dbs = await openDatabases({ filename: file, readers: 1 });
    try {
      await sql`create table t (x integer)`.execute(dbs.db);
      await sql`insert into t values (1)`.execute(dbs.db);
      await sql`select * from t`.execute(dbs.reader);
      for (const f of [file, `${file}-wal`, `${file}-shm`]) {
        expect(existsSync(f), f).toBe(true);
        expect(othersMay(f), f).toBe(0);
      }
      // The owner still reads and writes it.
      expect(statSync(file).mode & 0o600).toBe(0o600);
    } finally {
      await dbs.close();
    }
  });

  it("an existing database that others could read (an older portal's, a restored copy) is closed to them, and the files left beside it", async () => {
    const first = path.join(dir, "old", "portal.sqlite");
    const made = await openDatabases({ filename: first, readers: 1 });
    await sql`create table t (x integer)`.execute(made.db);
    await made.close();
    chmodSync(first, 0o644);
    writeFileSync(`${first}-shm`, "");
    chmodSync(`${first}-shm`, 0o666);
    const dbs = await openDatabases({ filename: first, readers: 1 });
    try {
      await sql`insert into t values (2)`.execute(dbs.db);
      for (const f of [first, `${first}-wal`, `${first}-shm`]) expect(othersMay(f), f).toBe(0);
      expect(statSync(first).mode & 0o777).toBe(0o640);
    } finally {
      await dbs.close();
    }
  });

  it("a backup", async () => {
    const file = path.join(dir, "live", "portal.sqlite");
    const dbs = await openDatabases({ filename: file, readers: 1 });
    try {
      await sql`create table t (x integer)`.execute(dbs.db);
      const copy = path.join(dir, "backups", "portal-copy.sqlite");
      await backupDatabase(file, copy);
      expect(othersMay(copy)).toBe(0);
    } finally {
      await dbs.close();
    }
  });
});
