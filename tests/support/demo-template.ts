// The demo county is built once per test run (vitest globalSetup) into a template directory; each
// test file that needs it gets its own copy (database file, photos, notice documents), so the
// files stay independent and the run pays for one build instead of one per file.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { openDatabases } from "../../db/connect";
import { seedDemo } from "../../app/models/demo.server";
import { hashPassword } from "../../app/models/password.server";
import { PASSWORD } from "./app";

/** The instant the demo county is seeded at (matches tests/models/months.test.ts). */
export const DEMO_NOW = new Date("2026-11-21T04:00:00Z");
const SUMMARY = "demo-summary.json";

export interface DemoTemplate {
  dir: string;
  closedMonths: string[];
}

export async function buildDemoTemplate(): Promise<DemoTemplate> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "portal-demo-template-"));
  const dbs = await openDatabases({ filename: path.join(dir, "portal.sqlite"), readers: 1 });
  try {
    const summary = await seedDemo(dbs.db, { passwordHash: await hashPassword(PASSWORD), dataDir: dir, now: DEMO_NOW });
    writeFileSync(path.join(dir, SUMMARY), JSON.stringify({ closedMonths: summary.closedMonths }));
    return { dir, closedMonths: summary.closedMonths };
  } finally {
    // Closing checkpoints the WAL into the file, so a copy of the directory is the whole county.
    await dbs.close();
  }
}

/** A fresh copy of the template into a new temporary directory. */
export function copyDemoTemplate(templateDir: string): { dir: string; closedMonths: string[] } {
  const dir = mkdtempSync(path.join(os.tmpdir(), "portal-test-"));
  cpSync(templateDir, dir, { recursive: true });
  const { closedMonths } = JSON.parse(readFileSync(path.join(dir, SUMMARY), "utf8")) as { closedMonths: string[] };
  return { dir, closedMonths };
}

declare module "vitest" {
  export interface ProvidedContext {
    demoTemplateDir: string;
  }
}

/** vitest globalSetup: build once, hand the directory to every test file, remove it at the end. */
export default async function setup(project: TestProject) {
  const template = await buildDemoTemplate();
  project.provide("demoTemplateDir", template.dir);
  return () => rmSync(template.dir, { recursive: true, force: true });
}
