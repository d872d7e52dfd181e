// The monthly notice's body: the closed month's frozen rows by kind, the overall and per-kind
// figures, the channels, and the lists the rules choose with the reviewer's adjustments.
import type { ChannelColumn, ChannelCounts } from "./channels";
import { monthlyCommended, monthlyCriticised, type MonthlySelectionThresholds } from "./notice-selection";
import { adjustedLists, type Adjustment, type KindTable, type ListEntry } from "./notice-lists";
import type { UnitMonthRow } from "./league";
import type { NoticeTheme } from "./themes";
import type { MonthBulletin } from "./bulletins";

/**
 * The fields of a closed month's unit row (as frozen in its snapshot) that a notice reads; the
 * tables it stores may carry the row's other fields as well.
 */
export type NoticeMonthRow = Pick<
  UnitMonthRow,
  | "unitId" | "code" | "name" | "kind" | "kindName" | "quota" | "submitted" | "adopted" | "late" | "completion" | "status" | "points"
  | "rank" | "tied" | "movement" | "channels" | "requests"
>;

// ---------------------------------------------------------------------------------------------
// Monthly notice

export interface KindFigures {
  kind: string;
  kindName: string;
  units: number;
  quota: number;
  submitted: number;
  adopted: number;
  late: number;
  /** Σ adopted / Σ quota of the kind (1 = 100%). */
  completion: number;
  met: number;
  short: number;
  none: number;
}

export interface MonthFigures {
  units: number;
  submitted: number;
  adopted: number;
  late: number;
  met: number;
  short: number;
  none: number;
  byKind: KindFigures[];
  /** The 约稿 settled with the month: one piece per addressed unit of a request (absent when none). */
  requests?: { pieces: number; units: number; fulfilled: number; late: number; missed: number; declined: number };
}

export function monthFigures(tables: ReadonlyArray<KindTable<NoticeMonthRow>>): MonthFigures {
  const byKind = tables.map((t) => {
    const sum = (f: (r: NoticeMonthRow) => number) => t.rows.reduce((s, r) => s + f(r), 0);
    const quota = sum((r) => r.quota);
    const adopted = sum((r) => r.adopted);
    return {
      kind: t.kind,
      kindName: t.kindName,
      units: t.rows.length,
      quota,
      submitted: sum((r) => r.submitted),
      adopted,
      late: sum((r) => r.late),
      completion: quota > 0 ? adopted / quota : 1,
      met: t.rows.filter((r) => r.status === "met").length,
      short: t.rows.filter((r) => r.status === "short").length,
      none: t.rows.filter((r) => r.status === "none").length,
    };
  });
  const total = (f: (k: KindFigures) => number) => byKind.reduce((s, k) => s + f(k), 0);
  const rows = tables.flatMap((t) => t.rows);
  const req = (f: (c: NonNullable<NoticeMonthRow["requests"]>) => number) => rows.reduce((s, r) => s + (r.requests ? f(r.requests) : 0), 0);
  const pieces = req((c) => c.fulfilled + c.late + c.missed + c.declined);
  const requests = pieces > 0
    ? {
        pieces, units: rows.filter((r) => r.requests && r.requests.fulfilled + r.requests.late + r.requests.missed + r.requests.declined > 0).length,
        fulfilled: req((c) => c.fulfilled), late: req((c) => c.late), missed: req((c) => c.missed), declined: req((c) => c.declined),
      }
    : undefined;
  return {
    ...(requests ? { requests } : {}),
    units: total((k) => k.units),
    submitted: total((k) => k.submitted),
    adopted: total((k) => k.adopted),
    late: total((k) => k.late),
    met: total((k) => k.met),
    short: total((k) => k.short),
    none: total((k) => k.none),
    byKind,
  };
}

export type MonthlyThresholds = MonthlySelectionThresholds;

export interface MonthlyBody {
  kind: "monthly";
  period: string;
  closeId: number;
  closedAt: string;
  thresholds: MonthlyThresholds;
  figures: MonthFigures;
  commended: ListEntry[];
  criticised: ListEntry[];
  /** Units the ranking alone would have commended, and why the rules did not (shown to the reviewer). */
  passedOver: ListEntry[];
  tables: Array<KindTable<NoticeMonthRow>>;
  /** The month's channels and their totals (absent in notices frozen before channels were counted). */
  channels?: ChannelColumn[];
  channelTotals?: ChannelCounts[];
  /** The month's 报送要点 and their coverage as frozen at the close (absent in notices before themes). */
  themes?: NoticeTheme[];
  /** The 简报 issues published in the month and how many units they carried (absent in notices frozen before bulletins). */
  bulletins?: { issues: MonthBulletin[]; units: number };
  /** How the lists' lead-ins are worded (app/domain/notice-outline.ts): absent in notices frozen with the first wording. */
  leadIns?: 2;
}

export function composeMonthlyBody(input: {
  month: string;
  closeId: number;
  closedAt: string;
  tables: Array<KindTable<NoticeMonthRow>>;
  thresholds: MonthlyThresholds;
  adjustments: readonly Adjustment[];
  channels?: ChannelColumn[];
  channelTotals?: ChannelCounts[];
  themes?: NoticeTheme[];
  bulletins?: { issues: MonthBulletin[]; units: number };
}): MonthlyBody {
  const rows = input.tables.flatMap((t) => t.rows);
  const units = new Map(rows.map((r) => [r.unitId, r]));
  const kindOrder = input.tables.map((t) => t.kind);
  const selection = rows.map((r) => ({
    unitId: r.unitId, code: r.code, name: r.name, kind: r.kind, status: r.status, completion: r.completion, late: r.late, rank: r.rank, adopted: r.adopted,
    requestsUnfinished: (r.requests?.late ?? 0) + (r.requests?.missed ?? 0),
  }));
  const lists = adjustedLists({
    criticised: monthlyCriticised(selection, input.thresholds),
    commend: (criticised) => monthlyCommended(selection, input.thresholds, criticised),
    adjustments: input.adjustments,
    units,
    kindOrder,
  });
  return {
    kind: "monthly",
    leadIns: 2,
    period: input.month,
    closeId: input.closeId,
    closedAt: input.closedAt,
    thresholds: input.thresholds,
    figures: monthFigures(input.tables),
    ...lists,
    tables: input.tables,
    channels: input.channels ?? [],
    channelTotals: input.channelTotals ?? [],
    ...(input.themes?.length ? { themes: input.themes } : {}),
    ...(input.bulletins && input.bulletins.issues.length ? { bulletins: input.bulletins } : {}),
  };
}
