// The admin's forms for the bureau's rules: points per rule, quotas per kind, per-unit overrides,
// and how their numbers are read. Which month a version may take effect from and which versions may
// still be edited: app/domain/rule-versions.ts.
import { z } from "zod";
import type { PointsRules } from "./catalog";
import { halfWidth, normalizeMonth } from "./time";
import { builtOnce, idField, whenPassed } from "./fields";

/** Quotas and points are small numbers; anything beyond these is a typing slip. */
export const MAX_QUOTA = 999;
export const MAX_POINTS = 100;
export const NOTE_MAX = 200;
export const REASON_MAX = 200;

// ---------------------------------------------------------------------------------------------
// Points: one numeric field per rule

export type PointsFieldName =
  | "grade_excellent" | "grade_good" | "grade_fair" | "photo_bonus"
  | "pickup_county" | "pickup_city" | "pickup_province" | "pickup_national"
  | "instruction_county" | "instruction_city" | "instruction_province"
  | "late_penalty" | "quota_met" | "per_item_short" | "none_sent"
  | "request_fulfilled" | "request_missed" | "request_declined";

export interface PointsField {
  name: PointsFieldName;
  label: string;
  group: PointsGroup;
  /** Penalties are entered as negative numbers. */
  penalty: boolean;
  get(rules: PointsRules): number;
}

export type PointsGroup = "grade" | "bonus" | "pickup" | "instruction" | "month" | "request";

export const POINTS_GROUPS: ReadonlyArray<{ code: PointsGroup; name: string; hint?: string }> = [
  { code: "grade", name: "采用等次" },
  { code: "bonus", name: "稿件加减分" },
  { code: "pickup", name: "媒体上稿", hint: "同一篇稿件每一级只计一次" },
  { code: "instruction", name: "领导批示", hint: "同一篇稿件每一级只计一次" },
  { code: "month", name: "月度任务", hint: "按单位每月计算" },
  { code: "request", name: "约稿", hint: "每项约稿按单位计，计入截止时间所在月份" },
];

export const POINTS_FIELDS: readonly PointsField[] = [
  { name: "grade_excellent", label: "采用（优）", group: "grade", penalty: false, get: (r) => r.grade.excellent },
  { name: "grade_good", label: "采用（良）", group: "grade", penalty: false, get: (r) => r.grade.good },
  { name: "grade_fair", label: "采用（中）", group: "grade", penalty: false, get: (r) => r.grade.fair },
  { name: "photo_bonus", label: "配发图片", group: "bonus", penalty: false, get: (r) => r.photoBonus },
  { name: "late_penalty", label: "迟报", group: "bonus", penalty: true, get: (r) => r.latePenalty },
  { name: "pickup_county", label: "县区级媒体上稿", group: "pickup", penalty: false, get: (r) => r.pickup.county },
  { name: "pickup_city", label: "市级媒体上稿", group: "pickup", penalty: false, get: (r) => r.pickup.city },
  { name: "pickup_province", label: "省级媒体上稿", group: "pickup", penalty: false, get: (r) => r.pickup.province },
  { name: "pickup_national", label: "国家级媒体上稿", group: "pickup", penalty: false, get: (r) => r.pickup.national },
  { name: "instruction_county", label: "县区级领导批示", group: "instruction", penalty: false, get: (r) => r.instruction.county },
  { name: "instruction_city", label: "市级领导批示", group: "instruction", penalty: false, get: (r) => r.instruction.city },
  { name: "instruction_province", label: "省级领导批示", group: "instruction", penalty: false, get: (r) => r.instruction.province },
  { name: "quota_met", label: "完成月度任务", group: "month", penalty: false, get: (r) => r.quotaMet },
  { name: "per_item_short", label: "每差一条任务", group: "month", penalty: true, get: (r) => r.perItemShort },
  { name: "none_sent", label: "当月不报", group: "month", penalty: true, get: (r) => r.noneSent },
  { name: "request_fulfilled", label: "约稿按时完成", group: "request", penalty: false, get: (r) => r.requestFulfilled },
  { name: "request_missed", label: "约稿未完成（逾期或未报送）", group: "request", penalty: true, get: (r) => r.requestMissed },
  { name: "request_declined", label: "约稿婉拒", group: "request", penalty: true, get: (r) => r.requestDeclined },
];

