import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Grade, ItemStatus } from "../../db/schema";
import { NEWS_PAGE_SIZE } from "~/models/news.server";
import * as newsItem from "~/routes/news.$id";
import * as newsIndex from "~/routes/news._index";
import { bodyOf, call, setupCounty, type County } from "../support/app";

let county: County;
let categories: Record<string, number>;
const ids: Record<string, number> = {};

const REASON = "内容与本月重点工作无关，暂不采用";
const WITHDRAW_REASON = "照片涉及未成年人肖像，已撤下";

async function insertItem(spec: {
  key: string;
  unit: "A" | "B";
  status: ItemStatus;
  title: string;
  category: string;
  decidedAt?: string;
  body?: string;
  photos?: Array<{ caption: string; sort: number }>;
}) {
  const db = county.dbs.db;
  const now = new Date().toISOString();
  const author = spec.unit === "A" ? county.ids.correspondentA : county.ids.correspondentB;
  const decided = spec.status === "adopted" || spec.status === "withdrawn" || spec.status === "rejected";
  const graded = spec.status === "adopted" || spec.status === "withdrawn";
  const { id } = await db
    .insertInto("items")
    .values({
      unit_id: county.units[spec.unit], title: spec.title, body: spec.body ?? `${spec.title}。\n\n第二段内容。`,
      category_id: categories[spec.category], event_date: "2026-03-01", status: spec.status,
      report_month: spec.status === "draft" || spec.status === "pending_school" ? null : "2026-03",
      first_submitted_at: spec.status === "draft" ? null : "2026-03-02T01:00:00.000Z",
      submitted_at: spec.status === "draft" ? null : "2026-03-02T01:00:00.000Z",
      grade: graded ? ("excellent" as Grade) : null,
      decided_at: decided ? (spec.decidedAt ?? "2026-03-03T02:00:00.000Z") : null,
      decided_by: decided ? county.ids.reviewer : null,
      last_reason: spec.status === "rejected" ? REASON : spec.status === "withdrawn" ? WITHDRAW_REASON : "",
      confidential_checked: 1, created_by: author, created_at: now, updated_at: now,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  await db.insertInto("item_bylines").values({ item_id: id, account_id: author }).execute();
  if (decided) {
    await db
      .insertInto("review_events")
      .values({
        item_id: id, actor_id: county.ids.reviewer, action: spec.status === "rejected" ? "reject" : "adopt", from_status: "submitted",
        to_status: spec.status === "rejected" ? "rejected" : "adopted", grade: graded ? "excellent" : null,
        reason: spec.status === "rejected" ? REASON : "", at: spec.decidedAt ?? "2026-03-03T02:00:00.000Z",
      })
      .execute();
  }
  for (const [i, p] of (spec.photos ?? []).entries()) {
    await db
      .insertInto("photos")
      .values({
        item_id: id, sha256: `${id}-${i}`.padEnd(64, "0"), mime: "image/jpeg", width: 1200, height: 800, bytes: 1000,
        caption: p.caption, sort_order: p.sort, created_at: now,
      })
      .execute();
  }
  ids[spec.key] = id;
  return id;
}

beforeAll(async () => {
  county = await setupCounty();
  const rows = await county.dbs.db.selectFrom("categories").select(["id", "name"]).execute();
  categories = Object.fromEntries(rows.map((r) => [r.name, r.id]));
  // Two bylines on the first item.
  await insertItem({
    key: "party", unit: "A", status: "adopted", title: "城关镇中心学校开展主题党日活动", category: "党建工作",
    decidedAt: "2026-03-10T02:00:00.000Z",
    body: "3月8日，城关镇中心学校党支部组织全体党员教师开展主题党日活动，\n重温入党誓词。".repeat(3),
    photos: [{ caption: "第二张", sort: 2 }, { caption: "重温入党誓词", sort: 1 }],
  });
  await county.dbs.db.insertInto("item_bylines").values({ item_id: ids.party, account_id: county.ids.leadA }).execute();
  await insertItem({ key: "safety", unit: "A", status: "adopted", title: "城关镇中心学校举行消防疏散演练", category: "平安建设", decidedAt: "2026-03-20T02:00:00.000Z" });
  await insertItem({ key: "bParty", unit: "B", status: "adopted", title: "县实验小学党员志愿服务进社区", category: "党建工作", decidedAt: "2026-02-15T02:00:00.000Z" });
  await insertItem({ key: "withdrawn", unit: "A", status: "withdrawn", title: "已撤稿的运动会报道", category: "综合", decidedAt: "2026-03-25T02:00:00.000Z" });
  await insertItem({ key: "rejected", unit: "B", status: "rejected", title: "未采用的读书活动", category: "综合", decidedAt: "2026-03-26T02:00:00.000Z" });
  await insertItem({ key: "submitted", unit: "A", status: "submitted", title: "待审核的家长会", category: "综合" });
  await insertItem({ key: "draft", unit: "A", status: "draft", title: "草稿：教研活动", category: "综合" });
});
afterAll(async () => county.dbs.dispose());

const titles = (body: { list: { rows: Array<{ title: string }> } }) => body.list.rows.map((r) => r.title);

describe("GET /news", () => {
  it("is open to anonymous visitors and lists adopted items only, newest adoption first", async () => {
    const res = await call(newsIndex.loader, county, { url: "/news" });
    expect(res.status).toBe(200);
    const body = await bodyOf(res);
    expect(titles(body)).toEqual(["城关镇中心学校举行消防疏散演练", "城关镇中心学校开展主题党日活动", "县实验小学党员志愿服务进社区"]);
    expect(body.list.total).toBe(3);
    expect(body.list.pages).toBe(1);
  });

  it("gives each entry its unit, category, adoption date, first photo and a one-line excerpt", async () => {
    const body = await bodyOf(await call(newsIndex.loader, county, { url: "/news" }));
    const party = body.list.rows.find((r: { id: number }) => r.id === ids.party);
    const firstPhoto = await county.dbs.db.selectFrom("photos").select("id").where("item_id", "=", ids.party).where("caption", "=", "重温入党誓词").executeTakeFirstOrThrow();
    expect(party).toEqual({
      id: ids.party, title: "城关镇中心学校开展主题党日活动", unit_name: "城关镇中心学校", category: "党建工作",
      adopted_at: "2026-03-10T02:00:00.000Z", photo_id: firstPhoto.id, excerpt: expect.any(String),
    });
    expect(party.excerpt).not.toMatch(/\n/);
    expect(party.excerpt.startsWith("3月8日，城关镇中心学校党支部组织全体党员教师开展主题党日活动， 重温入党誓词。")).toBe(true);
    expect(party.excerpt.endsWith("…")).toBe(true);
    expect(body.list.rows.find((r: { id: number }) => r.id === ids.safety).photo_id).toBeNull();
  });

  it("filters by category and by unit from the URL, and offers only units with published items", async () => {
    const byCategory = await bodyOf(await call(newsIndex.loader, county, { url: `/news?category=${categories["党建工作"]}` }));
    expect(titles(byCategory)).toEqual(["城关镇中心学校开展主题党日活动", "县实验小学党员志愿服务进社区"]);
    expect(byCategory.filters.category).toBe(categories["党建工作"]);
    const both = await bodyOf(await call(newsIndex.loader, county, { url: `/news?category=${categories["党建工作"]}&unit=${county.units.B}` }));
    expect(titles(both)).toEqual(["县实验小学党员志愿服务进社区"]);
    const byUnit = await bodyOf(await call(newsIndex.loader, county, { url: `/news?unit=${county.units.A}` }));
    expect(titles(byUnit)).toEqual(["城关镇中心学校举行消防疏散演练", "城关镇中心学校开展主题党日活动"]);
    // Nothing adopted in 综合 (the withdrawn and rejected items are there).
    const none = await bodyOf(await call(newsIndex.loader, county, { url: `/news?category=${categories["综合"]}` }));
    expect(none.list.rows).toEqual([]);
    // Rubbish in the URL is ignored, not an error.
    const rubbish = await bodyOf(await call(newsIndex.loader, county, { url: "/news?category=abc&unit=99999&page=-1" }));
    expect(rubbish.filters).toEqual({ category: null, unit: null, channel: null, month: null, q: "" });
    expect(rubbish.list.total).toBe(3);
    expect(byUnit.unitFilter.mode).toBe("select");
    expect(byUnit.unitFilter.units.map((u: { name: string }) => u.name)).toEqual(["城关镇中心学校", "县实验小学"]);
    expect(byUnit.options.categories).toHaveLength(10);
  });

  it("tells an anonymous visitor nothing that is not public", async () => {
    const text = JSON.stringify(await bodyOf(await call(newsIndex.loader, county, { url: "/news" })));
    for (const secret of ["excellent", "grade", "赵审核", "decided_by", "reason", REASON, WITHDRAW_REASON, "已撤稿的运动会报道", "未采用的读书活动", "待审核的家长会", "草稿", "points", "report_month", "late"]) {
      expect(text, secret).not.toContain(secret);
    }
  });

  it(`pages ${NEWS_PAGE_SIZE} to a page`, async () => {
    for (let i = 0; i < NEWS_PAGE_SIZE; i++) {
      await insertItem({
        key: `page${i}`, unit: "B", status: "adopted", title: `分页稿件${String(i).padStart(2, "0")}`, category: "典型引路",
        decidedAt: new Date(Date.UTC(2026, 0, 1 + i)).toISOString(),
      });
    }
    const first = await bodyOf(await call(newsIndex.loader, county, { url: "/news" }));
    expect(first.list.total).toBe(NEWS_PAGE_SIZE + 3);
    expect(first.list.pages).toBe(2);
    expect(first.list.rows).toHaveLength(NEWS_PAGE_SIZE);
    const second = await bodyOf(await call(newsIndex.loader, county, { url: "/news?page=2" }));
    // The oldest adoptions come last.
    expect(titles(second)).toEqual(["分页稿件02", "分页稿件01", "分页稿件00"]);
    const filtered = await bodyOf(await call(newsIndex.loader, county, { url: `/news?category=${categories["典型引路"]}&page=2` }));
    expect(titles(filtered)).toEqual([]);
    expect(filtered.list.pages).toBe(1);
  });
});

describe("GET /news/:id", () => {
  it("shows an adopted item to anyone: title, unit, category, adoption date, bylines, body and photos in order", async () => {
    for (const user of [undefined, "correspondentB", "reviewer"] as const) {
      const res = await call(newsItem.loader, county, { url: `/news/${ids.party}`, params: { id: String(ids.party) }, user });
      expect(res.status).toBe(200);
    }
    const body = await bodyOf(await call(newsItem.loader, county, { url: `/news/${ids.party}`, params: { id: String(ids.party) } }));
    expect(body.item).toMatchObject({
      id: ids.party, title: "城关镇中心学校开展主题党日活动", unit_name: "城关镇中心学校", unit_id: county.units.A,
      category: "党建工作", adopted_at: "2026-03-10T02:00:00.000Z",
    });
    expect(body.item.body).toContain("重温入党誓词");
    expect(body.bylines).toEqual(["张晓梅", "王校长"].sort((a, b) => (a < b ? -1 : 1)));
    expect(body.photos.map((p: { caption: string }) => p.caption)).toEqual(["重温入党誓词", "第二张"]);
    expect(Object.keys(body.photos[0]).sort()).toEqual(["caption", "height", "id", "width"]);
  });

  it("keeps grades, reasons, reviewers and history out of the page's data", async () => {
    const text = JSON.stringify(await bodyOf(await call(newsItem.loader, county, { url: `/news/${ids.party}`, params: { id: String(ids.party) } })));
    for (const secret of ["excellent", "grade", "赵审核", "decided_by", "reason", "history", "points", "report_month", "created_by", "phone", "13800000000"]) {
      expect(text, secret).not.toContain(secret);
    }
  });

  it("answers 404 with a polite message for a withdrawn, rejected, submitted, draft, missing or malformed item", async () => {
    for (const key of ["withdrawn", "rejected", "submitted", "draft"]) {
      for (const user of [undefined, "correspondentA", "reviewer"] as const) {
        const res = await call(newsItem.loader, county, { url: `/news/${ids[key]}`, params: { id: String(ids[key]) }, user });
        expect(res.status, `${key} as ${user ?? "anonymous"}`).toBe(404);
        expect(await bodyOf(res)).toEqual({ ok: false, formError: "该信息已撤下或不存在。", fieldErrors: {}, values: {} });
      }
    }
    for (const id of ["999999", "abc", "0", "-1", "1.5"]) {
      const res = await call(newsItem.loader, county, { url: `/news/${id}`, params: { id } });
      expect(res.status, id).toBe(404);
    }
  });

  it("takes an item down from the list and its page once it is withdrawn", async () => {
    await county.dbs.db.updateTable("items").set({ status: "withdrawn", last_reason: WITHDRAW_REASON }).where("id", "=", ids.safety).execute();
    const list = await bodyOf(await call(newsIndex.loader, county, { url: `/news?unit=${county.units.A}` }));
    expect(titles(list)).toEqual(["城关镇中心学校开展主题党日活动"]);
    expect((await call(newsItem.loader, county, { url: `/news/${ids.safety}`, params: { id: String(ids.safety) } })).status).toBe(404);
  });
});
