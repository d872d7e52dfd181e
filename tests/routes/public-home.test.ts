// The anonymous home: the latest adopted news and the latest published notices, nothing else.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as home from "~/routes/_index";
import { bodyOf, call, setupCounty, type County } from "../support/app";
import { insertItem } from "../support/item-fixtures";

let county: County;
const ids: Record<string, number> = {};

async function insertNotice(title: string, status: "draft" | "published", publishedAt: string | null, period: string) {
  const now = new Date().toISOString();
  const { id } = await county.dbs.db
    .insertInto("notices")
    .values({
      kind: "monthly", period, close_id: null, title, data_json: "{}", status, signer_name: status === "published" ? "张局长" : null,
      published_at: publishedAt, published_by: status === "published" ? county.ids.reviewer : null, docx_sha256: null,
      created_by: county.ids.reviewer, created_at: now, updated_at: now,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return id;
}

beforeAll(async () => {
  county = await setupCounty();
  const A = { unitId: county.units.A, createdBy: county.ids.correspondentA };
  ids.adopted = await insertItem(county.dbs.db, { ...A, status: "adopted", title: "公开：城关镇中心学校举办读书节" });
  ids.submitted = await insertItem(county.dbs.db, { ...A, status: "submitted", title: "未公开：待审核稿件" });
  ids.rejected = await insertItem(county.dbs.db, { ...A, status: "rejected", title: "未公开：不采用稿件" });
  ids.withdrawn = await insertItem(county.dbs.db, { ...A, status: "withdrawn", title: "未公开：已撤稿件" });
  ids.published = await insertNotice("关于2026年9月教育信息报送情况的通报", "published", "2026-10-08T02:00:00.000Z", "2026-09");
  ids.draft = await insertNotice("关于2026年10月教育信息报送情况的通报（草稿）", "draft", null, "2026-10");
});
afterAll(async () => county.dbs.dispose());

describe("GET / for an anonymous visitor", () => {
  it("shows the latest adopted news linking to /news/:id and the published notices linking to /notices/:id", async () => {
    const res = await call(home.loader, county, { url: "/" });
    expect(res.status).toBe(200);
    const body = await bodyOf(res);
    expect(body.kind).toBe("public");
    const news = body.latest.news as Array<{ id: number; title: string; unitName: string }>;
    expect(news.map((n) => n.id)).toContain(ids.adopted);
    expect(news.find((n) => n.id === ids.adopted)).toMatchObject({ title: "公开：城关镇中心学校举办读书节", unitName: "城关镇中心学校" });
    for (const hidden of [ids.submitted, ids.rejected, ids.withdrawn]) expect(news.map((n) => n.id)).not.toContain(hidden);
    expect(body.latest.notices).toEqual([
      { id: ids.published, title: "关于2026年9月教育信息报送情况的通报", docNumber: expect.any(String), publishedAt: "2026-10-08T02:00:00.000Z", href: `/notices/${ids.published}` },
    ]);
  });

  it("carries nothing that is not public: no grades, reasons, reviewers or account ids", async () => {
    const text = JSON.stringify(await bodyOf(await call(home.loader, county, { url: "/" })));
    for (const word of ["grade", "reason", "decided_by", "created_by", "signer", "未公开"]) expect(text).not.toContain(word);
  });
});
