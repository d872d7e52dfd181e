// Reminders (催报): the hourly job that reminds units heading below quota once a month, the
// reviewer's one-click reminder, and the list of what was sent. Each reminder is a reminders row
// and a notification to each of the unit's active leads and correspondents, written in one
// transaction; a reviewer's reminder also leaves an audit row.
import type { Kysely, Transaction } from "kysely";
import { preparedQuery } from "../../db/prepared-query";
import type { Database } from "../../db/schema";
import { ADOPTION_RATE_MONTHS, daysInMonth } from "~/domain/forecast";
import {
  autoReasonText, dueReminders, manualReminderTooSoon, MANUAL_REPEAT_MINUTES, reminderLink, reminderMessage, remindersOpen,
  type ReminderFigures, type ReminderReason,
} from "~/domain/reminders";
import { refusal, type Refusal } from "~/domain/refusal";
import { isMonth, shanghaiDate, shanghaiMonth } from "~/domain/time";
import { recordAudit } from "~/models/audit.server";
import { adoptionRates, forecastFor, inReviewByUnit } from "~/models/dashboard.server";
import { currentClose, leagueFor } from "~/models/months.server";
import { notify, schoolStaff } from "~/models/notifications.server";
import { getSetting } from "~/models/settings.server";
import { paged } from "~/models/units.server";

type DB = Kysely<Database>;

export const REMINDER_NOTIFICATION_KIND = "reminder";

/** This month's figures and forecast of every active unit (or one), as the reviewer's dashboard computes them. */
async function monthFigures(db: DB, month: string, now: Date, unitId?: number): Promise<Map<number, ReminderFigures>> {
  const [league, rates, inReview, active] = await Promise.all([
    leagueFor(db, month, { movement: false }),
    adoptionRates(db, month, ADOPTION_RATE_MONTHS, unitId),
    inReviewByUnit(db, month, unitId),
    db.selectFrom("units").select("id").where("active", "=", 1).execute(),
  ]);
  const activeIds = new Set(active.map((u) => u.id));
  const out = new Map<number, ReminderFigures>();
  for (const row of league.rows) {
    if (!activeIds.has(row.unitId) || (unitId !== undefined && row.unitId !== unitId)) continue;
    const forecast = forecastFor(row, inReview.get(row.unitId) ?? 0, rates.get(row.unitId) ?? 0.7, month, now);
    out.set(row.unitId, { month, quota: row.quota, adopted: row.adopted, submitted: row.submitted, shortBy: forecast.shortBy });
  }
  return out;
}

async function recipientsOf(db: DB | Transaction<Database>, unitId: number): Promise<number[]> {
  return (await schoolStaff(db, [unitId])).map((p) => p.id);
}

async function writeReminder(
  trx: Transaction<Database>,
  r: { unitId: number; month: string; kind: "auto" | "manual"; reason: string; sentBy: number | null; figures: ReminderFigures; note: string; at: string },
) {
  const { id } = await trx
    .insertInto("reminders")
    .values({ unit_id: r.unitId, month: r.month, kind: r.kind, reason: r.reason, sent_by: r.sentBy, created_at: r.at })
    .returning("id")
    .executeTakeFirstOrThrow();
  const recipients = await recipientsOf(trx, r.unitId);
  const message = reminderMessage(r.figures, r.note);
  await notify(trx, recipients, { kind: REMINDER_NOTIFICATION_KIND, title: message.title, body: message.body, link: reminderLink(r.month) }, r.at);
  return { id, recipients: recipients.length };
}

export interface DueRun {
  month: string;
  /** Whether the month has reached the reminder day. */
  open: boolean;
  sent: Array<{ unitId: number; reason: ReminderReason; recipients: number }>;
}

/**
 * The automatic reminders due now (unless switched off by `autoReminders`): from the day set by `reminderFromDay`, each active unit with a
 * quota that has sent nothing or is forecast to fall short gets one reminder a month. Safe to call
 * as often as one likes: a unit already reminded this month is skipped, checked again inside the
 * transaction that writes.
 */
export async function sendDueReminders(db: DB, now = new Date()): Promise<DueRun> {
  const month = shanghaiMonth(now);
  const day = Number(shanghaiDate(now).slice(8, 10));
  const days = daysInMonth(month);
  const fromDay = await getSetting(db, "reminderFromDay", month);
  // The bureau may switch automatic reminders off in its settings (the reviewers' one-click
  // reminders stay).
  if (!(await getSetting(db, "autoReminders"))) return { month, open: false, sent: [] };
  if (!remindersOpen(day, fromDay, days)) return { month, open: false, sent: [] };
  const closed = !!(await currentClose(db, month));
  const [figures, reminded] = await Promise.all([
    closed ? Promise.resolve(new Map<number, ReminderFigures>()) : monthFigures(db, month, now),
    db.selectFrom("reminders").select("unit_id").where("month", "=", month).where("kind", "=", "auto").execute(),
  ]);
  const due = dueReminders({
    dayOfMonth: day, daysInMonth: days, fromDay, monthClosed: closed,
    units: [...figures.entries()].map(([unitId, f]) => ({ unitId, ...f })),
    alreadyReminded: new Set(reminded.map((r) => r.unit_id)),
  });
  const sent: DueRun["sent"] = [];
  const at = now.toISOString();
  for (const d of due) {
    const f = figures.get(d.unitId)!;
    const result = await db.transaction().execute(async (trx) => {
      const again = await trx
        .selectFrom("reminders")
        .select("id")
        .where("unit_id", "=", d.unitId)
        .where("month", "=", month)
        .where("kind", "=", "auto")
        .executeTakeFirst();
      if (again) return null;
      return writeReminder(trx, { unitId: d.unitId, month, kind: "auto", reason: autoReasonText(d.reason, f), sentBy: null, figures: f, note: "", at });
    });
    if (result) sent.push({ unitId: d.unitId, reason: d.reason, recipients: result.recipients });
  }
  return { month, open: true, sent };
}

