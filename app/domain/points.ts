// 积分: every item's points as an itemised receipt, and a unit's month on top of its items.
// All sums are kept in hundredths so 0.5s and equal splits add up exactly.
import type { RequestCounts } from "./requests";
import { GRADES, INSTRUCTION_LEVELS, TIERS, nameOf, type GradeCode, type InstructionLevelCode, type ItemStatusCode, type PointsRules, type TierCode } from "./catalog";

export interface ReceiptLine {
  rule: string;
  label: string;
  points: number;
}

export interface Receipt {
  lines: ReceiptLine[];
  total: number;
}

export const round2 = (n: number) => Math.round(n * 100) / 100;

function receipt(lines: ReceiptLine[]): Receipt {
  return { lines, total: round2(lines.reduce((s, l) => s + Math.round(l.points * 100), 0) / 100) };
}

export interface ItemScoringFacts {
  status: string;
  grade: GradeCode | null;
  pointsRevoked: boolean;
  photoCount: number;
  late: boolean;
  pickupTiers: readonly TierCode[];
  instructionLevels: readonly InstructionLevelCode[];
}

/**
 * Statuses in which an item is with the bureau (or decided by it) and so counts for its month's
 * 报送 and 迟报. An item back in the school's hands (draft, pending sign-off) counts in no month.
 */
export const AT_BUREAU_STATUSES = ["submitted", "adopted", "rejected", "withdrawn"] as const satisfies readonly ItemStatusCode[];

/** Whether an item's points count: adopted, or withdrawn without its points revoked. */
export function itemCounts(f: Pick<ItemScoringFacts, "status" | "pointsRevoked">): boolean {
  return f.status === "adopted" || (f.status === "withdrawn" && !f.pointsRevoked);
}

export function itemReceipt(f: ItemScoringFacts, rules: PointsRules): Receipt {
  if (!itemCounts(f) || !f.grade) return receipt([]);
  const lines: ReceiptLine[] = [
    { rule: `grade.${f.grade}`, label: `采用（${nameOf(GRADES, f.grade)}）`, points: rules.grade[f.grade] },
  ];
  if (f.photoCount > 0) lines.push({ rule: "photo", label: "配发图片", points: rules.photoBonus });
  // Each tier (and each 批示 level) counts once per item, however many outlets carried it.
  for (const tier of TIERS.map((t) => t.code).filter((t) => f.pickupTiers.includes(t))) {
    lines.push({ rule: `pickup.${tier}`, label: `${nameOf(TIERS, tier)}媒体上稿`, points: rules.pickup[tier] });
  }
  for (const level of INSTRUCTION_LEVELS.map((l) => l.code).filter((l) => f.instructionLevels.includes(l))) {
    lines.push({ rule: `instruction.${level}`, label: `${nameOf(INSTRUCTION_LEVELS, level)}领导批示`, points: rules.instruction[level] });
  }
  if (f.late) lines.push({ rule: "late", label: "迟报", points: rules.latePenalty });
  return receipt(lines);
}

export type QuotaStatus = "met" | "short" | "none";

export const QUOTA_STATUS_NAMES: Record<QuotaStatus, string> = { met: "达标", short: "未达标", none: "不报" };

/**
 * 达标 when adopted ≥ quota; 不报 when nothing reached the bureau that month; else 未达标.
 * A unit with quota 0 has no task that month and is never short or 不报.
 */
export function quotaStatus(m: { submitted: number; adopted: number; quota: number }): QuotaStatus {
  if (m.quota <= 0) return "met";
  if (m.submitted === 0) return "none";
  return m.adopted >= m.quota ? "met" : "short";
}

/** Completion as a fraction (1 = 100%); quota 0 counts as complete. */
export function completion(adopted: number, quota: number): number {
  return quota <= 0 ? 1 : adopted / quota;
}

export interface UnitMonthFacts {
  submitted: number;
  adopted: number;
  quota: number;
  /** Sum of the month's item receipts. */
  itemPoints: number;
  /** The 约稿 outcomes settled with the month (none when absent). */
  requests?: RequestCounts;
}

