// 月度结算: which months a reviewer may close, and how a month's state reads on screen.
import { PAGED_ABOVE } from "./rankings-view";
import { addMonths, monthLabel } from "./time";

/**
 * A month can be closed only after it has ended (Asia/Shanghai): closing the current month would
 * push the rest of its arrivals into the next month.
 */
export function closeTimingProblem(month: string, currentMonth: string): string | null {
  if (month >= currentMonth) return `${monthLabel(month)}尚未结束，${monthLabel(addMonths(month, 1))}1日起才能结算`;
  return null;
}

/** The months the closing page lists: every month with items, plus the current month; newest first. */
export function monthsToList(monthsWithItems: readonly string[], currentMonth: string): string[] {
  return [...new Set([...monthsWithItems, currentMonth])].sort().reverse();
}

export const MONTH_STATE_NAMES = { open: "开放", closed: "已结算" } as const;

/** The note after a close: the month, and how many figures moved since its previous close. */
export function closedFlash(month: string, changeCount: number): string {
  return `已结算 ${monthLabel(month)}${changeCount > 0 ? `，与上次结算相比有 ${changeCount} 处变化` : ""}`;
}

/**
 * The units a close's confirmation lists, each with what will be frozen: a county's all; across a
 * province (more than PAGED_ABOVE) none, as the page would be megabytes: it gives the totals and
 * links to the month's league, which pages and searches the same figures.
 */
export function closeUnitsListed<U>(units: readonly U[]): U[] | null {
  return units.length <= PAGED_ABOVE ? [...units] : null;
}
