// The reviewer's month-closing desk: every month with items (and the current month), its state,
// what still waits for review, and each month's close history with what a re-close changed.
import type { Kysely, Transaction } from "kysely";
import type { Database } from "../../db/schema";
import { closeTimingProblem, closeUnitsListed, monthsToList } from "~/domain/month-closing";
import { versionFor, versionName } from "~/domain/rule-versions";
import { shanghaiMonth } from "~/domain/time";
import { changesBetweenCloses, changesSinceClose, closeHistory, closeMonth, type CloseChange, type CloseRecord, type CloseResult } from "~/models/month-close.server";
import { liveLeague } from "~/models/months.server";
import { itemMonths } from "~/models/rollup.server";

type DB = Kysely<Database> | Transaction<Database>;

/** A month's items still waiting for review, oldest submission first (they hold its close). */
function itemsWaitingIn(db: DB, month: string) {
  return db
    .selectFrom("items")
    .innerJoin("units", "units.id", "items.unit_id")
    .select(["items.id", "items.title", "units.name as unit_name"])
    .where("items.report_month", "=", month)
    .where("items.status", "=", "submitted")
    .orderBy("items.submitted_at")
    .orderBy("items.id");
}

export interface VersionRef {
  id: number;
  effectiveMonth: string;
  name: string;
}

export interface MonthDeskRow {
  month: string;
  current: boolean;
  state: "open" | "closed";
  closedAt: string | null;
  closedBy: string | null;
  /** For an open month that was closed before: its latest reopening. */
  reopenedAt: string | null;
  reopenedBy: string | null;
  reopenReason: string | null;
  closeCount: number;
  waiting: number;
  adopted: number;
  /** The versions the month was closed with, or (open) the versions a close would use now. */
  pointsVersion: VersionRef | null;
  quotaVersion: VersionRef | null;
  /** Why it cannot be closed yet regardless of its items (the month has not ended), or null. */
  timingProblem: string | null;
}

async function versionRefs(db: DB) {
  const [points, quotas] = await Promise.all([
    db.selectFrom("points_rule_versions").select(["id", "effective_month"]).orderBy("effective_month").execute(),
    db.selectFrom("quota_rule_versions").select(["id", "effective_month"]).orderBy("effective_month").execute(),
  ]);
  const refs = (rows: Array<{ id: number; effective_month: string }>) =>
    rows.map((r, i) => ({ id: r.id, effectiveMonth: r.effective_month, name: versionName(r.effective_month, i === 0) }));
  return { points: refs(points), quotas: refs(quotas) };
}

const byId = (refs: VersionRef[], id: number) => refs.find((r) => r.id === id) ?? null;

export async function listMonthsForClosing(db: DB, now = new Date()): Promise<MonthDeskRow[]> {
  const currentMonth = shanghaiMonth(now);
  const [withItems, closes, waiting, openAdopted, closedAdopted, versions] = await Promise.all([
    itemMonths(db),
    db
      .selectFrom("month_closes as c")
      .innerJoin("accounts as closer", "closer.id", "c.closed_by")
      .leftJoin("accounts as reopener", "reopener.id", "c.reopened_by")
      .select([
        "c.id", "c.month", "c.closed_at", "c.reopened_at", "c.reopen_reason", "c.points_version_id", "c.quota_version_id",
        "closer.display_name as closed_by_name", "reopener.display_name as reopened_by_name",
      ])
      .orderBy("c.id")
      .execute(),
    db
      .selectFrom("items")
      .select(["report_month", (eb) => eb.fn.countAll<number>().as("n")])
      .where("status", "=", "submitted")
      .groupBy("report_month")
      .execute(),
    db.selectFrom("unit_month_stats").select(["month", (eb) => eb.fn.sum<number>("adopted").as("n")]).groupBy("month").execute(),
    db
      .selectFrom("month_unit_snapshots as s")
      .innerJoin("month_closes as c", "c.id", "s.close_id")
      .select(["c.month", (eb) => eb.fn.sum<number>("s.adopted").as("n")])
      .where("c.reopened_at", "is", null)
      .groupBy("c.month")
      .execute(),
    versionRefs(db),
  ]);
  const waitingBy = new Map(waiting.map((w) => [w.report_month, Number(w.n)]));
  const liveAdopted = new Map(openAdopted.map((r) => [r.month, Number(r.n)]));
  const frozenAdopted = new Map(closedAdopted.map((r) => [r.month, Number(r.n)]));
  const months = monthsToList(withItems, currentMonth);
  return months.map((month) => {
    const history = closes.filter((c) => c.month === month);
    const inForce = history.find((c) => c.reopened_at === null) ?? null;
    const lastReopened = inForce ? null : (history.at(-1) ?? null);
    return {
      month,
      current: month === currentMonth,
      state: inForce ? ("closed" as const) : ("open" as const),
      closedAt: inForce?.closed_at ?? null,
      closedBy: inForce?.closed_by_name ?? null,
      reopenedAt: lastReopened?.reopened_at ?? null,
      reopenedBy: lastReopened?.reopened_by_name ?? null,
      reopenReason: lastReopened?.reopen_reason ?? null,
      closeCount: history.length,
      waiting: waitingBy.get(month) ?? 0,
      adopted: inForce ? (frozenAdopted.get(month) ?? 0) : (liveAdopted.get(month) ?? 0),
      pointsVersion: inForce ? byId(versions.points, inForce.points_version_id) : versionFor(versions.points, month),
      quotaVersion: inForce ? byId(versions.quotas, inForce.quota_version_id) : versionFor(versions.quotas, month),
      timingProblem: inForce ? null : closeTimingProblem(month, currentMonth),
    };
  });
}

