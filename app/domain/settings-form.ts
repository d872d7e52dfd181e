// The settings page's form: each field is named by its setting's key, so a section of the page
// sends only its own settings and the others stay as they are. A "month" setting comes with the
// month it takes effect from (`effective_month`); whether that month is still open is the model's
// question (it needs the latest closed month, read in the saving transaction).
import { z } from "zod";
import { normalizeMonth } from "./rules-policy";
import { addMonths, monthLabel } from "./time";
import { isSettingKey, parseSettingInput, SETTING_KEYS, settingDef, type SettingKey } from "./settings";

export interface SettingsFormData {
  changes: Array<{ key: SettingKey; value: number | string | boolean }>;
  /** YYYY-MM, or null when the form carries no "month" setting. */
  effectiveMonth: string | null;
}

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
      for (const key of settingKeysIn(values)) {
        const parsed = parseSettingInput(key, values[key]);
        if (parsed.ok) changes.push({ key, value: parsed.value });
        else ctx.addIssue({ code: "custom", path: [key], message: parsed.message });
      }
      let effectiveMonth: string | null = null;
      if (keys.some((k) => settingDef(k).timing === "month")) {
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

/** "初始值" / "2026年12月起" / "2026年12月 至 2027年2月" for a version. */
export function versionMonths(v: Pick<SettingVersion, "effectiveMonth" | "until">): string {
  if (v.effectiveMonth === INITIAL_MONTH) return v.until ? `初始值（至 ${monthLabel(v.until)}）` : "初始值";
  if (!v.until) return `${monthLabel(v.effectiveMonth)}起`;
  return v.until === v.effectiveMonth ? monthLabel(v.effectiveMonth) : `${monthLabel(v.effectiveMonth)} 至 ${monthLabel(v.until)}`;
}