export type PointsValues = Record<PointsFieldName, number>;

export function pointsValuesOf(rules: PointsRules): PointsValues {
  return Object.fromEntries(POINTS_FIELDS.map((f) => [f.name, f.get(rules)])) as PointsValues;
}

export function pointsRulesOf(v: PointsValues): PointsRules {
  return {
    grade: { excellent: v.grade_excellent, good: v.grade_good, fair: v.grade_fair },
    photoBonus: v.photo_bonus,
    pickup: { county: v.pickup_county, city: v.pickup_city, province: v.pickup_province, national: v.pickup_national },
    instruction: { county: v.instruction_county, city: v.instruction_city, province: v.instruction_province },
    latePenalty: v.late_penalty,
    quotaMet: v.quota_met,
    perItemShort: v.per_item_short,
    noneSent: v.none_sent,
    requestFulfilled: v.request_fulfilled,
    requestMissed: v.request_missed,
    requestDeclined: v.request_declined,
  };
}

/** The rules whose points differ between two versions, for the audit trail. */
export function changedPoints(before: PointsRules, after: PointsRules): Array<{ name: PointsFieldName; label: string; before: number; after: number }> {
  return POINTS_FIELDS.filter((f) => f.get(before) !== f.get(after)).map((f) => ({
    name: f.name, label: f.label, before: f.get(before), after: f.get(after),
  }));
}

/** "+2", "−0.5", "0": how a rule's points read on screen. */
export function signedPoints(n: number): string {
  if (n > 0) return `+${n}`;
  if (n < 0) return `−${Math.abs(n)}`;
  return "0";
}

export type NumberCheck = { ok: true; value: number } | { ok: false; message: string };

/** A rule's points: a number with at most two decimals, 0…100 for rewards and −100…0 for penalties. */
export function checkPoints(raw: string | undefined, field: Pick<PointsField, "label" | "penalty">): NumberCheck {
  const s = halfWidth(raw ?? "").trim();
  if (!s) return { ok: false, message: `请填写“${field.label}”的分值` };
  const m = /^([+-]?)(\d{0,6})(?:\.(\d*))?$/.exec(s);
  if (!m || (m[2] === "" && !m[3])) return { ok: false, message: `“${field.label}”请填写数字，如 2 或 0.5` };
  if ((m[3] ?? "").replace(/0+$/, "").length > 2) return { ok: false, message: `“${field.label}”最多保留两位小数` };
  const value = Number(s) === 0 ? 0 : Math.round(Number(s) * 100) / 100;
  if (field.penalty && (value > 0 || value < -MAX_POINTS)) {
    return { ok: false, message: `“${field.label}”是扣分项，应填 -${MAX_POINTS} 到 0 之间的数，如 -0.5` };
  }
  if (!field.penalty && (value < 0 || value > MAX_POINTS)) {
    return { ok: false, message: `“${field.label}”应在 0 到 ${MAX_POINTS} 之间` };
  }
  return { ok: true, value };
}

/** A quota: a whole number 0…999. */
export function checkQuota(raw: string | undefined, label: string): NumberCheck {
  const s = halfWidth(raw ?? "").trim();
  if (!s) return { ok: false, message: `请填写${label}` };
  if (!/^\+?\d{1,6}$/.test(s)) return { ok: false, message: `${label}应为 0 到 ${MAX_QUOTA} 之间的整数` };
  const value = Number(s);
  if (value > MAX_QUOTA) return { ok: false, message: `${label}应为 0 到 ${MAX_QUOTA} 之间的整数` };
  return { ok: true, value };
}

function checked(check: (raw: string | undefined) => NumberCheck) {
  return z
    .string()
    .optional()
    .transform((raw, ctx) => {
      const r = check(raw);
      if (r.ok) return r.value;
      ctx.addIssue({ code: "custom", message: r.message });
      return z.NEVER;
    });
}

// Fields and schemas are built by functions: a module-level zod call would carry zod into the
// page's browser bundle.

function effectiveMonthField() {
  return z
    .string()
    .optional()
    .transform((raw, ctx) => {
      if (!raw?.trim()) {
        ctx.addIssue({ code: "custom", message: "请填写生效月份" });
        return z.NEVER;
      }
      const month = normalizeMonth(raw);
      if (!month) {
        ctx.addIssue({ code: "custom", message: "生效月份格式应为 年-月，如 2026-12" });
        return z.NEVER;
      }
      return month;
    });
}

