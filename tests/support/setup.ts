// An unexpected console.error fails the test that caused it.
import { afterEach, beforeEach, expect, vi } from "vitest";

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
  vi.mocked(console.error).mockRestore?.();
  expect(seen, "unexpected console.error").toEqual([]);
});
