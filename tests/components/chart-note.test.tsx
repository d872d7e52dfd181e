// A chart whose title could be read two ways says what it counts: under its title, and in the table
// that carries its numbers for screen readers. The reviewer's 每日首次报送 leaves out items returned
// to their schools (the month's 报送 counts only those at the bureau), which the title alone does not say.
// A chart with nothing to draw can say so in words instead of an empty frame (各栏目 before any item arrives).
import { readFileSync } from "node:fs";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { ChartFigure } from "~/components/charts/lazy-chart";

describe("ChartFigure's note", () => {
  it("sits under the title and in the table's caption", () => {
    const html = renderToStaticMarkup(
      <ChartFigure kind="submissionsByDay" title="2026年12月每日首次报送" note="已退回学校的稿件不计" data={[{ label: "1日", count: 3 }]} columns={[["日期", (r) => r.label], ["篇数", (r) => r.count]]} />,
    );
    expect(html).toMatch(/<figcaption><strong>2026年12月每日首次报送<\/strong><span class="muted small chart-note">已退回学校的稿件不计<\/span><\/figcaption>/);
    expect(html).toContain("<caption>2026年12月每日首次报送（已退回学校的稿件不计）</caption>");
  });

  it("is absent when none is given", () => {
    const html = renderToStaticMarkup(<ChartFigure kind="byCategory" title="各栏目" data={[]} columns={[["栏目", () => ""]]} />);
    expect(html).not.toContain("chart-note");
    expect(html).toContain("<caption>各栏目</caption>");
  });

  it("is given to the reviewer's two charts of the month's arrivals", () => {
    const home = readFileSync("app/routes/_index.tsx", "utf8");
    expect(home).toMatch(/每日首次报送`}\s*note="[^"]*已退回学校/);
    expect(home).toMatch(/各栏目收稿与采用`}\s*note="[^"]*已退回学校的不计/);
  });

  it("says in words that there is nothing to draw, instead of an empty frame, when told what to say", () => {
    const columns: Array<[string, (r: { category: string }) => string]> = [["栏目", (r) => r.category]];
    const none = renderToStaticMarkup(<ChartFigure kind="byCategory" title="各栏目" empty="本月还没有收到稿件。" data={[]} columns={columns} />);
    expect(none).toContain('<p class="muted">本月还没有收到稿件。</p>');
    expect(none).not.toContain("chart-box");
    const some = renderToStaticMarkup(<ChartFigure kind="byCategory" title="各栏目" empty="本月还没有收到稿件。" data={[{ category: "综合" }]} columns={columns} />);
    expect(some).toContain("chart-box");
    expect(some).not.toContain("本月还没有收到稿件。");
    const home = readFileSync("app/routes/_index.tsx", "utf8");
    expect(home).toMatch(/data=\{dash\.byCategory\}\s*empty="本月还没有收到稿件。"/);
  });

  it("keeps its table inside a clipping box, so a wide table does not widen the page", () => {
    const html = renderToStaticMarkup(<ChartFigure kind="byCategory" title="各栏目" data={[]} columns={[["栏目", () => ""]]} />);
    expect(html).toContain('<div class="sr-only"><table><caption>各栏目</caption>');
    expect(html).not.toContain('<table class="sr-only">');
  });
});