function noteField() {
  return z.string().trim().max(NOTE_MAX, `说明不能超过 ${NOTE_MAX} 个字`).optional().default("");
}

function pointsShape() {
  return Object.fromEntries(POINTS_FIELDS.map((f) => [f.name, checked((raw) => checkPoints(raw, f))])) as Record<
    PointsFieldName,
    ReturnType<typeof checked>
  >;
}

/** Each chain runs from the rule worth most to the one worth least: 优 is never worth less than 中, nor a national pickup less than a county one. */
const POINTS_ORDER: ReadonlyArray<readonly PointsFieldName[]> = [
  ["grade_excellent", "grade_good", "grade_fair"],
  ["pickup_national", "pickup_province", "pickup_city", "pickup_county"],
  ["instruction_province", "instruction_city", "instruction_county"],
];

/** The points order is checked whenever the points themselves passed, whatever the note or month. */
const POINTS_READ = whenPassed(POINTS_FIELDS.map((f) => f.name));

function pointsInOrder(v: Record<string, unknown>, ctx: z.RefinementCtx) {
  const label = (name: string) => POINTS_FIELDS.find((f) => f.name === name)!.label;
  for (const chain of POINTS_ORDER) {
    for (let i = 1; i < chain.length; i++) {
      const [higher, lower] = [v[chain[i - 1]] as number, v[chain[i]] as number];
      if (lower > higher) ctx.addIssue({ code: "custom", path: [chain[i]], message: `“${label(chain[i])}”不能高于“${label(chain[i - 1])}”（${higher} 分）` });
    }
  }
}

/** Editing a version in place: its points and note; the effective month stays. */
export const pointsValuesSchema = /* @__PURE__ */ builtOnce(() =>
  z.object({ note: noteField(), ...pointsShape() }).superRefine(pointsInOrder, POINTS_READ),
);
/** A new points version. */
export const pointsVersionSchema = /* @__PURE__ */ builtOnce(() =>
  z.object({ note: noteField(), ...pointsShape(), effective_month: effectiveMonthField() }).superRefine(pointsInOrder, POINTS_READ),
);

/** Quota fields are named quota_<kind code>; kinds are data, so the schema is built from them. */
export function quotaFieldName(kindCode: string): string {
  return `quota_${kindCode}`;
}

type Kinds = ReadonlyArray<{ code: string; name: string }>;

function quotaShape(kinds: Kinds) {
  return Object.fromEntries(kinds.map((k) => [quotaFieldName(k.code), checked((raw) => checkQuota(raw, `${k.name}的月度任务数`))]));
}

function quotasOf(kinds: Kinds, values: Record<string, unknown>): Record<string, number> {
  return Object.fromEntries(kinds.map((k) => [k.code, values[quotaFieldName(k.code)] as number]));
}

/** Editing a quota version in place: its quotas and note. */
export function quotaValuesSchema(kinds: Kinds) {
  return z.object({ note: noteField(), ...quotaShape(kinds) }).transform((v) => ({ note: v.note, quotas: quotasOf(kinds, v) }));
}

/** A new quota version: one quota per unit kind, effective from a month. */
export function quotaVersionSchema(kinds: Kinds) {
  return z
    .object({ effective_month: effectiveMonthField(), note: noteField(), ...quotaShape(kinds) })
    .transform((v) => ({ effectiveMonth: v.effective_month, note: v.note, quotas: quotasOf(kinds, v) }));
}

function reasonField() {
  return z
    .string({ error: "请填写设置理由" })
    .trim()
    .min(1, "请填写设置理由")
    .max(REASON_MAX, `理由不能超过 ${REASON_MAX} 个字`);
}

function quotaField() {
  return checked((raw) => checkQuota(raw, "月度任务数"));
}

/** Changing an override in place: its quota and reason. */
export const overrideValuesSchema = /* @__PURE__ */ builtOnce(() =>
  z.object({ quota: quotaField(), reason: reasonField() }),
);

export const overrideSchema = /* @__PURE__ */ builtOnce(() =>
  overrideValuesSchema().extend({
    unit_id: idField("请选择单位"),
    effective_month: effectiveMonthField(),
  }),
);
