// 通报: what a monthly notice and a year-end summary say. Composed from frozen numbers (a closed
// month's snapshot, or the closed months of a year), the selection rules of notice-selection.ts,
// and the reviewer's recorded adjustments; laid out once as an outline of headings, paragraphs and
// lists plus attached tables, which the web page and the Word document both render, so the two
// always say the same thing.
import {
  annualSelection,
  monthlySelection,
  outstandingCorrespondents,
  type MonthlySelectionThresholds,
  type Selected,
  type YearSelectionThresholds,
} from "./notice-selection";
import { channelFiguresText, type ChannelColumn, type ChannelCounts } from "./channels";
import { QUOTA_STATUS_NAMES, type QuotaStatus } from "./points";
import { percentText, pointsText } from "./rankings-view";
import { monthLabel, shanghaiDate } from "./time";

export type NoticeKind = "monthly" | "annual";
export type NoticeStatus = "draft" | "published";
export type NoticeListName = "commended" | "criticised";
export type AdjustmentAction = "add" | "remove";

export const NOTICE_KIND_NAMES: Record<NoticeKind, string> = { monthly: "月度通报", annual: "年度汇总" };
export const NOTICE_STATUS_NAMES: Record<NoticeStatus, string> = { draft: "草稿", published: "已签发" };
export const NOTICE_LIST_NAMES: Record<NoticeListName, string> = { commended: "表扬", criticised: "通报批评" };
export const ADJUSTMENT_ACTION_NAMES: Record<AdjustmentAction, string> = { add: "增加", remove: "移出" };

export const NOTICE_LIMITS = {
  title: 80,
  docNumber: 40,
  addressee: 100,
  text: 3000,
  reason: 200,
  signer: 20,
} as const;

// ---------------------------------------------------------------------------------------------
// Units and lists

export interface KindTable<R> {
  kind: string;
  kindName: string;
  rows: R[];
}

/** A unit's row of a closed month, as frozen in its snapshot. */
export interface NoticeMonthRow {
  unitId: number;
  code: string;
  name: string;
  kind: string;
  kindName: string;
  quota: number;
  submitted: number;
  adopted: number;
  late: number;
  completion: number;
  status: QuotaStatus;
  points: number;
  rank: number;
  tied: boolean;
  movement: string;
  /** 报送 and 采用 per channel, aligned with the body's `channels` (absent in notices frozen before channels were counted). */
  channels?: ChannelCounts[];
}

/** A unit named in a notice's 表扬 or 通报批评 list, with the reasons the notice gives. */
export interface ListEntry {
  unitId: number;
  code: string;
  name: string;
  kind: string;
  kindName: string;
  reasons: string[];
  /** Put on the list by a reviewer rather than by the rules. */
  adjusted: boolean;
}

export interface NoticeLists {
  commended: ListEntry[];
  criticised: ListEntry[];
}

export interface Adjustment {
  unitId: number;
  list: NoticeListName;
  action: AdjustmentAction;
  reason: string;
}

interface UnitRef {
  unitId: number;
  code: string;
  name: string;
  kind: string;
  kindName: string;
}

function entriesOf(selected: readonly Selected[], units: ReadonlyMap<number, UnitRef>): ListEntry[] {
  return selected.flatMap((s) => {
    const u = units.get(s.unitId);
    return u ? [{ ...u, reasons: [...s.reasons], adjusted: false }] : [];
  });
}

/** Kinds in table order, then (stable) the order the rules or adjustments gave. */
function byKindOrder(entries: ListEntry[], kindOrder: readonly string[]): ListEntry[] {
  const index = (k: string) => {
    const i = kindOrder.indexOf(k);
    return i === -1 ? kindOrder.length : i;
  };
  return entries.map((e, i) => ({ e, i })).sort((a, b) => index(a.e.kind) - index(b.e.kind) || a.i - b.i).map((x) => x.e);
}

/**
 * The lists after the reviewer's adjustments, applied in the order they were made: "remove" takes
 * the unit off (if it is on), "add" puts it on with the adjustment's reason (if it is not on).
 * An adjustment that no longer applies (the month was re-closed and the rules chose differently)
 * changes nothing.
 */
