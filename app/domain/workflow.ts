// An item's life: who may move it from which state to which. The server asks this table
// before every transition; pages ask it to decide which buttons to show.
import { refusal, type Refusal } from "./refusal";
import { REASON_MAX } from "./review";
import { GRADES, nameOf, type GradeCode, type ItemStatusCode } from "./catalog";
import { roleNeedsUnit, type Actor } from "./permissions";
import { formatShanghai } from "./time";

export const ITEM_ACTIONS = [
  { code: "submit", name: "报送", role: "correspondent", from: ["draft"], needsReason: false },
  { code: "recall", name: "撤回修改", role: "correspondent", from: ["pending_school"], needsReason: false },
  { code: "sign_off", name: "签发", role: "school_lead", from: ["pending_school"], needsReason: false },
  { code: "send_back", name: "退回本单位修改", role: "school_lead", from: ["pending_school"], needsReason: true },
  { code: "adopt", name: "采用", role: "reviewer", from: ["submitted"], needsReason: false },
  { code: "return", name: "退回修改", role: "reviewer", from: ["submitted"], needsReason: true },
  { code: "reject", name: "不采用", role: "reviewer", from: ["submitted"], needsReason: true },
  { code: "withdraw", name: "撤稿", role: "reviewer", from: ["adopted"], needsReason: true },
] as const;

export type ItemAction = (typeof ITEM_ACTIONS)[number]["code"];

/**
 * Trail entries that are not transitions of their own: corrections made after the decision, and
 * the demo county's stored resubmissions.
 */
const TRAIL_NAMES: Record<string, string> = {
  regrade: "更正等次", pickup_removed: "删除上稿", instruction_removed: "删除批示", late_cleared: "取消迟报", resubmit: "重新报送",
};

export function actionName(action: string): string {
  return ITEM_ACTIONS.find((a) => a.code === action)?.name ?? TRAIL_NAMES[action] ?? action;
}

export interface ItemFacts {
  status: ItemStatusCode;
  unitId: number;
}

export type TransitionDecision =
  | { ok: true; to: ItemStatusCode; arrivesAtBureau: boolean; needsReason: boolean }
  | Refusal;

/** The state an action leads to, or why it may not happen. */
export function decideTransition(input: {
  action: ItemAction;
  actor: Actor;
  item: ItemFacts;
  unitSignoffRequired: boolean;
}): TransitionDecision {
  const { action, actor, item } = input;
  const rule = ITEM_ACTIONS.find((a) => a.code === action)!;
  if (actor.role !== rule.role) return refusal(403, `您的角色不能${rule.name}稿件。`);
  if (roleNeedsUnit(actor.role) && actor.unitId !== item.unitId) return refusal(403, "不能处理其他单位的稿件。");
  if (!(rule.from as readonly string[]).includes(item.status)) {
    return refusal(409, rule.role === "reviewer" ? "该稿件已被他人处理，请刷新后查看最新状态。" : "稿件状态已变化，请刷新后重试。");
  }
  const to = targetOf(action, input.unitSignoffRequired);
  return { ok: true, to, arrivesAtBureau: to === "submitted", needsReason: rule.needsReason };
}

/** The latest entry of an item's trail (review_events): who did what, when. */
export interface TrailEntry {
  actorId: number;
  action: string;
  at: string;
  /** The grade an 采用 gave. */
  grade?: GradeCode | null;
}

/**
 * The 409 for a transition that found the item moved on since the person's page was drawn (its
 * version, or its state, no longer the one they saw). When the one step since then is this very
 * person doing this very action, it is their own earlier post found again: a double click, a form
 * sent again after a slow answer, a post repeated after the portal restarted mid-answer, or the
 * same move from a second tab of their own (an 采用 says with which grade it stood). They
 * are told it is done already (not that "someone else" handled it, which sent reviewers looking for
 * a colleague and made correspondents think their 报送 had failed). Anything else keeps `movedOn`,
 * the refusal the transition had.
 */
export function repeatedOrMovedOn(input: {
  action: ItemAction;
  actorId: number;
  /** The version the person's page showed (none: the caller did not say). */
  seenVersion?: number;
  /** The item's version now. */
  version: number;
  latest: TrailEntry | null;
  movedOn: Refusal;
}): Refusal {
  const { latest } = input;
  const oneStepSince = input.seenVersion === undefined || input.version === input.seenVersion + 1;
  if (!latest || !oneStepSince || latest.actorId !== input.actorId || latest.action !== input.action) return input.movedOn;
  const grade = latest.grade ? `（等次${nameOf(GRADES, latest.grade)}）` : "";
  return {
    ...refusal(409, `您已于 ${formatShanghai(latest.at)} ${actionName(input.action)}过这篇稿件${grade}，这次提交没有再作改动；请刷新页面查看稿件的当前状态。`),
    repeated: true,
  };
}

function targetOf(action: ItemAction, signoffRequired: boolean): ItemStatusCode {
  switch (action) {
    case "submit":
      return signoffRequired ? "pending_school" : "submitted";
    case "sign_off":
      return "submitted";
    case "recall":
    case "send_back":
    case "return":
      return "draft";
    case "adopt":
      return "adopted";
    case "reject":
      return "rejected";
    case "withdraw":
      return "withdrawn";
  }
}

