// /requests/new: the reviewer issues a 约稿 — topic, guidance, deadline (date and time, Asia/Shanghai)
// and the units, chosen one by one or a whole kind at once ("全选本类": every active unit of the kind
// at the moment of issuing). Works without JavaScript.
import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { Link } from "~/components/link";
import { FormError, SubmitRow, TextAreaField, TextField, formStateOf } from "~/components/form-kit";
import { GUIDANCE_MAX, newRequestSchema, TOPIC_MAX } from "~/domain/requests";
import { addDays, shanghaiDate } from "~/domain/time";
import { pickUnitList, UNIT_LIST_MAX, UNIT_SELECT_MAX } from "~/domain/unit-pick";
import { actorOf, refused } from "~/lib/action-data.server";
import { redirectWithFlash } from "~/lib/flash.server";
import { formValues, invalid, readForm, type FieldErrors } from "~/lib/form.server";
import { requirePermission } from "~/lib/session.server";
import { createRequest, requestUnitChoices } from "~/models/requests.server";
import requestStyles from "~/styles/requests.css";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: requestStyles }];

export const meta: MetaFunction = () => [{ title: "发出约稿 - 教育信息报送平台" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requirePermission(request, context, "request.manage");
  const units = await requestUnitChoices(context.dbs.reader);
  const kinds: Array<{ code: string; name: string; units: Array<{ id: number; code: string; name: string }> }> = [];
  for (const u of units) {
    let k = kinds.find((x) => x.code === u.kind);
    if (!k) kinds.push((k = { code: u.kind, name: u.kind_name, units: [] }));
    k.units.push({ id: u.id, code: u.code, name: u.name });
  }
  // A province's units are too many to tick one by one: each kind keeps its 全选本类 with its count,
  // and other units are typed as a list of codes (unit_codes).
  const typed = units.length > UNIT_SELECT_MAX;
  const shown = typed ? kinds.map((k) => ({ ...k, count: k.units.length, units: [] })) : kinds.map((k) => ({ ...k, count: k.units.length }));
  // A fresh one-time token per form shown: posting the same form twice issues one request.
  return { kinds: shown, typed, suggestedDate: addDays(shanghaiDate(new Date()), 7), formToken: crypto.randomUUID() };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requirePermission(request, context, "request.manage");
  const form = await readForm(request, { repeatable: ["unit_ids", "kinds"] });
  const now = new Date();
  const units = await requestUnitChoices(context.dbs.db);
  const values = formValues(form);
  // Units typed as codes or whole names (a province's form) join the ticked ones.
  const listed = pickUnitList(units, String(form.get("unit_codes") ?? ""));
  const parsed = newRequestSchema(now, units.map((u) => ({ id: u.id, kind: u.kind }))).safeParse({
    ...values,
    unit_ids: [...form.getAll("unit_ids").filter((v) => typeof v === "string"), ...listed.ids.map(String)],
    kinds: form.getAll("kinds").filter((v) => typeof v === "string"),
  });
  const chosen = { unit_ids: form.getAll("unit_ids").join(","), kinds: form.getAll("kinds").join(",") };
  if (!parsed.success || listed.problem) {
    const fieldErrors: FieldErrors = listed.problem ? { unit_codes: listed.problem } : {};
    for (const issue of parsed.success ? [] : parsed.error.issues) fieldErrors[String(issue.path[0] ?? "_form")] ??= issue.message;
    return invalid({ ok: false, fieldErrors, values: { ...values, ...chosen }, formError: fieldErrors.form_token ?? "请按提示修改后再发出。" });
  }
  const result = await createRequest(context.dbs.db, actorOf(user, context), parsed.data, now);
  if (!result.ok) return refused(result, { values: { ...values, ...chosen } });
  if (result.repeated) return redirectWithFlash(`/requests/${result.id}`, "此表单已经提交过，没有重复发出约稿；约稿的当前状态如下。");
  return redirectWithFlash(`/requests/${result.id}`, `约稿已发出，已通知 ${parsed.data.unitIds.length} 个单位。`);
}

export default function NewRequest() {
  const { kinds, typed, suggestedDate, formToken } = useLoaderData<typeof loader>();
  const form = formStateOf(useActionData<typeof action>(), undefined, "request-");
  const picked = new Set((form.value("unit_ids") ?? "").split(","));
  const pickedKinds = new Set((form.value("kinds") ?? "").split(","));
  return (
    <>
      <div className="page-head">
        <h1>发出约稿</h1>
        <Link to="/requests">返回约稿列表</Link>
      </div>
      <Form method="post" className="card form" noValidate>
        <FormError error={form.formError} />
        <input type="hidden" name="form_token" value={formToken} />
        <TextField form={form} name="topic" label="约稿主题" hint={`不超过 ${TOPIC_MAX} 个字，如“防溺水安全教育”`} maxLength={TOPIC_MAX} required />
        <TextAreaField form={form} name="guidance" label="约稿说明" hint={`写作要求、角度、字数等，不超过 ${GUIDANCE_MAX} 个字`} rows={4} maxLength={GUIDANCE_MAX} />
        <div className="field-row">
          <TextField form={form} name="due_date" label="截止日期" type="date" defaultValue={suggestedDate} required />
          <TextField form={form} name="due_time" label="截止时间" type="time" defaultValue="17:00" hint="北京时间" />
        </div>
        <fieldset className="field-group" aria-describedby={form.error("unit_ids") ? "request-unit_ids-error" : undefined}>
          <legend>约稿单位</legend>
          {form.error("unit_ids") ? (
            <p className="error" id="request-unit_ids-error" role="alert">
              {form.error("unit_ids")}
            </p>
          ) : null}
          {kinds.map((k) => (
            <fieldset key={k.code} className="field-group request-kind">
              <legend>{k.name}</legend>
              <label className="request-kind__all">
                <input type="checkbox" name="kinds" value={k.code} defaultChecked={pickedKinds.has(k.code)} /> 全选本类（{k.count} 个单位）
              </label>
              <div className="request-units">
                {k.units.map((u) => (
                  <label key={u.id}>
                    <input type="checkbox" name="unit_ids" value={u.id} defaultChecked={picked.has(String(u.id))} /> {u.name}
                  </label>
                ))}
              </div>
            </fieldset>
          ))}
          {typed ? (
            <TextAreaField
              form={form} name="unit_codes" label="其他单位" rows={3} maxLength={UNIT_LIST_MAX}
              hint="不全选整类时，在此填写单位代码（或完整的单位名称），多个单位用换行、逗号或空格隔开。"
            />
          ) : null}
        </fieldset>
        <SubmitRow label="发出约稿" />
      </Form>
    </>
  );
}
