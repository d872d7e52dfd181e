import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { FieldError, FormError } from "~/components/form-fields";
import { unitFormSchema } from "~/domain/directory";
import { redirectWithFlash } from "~/lib/flash.server";
import { formValues, invalid, parseForm, readForm } from "~/lib/form.server";
import { requirePermission } from "~/lib/session.server";
import { createUnit, listUnitKinds } from "~/models/units.server";

export const meta: MetaFunction = () => [{ title: "新建单位 - 教育信息报送平台" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requirePermission(request, context, "admin.units");
  return { kinds: await listUnitKinds(context.dbs.reader) };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requirePermission(request, context, "admin.units");
  const form = await readForm(request);
  const parsed = parseForm(form, unitFormSchema());
  if (!parsed.ok) return invalid(parsed);
  const result = await createUnit(context.dbs.db, parsed.data, { id: user.id, username: user.username, ip: context.ip });
  if (!result.ok) {
    const fieldErrors = result.reason === "invalid" ? result.fieldErrors : {};
    const formError = result.reason === "conflict" ? result.message : undefined;
    return invalid({ ok: false, fieldErrors, formError, values: formValues(form) }, result.reason === "conflict" ? 409 : 400);
  }
  return redirectWithFlash(`/admin/units/${result.id}`, `已新建单位 ${parsed.data.name}`);
}

export default function NewUnit() {
  const { kinds } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const errors: Record<string, string | undefined> = failure && !failure.ok ? failure.fieldErrors : {};
  const values: Record<string, string | undefined> = failure && !failure.ok ? failure.values : {};
  const signoff = failure && !failure.ok ? values.signoff_required === "1" : true;
  return (
    <section className="card">
      <h1>新建单位</h1>
      <FormError error={failure && !failure.ok ? failure.formError : undefined} />
      <Form method="post" className="stack" noValidate>
        <div className="field">
          <label htmlFor="code">单位代码</label>
          <input
            id="code" name="code" type="text" maxLength={20} autoCapitalize="characters" required
            defaultValue={values.code ?? ""} aria-invalid={errors.code ? true : undefined}
            aria-describedby={errors.code ? "code-error code-hint" : "code-hint"}
          />
          <span className="hint" id="code-hint">1-20 位字母、数字或连字符，字母自动转为大写，不可与其他单位重复。</span>
          <FieldError id="code" error={errors.code} />
        </div>
        <div className="field">
          <label htmlFor="name">单位名称</label>
          <input
            id="name" name="name" type="text" maxLength={100} required defaultValue={values.name ?? ""}
            aria-invalid={errors.name ? true : undefined} aria-describedby={errors.name ? "name-error" : undefined}
          />
          <FieldError id="name" error={errors.name} />
        </div>
        <div className="field">
          <label htmlFor="township">所属乡镇</label>
          <input
            id="township" name="township" type="text" maxLength={50} defaultValue={values.township ?? ""}
            aria-invalid={errors.township ? true : undefined} aria-describedby={errors.township ? "township-error" : undefined}
          />
          <span className="hint">区直学校可留空。</span>
          <FieldError id="township" error={errors.township} />
        </div>
        <div className="field">
          <label htmlFor="kind">单位类别</label>
          <select
            id="kind" name="kind" required defaultValue={values.kind ?? ""}
            aria-invalid={errors.kind ? true : undefined} aria-describedby={errors.kind ? "kind-error" : undefined}
          >
            <option value="">请选择</option>
            {kinds.map((k) => (
              <option key={k.code} value={k.code}>
                {k.name}
              </option>
            ))}
          </select>
          <FieldError id="kind" error={errors.kind} />
        </div>
        <div className="field">
          <label>
            <input type="checkbox" name="signoff_required" value="1" defaultChecked={signoff} /> 需要校内审核（分管领导签发后再报送教体局）
          </label>
        </div>
        <div className="button-row">
          <button type="submit">保存</button>
          <Link to="/admin/units" className="button button--secondary">
            取消
          </Link>
        </div>
      </Form>
    </section>
  );
}
