import { describe, expect, it } from "vitest";
import { MAX_WORKERS, parseWorkers } from "~/models/env.server";

describe("WEB_CONCURRENCY: how many processes serve pages", () => {
  it.each([
    [undefined, 1],
    ["", 1],
    ["  ", 1],
    ["1", 1],
    ["2", 2],
    [" 4 ", 4],
    [String(MAX_WORKERS), MAX_WORKERS],
  ])("%j → %i", (value, expected) => {
    expect(parseWorkers(value)).toBe(expected);
  });

  it.each(["0", "-1", "1.5", "two", "2x", String(MAX_WORKERS + 1), "1e3"])("%j stops the start with a message in Chinese", (value) => {
    expect(() => parseWorkers(value)).toThrow(/WEB_CONCURRENCY（处理请求的进程数）应为 1 到 32 之间的整数/);
  });
});
