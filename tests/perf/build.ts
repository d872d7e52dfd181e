// The production build the bench and the load test start: built afresh from the sources each run,
// so they measure the code as it stands (an older build beside a newer migration does not start).
import { spawnSync } from "node:child_process";

export function buildPortal(): void {
  const built = spawnSync("npx", ["remix", "build"], { stdio: ["inherit", "ignore", "inherit"] });
  if (built.status !== 0) throw new Error("remix build 失败");
}
