// 约稿: a request from the bureau to chosen units for a piece by a deadline. What each addressed
// unit's answer comes to (its outcome), the points of a month's outcomes, and the forms. Pure and
// client-safe: zod schemas are built on use.
//
// Outcomes, per addressed unit (a cancelled request has none):
// - fulfilled 按时完成: a linked item reached the bureau at or before the deadline and is adopted
//   (itemCounts), even if adopted after the deadline.
// - awaiting 待审核: the deadline has passed and an on-time item still awaits the bureau's decision.
// - declined 婉拒: the unit declined with a reason before the deadline (and has no on-time adopted item).
// - late 逾期: the deadline has passed, nothing on time was adopted, and a linked item reached the
//   bureau after it.
// - missed 未报送: the deadline has passed and nothing reached the bureau (or everything on time
//   was rejected or returned and nothing came later).
// - open 进行中: before the deadline, nothing adopted yet.
// Open and awaiting score nothing (yet). A request is settled with the Asia/Shanghai month of its
// deadline.
import { z } from "zod";
import type { ItemStatusCode, PointsRules } from "./catalog";
import { builtOnce, formTokenField, optionalText, parseId, text, whenPassed } from "./fields";
import { AT_BUREAU_STATUSES, itemCounts } from "./points";
import { refusal, type Refusal } from "./refusal";
import { formatShanghai, shanghaiMonth } from "./time";
import { nameOf, vocabulary } from "./vocabulary";

export const REQUEST_OUTCOMES = vocabulary({
  fulfilled: "按时完成", late: "逾期", missed: "未报送", declined: "婉拒", awaiting: "待审核", open: "进行中",
});
export type RequestOutcome = (typeof REQUEST_OUTCOMES)[number]["code"];

export const requestOutcomeName = (code: string): string => nameOf(REQUEST_OUTCOMES, code);

export const TOPIC_MAX = 40;
export const GUIDANCE_MAX = 500;
export const DECLINE_MIN = 5;
export const DECLINE_MAX = 200;
export const CANCEL_MAX = 200;

export interface LinkedItemFacts {
  status: ItemStatusCode;
  pointsRevoked: boolean;
  /** When it last reached the bureau (items.submitted_at); null if it never did. */
  submittedAt: string | null;
}

export interface RequestUnitFacts {
  dueAt: string;
  now: string | Date;
  /** When the unit declined (before the deadline), or null. */
  declinedAt: string | null;
  items: readonly LinkedItemFacts[];
}

const atBureau = (i: LinkedItemFacts) => i.submittedAt !== null && (AT_BUREAU_STATUSES as readonly string[]).includes(i.status);

export function requestOutcome(f: RequestUnitFacts): RequestOutcome {
  const due = Date.parse(f.dueAt);
  const reached = f.items.filter(atBureau);
  const onTime = reached.filter((i) => Date.parse(i.submittedAt!) <= due);
  if (onTime.some((i) => itemCounts(i))) return "fulfilled";
  const declined = f.declinedAt !== null && Date.parse(f.declinedAt) <= due;
  if (new Date(f.now).getTime() <= due) return declined ? "declined" : "open";
  if (onTime.some((i) => i.status === "submitted")) return "awaiting";
  if (declined) return "declined";
  if (reached.some((i) => Date.parse(i.submittedAt!) > due)) return "late";
  return "missed";
}

export interface RequestCounts {
  fulfilled: number;
  late: number;
  missed: number;
  declined: number;
}

export const NO_REQUESTS: RequestCounts = { fulfilled: 0, late: 0, missed: 0, declined: 0 };

export function countOutcomes(outcomes: readonly RequestOutcome[]): RequestCounts {
  const c = { ...NO_REQUESTS };
  for (const o of outcomes) if (o === "fulfilled" || o === "late" || o === "missed" || o === "declined") c[o]++;
  return c;
}

/** A unit-month's request points in hundredths: fulfilled, missed and late (one rule), declined. */
export function requestPointsCents(c: RequestCounts, rules: PointsRules): number {
  return (
    Math.round(rules.requestFulfilled * 100) * c.fulfilled +
    Math.round(rules.requestMissed * 100) * (c.missed + c.late) +
    Math.round(rules.requestDeclined * 100) * c.declined
  );
}

export function requestPoints(c: RequestCounts, rules: PointsRules): number {
  return requestPointsCents(c, rules) / 100;
}

/** The month a request is settled with: the Asia/Shanghai month of its deadline. */
export function requestMonth(dueAt: string): string {
  return shanghaiMonth(dueAt);
}

/** "还剩 2 天 3 小时" / "还剩 45 分钟" / "已截止". */
export function timeLeftText(dueAt: string, now: string | Date): string {
  const ms = Date.parse(dueAt) - new Date(now).getTime();
  if (ms <= 0) return "已截止";
  const minutes = Math.floor(ms / 60_000);
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  if (days > 0) return `还剩 ${days} 天${hours > 0 ? ` ${hours} 小时` : ""}`;
  if (hours > 0) return `还剩 ${hours} 小时`;
  return `还剩 ${Math.max(1, minutes)} 分钟`;
}

export function dueText(dueAt: string): string {
  return formatShanghai(dueAt);
}

/** The instant of a date and time entered in Asia/Shanghai, or null when either is malformed. */
export function shanghaiInstant(date: string, time: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || !/^\d{2}:\d{2}$/.test(time)) return null;
  const ms = Date.parse(`${date}T${time}:00.000+08:00`);
  if (Number.isNaN(ms)) return null;
  const back = new Date(ms + 8 * 3_600_000).toISOString();
  // 2026-02-30 or 25:00 would roll over silently; refuse them instead.
  if (back.slice(0, 10) !== date || back.slice(11, 16) !== time) return null;
  return new Date(ms).toISOString();
}

