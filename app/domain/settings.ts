// The bureau's own settings: what each one means, its default, its bounds, and when a change takes
// effect. Two kinds of timing:
// - "month": the value changes a month's numbers or what its notice selects (lateness, the
//   commendation and criticism thresholds). A change takes effect from a month after the latest
//   closed month, like the rules, so a closed month never changes.
// - "now": names and office routines (the county's name, the 落款, the 文号 prefix, the 版头,
//   deadlines, reminders). They apply from the moment they are saved to every page and to notices
//   not yet published; a published notice keeps the names it was signed with (frozen in its data).
// Every change is a new row (history kept), never an overwrite of the past.
import { TIERS } from "./catalog";
import { monthLabel } from "./time";

export type SettingTiming = "month" | "now";
export type SettingGroup = "names" | "routine" | "monthly" | "annual" | "security";

interface Base {
  label: string;
  hint: string;
  group: SettingGroup;
  timing: SettingTiming;
}
export interface IntSetting extends Base {
  type: "int";
  default: number;
  min: number;
  max: number;
  unit: string;
}
/** A share shown and entered as a whole percentage, stored as a fraction (0.5 = 50 %). */
export interface PercentSetting extends Base {
  type: "percent";
  default: number;
}
export interface TextSetting extends Base {
  type: "text";
  default: string;
  maxLength: number;
  /** An empty value is allowed (e.g. no county name yet on a fresh install). */
  optional?: boolean;
}
/** A day of the year "MM-DD". */
export interface MonthDaySetting extends Base {
  type: "monthDay";
  default: string;
}
export interface FlagSetting extends Base {
  type: "flag";
  default: boolean;
}
/** One of a fixed list of codes (shown as a select). */
export interface ChoiceSetting extends Base {
  type: "choice";
  default: string;
  options: ReadonlyArray<{ code: string; name: string }>;
}
export type SettingDef = IntSetting | PercentSetting | TextSetting | MonthDaySetting | FlagSetting | ChoiceSetting;

export const SETTING_GROUP_NAMES: Record<SettingGroup, string> = {
  names: "单位名称与公文",
  routine: "报送与催报",
  monthly: "月度通报的表扬与批评",
  annual: "年度汇总的表扬与批评",
  security: "登录记录",
};


