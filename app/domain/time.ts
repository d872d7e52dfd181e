// All month boundaries, deadlines and displayed times are Asia/Shanghai (UTC+8, no DST).
// Instants are stored as ISO-8601 UTC strings.

const SHANGHAI_OFFSET_MS = 8 * 60 * 60 * 1000;

/** The Asia/Shanghai calendar date (YYYY-MM-DD) of an instant. */
export function shanghaiDate(instant: string | Date): string {
  const ms = new Date(instant).getTime();
  if (Number.isNaN(ms)) throw new RangeError(`invalid instant: ${String(instant)}`);
  return new Date(ms + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}

/** The Asia/Shanghai month (YYYY-MM) of an instant. */
export function shanghaiMonth(instant: string | Date): string {
  return shanghaiDate(instant).slice(0, 7);
}

/** The UTC instant of 00:00 Asia/Shanghai on a calendar date. */
export function shanghaiMidnight(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00.000Z`) - SHANGHAI_OFFSET_MS).toISOString();
}

export function isMonth(value: string): boolean {
  return /^\d{4}-(0[1-9]|1[0-2])$/.test(value);
}

export function addMonths(month: string, delta: number): string {
  const [y, m] = month.split("-").map(Number);
  const total = y * 12 + (m - 1) + delta;
  return `${Math.floor(total / 12)}-${String((total % 12) + 1).padStart(2, "0")}`;
}

/** The `count` months ending with `month`, oldest first. */
export function monthsUpTo(month: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => addMonths(month, i - count + 1));
}

/** Days from one calendar date to another (b − a). */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}

/** A calendar date some days later (or earlier): "2026-02-27" + 2 = "2026-03-01". */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** How many days a month (YYYY-MM) has. */
export function daysInMonth(month: string): number {
  const [y, m] = month.split("-").map(Number);
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

/** Saturday or Sunday. */
export function isWeekend(date: string): boolean {
  const day = new Date(`${date}T00:00:00Z`).getUTCDay();
  return day === 0 || day === 6;
}

/** "2026年11月" */
export function monthLabel(month: string): string {
  const [y, m] = month.split("-");
  return `${y}年${Number(m)}月`;
}

/** "2026-11-21 14:05" in Asia/Shanghai. */
export function formatShanghai(instant: string | Date): string {
  const iso = new Date(new Date(instant).getTime() + SHANGHAI_OFFSET_MS).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)}`;
}

/** Full-width digits, point and signs, as a Chinese input method may type them, made half-width (months here, numbers in the rules forms). */
export function halfWidth(s: string): string {
  return s
    .replace(/[０-９]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/[．。]/g, ".")
    .replace(/[－−—–]/g, "-")
    .replace(/＋/g, "+")
    .replace(/／/g, "/");
}

/**
 * Reads what a person typed as a month: "2026-12", "2026-1", "2026/12", "2026年12月", "２０２６－１２".
 * Returns YYYY-MM or null.
 */
export function normalizeMonth(raw: string): string | null {
  const s = halfWidth(raw).trim();
  const m = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?$/.exec(s);
  if (!m) return null;
  const month = `${m[1]}-${m[2].padStart(2, "0")}`;
  return isMonth(month) && m[1] >= "2000" && m[1] <= "2099" ? month : null;
}
