import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Link } from "~/components/link";
import { AdminListHead } from "~/components/admin-list-head";
import { DataTable } from "~/components/data-table";
import { FilterBar } from "~/components/filter-bar";
import { PagedList } from "~/components/pager";
import { ACTIVE_STATUS_CHOICES, ActiveBadge } from "~/components/status-badge";
import { param, readQuery } from "~/lib/query";
import { requirePermission } from "~/lib/session.server";
import { listUnitKinds, listUnits } from "~/models/units.server";

export const meta: MetaFunction = () => [{ title: "单位管理 - 教育信息报送平台" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requirePermission(request, context, "admin.units");
  const kinds = await listUnitKinds(context.dbs.reader);
  const { kind, status, q, page } = readQuery(new URL(request.url).searchParams, {
    kind: param.oneOf(kinds.map((k) => k.code), ""),
    status: param.oneOf(["active", "inactive"] as const, ""),
    q: param.text(50),
    page: param.page(),
  });
  const list = await listUnits(context.dbs.reader, { kind: kind || undefined, status: status || undefined, q, page });
  return { kinds, list, page, filters: { kind, status, q } };
}

export default function AdminUnits() {
  const { kinds, list, page, filters } = useLoaderData<typeof loader>();
  return (
    <>
      <AdminListHead title="单位管理" newHref="/admin/units/new" newLabel="新建单位" />
      <FilterBar
        values={filters}
        fields={[
          { type: "search", name: "q", label: "搜索", placeholder: "代码、名称或乡镇" },
          { name: "kind", label: "单位类别", all: "全部", options: kinds.map((k) => ({ value: k.code, label: k.name })) },
          { name: "status", label: "状态", all: "全部", options: ACTIVE_STATUS_CHOICES },
        ]}
      />
      <PagedList list={list} page={page} empty="没有符合条件的单位。">
        <DataTable
          rows={list.rows}
          rowKey={(u) => u.id}
          rowClassName={(u) => (u.active ? undefined : "inactive")}
          columns={[
            { header: "代码", cell: (u) => u.code },
            { header: "单位名称", cell: (u) => u.name },
            { header: "所属乡镇", cell: (u) => u.township || "—" },
            { header: "类别", cell: (u) => u.kind_name },
            { header: "校内审核", cell: (u) => (u.signoff_required ? "需要" : "不需要") },
            { header: "在用账号", numeric: true, cell: (u) => u.active_accounts },
            { header: "状态", cell: (u) => <ActiveBadge active={!!u.active} /> },
            {
              header: "操作",
              cell: (u) => (
                <Link to={`/admin/units/${u.id}`} className="tap-target" aria-label={`编辑 ${u.name}`}>
                  编辑
                </Link>
              ),
            },
          ]}
        />
      </PagedList>
    </>
  );
}
