// The anonymous home page as a visitor reads it: the introduction in one run of Chinese (no stray
// space where the source line breaks), and each entry's date kept on one line.
import { renderToStaticMarkup } from "react-dom/server";
import { StaticRouter } from "react-router-dom/server";
import { describe, expect, it } from "vitest";
import { PublicHome, type PublicLatest } from "~/components/public-home";

const latest: PublicLatest = {
  news: [{ id: 1, title: "城关镇中心学校举办读书节", unitName: "城关镇中心学校", adoptedAt: "2026-12-05T16:30:00.000Z" }],
  notices: [{ id: 2, title: "关于2026年10月全县教育信息报送情况的通报", href: "/notices/2", docNumber: "临教体办〔2026〕12号", publishedAt: "2026-11-05T02:00:00.000Z" }],
};

const html = () => renderToStaticMarkup(<StaticRouter location="/"><PublicHome latest={latest} /></StaticRouter>);

describe("the public home", () => {
  it("writes the introduction without a space after a Chinese comma", () => {
    const text = html().replace(/<[^>]+>/g, "");
    expect(text).toContain("审核采用后发布，每月按任务数统计完成情况并通报。");
    expect(text).not.toMatch(/[，。、] /);
  });

  it.each([
    ["a news item", "城关镇中心学校", "2026-12-06"],
    ["a notice", "临教体办〔2026〕12号", "2026-11-05"],
  ])("keeps %s's date on one line after its note", (_what, note, date) => {
    expect(html()).toContain(` ${note} · <span class="nowrap">${date}</span>`);
  });
});
