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
  },
});
