// The outline both renderers follow (the web page and the Word document): headings, paragraphs
// and lists in order, then the attached tables, so the two always say the same thing.
import { channelFiguresText } from "./channels";
import { annualCountsRequests, type AnnualBody } from "./notice-annual";
import { paragraphsOf, type ListCut, type NoticeBody, type NoticeDocument } from "./notice-document";
import type { ListEntry, NoticeKind, NoticeListName } from "./notice-lists";
import type { MonthlyBody } from "./notice-monthly";
import { monthsOfYear } from "./notice-annual";
import { QUOTA_STATUS_NAMES } from "./points";
import { movementText } from "./ranking";
import { percentText, pointsText } from "./rankings-view";
import { monthLabel } from "./time";
import { noticeThemeSentences } from "./themes";
import { bulletinSentence } from "./bulletins";
import { yearRequestsCell, yearRequestsSentence } from "./year-requests";


// ---------------------------------------------------------------------------------------------
// The outline both renderers follow

export type Block =
  | { type: "heading"; text: string }
  | { type: "paragraph"; text: string }
  | {
      type: "entries";
      list: NoticeListName | "outstanding";
      groups: Array<{ label: string; entries: Array<{ unitId: number | null; name: string; note: string }> }>;
      /** A page's cut of a long list (notice-pages.ts): how many entries it has in all, and whether the viewer's own was added. */
      cut?: { total: number; ownAdded: boolean };
    };

const CN_NUMBERS = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"];
const cn = (i: number) => CN_NUMBERS[i] ?? String(i + 1);

/** A list's entries by kind of unit, each kind labelled with its count (the whole list's, when a page shows part of it). */
function groupsByKind(entries: readonly ListEntry[], cut?: ListCut) {
  const kinds = cut?.kinds ?? [...new Set(entries.map((e) => e.kind))].map((kind) => {
    const of = entries.filter((e) => e.kind === kind);
    return { kind, kindName: of[0].kindName, count: of.length };
  });
  return kinds.map((k, i) => ({
    label: `（${cn(i)}）${k.kindName}（${k.count} 个）`,
    entries: entries.filter((e) => e.kind === k.kind).map((e) => ({ unitId: e.unitId, name: e.name, note: e.reasons.join("；") })),
  }));
}

/** What a page shows of a cut list, for the entries block. */
function cutOf(cut: ListCut | undefined) {
  return cut ? { cut: { total: cut.total, ownAdded: cut.ownAdded } } : {};
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
  lines.push(...noticeThemeSentences(body.period, body.themes ?? []));
  if (f.requests) lines.push(requestsSentence(f.requests));
  if (body.bulletins?.issues.length) lines.push(bulletinSentence(body.bulletins.issues, body.bulletins.units));
  return lines;
}

/** "本月约稿 N 篇（涉及 M 个单位）：按时完成 a、逾期 b、未报送 c、婉拒 d。" */
export function requestsSentence(r: NonNullable<MonthlyBody["figures"]["requests"]>): string {
  return `本月约稿 ${r.pieces} 篇（涉及 ${r.units} 个单位）：按时完成 ${r.fulfilled}、逾期 ${r.late}、未报送 ${r.missed}、婉拒 ${r.declined}。`;
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
  if (f.requests && annualCountsRequests(body)) lines.push(yearRequestsSentence(f.requests));
  return lines;
}

/**
 * The body of a notice after 主送 and before the attachments and 落款, in order, for the page and
 * the Word file alike. A published notice keeps the wording it was published with: the lists'
 * lead-ins follow the body's `leadIns` (the first wording when absent).
 */
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
      text: commendedLeadIn(body),
    });
    blocks.push({ type: "entries", list: "commended", groups: groupsByKind(body.commended, doc.listsCut?.commended), ...cutOf(doc.listsCut?.commended) });
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
              note:
                p.adopted === undefined
                  ? `全年采用 ${pointsText(p.items)} 篇，积分 ${pointsText(p.points)}，第 ${p.rank} 名`
                  : `全年采用 ${p.adopted} 篇（多人署名按人数分摊为 ${pointsText(p.items)} 篇），积分 ${pointsText(p.points)}，第 ${p.rank} 名`,
            })),
          },
        ],
        ...cutOf(doc.listsCut?.outstanding),
      });
    }
  }

  heading("通报批评单位");
  if (body.criticised.length === 0) {
    blocks.push({ type: "paragraph", text: "本期没有被通报批评的单位。" });
  } else {
    blocks.push({
      type: "paragraph",
      text: criticisedLeadIn(body),
    });
    blocks.push({ type: "entries", list: "criticised", groups: groupsByKind(body.criticised, doc.listsCut?.criticised), ...cutOf(doc.listsCut?.criticised) });
  }

  const closing = paragraphsOf(header.closing);
  if (closing.length) {
    heading("有关要求");
    for (const text of closing) blocks.push({ type: "paragraph", text });
  }
  return blocks;
}

