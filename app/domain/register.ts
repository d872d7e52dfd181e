// The correspondent register (信息员登记表): who a unit has registered as its lead in charge and
// its correspondents, the bureau's yearly deadline, which units are incomplete, and the rules a
// lead's correction of the register must follow. Pure; the database facts are passed in.
import { z } from "zod";
import { phoneField } from "~/domain/directory";
import { can, roleName, roleNeedsUnit, type Actor } from "~/domain/permissions";
import { idField } from "./fields";
import { versionFor } from "./rule-versions";

/** The two roles a unit registers; the order is the register's. */
export const REGISTER_ROLES = ["school_lead", "correspondent"] as const;
export type RegisterRole = (typeof REGISTER_ROLES)[number];

export function isRegisterRole(role: string): role is RegisterRole {
  return (REGISTER_ROLES as readonly string[]).includes(role);
}

/** What a unit can be missing. */
export type RegisterGap = "lead" | "correspondent";

export const GAP_NAMES: Record<RegisterGap, string> = {
  lead: "分管领导",
  correspondent: "在岗信息员",
};

export interface RegisterMember {
  role: string;
  active: boolean;
}

/** A unit needs at least one active lead and one active correspondent. */
export function registerGaps(members: readonly RegisterMember[]): RegisterGap[] {
  const has = (role: RegisterRole) => members.some((m) => m.active && m.role === role);
  const gaps: RegisterGap[] = [];
  if (!has("school_lead")) gaps.push("lead");
  if (!has("correspondent")) gaps.push("correspondent");
  return gaps;
}

/** "缺少分管领导、在岗信息员" ("" when nothing is missing). */
export function gapText(gaps: readonly RegisterGap[]): string {
  return gaps.length === 0 ? "" : `缺少${gaps.map((g) => GAP_NAMES[g]).join("、")}`;
}

/**
 * Whose register a person may read: the bureau's roles every unit's (register.view), a lead only
 * their own unit's (register.edit_unit); null: none (correspondents).
 */
