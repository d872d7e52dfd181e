// Dashboards: a school's month against its quota with a forecast and a year of history; the
// bureau's queue, this month's flow and the units at risk. Reads the rollups and snapshots.
import { sql, type Kysely } from "kysely";
import { preparedQuery } from "../../db/prepared-query";
import type { Database } from "../../db/schema";
import { ADOPTION_RATE_MONTHS, daysInMonth, forecastMonth, type Forecast } from "~/domain/forecast";
import { AT_BUREAU_STATUSES, QUOTA_STATUS_NAMES } from "~/domain/points";
import { addMonths, monthLabel, monthsUpTo, shanghaiDate, shanghaiMonth } from "~/domain/time";
import { leagueFor } from "~/models/months.server";
import { unitMonthReceiptFor } from "~/models/request-reads.server";
import { countsAsAdopted } from "~/models/rollup.server";
import { deepFreeze, writeCache } from "~/models/write-cache.server";

type DB = Kysely<Database>;

/** Share of a unit's decided items (past `months` months) that were adopted; 0.7 with no history. */
export async function adoptionRates(db: DB, month: string, months = ADOPTION_RATE_MONTHS, unitId?: number): Promise<Map<number, number>> {
  let q = adoptionRatesQuery(db, month, months);
  if (unitId !== undefined) q = q.where("unit_id", "=", unitId);
  const rows = await q.execute();
  return new Map(rows.map((r) => [r.unit_id, Number(r.decided) > 0 ? Number(r.adopted) / Number(r.decided) : 0.7]));
}

/** Each unit's adopted and decided items over the `months` before `month` (index items_month_figures covers it). */
export function adoptionRatesQuery(db: DB, month: string, months = ADOPTION_RATE_MONTHS) {
  return db
    .selectFrom("items")
    .select([
      "unit_id",
      (eb) => eb.fn.sum<number>(countsAsAdopted).as("adopted"),
      (eb) => eb.fn.sum<number>(eb.case().when("status", "in", ["adopted", "withdrawn", "rejected"]).then(1).else(0).end()).as("decided"),
    ])
    .where("report_month", ">=", addMonths(month, -months))
    .where("report_month", "<", month)
    .groupBy("unit_id");
}

export async function inReviewByUnit(db: DB, month: string, unitId?: number): Promise<Map<number, number>> {
  let q = db
    .selectFrom("items")
    .select(["unit_id", (eb) => eb.fn.countAll<number>().as("n")])
    .where("report_month", "=", month)
    .where("status", "=", "submitted")
    .groupBy("unit_id");
  if (unitId !== undefined) q = q.where("unit_id", "=", unitId);
  return new Map((await q.execute()).map((r) => [r.unit_id, Number(r.n)]));
}

export function forecastFor(row: { quota: number; adopted: number; submitted: number }, inReview: number, rate: number, month: string, now: Date): Forecast {
  const day = Number(shanghaiDate(now).slice(8, 10));
  return forecastMonth({
    quota: row.quota, adoptedSoFar: row.adopted, submittedSoFar: row.submitted, inReview, adoptionRate: rate,
    dayOfMonth: day, daysInMonth: daysInMonth(month),
  });
}

export async function schoolDashboard(db: DB, unitId: number, now = new Date()) {
  const month = shanghaiMonth(now);
  const league = await leagueFor(db, month);
  const row = league.rows.find((r) => r.unitId === unitId) ?? null;
  const kindSize = row ? league.rows.filter((r) => r.kind === row.kind).length : 0;
  // The unit's own figures are read once per write to its items or rollup (another unit's writes
  // keep them); the open months of its history come from the shared leagues, which follow their months.
  const { rates, inReview, past, receipt } = await schoolMonthReads.get(
    db,
    `${unitId}|${month}`,
    async () => {
      const [rates, inReview, past, receipt] = await Promise.all([
        adoptionRates(db, month, ADOPTION_RATE_MONTHS, unitId), inReviewByUnit(db, month, unitId), unitPast(db, unitId, month),
        unitMonthReceiptFor(db, unitId, month),
      ]);
      return { rates, inReview, past, receipt };
    },
    { unit: unitId },
  );
  const history = await unitHistory(db, unitId, month, past);
  const forecast = row ? forecastFor(row, inReview.get(unitId) ?? 0, rates.get(unitId) ?? 0.7, month, now) : null;
  return {
    month,
    row: row && { ...row, statusName: QUOTA_STATUS_NAMES[row.status] },
    kindSize,
    inReview: inReview.get(unitId) ?? 0,
    forecast,
    history,
    /** How the month's provisional points come about (the lines the league adds up). */
    receipt,
  };
}

/** A unit's adoption rate, items in review, closed months of the 12 and the month's points receipt, shared between writes to its rows. */
const schoolMonthReads = writeCache<{
  rates: ReadonlyMap<number, number>;
  inReview: ReadonlyMap<number, number>;
  past: UnitPast;
  receipt: Awaited<ReturnType<typeof unitMonthReceiptFor>>;
}>({ frozen: true });

