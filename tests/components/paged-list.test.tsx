// A list's page past its last one (an old link, a typed address) is not an empty list: it says which
// pages there are and links back to the last one, and its 上一页 goes there too.
import { renderToStaticMarkup } from "react-dom/server";
import { StaticRouter } from "react-router-dom/server";
import { describe, expect, it } from "vitest";
import { PagedList } from "~/components/pager";

const render = (location: string, list: { rows: readonly unknown[]; pages: number; total: number }, page: number) =>
  renderToStaticMarkup(
    <StaticRouter location={location}>
      <PagedList list={list} page={page} empty="暂无符合条件的信息。">
        <ul><li>一行</li></ul>
      </PagedList>
    </StaticRouter>,
  );

describe("PagedList", () => {
  it.each([
    ["a page past the last", "/news?q=会议&page=999", { rows: [], pages: 211, total: 3163 }, 999, ["没有第 999 页：共 3163 条，只有 211 页。", 'href="/news?q=%E4%BC%9A%E8%AE%AE&amp;page=211">转到第 211 页', 'href="/news?q=%E4%BC%9A%E8%AE%AE&amp;page=211">上一页']],
    ["an empty list", "/news?q=zzz", { rows: [], pages: 1, total: 0 }, 1, ["暂无符合条件的信息。"]],
    ["a page with rows", "/news?page=2", { rows: [1], pages: 3, total: 45 }, 2, ["<li>一行</li>", 'href="/news">上一页', 'href="/news?page=3">下一页']],
  ] as const)("%s", (_name, location, list, page, expected) => {
    const html = render(location, list, page);
    for (const part of expected) expect(html).toContain(part);
  });

  it("does not call a page past the last one empty", () => {
    expect(render("/news?page=999", { rows: [], pages: 211, total: 3163 }, 999)).not.toContain("暂无符合条件的信息");
  });
});
