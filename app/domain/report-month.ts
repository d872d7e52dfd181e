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
