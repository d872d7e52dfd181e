// Where a unit's month is heading: what is adopted, what is in review times the unit's adoption
// rate, and what the pace of submissions so far would still bring in the days left.

/** A unit's adoption rate is taken over this many months before the current one. */
export const ADOPTION_RATE_MONTHS = 6;

export interface ForecastInput {
  quota: number;
  adoptedSoFar: number;
  submittedSoFar: number;
  inReview: number;
  /** The unit's share of decided items that were adopted (past months); 0..1. */
  adoptionRate: number;
  dayOfMonth: number;
  daysInMonth: number;
}

export interface Forecast {
  expected: number;
  /** Items still missing at the forecast (0 when on track). */
  shortBy: number;
  message: string;
}

export function forecastMonth(f: ForecastInput): Forecast {
  const rate = Math.min(1, Math.max(0, f.adoptionRate));
  const elapsed = Math.max(1, Math.min(f.dayOfMonth, f.daysInMonth));
  const remaining = f.daysInMonth - elapsed;
  const pace = f.submittedSoFar / elapsed;
  const expected = Math.round((f.adoptedSoFar + f.inReview * rate + pace * remaining * rate) * 10) / 10;
  const shortBy = Math.max(0, Math.ceil(f.quota - expected - 1e-9));
  const message =
    f.quota <= 0 ? "本月无任务数要求" : shortBy > 0 ? `预计差 ${shortBy} 条` : f.adoptedSoFar >= f.quota ? "已完成本月任务" : "预计可以完成";
  return { expected, shortBy, message };
}

/**
 * The school home's callout. It sits just above the card "差 10 条未完成任务" (the quota minus what is
 * adopted today), so a shortfall is said as where the month is heading at the present pace.
 */
export function forecastCallout(f: Pick<Forecast, "shortBy" | "message">): string {
  return f.shortBy > 0 ? `本月预测：按目前的报送进度，到月底预计还差 ${f.shortBy} 条，请抓紧报送。` : `本月预测：${f.message}。`;
}

/** Kept where the forecast's callers look for it; the calendar lives in time.ts. */
export { daysInMonth } from "./time";
