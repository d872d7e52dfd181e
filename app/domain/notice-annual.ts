// The year-end summary's body: units × months from the year's closed months, totals and ranks,
// the channels month by month, and the year's lists and outstanding correspondents.
import type { ChannelColumn, ChannelCounts } from "./channels";
import { annualCommended, annualCriticised, outstandingCorrespondents, type YearSelectionThresholds } from "./notice-selection";
import { adjustedLists, type Adjustment, type KindTable, type ListEntry } from "./notice-lists";
import type { QuotaStatus } from "./points";
import type { RequestCounts } from "./requests";
import { yearRequestTotals, type YearRequestTotals } from "./year-requests";
import { monthLabel } from "./time";


// ---------------------------------------------------------------------------------------------
// Year-end summary

export interface AnnualMonthCell {
  adopted: number;
  points: number;
  status: QuotaStatus;
}

export interface AnnualUnitRow {
  unitId: number;
  code: string;
  name: string;
  kind: string;
  kindName: string;
  /** January…December; null for a month the year's figures do not count (before the county started). */
  months: Array<AnnualMonthCell | null>;
  quota: number;
  submitted: number;
  adopted: number;
  late: number;
  points: number;
  completion: number;
  rank: number;
  tied: boolean;
  met: number;
  short: number;
  none: number;
  /** The year's 报送 and 采用 per channel, aligned with the body's `channels`. */
  channels?: ChannelCounts[];
  /** The year's 约稿 outcomes, Σ over the counted months' snapshots (absent in summaries composed before 约稿 were counted). */
  requests?: RequestCounts;
}

export interface AnnualCorrespondentRow {
  accountId: number;
  displayName: string;
  unitName: string;
  active: boolean;
  items: number;
  /**
   * Adopted items bearing the person's name, each whole (the 优秀信息员 threshold); absent from a
   * summary published before it was recorded (its list was chosen by `items`).
   */
  adopted?: number;
  points: number;
  rank: number;
  tied: boolean;
  /** Split points January…December; null for a month not counted. */
  months: Array<number | null>;
}

export interface AnnualThresholds extends YearSelectionThresholds {
  yearCorrespondentTopN: number;
  yearCorrespondentMinAdopted: number;
}

export interface AnnualFigures {
  units: number;
  submitted: number;
  adopted: number;
  byKind: Array<{ kind: string; kindName: string; units: number; quota: number; adopted: number; completion: number; met: number; short: number; none: number }>;
  /** The county's 约稿 over the year (present when the rows carry their 约稿). */
  requests?: YearRequestTotals;
}

export interface AnnualBody {
  kind: "annual";
  period: string;
  /** The months counted, in order ("2025-10", …). */
  months: string[];
  thresholds: AnnualThresholds;
  figures: AnnualFigures;
  commended: ListEntry[];
  criticised: ListEntry[];
  passedOver: ListEntry[];
  /** Every correspondent with points or items in the year, ranked. */
  correspondents: AnnualCorrespondentRow[];
  outstanding: AnnualCorrespondentRow[];
  tables: Array<KindTable<AnnualUnitRow>>;
  channels?: ChannelColumn[];
  channelTotals?: ChannelCounts[];
  /** The county's counts per channel, month by month (the seed's 月统计、年汇总). */
  channelMonths?: Array<{ month: string; counts: ChannelCounts[] }>;
  /** How the lists' lead-ins are worded (app/domain/notice-outline.ts): absent in summaries frozen with the first wording. */
  leadIns?: 2;
}

export function annualFigures(tables: ReadonlyArray<KindTable<AnnualUnitRow>>): AnnualFigures {
  const byKind = tables.map((t) => {
    const sum = (f: (r: AnnualUnitRow) => number) => t.rows.reduce((s, r) => s + f(r), 0);
    const quota = sum((r) => r.quota);
    const adopted = sum((r) => r.adopted);
    return {
      kind: t.kind, kindName: t.kindName, units: t.rows.length, quota, adopted, completion: quota > 0 ? adopted / quota : 1,
      met: sum((r) => r.met), short: sum((r) => r.short), none: sum((r) => r.none),
    };
  });
  const rows = tables.flatMap((t) => t.rows);
  const requests = rows.some((r) => r.requests) ? yearRequestTotals(rows.map((r) => r.requests)) : null;
  return {
    units: rows.length,
    submitted: rows.reduce((s, r) => s + r.submitted, 0),
    adopted: rows.reduce((s, r) => s + r.adopted, 0),
    byKind,
    ...(requests ? { requests } : {}),
  };
}

/** Whether a summary counts 约稿 (the sentence, the table column and the Excel columns): some were settled in its months. */
export function annualCountsRequests(body: Pick<AnnualBody, "figures">): boolean {
  return (body.figures.requests?.pieces ?? 0) > 0;
}

export function composeAnnualBody(input: {
  year: string;
  months: string[];
  tables: Array<KindTable<AnnualUnitRow>>;
  correspondents: Array<AnnualCorrespondentRow & { adopted: number }>;
  thresholds: AnnualThresholds;
  adjustments: readonly Adjustment[];
  channels?: ChannelColumn[];
  channelTotals?: ChannelCounts[];
  channelMonths?: Array<{ month: string; counts: ChannelCounts[] }>;
}): AnnualBody {
  const rows = input.tables.flatMap((t) => t.rows);
  const units = new Map(rows.map((r) => [r.unitId, r]));
  const selection = rows.map((r) => ({
    unitId: r.unitId, code: r.code, name: r.name, kind: r.kind, points: r.points, rank: r.rank,
    monthsActive: r.months.filter((c) => c !== null).length, monthsMet: r.met, monthsNone: r.none, completion: r.completion,
  }));
  const lists = adjustedLists({
    criticised: annualCriticised(selection, input.thresholds),
    commend: (criticised) => annualCommended(selection, input.thresholds, criticised),
    adjustments: input.adjustments,
    units,
    kindOrder: input.tables.map((t) => t.kind),
  });
  return {
    kind: "annual",
    leadIns: 2,
    period: input.year,
    months: input.months,
    thresholds: input.thresholds,
    figures: annualFigures(input.tables),
    ...lists,
    correspondents: input.correspondents,
    outstanding: outstandingCorrespondents(input.correspondents, input.thresholds.yearCorrespondentTopN, input.thresholds.yearCorrespondentMinAdopted),
    tables: input.tables,
    channels: input.channels ?? [],
    channelTotals: input.channelTotals ?? [],
    channelMonths: input.channelMonths ?? [],
  };
}

/** The twelve months of a year, "2025-01" … "2025-12". */
export function monthsOfYear(year: string): string[] {
  return Array.from({ length: 12 }, (_, i) => `${year}-${String(i + 1).padStart(2, "0")}`);
}

/** Why a year's summary cannot be drafted yet (null: it can): the year must be over and each of its counted months closed. */
export function annualDraftProblem(year: string, input: { months: readonly string[]; closed: ReadonlySet<string>; currentMonth: string }): string | null {
  if (`${year}-12` >= input.currentMonth) return `${year}年尚未结束，年度汇总须在次年起草。`;
  if (input.months.length === 0) return `${year}年没有报送数据，无法起草年度汇总。`;
  const open = input.months.filter((m) => !input.closed.has(m));
  if (open.length > 0) return `${open.map(monthLabel).join("、")}尚未结算，全年各月结算后才能起草年度汇总。`;
  return null;
}
