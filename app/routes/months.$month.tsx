import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Link } from "~/components/link";
import { DataTable } from "~/components/data-table";
import { MONTH_STATE_NAMES } from "~/domain/month-closing";
import { formatShanghai, isMonth, monthLabel } from "~/domain/time";
import { notFound, requirePermission } from "~/lib/session.server";
import type { CloseChange } from "~/models/month-close.server";
import { monthCloseDetail } from "~/models/month-closing.server";
import pageStyles from "~/styles/rules-months.css";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: pageStyles }];

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data ? monthLabel(data.month) : "月份"}结算记录 - 教育信息报送平台` },
];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  await requirePermission(request, context, "month.close");
  const month = params.month ?? "";
  if (!isMonth(month)) notFound("没有这个月份。");
  return await monthCloseDetail(context.dbs.reader, month);
}

export default function MonthHistory() {
  const detail = useLoaderData<typeof loader>();
  const label = monthLabel(detail.month);
  const count = detail.closes.length;
  const { comparison, sinceClose } = detail;
  return (
    <>
      <p className="breadcrumb">
        <Link to="/months">月度结算</Link> › {label}
      </p>
      <div className="page-head">
        <h1>
          {label}结算记录{" "}
          <span className={`badge ${detail.state === "closed" ? "badge--ok" : "badge--warn"}`}>{MONTH_STATE_NAMES[detail.state]}</span>
        </h1>
        <div className="button-row">
          <Link to={`/rankings/${detail.month}`}>{label}排行榜</Link>
          <Link to={`/months#m-${detail.month}`}>{detail.state === "closed" ? "重新打开…" : "去结算…"}</Link>
        </div>
      </div>

      {detail.state === "open" && detail.waiting > 0 ? (
        <p className="card card--alert small">
          该月还有 <Link to={`/review?month=${detail.month}`}>{detail.waiting} 篇稿件待审核</Link>，审核完毕后才能结算。
        </p>
      ) : null}

      <section className="card" aria-labelledby="history-title">
        <h2 id="history-title">结算与重新打开</h2>
        {count === 0 ? (
          <p className="muted">该月还没有结算过。</p>
        ) : (
          <ol className="timeline" reversed>
            {detail.closes.map((c, i) => {
              const n = count - i;
              return [
                c.reopenedAt ? (
                  <li key={`r${c.id}`}>
                    <time dateTime={c.reopenedAt}>{formatShanghai(c.reopenedAt)}</time> <strong>重新打开</strong>（撤销第 {n} 次结算） ·{" "}
                    {c.reopenedBy}
                    <br />
                    <span className="small">理由：{c.reopenReason}</span>
                  </li>
                ) : null,
                <li key={`c${c.id}`}>
                  <time dateTime={c.closedAt}>{formatShanghai(c.closedAt)}</time> <strong>第 {n} 次结算</strong> · {c.closedBy}
                  {c.inForce ? <span className="badge badge--ok">现行</span> : null}
                  <br />
                  <span className="small muted">
                    积分规则：{c.pointsName} · 任务数：{c.quotaName}
                  </span>
                </li>,
              ];
            })}
          </ol>
        )}
      </section>

      {comparison ? (
        <section className="card" aria-labelledby="changes-title">
          <h2 id="changes-title">
            第 {count} 次结算与第 {count - 1} 次相比
          </h2>
          <p className="muted small">
            {formatShanghai(comparison.before.closedAt)}（{comparison.before.closedBy}）→ {formatShanghai(comparison.after.closedAt)}（
            {comparison.after.closedBy}）
          </p>
          {comparison.changes.length === 0 ? <p>两次结算的各单位数据完全相同。</p> : <ChangeTable changes={comparison.changes} caption="两次结算之间的变化" heading="变化（上次结算 → 本次结算）" />}
        </section>
      ) : null}

      {sinceClose ? (
        <section className="card" aria-labelledby="since-title">
          <h2 id="since-title">重新打开以来的变化（与第 {count} 次结算相比，实时）</h2>
          <p className="muted small">
            包括结算后对该月稿件的更正（更正等次、删除上稿或批示）。再次结算时这些变化写入新的快照；已签发的通报不变。
          </p>
          {sinceClose.changes.length === 0 ? <p>与上次结算相比没有变化。</p> : <ChangeTable changes={sinceClose.changes} caption="重新打开以来的变化" heading="变化（上次结算 → 现在）" />}
        </section>
      ) : null}
    </>
  );
}

/** Changes by unit, one row per unit with its changed fields listed together. */
function ChangeTable({ changes, caption, heading }: { changes: CloseChange[]; caption: string; heading: string }) {
  const byUnit = [
    ...changes.reduce((m, c) => {
      const unit = m.get(c.unitId) ?? { name: c.name, changes: [] };
      unit.changes.push(c);
      return m.set(c.unitId, unit);
    }, new Map<number, { name: string; changes: CloseChange[] }>()),
  ];
  return (
    <>
      <p className="small">
        共 {byUnit.length} 个单位、{changes.length} 项变化：
      </p>
      <DataTable
        caption={caption}
        rows={byUnit}
        rowKey={([unitId]) => unitId}
        columns={[
          { header: "单位", primary: true, cell: ([, unit]) => unit.name },
          {
            header: heading,
            cell: ([, unit]) => (
              <ul className="change-list">
                {unit.changes.map((c) => (
                  <li key={c.field}>
                    {c.field}：{c.before} → <strong>{c.after}</strong>
                  </li>
                ))}
              </ul>
            ),
          },
        ]}
      />
    </>
  );
}
