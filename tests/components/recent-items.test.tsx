// A unit's home lists its latest items with the way to all of them. A unit with none yet (a new
// school, its first day) shows its correspondent the way to write the first one, not a link to a list
// that is just as empty; its lead, who does not write, is only told there is none.
import { renderToStaticMarkup } from "react-dom/server";
import { StaticRouter } from "react-router-dom/server";
import { describe, expect, it } from "vitest";
import { RecentItems, type RecentItem } from "~/components/recent-items";

const html = (items: RecentItem[], canWrite: boolean) =>
  renderToStaticMarkup(<StaticRouter location="/"><RecentItems items={items} canWrite={canWrite} /></StaticRouter>);

describe("the home's recent items", () => {
  it("to a new unit's correspondent: none yet, and the way to write the first", () => {
    const page = html([], true);
    expect(page).toContain("本单位还没有稿件。");
    expect(page).toMatch(/<a[^>]*href="\/items\/new"[^>]*>写第一篇稿件 →<\/a>/);
    expect(page).not.toContain("查看本单位全部稿件");
  });

  it("to a new unit's lead: none yet, and nothing to write", () => {
    const page = html([], false);
    expect(page).toContain("本单位还没有稿件。");
    expect(page).not.toContain("/items/new");
    expect(page).not.toContain("查看本单位全部稿件");
  });

  it("with items: the list, then the way to all of them", () => {
    const page = html([{ id: 7, title: "城关镇中心学校举办读书节", status: "draft", updated_at: "2026-12-05T02:00:00.000Z", report_month: null, last_reason: "" }], true);
    expect(page).toContain('href="/items/7"');
    expect(page).toMatch(/<a[^>]*href="\/items"[^>]*>查看本单位全部稿件 →<\/a>/);
    expect(page).not.toContain("写第一篇稿件");
  });
});
