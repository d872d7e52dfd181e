import type { ActionFunctionArgs, AppLoadContext, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { Link } from "~/components/link";
import { draftValues, ItemForm } from "~/components/item-form";
import { earliestEventDate } from "~/domain/item-form";
import { shanghaiDate, shanghaiMonth } from "~/domain/time";
import { getSetting } from "~/models/settings.server";
import { getConfig } from "~/models/env.server";
import { redirectWithFlash } from "~/lib/flash.server";
import { withUploadDir } from "~/lib/form.server";
import { draftInputOf, draftRefusalResponse, itemFormFailure, readItemForm, submittedMessage } from "~/lib/item-form.server";
import { forbidden, notFound, requirePermission } from "~/lib/session.server";
import type { SessionUser } from "~/models/auth.server";
import { draftEditRefusal, draftForEdit, updateDraft } from "~/models/item-drafts.server";
import { transitionItem } from "~/models/item-workflow.server";
import { parseId } from "~/domain/fields";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `修改稿件${data?.draft.item.title ? `：${data.draft.item.title}` : ""} - 教育信息报送平台` },
];

function itemId(params: { id?: string }): number {
  return parseId(params.id) ?? notFound("稿件不存在或已被删除。");
}

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, context, "item.write");
  const id = itemId(params);
  const draft = await draftForEdit(context.dbs.reader, user, id);
  if (draft.status === "not_found") notFound("稿件不存在或已被删除。");
  if (draft.status === "forbidden") forbidden("不能修改其他单位的稿件。");
  if (draft.status === "not_editable") {
    throw await redirectWithFlash(`/items/${id}`, "稿件已报送，不能再修改；只有草稿可以修改。", "error");
  }
  const now = new Date();
  const today = shanghaiDate(now);
  // Lateness is fixed when an item first reaches the bureau: a draft the bureau returned (it
  // has a report month) is past that, so only a draft that never left the school is warned.
  const lateAfterDays = draft.item.report_month === null ? await getSetting(context.dbs.reader, "lateAfterDays", shanghaiMonth(now)) : null;
  return { draft, today, earliest: earliestEventDate(today), lateAfterDays };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const user = await requirePermission(request, context, "item.write");
  const id = itemId(params);
  const { dataDir } = getConfig();
  return withUploadDir(dataDir, (uploadDir) => save(request, context, user, id, dataDir, uploadDir));
}

async function save(request: Request, context: AppLoadContext, user: SessionUser, id: number, dataDir: string, uploadDir: string) {
  // Whose draft it is and whether it is still a draft, before a byte of the form is read.
  const refusal = await draftEditRefusal(context.dbs.reader, user, id);
  if (refusal?.status === 404) notFound(refusal.message);
  if (refusal) return itemFormFailure({ formError: refusal.message, fieldErrors: {}, values: null }, refusal.status);
  const read = await readItemForm(request, uploadDir);
  if (!read.ok) return read.response;
  const { data, uploads, values } = read;
  if (data.version === undefined) {
    return itemFormFailure({ formError: "页面已过期，请刷新后重试。", fieldErrors: {}, values }, 400);
  }
  const captions = Object.fromEntries(Object.entries(data.photo_captions).map(([k, v]) => [Number(k), v]));
  const saved = await updateDraft(
    context.dbs.db, user, id, data.version, draftInputOf(data), { add: uploads, remove: data.remove_photo, captions },
    { dataDir, ip: context.ip },
  );
  if (!saved.ok) {
    if (saved.status === 404) notFound(saved.message);
    return draftRefusalResponse(saved, values);
  }
  if (data.intent === "save") return redirectWithFlash(`/items/${id}`, "草稿已保存");

  const submitted = await transitionItem(context.dbs.db, {
    itemId: id, action: "submit", actor: user, expectedVersion: saved.version, confidentialChecked: data.confidential_checked, ip: context.ip,
  });
  if (!submitted.ok) {
    return itemFormFailure({ formError: `草稿已保存，但未能报送：${submitted.message}`, fieldErrors: submitted.fieldErrors, values: null, saved: true }, submitted.status);
  }
  return redirectWithFlash(`/items/${id}`, submittedMessage(submitted.to));
}

export default function EditItem() {
  const { draft, today, earliest, lateAfterDays } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const { item, photos, options } = draft;
  // After a refused submission the draft was saved: show what is stored now.
  const values = failure?.values ?? draftValues({ ...item, bylines: draft.bylines });
  return (
    <>
      <div className="page-head">
        <h1>修改稿件</h1>
        <Link to={`/items/${item.id}`}>返回稿件</Link>
      </div>
      {item.last_reason ? (
        <section className="reason-box" aria-labelledby="reason-title">
          <h2 id="reason-title">退回理由</h2>
          <p>{item.last_reason}</p>
        </section>
      ) : null}
      <ItemForm
        key={item.version}
        options={options} values={values} errors={failure?.fieldErrors ?? {}} formError={failure?.formError}
        photos={photos} version={item.version} today={today} earliest={earliest} cancelHref={`/items/${item.id}`}
        reselectPhotos={!!failure && !failure.saved} lateAfterDays={lateAfterDays}
      />
    </>
  );
}
