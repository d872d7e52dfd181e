// 通报 names and the two lists: who a notice commends and criticises, with the reviewer's
// recorded adjustments applied on top of the rules (notice-selection.ts). Criticism wins: no unit
// ever stands on both lists.
import type { CriticisedReasons, Selected, Selection } from "./notice-selection";


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

/**
 * A notice's lists with the reviewer's adjustments, in the rules' order: the 通报批评 list first
 * (the rules', then the reviewer's additions and removals), then the commendations chosen against
 * that list, then the reviewer's changes to the commendations. A unit the reviewer criticises so
 * gives its place to the next unit that qualifies, and one the reviewer takes off the list may win
 * the place it qualifies for; a unit the reviewer takes off the commendations leaves its place empty.
 */
export function adjustedLists(input: {
  criticised: readonly Selected[];
  commend: (criticised: CriticisedReasons) => Pick<Selection, "commended" | "passedOver">;
  adjustments: readonly Adjustment[];
  units: ReadonlyMap<number, UnitRef>;
  kindOrder: readonly string[];
}): NoticeLists & { passedOver: ListEntry[] } {
  const { units, kindOrder } = input;
  const ofList = (list: NoticeListName) => input.adjustments.filter((a) => a.list === list);
  const { criticised } = applyAdjustments({ commended: [], criticised: entriesOf(input.criticised, units) }, ofList("criticised"), units, kindOrder);
  const chosen = input.commend(new Map(criticised.map((e) => [e.unitId, e.reasons])));
  const lists = applyAdjustments({ commended: entriesOf(chosen.commended, units), criticised }, ofList("commended"), units, kindOrder);
  return { ...lists, passedOver: passedOverOf(entriesOf(chosen.passedOver, units), lists) };
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
