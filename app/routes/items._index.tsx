import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Link } from "~/components/link";
import { DataTable } from "~/components/data-table";
import { FilterBar } from "~/components/filter-bar";
import { PagedList } from "~/components/pager";
import { Marked, SearchSummary } from "~/components/search-hits";
import { ItemStatusBadges } from "~/components/status-badge";
import { GRADES, ITEM_STATUSES, nameOf } from "~/domain/catalog";
import { can } from "~/domain/permissions";
import { planSearch, searchNote, SEARCH_MAX } from "~/domain/search";
import { monthLabel, formatShanghai } from "~/domain/time";
import { param, readQuery } from "~/lib/query";
import { requirePermission } from "~/lib/session.server";
import { listUnitItems } from "~/models/items.server";

export const meta: MetaFunction = () => [{ title: "本单位稿件 - 教育信息报送平台" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requirePermission(request, context, "item.view_unit");
  const params = new URL(request.url).searchParams;
  const { status, month, category: categoryId, q, page } = readQuery(params, {
    status: param.oneOf(ITEM_STATUSES.map((st) => st.code), ""),
    month: param.month(),
    category: param.id(),
    q: param.text(SEARCH_MAX),
    page: param.page(),
  });
  const search = planSearch(q);
  const list = await listUnitItems(context.dbs.reader, user, { status: status || undefined, month, categoryId, search, page });
  return {
    note: searchNote(search),
    unitName: user.unitName,
    list,
    page,
    filters: { status, month: month ?? "", category: categoryId ? String(categoryId) : "", q: search ? q : "" },
    isLead: can(user.role, "item.signoff"),
    canWrite: can(user.role, "item.write"),
  };
}

export default function UnitItems() {
  const { unitName, list, page, filters, isLead, canWrite, note } = useLoaderData<typeof loader>();
  const filtered = Object.values(filters).some(Boolean);
  // The 待签发 tab (only the status narrowed) says what belongs there, not "no match".
  const onlySignoff = filters.status === "pending_school" && !filters.month && !filters.category && !filters.q;
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
      <FilterBar
        values={filters}
        clearHref="/items"
        fields={[
          { type: "search", name: "q", label: "关键词", placeholder: "标题或正文中的字词", maxLength: SEARCH_MAX },
          { name: "status", label: "状态", all: "全部", options: ITEM_STATUSES.map((st) => ({ value: st.code, label: st.name })) },
          {
            name: "category",
            label: "栏目",
            all: "全部",
            options: list.categories.map((c) => ({ value: c.id, label: `${c.name}${c.active ? "" : "（已停用）"}` })),
          },
          { type: "month", name: "month", label: "报送月份" },
        ]}
      />
      <SearchSummary note={note} q={filters.q} total={list.total} counter="篇" />
      <PagedList list={list} page={page} empty={isLead && onlySignoff ? (
        <>没有等待签发的稿件。信息员报送后，稿件会出现在这里，并通知您签发。</>
      ) : <>
          没有符合条件的稿件。
          {canWrite && !filtered ? (
            <>
              {" "}
              <Link to="/items/new">写第一篇稿件 →</Link>
            </>
          ) : null}
        </>}>
        <DataTable
          rows={list.rows}
          rowKey={(item) => item.id}
          columns={[
            {
              header: "标题",
              cell: (item) => (
                <>
                  <Link to={`/items/${item.id}`}>{item.marks ? <Marked segments={item.marks.title} /> : item.title}</Link>
                  {item.late ? <span className="badge badge--err" style={{ marginLeft: 6 }}>迟报</span> : null}
                  {item.marks ? (
                    <span className="muted small search-excerpt">
                      <Marked segments={item.marks.excerpt} />
                    </span>
                  ) : null}
                </>
              ),
            },
            { header: "栏目", cell: (item) => item.category },
            { header: "状态", cell: (item) => <ItemStatusBadges item={item} /> },
            { header: "报送月份", cell: (item) => (item.report_month ? monthLabel(item.report_month) : "—") },
            { header: "等次", cell: (item) => (item.grade ? nameOf(GRADES, item.grade) : "—") },
            { header: "更新时间", cell: (item) => formatShanghai(item.updated_at) },
          ]}
        />
      </PagedList>
    </>
  );
}
