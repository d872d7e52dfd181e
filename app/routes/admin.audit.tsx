// /admin/audit — the operations log: every audit entry and every item's trail, newest first.
// Admins read all of it; reviewers the review-related entries (app/domain/audit-log.ts).
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Link } from "~/components/link";
import { DataTable } from "~/components/data-table";
import { FilterBar } from "~/components/filter-bar";
import { PagedList } from "~/components/pager";
import { auditLogActionChoices, auditLogLine, auditLogScope } from "~/domain/audit-log";
import { readAuditLogQuery } from "~/lib/audit-log.server";
import { unitFilterView, unitLabel } from "~/domain/unit-pick";
import { forbidden, requireUser } from "~/lib/session.server";
import { listAuditLog } from "~/models/audit-log.server";
import { listUnitOptions } from "~/models/units.server";

export const meta: MetaFunction = () => [{ title: "操作日志 - 教育信息报送平台" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const scope = auditLogScope(user.role);
  if (!scope) forbidden();
  const params = new URL(request.url).searchParams;
  const units = await listUnitOptions(context.dbs.reader);
  const { filters, values, page, unitPick } = readAuditLogQuery(params, scope, units);
  const list = await listAuditLog(context.dbs.reader, filters, page);
  const exportQuery = new URLSearchParams(params);
  exportQuery.delete("page");
  const query = exportQuery.toString();
  return {
    scope,
    unitFilter: unitFilterView(units, unitPick),
    actions: auditLogActionChoices(scope),
    values,
    lines: list.rows.map((row) => auditLogLine(scope, row)),
    page,
    pages: list.pages,
    total: list.total,
    csvHref: `/admin/audit.csv${query ? `?${query}` : ""}`,
  };
}

export default function AuditLog() {
  const { scope, unitFilter, actions, values, lines, page, pages, total, csvHref } = useLoaderData<typeof loader>();
  return (
    <>
      <div className="page-head">
        <h1>操作日志</h1>
        <a className="button button--secondary" href={csvHref} download>
          下载 CSV
        </a>
      </div>
      <p className="muted small">
        {scope === "all" ? "全部操作记录与稿件流转记录。" : "稿件流转、上稿与批示、月度结算、通报和催报的记录。"}时间为北京时间。
      </p>
      <FilterBar
        values={values}
        clearHref="/admin/audit"
        fields={[
          { type: "search", name: "person", label: "操作人", placeholder: "姓名或用户名", maxLength: 30 },
          {
            type: "unit", name: "unit", label: "单位", all: "全部单位", view: unitFilter,
            options: unitFilter.mode === "select" ? unitFilter.units.map((u) => ({ value: u.id, label: unitLabel(u) })) : undefined,
          },
          { name: "action", label: "操作", all: "全部操作", groups: actions },
          { type: "date", name: "from", label: "从" },
          { type: "date", name: "to", label: "到" },
        ]}
      />
      <PagedList list={{ rows: lines, pages, total }} page={page} empty="没有符合条件的记录。">
        <DataTable
          rows={lines}
          rowKey={(l) => l.key}
          columns={[
            { header: "时间", cell: (l) => l.time, className: "cell-nowrap" },
            { header: "操作人", cell: (l) => l.person },
            { header: "单位", cell: (l) => l.unit || "—" },
            { header: "操作", cell: (l) => l.action, className: "cell-nowrap" },
            {
              header: "对象",
              cell: (l) => (l.object ? l.object.href ? <Link to={l.object.href}>{l.object.label}</Link> : l.object.label : "—"),
            },
            { header: "理由", cell: (l) => l.reason || "—" },
            ...(scope === "all" ? [{ header: "来源地址", cell: (l: (typeof lines)[number]) => l.ip || "—" }] : []),
          ]}
        />
      </PagedList>
    </>
  );
}
