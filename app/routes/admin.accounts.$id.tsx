import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { FieldError, FormError } from "~/components/form-fields";
import { accountEditSchema } from "~/domain/directory";
import { roleName, ROLES } from "~/domain/permissions";
import { formatShanghai } from "~/domain/time";
import { redirectWithFlash } from "~/lib/flash.server";
import { badRequest, formValues, invalid, parseForm, readForm } from "~/lib/form.server";
import { notFound, requirePermission } from "~/lib/session.server";
import { getAccount, resetPassword, setAccountActive, updateAccount } from "~/models/accounts.server";
import { listUnitOptions } from "~/models/units.server";
import { parseId } from "~/domain/fields";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.account.display_name ?? "账号"} - 账号管理 - 教育信息报送平台` },
];

// Built on use: a schema at module level would carry zod into the page's browser bundle.
const resetSchema = () =>
  z.object({
    password: z.string({ error: "请填写新的临时密码" }).min(1, "请填写新的临时密码"),
  });

function accountId(params: { id?: string }): number {
  return parseId(params.id) ?? notFound("该账号不存在。");
}

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, context, "admin.accounts");
  const id = accountId(params);
  const [account, units] = await Promise.all([getAccount(context.dbs.reader, id), listUnitOptions(context.dbs.reader)]);
  if (!account) notFound("该账号不存在。");
  // New members go to active units only; the account's own unit stays selectable even if stopped.
  const unitChoices = units.filter((u) => u.active === 1 || u.id === account.unit_id);
  return { account, units: unitChoices, self: user.id === account.id };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const user = await requirePermission(request, context, "admin.accounts");
  const id = accountId(params);
  const form = await readForm(request);
  const actor = { id: user.id, username: user.username, ip: context.ip };
  const intent = String(form.get("intent") ?? "");

  if (intent === "deactivate" || intent === "reactivate") {
    const active = intent === "reactivate";
    const result = await setAccountActive(context.dbs.db, id, active, actor);
    if (!result.ok) {
      if (result.reason === "not_found") notFound("该账号不存在。");
      return badRequest(result.message, 409);
    }
    const message = active
      ? result.changed ? "账号已启用" : "该账号本来就是启用状态"
      : result.changed ? "账号已停用，已退出其所有登录；其稿件和积分保留" : "该账号本来就是停用状态";
    return redirectWithFlash(`/admin/accounts/${id}`, message);
  }

  if (intent === "reset_password") {
    const parsed = parseForm(form, resetSchema());
    if (!parsed.ok) return invalid(parsed);
    const result = await resetPassword(context.dbs.db, id, parsed.data.password, actor);
    if (!result.ok) {
      if (result.reason === "not_found") notFound("该账号不存在。");
      if (result.reason === "conflict") return badRequest(result.message, 409);
      return invalid({ ok: false, fieldErrors: result.fieldErrors, values: { intent } });
    }
    return redirectWithFlash(`/admin/accounts/${id}`, "密码已重置：该账号已退出所有登录，下次登录须修改密码");
  }

  if (intent !== "save") return badRequest("未知的操作，请刷新页面后重试。");

  const parsed = parseForm(form, accountEditSchema());
  if (!parsed.ok) return invalid(parsed);
  const result = await updateAccount(context.dbs.db, id, parsed.data, actor);
  if (!result.ok) {
    if (result.reason === "not_found") notFound("该账号不存在。");
    if (result.reason === "conflict") return badRequest(result.message, 409);
    return invalid({ ok: false, fieldErrors: result.fieldErrors, values: formValues(form) });
  }
  return redirectWithFlash(`/admin/accounts/${id}`, "账号信息已保存");
}

export default function EditAccount() {
  const { account, units, self } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const errors: Record<string, string | undefined> = failure && !failure.ok ? failure.fieldErrors : {};
  const values: Record<string, string | undefined> = failure && !failure.ok ? failure.values : {};
  const typed = values.intent === "save" ? values : null;
  const attrs = (name: string) => ({
    id: name,
    name,
    "aria-invalid": errors[name] ? true : undefined,
    "aria-describedby": errors[name] ? `${name}-error` : undefined,
  });
  return (
    <>
      <div className="page-head">
        <h1>
          {account.display_name}{" "}
          {account.active ? <span className="badge badge--ok">启用</span> : <span className="badge badge--err">已停用</span>}
        </h1>
        <Link to="/admin/accounts">返回账号列表</Link>
      </div>
      <FormError error={failure && !failure.ok ? failure.formError : undefined} />

      <section className="card">
        <h2>账号信息</h2>
        <p className="muted small">
          用户名 <strong>{account.username}</strong> · 署名稿件 {account.bylines} 篇 · 当前登录 {account.sessions} 处
          {account.must_change_password ? " · 待本人修改密码" : ""}
          {account.deactivated_at ? ` · 停用于 ${formatShanghai(account.deactivated_at)}` : ""}
        </p>
        <Form method="post" className="stack" noValidate key={account.updated_at}>
          <input type="hidden" name="intent" value="save" />
          <div className="field">
            <label htmlFor="display_name">姓名</label>
            <input {...attrs("display_name")} type="text" maxLength={50} required defaultValue={typed ? typed.display_name : account.display_name} />
            <FieldError id="display_name" error={errors.display_name} />
          </div>
          <div className="field">
            <label htmlFor="phone">手机号</label>
            <input {...attrs("phone")} type="tel" inputMode="numeric" maxLength={20} defaultValue={typed ? typed.phone : account.phone} />
            <span className="hint">11 位手机号码，可留空。</span>
            <FieldError id="phone" error={errors.phone} />
          </div>
          <div className="field">
            <label htmlFor="role">角色</label>
            {self ? (
              <>
                <input type="hidden" name="role" value={account.role} />
                <p id="role">{roleName(account.role)}</p>
                <span className="hint">不能修改自己的角色；如需调整，请由其他管理员操作。</span>
              </>
            ) : (
              <select {...attrs("role")} required defaultValue={typed ? typed.role : account.role}>
                {ROLES.map((r) => (
                  <option key={r.code} value={r.code}>
                    {r.name}
                  </option>
                ))}
              </select>
            )}
            <FieldError id="role" error={errors.role} />
          </div>
          <div className="field">
            <label htmlFor="unit_id">所属单位</label>
            <select {...attrs("unit_id")} defaultValue={typed ? typed.unit_id : String(account.unit_id ?? "")}>
              <option value="">无（审核员、管理员）</option>
              {units.map((u) => (
                <option key={u.id} value={u.id}>
                  {u.code} {u.name}
                  {u.active ? "" : "（已停用）"}
                </option>
              ))}
            </select>
            <span className="hint">信息员和分管领导必须属于一个启用的单位；审核员和管理员选“无”。调换单位后，原有稿件仍属于原单位。</span>
            <FieldError id="unit_id" error={errors.unit_id} />
          </div>
          <div className="button-row">
            <button type="submit">保存修改</button>
          </div>
        </Form>
      </section>

      {self ? (
        <section className="card">
          <h2>密码与状态</h2>
          <p className="muted">这是您本人的账号：请在“<Link to="/account/password">修改密码</Link>”页面修改密码；不能停用自己的账号。</p>
        </section>
      ) : (
        <>
          <section className="card">
            <h2>重置密码</h2>
            <p className="muted small">设置一个临时密码并告知本人。重置后该账号的所有登录立即失效，下次登录须修改密码。</p>
            <Form method="post" className="stack" noValidate>
              <input type="hidden" name="intent" value="reset_password" />
              <div className="field">
                <label htmlFor="password">新的临时密码</label>
                <input {...attrs("password")} type="password" autoComplete="new-password" required />
                <span className="hint">至少 10 位，包含字母、数字、符号中的至少两类，不能包含用户名，不能是常见密码。</span>
                <FieldError id="password" error={errors.password} />
              </div>
              <div className="button-row">
                <button type="submit" className="button--secondary">
                  重置密码
                </button>
              </div>
            </Form>
          </section>

          <section className="card">
            <h2>启用与停用</h2>
            {account.active ? (
              <>
                <p className="muted small">停用后该账号不能登录，已有登录立即失效；其稿件、署名和积分全部保留，可随时重新启用。</p>
                <Form method="post">
                  <input type="hidden" name="intent" value="deactivate" />
                  <button type="submit" className="button--secondary">
                    停用此账号
                  </button>
                </Form>
              </>
            ) : (
              <>
                {account.unit_active === 0 ? <p className="muted small">该账号所属单位已停用：请先启用单位，或把账号调到其他单位。</p> : null}
                <Form method="post">
                  <input type="hidden" name="intent" value="reactivate" />
                  <button type="submit">重新启用此账号</button>
                </Form>
              </>
            )}
          </section>
        </>
      )}
    </>
  );
}
