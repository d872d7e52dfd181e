// The school home's forecast sits just above the card "差 10 条未完成任务" (the quota minus what is
// adopted today). A bare "预计差 3 条" beside it reads as a contradiction; the callout says that it is
// where the month is heading at the present pace, by the month's end.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { forecastMonth } from "~/domain/forecast";

describe("the school home's forecast callout", () => {
  const home = readFileSync("app/routes/_index.tsx", "utf8");

  it("names a shortfall as the month's end at the present pace", () => {
    expect(home).toContain("`按目前的报送进度，到月底预计还差 ${dash.forecast.shortBy} 条，请抓紧报送。`");
    expect(home).not.toMatch(/本月预测：\{dash\.forecast\.message\}\s*\{dash\.forecast\.shortBy > 0 \? "，请抓紧报送。"/);
  });

  it("keeps the forecast's own words when the unit is on track", () => {
    expect(home).toContain("`${dash.forecast.message}。`");
    const f = forecastMonth({ quota: 10, adoptedSoFar: 10, submittedSoFar: 10, inReview: 0, adoptionRate: 1, dayOfMonth: 10, daysInMonth: 31 });
    expect(f.shortBy).toBe(0);
    expect(f.message).toBe("已完成本月任务");
  });
});
