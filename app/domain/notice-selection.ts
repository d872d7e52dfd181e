// Who a notice commends and criticises, from a closed month's (or a year's) frozen rows, after the
// seed: "对信息报送数量和质量较高的学校和信息员进行表彰奖励；对……出现迟报、不报的单位进行通报批评".
// Criticism is decided first and wins: a criticised unit is never commended in the same notice,
// and the commendation places go to the next units that qualify. Units that the ranking alone
// would have commended but the rules passed over are listed with the reason, so the reviewer sees
// why they dropped out. Thresholds are settings (app/domain/settings.ts).
import { QUOTA_STATUS_NAMES, type QuotaStatus } from "./points";
import { percentText } from "./rankings-view";

export interface MonthSelectionRow {
  unitId: number;
  code: string;
  name: string;
  kind: string;
  status: QuotaStatus;
  completion: number;
  late: number;
  rank: number;
  /** Items adopted that month: a unit whose quota is 0 meets it with none, and is not commended for that. */
  adopted: number;
  /** 约稿 of the month not completed (逾期 or 未报送). */
  requestsUnfinished?: number;
}

export interface Selected {
  unitId: number;
  kind: string;
  name: string;
  reasons: string[];
}

export interface MonthlySelectionThresholds {
  commendTopN: number;
  criticiseBelowCompletion: number;
  criticiseMinLate: number;
  /** Criticise a unit with this many unfinished 约稿 in the month (absent in notices frozen before 约稿). */
  requestMissThreshold?: number;
}

export interface Selection {
  commended: Selected[];
  criticised: Selected[];
  /** Within the ranking's top N but not commended, with why. */
  passedOver: Selected[];
}

const byCode = <T extends { code: string }>(a: T, b: T) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0);
const byRank = <T extends { rank: number; code: string }>(a: T, b: T) => a.rank - b.rank || byCode(a, b);
const percent = (x: number) => `${Math.round(x * 100)}%`;

/**
 * A completion in a criticism's reason, beside the threshold it fell below: as the notice's tables
 * print it (percentText: 2 of 3 is 66.7%), and never rounded up to read as the threshold itself (a
 * completion below 67% printed "67%，低于 67%"): one that would is cut to the tenth below.
 */
export function completionBelowText(completion: number, threshold: number): string {
  const limit = Math.round(threshold * 1000);
  const tenths = Math.round(completion * 1000);
  return tenths < limit ? percentText(completion) : percentText((limit - 1) / 1000);
}
const kindsOf = (rows: ReadonlyArray<{ kind: string }>) => [...new Set(rows.map((r) => r.kind))];

/**
 * The top N of already-ranked rows, with every row tied with the Nth place (equal on every
 * criterion, equal treatment).
 */
export function topWithTies<T extends { rank: number; code: string }>(ranked: readonly T[], topN: number): T[] {
  const sorted = [...ranked].sort(byRank);
  if (sorted.length === 0 || topN <= 0) return [];
  const cutoff = sorted[Math.min(topN, sorted.length) - 1].rank;
  return sorted.filter((r) => r.rank <= cutoff);
}

/**
 * Why a unit is criticised for a month: 不报, completion below the threshold, too many late items or unfinished
 * requests. Each reason is written without brackets: the notice puts a unit's reasons in （） after its name.
 */
export function monthlyCriticismReasons(
  r: Pick<MonthSelectionRow, "status" | "completion" | "late" | "requestsUnfinished">,
  t: MonthlySelectionThresholds,
): string[] {
  const reasons: string[] = [];
  if (r.status === "none") reasons.push(`当月${QUOTA_STATUS_NAMES.none}`);
  else if (r.completion < t.criticiseBelowCompletion) {
    reasons.push(`任务完成率 ${completionBelowText(r.completion, t.criticiseBelowCompletion)}，低于 ${percent(t.criticiseBelowCompletion)}`);
  }
  if (r.late >= t.criticiseMinLate) reasons.push(`迟报 ${r.late} 篇，达到 ${t.criticiseMinLate} 篇`);
  const unfinished = r.requestsUnfinished ?? 0;
  if (t.requestMissThreshold !== undefined && unfinished >= t.requestMissThreshold) {
    reasons.push(`约稿未完成 ${unfinished} 项，达到 ${t.requestMissThreshold} 项`);
  }
  return reasons;
}