export function applyAdjustments(
  lists: NoticeLists,
  adjustments: readonly Adjustment[],
  units: ReadonlyMap<number, UnitRef>,
  kindOrder: readonly string[],
): NoticeLists {
  const out: NoticeLists = { commended: [...lists.commended], criticised: [...lists.criticised] };
  for (const a of adjustments) {
    const list = out[a.list];
    const present = list.some((e) => e.unitId === a.unitId);
    if (a.action === "remove" && present) out[a.list] = list.filter((e) => e.unitId !== a.unitId);
    if (a.action === "add" && !present) {
      const u = units.get(a.unitId);
      if (u) out[a.list] = [...list, { ...u, reasons: [a.reason], adjusted: true }];
    }
  }
  // Criticism wins: whatever the rules and adjustments did, no unit stands on both lists.
  const criticised = new Set(out.criticised.map((e) => e.unitId));
  out.commended = out.commended.filter((e) => !criticised.has(e.unitId));
  return { commended: byKindOrder(out.commended, kindOrder), criticised: byKindOrder(out.criticised, kindOrder) };
}

/** Why an adjustment cannot be made to the lists as they stand (null: it can). */
export function adjustmentProblem(lists: NoticeLists, a: Omit<Adjustment, "reason">, unitName: string): string | null {
  const present = lists[a.list].some((e) => e.unitId === a.unitId);
  const listName = NOTICE_LIST_NAMES[a.list];
  if (a.action === "remove" && !present) return `${unitName}不在${listName}名单中，无需移出。`;
  if (a.action === "add" && present) return `${unitName}已在${listName}名单中。`;
  if (a.action === "add" && a.list === "commended" && lists.criticised.some((e) => e.unitId === a.unitId)) {
    return `${unitName}在通报批评名单中，同一期通报不能既表扬又批评；如确需表扬，请先将其移出通报批评名单并写明理由。`;
  }
  return null;
}

/** Passed-over units that the reviewer did not put back on the commendation list by hand. */
function passedOverOf(entries: ListEntry[], lists: NoticeLists): ListEntry[] {
  const commended = new Set(lists.commended.map((e) => e.unitId));
  const criticisedNow = new Map(lists.criticised.map((e) => [e.unitId, e]));
  return entries
    .filter((e) => !commended.has(e.unitId))
    .map((e) => (criticisedNow.get(e.unitId)?.adjusted ? { ...e, reasons: [...e.reasons, "审核员列入通报批评"] } : e));
}

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
  return {
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
}): MonthlyBody {
  const rows = input.tables.flatMap((t) => t.rows);
  const units = new Map(rows.map((r) => [r.unitId, r]));
  const kindOrder = input.tables.map((t) => t.kind);
  const selection = rows.map((r) => ({
    unitId: r.unitId, code: r.code, name: r.name, kind: r.kind, status: r.status, completion: r.completion, late: r.late, rank: r.rank,
  }));
  const chosen = monthlySelection(selection, input.thresholds);
  const lists = applyAdjustments(
    { commended: entriesOf(chosen.commended, units), criticised: entriesOf(chosen.criticised, units) },
    input.adjustments,
    units,
    kindOrder,
  );
  return {
    kind: "monthly",
    period: input.month,
    closeId: input.closeId,
    closedAt: input.closedAt,
    thresholds: input.thresholds,
    figures: monthFigures(input.tables),
    ...lists,
    passedOver: passedOverOf(entriesOf(chosen.passedOver, units), lists),
    tables: input.tables,
    channels: input.channels ?? [],
    channelTotals: input.channelTotals ?? [],
  };
}

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
}

export interface AnnualCorrespondentRow {
  accountId: number;
  displayName: string;
  unitName: string;
  active: boolean;
  items: number;
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
  return {
    units: rows.length,
    submitted: rows.reduce((s, r) => s + r.submitted, 0),
    adopted: rows.reduce((s, r) => s + r.adopted, 0),
    byKind,
  };
}

