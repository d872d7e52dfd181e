// The 简报 editor's forms: each POST names its intent (save, add, remove, up, down, publish) and
// carries the draft's version; the answer is a redirect with a message, or the refusal as action data.
import { redirect, type AppLoadContext } from "@remix-run/node";
import { parseId } from "~/domain/fields";
import type { SessionUser } from "~/domain/permissions";
import { refusal } from "~/domain/refusal";
import { refused } from "~/lib/action-data.server";
import { readForm } from "~/lib/form.server";
import { redirectWithFlash } from "~/lib/flash.server";
import { notFound, requirePermission } from "~/lib/session.server";
import { publishBulletin } from "~/models/bulletin-publish.server";
import {
  addBulletinItem,
  bulletinHref,
  getBulletin,
  moveBulletinItem,
  removeBulletinItem,
  saveBulletin,
  type BulletinResult,
} from "~/models/bulletins.server";
import { getConfig } from "~/models/env.server";

const MISSING = "没有这期简报。";

/** The draft a reviewer's page (editor, 签发 confirmation) shows: 404 when there is none; a published issue goes to its own page. */
export async function loadDraftBulletin(request: Request, context: AppLoadContext, idParam: string | undefined) {
  await requirePermission(request, context, "bulletin.edit");
  const id = parseId(idParam) ?? notFound(MISSING);
  const db = context.dbs.reader;
  const b = await getBulletin(db, id, true);
  if (!b) notFound(MISSING);
  if (b.status === "published") throw redirect(`/bulletins/${id}`);
  return { db, b };
}

/** A POST on a draft's page: the reviewer, the draft's id and the form. */
export async function readDraftBulletinPost(request: Request, context: AppLoadContext, idParam: string | undefined) {
  const user = await requirePermission(request, context, "bulletin.edit");
  const id = parseId(idParam) ?? notFound(MISSING);
  const form = await readForm(request);
  return { user, id, form };
}

/** The editor's intents; "publish" is the confirmation page's. */
export const BULLETIN_EDIT_INTENTS = ["save", "add", "remove", "up", "down"] as const;
type Intent = (typeof BULLETIN_EDIT_INTENTS)[number] | "publish";

const FLASH: Record<Intent, string> = {
  save: "已保存简报草稿",
  add: "已加入本期简报",
  remove: "已移出本期简报",
  up: "已上移",
  down: "已下移",
  publish: "简报已签发：已公开，各收录稿件已登记上稿并通知所在单位",
};

const str = (form: FormData, name: string) => String(form.get(name) ?? "");

export async function bulletinAction(
  db: Parameters<typeof saveBulletin>[0],
  input: { form: FormData; id: number; user: SessionUser; ip: string; back: string; intents: readonly Intent[] },
) {
  const { form, id } = input;
  const intent = str(form, "intent") as Intent;
  if (!input.intents.includes(intent)) return refused(refusal(400, "未知的操作，请刷新页面后重试。"), { form });
  const actor = { id: input.user.id, username: input.user.username, ip: input.ip };
  const version = parseId(str(form, "version"));
  if (version === null) return refused(refusal(400, "缺少版本号，请刷新页面后重试。"), { intent, form });
  const itemId = parseId(str(form, "item_id"));
  let result: BulletinResult;
  if (intent === "save") {
    const texts = [...form.keys()]
      .filter((k) => /^title_\d+$/.test(k))
      .map((k) => Number(k.slice(6)))
      .map((n) => ({ itemId: n, title: str(form, `title_${n}`), body: str(form, `body_${n}`) }));
    const numberText = str(form, "number").trim();
    result = await saveBulletin(db, actor, {
      id, version, texts,
      fields: {
        number: /^\d{1,6}$/.test(numberText) ? Number(numberText) : Number.NaN,
        name: str(form, "name"), editorNote: str(form, "editor_note"), editorUnit: str(form, "editor_unit"), issueDate: str(form, "issue_date").trim(),
        reportTo: str(form, "report_to"), sendTo: str(form, "send_to"), issueTo: str(form, "issue_to"),
      },
    });
  } else if (intent === "publish") {
    result = await publishBulletin(db, actor, { id, version, dataDir: getConfig().dataDir });
    if (result.ok) return redirectWithFlash(bulletinHref(id), FLASH.publish);
  } else {
    if (itemId === null) return refused(refusal(400, "请选择稿件。", { field: "item_id" }), { intent, form });
    result =
      intent === "add"
        ? await addBulletinItem(db, actor, { id, version, itemId })
        : intent === "remove"
          ? await removeBulletinItem(db, actor, { id, version, itemId })
          : await moveBulletinItem(db, actor, { id, version, itemId, direction: intent });
  }
  if (!result.ok) return refused(result, { intent, form });
  return redirectWithFlash(input.back, FLASH[intent]);
}