/** A unit's closed months of the 12 (their frozen snapshots) and the first month it has figures in. */
async function unitPast(db: DB, unitId: number, month: string) {
  const [snapshots, firstData] = await Promise.all([
    db
      .selectFrom("month_unit_snapshots as s")
      .innerJoin("month_closes as c", "c.id", "s.close_id")
      .select(["c.month", "s.rank", "s.points", "s.adopted", "s.quota"])
      .where("s.unit_id", "=", unitId)
      .where("c.reopened_at", "is", null)
      .where("c.month", "in", monthsUpTo(month, 12))
      .execute(),
    db.selectFrom("unit_month_stats").select((eb) => eb.fn.min("month").as("m")).where("unit_id", "=", unitId).executeTakeFirst(),
  ]);
  return { snapshots, firstData: firstData?.m ?? null };
}
type UnitPast = Awaited<ReturnType<typeof unitPast>>;

/** 12 months of a unit's rank and points: frozen snapshots where closed, live for open months. */
async function unitHistory(db: DB, unitId: number, month: string, past: UnitPast) {
  const byMonth = new Map(past.snapshots.map((s) => [s.month, s]));
  const months = monthsUpTo(month, 12);
  // Rank and points only: no movement, so the month before is not looked up. The current month's
  // league with movement is the one every other page reads (same ranks): shared, not computed twice.
  const live = await Promise.all(
    months.map((m) =>
      byMonth.has(m) || !(m >= (past.firstData ?? month) || m === month)
        ? null
        : leagueFor(db, m, m === month ? {} : { movement: false }).then((league) => league.rows.find((x) => x.unitId === unitId) ?? null),
    ),
  );
  return months.map((m, i) => {
    const r = byMonth.get(m) ?? live[i];
    return { month: m, label: monthLabel(m).slice(2), rank: r?.rank ?? null, points: r?.points ?? null, adopted: r?.adopted ?? null, quota: r?.quota ?? null };
  });
}

/** The bureau's month: arrivals by day and category (the items at the bureau, as the month's 报送 counts them) and items in review by unit, shared between writes to the month's items. */
const bureauMonthReads = writeCache<{
  byDay: ReadonlyArray<{ day: string; n: number }>;
  byCategory: ReadonlyArray<{ category: string; submitted: number; adopted: number }>;
  inReview: ReadonlyMap<number, number>;
}>({ frozen: true });

const bureauAdoptionRates = writeCache<ReadonlyMap<number, number>>({ frozen: true });

/**
 * Every unit's adoption rate for a month's forecasts, shared: it reads only the months before, so
 * the month's own writes (nearly all of them at its end) leave it in place.
 */
export function adoptionRatesBefore(db: DB, month: string): Promise<ReadonlyMap<number, number>> {
  return bureauAdoptionRates.get(db, month, () => adoptionRates(db, month), { months: monthsUpTo(addMonths(month, -1), ADOPTION_RATE_MONTHS) });
}

/** Unit names in Chinese order (as `localeCompare(…, "zh-CN")`, without a collator per comparison). */
const byName = new Intl.Collator("zh-CN");

/** The month's items that reached the bureau, per day of arrival (Asia/Shanghai); index items_month_figures covers it. */
export function arrivalsByDay(db: DB, month: string) {
  return db
    .selectFrom("items")
    .select([sql<string>`substr(datetime(first_submitted_at, '+8 hours'), 1, 10)`.as("day"), (eb) => eb.fn.countAll<number>().as("n")])
    .where("report_month", "=", month)
    .where("status", "in", AT_BUREAU_STATUSES)
    .where("first_submitted_at", "is not", null)
    .groupBy("day")
    .orderBy("day");
}

/** The month's items that reached the bureau and those adopted, per 栏目; index items_month_figures covers the items. */
export function arrivalsByCategory(db: DB, month: string) {
  return db
    .selectFrom("items")
    .innerJoin("categories", "categories.id", "items.category_id")
    .select(["categories.name as category", (eb) => eb.fn.countAll<number>().as("submitted"), (eb) => eb.fn.sum<number>(countsAsAdopted).as("adopted")])
    .where("items.report_month", "=", month)
    .where("items.status", "in", AT_BUREAU_STATUSES)
    .groupBy("categories.name")
    .orderBy("submitted", "desc");
}

/** Items waiting for review: how many, the oldest arrival, and how many arrived within 1, 1–3, 3–7 and over 7 days (by the instants given). */
const waitingAges = preparedQuery((db: DB, day1: string, day3: string, day7: string) =>
  db
    .selectFrom("items")
    .select([
      (eb) => eb.fn.countAll<number>().as("total"),
      (eb) => eb.fn.sum<number>(eb.case().when("submitted_at", ">=", day1).then(1).else(0).end()).as("d1"),
      (eb) => eb.fn.sum<number>(eb.case().when(eb.and([eb("submitted_at", "<", day1), eb("submitted_at", ">=", day3)])).then(1).else(0).end()).as("d3"),
      (eb) => eb.fn.sum<number>(eb.case().when(eb.and([eb("submitted_at", "<", day3), eb("submitted_at", ">=", day7)])).then(1).else(0).end()).as("d7"),
      (eb) => eb.fn.sum<number>(eb.case().when("submitted_at", "<", day7).then(1).else(0).end()).as("older"),
      (eb) => eb.fn.min("submitted_at").as("oldest"),
    ])
    .where("status", "=", "submitted"),
);

