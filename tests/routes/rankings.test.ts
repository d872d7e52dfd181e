// The league tables against the demo county: every month's page agrees with an independent
// recomputation from the raw tables, the downloads carry the page's numbers, and the year to date
// is the sum of its months.
import { parse } from "csv-parse/sync";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Database } from "../../db/schema";
import type { Kysely } from "kysely";
import { DEFAULT_POINTS_RULES, type PointsRules } from "~/domain/catalog";
import { unitMonthReceipt } from "~/domain/points";
import { movement, movementText, rankUnits, type Movement, type RankableUnit } from "~/domain/ranking";
import { versionFor } from "~/domain/rule-versions";
import { addMonths } from "~/domain/time";
import type { PortalContext } from "~/lib/context";
import { commitSessionId } from "~/lib/session.server";
import { login } from "~/models/auth.server";
import { seedDemo } from "~/models/demo.server";
import { hashPassword } from "~/models/password.server";
import * as exportRoute from "~/routes/rankings.$period.export";
import * as periodRoute from "~/routes/rankings.$period";
import * as indexRoute from "~/routes/rankings._index";
import { freshDatabases } from "../support/db";
import { recomputeFromScratch } from "../support/recompute";
import { isDataWithInit, responseOf } from "../support/app";

const NOW = new Date("2026-11-21T04:00:00Z");
const CURRENT = "2026-11";
const PASSWORD = "Demo@2026";
const KINDS = ["township_central", "district_school", "kindergarten"] as const;

let dbs: Awaited<ReturnType<typeof freshDatabases>>;
let closedMonths: string[];
let demoMonths: string[];
const cookies = new Map<string, string>();

beforeAll(async () => {
  // The loaders read the clock for the current month: pin it to the demo's "now".
  vi.useFakeTimers({ toFake: ["Date"], now: NOW });
  dbs = await freshDatabases();
  const summary = await seedDemo(dbs.db, { passwordHash: await hashPassword(PASSWORD), dataDir: dbs.dir, now: NOW });
  closedMonths = summary.closedMonths;
  const rows = await dbs.db.selectFrom("items").select("report_month").distinct().where("report_month", "is not", null).orderBy("report_month").execute();
  demoMonths = rows.map((r) => r.report_month!);
}, 180_000);
afterAll(async () => {
  vi.useRealTimers();
  await dbs.dispose();
});

async function cookieFor(username: string): Promise<string> {
  const cached = cookies.get(username);
  if (cached) return cached;
  const result = await login(dbs.db, { username, password: PASSWORD, ip: `10.1.0.${cookies.size + 1}`, userAgent: "test" });
  if (!result.ok) throw new Error(`login failed for ${username}: ${result.message}`);
  const cookie = (await commitSessionId(result.sessionId)).split(";")[0];
  cookies.set(username, cookie);
  return cookie;
}

type Loader = (args: { request: Request; params: Record<string, string>; context: any }) => unknown;

async function get(loader: Loader, url: string, options: { user?: string; params?: Record<string, string> } = {}): Promise<Response> {
  const headers = new Headers();
  if (options.user) headers.set("Cookie", await cookieFor(options.user));
  const request = new Request(new URL(url, "http://localhost"), { headers });
  const context: PortalContext = { dbs, nonce: "test-nonce", ip: "127.0.0.1" };
  try {
    const result = await loader({ request, params: options.params ?? {}, context });
    return responseOf(result);
  } catch (thrown) {
    if (thrown instanceof Response || isDataWithInit(thrown)) return responseOf(thrown);
    throw thrown;
  }
}

const pages = new Map<string, any>();
async function page(period: string, user = "reviewer"): Promise<any> {
  const key = `${user}:${period}`;
  if (!pages.has(key)) {
    const response = await get(periodRoute.loader, `/rankings/${period}`, { user, params: { period } });
    expect(response.status, `${period} as ${user}`).toBe(200);
    pages.set(key, await response.json());
  }
  return pages.get(key);
}

// ---------------------------------------------------------------------------------------------
// An independent recomputation: counts and item points from the raw items, quotas from the
// quota rule tables, unit points with the receipt rule, ranks with the ranking rule.

interface Expected {
  unitId: number;
  code: string;
  kind: string;
  quota: number;
  submitted: number;
  adopted: number;
  late: number;
  completion: number;
  status: string;
  points: number;
  rank: number;
  tied: boolean;
  movement: Movement;
  national: number;
  province: number;
  city: number;
}