export const SETTING_DEFS = {
  countyName: {
    type: "text", group: "names", timing: "now", default: "", maxLength: 20, optional: true,
    label: "县（区）名称", hint: "如“临溪县”。显示在页眉、公众页面和启动信息中。",
  },
  bureauName: {
    type: "text", group: "names", timing: "now", default: "县教育和体育局", maxLength: 40,
    label: "教体局全称", hint: "如“临溪县教育和体育局”。",
  },
  noticeIssuer: {
    type: "text", group: "names", timing: "now", default: "县教育和体育局办公室", maxLength: 40,
    label: "发文单位（落款）", hint: "通报落款处的署名，如“临溪县教育和体育局办公室”。",
  },
  letterheadText: {
    type: "text", group: "names", timing: "now", default: "县教育和体育局办公室", maxLength: 30,
    label: "版头（发文机关标志）", hint: "通报 Word 文件首页红色大字，如“临溪县教育和体育局办公室”。",
  },
  noticeDocPrefix: {
    type: "text", group: "names", timing: "now", default: "教体办", maxLength: 12,
    label: "文号前缀（发文机关代字）", hint: "如“临教体办”，文号为“临教体办〔2026〕12号”。",
  },
  noticeAddressee: {
    type: "text", group: "names", timing: "now", default: "各乡镇中心校、区直各学校、各幼儿园", maxLength: 80,
    label: "主送单位", hint: "新起草的通报默认的主送单位，起草时仍可修改。",
  },
  registerDeadline: {
    type: "monthDay", group: "routine", timing: "month", default: "04-10",
    label: "信息员登记截止日", hint: "每年该日之前各单位报送分管领导和信息员登记表，格式 月-日，如 04-10。",
  },
  lateAfterDays: {
    type: "int", group: "routine", timing: "month", default: 7, min: 1, max: 60, unit: "天",
    label: "迟报天数", hint: "稿件在事件发生后超过这个天数才报送到教体局，记为迟报。",
  },
  appealDays: {
    type: "int", group: "routine", timing: "now", default: 3, min: 1, max: 30, unit: "个工作日",
    label: "申诉期", hint: "月度结算后这么多个工作日内（周一至周五），分管领导可对本单位该月稿件的审核决定提出申诉；该月通报签发后不再受理。",
  },
  reminderFromDay: {
    type: "int", group: "routine", timing: "now", default: 20, min: 1, max: 28, unit: "日",
    label: "自动催报日", hint: "每月从这一天起，向预计完不成任务或尚未报送的单位自动催报（每单位每月一次）。",
  },
  requestRemindHours: {
    type: "int", group: "routine", timing: "now", default: 24, min: 1, max: 168, unit: "小时",
    label: "约稿截止提醒", hint: "约稿截止前这么多小时内，尚未应约也未婉拒的单位收到一次提醒。",
  },
  autoReminders: {
    type: "flag", group: "routine", timing: "now", default: true,
    label: "自动催报", hint: "关闭后不再自动催报，审核员仍可在工作台手动催报。",
  },
  commendTopN: {
    type: "int", group: "monthly", timing: "month", default: 3, min: 0, max: 50, unit: "名",
    label: "每类表扬名额", hint: "每类单位中，完成任务且未被批评的单位按积分取前几名予以表扬（并列的一同表扬）。",
  },
  criticiseBelowCompletion: {
    type: "percent", group: "monthly", timing: "month", default: 0.5,
    label: "批评：任务完成率低于", hint: "当月采用数低于任务数的这个比例，予以通报批评（不报的单位一律批评）。",
  },
  requestMissThreshold: {
    type: "int", group: "monthly", timing: "month", default: 2, min: 1, max: 50, unit: "项",
    label: "批评：约稿未完成达到", hint: "当月结算的约稿中，逾期或未报送达到这个项数，予以通报批评（理由“约稿未完成”）。",
  },
  criticiseMinLate: {
    type: "int", group: "monthly", timing: "month", default: 3, min: 1, max: 100, unit: "篇",
    label: "批评：当月迟报达到", hint: "当月迟报稿件达到这个篇数，予以通报批评。",
  },
  yearCommendMinMonthsMet: {
    type: "int", group: "annual", timing: "month", default: 10, min: 0, max: 12, unit: "个月",
    label: "年度表扬：达标月数至少", hint: "在本单位参加考核的月份中，至少这么多个月完成任务，才能进入年度表扬。",
  },
  yearCommendTopN: {
    type: "int", group: "annual", timing: "month", default: 3, min: 0, max: 50, unit: "名",
    label: "年度表扬：每类至多", hint: "符合达标月数的单位按全年积分在本类别内排名，取前几名（并列的一同表扬）。",
  },
  yearCorrespondentTopN: {
    type: "int", group: "annual", timing: "month", default: 10, min: 0, max: 100, unit: "名",
    label: "优秀信息员名额", hint: "按全年分摊积分取前几名（并列的一同评选）。",
  },
  yearCorrespondentMinAdopted: {
    type: "int", group: "annual", timing: "month", default: 12, min: 0, max: 500, unit: "篇",
    label: "优秀信息员：全年采用至少", hint: "全年采用稿件（多人署名的按人数分摊）不少于这个篇数，才能评为优秀信息员。",
  },
  yearCriticiseNoneMonths: {
    type: "int", group: "annual", timing: "month", default: 3, min: 1, max: 12, unit: "个月",
    label: "年度批评：不报月数达到", hint: "全年不报的月数达到这个数，予以通报批评。",
  },
  yearCriticiseBelowCompletion: {
    type: "percent", group: "annual", timing: "month", default: 0.6,
    label: "年度批评：全年完成率低于", hint: "全年采用数低于全年任务数的这个比例，予以通报批评。",
  },
  bulletinTier: {
    type: "choice", group: "routine", timing: "now", default: "county", options: TIERS,
    label: "简报上稿级别", hint: "稿件编入《教育信息》简报并签发后，按这一级别登记上稿（刊发媒体“县教育信息简报”）并计分。",
  },
  loginHistoryDays: {
    type: "int", group: "security", timing: "now", default: 180, min: 30, max: 3650, unit: "天",
    label: "登录记录保留", hint: "超过这个天数的登录尝试记录会被清理。",
  },
} as const satisfies Record<string, SettingDef>;

export type SettingKey = keyof typeof SETTING_DEFS;
export type SettingValue<K extends SettingKey> = (typeof SETTING_DEFS)[K]["default"] extends number
  ? number
  : (typeof SETTING_DEFS)[K]["default"] extends boolean
    ? boolean
    : string;
export type SettingValues = { [K in SettingKey]: SettingValue<K> };

export const SETTING_KEYS = Object.keys(SETTING_DEFS) as SettingKey[];

export const DEFAULT_SETTINGS = Object.fromEntries(SETTING_KEYS.map((k) => [k, SETTING_DEFS[k].default])) as SettingValues;

export function settingDef(key: SettingKey): SettingDef {
  return SETTING_DEFS[key] as SettingDef;
}

export function isSettingKey(key: string): key is SettingKey {
  return Object.prototype.hasOwnProperty.call(SETTING_DEFS, key);
}

const MONTH_DAY = /^(\d{2})-(\d{2})$/;
const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * Reads what a person typed for a setting. Percentages are typed as whole numbers ("50" or "50%").
 * Returns the value to store, or the reason it cannot be stored.
 */
