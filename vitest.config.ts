import os from "node:os";
import path from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { alias: { "~": path.resolve(import.meta.dirname, "app") } },
  test: {
    include: ["tests/**/*.test.{ts,tsx}"],
    exclude: ["tests/e2e/**", "node_modules/**"],
    setupFiles: ["tests/support/setup.ts"],
    // The demo county, built once per run and copied by the files that need it.
    globalSetup: ["tests/support/demo-template.ts"],
    testTimeout: 30_000,
    pool: "forks",
    // One worker per core (vitest's default leaves one core to itself, which on a two-core machine
    // runs the files one at a time), and the files of a worker share its module cache instead of
    // importing the app again for each file: every file builds its own database in its own
    // directory, and tests/support/setup.ts puts the clock back after each file.
    maxWorkers: os.availableParallelism(),
    isolate: false,
  },
});
