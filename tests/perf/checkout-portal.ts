// The production build of a checkout (its build/index.js) on a fresh demo county of its own, for the
// scripts that compare checkouts side by side (cpu-per-request.ts, export-load.ts).
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { DEMO_PASSWORD } from "../e2e/support/portal";

export interface CheckoutPortal {
  /** http://127.0.0.1:<port> */
  base: string;
  child: ChildProcess;
  dataDir: string;
}

/** Starts `checkout`'s build (Node flags `nodeArgs`, on `port`, 0: any free one) and waits for its address. */
export async function startCheckoutPortal(checkout: string, options: { port?: number; nodeArgs?: string; tmpPrefix?: string } = {}): Promise<CheckoutPortal> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), options.tmpPrefix ?? "portal-perf-"));
  const child = spawn(process.execPath, [...(options.nodeArgs ?? "").split(" ").filter(Boolean), "build/index.js"], {
    cwd: checkout,
    env: { ...process.env, NODE_ENV: "production", PORT: String(options.port ?? 0), DATA_DIR: dataDir, COOKIE_SECURE: "0", AUTO_REMINDERS: "0", SEED_DEMO: "1", DEMO_PASSWORD },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stderr!.on("data", (d) => (out += d));
  const base = await new Promise<string>((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`门户退出（${code}）：\n${out}`)));
    child.stdout!.on("data", (d) => {
      out += d;
      const m = /http:\/\/localhost:(\d+)/.exec(out);
      if (m) resolve(`http://127.0.0.1:${m[1]}`);
    });
  });
  return { base, child, dataDir };
}

/** Stops the portal (SIGTERM, waiting for it) and removes its data directory. */
export async function stopCheckoutPortal(portal: { child: ChildProcess; dataDir: string }): Promise<void> {
  if (portal.child.exitCode === null) {
    const exited = new Promise((r) => portal.child.once("exit", r));
    portal.child.kill("SIGTERM");
    await exited;
  }
  rmSync(portal.dataDir, { recursive: true, force: true });
}
