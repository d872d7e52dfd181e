import type { ActionFunctionArgs, AppLoadContext, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { ItemForm, newItemValues } from "~/components/item-form";
import { earliestEventDate } from "~/domain/item-form";
import { shanghaiDate, shanghaiMonth } from "~/domain/time";
import { getSetting } from "~/models/settings.server";
import { getConfig } from "~/models/env.server";
import { redirectWithFlash } from "~/lib/flash.server";
import { withUploadDir } from "~/lib/form.server";
import { draftInputOf, draftRefusalResponse, readItemForm, submittedMessage } from "~/lib/item-form.server";
import { notFound, requirePermission } from "~/lib/session.server";
import type { SessionUser } from "~/models/auth.server";
import { createItem, draftFormOptions } from "~/models/item-drafts.server";
import { requestForItemForm } from "~/models/request-reads.server";
import { parseId } from "~/domain/fields";

export const meta: MetaFunction = () => [{ title: "写稿 - 教育信息报送平台" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requirePermission(request, context, "item.write");
  const options = await draftFormOptions(context.dbs.reader, user);
  const now = new Date();
  const today = shanghaiDate(now);
  // A fresh one-time token per form shown: posting the same form twice creates one item.
  const formToken = crypto.randomUUID();
  // The 迟报 limit of the month an item sent now would count in, for the form's warning.
  const lateAfterDays = await getSetting(context.dbs.reader, "lateAfterDays", shanghaiMonth(now));
  // Coming from a 约稿 ("按此约稿撰稿"): the item answers it; one not addressed to the unit is not found.
  const requestParam = new URL(request.url).searchParams.get("request");
  const requestId = requestParam === null ? null : parseId(requestParam);
  const linked = requestId === null ? null : await requestForItemForm(context.dbs.reader, user.unitId!, requestId);
  if (requestParam !== null && !linked) notFound("约稿不存在或已取消。");
  return {
    options, today, earliest: earliestEventDate(today), authorId: user.id, unitName: user.unitName, formToken, lateAfterDays,
    request: linked && { id: linked.id, topic: linked.topic },
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requirePermission(request, context, "item.write");
  const { dataDir } = getConfig();
  return withUploadDir(dataDir, (uploadDir) => create(request, context, user, dataDir, uploadDir));
}

async function create(request: Request, context: AppLoadContext, user: SessionUser, dataDir: string, uploadDir: string) {
  const read = await readItemForm(request, uploadDir);
  if (!read.ok) return read.response;
  const { data, uploads, values } = read;
  const created = await createItem(context.dbs.db, user, draftInputOf(data), uploads, {
    dataDir, ip: context.ip, formToken: data.form_token, reader: context.dbs.reader,
    submit: data.intent === "submit" ? { confidentialChecked: data.confidential_checked } : undefined,
  });
  if (!created.ok) return draftRefusalResponse(created, values);
  const { itemId, answer } = created;
  switch (answer.kind) {
    case "saved":
      return redirectWithFlash(`/items/${itemId}`, "草稿已保存");
    case "submitted":
      return redirectWithFlash(`/items/${itemId}`, submittedMessage(answer.to));
    case "not_submitted":
      if (answer.status === 404) notFound("稿件不存在或已被删除。");
      // The draft exists now: the person carries on from its edit page, never from a second new one.
      return redirectWithFlash(`/items/${itemId}/edit`, `草稿已保存，但未能报送：${answer.message}`, "error");
    case "already_created":
      return redirectWithFlash(`/items/${itemId}`, "此表单已经提交过，没有重复创建稿件；稿件的当前状态如下。");
  }
}

export default function NewItem() {
  const { options, today, earliest, authorId, unitName, formToken, lateAfterDays, request } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const values = failure?.values ?? newItemValues({ today, authorId, channelId: options.channels[0]?.id });
  return (
    <>
      <div className="page-head">
        <h1>写稿</h1>
        <span className="muted">{unitName}</span>
      </div>
      <ItemForm
        options={options} values={values} errors={failure?.fieldErrors ?? {}} formError={failure?.formError}
        today={today} earliest={earliest} cancelHref="/items" reselectPhotos={!!failure} formToken={formToken}
        lateAfterDays={lateAfterDays} request={request}
      />
    </>
  );
}
