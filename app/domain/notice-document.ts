// A notice as a document: its header (title, 文号, 主送, text, 落款, 版头), default wording, dates
// in Chinese, the 文号 rules and download names.
import type { AnnualBody } from "./notice-annual";
import type { MonthlyBody } from "./notice-monthly";
import type { NoticeKind } from "./notice-lists";
import { monthLabel, shanghaiDate } from "./time";


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
  /**
   * Set only on a web page that shows the first entries of a province's long lists
   * (notice-pages.ts `noticeShown`): each cut list's size, in all and per kind of unit.
   */
  listsCut?: ListsCut;
}

/**
 * A list's size before a page cut it: every entry, and per kind of unit (name and count, in the
 * list's order); whether the viewer's own entry was kept beyond the first ones.
 */
export interface ListCut {
  total: number;
  kinds: Array<{ kind: string; kindName: string; count: number }>;
  ownAdded: boolean;
}
export type ListsCut = Partial<Record<"commended" | "criticised" | "passedOver" | "outstanding", ListCut>>;

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

/** Why a draft's stored 文号 does not allow 签发 yet (null: it does), as 签发 itself answers. */
export function publishDocNumberProblem(docNumber: string): string | null {
  if (!docNumber) return "签发前请先填写文号并保存。";
  const problem = docNumberProblem(docNumber);
  return problem ? `${problem}。请修改后再签发。` : null;
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