/** Reasons per unit of a notice's 通报批评 list: the rules' list, or the list as the reviewer left it. */
export type CriticisedReasons = ReadonlyMap<number, readonly string[]>;


/** Every unit of `rows` with a criticism reason, in `order`. */
function criticisedBy<R extends { unitId: number; kind: string; name: string }>(rows: readonly R[], order: (a: R, b: R) => number, reasonsOf: (r: R) => string[]): Selected[] {
  const criticised: Selected[] = [];
  for (const r of [...rows].sort(order)) {
    const reasons = reasonsOf(r);
    if (reasons.length) criticised.push({ unitId: r.unitId, kind: r.kind, name: r.name, reasons });
  }
  return criticised;
}

/** A month's 通报批评 by the rules: every unit with a criticism reason, by kind and code. */
export function monthlyCriticised(rows: readonly MonthSelectionRow[], t: MonthlySelectionThresholds): Selected[] {
  return criticisedBy(rows, (a, b) => (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : byCode(a, b)), (r) => monthlyCriticismReasons(r, t));
}

/**
 * A month's commendations against a criticism list: per kind, the top `commendTopN` by rank among
 * units that met their quota with at least one adopted item and are not on it. The list is the
 * rules' or, on a notice, the one the reviewer left, so a unit the reviewer criticises gives its
 * place to the next that qualifies. A unit whose quota is 0 meets it by sending nothing: it is
 * not commended for 完成月度任务 unless something of its own was adopted.
 */
export function monthlyCommended(
  rows: readonly MonthSelectionRow[],
  t: MonthlySelectionThresholds,
  criticised: CriticisedReasons,
): Pick<Selection, "commended" | "passedOver"> {
  const commended: Selected[] = [];
  const passedOver: Selected[] = [];
  for (const kind of kindsOf(rows)) {
    const met = rows.filter((r) => r.kind === kind && r.status === "met" && r.adopted > 0);
    const eligible = met.filter((r) => !criticised.has(r.unitId));
    const chosen = topWithTies(eligible, t.commendTopN);
    for (const r of chosen) commended.push({ unitId: r.unitId, kind, name: r.name, reasons: [`本类别第 ${r.rank} 名，完成月度任务`] });
    const chosenIds = new Set(chosen.map((r) => r.unitId));
    // Units the ranking put in the top N whom the rules left out: criticised ones, and those that
    // did not meet their quota (a high rank on pickups alone).
    for (const r of topWithTies(rows.filter((x) => x.kind === kind), t.commendTopN)) {
      if (chosenIds.has(r.unitId)) continue;
      const why = criticised.get(r.unitId);
      const reason = why
        ? `已通报批评（${why.join("；")}）`
        : r.status === "met" ? "任务数为 0，当月没有采用稿件" : `未完成月度任务（${QUOTA_STATUS_NAMES[r.status]}）`;
      passedOver.push({ unitId: r.unitId, kind, name: r.name, reasons: [`本类别第 ${r.rank} 名，${reason}`] });
    }
  }
  return { commended, passedOver };
}

export interface YearSelectionRow {
  unitId: number;
  code: string;
  name: string;
  kind: string;
  points: number;
  rank: number;
  /** Months of the year in which the unit took part (had a row). */
  monthsActive: number;
  monthsMet: number;
  monthsNone: number;
  /** Σ adopted / Σ quota over the year. */
  completion: number;
}

export interface YearSelectionThresholds {
  yearCommendMinMonthsMet: number;
  yearCommendTopN: number;
  yearCriticiseNoneMonths: number;
  yearCriticiseBelowCompletion: number;
}

