// /requests: 约稿. The reviewer sees every request with its units' outcomes and issues new ones;
// a school's correspondents and lead see the requests addressed to their unit, with the time left
// and their outcome.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Link } from "~/components/link";
import { DataTable } from "~/components/data-table";
import { FilterBar } from "~/components/filter-bar";
import { Pager } from "~/components/pager";
import { OutcomeBadge, RequestStatusBadge } from "~/components/request-parts";
import { can } from "~/domain/permissions";
import { REQUEST_STATUS_FILTERS } from "~/domain/requests";
import { signedPoints } from "~/domain/rules-policy";
import { formatShanghai, monthLabel, shanghaiMonth } from "~/domain/time";
import { param, readQuery } from "~/lib/query";
import { forbidden, requireUser } from "~/lib/session.server";
import { listRequestsForBureau, listRequestsForUnit, requestMonthsList, unitMonthReceiptFor } from "~/models/request-reads.server";

export const meta: MetaFunction = () => [{ title: "约稿 - 教育信息报送平台" }];

const STATUS_CODES = REQUEST_STATUS_FILTERS.map((s) => s.code);

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const db = context.dbs.reader;
  const reviewer = can(user.role, "request.manage");
  if (!reviewer && !(can(user.role, "request.view_unit") && user.unitId !== null)) forbidden("约稿由审核员发出，学校查看和答复。");
  const months = await requestMonthsList(db, reviewer ? undefined : user.unitId!);
  const { page, ...filters } = readQuery(new URL(request.url).searchParams, {
    month: param.month(months), status: param.oneOf(STATUS_CODES, ""), page: param.page(),
  });
  const query = { month: filters.month, status: filters.status || undefined, page };
  if (reviewer) return { reviewer: true as const, months, filters, list: await listRequestsForBureau(db, query) };
  // The unit's month receipt (the filtered month, else this month), with its 约稿 lines.
  const receiptMonth = filters.month ?? shanghaiMonth(new Date());
  return {
    reviewer: false as const, months, filters, unitName: user.unitName, list: await listRequestsForUnit(db, user.unitId!, query),
    receiptMonth, receipt: await unitMonthReceiptFor(db, user.unitId!, receiptMonth),
  };
}

export default function Requests() {
  const data = useLoaderData<typeof loader>();
  const filterBar = (
    <FilterBar
      fields={[
        { name: "month", label: "计入月份", all: "全部月份", options: data.months.map((m) => ({ value: m, label: monthLabel(m) })) },
        { name: "status", label: "状态", all: "全部状态", options: REQUEST_STATUS_FILTERS.map((s) => ({ value: s.code, label: s.name })) },
      ]}
      values={data.filters} clearHref="/requests"
    />
  );
  return (
    <>
      <div className="page-head">
        <h1>约稿{data.reviewer ? null : <span className="muted small">（{data.unitName}）</span>}</h1>
        {data.reviewer ? (
          <Link className="button" to="/requests/new">
            发出约稿
          </Link>
        ) : null}
      </div>
      <p className="muted small">
        {data.reviewer
          ? "向指定单位约稿：截止前报送到教体局并被采用的为按时完成；截止后才报送的为逾期；截止时仍未报送的为未报送；单位可在截止前说明理由婉拒。约稿计入截止时间所在月份的积分。"
          : "教体局向本单位的约稿。按约稿撰写的稿件在截止前报送到教体局并被采用，即按时完成；确实无法完成的，请在截止前说明理由婉拒。"}
      </p>
      {filterBar}
      {data.list.rows.length === 0 ? (
        <p className="muted">没有约稿。</p>
      ) : data.reviewer ? (
        <DataTable
          caption="约稿"
          rows={data.list.rows}
          rowKey={(r) => r.id}
          columns={[
            { header: "主题", primary: true, cell: (r) => <Link to={`/requests/${r.id}`}>{r.topic}</Link> },
            { header: "截止时间", cell: (r) => <>{formatShanghai(r.dueAt)}{r.status === "open" ? <div className="small muted">{r.timeLeft}</div> : null}</> },
            { header: "计入月份", cell: (r) => monthLabel(r.month) },
            { header: "状态", cell: (r) => <RequestStatusBadge status={r.status} /> },
            { header: "单位数", numeric: true, cell: (r) => r.units },
            { header: "完成情况", cell: (r) => (r.tally.length === 0 ? "—" : r.tally.map((t) => `${t.name} ${t.n}`).join("、")) },
          ]}
        />
      ) : (
        <DataTable
          caption="本单位的约稿"
          rows={data.list.rows}
          rowKey={(r) => r.id}
          columns={[
            { header: "主题", primary: true, cell: (r) => <Link to={`/requests/${r.id}`}>{r.topic}</Link> },
            { header: "截止时间", cell: (r) => formatShanghai(r.dueAt) },
            { header: "剩余时间", cell: (r) => (r.status === "open" ? <strong>{r.timeLeft}</strong> : "—") },
            { header: "本单位", cell: (r) => <OutcomeBadge outcome={r.outcome} name={r.outcomeName} /> },
          ]}
        />
      )}
      <Pager page={data.list.page} pages={data.list.pages} total={data.list.total} />
      {data.reviewer ? null : (
        <section className="card" aria-labelledby="month-receipt-title">
          <h2 id="month-receipt-title">{monthLabel(data.receiptMonth)}本单位积分明细</h2>
          <DataTable
            caption="积分明细"
            rows={data.receipt.lines}
            rowKey={(l) => l.rule}
            columns={[
              { header: "项目", primary: true, cell: (l) => l.label },
              { header: "积分", numeric: true, cell: (l) => signedPoints(l.points) },
            ]}
          />
          <p>
            合计 <strong>{signedPoints(data.receipt.total)}</strong> 分（月份未结算前为暂定）
          </p>
        </section>
      )}
    </>
  );
}