async function recomputeLeagues(db: Kysely<Database>, months: string[]): Promise<Map<string, Expected[]>> {
  // A closed month as its close froze it: what was recorded on its items afterwards is not in it.
  const closes = await db.selectFrom("month_closes").select(["month", "closed_at"]).where("reopened_at", "is", null).execute();
  const [scratch, units, quotaVersions, quotaRules, overrides, pointVersions] = await Promise.all([
    recomputeFromScratch(db, new Date(), new Map(closes.map((c) => [c.month, c.closed_at]))),
    db.selectFrom("units").select(["id", "code", "kind_code", "active"]).execute(),
    db.selectFrom("quota_rule_versions").selectAll().execute(),
    db.selectFrom("quota_rules").selectAll().execute(),
    db.selectFrom("unit_quota_overrides").selectAll().execute(),
    db.selectFrom("points_rule_versions").selectAll().execute(),
  ]);
  const quotaOf = (unit: (typeof units)[number], month: string) => {
    const own = overrides.filter((o) => o.unit_id === unit.id && o.effective_month <= month).sort((a, b) => (a.effective_month < b.effective_month ? 1 : -1))[0];
    if (own) return own.quota;
    const v = versionFor(quotaVersions.map((q) => ({ ...q, effectiveMonth: q.effective_month })), month);
    return quotaRules.find((r) => r.version_id === v?.id && r.kind_code === unit.kind_code)?.quota ?? 0;
  };
  const rulesOf = (month: string): PointsRules => {
    const v = versionFor(pointVersions.map((p) => ({ ...p, effectiveMonth: p.effective_month })), month);
    return { ...DEFAULT_POINTS_RULES, ...(v ? JSON.parse(v.rules_json) : {}) };
  };
  const out = new Map<string, Expected[]>();
  for (const month of months) {
    const previous = new Map((out.get(addMonths(month, -1)) ?? []).map((r) => [r.unitId, r.rank]));
    const rows = units
      .filter((u) => u.active === 1 || scratch.has(`${u.id}:${month}`))
      .map((u) => {
        const s = scratch.get(`${u.id}:${month}`) ?? {
          submitted: 0, adopted: 0, late: 0, item_points: 0, pickups_national: 0, pickups_province: 0, pickups_city: 0,
          requests_fulfilled: 0, requests_late: 0, requests_missed: 0, requests_declined: 0,
        };
        const quota = quotaOf(u, month);
        const requests = { fulfilled: s.requests_fulfilled, late: s.requests_late, missed: s.requests_missed, declined: s.requests_declined };
        const receipt = unitMonthReceipt({ submitted: s.submitted, adopted: s.adopted, quota, itemPoints: s.item_points, requests }, rulesOf(month));
        return {
          unitId: u.id, code: u.code, kind: u.kind_code, quota, submitted: s.submitted, adopted: s.adopted, late: s.late,
          completion: quota > 0 ? s.adopted / quota : 1, status: receipt.status, points: receipt.total,
          national: s.pickups_national, province: s.pickups_province, city: s.pickups_city,
        };
      });
    const ranked: Expected[] = [];
    for (const kind of KINDS) {
      for (const r of rankUnits(rows.filter((x) => x.kind === kind))) ranked.push({ ...r, movement: movement(previous.get(r.unitId), r.rank) });
    }
    out.set(month, ranked);
  }
  return out;
}

const pick = (r: any) => ({
  code: r.code, quota: r.quota, submitted: r.submitted, adopted: r.adopted, late: r.late, completion: Math.round(r.completion * 1e6) / 1e6,
  status: r.status, points: r.points, rank: r.rank, tied: r.tied, movement: r.movement, national: r.national, province: r.province, city: r.city,
});

