// The review page's correction and appeal-answer forms: read, check, one model call, redirect
// with a flash, or a refusal as action data (app/lib/action-data.server.ts).
import type { Kysely } from "kysely";
import { answerSchema, clearLateSchema, regradeSchema, removeRecordSchema } from "~/domain/appeals";
import { GRADES, nameOf } from "~/domain/catalog";
import { refused } from "~/lib/action-data.server";
import { redirectWithFlash } from "~/lib/flash.server";
import { invalid, parseForm } from "~/lib/form.server";
import { forbidden } from "~/lib/session.server";
import { answerAppeal } from "~/models/appeals.server";
import type { SessionUser } from "~/models/auth.server";
import { clearLate, correctGrade, removeInstruction, removePickup, type CorrectionResult } from "~/models/corrections.server";
import type { Database } from "~/models/db.server";

export const CORRECTION_INTENTS = ["regrade", "remove_pickup", "remove_instruction", "clear_late", "answer_appeal"] as const;
export type CorrectionIntent = (typeof CORRECTION_INTENTS)[number];

export function isCorrectionIntent(intent: string): intent is CorrectionIntent {
  return (CORRECTION_INTENTS as readonly string[]).includes(intent);
}

const closedNote = (r: Extract<CorrectionResult, { ok: true }>) =>
  r.monthClosed ? "该月已结算：只改变实时数据，已结算的排名和已签发的通报不变。" : "排行榜已随之更新。";

export async function correctionAction(
  db: Kysely<Database>,
  /** `back`: the item's review page the reviewer came from, where they return after the correction. */
  input: { user: SessionUser; ip: string; itemId: number; intent: CorrectionIntent; form: FormData; back: string },
) {
  const { user, ip, itemId, intent, form, back } = input;
  if (user.role !== "reviewer") forbidden();
  const actor = { id: user.id, username: user.username, role: user.role, unitId: user.unitId, ip };
  if (intent === "answer_appeal") {
    const parsed = parseForm(form, answerSchema());
    if (!parsed.ok) return invalid({ ...parsed, intent });
    const result = await answerAppeal(db, { actor, itemId, appealId: parsed.data.appeal_id, outcome: parsed.data.outcome, answer: parsed.data.answer });
    if (!result.ok) return refused(result, { intent, form });
    return redirectWithFlash(back, parsed.data.outcome === "upheld" ? "已答复申诉：维持原决定" : "已答复申诉：已更正");
  }
  if (intent === "regrade") {
    const parsed = parseForm(form, regradeSchema());
    if (!parsed.ok) return invalid({ ...parsed, intent });
    const { version, grade, reason, appeal_id } = parsed.data;
    const result = await correctGrade(db, { actor, itemId, expectedVersion: version, grade, reason, appealId: appeal_id });
    if (!result.ok) return refused(result, { intent, values: { grade, reason } });
    return redirectWithFlash(back, `已更正等次为“${nameOf(GRADES, grade)}”。${closedNote(result)}`);
  }
  if (intent === "clear_late") {
    const parsed = parseForm(form, clearLateSchema());
    if (!parsed.ok) return invalid({ ...parsed, intent });
    const { version, reason, appeal_id } = parsed.data;
    const result = await clearLate(db, { actor, itemId, expectedVersion: version, reason, appealId: appeal_id });
    if (!result.ok) return refused(result, { intent, values: { reason } });
    return redirectWithFlash(back, `已取消迟报标记。${closedNote(result)}`);
  }
  const parsed = parseForm(form, removeRecordSchema());
  if (!parsed.ok) return invalid({ ...parsed, intent });
  const { record_id, reason, appeal_id } = parsed.data;
  const result =
    intent === "remove_pickup"
      ? await removePickup(db, { actor, itemId, pickupId: record_id, reason, appealId: appeal_id })
      : await removeInstruction(db, { actor, itemId, instructionId: record_id, reason, appealId: appeal_id });
  if (!result.ok) return refused(result, { intent, values: { record_id: String(record_id), reason } });
  return redirectWithFlash(back, `${intent === "remove_pickup" ? "已删除上稿记录" : "已删除批示记录"}。${closedNote(result)}`);
}
