// /appeals: 申诉. Reviewers see every unit's appeals (open ones first by default); a school's lead
// and correspondents see their own unit's. Filing happens on the item page, answering on the
// review page.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Link } from "~/components/link";
import { DataTable } from "~/components/data-table";
import { FilterBar } from "~/components/filter-bar";
import { Pager } from "~/components/pager";
import { APPEAL_STATUSES, appealStatusName, appealSubjectName, type AppealStatusCode } from "~/domain/appeals";
import { formatShanghai, monthLabel } from "~/domain/time";
import { param, readQuery } from "~/lib/query";
import { forbidden, requireUser } from "~/lib/session.server";
import { listAppeals } from "~/models/appeals.server";

export const meta: MetaFunction = () => [{ title: "申诉 - 教育信息报送平台" }];

const STATUS_CODES = APPEAL_STATUSES.map((s) => s.code);

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  if (user.role === "admin") forbidden("申诉由审核员和学校处理。");
  const filters = readQuery(new URL(request.url).searchParams, { status: param.oneOf(STATUS_CODES, ""), page: param.page() });
  const list = await listAppeals(context.dbs.reader, user, { status: (filters.status || null) as AppealStatusCode | null, page: filters.page });
  return { ...list, filters, reviewer: user.role === "reviewer" };
}

export default function Appeals() {
  const { rows, total, pages, filters, reviewer } = useLoaderData<typeof loader>();
  type Row = (typeof rows)[number];
  const itemHref = (r: Row) => (reviewer ? `/review/${r.item_id}#appeal` : `/items/${r.item_id}#appeals`);
  return (
    <>
      <div className="page-head">
        <h1>申诉</h1>
      </div>
      <p className="muted small">
        {reviewer
          ? "各单位分管领导对审核决定提出的申诉。打开稿件即可答复：维持原决定，或更正等次、上稿、批示。"
          : "本单位对审核决定提出的申诉及答复。分管领导在稿件页提出申诉。"}
      </p>
      <FilterBar
        fields={[{ name: "status", label: "状态", all: "全部状态", options: APPEAL_STATUSES.map((s) => ({ value: s.code, label: s.name })) }]}
        values={filters} clearHref="/appeals"
      />
      {rows.length === 0 ? (
        <p className="muted">没有申诉。</p>
      ) : (
        <DataTable
          caption="申诉"
          rows={rows}
          rowKey={(r) => r.id}
          columns={[
            { header: "稿件", primary: true, cell: (r) => <Link to={itemHref(r)}>{r.title}</Link> },
            reviewer && { header: "单位", cell: (r) => r.unit_name },
            { header: "月份", cell: (r) => monthLabel(r.month) },
            { header: "事项", cell: (r) => appealSubjectName(r.subject) },
            // One block per cell: on a phone the stacked card sets a cell's children side by side.
            { header: "申诉", cell: (r) => <div>{r.filed_by_name} · {formatShanghai(r.filed_at)}<div className="small">{r.reason}</div></div> },
            {
              header: "状态",
              cell: (r) => (
                <div>
                  <span className={`badge ${r.status === "open" ? "badge--warn" : "badge--ok"}`}>{appealStatusName(r.status)}</span>
                  {r.answered_at ? <div className="small">{r.answered_by_name}：{r.answer}</div> : null}
                </div>
              ),
            },
          ]}
        />
      )}
      <Pager page={filters.page} pages={pages} total={total} />
    </>
  );
}