/** The most waiting items a close's confirmation page lists by title. */
const WAITING_LISTED = 50;

/**
 * What closing a month would freeze, for its confirmation page: the month's row of the desk, the
 * live league (every unit's adopted items and points, by kind and rank), its totals, and the
 * items still waiting that block the close. Null: a month the desk does not list.
 */
export async function closePreview(db: DB, month: string, now = new Date()) {
  const row = (await listMonthsForClosing(db, now)).find((m) => m.month === month) ?? null;
  if (!row) return null;
  const [league, waitingItems] = await Promise.all([
    row.state === "open" ? liveLeague(db, month, true) : Promise.resolve([]),
    itemsWaitingIn(db, month).limit(WAITING_LISTED).execute(),
  ]);
  const units = league.map((r) => ({
    unitId: r.unitId, name: r.name, kindName: r.kindName, quota: r.quota, submitted: r.submitted, adopted: r.adopted, points: r.points,
    rank: r.rank, tied: r.tied,
  }));
  return {
    ...row,
    units: closeUnitsListed(units),
    totals: {
      units: units.length,
      adopted: units.reduce((s, u) => s + u.adopted, 0),
      points: Math.round(units.reduce((s, u) => s + u.points, 0) * 100) / 100,
    },
    waitingItems,
  };
}

/** Closes a month that has ended; a month still running is refused before anything is read. */
export async function closeEndedMonth(db: Kysely<Database>, input: Parameters<typeof closeMonth>[1]): Promise<CloseResult> {
  const problem = closeTimingProblem(input.month, shanghaiMonth(input.now ?? new Date()));
  if (problem) return { ok: false, status: 409, message: problem };
  return closeMonth(db, input);
}

export interface MonthCloseDetail {
  month: string;
  state: "open" | "closed";
  /** How many of its items wait for review (the page links to them in the queue, not each by title). */
  waiting: number;
  /** Newest first. */
  closes: Array<CloseRecord & { pointsName: string; quotaName: string; inForce: boolean }>;
  /** The last two closes compared, when the month has been closed more than once. */
  comparison: { before: CloseRecord; after: CloseRecord; changes: CloseChange[] } | null;
  /** A reopened month: its live numbers against the close that was reopened. */
  sinceClose: { close: CloseRecord; changes: CloseChange[] } | null;
}

export async function monthCloseDetail(db: DB, month: string): Promise<MonthCloseDetail> {
  const [history, versions, waiting] = await Promise.all([
    closeHistory(db, month),
    versionRefs(db),
    db
      .selectFrom("items")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("report_month", "=", month)
      .where("status", "=", "submitted")
      .executeTakeFirstOrThrow(),
  ]);
  const closes = history.map((c) => ({
    ...c,
    pointsName: byId(versions.points, c.pointsVersion.id)?.name ?? "",
    quotaName: byId(versions.quotas, c.quotaVersion.id)?.name ?? "",
    inForce: c.reopenedAt === null,
  }));
  let comparison: MonthCloseDetail["comparison"] = null;
  if (history.length >= 2) {
    const [before, after] = history.slice(-2);
    comparison = { before, after, changes: await changesBetweenCloses(db, before.id, after.id) };
  }
  const state: MonthCloseDetail["state"] = closes.some((c) => c.inForce) ? "closed" : "open";
  const last = history.at(-1);
  const sinceClose = state === "open" && last ? { close: last, changes: await changesSinceClose(db, last.id, month) } : null;
  return {
    month,
    state,
    waiting: Number(waiting.n),
    closes: closes.reverse(),
    comparison,
    sinceClose,
  };
}
