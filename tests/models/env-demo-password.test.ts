// The demo accounts' password: the README's Demo@2026 only where it cannot be used against a real
// portal; a production start that creates the demo county makes its own and keeps it.
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { passwordProblem } from "~/domain/password-policy";
import { DEFAULT_DEMO_PASSWORD, getConfig } from "~/models/env.server";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
const freshDir = () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "demo-password-"));
  dirs.push(dir);
  return dir;
};
const configIn = (dir: string, env: Partial<NodeJS.ProcessEnv>) => getConfig({ NODE_ENV: "test", DATA_DIR: dir, SESSION_SECRET: "s", ...env });

describe("the demo accounts' password", () => {
  it("a production start about to create the demo county makes one of its own, keeps it in the data directory, and keeps using it", () => {
    const dir = freshDir();
    const first = configIn(dir, { NODE_ENV: "production" }).demoPassword;
    expect(first).not.toBe(DEFAULT_DEMO_PASSWORD);
    expect(passwordProblem(first, "admin")).toBeNull();
    expect(statSync(path.join(dir, "demo-password")).mode & 0o777).toBe(0o600);
    // The database is there now: the next start (and every worker) reads the same one.
    writeFileSync(path.join(dir, "portal.sqlite"), "");
    expect(configIn(dir, { NODE_ENV: "production" }).demoPassword).toBe(first);
    expect(configIn(freshDir(), { NODE_ENV: "production" }).demoPassword).not.toBe(first);
  });

  it.each([
    ["development", {}],
    ["production without the demo county", { NODE_ENV: "production", SEED_DEMO: "0" }],
  ] as Array<[string, Partial<NodeJS.ProcessEnv>]>)("%s: the README's password, nothing written", (_label, env) => {
    const dir = freshDir();
    expect(configIn(dir, env).demoPassword).toBe(DEFAULT_DEMO_PASSWORD);
    expect(existsSync(path.join(dir, "demo-password"))).toBe(false);
  });

  it("a production database made before keeps the password its accounts were made with", () => {
    const dir = freshDir();
    writeFileSync(path.join(dir, "portal.sqlite"), "");
    expect(configIn(dir, { NODE_ENV: "production" }).demoPassword).toBe(DEFAULT_DEMO_PASSWORD);
    expect(existsSync(path.join(dir, "demo-password"))).toBe(false);
  });

  it("DEMO_PASSWORD wins", () => {
    expect(configIn(freshDir(), { NODE_ENV: "production", DEMO_PASSWORD: "Given#pass2026" }).demoPassword).toBe("Given#pass2026");
  });
});