function requestLines(c: RequestCounts | undefined, rules: PointsRules): ReceiptLine[] {
  if (!c) return [];
  const lines: ReceiptLine[] = [];
  if (c.fulfilled > 0) lines.push({ rule: "request.fulfilled", label: `约稿按时完成 ×${c.fulfilled}`, points: round2(rules.requestFulfilled * c.fulfilled) });
  if (c.missed + c.late > 0) {
    lines.push({ rule: "request.missed", label: `约稿未完成（逾期或未报送）×${c.missed + c.late}`, points: round2(rules.requestMissed * (c.missed + c.late)) });
  }
  if (c.declined > 0) lines.push({ rule: "request.declined", label: `约稿婉拒 ×${c.declined}`, points: round2(rules.requestDeclined * c.declined) });
  return lines;
}

/**
 * A unit's month: its items' points plus the unit-level rules. A unit that sent nothing is also
 * short of its whole quota, so 不报 never scores better than sending something.
 */
export function unitMonthReceipt(m: UnitMonthFacts, rules: PointsRules): Receipt & { status: QuotaStatus } {
  const status = quotaStatus(m);
  const lines: ReceiptLine[] = [{ rule: "items", label: "稿件积分合计", points: round2(m.itemPoints) }];
  const shortBy = Math.max(0, m.quota - m.adopted);
  if (status === "met" && m.quota > 0) lines.push({ rule: "quota.met", label: "完成月度任务", points: rules.quotaMet });
  if (status !== "met" && shortBy > 0) {
    lines.push({ rule: "quota.short", label: `差 ${shortBy} 条未完成任务`, points: rules.perItemShort * shortBy });
  }
  if (status === "none") lines.push({ rule: "quota.none", label: "当月不报", points: rules.noneSent });
  lines.push(...requestLines(m.requests, rules));
  return { ...receipt(lines), status };
}

/**
 * The total and status of unitMonthReceipt without building its lines (a league scores every
 * unit of the province): the same lines, summed in hundredths the same way.
 */
export function unitMonthTotal(m: UnitMonthFacts, rules: PointsRules): { status: QuotaStatus; total: number } {
  const status = quotaStatus(m);
  let cents = Math.round(round2(m.itemPoints) * 100);
  const shortBy = Math.max(0, m.quota - m.adopted);
  if (status === "met" && m.quota > 0) cents += Math.round(rules.quotaMet * 100);
  if (status !== "met" && shortBy > 0) cents += Math.round(rules.perItemShort * shortBy * 100);
  if (status === "none") cents += Math.round(rules.noneSent * 100);
  if (m.requests) for (const l of requestLines(m.requests, rules)) cents += Math.round(l.points * 100);
  return { status, total: round2(cents / 100) };
}

/**
 * An amount in hundredths (an item's points, or the item itself as 100) split equally among
 * `bylineCount` bylines to the hundredth, the shares summing exactly to the amount: each byline gets
 * the equal share rounded down, and the hundredths left over go one each to the bylines in turn,
 * starting at byline `turn mod bylineCount` (the item's id: from item to item the extra hundredth
 * moves round the co-authors instead of always going to the same one). Shares in byline order.
 */
export function splitCents(cents: number, bylineCount: number, turn: number): number[] {
  if (bylineCount <= 0) return [];
  const sign = cents < 0 ? -1 : 1;
  const whole = Math.abs(cents);
  const base = Math.floor(whole / bylineCount);
  const left = whole - base * bylineCount;
  const start = ((turn % bylineCount) + bylineCount) % bylineCount;
  return Array.from({ length: bylineCount }, (_, i) => sign * (base + ((i - start + bylineCount) % bylineCount < left ? 1 : 0)));
}

/**
 * An amount in hundredths split among an item's bylines (`splitCents`, in order of account id,
 * turned by the item's id): each account's share. The correspondents' rankings credit these, and an
 * item's page shows them.
 */
export function bylineCents(cents: number, accountIds: readonly number[], itemId: number): Map<number, number> {
  const ids = [...accountIds].sort((a, b) => a - b);
  const shares = splitCents(cents, ids.length, itemId);
  return new Map(ids.map((id, i) => [id, shares[i]]));
}