export function registerScope(actor: Actor): { all: true } | { all: false; unitId: number } | null {
  if (can(actor.role, "register.view")) return { all: true };
  if (can(actor.role, "register.edit_unit") && roleNeedsUnit(actor.role) && actor.unitId !== null) {
    return { all: false, unitId: actor.unitId };
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// The deadline

export const DEFAULT_REGISTER_DEADLINE = "04-10";

/** Years a register page exists for: from 2000 up to next year. */
export const FIRST_REGISTER_YEAR = 2000;

export function parseRegisterYear(value: string | undefined, currentYear: number): number | null {
  if (!value || !/^\d{4}$/.test(value)) return null;
  const year = Number(value);
  return year >= FIRST_REGISTER_YEAR && year <= currentYear + 1 ? year : null;
}

function isLeap(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function daysIn(year: number, month: number): number {
  return month === 2 ? (isLeap(year) ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/**
 * The year's deadline as a date, from the "MM-DD" setting. A setting that is not a date falls back
 * to the default; 02-29 in a year without one is 02-28.
 */
export function registerDeadline(year: number, setting: string): string {
  const m = /^(\d{2})-(\d{2})$/.exec(setting.trim());
  const [month, day] = m ? [Number(m[1]), Number(m[2])] : [0, 0];
  const valid = month >= 1 && month <= 12 && day >= 1 && day <= (month === 2 ? 29 : daysIn(2000, month));
  if (!valid) return registerDeadline(year, DEFAULT_REGISTER_DEADLINE);
  return `${year}-${String(month).padStart(2, "0")}-${String(Math.min(day, daysIn(year, month))).padStart(2, "0")}`;
}

/** "2026-04-10" → "2026年4月10日" */
export function dateLabel(date: string): string {
  const [y, m, d] = date.split("-").map(Number);
  return `${y}年${m}月${d}日`;
}

/** The deadline has passed once the day after it has begun (the deadline day itself still counts). */
export function deadlinePassed(deadline: string, today: string): boolean {
  return today > deadline;
}

/** Registered in the register's year, after its deadline (逾期登记). */
export function registeredLate(registeredOn: string | null, year: number, deadline: string): boolean {
  return registeredOn !== null && registeredOn.startsWith(`${year}-`) && registeredOn > deadline;
}

/**
 * The year's deadline from the setting's versions (each in force from its month to the next): the
 * one in force when it fell. The first month whose version in force names one of its own days has
 * the deadline on that day. A version taking effect with a day already past closes registration at
 * the end of the month before (nobody registered under the earlier date turns late). A change made
 * after the deadline (meant for next year) leaves it as it fell.
 */
export function yearRegisterDeadline(year: number, versions: ReadonlyArray<{ effectiveMonth: string; value: string }>): string {
  for (let m = 1; m <= 12; m++) {
    const month = `${year}-${String(m).padStart(2, "0")}`;
    const deadline = registerDeadline(year, versionFor(versions, month)?.value ?? DEFAULT_REGISTER_DEADLINE);
    if (deadline.startsWith(month)) return deadline;
    // January's version cannot name an earlier month, so m > 1 here.
    if (deadline < month) return `${year}-${String(m - 1).padStart(2, "0")}-${daysIn(year, m - 1)}`;
  }
  return `${year}-12-31`; // not reached: December's version names a day of December or before
}

// ---------------------------------------------------------------------------------------------
// Who was on the register on a given day

/** A person with dates (Asia/Shanghai): since-date (登记日期), account created, deactivated (null: active or not recorded). */
export interface DatedMember extends RegisterMember {
  registeredOn: string | null;
  createdOn: string;
  deactivatedOn: string | null;
}

/**
 * The day a person is on the register from, as seen from `date`: the since-date; but one in a later
 * year is a later registration (the register keeps one date a person, and registeredLate does not
 * flag it for an earlier year), so there, as when none was given, the account's creation date.
 */
function since(m: DatedMember, date: string): string {
  return m.registeredOn !== null && m.registeredOn.slice(0, 4) <= date.slice(0, 4) ? m.registeredOn : m.createdOn;
}

/**
 * On the register at the end of `date`: there since then, and not deactivated on or before it.
 * An inactive account with no recorded date is off on every day. Reactivating clears the date,
 * so a person who left and came back counts as there throughout.
 */
export function onRegisterAt(m: DatedMember, date: string): boolean {
  return since(m, date) <= date && (m.active || (m.deactivatedOn !== null && m.deactivatedOn > date));
}

/**
 * What a unit lacked at the end of the deadline day; null before the deadline has passed, or when
 * the unit was not there then: entered after it, with nobody on its register since before it.
 */
export function gapsAtDeadline(unitCreatedOn: string, members: readonly DatedMember[], deadline: string, today: string): RegisterGap[] | null {
  if (!deadlinePassed(deadline, today)) return null;
  if (unitCreatedOn > deadline && !members.some((m) => since(m, deadline) <= deadline)) return null;
  return registerGaps(members.map((m) => ({ role: m.role, active: onRegisterAt(m, deadline) })));
}

/** A cell's text; `missing`: it names what is missing (not "齐全", "已补齐" or "截止日后新增"). */
export type IncompleteCell = { text: string; missing: boolean };

/** `atDeadline`: null before the deadline has passed. */
export type IncompleteRow = Omit<IncompleteUnit, "gaps" | "text"> & { atDeadline: IncompleteCell | null; today: IncompleteCell };

type TableUnit = Pick<RegisterUnit, "id" | "code" | "name" | "kindName" | "gaps" | "gapsAtDeadline">;

/**
 * The register's table of incomplete units (page and Excel alike). Before the deadline: today's
 * gaps. After it: every unit incomplete at the deadline, and every unit incomplete today (listed
 * until fixed), each with what it lacked then and what it lacks now.
 */
export function incompleteTable(units: readonly TableUnit[], passed: boolean): IncompleteRow[] {
  const names = (gaps: readonly RegisterGap[]) => gaps.map((g) => GAP_NAMES[g]).join("、");
  const then = (gaps: readonly RegisterGap[] | null): IncompleteCell =>
    gaps === null ? { text: "截止日后新增", missing: false } : gaps.length > 0 ? { text: names(gaps), missing: true } : { text: "齐全", missing: false };
  return units
    .filter((u) => u.gaps.length > 0 || (passed && (u.gapsAtDeadline?.length ?? 0) > 0))
    .map((u) => ({
      unitId: u.id, code: u.code, name: u.name, kindName: u.kindName,
      atDeadline: passed ? then(u.gapsAtDeadline) : null,
      today: u.gaps.length > 0 ? { text: names(u.gaps), missing: true } : { text: "已补齐", missing: false },
    }));
}

// ---------------------------------------------------------------------------------------------
// A lead's correction of one person's entry

function isCalendarDate(value: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return mo >= 1 && mo <= 12 && d >= 1 && d <= daysIn(y, mo);
}

/** The since-date: a real date, not before 2000 and not after today (Asia/Shanghai). */
export function registeredOnProblem(value: string, today: string): string | null {
  if (value === "") return "请填写登记日期";
  if (!isCalendarDate(value)) return "登记日期应为有效日期，如 2026-03-20";
  if (value < `${FIRST_REGISTER_YEAR}-01-01`) return `登记日期不能早于 ${FIRST_REGISTER_YEAR} 年`;
  if (value > today) return "登记日期不能晚于今天";
  return null;
}

/** The lead's form: which person, their phone (directory rules) and since-date. */
export function registerEntrySchema(today: string) {
  return z.object({
    account_id: idField("请选择人员"),
    phone: phoneField(),
    registered_on: z
      .string()
      .optional()
      .default("")
      .transform((v) => v.trim())
      .superRefine((v, ctx) => {
        const problem = registeredOnProblem(v, today);
        if (problem) ctx.addIssue({ code: "custom", message: problem });
      }),
  });
}
export type RegisterEntryInput = z.output<ReturnType<typeof registerEntrySchema>>;

/** The changes a correction makes, field by field (empty: nothing to save). */
export function entryChanges(
  current: { phone: string; registered_on: string | null },
  next: { phone: string; registered_on: string },
): Record<string, [string | null, string]> {
  const changes: Record<string, [string | null, string]> = {};
  if (current.phone !== next.phone) changes.phone = [current.phone, next.phone];
  if (current.registered_on !== next.registered_on) changes.registered_on = [current.registered_on, next.registered_on];
  return changes;
}

// ---------------------------------------------------------------------------------------------
// The register as rows (the Excel export, one per person, and one per missing role)

export const REGISTER_COLUMNS = [
  "单位代码", "单位名称", "类别", "乡镇", "角色", "姓名", "手机号", "登记日期", "状态",
] as const;

export interface RegisterRowPerson {
  role: string;
  name: string;
  phone: string;
  registeredOn: string | null;
  late?: boolean;
}

export interface RegisterRowUnit {
  code: string;
  name: string;
  kindName: string;
  township: string;
  leads: readonly RegisterRowPerson[];
  correspondents: readonly RegisterRowPerson[];
  inactive: ReadonlyArray<RegisterRowPerson & { deactivatedOn: string | null }>;
  gaps: readonly RegisterGap[];
}

export type RegisterRow = [string, string, string, string, string, string, string, string, string];

/**
 * One row per person on the register, then one per missing role ("未登记") and one per person
 * who has left ("已停用"), so that the sheet shows the same gaps and notes as the page.
 */
export function registerRows(units: readonly RegisterRowUnit[]): RegisterRow[] {
  const rows: RegisterRow[] = [];
  for (const u of units) {
    const head = [u.code, u.name, u.kindName, u.township] as const;
    for (const p of [...u.leads, ...u.correspondents]) {
      rows.push([...head, roleName(p.role), p.name, p.phone, p.registeredOn ?? "", p.late ? "在用（逾期登记）" : "在用"]);
    }
    for (const gap of u.gaps) {
      rows.push([...head, gap === "lead" ? "分管领导" : "信息员", "", "", "", "未登记"]);
    }
    for (const p of u.inactive) {
      rows.push([...head, roleName(p.role), p.name, p.phone, p.registeredOn ?? "", p.deactivatedOn ? `已停用（${p.deactivatedOn}）` : "已停用"]);
    }
  }
  return rows;
}

// The register as pages show it (built by app/models/register.server.ts).

export interface RegisterPerson {
  id: number;
  username: string;
  name: string;
  role: (typeof REGISTER_ROLES)[number];
  phone: string;
  registeredOn: string | null;
  /** Registered in this register's year after its deadline (逾期登记). */
  late: boolean;
}

export interface InactivePerson extends RegisterPerson {
  deactivatedOn: string | null;
}

export interface RegisterUnit {
  id: number;
  code: string;
  name: string;
  township: string;
  kindCode: string;
  kindName: string;
  leads: RegisterPerson[];
  correspondents: RegisterPerson[];
  inactive: InactivePerson[];
  /** What it lacks today. */
  gaps: RegisterGap[];
  gapText: string;
  /** What it lacked at the end of the deadline day (gapsAtDeadline). */
  gapsAtDeadline: RegisterGap[] | null;
}

export type IncompleteUnit = { unitId: number; code: string; name: string; kindName: string; gaps: RegisterGap[]; text: string };

export interface RegisterView {
  year: number;
  deadline: string;
  deadlineLabel: string;
  deadlinePassed: boolean;
  today: string;
  /** "all": every active unit; else the one unit of the lead reading it. */
  scope: "all" | "unit";
  kinds: Array<{ code: string; name: string; units: RegisterUnit[] }>;
  /** The register's list: the units incomplete at the deadline once it has passed, before it today's. */
  incomplete: IncompleteUnit[];
  /** The units incomplete today, listed until fixed (and warned about on their dashboards). */
  incompleteToday: IncompleteUnit[];
  totals: { units: number; leads: number; correspondents: number; late: number; noPhone: number; inactive: number };
}
