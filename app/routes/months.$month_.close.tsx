// Closing a month, confirmed on a page of its own: what the close will freeze (every unit's
// adopted items and points, the rule versions), or what still blocks it (items waiting for
// review, a month still running). The POST here closes; a plain form, no JavaScript needed.
import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Link } from "~/components/link";
import { DataTable } from "~/components/data-table";
import { closedFlash, MONTH_STATE_NAMES } from "~/domain/month-closing";
import { pointsText } from "~/domain/rankings-view";
import { formatShanghai, isMonth, monthLabel } from "~/domain/time";
import { redirectWithFlash } from "~/lib/flash.server";
import { readForm } from "~/lib/form.server";
import { notFound, requirePermission } from "~/lib/session.server";
import { closeEndedMonth, closePreview } from "~/models/month-closing.server";
import pageStyles from "~/styles/rules-months.css";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: pageStyles }];

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `结算${data ? monthLabel(data.preview.month) : "月份"} - 月度结算 - 教育信息报送平台` },
];

function monthOf(params: { month?: string }): string {
  const month = params.month ?? "";
  if (!isMonth(month)) notFound("没有这个月份。");
  return month;
}

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  await requirePermission(request, context, "month.close");
  const preview = await closePreview(context.dbs.reader, monthOf(params));
  if (!preview) notFound("这个月份没有可结算的数据。");
  return { preview };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const user = await requirePermission(request, context, "month.close");
  const month = monthOf(params);
  const form = await readForm(request);
  if (String(form.get("intent") ?? "") !== "close") {
    return data({ ok: false as const, formError: "未知的操作，请刷新页面后重试。", waiting: [] }, { status: 400 });
  }
  const result = await closeEndedMonth(context.dbs.db, { month, actor: { id: user.id, username: user.username }, ip: context.ip });
  if (!result.ok) return data({ ok: false as const, formError: result.message, waiting: result.waiting ?? [] }, { status: result.status });
  return redirectWithFlash("/months", closedFlash(month, result.changes.length));
}

export default function ConfirmClose() {
  const { preview: p } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const label = monthLabel(p.month);
  const blocked = p.state === "closed" || p.timingProblem !== null || p.waiting > 0;

  return (
    <>
      <p className="breadcrumb">
        <Link to="/months">月度结算</Link> › 结算{label}
      </p>
      <div className="page-head">
        <h1>
          结算{label}{" "}
          <span className={`badge ${p.state === "closed" ? "badge--ok" : "badge--warn"}`}>{MONTH_STATE_NAMES[p.state]}</span>
        </h1>
      </div>

      {failure ? (
        <section className="card card--alert" role="alert" aria-labelledby="refusal-title">
          <h2 id="refusal-title">{label}未能结算</h2>
          <p>{failure.formError}</p>
        </section>
      ) : null}

      {p.state === "closed" ? (
        <section className="card">
          <p>
            {label}已于 {formatShanghai(p.closedAt!)} 由 {p.closedBy} 结算。如需更正，请在<Link to={`/months#m-${p.month}`}>月度结算</Link>
            页面重新打开（须填写理由）。
          </p>
        </section>
      ) : p.timingProblem ? (
        <section className="card card--alert" aria-labelledby="timing-title">
          <h2 id="timing-title">暂不能结算</h2>
          <p>{p.timingProblem}</p>
        </section>
      ) : null}

      {p.waitingItems.length > 0 ? (
        <section className="card card--alert" aria-labelledby="waiting-title">
          <h2 id="waiting-title">还有 {p.waiting} 篇稿件待审核</h2>
          <p className="small">结算前须审核完毕（采用、退回或不采用）：</p>
          <ul className="waiting-list">
            {p.waitingItems.map((w) => (
              <li key={w.id}>
                <Link to={`/review/${w.id}`}>{w.title}</Link> <span className="muted small">{w.unit_name}</span>
              </li>
            ))}
          </ul>
          {p.waiting > p.waitingItems.length ? (
            <p className="small">
              <Link to={`/review?month=${p.month}`}>在审核队列中查看全部 {p.waiting} 篇</Link>
            </p>
          ) : null}
        </section>
      ) : null}

      {p.state === "open" ? (
        <section className="card" aria-labelledby="frozen-title">
          <h2 id="frozen-title">结算将冻结以下数据</h2>
          <dl className="meta-list">
            <dt>单位</dt>
            <dd>{p.totals.units} 个</dd>
            <dt>采用稿件</dt>
            <dd>{p.totals.adopted} 篇</dd>
            <dt>积分合计</dt>
            <dd>{pointsText(p.totals.points)} 分</dd>
            <dt>积分规则</dt>
            <dd>{p.pointsVersion?.name ?? "—"}</dd>
            <dt>任务数规则</dt>
            <dd>{p.quotaVersion?.name ?? "—"}</dd>
          </dl>
          <p className="muted small">结算后，该月各单位的采用数、积分和排名不再随稿件或规则变动；如需更正须重新打开。</p>
          {p.units ? (
            <details>
              <summary>各单位明细（{p.totals.units} 个）</summary>
              <DataTable
                caption={`${label}各单位结算数据`}
                rows={p.units}
                rowKey={(u) => u.unitId}
                columns={[
                  { header: "单位", primary: true, cell: (u) => u.name },
                  { header: "类别", cell: (u) => u.kindName },
                  { header: "任务数", numeric: true, cell: (u) => u.quota },
                  { header: "报送", numeric: true, cell: (u) => u.submitted },
                  { header: "采用", numeric: true, cell: (u) => u.adopted },
                  { header: "积分", numeric: true, cell: (u) => pointsText(u.points) },
                  { header: "类别内排名", numeric: true, cell: (u) => `${u.rank}${u.tied ? "（并列）" : ""}` },
                ]}
              />
            </details>
          ) : (
            <p className="small">
              各单位明细（{p.totals.units} 个）见<Link to={`/rankings/${p.month}`}>{label}月度排行榜</Link>
              ：按类别分页，可按单位名称或代码查找；导出的表格含全部单位。
            </p>
          )}
        </section>
      ) : null}

      {p.state === "open" ? (
        <Form method="post" className="button-row">
          <input type="hidden" name="intent" value="close" />
          <button type="submit" disabled={busy || blocked}>
            确认结算{label}
          </button>
          <Link to="/months" className="button button--secondary">
            返回
          </Link>
        </Form>
      ) : (
        <p>
          <Link to="/months">← 返回月度结算</Link>
        </p>
      )}
    </>
  );
}