type LeagueRows = Awaited<ReturnType<typeof leagueFor>>["rows"];

/**
 * The kinds' completion and the units likely to fall short, from the month's league, its items in
 * review and the units' adoption rates on one day (the forecast counts days): kept with the
 * league's rows (shared until the next write) while the other two stay the same objects. A
 * province's 20,000 units took some 150 ms of JavaScript on every reviewer's home (the forecasts,
 * then sorting thousands of names in Chinese order). Shared, so read-only.
 */
const figuresOfLeague = new WeakMap<LeagueRows, { inReview: object; rates: object; day: string; value: ReturnType<typeof computeLeagueFigures> }>();

function leagueFigures(rows: LeagueRows, inReview: ReadonlyMap<number, number>, rates: ReadonlyMap<number, number>, month: string, now: Date) {
  const day = shanghaiDate(now);
  const kept = figuresOfLeague.get(rows);
  if (kept && kept.inReview === inReview && kept.rates === rates && kept.day === day) return kept.value;
  const value = deepFreeze(computeLeagueFigures(rows, inReview, rates, month, now));
  figuresOfLeague.set(rows, { inReview, rates, day, value });
  return value;
}

function computeLeagueFigures(leagueRows: LeagueRows, inReview: ReadonlyMap<number, number>, rates: ReadonlyMap<number, number>, month: string, now: Date) {
  const kinds = [...new Set(leagueRows.map((r) => r.kind))].map((kind) => {
    const rows = leagueRows.filter((r) => r.kind === kind);
    const quota = rows.reduce((s, r) => s + r.quota, 0);
    const adopted = rows.reduce((s, r) => s + Math.min(r.adopted, r.quota), 0);
    return { kind, name: rows[0].kindName, units: rows.length, met: rows.filter((r) => r.status === "met").length, completion: quota > 0 ? adopted / quota : 1 };
  });
  const atRisk = leagueRows
    .map((r) => ({ unitId: r.unitId, name: r.name, kindName: r.kindName, quota: r.quota, adopted: r.adopted, forecast: forecastFor(r, inReview.get(r.unitId) ?? 0, rates.get(r.unitId) ?? 0.7, month, now) }))
    .filter((r) => r.forecast.shortBy > 0)
    .sort((a, b) => b.forecast.shortBy - a.forecast.shortBy || byName.compare(a.name, b.name));
  return { kinds, atRisk };
}

export async function reviewerDashboard(db: DB, now = new Date()) {
  const month = shanghaiMonth(now);
  const nowIso = now.toISOString();
  const hoursAgo = (h: number) => new Date(now.getTime() - h * 3_600_000).toISOString();
  const [[ageRow], { byDay, byCategory, inReview }, rates, league] = await Promise.all([
    waitingAges(db, hoursAgo(24), hoursAgo(72), hoursAgo(168)),
    bureauMonthReads.get(db, month, async () => {
      const [byDay, byCategory, inReview] = await Promise.all([
        arrivalsByDay(db, month).execute(),
        arrivalsByCategory(db, month).execute(),
        inReviewByUnit(db, month),
      ]);
      return { byDay, byCategory, inReview };
    }, { months: [month] }),
    adoptionRatesBefore(db, month),
    leagueFor(db, month),
  ]);
  const days = daysInMonth(month);
  const today = Number(shanghaiDate(now).slice(8, 10));
  const counts = new Map(byDay.map((d) => [d.day, Number(d.n)]));
  const submissionsByDay = Array.from({ length: Math.min(days, today) }, (_, i) => {
    const day = `${month}-${String(i + 1).padStart(2, "0")}`;
    return { label: `${i + 1}日`, count: counts.get(day) ?? 0 };
  });
  const { kinds, atRisk } = leagueFigures(league.rows, inReview, rates, month, now);
  return {
    month,
    now: nowIso,
    waiting: {
      total: Number(ageRow.total),
      oldest: ageRow.oldest,
      buckets: [
        { label: "24 小时内", count: Number(ageRow.d1 ?? 0) },
        { label: "1–3 天", count: Number(ageRow.d3 ?? 0) },
        { label: "3–7 天", count: Number(ageRow.d7 ?? 0) },
        { label: "7 天以上", count: Number(ageRow.older ?? 0) },
      ],
    },
    submissionsByDay,
    byCategory: byCategory.map((c) => ({ category: c.category, submitted: Number(c.submitted), adopted: Number(c.adopted) })),
    kinds,
    atRisk,
  };
}
