// The report month (报送月份) and the late mark (迟报) of an item, fixed when it reaches the bureau.
import { addMonths, daysBetween, shanghaiDate, shanghaiMonth } from "./time";

/**
 * The month an arriving item counts in. It is fixed at the first arrival (Asia/Shanghai); an item
 * returned and resubmitted keeps it, unless that month has been closed meanwhile, in which case it
 * rolls to the first open month from the arrival on.
 */
export function reportMonthOnArrival(input: {
  current: string | null;
  arrivedAt: string;
  closedMonths: ReadonlySet<string>;
}): string {
  const arrivalMonth = shanghaiMonth(input.arrivedAt);
  let month = input.current ?? arrivalMonth;
  if (!input.closedMonths.has(month)) return month;
  month = month < arrivalMonth ? arrivalMonth : addMonths(month, 1);
  while (input.closedMonths.has(month)) month = addMonths(month, 1);
  return month;
}

/** 迟报: the item reached the bureau more than `lateAfterDays` days after its event. */
export function isLate(eventDate: string, arrivedAt: string, lateAfterDays: number): boolean {
  return daysBetween(eventDate, shanghaiDate(arrivedAt)) > lateAfterDays;
}

/**
 * What the item form says about the event date before the item is sent: null while it would
 * still arrive on time today, otherwise that sending it now makes it 迟报 (the same count as
 * {@link isLate}, with today as the arrival). Null for a date that is not a calendar date.
 */
export function lateWarning(eventDate: string, today: string, lateAfterDays: number): string | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(eventDate) || Number.isNaN(Date.parse(`${eventDate}T00:00:00Z`))) return null;
  const days = daysBetween(eventDate, today);
  if (days <= lateAfterDays) return null;
  return `事件已过去 ${days} 天，超过 ${lateAfterDays} 天的报送时限：现在报送到教体局将记为迟报。`;
}
