// The demo county's published history read as a bureau would sign it: no unit on both lists of a
// notice, a handful of criticised units rather than half the county, late items the exception,
// and every notice's channel figures adding up to its totals.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AUDIT_ACTIONS } from "~/domain/audit-actions";
import type { AnnualBody, MonthlyBody, NoticeDocument } from "~/domain/notices";
import { setupDemoCounty } from "../support/demo";
import type { County } from "../support/app";

let county: County;
let docs: Array<{ period: string; kind: string; doc: NoticeDocument }>;

beforeAll(async () => {
  ({ county } = await setupDemoCounty());
  const rows = await county.dbs.db.selectFrom("notices").select(["period", "kind", "data_json"]).where("status", "=", "published").execute();
  docs = rows.map((r) => ({ period: r.period, kind: r.kind, doc: JSON.parse(r.data_json) as NoticeDocument }));
}, 120_000);
afterAll(() => county?.dbs.close());

describe("the demo county's published notices", () => {
  it("has published notices to check", () => {
    expect(docs.filter((d) => d.kind === "monthly").length).toBeGreaterThanOrEqual(10);
    expect(docs.filter((d) => d.kind === "annual").length).toBeGreaterThanOrEqual(1);
  });

  it("never names a unit on both lists of one notice", () => {
    for (const { period, doc } of docs) {
      const criticised = new Set(doc.body.criticised.map((e) => e.unitId));
      expect(doc.body.commended.filter((e) => criticised.has(e.unitId)).map((e) => e.name), period).toEqual([]);
    }
  });

  it("criticises at most a quarter of the units in any monthly notice", () => {
    const counts = docs.filter((d) => d.kind === "monthly").map((d) => [d.period, d.doc.body.criticised.length, (d.doc.body as MonthlyBody).figures.units] as const);
    for (const [period, n, units] of counts) expect(n, period).toBeLessThanOrEqual(units / 4);
    // …and not nobody: the rules still bite in a real county.
    expect(counts.some(([, n]) => n > 0)).toBe(true);
  });

  it("has late items as the exception (about 3 % of what reached the bureau)", async () => {
    const rows = await county.dbs.db.selectFrom("items").select(["late"]).where("first_submitted_at", "is not", null).execute();
    const share = rows.filter((r) => r.late === 1).length / rows.length;
    expect(share).toBeGreaterThan(0.015);
    expect(share).toBeLessThan(0.05);
  });

  it("counts every channel in every monthly notice, the channels adding up to the totals", () => {
    for (const { period, kind, doc } of docs) {
      if (kind !== "monthly") continue;
      const body = doc.body as MonthlyBody;
      expect(body.channels?.map((c) => c.name), period).toEqual(["教育信息网", "教育网"]);
      const sum = (f: "submitted" | "adopted") => body.channelTotals!.reduce((a, c) => a + c[f], 0);
      expect(sum("submitted"), period).toBe(body.figures.submitted);
      expect(sum("adopted"), period).toBe(body.figures.adopted);
      for (const row of body.tables.flatMap((t) => t.rows)) {
        expect(row.channels!.reduce((a, c) => a + c.submitted, 0), `${period} ${row.name}`).toBe(row.submitted);
        expect(row.channels!.reduce((a, c) => a + c.adopted, 0), `${period} ${row.name}`).toBe(row.adopted);
      }
    }
  });

  it("year-end summaries commend only units that met their quota in enough months, per channel month by month", () => {
    for (const { period, kind, doc } of docs) {
      if (kind !== "annual") continue;
      const body = doc.body as AnnualBody;
      const rows = new Map(body.tables.flatMap((t) => t.rows).map((r) => [r.unitId, r]));
      for (const e of body.commended) expect(rows.get(e.unitId)!.met, `${period} ${e.name}`).toBeGreaterThanOrEqual(body.thresholds.yearCommendMinMonthsMet);
      const months = body.channelMonths!;
      expect(months.map((m) => m.month)).toEqual(body.months);
      const submitted = months.reduce((a, m) => a + m.counts.reduce((b, c) => b + c.submitted, 0), 0);
      expect(submitted).toBe(body.figures.submitted);
    }
  });

  it("writes only audit actions that have a Chinese label", async () => {
    const codes = await county.dbs.db.selectFrom("audit_events").select("action").distinct().execute();
    expect(codes.length).toBeGreaterThan(2);
    expect(codes.map((c) => c.action).filter((a) => !(a in AUDIT_ACTIONS))).toEqual([]);
  });

  it("signs with the demo county's own names", () => {
    for (const { period, doc } of docs) {
      expect(doc.header.issuer, period).toBe("临溪县教育和体育局办公室");
      expect(doc.header.letterhead, period).toBe("临溪县教育和体育局办公室");
      expect(doc.header.docNumber, period).toMatch(/^临教体办〔\d{4}〕\d+号$/);
    }
  });
});