export function parseSettingInput(key: SettingKey, raw: string): { ok: true; value: number | string | boolean } | { ok: false; message: string } {
  const def = settingDef(key);
  const text = raw.trim();
  switch (def.type) {
    case "int": {
      // "-5" is a whole number too: anything that is not one in range gets the range.
      if (!/^\d{1,6}$/.test(text)) return { ok: false, message: `${def.label}应为 ${def.min}–${def.max} ${def.unit}之间的整数` };
      const n = Number(text);
      if (n < def.min || n > def.max) return { ok: false, message: `${def.label}应在 ${def.min}–${def.max} ${def.unit}之间` };
      return { ok: true, value: n };
    }
    case "percent": {
      const m = /^(\d{1,3})\s*%?$/.exec(text);
      if (!m) return { ok: false, message: `${def.label}应为 0–100 之间的整数（百分比）` };
      const n = Number(m[1]);
      if (n > 100) return { ok: false, message: `${def.label}应为 0–100 之间的整数（百分比）` };
      return { ok: true, value: n / 100 };
    }
    case "text": {
      if (!text && !def.optional) return { ok: false, message: `请填写${def.label}` };
      if ([...text].length > def.maxLength) return { ok: false, message: `${def.label}不能超过 ${def.maxLength} 个字` };
      if (/[\u0000-\u001f\u007f<>]/.test(text)) return { ok: false, message: `${def.label}含有不能使用的字符` };
      return { ok: true, value: text };
    }
    case "monthDay": {
      const m = MONTH_DAY.exec(text);
      const month = m ? Number(m[1]) : 0;
      const day = m ? Number(m[2]) : 0;
      if (!m) return { ok: false, message: `${def.label}格式应为 月-日，如 04-10` };
      // The format is right but the date is not: say which part is wrong, not the format again.
      if (month < 1 || month > 12) return { ok: false, message: `${def.label}的月份应在 01–12 之间` };
      if (day < 1 || day > DAYS_IN_MONTH[month - 1]) {
        return { ok: false, message: `${def.label}有误：${month}月只有 ${DAYS_IN_MONTH[month - 1]} 天，请填写 01–${DAYS_IN_MONTH[month - 1]} 日` };
      }
      return { ok: true, value: text };
    }
    case "choice": {
      if (!def.options.some((o) => o.code === text)) return { ok: false, message: `请从列表中选择${def.label}` };
      return { ok: true, value: text };
    }
    case "flag": {
      if (text === "1" || text === "on" || text === "true") return { ok: true, value: true };
      if (text === "0" || text === "" || text === "off" || text === "false") return { ok: true, value: false };
      return { ok: false, message: `${def.label}只能开启或关闭` };
    }
  }
}

/** A stored value as a person reads it: "50%", "7 天", "开启", "04-10", text as is. */
export function settingText(key: SettingKey, value: unknown): string {
  const def = settingDef(key);
  switch (def.type) {
    case "int":
      return `${value} ${def.unit}`;
    case "percent":
      return `${Math.round(Number(value) * 100)}%`;
    case "flag":
      return value ? "开启" : "关闭";
    case "choice":
      return def.options.find((o) => o.code === value)?.name ?? String(value ?? "");
    default:
      return String(value ?? "") || "（未填写）";
  }
}

/** A stored value as it goes back into its form field. */
export function settingFieldValue(key: SettingKey, value: unknown): string {
  const def = settingDef(key);
  if (def.type === "percent") return String(Math.round(Number(value) * 100));
  if (def.type === "flag") return value ? "1" : "0";
  return String(value ?? "");
}

/**
 * A stored JSON value read back, falling back to the default when a row holds something of the
 * wrong type (an old or hand-edited row must never break a page).
 */
export function coerceSetting<K extends SettingKey>(key: K, value: unknown): SettingValue<K> {
  const def = SETTING_DEFS[key] as SettingDef;
  const ok =
    (def.type === "flag" && typeof value === "boolean") ||
    ((def.type === "int" || def.type === "percent") && typeof value === "number" && Number.isFinite(value)) ||
    ((def.type === "text" || def.type === "monthDay") && typeof value === "string") ||
    (def.type === "choice" && def.options.some((o) => o.code === value));
  return (ok ? value : def.default) as SettingValue<K>;
}

/** The names a county shows, derived once from the settings so every page says the same. */
export interface BureauNames {
  countyName: string;
  bureauName: string;
  office: string;
  letterhead: string;
}

export function bureauNames(s: Pick<SettingValues, "countyName" | "bureauName" | "noticeIssuer" | "letterheadText">): BureauNames {
  return { countyName: s.countyName, bureauName: s.bureauName, office: s.noticeIssuer, letterhead: s.letterheadText };
}

/** How the timing of a change is explained beside the form. */
export function timingText(timing: SettingTiming, effectiveMonth?: string): string {
  if (timing === "now") return "保存后立即生效（已签发的通报不变）";
  return effectiveMonth ? `自${monthLabel(effectiveMonth)}起生效` : "从所选月份起生效（已结算的月份不变）";
}
