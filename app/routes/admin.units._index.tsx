import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { Pager } from "~/components/pager";
import { pageParam } from "~/lib/query";
import { requirePermission } from "~/lib/session.server";
import { listUnitKinds, listUnits, type StatusFilter } from "~/models/units.server";

export const meta: MetaFunction = () => [{ title: "单位管理 - 教育信息报送平台" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requirePermission(request, context, "admin.units");
  const params = new URL(request.url).searchParams;
  const kinds = await listUnitKinds(context.dbs.reader);
  const kindParam = params.get("kind") ?? "";
  const kind = kinds.some((k) => k.code === kindParam) ? kindParam : "";
  const statusParam = params.get("status") ?? "";
  const status: StatusFilter | "" = statusParam === "active" || statusParam === "inactive" ? statusParam : "";
  const q = (params.get("q") ?? "").trim().slice(0, 50);
  const page = pageParam(params);
  const list = await listUnits(context.dbs.reader, { kind: kind || undefined, status: status || undefined, q, page });
  return { kinds, list, page, filters: { kind, status, q } };
}

export default function AdminUnits() {
  const { kinds, list, page, filters } = useLoaderData<typeof loader>();
  return (
    <>
      <div className="page-head">
        <h1>单位管理</h1>
        <div className="button-row">
          <Link className="button" to="/admin/units/new">
            新建单位
          </Link>
          <Link className="button button--secondary" to="/admin/import">
            批量导入
          </Link>
        </div>
      </div>
      <Form method="get" className="filters">
        <div className="field">
          <label htmlFor="q">搜索</label>
          <input id="q" name="q" type="search" defaultValue={filters.q} placeholder="代码、名称或乡镇" />
        </div>
        <div className="field">
          <label htmlFor="kind">单位类别</label>
          <select id="kind" name="kind" defaultValue={filters.kind}>
            <option value="">全部</option>
            {kinds.map((k) => (
              <option key={k.code} value={k.code}>
                {k.name}
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
        <p className="card muted">没有符合条件的单位。</p>
      ) : (
        <div className="table-wrap">
          <table className="data stack-on-phone">
            <thead>
              <tr>
                <th>代码</th>
                <th>单位名称</th>
                <th>所属乡镇</th>
                <th>类别</th>
                <th>校内审核</th>
                <th className="num">在用账号</th>
                <th>状态</th>
                <th>操作</th>
              </tr>
            </thead>
            <tbody>
              {list.rows.map((unit) => (
                <tr key={unit.id} className={unit.active ? undefined : "inactive"}>
                  <td data-label="代码">{unit.code}</td>
                  <td data-label="单位名称">{unit.name}</td>
                  <td data-label="所属乡镇">{unit.township || "—"}</td>
                  <td data-label="类别">{unit.kind_name}</td>
                  <td data-label="校内审核">{unit.signoff_required ? "需要" : "不需要"}</td>
                  <td data-label="在用账号" className="num">
                    {unit.active_accounts}
                  </td>
                  <td data-label="状态">
                    {unit.active ? <span className="badge badge--ok">启用</span> : <span className="badge badge--err">已停用</span>}
                  </td>
                  <td data-label="操作">
                    <Link to={`/admin/units/${unit.id}`} aria-label={`编辑 ${unit.name}`}>
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
