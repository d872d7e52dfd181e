import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { Pager } from "~/components/pager";
import { StatusBadge } from "~/components/status-badge";
import { GRADES, ITEM_STATUSES, nameOf, type ItemStatusCode } from "~/domain/catalog";
import { can } from "~/domain/permissions";
import { isMonth, monthLabel, formatShanghai } from "~/domain/time";
import { pageParam } from "~/lib/query";
import { requirePermission } from "~/lib/session.server";
import { listUnitItems } from "~/models/items.server";
import { parseId } from "~/domain/fields";

export const meta: MetaFunction = () => [{ title: "本单位稿件 - 教育信息报送平台" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requirePermission(request, context, "item.view_unit");
  const params = new URL(request.url).searchParams;
  const statusParam = params.get("status") ?? "";
  const status = ITEM_STATUSES.some((s) => s.code === statusParam) ? (statusParam as ItemStatusCode) : undefined;
  const monthParam = params.get("month") ?? "";
  const month = isMonth(monthParam) ? monthParam : undefined;
  const categoryParam = params.get("category") ?? "";
  const categoryId = parseId(categoryParam) ?? undefined;
  const q = (params.get("q") ?? "").trim().slice(0, 80);
  const page = pageParam(params);
  const list = await listUnitItems(context.dbs.reader, user, { status, month, categoryId, q, page });
  return {
    unitName: user.unitName,
    list,
    page,
    filters: { status: status ?? "", month: month ?? "", category: categoryId ? String(categoryId) : "", q },
    isLead: can(user.role, "item.signoff"),
    canWrite: can(user.role, "item.write"),
  };
}

export default function UnitItems() {
  const { unitName, list, page, filters, isLead, canWrite } = useLoaderData<typeof loader>();
  const filtered = Object.values(filters).some(Boolean);
  return (
    <>
      <div className="page-head">
        <h1>{unitName} · 稿件</h1>
        {canWrite ? (
          <Link className="button" to="/items/new">
            写稿
          </Link>
        ) : null}
      </div>
      {isLead && list.pendingSignoff > 0 ? (
        <p className="signoff-waiting">
          <strong>待签发 {list.pendingSignoff} 篇</strong>
          {filters.status === "pending_school" ? null : (
            <>
              {" "}
              <Link to="/items?status=pending_school">查看待签发稿件 →</Link>
            </>
          )}
        </p>
      ) : null}
      <Form method="get" className="filters" key={JSON.stringify(filters)}>
        <div className="field">
          <label htmlFor="q">标题</label>
          <input id="q" name="q" type="search" maxLength={80} defaultValue={filters.q} placeholder="标题中的字词" />
        </div>
        <div className="field">
          <label htmlFor="status">状态</label>
          <select id="status" name="status" defaultValue={filters.status}>
            <option value="">全部</option>
            {ITEM_STATUSES.map((s) => (
              <option key={s.code} value={s.code}>
                {s.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="category">栏目</label>
          <select id="category" name="category" defaultValue={filters.category}>
            <option value="">全部</option>
            {list.categories.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
                {c.active ? "" : "（已停用）"}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="month">报送月份</label>
          <input id="month" name="month" type="month" defaultValue={filters.month} />
        </div>
        <div className="button-row">
          <button type="submit" className="button--secondary">
            筛选
          </button>
          {filtered ? <Link to="/items">清除</Link> : null}
        </div>
      </Form>
      {list.rows.length === 0 ? (
        <p className="card muted">
          没有符合条件的稿件。
          {canWrite && !filtered ? (
            <>
              {" "}
              <Link to="/items/new">写第一篇稿件 →</Link>
            </>
          ) : null}
        </p>
      ) : (
        <div className="table-wrap">
          <table className="data stack-on-phone">
            <thead>
              <tr>
                <th>标题</th>
                <th>栏目</th>
                <th>状态</th>
                <th>报送月份</th>
                <th>等次</th>
                <th>更新时间</th>
              </tr>
            </thead>
            <tbody>
              {list.rows.map((item) => (
                <tr key={item.id}>
                  <td data-label="标题">
                    <Link to={`/items/${item.id}`}>{item.title}</Link>
                    {item.late ? <span className="badge badge--err" style={{ marginLeft: 6 }}>迟报</span> : null}
                  </td>
                  <td data-label="栏目">{item.category}</td>
                  <td data-label="状态">
                    <StatusBadge status={item.status} />
                  </td>
                  <td data-label="报送月份">{item.report_month ? monthLabel(item.report_month) : "—"}</td>
                  <td data-label="等次">{item.grade ? nameOf(GRADES, item.grade) : "—"}</td>
                  <td data-label="更新时间">{formatShanghai(item.updated_at)}</td>
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
