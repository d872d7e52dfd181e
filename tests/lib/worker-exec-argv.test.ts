import { describe, expect, it } from "vitest";
import { workerExecArgv } from "~/lib/cluster.server";

describe("workerExecArgv: the workers' Node flags", () => {
  it.each([
    { execArgv: [], nodeOptions: "", expected: ["--max-semi-space-size=64"] },
    { execArgv: ["--enable-source-maps"], nodeOptions: "", expected: ["--enable-source-maps", "--max-semi-space-size=64"] },
    // The operator's own size is kept, whether on the command line or in NODE_OPTIONS.
    { execArgv: ["--max-semi-space-size=16"], nodeOptions: "", expected: ["--max-semi-space-size=16"] },
    { execArgv: ["--max-semi-space-size", "8"], nodeOptions: "", expected: ["--max-semi-space-size", "8"] },
    { execArgv: [], nodeOptions: "--max-old-space-size=2048 --max-semi-space-size=32", expected: [] },
    // A look-alike flag is not the same setting.
    { execArgv: ["--max-semi-space-size-x=1"], nodeOptions: "--max-old-space-size=2048", expected: ["--max-semi-space-size-x=1", "--max-semi-space-size=64"] },
  ])("$execArgv with NODE_OPTIONS “$nodeOptions” → $expected", ({ execArgv, nodeOptions, expected }) => {
    expect(workerExecArgv(execArgv, nodeOptions)).toEqual(expected);
  });

  it("does not change the array it is given", () => {
    const execArgv = ["--enable-source-maps"];
    workerExecArgv(execArgv);
    expect(execArgv).toEqual(["--enable-source-maps"]);
  });
});
