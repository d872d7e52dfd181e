// Which period a league address names ("2026-10" a month, "2026" the year to date), its label,
// the months a year counts and the steps to the periods before and after.
import { addMonths, isMonth, monthLabel } from "./time";

export type Period = { scope: "month"; month: string } | { scope: "year"; year: string };

/** "2026-10" → a month, "2026" → year to date; anything else → null (the page answers 404). */
export function parsePeriod(value: string | null | undefined): Period | null {
  if (!value) return null;
  if (isMonth(value)) return { scope: "month", month: value };
  if (/^\d{4}$/.test(value) && value >= "2000" && value <= "2999") return { scope: "year", year: value };
  return null;
}

/** "2026年10月", "2026年（年度累计）" */
export function periodLabel(p: Period): string {
  return p.scope === "month" ? monthLabel(p.month) : `${p.year}年（年度累计）`;
}

/** The months of a year that count towards its year-to-date: from the first month the county has data to the current month. */
export function yearMonths(year: string, bounds: { first: string; current: string }): string[] {
  const months: string[] = [];
  for (let m = 1; m <= 12; m++) {
    const month = `${year}-${String(m).padStart(2, "0")}`;
    if (month >= bounds.first && month <= bounds.current) months.push(month);
  }
  return months;
}

/** Whether the portal has a league for the period: a month (or a year with a month) inside [first, current]. */
export function periodInRange(p: Period, bounds: { first: string; current: string }): boolean {
  if (p.scope === "month") return p.month >= bounds.first && p.month <= bounds.current;
  return yearMonths(p.year, bounds).length > 0;
}

export interface PeriodNav {
  previous: string | null;
  next: string | null;
  /** The other scope: a month's year, a year's latest month. */
  year: string;
  month: string;
}

export function periodNav(p: Period, bounds: { first: string; current: string }): PeriodNav {
  if (p.scope === "month") {
    const prev = addMonths(p.month, -1);
    const next = addMonths(p.month, 1);
    return {
      previous: prev >= bounds.first ? prev : null,
      next: next <= bounds.current ? next : null,
      year: p.month.slice(0, 4),
      month: p.month,
    };
  }
  const y = Number(p.year);
  const months = yearMonths(p.year, bounds);
  const prevYear = String(y - 1);
  const nextYear = String(y + 1);
  return {
    previous: yearMonths(prevYear, bounds).length > 0 ? prevYear : null,
    next: yearMonths(nextYear, bounds).length > 0 ? nextYear : null,
    year: p.year,
    month: months.at(-1) ?? bounds.current,
  };
}
