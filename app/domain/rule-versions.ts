// Rules as versioned data: the version in force for a month is the latest effective on or before it.
// A closed month keeps the versions it was closed with, so a new version (or override) may take effect
// only after the latest closed month, and only a version that governs no closed month may be edited.
import { changedSinceShown, seenToken } from "./edit-seen";
import { addMonths, isMonth, monthLabel } from "./time";

/** How far ahead a rule may be planned. */
export const MAX_MONTHS_AHEAD = 24;

export interface Versioned {
  effectiveMonth: string;
}

export function versionFor<T extends Versioned>(versions: readonly T[], month: string): T | null {
  let best: T | null = null;
  for (const v of versions) {
    if (v.effectiveMonth <= month && (!best || v.effectiveMonth > best.effectiveMonth)) best = v;
  }
  return best;
}

/** Which months each version governs, for the admin's rules page: [from, to] (to null = open-ended). */
export function governedRanges<T extends Versioned>(versions: readonly T[]): Array<T & { until: string | null }> {
  const sorted = [...versions].sort((a, b) => (a.effectiveMonth < b.effectiveMonth ? -1 : 1));
  return sorted.map((v, i) => ({ ...v, until: sorted[i + 1] ? addMonths(sorted[i + 1].effectiveMonth, -1) : null }));
}

// ---------------------------------------------------------------------------------------------
// Effective months

/** The first month a new version may take effect from: the month after the latest closed one. */
export function earliestEffectiveMonth(latestClosed: string | null): string | null {
  return latestClosed ? addMonths(latestClosed, 1) : null;
}

/** What the create forms offer: next month, or the earliest allowed month if that is later. */
export function suggestedEffectiveMonth(input: { latestClosed: string | null; currentMonth: string }): string {
  const next = addMonths(input.currentMonth, 1);
  const earliest = earliestEffectiveMonth(input.latestClosed);
  return earliest && earliest > next ? earliest : next;
}

/**
 * Why a new version (or override) may not take effect from `month`, or null when it may.
 * It must come after the latest closed month, so every closed month keeps its version.
 */
export function effectiveMonthProblem(input: { month: string; latestClosed: string | null; currentMonth: string }): string | null {
  const { month, latestClosed, currentMonth } = input;
  if (!isMonth(month)) return "生效月份格式应为 年-月，如 2026-12";
  if (latestClosed && month <= latestClosed) {
    return `${monthLabel(latestClosed)}已结算，新规则最早从 ${monthLabel(addMonths(latestClosed, 1))} 起生效`;
  }
  const latest = addMonths(currentMonth, MAX_MONTHS_AHEAD);
  if (month > latest) return `生效月份不能晚于 ${monthLabel(latest)}，请核对年份`;
  return null;
}

/**
 * A version (or override) may be edited in place only while it governs no closed month: its
 * effective month is after the latest closed month.
 */
export function isEditable(effectiveMonth: string, latestClosed: string | null): boolean {
  return !latestClosed || effectiveMonth > latestClosed;
}

export const NOT_EDITABLE_MESSAGE = "该版本已用于已结算的月份，不能修改；如需调整，请新建一个版本";

/**
 * What an edit form showed of a version or override (its values and its note or reason), carried
 * back in the hidden field `seen` (app/domain/edit-seen.ts). The same values in any order read the same.
 */
export function versionSeen(values: Readonly<Record<string, unknown>>, note: string): string {
  return JSON.stringify([seenToken(values), note]);
}

export const VERSION_CHANGED_MEANWHILE = changedSinceShown("这个版本");

export function sameMonthMessage(what: "points" | "quota", month: string): string {
  const name = what === "points" ? "积分规则" : "任务数";
  return `${monthLabel(month)}起生效的${name}版本已经存在。同一月份不能再建新版本：请选择其他月份，或在下方列表中修改该版本`;
}

export function sameOverrideMessage(unitName: string, month: string): string {
  return `${unitName}已有从 ${monthLabel(month)} 起的例外任务数，请在下方列表中修改它，或选择其他月份`;
}

/** How a version is named on screen: by the month it takes effect from. */
export function versionName(effectiveMonth: string, isFirst: boolean): string {
  return isFirst ? "初始版本" : `${monthLabel(effectiveMonth)}起`;
}

/**
 * The month the first rule versions take effect from (the seed writes them so): before any real
 * month, so every month has a rule. It is not a date anyone chose, so it reads as the platform's start.
 */
export const BASE_RULES_MONTH = "2000-01";

/** "2026年1月 至 2026年11月", "2026年12月起至今", "平台启用起至今" */
export function governedLabel(from: string, until: string | null): string {
  const start = from <= BASE_RULES_MONTH ? "平台启用" : monthLabel(from);
  if (!until) return `${start}起至今`;
  if (from <= BASE_RULES_MONTH) return `${start}起至 ${monthLabel(until)}`;
  return from === until ? monthLabel(from) : `${start} 至 ${monthLabel(until)}`;
}