export const REQUEST_STATUS_FILTERS = vocabulary({ open: "进行中", closed: "已截止", cancelled: "已取消" });
export type RequestStatusFilter = (typeof REQUEST_STATUS_FILTERS)[number]["code"];

export function requestStatus(r: { dueAt: string; cancelledAt: string | null }, now: string | Date): RequestStatusFilter {
  if (r.cancelledAt) return "cancelled";
  return Date.parse(r.dueAt) < new Date(now).getTime() ? "closed" : "open";
}

// ---------------------------------------------------------------------------------------------
// Refusals

/** Why this unit may not answer (link an item to, or decline) this request, or null. */
export function answerProblem(
  r: { cancelledAt: string | null; dueAt: string; addressed: boolean },
  action: "link" | "decline",
  now: string | Date,
): Refusal | null {
  if (!r.addressed) return refusal(403, "这项约稿没有发给本单位，不能应约或婉拒。", { field: action === "link" ? "request_id" : undefined });
  if (r.cancelledAt) return refusal(409, "这项约稿已取消。");
  if (action === "decline" && Date.parse(r.dueAt) < new Date(now).getTime()) return refusal(409, "这项约稿已截止，不能再婉拒。");
  return null;
}

export function cancelProblem(r: { cancelledAt: string | null; dueAt: string }, now: string | Date): Refusal | null {
  if (r.cancelledAt) return refusal(409, "这项约稿已经取消。");
  if (Date.parse(r.dueAt) < new Date(now).getTime()) return refusal(409, "这项约稿已截止，不能再取消。");
  return null;
}

// ---------------------------------------------------------------------------------------------
// Forms

export interface UnitChoice {
  id: number;
  kind: string;
}

/** The deadline a new request's form names, or the problem with it. */
function deadlineOf(v: { due_date: string; due_time: string }, now: Date): { dueAt: string } | { problem: string } {
  const dueAt = shanghaiInstant(v.due_date, v.due_time || "17:00");
  if (!dueAt) return { problem: "截止日期或时间无效，请按 2026-12-20 和 17:00 的格式填写" };
  return Date.parse(dueAt) <= now.getTime() ? { problem: "截止时间必须晚于现在" } : { dueAt };
}

/** The units a new request's form names (chosen ones and whole kinds), or the problem with them. */
function unitsOf(v: { unit_ids: string[]; kinds: string[] }, units: readonly UnitChoice[]): { unitIds: number[] } | { problem: string } {
  const known = new Set(units.map((u) => u.id));
  const kinds = new Set(units.map((u) => u.kind));
  const unitIds = new Set<number>();
  let problem: string | null = null;
  for (const raw of v.unit_ids) {
    const id = parseId(raw);
    if (id === null || !known.has(id)) problem = "所选单位不存在或已停用，请刷新后重选";
    else unitIds.add(id);
  }
  for (const k of v.kinds) {
    if (!kinds.has(k)) problem ??= "所选单位类别不存在，请刷新后重选";
    for (const u of units) if (u.kind === k) unitIds.add(u.id);
  }
  if (!problem && unitIds.size === 0) problem = "请至少选择一个约稿单位";
  return problem ? { problem } : { unitIds: [...unitIds].sort((a, b) => a - b) };
}

export function newRequestSchema(now: Date, units: readonly UnitChoice[]) {
  return z
    .object({
      topic: text("约稿主题", TOPIC_MAX),
      guidance: optionalText("约稿说明", GUIDANCE_MAX),
      due_date: z.string({ error: "请填写截止日期" }).trim().min(1, "请填写截止日期"),
      due_time: z.string().trim().optional().default(""),
      unit_ids: z.array(z.string()).optional().default([]),
      kinds: z.array(z.string()).optional().default([]),
      form_token: formTokenField(),
    })
    // The deadline and the units are checked apart from each other and from the topic, so a form
    // with several things wrong says all of them at once.
    .superRefine((v, ctx) => {
      const due = deadlineOf(v, now);
      if ("problem" in due) ctx.addIssue({ code: "custom", path: ["due_date"], message: due.problem });
    }, whenPassed(["due_date", "due_time"]))
    .superRefine((v, ctx) => {
      const chosen = unitsOf(v, units);
      if ("problem" in chosen) ctx.addIssue({ code: "custom", path: ["unit_ids"], message: chosen.problem });
    }, whenPassed(["unit_ids", "kinds"]))
    // Runs only when both checks above passed (zod skips a transform after any problem).
    .transform((v) => ({
      topic: v.topic,
      guidance: v.guidance,
      dueAt: (deadlineOf(v, now) as { dueAt: string }).dueAt,
      unitIds: (unitsOf(v, units) as { unitIds: number[] }).unitIds,
      formToken: v.form_token,
    }));
}

export const declineSchema = /* @__PURE__ */ builtOnce(() =>
  z.object({
    reason: z
      .string({ error: "请填写婉拒的理由" })
      .trim()
      .min(DECLINE_MIN, `请写明婉拒的理由（至少 ${DECLINE_MIN} 个字）`)
      .max(DECLINE_MAX, `理由不能超过 ${DECLINE_MAX} 个字`),
  }),
);

export const cancelSchema = /* @__PURE__ */ builtOnce(() =>
  z.object({ reason: text("取消的理由", CANCEL_MAX) }),
);