describe("every month of the demo county", () => {
  it("has fourteen months, twelve of them closed, and this month and last month open", () => {
    expect(demoMonths).toHaveLength(14);
    expect(demoMonths.at(-1)).toBe(CURRENT);
    expect(closedMonths).toHaveLength(12);
    expect(closedMonths).not.toContain(addMonths(CURRENT, -1));
  });

  it("shows, for every month and every kind, the rows an independent recomputation gives", async () => {
    const expected = await recomputeLeagues(dbs.db, demoMonths);
    for (const month of demoMonths) {
      const data = await page(month);
      expect(data.kinds.map((k: any) => k.code), month).toEqual([...KINDS]);
      for (const kind of KINDS) {
        const shown = data.kinds.find((k: any) => k.code === kind).rows.map(pick);
        const want = expected.get(month)!.filter((r) => r.kind === kind).map(pick);
        expect(want.length, `${month} ${kind}`).toBeGreaterThan(5);
        expect(shown, `${month} ${kind}`).toEqual(want);
      }
    }
  }, 120_000);

  it("counts 报送 and 采用 per channel, as a count of the items gives them, adding up to the totals, every month and the year", async () => {
    const items = await dbs.db
      .selectFrom("items")
      .innerJoin("channels", "channels.id", "items.channel_id")
      .select(["items.unit_id", "items.report_month", "items.status", "items.points_revoked", "channels.name as channel"])
      .where("items.status", "in", ["submitted", "adopted", "rejected", "withdrawn"])
      .execute();
    const count = (month: string | null, unitId: number, channel: string) => {
      const of = items.filter((i) => (month === null || i.report_month === month) && i.unit_id === unitId && i.channel === channel);
      return {
        submitted: of.length,
        adopted: of.filter((i) => i.status === "adopted" || (i.status === "withdrawn" && i.points_revoked === 0)).length,
      };
    };
    let seen = 0;
    for (const month of demoMonths) {
      const data = await page(month);
      expect(data.channels.map((c: any) => c.name), month).toEqual(["教育信息网", "教育网"]);
      const rows = data.kinds.flatMap((k: any) => k.rows);
      for (const r of rows) {
        expect(r.channels, `${month} ${r.code}`).toEqual(data.channels.map((c: any) => count(month, r.unitId, c.name)));
        expect(r.channels.reduce((a: number, c: any) => a + c.submitted, 0), `${month} ${r.code}`).toBe(r.submitted);
        expect(r.channels.reduce((a: number, c: any) => a + c.adopted, 0), `${month} ${r.code}`).toBe(r.adopted);
        seen += r.channels[1].submitted;
      }
      const sum = (f: (r: any) => number) => rows.reduce((a: number, r: any) => a + f(r), 0);
      expect(data.channelTotals, month).toEqual(data.channels.map((_c: any, i: number) => ({
        submitted: sum((r) => r.channels[i].submitted), adopted: sum((r) => r.channels[i].adopted),
      })));
    }
    // The second channel is really used, so the split means something.
    expect(seen).toBeGreaterThan(100);
    const year = await page("2026");
    const yearRows = year.kinds.flatMap((k: any) => k.rows);
    for (const r of yearRows) {
      expect(r.channels.reduce((a: number, c: any) => a + c.adopted, 0), r.code).toBe(r.adopted);
      expect(r.channels.reduce((a: number, c: any) => a + c.submitted, 0), r.code).toBe(r.submitted);
    }
  }, 120_000);

  it("flags open months provisional and closed ones with their closing time", async () => {
    for (const month of demoMonths) {
      const data = await page(month);
      const closed = closedMonths.includes(month);
      expect(data.provisional, month).toBe(!closed);
      expect(data.closedAt !== null, month).toBe(closed);
    }
    expect((await page(CURRENT)).provisional).toBe(true);
    expect((await page(closedMonths[0])).provisional).toBe(false);
  });

  it("has every status and some ties somewhere, so the comparison above means something", async () => {
    const statuses = new Set<string>();
    let ties = 0;
    for (const month of demoMonths) {
      for (const k of (await page(month)).kinds) {
        for (const r of k.rows) {
          statuses.add(r.status);
          if (r.tied) ties++;
        }
      }
    }
    expect([...statuses].sort()).toEqual(["met", "none", "short"]);
    expect(ties).toBeGreaterThan(0);
  });

  it("ranks every unit across kinds by completion only", async () => {
    const data = await page(closedMonths.at(-1)!);
    const all = data.kinds.flatMap((k: any) => k.rows);
    expect(data.crossKind).toHaveLength(all.length);
    for (let i = 1; i < data.crossKind.length; i++) {
      const [a, b] = [data.crossKind[i - 1], data.crossKind[i]];
      expect(a.completion).toBeGreaterThanOrEqual(b.completion);
      if (Math.abs(a.completion - b.completion) < 1e-9) expect(b.rank).toBe(a.rank);
      else expect(b.rank).toBe(i + 1);
    }
    expect(new Set(data.crossKind.map((r: any) => r.kind)).size).toBe(3);
  });

  it("ranks correspondents by split points, as frozen at close for a closed month", async () => {
    const month = closedMonths.at(-1)!;
    const data = await page(month);
    const close = await dbs.db.selectFrom("month_closes").select("id").where("month", "=", month).where("reopened_at", "is", null).executeTakeFirstOrThrow();
    const frozen = await dbs.db.selectFrom("month_correspondent_snapshots").selectAll().where("close_id", "=", close.id).execute();
    expect(data.correspondentTotal).toBe(frozen.length);
    for (const p of data.correspondents) {
      const f = frozen.find((x) => x.account_id === p.accountId)!;
      expect([p.rank, p.points]).toEqual([f.rank, f.points]);
    }
    const ranks = data.correspondents.map((p: any) => p.rank);
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    expect(Math.max(...ranks)).toBeLessThanOrEqual(30);
  });
});

