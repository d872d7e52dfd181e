// Reminders (催报) before the month ends, not only criticism after it: from a day of the month set
// by the bureau, a unit heading below its quota, or one that has sent the bureau nothing this
// month, is reminded once; reviewers may add reminders of their own. Pure.
import { can, roleNeedsUnit, type Actor } from "~/domain/permissions";
import { monthLabel } from "~/domain/time";

export const DEFAULT_REMINDER_FROM_DAY = 20;

/** Why a unit is reminded automatically. */
export type ReminderReason = "none" | "short";

export const REMINDER_KIND_NAMES = { auto: "自动催报", manual: "审核员催报" } as const;

/**
 * The day reminders start: the setting, at least the 1st and at most the month's last day (a
 * setting of 31 still reminds in a 30-day month).
 */
export function reminderStartDay(fromDay: number, daysInMonth: number): number {
  const day = Number.isFinite(fromDay) ? Math.trunc(fromDay) : DEFAULT_REMINDER_FROM_DAY;
  return Math.min(Math.max(1, day), daysInMonth);
}

export function remindersOpen(dayOfMonth: number, fromDay: number, daysInMonth: number): boolean {
  return dayOfMonth >= reminderStartDay(fromDay, daysInMonth);
}

export interface ReminderUnit {
  unitId: number;
  quota: number;
  adopted: number;
  /** Items that reached the bureau this month. */
  submitted: number;
  /** The forecast's shortfall (0: on track). */
  shortBy: number;
}

export interface DueInput {
  dayOfMonth: number;
  daysInMonth: number;
  fromDay: number;
  /** A closed month is accounted for: too late to remind. */
  monthClosed?: boolean;
  units: readonly ReminderUnit[];
  /** Units that already had this month's automatic reminder. */
  alreadyReminded: ReadonlySet<number>;
}

export interface DueReminder {
  unitId: number;
  reason: ReminderReason;
}

/**
 * Who gets an automatic reminder now: nobody before the start day or in a closed month; then each
 * unit with a quota and no reminder yet this month, if it has sent nothing (不报 so far) or the
 * forecast says it will fall short.
 */
export function dueReminders(input: DueInput): DueReminder[] {
  if (input.monthClosed || !remindersOpen(input.dayOfMonth, input.fromDay, input.daysInMonth)) return [];
  const due: DueReminder[] = [];
  for (const u of input.units) {
    if (u.quota <= 0 || input.alreadyReminded.has(u.unitId)) continue;
    if (u.submitted === 0) due.push({ unitId: u.unitId, reason: "none" });
    else if (u.shortBy > 0) due.push({ unitId: u.unitId, reason: "short" });
  }
  return due;
}

export interface ReminderFigures {
  month: string;
  quota: number;
  adopted: number;
  submitted: number;
  shortBy: number;
}

/** The reason recorded with an automatic reminder, as the list shows it. */
export function autoReasonText(reason: ReminderReason, f: ReminderFigures): string {
  return reason === "none" ? `本月尚无稿件报送到教体局（任务 ${f.quota} 条）` : `预计差 ${f.shortBy} 条（已采用 ${f.adopted} 条，任务 ${f.quota} 条）`;
}

/** What the unit's people read: the month's figures, the shortfall, and (manual) the reviewer's words. */
export function reminderMessage(f: ReminderFigures, note = ""): { title: string; body: string } {
  const title = `催报：${monthLabel(f.month)}信息报送`;
  const figures =
    f.submitted === 0
      ? `本月尚无稿件报送到教体局，任务 ${f.quota} 条`
      : f.shortBy > 0
        ? `本月已采用 ${f.adopted} 条，任务 ${f.quota} 条，预计差 ${f.shortBy} 条`
        : `本月已采用 ${f.adopted} 条，任务 ${f.quota} 条`;
  const ask = f.submitted === 0 ? "请抓紧报送；已写好的稿件请分管领导尽快签发" : "请抓紧报送";
  const body = `${figures}，${ask}。${note ? `审核员留言：${note}` : ""}`;
  return { title, body };
}

/** A second manual reminder to the same unit within this many minutes is a double click, not news. */
export const MANUAL_REPEAT_MINUTES = 10;

export function manualReminderTooSoon(lastManualAt: string | null, now: Date): boolean {
  if (!lastManualAt) return false;
  return now.getTime() - Date.parse(lastManualAt) < MANUAL_REPEAT_MINUTES * 60_000;
}

export const REMINDER_REASON_MAX = 200;

/**
 * Whose reminders a person may list: reviewers (reminder.send) every unit's; a school's people
 * (unit.dashboard) their own unit's; null: none.
 */
export function reminderScope(actor: Actor): { all: true } | { all: false; unitId: number } | null {
  if (can(actor.role, "reminder.send")) return { all: true };
  if (can(actor.role, "unit.dashboard") && roleNeedsUnit(actor.role) && actor.unitId !== null) {
    return { all: false, unitId: actor.unitId };
  }
  return null;
}

/** What a reminder's notification opens: the month's league at the unit's own line. */
export function reminderLink(month: string): string {
  return `/rankings/${month}#own-unit`;
}

/** The words of a notification's "open" button: a reminder is about the unit's month, not an item. */
export function notificationLinkText(kind: string): string {
  return kind === "reminder" ? "查看本月情况" : "查看稿件";
}
