// The running portal's databases: opened once, migrated, seeded when empty.
import { openDatabases, type Databases } from "../../db/connect";
import { isDatabaseEmpty, seedDemoCounty } from "../../db/seed/demo-county";
import { seedReferenceData } from "../../db/seed/reference";
import { getConfig } from "~/lib/env.server";
import { hashPassword } from "~/models/password.server";

export interface BootResult {
  dbs: Databases;
  seeded: boolean;
}

let booting: Promise<BootResult> | undefined;

/** Opens the portal's database, applies migrations and seeds the demo county on first start. */
export function bootDatabases(): Promise<BootResult> {
  booting ??= (async () => {
    const config = getConfig();
    const dbs = await openDatabases({ filename: config.databaseFile });
    let seeded = false;
    if (await isDatabaseEmpty(dbs.db)) {
      if (config.seedDemo) {
        // Every demo account shares one password: hash it once.
        const passwordHash = await hashPassword(config.demoPassword);
        await seedDemoCounty(dbs.db, { passwordHash, dataDir: config.dataDir, now: new Date() });
        seeded = true;
      } else {
        await seedReferenceData(dbs.db, new Date());
      }
    }
    return { dbs, seeded };
  })();
  return booting;
}
