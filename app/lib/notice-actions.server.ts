// The reviewer's edits of a draft notice or year-end summary, shared by /notices/:id and
// /summary/:year: save the text, adjust a list, publish. Each is one model call; a refusal comes
// back as action data with its status (400 bad input, 404 missing, 409 refused) and nothing written.
import { data } from "@remix-run/node";
import { adjustSchema, noticeTextSchema, publishSchema } from "~/domain/notice-forms";
import { ADJUSTMENT_ACTION_NAMES, NOTICE_LIST_NAMES } from "~/domain/notices";
import { getConfig } from "~/models/env.server";
import { redirectWithFlash } from "~/lib/flash.server";
import { failureOf } from "~/lib/action-data.server";
import { badRequest, formValues, parseForm, type FieldErrors, type FormFailure } from "~/lib/form.server";
import { notFound } from "~/lib/session.server";
import type { SessionUser } from "~/models/auth.server";
import { adjustNotice, publishNotice, updateNoticeText, type NoticeFailure } from "~/models/notices.server";
import type { Kysely } from "kysely";
import type { Database } from "~/models/db.server";
import { readTypedUnit } from "~/lib/typed-unit.server";
import { listUnitOptions } from "~/models/units.server";

/** The page's action data: the one form failure, with the notice that already exists when that is why. */
export type NoticeActionFailure = FormFailure & { existingId?: number };

export function noticeFailure(intent: string, form: FormData, f: { formError?: string; fieldErrors?: FieldErrors; existingId?: number }, status: number) {
  return data(
    { ok: false as const, intent, formError: f.formError, fieldErrors: f.fieldErrors ?? {}, values: formValues(form), existingId: f.existingId } satisfies NoticeActionFailure,
    { status },
  );
}

/** A model refusal as the page shows it (app/lib/action-data.server.ts), with the existing notice. */
export function refusal(intent: string, form: FormData, r: NoticeFailure) {
  if (r.status === 404) notFound(r.message);
  return data({ ...failureOf(r, { intent, form }), existingId: r.existingId } satisfies NoticeActionFailure, { status: r.status });
}

export async function editNotice(
  db: Kysely<Database>,
  input: { form: FormData; noticeId: number; user: SessionUser; ip: string; back: string },
) {
  const { form, noticeId, user, ip, back } = input;
  const intent = String(form.get("intent") ?? "");
  const actor = { id: user.id, username: user.username, displayName: user.displayName };
  if (intent === "save") {
    const parsed = parseForm(form, noticeTextSchema());
    if (!parsed.ok) return noticeFailure(intent, form, parsed, 400);
    const { addressee, doc_number, opening_text, closing_text } = parsed.data;
    const result = await updateNoticeText(db, {
      id: noticeId, actor, ip, fields: { addressee, docNumber: doc_number, opening: opening_text, closing: closing_text },
    });
    if (!result.ok) return refusal(intent, form, result);
    return redirectWithFlash(back, "草稿已保存");
  }
  if (intent === "adjust") {
    // A province's notice: the unit to add is typed as its code or name (unit_by=text).
    const typed = await readTypedUnit(form, "unit_id", () => listUnitOptions(db), intent);
    if (!typed.ok) return noticeFailure(intent, form, typed.failure, 400);
    const parsed = parseForm(typed.form, adjustSchema());
    if (!parsed.ok) return noticeFailure(intent, form, parsed, 400);
    const { list, action, unit_id, reason } = parsed.data;
    const result = await adjustNotice(db, { id: noticeId, unitId: unit_id, list, action, reason, actor, ip });
    if (!result.ok) return refusal(intent, form, result);
    const verb = action === "add" ? `已将${result.unitName}${ADJUSTMENT_ACTION_NAMES.add}到` : `已将${result.unitName}${ADJUSTMENT_ACTION_NAMES.remove}`;
    return redirectWithFlash(back, `${verb}${NOTICE_LIST_NAMES[list]}名单`);
  }
  if (intent === "publish") return publishFromForm(db, { form, noticeId, user, ip, back });
  return badRequest("未知的操作，请刷新页面后重试。");
}

/** 签发 with the signer's name from the form: from the notice's page, or from its confirmation page. */
export async function publishFromForm(
  db: Kysely<Database>,
  input: { form: FormData; noticeId: number; user: SessionUser; ip: string; back: string },
) {
  const { form, noticeId, user, ip, back } = input;
  const actor = { id: user.id, username: user.username, displayName: user.displayName };
  const parsed = parseForm(form, publishSchema());
  if (!parsed.ok) return noticeFailure("publish", form, parsed, 400);
  const result = await publishNotice(db, {
    id: noticeId, signerName: parsed.data.signer_name, appealsOverride: parsed.data.appeals_override, actor, ip, dataDir: getConfig().dataDir,
  });
  if (!result.ok) return refusal("publish", form, result);
  return redirectWithFlash(back, "已签发，通报已公开发布");
}