describe("the year to date", () => {
  const sumOver = async (months: string[]) => {
    const sums = new Map<number, any>();
    for (const month of months) {
      for (const k of (await page(month)).kinds) {
        for (const r of k.rows) {
          const s = sums.get(r.unitId) ?? { cents: 0, adopted: 0, submitted: 0, late: 0, quota: 0, national: 0, province: 0, city: 0, met: 0, short: 0, none: 0 };
          s.cents += Math.round(r.points * 100);
          for (const f of ["adopted", "submitted", "late", "quota", "national", "province", "city"]) s[f] += r[f];
          s[r.status]++;
          sums.set(r.unitId, s);
        }
      }
    }
    return sums;
  };

  it.each([
    ["2026", ["2026-01", "2026-02", "2026-03", "2026-04", "2026-05", "2026-06", "2026-07", "2026-08", "2026-09", "2026-10", "2026-11"], true],
    ["2025", ["2025-10", "2025-11", "2025-12"], false],
  ])("%s equals the sum of its month pages", async (year, months, provisional) => {
    const data = await page(year);
    expect(data.scope).toBe("year");
    expect(data.months).toEqual(months);
    expect(data.provisional).toBe(provisional);
    const sums = await sumOver(months);
    const rows = data.kinds.flatMap((k: any) => k.rows);
    expect(rows).toHaveLength(sums.size);
    for (const r of rows) {
      const s = sums.get(r.unitId)!;
      expect(
        { points: r.points, adopted: r.adopted, submitted: r.submitted, late: r.late, quota: r.quota, national: r.national, province: r.province, city: r.city, months: r.months },
        r.code,
      ).toEqual({
        points: s.cents / 100, adopted: s.adopted, submitted: s.submitted, late: s.late, quota: s.quota, national: s.national,
        province: s.province, city: s.city, months: { met: s.met, short: s.short, none: s.none },
      });
      expect(r.completion).toBeCloseTo(s.quota > 0 ? s.adopted / s.quota : 1, 9);
    }
    // Ranked inside each kind by the month cascade; movement against the year through the month before.
    const previous = await sumOver(months.slice(0, -1));
    for (const k of data.kinds) {
      const reranked = rankUnits(k.rows.map((r: any) => ({ ...r })));
      expect(k.rows.map((r: any) => `${r.code}:${r.rank}:${r.tied}`)).toEqual(reranked.map((r: any) => `${r.code}:${r.rank}:${r.tied}`));
      const before = rankUnits<RankableUnit & { unitId: number }>(
        k.rows.filter((r: any) => previous.has(r.unitId)).map((r: any): RankableUnit & { unitId: number } => {
          const s = previous.get(r.unitId)!;
          return { unitId: r.unitId, code: r.code, points: s.cents / 100, national: s.national, province: s.province, city: s.city, adopted: s.adopted };
        }),
      );
      for (const r of k.rows) expect(r.movement, `${year} ${r.code}`).toBe(movement(before.find((b) => b.unitId === r.unitId)?.rank, r.rank));
    }
  }, 60_000);

  it("sums correspondents' points over the months", async () => {
    const data = await page("2025");
    const rows = await dbs.db
      .selectFrom("month_correspondent_snapshots as s")
      .innerJoin("month_closes as c", "c.id", "s.close_id")
      .select(["s.account_id", "s.points"])
      .where("c.reopened_at", "is", null)
      .where("c.month", ">=", "2025-01")
      .where("c.month", "<=", "2025-12")
      .execute();
    const totals = new Map<number, number>();
    for (const r of rows) totals.set(r.account_id, (totals.get(r.account_id) ?? 0) + Math.round(r.points * 100));
    expect(data.correspondentTotal).toBe(totals.size);
    for (const p of data.correspondents) expect(p.points, p.displayName).toBe(totals.get(p.accountId)! / 100);
  });
});

