// Runs before every test file: a private data directory, a fixed session secret, and
// an unexpected console.error fails the test that caused it.
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeEach, expect, vi } from "vitest";

process.env.DATA_DIR ??= mkdtempSync(path.join(os.tmpdir(), "portal-data-"));
process.env.SESSION_SECRET ??= "test-session-secret";
// Every answer from a cache of derived results is checked against the result computed afresh
// (app/models/write-cache.server.ts): a cache a write should have moved fails the test that read it.
process.env.CACHE_CHECK ??= "1";

let errors: unknown[][] = [];
beforeEach(() => {
  errors = [];
  vi.spyOn(console, "error").mockImplementation((...args: unknown[]) => {
    errors.push(args);
  });
});
afterEach(() => {
  const seen = errors;
  errors = [];
  vi.restoreAllMocks();
  expect(seen, "unexpected console.error").toEqual([]);
});

// Files share a worker (vitest `isolate: false`): a file that stopped the clock must not hand a
// stopped clock to the next one.
afterAll(() => {
  vi.useRealTimers();
});
