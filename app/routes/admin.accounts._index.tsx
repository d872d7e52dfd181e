import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Link } from "~/components/link";
import { AdminListHead } from "~/components/admin-list-head";
import { DataTable } from "~/components/data-table";
import { FilterBar } from "~/components/filter-bar";
import { PagedList } from "~/components/pager";
import { ACTIVE_STATUS_CHOICES, ActiveBadge } from "~/components/status-badge";
import { roleName, ROLES } from "~/domain/permissions";
import { param, readQuery } from "~/lib/query";
import { requirePermission } from "~/lib/session.server";
import { listAccounts } from "~/models/accounts.server";
import { listUnitOptions } from "~/models/units.server";
import { pickUnit, unitFilterView, unitLabel } from "~/domain/unit-pick";

export const meta: MetaFunction = () => [{ title: "账号管理 - 教育信息报送平台" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requirePermission(request, context, "admin.accounts");
  const params = new URL(request.url).searchParams;
  const units = await listUnitOptions(context.dbs.reader);
  const query = readQuery(params, {
    role: param.oneOf(ROLES.map((r) => r.code), ""),
    status: param.oneOf(["active", "inactive"] as const, ""),
    q: param.text(50),
    page: param.page(),
  });
  const { role, status, q, page } = query;
  // The unit is an id (the portal's links) or a code or name typed into the unit search box.
  const unitPick = pickUnit(units, params.get("unit") ?? undefined);
  const unit = unitPick.unit?.id;
  const list = await listAccounts(context.dbs.reader, {
    role: role || undefined, unitId: unit, status: status || undefined, q, page,
  });
  return { unitFilter: unitFilterView(units, unitPick), list, page, filters: { role, unit: unit ? String(unit) : "", status, q } };
}

export default function AdminAccounts() {
  const { unitFilter, list, page, filters } = useLoaderData<typeof loader>();
  return (
    <>
      <AdminListHead title="账号管理" newHref="/admin/accounts/new" newLabel="新建账号" />
      <FilterBar
        values={filters}
        fields={[
          { type: "search", name: "q", label: "搜索", placeholder: "用户名、姓名或手机号" },
          { name: "role", label: "角色", all: "全部", options: ROLES.map((r) => ({ value: r.code, label: r.name })) },
          {
            type: "unit", name: "unit", label: "单位", all: "全部", view: unitFilter,
            options: unitFilter.mode === "select" ? unitFilter.units.map((u) => ({ value: u.id, label: unitLabel(u) })) : undefined,
          },
          { name: "status", label: "状态", all: "全部", options: ACTIVE_STATUS_CHOICES },
        ]}
      />
      <PagedList list={list} page={page} empty="没有符合条件的账号。">
        <DataTable
          rows={list.rows}
          rowKey={(a) => a.id}
          rowClassName={(a) => (a.active ? undefined : "inactive")}
          columns={[
            { header: "用户名", cell: (a) => a.username },
            { header: "姓名", cell: (a) => a.display_name },
            { header: "角色", cell: (a) => roleName(a.role) },
            { header: "单位", cell: (a) => a.unit_name ?? "—" },
            { header: "手机号", cell: (a) => a.phone || "—" },
            {
              header: "状态",
              cell: (a) => (
                <>
                  <ActiveBadge active={!!a.active} />
                  {a.active && a.must_change_password ? <span className="badge badge--warn">待改密码</span> : null}
                </>
              ),
            },
            {
              header: "操作",
              cell: (a) => (
                <Link to={`/admin/accounts/${a.id}`} className="tap-target" aria-label={`编辑 ${a.display_name}`}>
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
