// Keyword search on the three lists: the public news (adopted items only), a unit's own items,
// and the review queue. The index itself is checked against a scan in tests/models/search.test.ts.
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ItemStatus } from "../../db/schema";
import { SHORT_SCAN_LIMIT } from "~/domain/search";
import * as itemsIndex from "~/routes/items._index";
import * as newsIndex from "~/routes/news._index";
import * as reviewQueue from "~/routes/review._index";
import { bodyOf, call, setupCounty, type County, type UserKey } from "../support/app";
import { insertItem } from "../support/item-fixtures";

let county: County;
const ids: Record<string, number> = {};
let channels: Array<{ id: number; name: string }>;
let categories: Array<{ id: number; name: string }>;

type Row = { id: number; title: string; marks?: { title: Segment[]; excerpt: Segment[] } };
type Segment = { text: string; hit: boolean };
const idsOf = (body: { list?: { rows: Row[] }; rows?: Row[] }) => (body.list?.rows ?? body.rows)!.map((r) => r.id);
const hits = (segments: Segment[]) => segments.filter((s) => s.hit).map((s) => s.text);

async function item(key: string, unit: "A" | "B", status: ItemStatus, title: string, body: string, reportMonth = "2026-03") {
  ids[key] = await insertItem(county.dbs.db, {
    unitId: county.units[unit], createdBy: unit === "A" ? county.ids.correspondentA : county.ids.correspondentB,
    status, title, body, reportMonth: status === "draft" && key.startsWith("own") ? null : status === "pending_school" ? null : reportMonth,
    firstSubmittedAt: status === "draft" && key.startsWith("own") ? null : status === "pending_school" ? null : `${reportMonth}-05T01:00:00.000Z`,
  });
}

beforeAll(async () => {
  county = await setupCounty();
  channels = await county.dbs.db.selectFrom("channels").select(["id", "name"]).orderBy("sort_order").execute();
  categories = await county.dbs.db.selectFrom("categories").select(["id", "name"]).orderBy("sort_order").execute();
  expect(channels.length).toBeGreaterThan(1);
  // 读书节 in the title ranks above 读书节 only in the body.
  await item("titleHit", "A", "adopted", "城关镇中心学校举办读书节", "全校师生参加了开幕式。");
  await item("bodyHit", "B", "adopted", "县实验小学春季开学", "开学第一周，学校还筹备了读书节等活动。", "2026-04");
  await item("other", "A", "adopted", "消防疏散演练", "全体师生有序撤离。");
  // The same word in items that are not public.
  await item("submitted", "A", "submitted", "待审核：读书节总结", "读书节");
  await item("rejected", "B", "rejected", "不采用：读书节", "读书节");
  await item("withdrawn", "A", "withdrawn", "已撤稿：读书节", "读书节");
  await item("returned", "A", "draft", "退回修改：读书节", "读书节");
  await item("ownDraft", "A", "draft", "草稿：读书节方案", "读书节");
  await item("pending", "A", "pending_school", "待签发：读书节", "读书节");
  // Markup in an item stays text.
  await item("markup", "A", "adopted", "<b>读书节</b><script>alert(1)</script>", "<img src=x onerror=alert(1)>读书节");
  await county.dbs.db.updateTable("items").set({ channel_id: channels[1].id, category_id: categories[1].id }).where("id", "=", ids.bodyHit).execute();
});
afterAll(async () => county.dbs.dispose());

const news = async (query: string) => {
  const res = await call(newsIndex.loader, county, { url: `/news?${query}` });
  expect(res.status).toBe(200);
  return bodyOf(res);
};
const q = (text: string) => `q=${encodeURIComponent(text)}`;