describe("who sees what", () => {
  it("marks the school lead's own unit, in every table and in a summary", async () => {
    const unit = await dbs.db.selectFrom("units").select(["id", "code"]).where("code", "=", "X01").executeTakeFirstOrThrow();
    const data = await page(closedMonths.at(-1)!, "x01-lead");
    const own = data.kinds.flatMap((k: any) => k.rows).filter((r: any) => r.own);
    expect(own.map((r: any) => r.code)).toEqual(["X01"]);
    expect(data.crossKind.filter((r: any) => r.own).map((r: any) => r.unitId)).toEqual([unit.id]);
    expect(data.ownUnit).toMatchObject({ code: "X01", rank: own[0].rank, points: own[0].points });
    const reviewer = await page(closedMonths.at(-1)!, "reviewer");
    expect(reviewer.kinds.flatMap((k: any) => k.rows).some((r: any) => r.own)).toBe(false);
    expect(reviewer.ownUnit).toBeNull();
  });

  it("keeps the signed-in correspondent's own row beyond the top 30", async () => {
    const month = closedMonths.at(-1)!;
    const close = await dbs.db.selectFrom("month_closes").select("id").where("month", "=", month).where("reopened_at", "is", null).executeTakeFirstOrThrow();
    const far = await dbs.db
      .selectFrom("month_correspondent_snapshots as s")
      .innerJoin("accounts as a", "a.id", "s.account_id")
      .select(["a.username", "a.id", "s.rank"])
      .where("s.close_id", "=", close.id)
      .where("s.rank", ">", 30)
      .where("a.active", "=", 1)
      .where("a.role", "=", "correspondent")
      .orderBy("s.rank", "desc")
      .executeTakeFirstOrThrow();
    const data = await page(month, far.username);
    expect(data.correspondents.filter((p: any) => p.rank <= 30).length).toBeGreaterThanOrEqual(30);
    const mine = data.correspondents.filter((p: any) => p.own);
    expect(mine.map((p: any) => [p.accountId, p.rank])).toEqual([[far.id, far.rank]]);
    expect(data.correspondents.at(-1).accountId).toBe(far.id);
  });

  it("answers 404 for a period that is not a month or year the county has", async () => {
    for (const period of ["2026-13", "2026-1", "abc", "2026-11.pdf", "2027-01", "2026-12", "2025-09", "2024", "2030"]) {
      const response = await get(periodRoute.loader, `/rankings/${period}`, { user: "reviewer", params: { period } });
      expect(response.status, period).toBe(404);
      const exported = await get(exportRoute.loader, `/rankings/${period}/export?format=csv`, { user: "reviewer", params: { period } });
      expect(exported.status, period).toBe(404);
    }
  });

  it("sends anonymous visitors to the login page and back", async () => {
    for (const [loader, url, params] of [
      [periodRoute.loader, "/rankings/2026-10", { period: "2026-10" }],
      [exportRoute.loader, "/rankings/2026-10/export?format=xlsx", { period: "2026-10" }],
      [indexRoute.loader, "/rankings", {}],
    ] as const) {
      const response = await get(loader, url, { params });
      expect(response.status, url).toBe(302);
      expect(response.headers.get("Location"), url).toBe(`/login?${new URLSearchParams({ redirectTo: url })}`);
    }
  });

  it("redirects /rankings to the current month, and the picker's choice to its period", async () => {
    const cases: Array<[string, string]> = [
      ["/rankings", `/rankings/${CURRENT}`],
      ["/rankings?period=2026-03", "/rankings/2026-03"],
      ["/rankings?period=2026", "/rankings/2026"],
      ["/rankings?month=2026-05", "/rankings/2026-05"],
      ["/rankings?period=junk", `/rankings/${CURRENT}`],
    ];
    for (const [url, location] of cases) {
      const response = await get(indexRoute.loader, url, { user: "x01-c1" });
      expect(response.status, url).toBe(302);
      expect(response.headers.get("Location"), url).toBe(location);
    }
  });
});

