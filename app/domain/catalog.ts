// The bureau's default catalogue: unit kinds, categories, channels, grades, tiers, rules.
// These are defaults seeded into the database; the running portal reads the database.
import { vocabulary } from "./vocabulary";

export const UNIT_KINDS = [
  { code: "township_central", name: "乡镇中心校", defaultQuota: 10 },
  { code: "district_school", name: "区直中小学", defaultQuota: 5 },
  { code: "kindergarten", name: "幼儿园", defaultQuota: 5 },
] as const;

export type UnitKindCode = (typeof UNIT_KINDS)[number]["code"];

export const DEFAULT_CATEGORIES = [
  "党建工作", "作风建设", "理念提升", "管理改革", "养成教育",
  "平安建设", "政策解读", "典型引路", "舆论引导", "综合",
] as const;

export const DEFAULT_CHANNELS = ["教育信息网", "教育网"] as const;

export const GRADES = vocabulary({ excellent: "优", good: "良", fair: "中" });
export type GradeCode = (typeof GRADES)[number]["code"];

export const TIERS = vocabulary({ county: "县区级", city: "市级", province: "省级", national: "国家级" });
export type TierCode = (typeof TIERS)[number]["code"];

export const INSTRUCTION_LEVELS = vocabulary({ county: "县区级", city: "市级", province: "省级" });
export type InstructionLevelCode = (typeof INSTRUCTION_LEVELS)[number]["code"];

export const ITEM_STATUSES = vocabulary({
  draft: "草稿", pending_school: "待校内审核", submitted: "待审核", adopted: "已采用", rejected: "不采用", withdrawn: "已撤稿",
});
export type ItemStatusCode = (typeof ITEM_STATUSES)[number]["code"];

/** The points rules of `domain.md`, as one version's data. */
export interface PointsRules {
  grade: Record<GradeCode, number>;
  photoBonus: number;
  pickup: Record<TierCode, number>;
  instruction: Record<InstructionLevelCode, number>;
  latePenalty: number;
  quotaMet: number;
  perItemShort: number;
  noneSent: number;
  /** 约稿 (per addressed unit): answered on time and adopted; missed or late; declined with a reason. */
  requestFulfilled: number;
  requestMissed: number;
  requestDeclined: number;
}

export const DEFAULT_POINTS_RULES: PointsRules = {
  grade: { excellent: 3, good: 2, fair: 1 },
  photoBonus: 0.5,
  pickup: { county: 1, city: 2, province: 5, national: 10 },
  instruction: { county: 2, city: 4, province: 8 },
  latePenalty: -0.5,
  quotaMet: 2,
  perItemShort: -1,
  noneSent: -5,
  requestFulfilled: 2,
  requestMissed: -3,
  requestDeclined: 0,
};

/** A stored rule version: versions saved before a rule existed read that rule's default. */
export function parsePointsRules(json: string): PointsRules {
  return { ...DEFAULT_POINTS_RULES, ...(JSON.parse(json) as Partial<PointsRules>) };
}

// Settings with their defaults live in settings.ts, with their bounds and timing.

/** The name of a stored code of one of these vocabularies. */
export { nameOf } from "./vocabulary";
