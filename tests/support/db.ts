// A fresh database file per test file, in its own temporary directory.
import { mkdtempSync, rmSync } from "node:fs";
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