describe("GET /news?q=", () => {
  it("finds adopted items only, title hits first, with the hits marked", async () => {
    const body = await news(q("读书节"));
    expect(new Set(idsOf(body))).toEqual(new Set([ids.titleHit, ids.markup, ids.bodyHit]));
    // Ranked: both title hits before the body-only hit.
    expect(idsOf(body)[2]).toBe(ids.bodyHit);
    expect(body.list.total).toBe(3);
    expect(body.filters.q).toBe("读书节");
    const title = body.list.rows.find((r: Row) => r.id === ids.titleHit);
    expect(title.marks.title).toEqual([{ text: "城关镇中心学校举办", hit: false }, { text: "读书节", hit: true }]);
    const inBody = body.list.rows.find((r: Row) => r.id === ids.bodyHit);
    expect(hits(inBody.marks.title)).toEqual([]);
    expect(hits(inBody.marks.excerpt)).toEqual(["读书节"]);
    expect(body.note).toBeNull();
  });

  it("keeps markup in an item as text segments", async () => {
    const body = await news(q("读书节"));
    const markup = body.list.rows.find((r: Row) => r.id === ids.markup);
    expect(markup.marks.title).toEqual([
      { text: "<b>", hit: false }, { text: "读书节", hit: true }, { text: "</b><script>alert(1)</script>", hit: false },
    ]);
  });

  it("combines the keyword with channel, category, unit and month from the URL", async () => {
    expect(idsOf(await news(`${q("读书节")}&unit=${county.units.B}`))).toEqual([ids.bodyHit]);
    expect(idsOf(await news(`${q("读书节")}&channel=${channels[1].id}`))).toEqual([ids.bodyHit]);
    expect(idsOf(await news(`${q("读书节")}&category=${categories[1].id}`))).toEqual([ids.bodyHit]);
    expect(idsOf(await news(`${q("读书节")}&month=2026-04`))).toEqual([ids.bodyHit]);
    expect(idsOf(await news(`${q("读书节")}&month=2026-03&unit=${county.units.A}`)).sort()).toEqual([ids.titleHit, ids.markup].sort());
    // Without a keyword the filters work alone, newest adoption first as before.
    const byChannel = await news(`channel=${channels[0].id}`);
    expect(new Set(idsOf(byChannel))).toEqual(new Set([ids.titleHit, ids.other, ids.markup]));
    const april = await news("month=2026-04");
    expect(idsOf(april)).toEqual([ids.bodyHit]);
    expect(april.filters).toEqual({ category: null, unit: null, channel: null, month: "2026-04", q: "" });
    expect(april.options.months).toEqual(["2026-04", "2026-03"]);
    // A month with nothing published, or a channel that does not exist, is ignored.
    const rubbish = await news("month=2026-05&channel=99999");
    expect(rubbish.filters).toEqual({ category: null, unit: null, channel: null, month: null, q: "" });
    expect(rubbish.list.total).toBe(4);
  });

  it("finds words of one or two characters by a scan, and says so", async () => {
    const body = await news(q("消防"));
    expect(idsOf(body)).toEqual([ids.other]);
    expect(body.note).toContain(`最近 ${SHORT_SCAN_LIMIT} 篇`);
    expect(hits(body.list.rows[0].marks.title)).toEqual(["消防"]);
    // A long word and a short one: both must be there.
    expect(idsOf(await news(q("读书节 开学")))).toEqual([ids.bodyHit]);
  });

  it("tells an anonymous visitor nothing about items that are not public", async () => {
    const text = JSON.stringify(await news(q("读书节")));
    for (const secret of ["待审核", "不采用", "已撤稿", "退回修改", "草稿", "待签发", "grade", "report_month", "reason"]) {
      expect(text, secret).not.toContain(secret);
    }
  });
});

describe("GET /items?q=", () => {
  it("searches titles and bodies of the unit's own items only, every status", async () => {
    const a = await bodyOf(await call(itemsIndex.loader, county, { url: `/items?${q("读书节")}`, user: "correspondentA" }));
    expect(new Set(idsOf(a))).toEqual(
      new Set([ids.titleHit, ids.markup, ids.submitted, ids.withdrawn, ids.returned, ids.ownDraft, ids.pending]),
    );
    expect(a.note).toBeNull();
    const b = await bodyOf(await call(itemsIndex.loader, county, { url: `/items?${q("读书节")}`, user: "correspondentB" }));
    expect(new Set(idsOf(b))).toEqual(new Set([ids.bodyHit, ids.rejected]));
    // A word only in the body.
    const bodyOnly = await bodyOf(await call(itemsIndex.loader, county, { url: `/items?${q("有序撤离")}`, user: "leadA" }));
    expect(idsOf(bodyOnly)).toEqual([ids.other]);
    expect(hits(bodyOnly.list.rows[0].marks.excerpt)).toEqual(["有序撤离"]);
    // Unit B's body word is not found from unit A.
    const notMine = await bodyOf(await call(itemsIndex.loader, county, { url: `/items?${q("筹备了")}`, user: "correspondentA" }));
    expect(notMine.list.rows).toEqual([]);
  });

  it("combines the keyword with the status filter", async () => {
    const drafts = await bodyOf(await call(itemsIndex.loader, county, { url: `/items?${q("读书节")}&status=draft`, user: "correspondentA" }));
    expect(new Set(idsOf(drafts))).toEqual(new Set([ids.returned, ids.ownDraft]));
  });
});

