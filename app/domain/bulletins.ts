// 简报: the bureau's numbered bulletin compiled from adopted items. The rules here are pure:
// the suggested issue number, what a bulletin must be to be saved or published, the bulletin
// text's difference from the school's original, and the lines the Word file and the monthly
// notice print.
import { diffChars } from "diff";
import type { ItemStatusCode, TierCode } from "./catalog";

export const BULLETIN_OUTLET = "县教育信息简报";

export const BULLETIN_LIMITS = {
  name: 30,
  editorNote: 1000,
  editorUnit: 40,
  distribution: 200,
  title: 80,
  body: 10000,
  items: 30,
  number: 9999,
} as const;

export type BulletinStatus = "draft" | "published";

export const BULLETIN_STATUS_NAMES: Record<BulletinStatus, string> = { draft: "草稿", published: "已签发" };

/** The bulletin's default name from the county's name: 临溪县 → 临溪县教育信息. */
export function defaultBulletinName(countyName: string): string {
  return `${countyName.trim()}教育信息`;
}

/** 《临溪县教育信息》第9期 */
export function issueTitle(name: string, number: number): string {
  return `《${name}》第${number}期`;
}

/** The next issue number of a year: one more than the highest published number, 1 for a new year. */
export function suggestedIssueNumber(publishedNumbers: readonly number[]): number {
  return publishedNumbers.reduce((max, n) => Math.max(max, n), 0) + 1;
}

export interface BulletinFields {
  number: number;
  name: string;
  editorNote: string;
  editorUnit: string;
  issueDate: string;
  reportTo: string;
  sendTo: string;
  issueTo: string;
}

export interface BulletinItemCheck {
  itemId: number;
  status: ItemStatusCode;
  title: string;
  body: string;
}

export interface BulletinProblem {
  field: string;
  message: string;
}

const len = (s: string) => [...s].length;
const DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

/** Problems with a bulletin's own fields (what a save checks). */
export function fieldProblems(f: BulletinFields, takenNumbers: readonly number[]): BulletinProblem[] {
  const out: BulletinProblem[] = [];
  if (!Number.isInteger(f.number) || f.number < 1 || f.number > BULLETIN_LIMITS.number) {
    out.push({ field: "number", message: `期号应为 1–${BULLETIN_LIMITS.number} 之间的整数` });
  } else if (takenNumbers.includes(f.number)) {
    out.push({ field: "number", message: `第${f.number}期已签发，请换一个期号` });
  }
  if (!f.name.trim()) out.push({ field: "name", message: "请填写简报名称" });
  else if (len(f.name) > BULLETIN_LIMITS.name) out.push({ field: "name", message: `简报名称不能超过 ${BULLETIN_LIMITS.name} 个字` });
  if (!f.editorUnit.trim()) out.push({ field: "editor_unit", message: "请填写编印单位" });
  else if (len(f.editorUnit) > BULLETIN_LIMITS.editorUnit) out.push({ field: "editor_unit", message: `编印单位不能超过 ${BULLETIN_LIMITS.editorUnit} 个字` });
  if (!DATE.test(f.issueDate) || new Date(`${f.issueDate}T00:00:00Z`).toISOString().slice(0, 10) !== f.issueDate) {
    out.push({ field: "issue_date", message: "印发日期格式应为 年-月-日，如 2026-11-03" });
  }
  if (len(f.editorNote) > BULLETIN_LIMITS.editorNote) out.push({ field: "editor_note", message: `编者按不能超过 ${BULLETIN_LIMITS.editorNote} 个字` });
  for (const [field, value, label] of [["report_to", f.reportTo, "报"], ["send_to", f.sendTo, "送"], ["issue_to", f.issueTo, "发"]] as const) {
    if (len(value) > BULLETIN_LIMITS.distribution) out.push({ field, message: `“${label}”不能超过 ${BULLETIN_LIMITS.distribution} 个字` });
  }
  return out;
}

/** Problems with one item's bulletin text. */
export function itemTextProblems(i: { itemId: number; title: string; body: string }): BulletinProblem[] {
  const out: BulletinProblem[] = [];
  if (!i.title.trim()) out.push({ field: `title_${i.itemId}`, message: "请填写简报标题" });
  else if (len(i.title) > BULLETIN_LIMITS.title) out.push({ field: `title_${i.itemId}`, message: `简报标题不能超过 ${BULLETIN_LIMITS.title} 个字` });
  if (!i.body.trim()) out.push({ field: `body_${i.itemId}`, message: "请填写简报正文" });
  else if (len(i.body) > BULLETIN_LIMITS.body) out.push({ field: `body_${i.itemId}`, message: `简报正文不能超过 ${BULLETIN_LIMITS.body} 个字` });
  return out;
}

/** Why an item cannot be added to a bulletin that already carries `includedIds`, or null. */
export function inclusionProblem(item: { itemId: number; status: ItemStatusCode }, includedIds: readonly number[]): string | null {
  if (item.status !== "adopted") return "只有已采用的稿件才能编入简报";
  if (includedIds.includes(item.itemId)) return "该稿件已在本期简报中";
  if (includedIds.length >= BULLETIN_LIMITS.items) return `一期简报至多收录 ${BULLETIN_LIMITS.items} 条信息`;
  return null;
}

