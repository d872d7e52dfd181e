// The settings page's form: each field is named by its setting's key, so a section of the page
// sends only its own settings and the others stay as they are. A "month" setting comes with the
// month it takes effect from (`effective_month`); whether that month is still open is the model's
// question (it needs the latest closed month, read in the saving transaction).
import { z } from "zod";
import { addMonths, monthLabel, normalizeMonth } from "./time";
import { isSettingKey, parseSettingInput, SETTING_KEYS, settingDef, settingText, type SettingKey } from "./settings";

type Value = number | string | boolean;

export interface SettingsFormData {
  /**
   * The settings the person changed: each with the value the page showed for it this month
   * (`shown`), when the page said (its hidden `shown_<key>`). A field left as the page showed it is
   * no change and is not here.
   */
  changes: Array<{ key: SettingKey; value: Value; shown?: Value }>;
  /** YYYY-MM, or null when no "month" setting is changed. */
  effectiveMonth: string | null;
}

/** The hidden field that carries the value the page showed for a setting. */
export const shownField = (key: SettingKey) => `shown_${key}`;

/**
 * Why a changed setting is not saved: since the page was drawn, someone else changed the value it
 * showed (another admin, or this one in another tab). Saving would undo their change unseen.
 */
export function changedMeanwhile(key: SettingKey, now: Value, shown: Value): string {
  return `${settingDef(key).label}已被他人改为 ${settingText(key, now)}（您打开页面时为 ${settingText(key, shown)}），这次没有保存；请刷新页面后再改。`;
}

const STALE_PAGE = "页面已过期，请刷新后重试。";
export const NOTHING_TO_SAVE = "没有可保存的设置，请刷新页面后重试。";
export const EFFECTIVE_MONTH_FORMAT = "生效月份格式应为 年-月，如 2026-12";

/** The keys of the settings a submitted form carries, in the page's order. */
export function settingKeysIn(values: Record<string, unknown>): SettingKey[] {
  return SETTING_KEYS.filter((k) => typeof values[k] === "string");
}

export const settingsFormSchema = () =>
  z
    .record(z.string(), z.string())
    .transform((values, ctx): SettingsFormData => {
      const keys = Object.keys(values).filter(isSettingKey);
      if (keys.length === 0) {
        ctx.addIssue({ code: "custom", path: ["_form"], message: NOTHING_TO_SAVE });
        return z.NEVER;
      }
      const changes: SettingsFormData["changes"] = [];
      // Monthly settings the person changed or mistyped: the effective month is theirs to get right.
      let monthly = false;
      for (const key of settingKeysIn(values)) {
        const parsed = parseSettingInput(key, values[key]);
        // The page posts its whole group: a field left as it showed it is not the person's change
        // (saved at the form's effective month, it could undo a version scheduled for that month, or
        // one another admin has just saved). A post without `shown_<key>` changes every field it has.
        const raw = values[shownField(key)];
        const shown = raw === undefined ? null : parseSettingInput(key, raw);
        if (shown && !shown.ok) ctx.addIssue({ code: "custom", path: ["_form"], message: STALE_PAGE });
        if (!parsed.ok) ctx.addIssue({ code: "custom", path: [key], message: parsed.message });
        else if (shown === null) changes.push({ key, value: parsed.value });
        else if (shown.ok && shown.value !== parsed.value) changes.push({ key, value: parsed.value, shown: shown.value });
        else continue;
        if (settingDef(key).timing === "month") monthly = true;
      }
      let effectiveMonth: string | null = null;
      if (monthly) {
        effectiveMonth = normalizeMonth(values.effective_month ?? "");
        if (!effectiveMonth) ctx.addIssue({ code: "custom", path: ["effective_month"], message: EFFECTIVE_MONTH_FORMAT });
      }
      return { changes, effectiveMonth };
    });

// ---------------------------------------------------------------------------------------------
// Versions of a "month" setting, as the page lists them