describe("GET /review?q=", () => {
  const queue = async (query: string) => {
    const res = await call(reviewQueue.loader, county, { url: `/review?${query}`, user: "reviewer" });
    expect(res.status).toBe(200);
    return bodyOf(res);
  };

  it("searches what reached the bureau, ranked, never a school's own drafts", async () => {
    const all = await queue(`${q("读书节")}&status=all`);
    expect(new Set(idsOf(all))).toEqual(
      new Set([ids.titleHit, ids.bodyHit, ids.markup, ids.submitted, ids.rejected, ids.withdrawn, ids.returned]),
    );
    expect(all.filters).toMatchObject({ q: "读书节", sort: "relevance" });
    expect(idsOf(all).at(-1)).toBe(ids.bodyHit);
    const waiting = await queue(q("读书节"));
    expect(idsOf(waiting)).toEqual([ids.submitted]);
    expect(hits(waiting.rows[0].marks.title)).toEqual(["读书节"]);
    const byUnit = await queue(`${q("读书节")}&status=all&unit=${county.units.B}&sort=title`);
    expect(byUnit.filters.sort).toBe("title");
    expect(new Set(idsOf(byUnit))).toEqual(new Set([ids.bodyHit, ids.rejected]));
  });

  it("is for reviewers only", async () => {
    const res = await call(reviewQueue.loader, county, { url: `/review?${q("读书节")}`, user: "correspondentA" });
    expect(res.status).toBe(403);
  });
});

describe("hostile search text", () => {
  const inputs = [
    '"', '""', '"读书节', "NEAR", "NEAR(读书 节)", "读书节 NEAR 开学", "*", "读书*", "读书节*", "a OR b", "NOT 读书节", "-读书节", "^读书节",
    "title:读书节", "'; drop table items; --", "%", "_", "\\", "(((", "读书节)", "\u0000", "\ue000读书节\ue001", "长".repeat(5000), "😀😀😀",
  ];
  const users: UserKey[] = ["correspondentA", "reviewer"];
  it.each(inputs.map((s) => [s.length > 20 ? `${s.slice(0, 10)}…(${s.length})` : s, s]))("%s answers normally on every list", async (_label, text) => {
    const query = q(text);
    expect((await call(newsIndex.loader, county, { url: `/news?${query}` })).status).toBe(200);
    expect((await call(itemsIndex.loader, county, { url: `/items?${query}`, user: users[0] })).status).toBe(200);
    expect((await call(reviewQueue.loader, county, { url: `/review?${query}&status=all`, user: users[1] })).status).toBe(200);
  });

  it("reads operators and quotes as the characters they are", async () => {
    expect(idsOf(await news(q("读书节 OR 消防疏散")))).toEqual([]);
    expect(idsOf(await news(q("NOT 消防疏散")))).toEqual([]);
    expect(idsOf(await news(q("读书*")))).toEqual([]);
    expect(idsOf(await news(q('"读书节"')))).toEqual([]);
    expect(idsOf(await news(q("<b>读书节</b>")))).toEqual([ids.markup]);
    const count = await sql<{ n: number }>`select count(*) as n from items`.execute(county.dbs.db);
    expect(Number(count.rows[0].n)).toBe(Object.keys(ids).length);
  });
});

describe("a short word's scan is bounded", () => {
  it(`looks through the ${SHORT_SCAN_LIMIT} most recent items only, while a 3+ character word finds every item`, async () => {
    await item("old", "A", "adopted", "白鹤亭小学开展研学", "研学。");
    // SHORT_SCAN_LIMIT newer adopted items, all after it.
    await sql`with recursive n(i) as (select 1 union all select i + 1 from n where i < ${SHORT_SCAN_LIMIT})
      insert into items (unit_id, title, body, category_id, channel_id, event_date, status, report_month, first_submitted_at,
        submitted_at, grade, decided_at, confidential_checked, created_by, created_at, updated_at)
      select ${county.units.B}, '新闻 ' || i, '正文', ${categories[0].id}, ${channels[0].id}, '2026-03-01', 'adopted', '2026-03',
        '2026-03-05T01:00:00.000Z', '2026-03-05T01:00:00.000Z', 'good', '2026-03-06T01:00:00.000Z', 1,
        ${county.ids.correspondentB}, '2026-03-05T01:00:00.000Z', '2026-03-05T01:00:00.000Z' from n`.execute(county.dbs.db);
    const short = await news(q("白鹤"));
    expect(short.list.rows).toEqual([]);
    expect(short.note).toContain(`最近 ${SHORT_SCAN_LIMIT} 篇`);
    expect(idsOf(await news(q("白鹤亭")))).toEqual([ids.old]);
    // Within a unit's own (smaller) list the short scan still reaches it.
    const own = await bodyOf(await call(itemsIndex.loader, county, { url: `/items?${q("白鹤")}`, user: "correspondentA" }));
    expect(idsOf(own)).toEqual([ids.old]);
  });
});
