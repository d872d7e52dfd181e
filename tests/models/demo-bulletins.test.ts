// The demo county's 简报: one published issue per closed month, 4–8 adopted items of that month
// (优 first), some rewritten with the original kept, numbered 1, 2, 3… within each year, each item
// picked up once by 县教育信息简报 before its month closed (so the snapshot counts it), and the
// monthly notice naming the issues published in its month.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BULLETIN_OUTLET } from "~/domain/bulletins";
import type { MonthlyBody, NoticeDocument } from "~/domain/notices";
import { noticeOutline } from "~/domain/notices";
import { shanghaiMidnight, addMonths } from "~/domain/time";
import { setupDemoCounty } from "../support/demo";
import type { County } from "../support/app";

let county: County;
let closedMonths: string[];
const db = () => county.dbs.db;

beforeAll(async () => {
  ({ county, closedMonths } = (await setupDemoCounty()) as unknown as { county: County; closedMonths: string[] });
  if (!closedMonths) closedMonths = (await db().selectFrom("month_closes").select("month").orderBy("month").execute()).map((r) => r.month);
}, 120_000);
afterAll(() => county?.dbs.close());

describe("the demo county's 简报", () => {
  it("publishes one issue for every closed month, 4–8 adopted items of that month, 优 first", async () => {
    const bulletins = await db().selectFrom("bulletins").selectAll().where("status", "=", "published").orderBy("published_at").execute();
    expect(bulletins).toHaveLength(closedMonths.length);
    for (const [i, b] of bulletins.entries()) {
      const month = closedMonths[i];
      expect(b.published_at! >= shanghaiMidnight(`${addMonths(month, 1)}-01`)).toBe(true);
      const items = await db()
        .selectFrom("bulletin_items")
        .innerJoin("items", "items.id", "bulletin_items.item_id")
        .select(["items.report_month", "items.status", "items.grade"])
        .where("bulletin_id", "=", b.id)
        .execute();
      expect(items.length).toBeGreaterThanOrEqual(4);
      expect(items.length).toBeLessThanOrEqual(8);
      for (const it of items) expect([it.report_month, it.status]).toEqual([month, "adopted"]);
      expect(items.filter((x) => x.grade === "excellent").length).toBeGreaterThan(0);
      expect(b.docx_sha256).toMatch(/^[0-9a-f]{64}$/);
    }
  });

  it("numbers the issues 1, 2, 3… within each year", async () => {
    const rows = await db().selectFrom("bulletins").select(["year", "number"]).where("status", "=", "published").orderBy("published_at").execute();
    const byYear = new Map<number, number[]>();
    for (const r of rows) byYear.set(r.year, [...(byYear.get(r.year) ?? []), r.number]);
    expect(byYear.size).toBeGreaterThanOrEqual(2);
    for (const numbers of byYear.values()) expect(numbers).toEqual(numbers.map((_, i) => i + 1));
  });

  it("rewrites some items for the bulletin and keeps the school's original", async () => {
    const rows = await db().selectFrom("bulletin_items").innerJoin("items", "items.id", "bulletin_items.item_id")
      .select(["bulletin_items.title", "bulletin_items.body", "original_title", "original_body", "items.title as itemTitle", "items.body as itemBody"]).execute();
    const edited = rows.filter((r) => r.title !== r.original_title || r.body !== r.original_body);
    expect(edited.length).toBeGreaterThanOrEqual(closedMonths.length);
    expect(edited.length).toBeLessThan(rows.length / 2);
    for (const r of rows) expect([r.original_title, r.original_body]).toEqual([r.itemTitle, r.itemBody]);
  });

  it("records one pickup per included item, counted in the month's frozen snapshot", async () => {
    const included = await db().selectFrom("bulletin_items").select("item_id").execute();
    const pickups = await db().selectFrom("pickups").select(["item_id", "tier", "url"]).where("outlet", "=", BULLETIN_OUTLET).execute();
    expect(pickups.map((p) => p.item_id).sort((a, b) => a - b)).toEqual(included.map((i) => i.item_id).sort((a, b) => a - b));
    for (const p of pickups) expect([p.tier, p.url]).toEqual(["county", expect.stringMatching(/^\/bulletins\/\d+$/)]);
    // Each was recorded before its item's month closed, so the month's frozen snapshot counts it.
    const rows = await db().selectFrom("pickups").innerJoin("items", "items.id", "pickups.item_id")
      .innerJoin("month_closes as c", "c.month", "items.report_month")
      .select(["pickups.created_at", "c.closed_at"]).where("pickups.outlet", "=", BULLETIN_OUTLET).where("c.reopened_at", "is", null).execute();
    expect(rows).toHaveLength(pickups.length);
    for (const r of rows) expect(r.created_at < r.closed_at).toBe(true);
  });

  it("names the issues published in a month in that month's notice", async () => {
    const notices = await db().selectFrom("notices").select(["period", "data_json"]).where("kind", "=", "monthly").where("status", "=", "published").orderBy("period").execute();
    const mentioning = notices.filter((n) => {
      const doc = JSON.parse(n.data_json) as NoticeDocument;
      const body = doc.body as MonthlyBody;
      return body.bulletins && noticeOutline(doc).some((b) => b.type === "paragraph" && /^本月编发《临溪县教育信息》第\d+期，收录 \d+ 个单位 \d+ 条信息。$/.test(b.text));
    });
    // Every month but the first closed one had the previous month's issue published in it.
    expect(mentioning.map((n) => n.period)).toEqual(closedMonths.slice(1));
  });
});
