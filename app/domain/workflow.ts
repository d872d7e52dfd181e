// An item's life: who may move it from which state to which. The server asks this table
// before every transition; pages ask it to decide which buttons to show.
import { refusal, type Refusal } from "./refusal";
import { REASON_MAX } from "./review";
import type { ItemStatusCode } from "./catalog";
import { roleNeedsUnit, type Actor } from "./permissions";

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

/** Why an item may not be submitted (null: it may): the 涉密自查 tick, and no blocked word in its title or body. */
export function submitProblem(input: { confidentialChecked: boolean; blockedWords: readonly string[] }): Refusal | null {
  if (!input.confidentialChecked) return refusal(400, "请先勾选涉密自查：不得报送涉密信息。", { field: "confidential_checked" });
  if (input.blockedWords.length > 0) {
    return refusal(400, `稿件含有禁用词“${input.blockedWords.join("”“")}”，请修改后再报送。`, { field: "body" });
  }
  return null;
}