describe("downloads", () => {
  const CHANNEL_HEADERS = ["教育信息网报送", "教育信息网采用", "教育网报送", "教育网采用"];
  const UNIT_HEADERS = [
    "名次", "并列", "单位代码", "单位", "任务数", "报送", "采用", "完成率", "迟报", "状态", "积分", "国家级上稿", "省级上稿", "市级上稿", "变化",
    ...CHANNEL_HEADERS,
  ];

  async function download(period: string, format: string, user = "x01-lead") {
    return get(exportRoute.loader, `/rankings/${period}/export?format=${format}`, { user, params: { period } });
  }

  it.each([["closed", () => closedMonths.at(-1)!], ["open", () => CURRENT]])("the %s month's workbook has the page's numbers", async (_label, month) => {
    const period = month();
    const data = await page(period, "x01-lead");
    const response = await download(period, "xlsx");
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toBe("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    const disposition = response.headers.get("Content-Disposition")!;
    expect(disposition).toMatch(/^attachment; filename="rankings-[\w-]+\.xlsx"; filename\*=UTF-8''/);
    const name = decodeURIComponent(disposition.split("UTF-8''")[1]);
    expect(name).toBe(`排行榜-${Number(period.slice(0, 4))}年${Number(period.slice(5))}月${data.provisional ? "（暂定）" : ""}.xlsx`);

    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await response.arrayBuffer()) as unknown as ExcelJS.Buffer);
    expect(workbook.worksheets.map((w) => w.name)).toEqual([...data.kinds.map((k: any) => k.name), "信息员"]);
    for (const kind of data.kinds) {
      const sheet = workbook.getWorksheet(kind.name)!;
      expect(sheet.getRow(1).values).toEqual([undefined, ...UNIT_HEADERS]);
      expect(sheet.getRow(1).font?.bold).toBe(true);
      expect(sheet.views[0]).toMatchObject({ state: "frozen", ySplit: 1 });
      expect(sheet.getColumn(4).width).toBeGreaterThan(10);
      expect(sheet.rowCount).toBe(kind.rows.length + 1);
      kind.rows.forEach((r: any, i: number) => {
        const row = sheet.getRow(i + 2);
        const v = (col: number) => row.getCell(col).value;
        expect([v(1), v(3), v(5), v(6), v(7), v(9), v(11), v(12), v(13), v(14)], r.code).toEqual([
          r.rank, r.code, r.quota, r.submitted, r.adopted, r.late, r.points, r.national, r.province, r.city,
        ]);
        for (const col of [1, 5, 6, 7, 8, 9, 11]) expect(typeof v(col), `${r.code} col ${col}`).toBe("number");
        expect(v(8) as number).toBeCloseTo(r.completion, 9);
        expect(row.getCell(8).numFmt).toBe("0.0%");
        expect([v(2), v(4), v(10), v(15)]).toEqual([r.tied ? "并列" : "", r.name, { met: "达标", short: "未达标", none: "不报" }[r.status as string], movementText(r.movement)]);
        // Per channel: the page's numbers, adding up to the unit's 报送 and 采用.
        expect([v(16), v(17), v(18), v(19)], r.code).toEqual(r.channels.flatMap((c: any) => [c.submitted, c.adopted]));
        expect((v(16) as number) + (v(18) as number), r.code).toBe(r.submitted);
        expect((v(17) as number) + (v(19) as number), r.code).toBe(r.adopted);
      });
    }
    const people = workbook.getWorksheet("信息员")!;
    expect(people.getRow(1).values).toEqual([undefined, "名次", "并列", "姓名", "单位", "采用稿件（按署名分摊）", "积分（按署名分摊）", "账号状态"]);
    expect(people.rowCount).toBe(data.correspondentTotal + 1);
    data.correspondents
      .filter((p: any) => p.rank <= 30)
      .forEach((p: any, i: number) => {
        const row = people.getRow(i + 2);
        expect([row.getCell(1).value, row.getCell(3).value, row.getCell(6).value]).toEqual([p.rank, p.displayName, p.points]);
      });
  });

  it("the year's workbook has a column per status and the year's numbers", async () => {
    const data = await page("2026", "x01-lead");
    const response = await download("2026", "xlsx");
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await response.arrayBuffer()) as unknown as ExcelJS.Buffer);
    const kind = data.kinds[0];
    const sheet = workbook.getWorksheet(kind.name)!;
    expect((sheet.getRow(1).values as unknown[]).slice(10, 13)).toEqual(["达标月数", "未达标月数", "不报月数"]);
    kind.rows.forEach((r: any, i: number) => {
      const row = sheet.getRow(i + 2);
      expect([row.getCell(1).value, row.getCell(7).value, row.getCell(10).value, row.getCell(11).value, row.getCell(12).value, row.getCell(13).value]).toEqual([
        r.rank, r.adopted, r.months.met, r.months.short, r.months.none, r.points,
      ]);
    });
    expect(decodeURIComponent(response.headers.get("Content-Disposition")!.split("UTF-8''")[1])).toBe("排行榜-2026年度累计（暂定）.xlsx");
  });

  it("the csv starts with a BOM and parses back to the page's rows", async () => {
    const period = closedMonths.at(-1)!;
    const data = await page(period, "x01-lead");
    const response = await download(period, "csv");
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes);
    expect(text.charCodeAt(0)).toBe(0xfeff);
    const records: string[][] = parse(text.slice(1), { relax_column_count: false });
    expect(records[0]).toEqual(["类别", ...UNIT_HEADERS.map((h) => (h === "完成率" ? "完成率(%)" : h))]);
    const rows = data.kinds.flatMap((k: any) => k.rows.map((r: any) => ({ ...r, kindName: k.name })));
    expect(records).toHaveLength(rows.length + 1);
    rows.forEach((r: any, i: number) => {
      expect(records[i + 1]).toEqual([
        r.kindName, String(r.rank), r.tied ? "并列" : "", r.code, r.name, String(r.quota), String(r.submitted), String(r.adopted),
        String(Math.round(r.completion * 10000) / 100), String(r.late), { met: "达标", short: "未达标", none: "不报" }[r.status as string],
        String(r.points), String(r.national), String(r.province), String(r.city), movementText(r.movement),
        ...r.channels.flatMap((c: any) => [String(c.submitted), String(c.adopted)]),
      ]);
    });
    expect(decodeURIComponent(response.headers.get("Content-Disposition")!.split("UTF-8''")[1])).toBe(
      `排行榜-${Number(period.slice(0, 4))}年${Number(period.slice(5))}月.csv`,
    );
  });

  it("exports are inert: a formula in a unit name is text in the csv and a string cell in the workbook", async () => {
    const formula = '=HYPERLINK("http://evil.example/phish","点此查看")';
    const unit = await dbs.db.selectFrom("units").select(["id", "name"]).where("code", "=", "X01").executeTakeFirstOrThrow();
    await dbs.db.updateTable("units").set({ name: formula }).where("id", "=", unit.id).execute();
    try {
      const csv = new TextDecoder().decode(new Uint8Array(await (await download(CURRENT, "csv")).arrayBuffer()));
      const records: string[][] = parse(csv.replace(/^\uFEFF/, ""));
      const nameAt = records[0].indexOf("单位");
      const pointsAt = records[0].indexOf("积分");
      const row = records.find((r) => r[nameAt].includes("HYPERLINK"))!;
      expect(row[nameAt]).toBe(`'${formula}`);
      // Every text cell is inert, and the numbers are still bare numbers (negative points included).
      for (const r of records.slice(1)) {
        for (const cell of r) {
          expect(cell).not.toMatch(/^[=+@\t\r]/);
          if (cell.startsWith("-")) expect(cell).toMatch(/^-\d+(\.\d+)?$/);
        }
        expect(r[pointsAt]).toMatch(/^-?\d+(\.\d+)?$/);
      }
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load((await (await download(CURRENT, "xlsx")).arrayBuffer()) as unknown as ExcelJS.Buffer);
      const cells = workbook.worksheets.flatMap((ws) => {
        const found: ExcelJS.Cell[] = [];
        ws.eachRow((r) => r.eachCell((c) => { if (String(c.value).includes("HYPERLINK")) found.push(c); }));
        return found;
      });
      expect(cells.length).toBeGreaterThan(0);
      for (const cell of cells) {
        expect(cell.type).toBe(ExcelJS.ValueType.String);
        expect(cell.value).toBe(formula);
      }
    } finally {
      await dbs.db.updateTable("units").set({ name: unit.name }).where("id", "=", unit.id).execute();
    }
  });

  it("refuses an unknown format", async () => {
    const response = await download(CURRENT, "pdf");
    expect(response.status).toBe(400);
  });
});
