import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { FieldError, FormError } from "~/components/form-fields";
import { unitFormSchema } from "~/domain/directory";
import { roleName } from "~/domain/permissions";
import { redirectWithFlash } from "~/lib/flash.server";
import { badRequest, formValues, invalid, parseForm, readForm } from "~/lib/form.server";
import { notFound, requirePermission } from "~/lib/session.server";
import { getUnit, listUnitKinds, setUnitActive, updateUnit } from "~/models/units.server";
import { parseId } from "~/domain/fields";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.unit.name ?? "单位"} - 单位管理 - 教育信息报送平台` },
];

function unitId(params: { id?: string }): number {
  return parseId(params.id) ?? notFound("该单位不存在。");
}

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  await requirePermission(request, context, "admin.units");
  const id = unitId(params);
  const [unit, kinds] = await Promise.all([getUnit(context.dbs.reader, id), listUnitKinds(context.dbs.reader)]);
  if (!unit) notFound("该单位不存在。");
  return { unit, kinds };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const user = await requirePermission(request, context, "admin.units");
  const id = unitId(params);
  const form = await readForm(request);
  const actor = { id: user.id, username: user.username, ip: context.ip };
  const intent = String(form.get("intent") ?? "");

  if (intent === "deactivate" || intent === "reactivate") {
    const active = intent === "reactivate";
    const result = await setUnitActive(context.dbs.db, id, active, actor);
    if (!result.ok) {
      if (result.reason === "not_found") notFound("该单位不存在。");
      return badRequest(result.message, 409);
    }
    const message = active
      ? result.changed ? "单位已启用" : "该单位本来就是启用状态"
      : result.changed ? "单位已停用：其账号和稿件均保留" : "该单位本来就是停用状态";
    return redirectWithFlash(`/admin/units/${id}`, message);
  }
  if (intent !== "save") return badRequest("未知的操作，请刷新页面后重试。");

  const parsed = parseForm(form, unitFormSchema());
  if (!parsed.ok) return invalid(parsed);
  const result = await updateUnit(context.dbs.db, id, parsed.data, actor);
  if (!result.ok) {
    if (result.reason === "not_found") notFound("该单位不存在。");
    if (result.reason === "conflict") return badRequest(result.message, 409);
    return invalid({ ok: false, fieldErrors: result.fieldErrors, values: formValues(form) });
  }
  return redirectWithFlash(`/admin/units/${id}`, "单位信息已保存");
}

export default function EditUnit() {
  const { unit, kinds } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const errors: Record<string, string | undefined> = failure && !failure.ok ? failure.fieldErrors : {};
  const typed: Record<string, string | undefined> | null = failure && !failure.ok && Object.keys(failure.values).length > 0 ? failure.values : null;
  const value = (key: "code" | "name" | "township" | "kind") =>
    typed ? (typed[key] ?? "") : key === "kind" ? unit.kind_code : String(unit[key]);
  const signoff = typed ? typed.signoff_required === "1" : unit.signoff_required === 1;
  return (
    <>
      <div className="page-head">
        <h1>
          {unit.name}{" "}
          {unit.active ? <span className="badge badge--ok">启用</span> : <span className="badge badge--err">已停用</span>}
        </h1>
        <Link to="/admin/units">返回单位列表</Link>
      </div>

      <section className="card">
        <h2>单位信息</h2>
        <FormError error={failure && !failure.ok ? failure.formError : undefined} />
        {/* The key resets the fields to the saved values after a successful save. */}
        <Form method="post" className="stack" noValidate key={unit.updated_at}>
          <input type="hidden" name="intent" value="save" />
          <div className="field">
            <label htmlFor="code">单位代码</label>
            <input
              id="code" name="code" type="text" maxLength={20} autoCapitalize="characters" required defaultValue={value("code")}
              aria-invalid={errors.code ? true : undefined} aria-describedby={errors.code ? "code-error code-hint" : "code-hint"}
            />
            <span className="hint" id="code-hint">1-20 位字母、数字或连字符，字母自动转为大写。</span>
            <FieldError id="code" error={errors.code} />
          </div>
          <div className="field">
            <label htmlFor="name">单位名称</label>
            <input
              id="name" name="name" type="text" maxLength={100} required defaultValue={value("name")}
              aria-invalid={errors.name ? true : undefined} aria-describedby={errors.name ? "name-error" : undefined}
            />
            <FieldError id="name" error={errors.name} />
          </div>
          <div className="field">
            <label htmlFor="township">所属乡镇</label>
            <input
              id="township" name="township" type="text" maxLength={50} defaultValue={value("township")}
              aria-invalid={errors.township ? true : undefined} aria-describedby={errors.township ? "township-error" : undefined}
            />
            <FieldError id="township" error={errors.township} />
          </div>
          <div className="field">
            <label htmlFor="kind">单位类别</label>
            <select
              id="kind" name="kind" required defaultValue={value("kind")}
              aria-invalid={errors.kind ? true : undefined} aria-describedby={errors.kind ? "kind-error" : undefined}
            >
              {kinds.map((k) => (
                <option key={k.code} value={k.code}>
                  {k.name}
                </option>
              ))}
            </select>
            <span className="hint">类别决定该单位参加哪一类排名和默认月度任务数。</span>
            <FieldError id="kind" error={errors.kind} />
          </div>
          <div className="field">
            <label>
              <input type="checkbox" name="signoff_required" value="1" defaultChecked={signoff} /> 需要校内审核（分管领导签发后再报送教体局）
            </label>
          </div>
          <div className="button-row">
            <button type="submit">保存修改</button>
          </div>
        </Form>
      </section>

      <section className="card">
        <h2>启用与停用</h2>
        {unit.active ? (
          <>
            <p className="muted small">停用后不再出现在新账号的单位选项中；已有的账号、稿件和历史统计全部保留，可随时重新启用。</p>
            <Form method="post">
              <input type="hidden" name="intent" value="deactivate" />
              <button type="submit" className="button--secondary">
                停用此单位
              </button>
            </Form>
          </>
        ) : (
          <Form method="post">
            <input type="hidden" name="intent" value="reactivate" />
            <button type="submit">重新启用此单位</button>
          </Form>
        )}
      </section>

      <section className="card">
        <div className="page-head">
          <h2>本单位账号</h2>
          <Link to={`/admin/accounts/new?unit_id=${unit.id}`}>为本单位新建账号</Link>
        </div>
        {unit.accounts.length === 0 ? (
          <p className="muted">本单位还没有账号。</p>
        ) : (
          <div className="table-wrap">
            <table className="data stack-on-phone">
              <thead>
                <tr>
                  <th>用户名</th>
                  <th>姓名</th>
                  <th>角色</th>
                  <th>手机号</th>
                  <th>状态</th>
                </tr>
              </thead>
              <tbody>
                {unit.accounts.map((a) => (
                  <tr key={a.id} className={a.active ? undefined : "inactive"}>
                    <td data-label="用户名">
                      <Link to={`/admin/accounts/${a.id}`}>{a.username}</Link>
                    </td>
                    <td data-label="姓名">{a.display_name}</td>
                    <td data-label="角色">{roleName(a.role)}</td>
                    <td data-label="手机号">{a.phone || "—"}</td>
                    <td data-label="状态">{a.active ? "启用" : "已停用"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  );
}
