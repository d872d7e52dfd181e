// Page weight from the real client build (the e2e suite runs after `npm run build`): recharts is
// loaded only by the chart routes and only through React.lazy, and every other route's first visit
// stays under the gzip budget. Same computation as `npm run sizes` (tests/perf/route-sizes.ts).
import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { CHART_ROUTES, computeRouteSizes, ROUTE_BUDGET_GZIP, sizeProblems } from "../perf/route-sizes";
import { ensureBuild } from "./support/portal";

describe("每个路由首次访问下载的 JavaScript", () => {
  ensureBuild();
  if (!existsSync("public/build")) throw new Error("public/build 不存在：构建失败？");
  const report = computeRouteSizes();

  it("读到了构建清单，并找到了 recharts 所在的文件", () => {
    expect(report.routes.length).toBeGreaterThan(20);
    expect(report.routes.map((r) => r.id)).toContain("routes/_index");
    // If recharts is no longer found, the checks below would pass for the wrong reason.
    expect(report.rechartsChunks.length).toBeGreaterThan(0);
  });

  it("recharts 只在图表路由上按需加载，任何路由首次访问都不下载它", () => {
    for (const id of CHART_ROUTES) expect(report.routes.find((r) => r.id === id)?.rechartsLazy, id).toBe(true);
    const withRecharts = report.routes.filter((r) => r.rechartsOnFirstVisit || (r.rechartsLazy && !CHART_ROUTES.includes(r.id)));
    expect(withRecharts.map((r) => r.id)).toEqual([]);
  });

  it(`非图表路由首次访问都不超过 ${ROUTE_BUDGET_GZIP / 1024} KB（gzip）`, () => {
    expect(sizeProblems(report)).toEqual([]);
  });
});
