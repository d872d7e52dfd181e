import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Link } from "~/components/link";
import { z } from "zod";
import { FormError, formStateOf, SubmitRow, TextField } from "~/components/form-kit";
import { text } from "~/domain/fields";
import { closedFlash, MONTH_STATE_NAMES } from "~/domain/month-closing";
import { formatShanghai, isMonth, monthLabel } from "~/domain/time";
import { redirectWithFlash } from "~/lib/flash.server";
import { badRequest, formValues, invalid, parseForm, readForm } from "~/lib/form.server";
import { requirePermission } from "~/lib/session.server";
import { closeEndedMonth, listMonthsForClosing } from "~/models/month-closing.server";
import { reopenMonth } from "~/models/month-close.server";
import pageStyles from "~/styles/rules-months.css";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: pageStyles }];

export const meta: MetaFunction = () => [{ title: "月度结算 - 教育信息报送平台" }];

// Built on use: a schema at module level would carry zod into the page's browser bundle.
const monthField = () => z.string({ error: "请选择月份" }).trim().refine(isMonth, "月份格式不正确，请刷新页面后重试");
const closeSchema = () => z.object({ month: monthField() });
const reopenSchema = () => z.object({ month: monthField(), reason: text("重新打开的理由", 200) });

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requirePermission(request, context, "month.close");
  return { months: await listMonthsForClosing(context.dbs.reader) };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requirePermission(request, context, "month.close");
  const form = await readForm(request);
  const intent = String(form.get("intent") ?? "");
  const actor = { id: user.id, username: user.username };

  if (intent === "close") {
    const parsed = parseForm(form, closeSchema());
    if (!parsed.ok) return invalid(parsed);
    const { month } = parsed.data;
    const result = await closeEndedMonth(context.dbs.db, { month, actor, ip: context.ip });
    if (!result.ok) {
      return data(
        { ok: false as const, formError: result.message, fieldErrors: {}, values: formValues(form), waiting: result.waiting ?? [] },
        { status: result.status },
      );
    }
    return redirectWithFlash("/months", closedFlash(month, result.changes.length));
  }
  if (intent === "reopen") {
    const parsed = parseForm(form, reopenSchema());
    if (!parsed.ok) return invalid(parsed);
    const { month, reason } = parsed.data;
    const result = await reopenMonth(context.dbs.db, { month, reason, actor, ip: context.ip });
    if (!result.ok) {
      const fieldErrors: Record<string, string> = result.status === 400 ? { reason: result.message } : {};
      return data(
        { ok: false as const, formError: result.status === 400 ? undefined : result.message, fieldErrors, values: formValues(form), waiting: [] },
        { status: result.status },
      );
    }
    return redirectWithFlash("/months", `已重新打开 ${monthLabel(month)}，核对后请再次结算`);
  }
  return badRequest("未知的操作，请刷新页面后重试。");
}

interface Failure {
  ok: false;
  formError?: string;
  fieldErrors: Record<string, string>;
  values: Record<string, string>;
  waiting?: Array<{ id: number; title: string; unit_name: string }>;
}

