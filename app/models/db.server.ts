// The running portal's databases: opened once, migrated, seeded when empty.
import { randomBytes } from "node:crypto";
import { openDatabases, type Databases } from "../../db/connect";
import { isDatabaseEmpty } from "../../db/seed/demo-county";
import { seedReferenceData } from "../../db/seed/reference";
import { getConfig } from "~/lib/env.server";
import { seedDemo } from "~/models/demo.server";
import { hashPassword } from "~/models/password.server";

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
