import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { Pager } from "~/components/pager";
import { isRole, roleName, ROLES } from "~/domain/permissions";
import { pageParam } from "~/lib/query";
import { requirePermission } from "~/lib/session.server";
import { listAccounts } from "~/models/accounts.server";
import { listUnitOptions, type StatusFilter } from "~/models/units.server";
import { parseId } from "~/domain/fields";

export const meta: MetaFunction = () => [{ title: "账号管理 - 教育信息报送平台" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requirePermission(request, context, "admin.accounts");
  const params = new URL(request.url).searchParams;
  const units = await listUnitOptions(context.dbs.reader);
  const roleParam = params.get("role") ?? "";
  const role = isRole(roleParam) ? roleParam : "";
  const unitParam = parseId(params.get("unit"));
  const unit = units.some((u) => u.id === unitParam) ? unitParam : 0;
  const statusParam = params.get("status") ?? "";
  const status: StatusFilter | "" = statusParam === "active" || statusParam === "inactive" ? statusParam : "";
  const q = (params.get("q") ?? "").trim().slice(0, 50);
  const page = pageParam(params);
  const list = await listAccounts(context.dbs.reader, {
    role: role || undefined, unitId: unit || undefined, status: status || undefined, q, page,
  });
  return { units, list, page, filters: { role, unit: unit ? String(unit) : "", status, q } };
}

export default function AdminAccounts() {
  const { units, list, page, filters } = useLoaderData<typeof loader>();
  return (
    <>
      <div className="page-head">
        <h1>账号管理</h1>
        <div className="button-row">
          <Link className="button" to="/admin/accounts/new">
            新建账号
          </Link>
          <Link className="button button--secondary" to="/admin/import">
            批量导入
          </Link>
        </div>
      </div>
      <Form method="get" className="filters">
        <div className="field">
          <label htmlFor="q">搜索</label>
          <input id="q" name="q" type="search" defaultValue={filters.q} placeholder="用户名、姓名或手机号" />
        </div>
        <div className="field">
          <label htmlFor="role">角色</label>
          <select id="role" name="role" defaultValue={filters.role}>
            <option value="">全部</option>
            {ROLES.map((r) => (
              <option key={r.code} value={r.code}>
                {r.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="unit">单位</label>
          <select id="unit" name="unit" defaultValue={filters.unit}>
            <option value="">全部</option>
            {units.map((u) => (
              <option key={u.id} value={u.id}>
                {u.code} {u.name}
                {u.active ? "" : "（已停用）"}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="status">状态</label>
          <select id="status" name="status" defaultValue={filters.status}>
            <option value="">全部</option>
            <option value="active">启用</option>
            <option value="inactive">已停用</option>
          </select>
        </div>
        <button type="submit" className="button--secondary">
          筛选
        </button>
      </Form>
      {list.rows.length === 0 ? (
        <p className="card muted">没有符合条件的账号。</p>
      ) : (
        <div className="table-wrap">
          <table className="data stack-on-phone">
            <thead>
              <tr>
                <th>用户名</th>
                <th>姓名</th>
                <th>角色</th>
                <th>单位</th>
                <th>手机号</th>
                <th>状态</th>
                <th>操作</th>
              </tr>
            </thead>
            <tbody>
              {list.rows.map((a) => (
                <tr key={a.id} className={a.active ? undefined : "inactive"}>
                  <td data-label="用户名">{a.username}</td>
                  <td data-label="姓名">{a.display_name}</td>
                  <td data-label="角色">{roleName(a.role)}</td>
                  <td data-label="单位">{a.unit_name ?? "—"}</td>
                  <td data-label="手机号">{a.phone || "—"}</td>
                  <td data-label="状态">
                    {a.active ? <span className="badge badge--ok">启用</span> : <span className="badge badge--err">已停用</span>}
                    {a.active && a.must_change_password ? <span className="badge badge--warn">待改密码</span> : null}
                  </td>
                  <td data-label="操作">
                    <Link to={`/admin/accounts/${a.id}`} aria-label={`编辑 ${a.display_name}`}>
                      编辑
                    </Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager page={page} pages={list.pages} total={list.total} />
    </>
  );
}