export default function MonthsPage() {
  const { months } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const failed = failure && !failure.ok ? (failure as Failure) : null;
  const failedMonth = failed?.values.month ?? "";
  const failedIntent = failed?.values.intent ?? "";
  const waiting = failed?.waiting ?? [];

  return (
    <>
      <div className="page-head">
        <h1>月度结算</h1>
      </div>
      <p className="muted small">
        结算会冻结该月各单位的采用数、积分和排名，之后稿件或规则的变动都不再影响该月。结算前该月报送的稿件须全部审核完毕。
        {"结算后如需更正，可以重新打开（须填写理由），再次结算时会列出与上次结算相比的变化。"}
      </p>

      {failed && (failedIntent === "close" || !failedMonth) ? (
        <section className="card card--alert" role="alert" aria-labelledby="refusal-title">
          <h2 id="refusal-title">{failedMonth && isMonth(failedMonth) ? `${monthLabel(failedMonth)}未能结算` : "操作未完成"}</h2>
          <p>{failed.formError ?? Object.values(failed.fieldErrors)[0]}</p>
          {waiting.length > 0 ? (
            <>
              <p className="small">请先审核以下稿件（采用、退回或不采用）：</p>
              <ul className="waiting-list">
                {waiting.map((w) => (
                  <li key={w.id}>
                    <Link to={`/review/${w.id}`}>{w.title}</Link> <span className="muted small">{w.unit_name}</span>
                  </li>
                ))}
              </ul>
            </>
          ) : null}
        </section>
      ) : null}

      <div className="table-wrap">
        <table className="data stack-on-phone months-table">
          <caption className="sr-only">各月结算状态</caption>
          <thead>
            <tr>
              <th scope="col">月份</th>
              <th scope="col">状态</th>
              <th scope="col" className="num">
                待审核
              </th>
              <th scope="col" className="num">
                采用
              </th>
              <th scope="col">规则版本</th>
              <th scope="col">操作</th>
            </tr>
          </thead>
          <tbody>
            {months.map((m) => {
              const label = monthLabel(m.month);
              const reopenFailed = failedIntent === "reopen" && failedMonth === m.month ? failed : null;
              return (
                <tr key={m.month} id={`m-${m.month}`} className={failedMonth === m.month ? "selected" : undefined}>
                  <td data-label="月份" className="cell-primary">
                    <Link to={`/rankings/${m.month}`} aria-label={`${label}排行榜`}>
                      {label}
                    </Link>
                    {m.current ? <span className="badge">本月</span> : null}
                  </td>
                  <td data-label="状态">
                    <span className="cell-stack">
                      {m.state === "closed" ? (
                        <>
                          <span className="badge badge--ok">{MONTH_STATE_NAMES.closed}</span>
                          <span className="small state-note">
                            {formatShanghai(m.closedAt!)} · {m.closedBy}
                          </span>
                        </>
                      ) : (
                        <>
                          <span className="badge badge--warn">{MONTH_STATE_NAMES.open}</span>
                          {m.reopenedAt ? (
                            <span className="small state-note">
                              {formatShanghai(m.reopenedAt)} 由 {m.reopenedBy} 重新打开：{m.reopenReason}
                            </span>
                          ) : null}
                        </>
                      )}
                    </span>
                  </td>
                  <td data-label="待审核" className="num">
                    {m.waiting > 0 ? (
                      <Link to={`/review?month=${m.month}`} className="tap-target" aria-label={`${label}待审核 ${m.waiting} 篇`}>
                        {m.waiting} 篇
                      </Link>
                    ) : (
                      "0 篇"
                    )}
                  </td>
                  <td data-label="采用" className="num">
                    {m.adopted} 篇
                  </td>
                  <td data-label="规则版本">
                    {m.state === "closed" ? (
                      <span className="small">
                        积分：{m.pointsVersion?.name ?? "—"}
                        <br />
                        任务数：{m.quotaVersion?.name ?? "—"}
                      </span>
                    ) : (
                      <span className="small muted">
                        结算时将按：
                        <br />
                        积分：{m.pointsVersion?.name ?? "—"}
                        <br />
                        任务数：{m.quotaVersion?.name ?? "—"}
                      </span>
                    )}
                  </td>
                  <td data-label="操作">
                    <div className="row-actions">
                      {m.state === "open" ? (
                        m.timingProblem ? (
                          <span className="muted small">月底后可结算</span>
                        ) : (
                          // Closing is confirmed on a page of its own that shows what it will freeze.
                          <Link to={`/months/${m.month}/close`} className="button button--small" aria-label={`结算${label}`}>
                            结算…
                          </Link>
                        )
                      ) : (
                        <details className="reopen" open={!!reopenFailed}>
                          <summary>重新打开</summary>
                          <Form method="post" className="stack" noValidate>
                            <input type="hidden" name="intent" value="reopen" />
                            <input type="hidden" name="month" value={m.month} />
                            <FormError error={reopenFailed?.formError} />
                            <TextField
                              form={formStateOf(reopenFailed, undefined, `${m.month}-`)} name="reason" label={`重新打开${label}的理由`}
                              maxLength={200} required placeholder="如：更正撤稿积分"
                            />
                            <SubmitRow label="确认重新打开" secondary small busy={busy} />
                          </Form>
                        </details>
                      )}
                      {m.closeCount > 0 ? (
                        <Link to={`/months/${m.month}`} className="small tap-target" aria-label={`${label}结算记录`}>
                          结算记录{m.closeCount > 1 ? `（${m.closeCount} 次）` : ""}
                        </Link>
                      ) : null}
                    </div>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </>
  );
}