/** The commended list's lead-in: who may be commended, then how many are taken (the first wording for a body without `leadIns`). */
function commendedLeadIn(body: NoticeDocument["body"]): string {
  const [conditions, by, n] =
    body.kind === "monthly"
      ? ["完成月度报送任务", "积分", body.thresholds.commendTopN]
      : [`全年至少 ${body.thresholds.yearCommendMinMonthsMet} 个月完成报送任务`, "全年积分", body.thresholds.yearCommendTopN];
  const taken = body.leadIns === 2 ? `在本类别中按${by}取前 ${n} 名（并列的一同表扬）` : `且${by}在本类别排名前 ${n} 位`;
  return `以下单位${conditions}、未被通报批评，${taken}，予以通报表扬：`;
}

/** The criticised list's lead-in: the rules' reasons, and (since `leadIns`) that each unit's own follow its name. */
function criticisedLeadIn(body: NoticeDocument["body"]): string {
  if (body.kind === "monthly") {
    const below = percentText(body.thresholds.criticiseBelowCompletion);
    if (body.leadIns !== 2) return `以下单位当月不报、任务完成率低于 ${below} 或迟报信息达到 ${body.thresholds.criticiseMinLate} 篇，予以通报批评：`;
    const requests = body.thresholds.requestMissThreshold === undefined ? "" : `、约稿未完成达到 ${body.thresholds.requestMissThreshold} 项`;
    return `以下单位因当月不报、任务完成率低于 ${below}、迟报信息达到 ${body.thresholds.criticiseMinLate} 篇${requests}等原因（见各单位后），予以通报批评：`;
  }
  const below = percentText(body.thresholds.yearCriticiseBelowCompletion);
  return body.leadIns === 2
    ? `以下单位因全年有 ${body.thresholds.yearCriticiseNoneMonths} 个月及以上不报信息、全年任务完成率低于 ${below} 等原因（见各单位后），予以通报批评：`
    : `以下单位全年有 ${body.thresholds.yearCriticiseNoneMonths} 个月及以上不报信息，或全年任务完成率低于 ${below}，予以通报批评：`;
}

/**
 * The rules the lists were made by, as the notice editor states them beside the lists: the same
 * criteria the lead-ins above name, the unfinished requests included.
 */
export function selectionRuleText(body: NoticeDocument["body"]): string {
  const percent = (fraction: number) => `${Math.round(fraction * 100)}%`;
  if (body.kind === "monthly") {
    const t = body.thresholds;
    const requests = t.requestMissThreshold === undefined ? "" : `、约稿未完成达到 ${t.requestMissThreshold} 项`;
    return `表扬：每类完成任务且未被批评的单位中积分前 ${t.commendTopN} 名；批评：不报、完成率低于 ${percent(t.criticiseBelowCompletion)}、迟报达到 ${t.criticiseMinLate} 篇${requests}。`;
  }
  const t = body.thresholds;
  return `表扬：全年至少 ${t.yearCommendMinMonthsMet} 个月达标且未被批评的单位中，每类积分前 ${t.yearCommendTopN} 名；批评：不报达到 ${t.yearCriticiseNoneMonths} 个月或全年完成率低于 ${percent(t.yearCriticiseBelowCompletion)}；优秀信息员：采用不少于 ${t.yearCorrespondentMinAdopted} 篇者中积分前 ${t.yearCorrespondentTopN} 名。`;
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
          percentText(r.completion), QUOTA_STATUS_NAMES[r.status], pointsText(r.points), movementText(r.movement),
        ],
      })),
    }));
  }
  const counted = new Set(body.months);
  const monthCols = monthsOfYear(body.period).map((m) => ({ month: m, counted: counted.has(m) }));
  const channels = body.channels ?? [];
  const requests = annualCountsRequests(body);
  const unitTables: AttachedTable[] = body.tables.map((t) => ({
    title: `${t.kindName}${body.period}年度信息报送情况汇总表`,
    note:
      "每月一格：上为采用数，下为积分；“—”为未纳入统计的月份。名次按全年积分在本类别内排列。" +
      (requests ? "“约稿”为全年约稿按时完成/逾期/未报送/婉拒的篇次，其积分已计入各月积分。" : ""),
    landscape: true,
    columns: [
      { header: "名次", numeric: true },
      { header: "单位", numeric: false, wide: true },
      ...monthCols.map((m) => ({ header: `${Number(m.month.slice(5))}月`, numeric: true })),
      { header: "采用合计", numeric: true },
      ...channels.map((c) => ({ header: `${c.name}\n报送/采用`, numeric: true })),
      ...(requests ? [{ header: "约稿\n按时/逾期/\n未报送/婉拒", numeric: false }] : []),
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
        ...(requests ? [yearRequestsCell(r.requests)] : []),
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

/** What a notice's downloads are called before their 文号: "2026年10月信息报送情况通报". */
export function noticeFileStem(kind: NoticeKind, period: string): string {
  return kind === "monthly" ? `${monthLabel(period)}信息报送情况通报` : `${period}年度信息报送工作情况通报`;
}

/** Download names: "通报-X教体办〔2026〕12号.docx" with an ASCII fallback. */
export function noticeFileNames(doc: { kind: NoticeKind; period: string; docNumber: string }, ext: string): { chinese: string; ascii: string } {
  const what = noticeFileStem(doc.kind, doc.period);
  const chinese = `${what}${doc.docNumber ? `（${doc.docNumber}）` : ""}.${ext}`;
  const ascii = `${doc.kind === "monthly" ? "notice" : "summary"}-${doc.period}.${ext}`;
  return { chinese, ascii };
}
