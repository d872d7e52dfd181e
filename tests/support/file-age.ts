// Stored files made old for the sweeps' tests (app/models/photo-sweep.server.ts looks at a file's
// modification time): a file set `ms` into the past.
import { utimesSync } from "node:fs";

/** Sets a file's modification (and access) time `ms` into the past. */
export function age(file: string, ms: number): void {
  const t = new Date(Date.now() - ms);
  utimesSync(file, t, t);
}
