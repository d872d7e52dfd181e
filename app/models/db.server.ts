// The running portal's databases: opened once, migrated, seeded when empty.
import { randomBytes } from "node:crypto";
import { existsSync, rmSync, statSync } from "node:fs";
import { sql } from "kysely";
import { openDatabases, type Databases } from "../../db/connect";
import { moveIntoPlace } from "../../db/file-store";
import { isDatabaseEmpty } from "../../db/seed/demo-county";
import { seedReferenceData } from "../../db/seed/reference";
import { getConfig } from "~/models/env.server";
import { seedDemo } from "~/models/demo.server";
import { hashPassword } from "~/models/password.server";

/** The database types the layers above name without reaching into db/. */
export type { Databases } from "../../db/connect";
export type { Database } from "../../db/schema";
/** How the processes of a portal on several processes keep each other's caches honest. */
export { announceFiguresWrites, figuresWrittenElsewhere, shareWriterTurn } from "../../db/write-generations";
export type { WriteReach } from "../../db/write-reach";
/** How long uses of the writer waited for and held its turn, while measured (STATS_FILE). */
export { keepWriterUses, takeWriterUses } from "../../db/writer-uses";

/** A worker process's own connections to the database the primary has booted (migrated, seeded). */
export function openPortalDatabases(): Promise<Databases> {
  return openDatabases({ filename: getConfig().databaseFile });
}

export interface BootResult {
  dbs: Databases;
  seeded: boolean;
  /** Set when a county starts without demo data: the first admin's one-time password. */
  initialAdmin?: { username: string; password: string };
}

let booting: Promise<BootResult> | undefined;

/** Opens the portal's database, applies migrations and seeds the demo county on first start. */
export function bootDatabases(): Promise<BootResult> {
  booting ??= (async () => {
    const config = getConfig();
    if (config.seedDemo && !existsSync(config.databaseFile)) {
      await seedDemoFile(config.databaseFile, config);
      return { dbs: await openDatabases({ filename: config.databaseFile }), seeded: true };
    }
    const dbs = await openDatabases({ filename: config.databaseFile });
    if (!(await isDatabaseEmpty(dbs.db))) return { dbs, seeded: false };
    if (config.seedDemo) {
      // Every demo account shares one password: hash it once.
      const passwordHash = await hashPassword(config.demoPassword);
      await seedDemo(dbs.db, { passwordHash, dataDir: config.dataDir, now: new Date() });
      return { dbs, seeded: true };
    }
    // A real county starts with the reference data and one admin who must change the password.
    const password = process.env.ADMIN_PASSWORD || randomBytes(9).toString("base64url");
    const now = new Date();
    const passwordHash = await hashPassword(password);
    await dbs.db.transaction().execute(async (trx) => {
      await seedReferenceData(trx, now);
      await trx
        .insertInto("accounts")
        .values({
          username: "admin", display_name: "系统管理员", role: "admin", unit_id: null, password_hash: passwordHash,
          must_change_password: 1, created_at: now.toISOString(), updated_at: now.toISOString(), registered_on: null, deactivated_at: null,
        })
        .execute();
    });
    return { dbs, seeded: false, initialAdmin: { username: "admin", password } };
  })();
  return booting;
}

/**
 * The demo county is seeded in several transactions (county, rollups, closed months, notices).
 * It is built in a side file and renamed into place only when complete, so a portal stopped
 * during its first start finds no database, never a half-built county, and seeds again.
 */
export async function seedDemoFile(target: string, config: { demoPassword: string; dataDir: string }): Promise<void> {
  const side = `${target}.seeding`;
  for (const f of [side, `${side}-wal`, `${side}-shm`]) rmSync(f, { force: true });
  const dbs = await openDatabases({ filename: side });
  try {
    const passwordHash = await hashPassword(config.demoPassword);
    await seedDemo(dbs.db, { passwordHash, dataDir: config.dataDir, now: new Date() });
    // Everything into the main file, so the rename moves the whole database.
    await sql`pragma wal_checkpoint(TRUNCATE)`.execute(dbs.db);
  } finally {
    await dbs.close();
  }
  if (existsSync(`${side}-wal`) && statSync(`${side}-wal`).size > 0) throw new Error("演示数据写入未完成（预写日志未合并）");
  for (const f of [`${side}-wal`, `${side}-shm`]) rmSync(f, { force: true });
  moveIntoPlace(side, target);
}