export function composeAnnualBody(input: {
  year: string;
  months: string[];
  tables: Array<KindTable<AnnualUnitRow>>;
  correspondents: AnnualCorrespondentRow[];
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
  const chosen = annualSelection(selection, input.thresholds);
  const lists = applyAdjustments(
    { commended: entriesOf(chosen.commended, units), criticised: entriesOf(chosen.criticised, units) },
    input.adjustments,
    units,
    input.tables.map((t) => t.kind),
  );
  return {
    kind: "annual",
    period: input.year,
    months: input.months,
    thresholds: input.thresholds,
    figures: annualFigures(input.tables),
    ...lists,
    passedOver: passedOverOf(entriesOf(chosen.passedOver, units), lists),
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

// ---------------------------------------------------------------------------------------------
// The document

export type NoticeBody = MonthlyBody | AnnualBody;

/** What the reviewer edits and signs; with the body, everything a notice shows. */
export interface NoticeHeader {
  title: string;
  docNumber: string;
  addressee: string;
  opening: string;
  closing: string;
  /** 落款: the issuing office. */
  issuer: string;
  /** 版头 (发文机关标志), printed in red above the 文号; absent in notices published before it was set. */
  letterhead?: string;
  signerName: string | null;
  publishedAt: string | null;
}

export interface NoticeDocument {
  header: NoticeHeader;
  body: NoticeBody;
}

export function periodName(kind: NoticeKind, period: string): string {
  return kind === "monthly" ? monthLabel(period) : `${period}年`;
}

export function noticeTitle(kind: NoticeKind, period: string): string {
  return kind === "monthly" ? `关于${monthLabel(period)}全县教育信息报送情况的通报` : `关于${period}年度全县教育信息报送工作情况的通报`;
}

/**
 * The title broken for the official layout: two lines between words, the longer first (GB/T 9704
 * asks for a symmetric, trapezoid title). A short or unfamiliar title stays one line.
 */
export function titleLines(title: string): string[] {
  const at = title.indexOf("全县教育信息");
  if (at < 0 || [...title].length < 18) return [title];
  const cut = at + "全县教育信息".length;
  return cut < title.length ? [title.slice(0, cut), title.slice(cut)] : [title];
}

export function defaultOpening(kind: NoticeKind, period: string): string {
  return kind === "monthly"
    ? `为进一步加强全县教育信息宣传工作，根据信息报送每月通报制度，现将${monthLabel(period)}各学校、幼儿园向“教育信息网”和“教育网”报送信息的情况通报如下。`
    : `${period}年，全县各学校、幼儿园围绕教育中心工作，积极报送教育信息，宣传了全县教育改革发展的新举措、新成效。根据信息报送月统计、年汇总制度，现将${period}年度信息报送工作情况通报如下。`;
}

export function defaultClosing(kind: NoticeKind): string {
  return kind === "monthly"
    ? "希望受到表扬的单位再接再厉，继续发挥示范带动作用；被通报批评的单位要高度重视，认真查找原因，明确分管领导和信息员责任，切实抓好整改。各单位要紧紧围绕教育中心工作，及时报送质量高、时效强的信息，确保按时完成月度报送任务。"
    : "年度汇总结果纳入各单位年度考核，并作为信息员绩效工资工作量核定的依据。希望受到表扬的单位和个人珍惜荣誉、再创佳绩；被通报批评的单位要认真整改，明确分管领导和信息员责任，确保新的一年按月完成报送任务。";
}

/** An instant as a Chinese calendar date in Asia/Shanghai: "2026年11月5日". */
export function chineseDate(instant: string | Date): string {
  const [y, m, d] = shanghaiDate(instant).split("-").map(Number);
  return `${y}年${m}月${d}日`;
}

/** Text as paragraphs: one per non-empty line, trimmed (people paste from Word with leading spaces). */
export function paragraphsOf(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.replace(/^[\s\u3000]+|[\s\u3000]+$/g, ""))
    .filter((l) => l.length > 0);
}

// ---------------------------------------------------------------------------------------------
// 文号: 发文机关代字 + 〔年份〕 + 序号 + 号 (GB/T 9704: 六角括号, no leading zeros, no 第)

const DOC_NUMBER = /^(\S(?:.*\S)?)〔(\d{4})〕([1-9]\d*)号$/;

/** Brackets typed as [], 【】, （）, () or ［］ around the year become 〔〕; spaces go. */
export function normalizeDocNumber(value: string): string {
  return value
    .replace(/[\s\u3000]+/g, "")
    .replace(/[[【（(［〔](\d{4})[\]】）)］〕]/, "〔$1〕")
    .replace(/〔(\d{4})〕0+(\d)/, "〔$1〕$2");
}

export function docNumberProblem(value: string): string | null {
  if (!value) return "请填写文号";
  if (!DOC_NUMBER.test(value)) return "文号格式应为“机关代字〔年份〕序号号”，如 X教体办〔2026〕12号";
  return null;
}

/** The next 文号 of a prefix in a year: one more than the highest used (1 when none). */
export function nextDocNumber(used: readonly string[], prefix: string, year: string): string {
  let highest = 0;
  for (const n of used) {
    const m = DOC_NUMBER.exec(n);
    if (m && m[1] === prefix && m[2] === year) highest = Math.max(highest, Number(m[3]));
  }
  return `${prefix}〔${year}〕${highest + 1}号`;
}

// ---------------------------------------------------------------------------------------------
// The outline both renderers follow

export type Block =
  | { type: "heading"; text: string }
  | { type: "paragraph"; text: string }
  | { type: "entries"; list: NoticeListName | "outstanding"; groups: Array<{ label: string; entries: Array<{ unitId: number | null; name: string; note: string }> }> };

const CN_NUMBERS = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"];
const cn = (i: number) => CN_NUMBERS[i] ?? String(i + 1);

function groupsByKind(entries: readonly ListEntry[]) {
  const kinds = [...new Set(entries.map((e) => e.kind))];
  return kinds.map((k, i) => {
    const of = entries.filter((e) => e.kind === k);
    return {
      label: `（${cn(i)}）${of[0].kindName}（${of.length} 个）`,
      entries: of.map((e) => ({ unitId: e.unitId, name: e.name, note: e.reasons.join("；") })),
    };
  });
}

function monthlyFiguresText(body: MonthlyBody): string[] {
  const f = body.figures;
  const channels = body.channels?.length ? `（${channelFiguresText(body.channels, body.channelTotals ?? [])}）` : "";
  const lines = [
    `${monthLabel(body.period)}，全县 ${f.units} 个单位共报送信息 ${f.submitted} 条，采用 ${f.adopted} 条${channels}；` +
      `完成月度任务（达标）的单位 ${f.met} 个，未达标 ${f.short} 个，不报 ${f.none} 个；迟报信息 ${f.late} 条。`,
  ];
  const kinds = f.byKind.map(
    (k) =>
      `${k.kindName} ${k.units} 个，任务 ${k.quota} 条，采用 ${k.adopted} 条，任务完成率 ${percentText(k.completion)}，` +
      `达标 ${k.met} 个、未达标 ${k.short} 个、不报 ${k.none} 个`,
  );
  if (kinds.length) lines.push(`分类别看：${kinds.join("；")}。`);
  return lines;
}

function annualFiguresText(body: AnnualBody): string[] {
  const f = body.figures;
  const first = body.months[0];
  const last = body.months.at(-1);
  const span =
    body.months.length === 12 || !first || !last
      ? `全年 12 个月`
      : `${monthLabel(first)}至${Number(last.slice(5))}月，共 ${body.months.length} 个月`;
  const channels = body.channels?.length ? `（${channelFiguresText(body.channels, body.channelTotals ?? [])}）` : "";
  const lines = [`${body.period}年（统计${span}），全县 ${f.units} 个单位共报送信息 ${f.submitted} 条，采用 ${f.adopted} 条${channels}。`];
  const kinds = f.byKind.map(
    (k) =>
      `${k.kindName} ${k.units} 个，全年任务 ${k.quota} 条，采用 ${k.adopted} 条，任务完成率 ${percentText(k.completion)}，` +
      `累计达标 ${k.met} 个单位月、未达标 ${k.short} 个单位月、不报 ${k.none} 个单位月`,
  );
  if (kinds.length) lines.push(`分类别看：${kinds.join("；")}。`);
  return lines;
}

/** The body of a notice after 主送 and before the attachments and 落款, in order. */
export function noticeOutline(doc: NoticeDocument): Block[] {
  const { header, body } = doc;
  const blocks: Block[] = paragraphsOf(header.opening).map((text) => ({ type: "paragraph", text }));
  let n = 0;
  const heading = (text: string) => blocks.push({ type: "heading", text: `${cn(n++)}、${text}` });

  heading(body.kind === "monthly" ? "总体情况" : "全年总体情况");
  for (const text of body.kind === "monthly" ? monthlyFiguresText(body) : annualFiguresText(body)) blocks.push({ type: "paragraph", text });

  heading(body.kind === "monthly" ? "表扬单位" : "年度表扬单位");
  if (body.commended.length === 0) {
    blocks.push({ type: "paragraph", text: "本期没有符合表扬条件的单位。" });
  } else {
    blocks.push({
      type: "paragraph",
      text:
        body.kind === "monthly"
          ? `以下单位完成月度报送任务、未被通报批评，且积分在本类别排名前 ${body.thresholds.commendTopN} 位，予以通报表扬：`
          : `以下单位全年至少 ${body.thresholds.yearCommendMinMonthsMet} 个月完成报送任务、未被通报批评，且全年积分在本类别排名前 ${body.thresholds.yearCommendTopN} 位，予以通报表扬：`,
    });
    blocks.push({ type: "entries", list: "commended", groups: groupsByKind(body.commended) });
  }

  if (body.kind === "annual") {
    heading("优秀信息员");
    if (body.outstanding.length === 0) {
      blocks.push({ type: "paragraph", text: "本年度没有符合条件的信息员。" });
    } else {
      blocks.push({
        type: "paragraph",
        text: `以下同志全年采用信息不少于 ${body.thresholds.yearCorrespondentMinAdopted} 篇，信息积分排名前 ${body.thresholds.yearCorrespondentTopN} 位，评为优秀信息员：`,
      });
      blocks.push({
        type: "entries",
        list: "outstanding",
        groups: [
          {
            label: "",
            entries: body.outstanding.map((p) => ({
              unitId: null,
              name: `${p.displayName}（${p.unitName}）`,
              note: `全年采用 ${pointsText(p.items)} 篇，积分 ${pointsText(p.points)}，第 ${p.rank} 名`,
            })),
          },
        ],
      });
    }
  }

  heading("通报批评单位");
  if (body.criticised.length === 0) {
    blocks.push({ type: "paragraph", text: "本期没有被通报批评的单位。" });
  } else {
    blocks.push({
      type: "paragraph",
      text:
        body.kind === "monthly"
          ? `以下单位当月不报、任务完成率低于 ${percentText(body.thresholds.criticiseBelowCompletion)} 或迟报信息达到 ${body.thresholds.criticiseMinLate} 篇，予以通报批评：`
          : `以下单位全年有 ${body.thresholds.yearCriticiseNoneMonths} 个月及以上不报信息，或全年任务完成率低于 ${percentText(body.thresholds.yearCriticiseBelowCompletion)}，予以通报批评：`,
    });
    blocks.push({ type: "entries", list: "criticised", groups: groupsByKind(body.criticised) });
  }

  const closing = paragraphsOf(header.closing);
  if (closing.length) {
    heading("有关要求");
    for (const text of closing) blocks.push({ type: "paragraph", text });
  }
  return blocks;
}

/** "城关镇中心学校（本类别第 1 名，完成月度任务）" */
export function entryText(e: { name: string; note: string }): string {
  return e.note ? `${e.name}（${e.note}）` : e.name;
}

// ---------------------------------------------------------------------------------------------
// Attached tables

export interface AttachedTable {
  /** "乡镇中心校2026年10月信息报送情况排名表" */
  title: string;
  note: string;
  /** Wide tables print landscape. */
  landscape: boolean;
  columns: Array<{ header: string; numeric: boolean; wide?: boolean }>;
  /** Cell text; a line break separates lines within a cell. */
  rows: Array<{ unitId: number; cells: string[] }>;
}

const rankCell = (r: { rank: number; tied: boolean }) => (r.tied ? `${r.rank}（并列）` : String(r.rank));

export function attachedTables(body: NoticeBody): AttachedTable[] {
  if (body.kind === "monthly") {
    return body.tables.map((t) => ({
      title: `${t.kindName}${monthLabel(body.period)}信息报送情况排名表`,
      note: "同类别单位按当月积分排名；积分相同依次比较国家级、省级、市级上稿数和采用数，仍相同者并列。“变化”与上月名次相比。",
      landscape: false,
      columns: [
        { header: "名次", numeric: true },
        { header: "单位", numeric: false, wide: true },
        { header: "任务数", numeric: true },
        { header: "采用", numeric: true },
        ...(body.channels ?? []).map((c) => ({ header: `${c.name}\n报送/采用`, numeric: true })),
        { header: "完成率", numeric: true },
        { header: "状态", numeric: false },
        { header: "积分", numeric: true },
        { header: "变化", numeric: false },
      ],
      rows: t.rows.map((r) => ({
        unitId: r.unitId,
        cells: [
          rankCell(r), r.name, String(r.quota), String(r.adopted),
          ...(body.channels ?? []).map((_c, i) => `${r.channels?.[i]?.submitted ?? 0}/${r.channels?.[i]?.adopted ?? 0}`),
          percentText(r.completion), QUOTA_STATUS_NAMES[r.status], pointsText(r.points), r.movement,
        ],
      })),
    }));
  }
  const counted = new Set(body.months);
  const monthCols = monthsOfYear(body.period).map((m) => ({ month: m, counted: counted.has(m) }));
  const channels = body.channels ?? [];
  const unitTables: AttachedTable[] = body.tables.map((t) => ({
    title: `${t.kindName}${body.period}年度信息报送情况汇总表`,
    note: "每月一格：上为采用数，下为积分；“—”为未纳入统计的月份。名次按全年积分在本类别内排列。",
    landscape: true,
    columns: [
      { header: "名次", numeric: true },
      { header: "单位", numeric: false, wide: true },
      ...monthCols.map((m) => ({ header: `${Number(m.month.slice(5))}月`, numeric: true })),
      { header: "采用合计", numeric: true },
      ...channels.map((c) => ({ header: `${c.name}\n报送/采用`, numeric: true })),
      { header: "积分合计", numeric: true },
      { header: "达标/未达标/不报\n（月数）", numeric: false },
    ],
    rows: t.rows.map((r) => ({
      unitId: r.unitId,
      cells: [
        rankCell(r),
        r.name,
        ...r.months.map((c) => (c ? `${c.adopted}\n${pointsText(c.points)}` : "—")),
        String(r.adopted),
        ...channels.map((_c, i) => `${r.channels?.[i]?.submitted ?? 0}/${r.channels?.[i]?.adopted ?? 0}`),
        pointsText(r.points),
        `${r.met}/${r.short}/${r.none}`,
      ],
    })),
  }));
  if (channels.length === 0 || !body.channelMonths?.length) return unitTables;
  const sum = (i: number, f: "submitted" | "adopted") => body.channelMonths!.reduce((a, m) => a + (m.counts[i]?.[f] ?? 0), 0);
  const channelTable: AttachedTable = {
    title: `${body.period}年度分频道信息报送统计表`,
    note: "全县各单位报送到各频道的信息，按报送月份统计；“报送”含采用、不采用和撤稿的信息。",
    landscape: false,
    columns: [
      { header: "月份", numeric: false },
      ...channels.flatMap((c) => [{ header: `${c.name}\n报送`, numeric: true }, { header: `${c.name}\n采用`, numeric: true }]),
    ],
    rows: [
      ...body.channelMonths.map((m) => ({
        unitId: 0,
        cells: [monthLabel(m.month), ...channels.flatMap((_c, i) => [String(m.counts[i]?.submitted ?? 0), String(m.counts[i]?.adopted ?? 0)])],
      })),
      { unitId: 0, cells: ["全年合计", ...channels.flatMap((_c, i) => [String(sum(i, "submitted")), String(sum(i, "adopted"))])] },
    ],
  };
  return [...unitTables, channelTable];
}

/** The 附件 line: "附件：1. …\n2. …" as its items. */
export function attachmentTitles(body: NoticeBody): string[] {
  return attachedTables(body).map((t, i) => `${i + 1}. ${t.title}`);
}

/** Where a unit stands in a notice: its list entries (for a school's own callout). */
export function standingOf(body: NoticeBody, unitId: number): { commended: ListEntry | null; criticised: ListEntry | null } {
  return {
    commended: body.commended.find((e) => e.unitId === unitId) ?? null,
    criticised: body.criticised.find((e) => e.unitId === unitId) ?? null,
  };
}

/** Download names: "通报-X教体办〔2026〕12号.docx" with an ASCII fallback. */
export function noticeFileNames(doc: { kind: NoticeKind; period: string; docNumber: string }, ext: string): { chinese: string; ascii: string } {
  const what = doc.kind === "monthly" ? `${monthLabel(doc.period)}信息报送情况通报` : `${doc.period}年度信息报送工作情况通报`;
  const chinese = `${what}${doc.docNumber ? `（${doc.docNumber}）` : ""}.${ext}`;
  const ascii = `${doc.kind === "monthly" ? "notice" : "summary"}-${doc.period}.${ext}`;
  return { chinese, ascii };
}
