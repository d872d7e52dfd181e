// On a phone each row of /appeals is a card whose cells set their children side by side after the
// label. The 申诉 cell (who, when, and the reason under them) and the 状态 cell (badge, and the answer
// under it) are therefore one block each, or the date breaks in two beside the reason.
import { describe, expect, it } from "vitest";
import { renderPage } from "../support/render-page";
import * as appealsPage from "~/routes/appeals";

const row = {
  id: 1, item_id: 7, title: "城关镇中心学校刘永鹏老师获评县“优秀教师”", unit_name: "城关镇中心学校", month: "2026-11", subject: "grade",
  filed_by_name: "潘海洁", filed_at: "2026-12-06T23:55:00.000Z", reason: "本稿被市教育局网站转载，应评为优。",
  status: "upheld", answered_at: "2026-12-07T01:00:00.000Z", answered_by_name: "李晓梅", answer: "等次按采用时的质量评定，维持原决定。",
};

async function html(): Promise<string> {
  const data = { rows: [row], total: 1, pages: 1, filters: { status: "", page: 1 }, reviewer: false };
  return renderPage(appealsPage.default, data);
}

describe("the cells of /appeals", () => {
  it.each([
    ["申诉", /<td data-label="申诉"><div>潘海洁 · 2026-12-07 07:55<div class="small">本稿被市教育局网站转载，应评为优。<\/div><\/div><\/td>/],
    ["状态", /<td data-label="状态"><div><span class="badge badge--ok">[^<]+<\/span><div class="small">李晓梅：等次按采用时的质量评定，维持原决定。<\/div><\/div><\/td>/],
  ])("hold the %s cell's parts in one block", async (_, markup) => {
    expect((await html()).replaceAll("<!-- -->", "")).toMatch(markup);
  });
});