export interface SettingVersion {
  effectiveMonth: string;
  /** The last month it governs; null while no later version follows. */
  until: string | null;
  value: unknown;
  /** "初始值" for the value the county started with, else "2026年12月起". */
  state: "past" | "current" | "scheduled";
  updatedBy: string | null;
  updatedAt: string;
}

/** A month before any real one: the value a county starts with. */
export const INITIAL_MONTH = "0000-00";

/**
 * One setting's stored rows (any order) as versions, oldest first, each with the months it governs
 * and whether it governs the current month, only earlier ones, or only later ones.
 */
export function settingVersions(
  rows: ReadonlyArray<{ effectiveMonth: string; value: unknown; updatedBy: string | null; updatedAt: string }>,
  currentMonth: string,
): SettingVersion[] {
  const sorted = [...rows].sort((a, b) => (a.effectiveMonth < b.effectiveMonth ? -1 : a.effectiveMonth > b.effectiveMonth ? 1 : 0));
  return sorted.map((r, i) => {
    const next = sorted[i + 1]?.effectiveMonth ?? null;
    const until = next ? addMonths(next, -1) : null;
    const state = r.effectiveMonth > currentMonth ? "scheduled" : until !== null && until < currentMonth ? "past" : "current";
    return { effectiveMonth: r.effectiveMonth, until, value: r.value, state, updatedBy: r.updatedBy, updatedAt: r.updatedAt };
  });
}

// ---------------------------------------------------------------------------------------------
// Withdrawing (撤回) a version that has not begun: the field above shows this month's value, so
// typing the old value back there is no change; a version scheduled for a later month is taken
// back from its own row in the list instead.

/** The 撤回 form of one scheduled version: which setting, from which month, and the value the list showed. */
export const withdrawSettingSchema = () =>
  z.object({ key: z.string({ error: STALE_PAGE }), effective_month: z.string({ error: STALE_PAGE }), shown: z.string({ error: STALE_PAGE }) }).transform((v, ctx) => {
    // Every field comes from the page itself: anything off means a page from an older version.
    const key = isSettingKey(v.key) && settingDef(v.key).timing === "month" ? v.key : null;
    const shown = key ? parseSettingInput(key, v.shown) : null;
    if (!key || !shown?.ok || !/^\d{4}-(0[1-9]|1[0-2])$/.test(v.effective_month)) {
      ctx.addIssue({ code: "custom", path: ["_form"], message: STALE_PAGE });
      return z.NEVER;
    }
    return { key, effectiveMonth: v.effective_month, shown: shown.value };
  });

/**
 * Why a version may not be withdrawn: it governs this month or earlier ones (figures may already
 * rest on it; the field above changes it from an open month on). Null for a later month's version.
 */
export function withdrawProblem(key: SettingKey, effectiveMonth: string, currentMonth: string): string | null {
  if (effectiveMonth > currentMonth) return null;
  return `${settingDef(key).label}${versionMonths({ effectiveMonth, until: null })}的版本已经开始执行，不能撤回；要改回原值，请在上面的输入框填写并选择生效月份。`;
}

/** Why a withdrawal is not made: the version's value changed since the page was drawn. */
export function versionChangedMeanwhile(key: SettingKey, effectiveMonth: string, now: Value, shown: Value): string {
  return `${settingDef(key).label}${monthLabel(effectiveMonth)}起的值已被他人改为 ${settingText(key, now)}（您打开页面时为 ${settingText(key, shown)}），这次没有撤回；请刷新页面后再看。`;
}

/** "初始值" / "2026年12月起" / "2026年12月 至 2027年2月" for a version. */
export function versionMonths(v: Pick<SettingVersion, "effectiveMonth" | "until">): string {
  if (v.effectiveMonth === INITIAL_MONTH) return v.until ? `初始值（至 ${monthLabel(v.until)}）` : "初始值";
  if (!v.until) return `${monthLabel(v.effectiveMonth)}起`;
  return v.until === v.effectiveMonth ? monthLabel(v.effectiveMonth) : `${monthLabel(v.effectiveMonth)} 至 ${monthLabel(v.until)}`;
}
