// The 简报 list names each issue with its year: numbers start again every year, and two issues
// called 第1期 (one of 2025, one of 2026) must not read alike. Through the page's loader and the
// page rendered from it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderPage } from "../support/render-page";
import * as indexRoute from "~/routes/bulletins._index";
import { bodyOf, call, setupCounty, type County, type UserKey } from "../support/app";

let county: County;

beforeAll(async () => {
  county = await setupCounty();
  const at = "2026-01-03T02:00:00.000Z";
  const issue = (year: number, number: number, issueDate: string, status: "draft" | "published") => ({
    year, number, name: "临溪县教育信息", editor_unit: "临溪县教育和体育局办公室", issue_date: issueDate, status,
    published_at: status === "published" ? at : null, published_by: status === "published" ? county.ids.reviewer : null,
    created_by: county.ids.reviewer, created_at: at, updated_at: at,
  });
  await county.dbs.db
    .insertInto("bulletins")
    .values([issue(2025, 1, "2025-12-03", "published"), issue(2026, 1, "2026-01-03", "published"), issue(2026, 2, "2026-02-03", "draft")])
    .execute();
}, 60_000);
afterAll(() => county.dbs.dispose());

const list = async (user?: UserKey) => bodyOf(await call(indexRoute.loader, county, { url: "/bulletins", user }));

/** The page as the server renders it for `user`, from its own loader's data. */
async function page(user?: UserKey): Promise<string> {
  const data = await list(user);
  return renderPage(indexRoute.default, data);
}

describe("the 简报 list", () => {
  it("names each published issue with its year, newest first", async () => {
    const d = await list();
    expect(d.published.map((b: { title: string; issueDate: string }) => [b.title, b.issueDate])).toEqual([
      ["《临溪县教育信息》2026年第1期", "2026-01-03"],
      ["《临溪县教育信息》2025年第1期", "2025-12-03"],
    ]);
  });

  it("names a draft with its year too", async () => {
    const d = await list("reviewer");
    expect(d.drafts.map((b: { title: string }) => b.title)).toEqual(["《临溪县教育信息》2026年第2期"]);
  });

  it("shows two issues numbered 第1期 apart on the page", async () => {
    const html = await page();
    expect(html).toContain("《临溪县教育信息》2026年第1期");
    expect(html).toContain("《临溪县教育信息》2025年第1期");
    expect(html).not.toMatch(/》第1期/);
  });

  it("offers each issue's Word file by a link that names the issue and is a full-size tap target", async () => {
    const html = await page();
    const links = [...html.matchAll(/<a [^>]*href="\/bulletins\/\d+\.docx"[^>]*>([^<]*)<\/a>/g)];
    expect(links.map((m) => m[1])).toEqual(["下载 Word", "下载 Word"]);
    expect(links.map((m) => /aria-label="([^"]*)"/.exec(m[0])?.[1])).toEqual([
      "下载 Word：《临溪县教育信息》2026年第1期", "下载 Word：《临溪县教育信息》2025年第1期",
    ]);
    for (const [a] of links) expect(a).toContain('class="tap-target"');
    expect(html).not.toContain(">Word<");
  });
});
