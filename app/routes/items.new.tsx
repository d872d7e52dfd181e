import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { ItemForm, newItemValues } from "~/components/item-form";
import { earliestEventDate } from "~/domain/item-form";
import { shanghaiDate } from "~/domain/time";
import { getConfig } from "~/lib/env.server";
import { redirectWithFlash } from "~/lib/flash.server";
import { draftInputOf, draftRefusalResponse, readItemForm, submittedMessage } from "~/lib/item-form.server";
import { notFound, requirePermission } from "~/lib/session.server";
import { createDraft, draftFormOptions } from "~/models/item-drafts.server";
import { transitionItem } from "~/models/item-workflow.server";

export const meta: MetaFunction = () => [{ title: "写稿 - 教育信息报送平台" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requirePermission(request, context, "item.write");
  const options = await draftFormOptions(context.dbs.reader, user);
  const today = shanghaiDate(new Date());
  return json({ options, today, earliest: earliestEventDate(today), authorId: user.id, unitName: user.unitName });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requirePermission(request, context, "item.write");
  const read = await readItemForm(request);
  if (!read.ok) return read.response;
  const { data, uploads, values } = read;
  const saved = await createDraft(context.dbs.db, user, draftInputOf(data), uploads, { dataDir: getConfig().dataDir, ip: context.ip });
  if (!saved.ok) return draftRefusalResponse(saved, values);
  if (data.intent === "save") return redirectWithFlash(`/items/${saved.itemId}`, "草稿已保存");

  const submitted = await transitionItem(context.dbs.db, {
    itemId: saved.itemId, action: "submit", actor: user, expectedVersion: saved.version, confidentialChecked: data.confidential_checked,
  });
  if (!submitted.ok) {
    if (submitted.status === 404) notFound("稿件不存在或已被删除。");
    // The draft exists now: the person carries on from its edit page, never from a second new one.
    return redirectWithFlash(`/items/${saved.itemId}/edit`, `草稿已保存，但未能报送：${submitted.message}`, "error");
  }
  return redirectWithFlash(`/items/${saved.itemId}`, submittedMessage(submitted.to));
}

export default function NewItem() {
  const { options, today, earliest, authorId, unitName } = useLoaderData<typeof loader>();
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
        today={today} earliest={earliest} cancelHref="/items" reselectPhotos={!!failure}
      />
    </>
  );
}
