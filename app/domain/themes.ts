// 报送要点: the themes the bureau asks units to cover in a month. What a theme must look like, for
// which months it may be published or changed, which themes an item may be tagged with, how a
// theme's coverage is counted, and the sentences the monthly notice says about them.
// Pure: the current month and the closed months are passed in.
import { z } from "zod";
import { parseId } from "./fields";
import { AT_BUREAU_STATUSES, itemCounts } from "./points";
import { isMonth, monthLabel } from "./time";

export const THEME_LIMITS = {
  titleMax: 30,
  guidanceMax: 300,
  /** Themes per month: a bureau names a handful, not a catalogue. */
  perMonthMax: 12,
} as const;

const chars = (s: string) => [...s].length;

export function themeTitleProblem(title: string): string | null {
  const t = title.trim();
  if (t === "") return "请填写要点标题";
  if (chars(t) > THEME_LIMITS.titleMax) return `要点标题不能超过 ${THEME_LIMITS.titleMax} 个字`;
  return null;
}

export function themeGuidanceProblem(guidance: string): string | null {
  return chars(guidance.trim()) > THEME_LIMITS.guidanceMax ? `报送说明不能超过 ${THEME_LIMITS.guidanceMax} 个字` : null;
}

/**
 * A month's themes may be published or changed from the current month (Asia/Shanghai) on, while
 * the month is open: a past month's are history, a closed month's are frozen with its numbers.
 */
export function themeMonthProblem(month: string, ctx: { currentMonth: string; closedMonths: ReadonlySet<string> }): string | null {
  if (!isMonth(month)) return "请选择正确的月份（年-月）";
  if (ctx.closedMonths.has(month)) return `${monthLabel(month)}已经结算，不能再发布或修改该月的报送要点`;
  if (month < ctx.currentMonth) return `${monthLabel(month)}已经过去，不能再发布或修改该月的报送要点`;
  return null;
}

/** The theme form (create and edit); the month is checked against the calendar by {@link themeMonthProblem}. */
export function themeFormSchema() {
  const check = (problem: (v: string) => string | null) => (value: string, ctx: z.RefinementCtx) => {
    const message = problem(value);
    if (message) ctx.addIssue({ code: "custom", message });
  };
  return z.object({
    title: z.string({ error: "请填写要点标题" }).trim().superRefine(check(themeTitleProblem)),
    guidance: z.string().optional().default("").transform((v) => v.trim()).superRefine(check(themeGuidanceProblem)),
    category_id: z
      .string()
      .optional()
      .transform((v) => (v === undefined || v.trim() === "" ? null : (parseId(v.trim()) ?? NaN)))
      .refine((v) => v === null || Number.isSafeInteger(v), "请选择有效的栏目"),
    sort_order: z
      .string()
      .optional()
      // Digits only: Number() would also take "0x10", "1e1" and "+5".
      .transform((v) => (v === undefined || v.trim() === "" ? 0 : /^\d{1,2}$/.test(v.trim()) ? Number(v.trim()) : Number.NaN))
      .refine((v) => Number.isInteger(v) && v >= 0 && v <= 99, "排序请填写 0–99 的整数"),
  });
}

export type ThemeFields = z.output<ReturnType<typeof themeFormSchema>>;

// ---------------------------------------------------------------------------------------------
// Tagging an item

export interface ThemeRef {
  id: number;
  month: string;
}

/**
 * The themes an item may be tagged with: those of the month it would count in (see
 * report-month.ts), and the one it carries now (kept while it stays).
 */
export function taggableThemes<T extends ThemeRef>(themes: readonly T[], input: { countMonth: string; currentThemeId: number | null }): T[] {
  return themes.filter((t) => t.month === input.countMonth || t.id === input.currentThemeId);
}

/** Null when the tag is acceptable (none, or one of the taggable themes). */
export function themeTagProblem(themeId: number | null, taggable: readonly ThemeRef[]): string | null {
  if (themeId === null) return null;
  return taggable.some((t) => t.id === themeId) ? null : "请选择本月的报送要点（其他月份的要点不能选）";
}

// ---------------------------------------------------------------------------------------------
// Coverage

export interface CoverageItem {
  unitId: number;
  themeId: number | null;
  status: string;
  pointsRevoked: boolean;
  reportMonth: string | null;
}

export interface CoverageUnit {
  id: number;
  name: string;
  code: string;
  active: boolean;
  /** The unit's quota in the theme's month (override applied). */
  quota: number;
}

export interface ThemeCoverage {
  themeId: number;
  /** Units expected to cover it: active, with a quota that month. */
  expected: number;
  /** Units with at least one tagged item of the month adopted (counted as the league counts it). */
  covered: number;
  /** Units with at least one tagged item of the month that reached the bureau. */
  reported: number;
  /** Expected units that have not covered it, by code. */
  notCovered: Array<{ id: number; name: string; code: string }>;
}

/**
 * A theme's coverage: only items tagged with it that count in its month (report month = the
 * theme's month) are counted; "covered" follows the league's rule (itemCounts), "reported" the
 * rule for reaching the bureau (AT_BUREAU_STATUSES).
 */
export function themeCoverage(theme: ThemeRef, items: readonly CoverageItem[], units: readonly CoverageUnit[]): ThemeCoverage {
  const atBureau = new Set<string>(AT_BUREAU_STATUSES);
  const covered = new Set<number>();
  const reported = new Set<number>();
  for (const item of items) {
    if (item.themeId !== theme.id || item.reportMonth !== theme.month || !atBureau.has(item.status)) continue;
    reported.add(item.unitId);
    if (itemCounts(item)) covered.add(item.unitId);
  }
  const expected = units.filter((u) => u.active && u.quota > 0);
  return {
    themeId: theme.id,
    expected: expected.length,
    covered: covered.size,
    reported: reported.size,
    notCovered: expected
      .filter((u) => !covered.has(u.id))
      .sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0))
      .map(({ id, name, code }) => ({ id, name, code })),
  };
}

// ---------------------------------------------------------------------------------------------
// The monthly notice

/** A theme's coverage as the notice freezes it. */
export interface NoticeTheme {
  title: string;
  expected: number;
  covered: number;
  reported: number;
}

/** The notice's sentences about the month's themes; none when the month had none. */
export function noticeThemeSentences(month: string, themes: readonly NoticeTheme[]): string[] {
  if (themes.length === 0) return [];
  const parts = themes.map((t) => {
    const rate = t.expected > 0 ? `，覆盖 ${Math.round((t.covered / t.expected) * 100)}% 的应报单位` : "";
    return `“${t.title}”${t.reported} 个单位报送、${t.covered} 个单位被采用${rate}`;
  });
  const none = themes.filter((t) => t.covered === 0).map((t) => `“${t.title}”`);
  const lines = [`${monthLabel(month)}发布报送要点 ${themes.length} 项：${parts.join("；")}。`];
  if (none.length > 0) lines.push(`${none.join("、")}尚无单位信息被采用，请各单位围绕报送要点加强组稿。`);
  return lines;
}