/** Everything that stops 签发 as the bulletin stands, in the order a person should fix them. */
export function publishProblems(f: BulletinFields, items: readonly BulletinItemCheck[], takenNumbers: readonly number[]): BulletinProblem[] {
  const out = fieldProblems(f, takenNumbers);
  if (items.length === 0) out.push({ field: "items", message: "简报至少要收录 1 条信息" });
  if (items.length > BULLETIN_LIMITS.items) out.push({ field: "items", message: `一期简报至多收录 ${BULLETIN_LIMITS.items} 条信息` });
  const seen = new Set<number>();
  for (const i of items) {
    if (seen.has(i.itemId)) out.push({ field: "items", message: `稿件 ${i.itemId} 重复收录` });
    seen.add(i.itemId);
    if (i.status !== "adopted") out.push({ field: "items", message: `《${i.title}》已不是“已采用”状态，请移出后再签发` });
    out.push(...itemTextProblems(i));
  }
  return out;
}

export interface DiffPart {
  kind: "same" | "ins" | "del";
  text: string;
}

/**
 * The most characters a diff may find inserted and deleted between the stretches the two texts
 * share at their start and end. Finding a diff costs about the square of that number: a body of
 * 10,000 characters against another of 10,000 took 30 seconds of the server's only thread, and the
 * 简报 editor diffs up to 30 items every time it is opened. Past this, the differing stretch is
 * shown as deleted and inserted whole.
 */
export const DIFF_MAX_EDITS = 300;

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;
const isLowSurrogate = (code: number) => code >= 0xdc00 && code <= 0xdfff;

/** The bulletin text against the school's original, character by character (Chinese has no spaces). */
export function textDiff(original: string, edited: string): DiffPart[] {
  // What the two share at the start and at the end, never cutting a character in two.
  const shortest = Math.min(original.length, edited.length);
  let start = 0;
  while (start < shortest && original.charCodeAt(start) === edited.charCodeAt(start)) start++;
  if (start > 0 && start < shortest && isHighSurrogate(original.charCodeAt(start - 1))) start--;
  let end = 0;
  while (end < shortest - start && original.charCodeAt(original.length - 1 - end) === edited.charCodeAt(edited.length - 1 - end)) end++;
  if (end > 0 && isLowSurrogate(original.charCodeAt(original.length - end))) end--;
  const removed = original.slice(start, original.length - end);
  const added = edited.slice(start, edited.length - end);
  const middle: DiffPart[] =
    diffChars(removed, added, { maxEditLength: DIFF_MAX_EDITS })?.map((p) => ({ kind: p.added ? "ins" : p.removed ? "del" : "same", text: p.value })) ??
    [{ kind: "del", text: removed }, { kind: "ins", text: added }];
  const parts: DiffPart[] = [{ kind: "same", text: original.slice(0, start) }, ...middle, { kind: "same", text: original.slice(original.length - end) }];
  return parts.filter((p) => p.text !== "");
}

/** Whether the bulletin text differs from the original. */
export function isEdited(i: { title: string; body: string; originalTitle: string; originalBody: string }): boolean {
  return i.title !== i.originalTitle || i.body !== i.originalBody;
}

/** The distribution block: "报：…", "送：…", "发：…", each only when filled in. */
export function distributionLines(d: { reportTo: string; sendTo: string; issueTo: string }): string[] {
  return [
    ["报", d.reportTo],
    ["送", d.sendTo],
    ["发", d.issueTo],
  ]
    .filter(([, v]) => v.trim())
    .map(([k, v]) => `${k}：${v.trim()}`);
}

/** 2026-11-03 → 2026年11月3日 */
export function dateText(date: string): string {
  const [y, m, d] = date.split("-").map(Number);
  return `${y}年${m}月${d}日`;
}

/** The last line of the distribution block: "临溪县教育和体育局办公室 2026年11月3日印发". */
export function printedLine(editorUnit: string, issueDate: string): string {
  return `${editorUnit}　　${dateText(issueDate)}印发`;
}

/** The notification a unit gets when one of its items is carried. */
export function inclusionNotice(name: string, number: number, itemTitle: string, tierName: string) {
  return {
    title: `您单位的《${itemTitle}》编入${issueTitle(name, number)}`,
    body: `记上稿：${BULLETIN_OUTLET}（${tierName}）。`,
  };
}

export interface MonthBulletin {
  name: string;
  number: number;
  units: number;
  items: number;
}

/**
 * The monthly notice's sentence on the month's bulletins: "本月编发《临溪县教育信息》第9期，收录 5 个单位
 * 6 条信息。" (several issues: "第9期、第10期，共收录…"); "" when none was published.
 */
export function bulletinSentence(bulletins: readonly MonthBulletin[], unitCount?: number): string {
  if (bulletins.length === 0) return "";
  const byName = new Map<string, number[]>();
  for (const b of bulletins) byName.set(b.name, [...(byName.get(b.name) ?? []), b.number]);
  const issues = [...byName].map(([name, numbers]) => `《${name}》${[...numbers].sort((a, b) => a - b).map((n) => `第${n}期`).join("、")}`).join("、");
  const items = bulletins.reduce((s, b) => s + b.items, 0);
  const units = unitCount ?? bulletins.reduce((s, b) => s + b.units, 0);
  return `本月编发${issues}，${bulletins.length > 1 ? "共" : ""}收录 ${units} 个单位 ${items} 条信息。`;
}

export const BULLETIN_TIER_DEFAULT: TierCode = "county";