export function annualCriticismReasons(r: Pick<YearSelectionRow, "monthsNone" | "completion">, t: YearSelectionThresholds): string[] {
  const reasons: string[] = [];
  if (r.monthsNone >= t.yearCriticiseNoneMonths) reasons.push(`全年 ${r.monthsNone} 个月不报`);
  if (r.completion < t.yearCriticiseBelowCompletion) {
    reasons.push(`全年任务完成率 ${completionBelowText(r.completion, t.yearCriticiseBelowCompletion)}，低于 ${percent(t.yearCriticiseBelowCompletion)}`);
  }
  return reasons;
}

/** The year's 通报批评 by the rules: `yearCriticiseNoneMonths` or more months of 不报, or year completion below the threshold. */
export function annualCriticised(rows: readonly YearSelectionRow[], t: YearSelectionThresholds): Selected[] {
  return criticisedBy(rows, (a, b) => b.monthsNone - a.monthsNone || a.completion - b.completion || byCode(a, b), (r) => annualCriticismReasons(r, t));
}

/**
 * The year's commendations against a criticism list (the rules' or the reviewer's): per kind, among
 * units not on it that met their quota in at least `yearCommendMinMonthsMet` of their active months,
 * the top `yearCommendTopN` by annual rank.
 */
export function annualCommended(
  rows: readonly YearSelectionRow[],
  t: YearSelectionThresholds,
  criticised: CriticisedReasons,
): Pick<Selection, "commended" | "passedOver"> {
  const enoughMonths = (r: YearSelectionRow) => r.monthsMet >= t.yearCommendMinMonthsMet;
  const commended: Selected[] = [];
  const passedOver: Selected[] = [];
  for (const kind of kindsOf(rows)) {
    const ofKind = rows.filter((r) => r.kind === kind);
    const chosen = topWithTies(ofKind.filter((r) => enoughMonths(r) && !criticised.has(r.unitId)), t.yearCommendTopN);
    for (const r of chosen) {
      commended.push({
        unitId: r.unitId, kind, name: r.name,
        reasons: [`全年 ${r.monthsMet} 个月完成任务，年度积分 ${r.points}，本类别第 ${r.rank} 名`],
      });
    }
    const chosenIds = new Set(chosen.map((r) => r.unitId));
    for (const r of topWithTies(ofKind, t.yearCommendTopN)) {
      if (chosenIds.has(r.unitId)) continue;
      const why = criticised.get(r.unitId);
      const reason = why
        ? `已通报批评（${why.join("；")}）`
        : `全年 ${r.monthsMet} 个月完成任务，不足 ${t.yearCommendMinMonthsMet} 个月`;
      passedOver.push({ unitId: r.unitId, kind, name: r.name, reasons: [`本类别第 ${r.rank} 名，${reason}`] });
    }
  }
  return { commended, passedOver };
}

export interface CorrespondentYearRow {
  accountId: number;
  displayName: string;
  unitName: string;
  /** Adopted items credited to the person, split among an item's bylines. */
  items: number;
  /** Adopted items bearing the person's name, each counted whole however many share its byline. */
  adopted: number;
  points: number;
  rank: number;
}

/**
 * Outstanding correspondents: among those with at least `minAdopted` adopted items (each item
 * bearing their name counts whole: only the points are split), the top N by split points (ties at
 * the cutoff included).
 */
export function outstandingCorrespondents<T extends CorrespondentYearRow>(rows: readonly T[], topN: number, minAdopted: number): T[] {
  const eligible = rows.filter((r) => r.adopted >= minAdopted && r.points > 0).map((r) => ({ ...r, code: "" }));
  const sorted = [...eligible].sort((a, b) => a.rank - b.rank);
  if (sorted.length === 0 || topN <= 0) return [];
  const cutoff = sorted[Math.min(topN, sorted.length) - 1].rank;
  const ids = new Set(sorted.filter((r) => r.rank <= cutoff).map((r) => r.accountId));
  return rows.filter((r) => ids.has(r.accountId)).sort((a, b) => a.rank - b.rank);
}