export type ManualResult =
  | { ok: true; sent: true; unitName: string; recipients: number }
  | { ok: true; sent: false; unitName: string; message: string }
  | Refusal;

/** A reviewer's reminder to one unit, with an optional reason: reminders row, notifications, audit row. */
export async function sendManualReminder(
  db: DB,
  input: { unitId: number; reason: string },
  actor: { id: number; username: string; ip: string },
  now = new Date(),
): Promise<ManualResult> {
  const unit = await db.selectFrom("units").select(["id", "name", "active"]).where("id", "=", input.unitId).executeTakeFirst();
  if (!unit) return refusal(404, "没有这个单位。");
  if (unit.active !== 1) return refusal(409, `${unit.name}已停用，不能催报。`);
  const month = shanghaiMonth(now);
  const figures = (await monthFigures(db, month, now, unit.id)).get(unit.id) ?? { month, quota: 0, adopted: 0, submitted: 0, shortBy: 0 };
  const at = now.toISOString();
  return db.transaction().execute(async (trx): Promise<ManualResult> => {
    const last = await trx
      .selectFrom("reminders")
      .select("created_at")
      .where("unit_id", "=", unit.id)
      .where("kind", "=", "manual")
      .orderBy("created_at", "desc")
      .limit(1)
      .executeTakeFirst();
    if (manualReminderTooSoon(last?.created_at ?? null, now)) {
      return { ok: true, sent: false, unitName: unit.name, message: `${unit.name} ${MANUAL_REPEAT_MINUTES} 分钟内已催报过，未重复发送。` };
    }
    const written = await writeReminder(trx, {
      unitId: unit.id, month, kind: "manual", reason: input.reason, sentBy: actor.id, figures, note: input.reason, at,
    });
    await recordAudit(trx, {
      actorId: actor.id, actorName: actor.username, action: "reminder_sent", entityType: "unit", entityId: unit.id,
      reason: input.reason, ip: actor.ip, at,
      detail: { reminder_id: written.id, recipients: written.recipients, ...figures },
    });
    return { ok: true, sent: true, unitName: unit.name, recipients: written.recipients };
  });
}

export const REMINDERS_PAGE_SIZE = 30;

export interface ReminderFilters {
  unitId: number | null;
  kind?: "auto" | "manual";
  month?: string;
  page: number;
}

/** Reminders, newest first: every unit's, or one unit's for a school's people. */
export async function listReminders(db: DB, filters: ReminderFilters) {
  let base = db.selectFrom("reminders as r").innerJoin("units as u", "u.id", "r.unit_id");
  if (filters.unitId !== null) base = base.where("r.unit_id", "=", filters.unitId);
  if (filters.kind) base = base.where("r.kind", "=", filters.kind);
  if (filters.month && isMonth(filters.month)) base = base.where("r.month", "=", filters.month);
  return paged(base, filters.page, REMINDERS_PAGE_SIZE, (q) =>
    q
      .leftJoin("accounts as a", "a.id", "r.sent_by")
      .select([
        "r.id", "r.unit_id", "r.month", "r.kind", "r.reason", "r.created_at", "u.code as unit_code", "u.name as unit_name",
        "a.display_name as sender_name",
      ])
      // One run of the job writes many rows at the same instant: list those by unit code.
      .orderBy("r.created_at", "desc")
      .orderBy("u.code")
      .orderBy("r.id", "desc"),
  );
}

const remindersOfMonth = (db: DB, month: string) =>
  db.selectFrom("reminders").select(["unit_id", "kind", "created_at"]).where("month", "=", month);
const monthReminders = preparedQuery((db: DB, month: string) => remindersOfMonth(db, month).orderBy("created_at").orderBy("id"));
const unitMonthReminders = preparedQuery((db: DB, month: string, unitId: number) =>
  remindersOfMonth(db, month).where("unit_id", "=", unitId).orderBy("created_at").orderBy("id"),
);

/**
 * The latest reminder of this month per unit id, for the reviewer's at-risk table ("已催报 11-21
 * 10:00") and a school's dashboard. A plain object, so a loader can return it as JSON.
 */
export async function lastRemindersThisMonth(db: DB, now = new Date(), unitId?: number): Promise<Record<number, { kind: "auto" | "manual"; at: string }>> {
  const month = shanghaiMonth(now);
  const rows = unitId === undefined ? await monthReminders(db, month) : await unitMonthReminders(db, month, unitId);
  const out: Record<number, { kind: "auto" | "manual"; at: string }> = {};
  for (const r of rows) out[r.unit_id] = { kind: r.kind, at: r.created_at };
  return out;
}

/** Active units for the reviewer's reminder form, by kind then code. */
export async function reminderUnitOptions(db: DB) {
  return db
    .selectFrom("units")
    .innerJoin("unit_kinds", "unit_kinds.code", "units.kind_code")
    .select(["units.id", "units.code", "units.name", "unit_kinds.name as kind_name"])
    .where("units.active", "=", 1)
    .orderBy("unit_kinds.sort_order")
    .orderBy("units.code")
    .execute();
}

/** The reminder day in force this month, for the page's explanation. */
export async function reminderFromDay(db: DB, now = new Date()): Promise<number> {
  return getSetting(db, "reminderFromDay", shanghaiMonth(now));
}