/** The actions this person could take on this item now (for buttons). */
export function availableActions(actor: Actor, item: ItemFacts, unitSignoffRequired: boolean): ItemAction[] {
  return ITEM_ACTIONS.map((a) => a.code).filter(
    (action) => decideTransition({ action, actor, item, unitSignoffRequired }).ok,
  );
}

/** Only the unit's correspondents change an item, and only while it is a draft. */
export function canEditItem(actor: Actor, item: ItemFacts): boolean {
  return actor.role === "correspondent" && actor.unitId === item.unitId && item.status === "draft";
}

/**
 * Who may see an item: everyone once it is adopted; its own unit always; the bureau's reviewers
 * once it has reached the bureau (a draft that never left the school is the school's own).
 */
export function canViewItem(actor: Actor | null, item: ItemFacts & { reportMonth: string | null }): boolean {
  if (item.status === "adopted") return true;
  if (!actor) return false;
  if (roleNeedsUnit(actor.role)) return actor.unitId === item.unitId;
  if (actor.role === "reviewer") return item.reportMonth !== null;
  return false;
}

/**
 * Why the details sent with a transition cannot be accepted (null: they can): a reason where one
 * is needed and not over the limit (it is stored with the item and its history and sent to the
 * people notified), a grade to adopt with.
 */
export function transitionInputProblem(input: { action: ItemAction; needsReason: boolean; reason: string; grade?: string | null }): Refusal | null {
  const reason = input.reason.trim();
  if (input.needsReason && !reason) return refusal(400, `请填写${actionName(input.action)}的理由。`, { field: "reason" });
  if ([...reason].length > REASON_MAX) return refusal(400, `理由不能超过 ${REASON_MAX} 个字`, { field: "reason" });
  if (input.action === "adopt" && !input.grade) return refusal(400, "请选择采用等次（优、良、中）。", { field: "grade" });
  return null;
}

/** The blocked words found in the caption of one of an item's photos. */
export interface CaptionWords {
  photoId: number;
  /** The photo's place among the item's photos, from 1, in the order the item shows them. */
  position: number;
  blockedWords: readonly string[];
}

/**
 * Why an item may not be submitted (null: it may): the 涉密自查 tick, and no blocked word in its
 * title or body, nor in the caption of any of its photos (each caption named by its photo's place
 * and marked at its own field, photo_caption_<id>, where the edit page shows it).
 */
export function submitProblem(input: {
  confidentialChecked: boolean;
  blockedWords: readonly string[];
  captionWords?: readonly CaptionWords[];
}): Refusal | null {
  if (!input.confidentialChecked) return refusal(400, "请先勾选涉密自查：不得报送涉密信息。", { field: "confidential_checked" });
  const quoted = (words: readonly string[]) => `“${words.join("”“")}”`;
  const found: Array<[field: string, what: string]> = [];
  if (input.blockedWords.length > 0) found.push(["body", `稿件含有禁用词${quoted(input.blockedWords)}`]);
  for (const c of input.captionWords ?? []) {
    if (c.blockedWords.length > 0) found.push([`photo_caption_${c.photoId}`, `第 ${c.position} 张图片的说明含有禁用词${quoted(c.blockedWords)}`]);
  }
  if (found.length === 0) return null;
  const fix = "，请修改后再报送。";
  return refusal(400, `${found.map(([, what]) => what).join("；")}${fix}`, {
    fieldErrors: Object.fromEntries(found.map(([field, what]) => [field, `${what}${fix}`])),
  });
}

const DECISION_NOTICES: Partial<Record<ItemAction, { kind: string; title: string }>> = {
  send_back: { kind: "item_sent_back", title: "稿件被校内退回修改" },
  return: { kind: "item_returned", title: "稿件被退回修改" },
  adopt: { kind: "item_adopted", title: "稿件已采用" },
  reject: { kind: "item_rejected", title: "稿件未被采用" },
  withdraw: { kind: "item_withdrawn", title: "稿件已撤稿" },
};

/**
 * What an item's correspondents are told of a decision on it (null: nothing): the reason given, or
 * for an adoption its 等次, which the correspondent would otherwise have to open the item to learn.
 */
export function decisionNotice(
  action: ItemAction,
  itemTitle: string,
  detail: { reason: string; grade: GradeCode | null },
): { kind: string; title: string; body: string } | null {
  const text = DECISION_NOTICES[action];
  if (!text) return null;
  const body = action === "adopt" && detail.grade ? `等次：${nameOf(GRADES, detail.grade)}` : detail.reason;
  return { kind: text.kind, title: `${text.title}：${itemTitle}`, body };
}

/**
 * A draft that was sent back with a reason (退回修改, by the bureau or the unit's lead) and waits to be
 * changed and sent again: the unit's lists mark it so it is not lost among the drafts never sent.
 */
export function sentBackForChanges(item: { status: string; last_reason: string }): boolean {
  return item.status === "draft" && item.last_reason.trim() !== "";
}
