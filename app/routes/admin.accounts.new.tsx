import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { FieldError, FormError } from "~/components/form-fields";
import { accountCreateSchema } from "~/domain/directory";
import { ROLES } from "~/domain/permissions";
import { redirectWithFlash } from "~/lib/flash.server";
import { formValues, invalid, parseForm, readForm } from "~/lib/form.server";
import { requirePermission } from "~/lib/session.server";
import { createAccount } from "~/models/accounts.server";
import { listUnitOptions } from "~/models/units.server";

export const meta: MetaFunction = () => [{ title: "新建账号 - 教育信息报送平台" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requirePermission(request, context, "admin.accounts");
  const units = (await listUnitOptions(context.dbs.reader)).filter((u) => u.active === 1);
  const preset = new URL(request.url).searchParams.get("unit_id") ?? "";
  return { units, presetUnit: units.some((u) => String(u.id) === preset) ? preset : "" };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requirePermission(request, context, "admin.accounts");
  const form = await readForm(request);
  const parsed = parseForm(form, accountCreateSchema());
  if (!parsed.ok) return invalid(parsed);
  const result = await createAccount(context.dbs.db, parsed.data, { id: user.id, username: user.username, ip: context.ip });
  if (!result.ok) {
    const { password: _password, ...values } = formValues(form);
    const fieldErrors = result.reason === "invalid" ? result.fieldErrors : {};
    const formError = result.reason === "conflict" ? result.message : undefined;
    return invalid({ ok: false, fieldErrors, formError, values }, result.reason === "conflict" ? 409 : 400);
  }
  return redirectWithFlash(`/admin/accounts/${result.id}`, `已新建账号 ${parsed.data.username}，首次登录须修改密码`);
}

export default function NewAccount() {
  const { units, presetUnit } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const errors: Record<string, string | undefined> = failure && !failure.ok ? failure.fieldErrors : {};
  const values: Record<string, string | undefined> = failure && !failure.ok ? failure.values : {};
  const attrs = (name: string) => ({
    id: name,
    name,
    "aria-invalid": errors[name] ? true : undefined,
    "aria-describedby": errors[name] ? `${name}-error` : undefined,
  });
  return (
    <section className="card">
      <h1>新建账号</h1>
      <FormError error={failure && !failure.ok ? failure.formError : undefined} />
      <Form method="post" className="stack" noValidate>
        <div className="field">
          <label htmlFor="username">用户名</label>
          <input {...attrs("username")} type="text" maxLength={32} autoCapitalize="none" autoComplete="off" required defaultValue={values.username ?? ""} />
          <span className="hint">3-32 位小写字母、数字或 . _ -，用于登录，创建后不能修改。</span>
          <FieldError id="username" error={errors.username} />
        </div>
        <div className="field">
          <label htmlFor="display_name">姓名</label>
          <input {...attrs("display_name")} type="text" maxLength={50} required defaultValue={values.display_name ?? ""} />
          <FieldError id="display_name" error={errors.display_name} />
        </div>
        <div className="field">
          <label htmlFor="phone">手机号</label>
          <input {...attrs("phone")} type="tel" inputMode="numeric" maxLength={20} autoComplete="off" defaultValue={values.phone ?? ""} />
          <span className="hint">11 位手机号码，可留空。</span>
          <FieldError id="phone" error={errors.phone} />
        </div>
        <div className="field">
          <label htmlFor="role">角色</label>
          <select {...attrs("role")} required defaultValue={values.role ?? "correspondent"}>
            {ROLES.map((r) => (
              <option key={r.code} value={r.code}>
                {r.name}
              </option>
            ))}
          </select>
          <FieldError id="role" error={errors.role} />
        </div>
        <div className="field">
          <label htmlFor="unit_id">所属单位</label>
          <select {...attrs("unit_id")} defaultValue={values.unit_id ?? presetUnit}>
            <option value="">无（审核员、管理员）</option>
            {units.map((u) => (
              <option key={u.id} value={u.id}>
                {u.code} {u.name}
              </option>
            ))}
          </select>
          <span className="hint">信息员和分管领导必须选择单位；审核员和管理员选“无”。</span>
          <FieldError id="unit_id" error={errors.unit_id} />
        </div>
        <div className="field">
          <label htmlFor="password">初始密码</label>
          <input {...attrs("password")} type="password" autoComplete="new-password" required />
          <span className="hint">至少 10 位，包含字母、数字、符号中的至少两类，不能是常见密码。请把初始密码当面或电话告知本人，首次登录须修改。</span>
          <FieldError id="password" error={errors.password} />
        </div>
        <div className="button-row">
          <button type="submit">创建账号</button>
          <Link to="/admin/accounts" className="button button--secondary">
            取消
          </Link>
        </div>
      </Form>
    </section>
  );
}
