// /notices: every published notice and year-end summary (public); for reviewers also the drafts
// and the closed months and ended years that still need one.
import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Link } from "~/components/link";
import { draftMonthSchema } from "~/domain/notice-forms";
import { NOTICE_KIND_NAMES } from "~/domain/notices";
import { can } from "~/domain/permissions";
import { formatShanghai, monthLabel } from "~/domain/time";
import { bureauNamesIn, useBureauNames } from "~/lib/bureau-names";
import { redirectWithFlash } from "~/lib/flash.server";
import { badRequest, readForm, parseForm } from "~/lib/form.server";
import { noticeFailure, refusal, type NoticeActionFailure } from "~/lib/notice-actions.server";
import { getUser, requirePermission } from "~/lib/session.server";
import { draftMonthlyNotice, listNotices } from "~/models/notices.server";
import noticeStyles from "~/styles/notices.css";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: noticeStyles }];

export const meta: MetaFunction = ({ matches }) => [
  { title: "通报 - 教育信息报送平台" },
  { name: "description", content: `${bureauNamesIn(matches).office}每月信息报送情况通报和年度汇总。` },
];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await getUser(request, context);
  const viewer = { role: user?.role ?? null, unitId: user?.unitId ?? null };
  const index = await listNotices(context.dbs.reader, viewer);
  return { ...index, manage: can(viewer.role, "notice.manage") };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requirePermission(request, context, "notice.manage");
  const form = await readForm(request);
  const intent = String(form.get("intent") ?? "");
  if (intent !== "draft") return badRequest("未知的操作，请刷新页面后重试。");
  const parsed = parseForm(form, draftMonthSchema());
  if (!parsed.ok) return noticeFailure(intent, form, parsed, 400);
  const result = await draftMonthlyNotice(context.dbs.db, {
    month: parsed.data.month, actor: { id: user.id, username: user.username, displayName: user.displayName }, ip: context.ip,
  });
  if (!result.ok) return refusal(intent, form, result);
  return redirectWithFlash(`/notices/${result.id}`, `已起草${monthLabel(parsed.data.month)}通报，请修改文字、填写文号后签发`);
}

export default function NoticesIndex() {
  const { published, drafts, draftable, manage } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>() as NoticeActionFailure | undefined;
  const busy = useNavigation().state === "submitting";
  const names = useBureauNames();
  const yearOf = (n: { publishedAt: string | null; updatedAt: string }) => formatShanghai(n.publishedAt ?? n.updatedAt).slice(0, 4);
  const years = [...new Set(published.map(yearOf))];

  return (
    <>
      <div className="page-head">
        <h1>通报</h1>
        <span className="muted">每月信息报送情况通报和年度汇总，由{names.office}签发</span>
      </div>

      {failure && !failure.ok ? (
        <section className="card card--alert" role="alert" aria-labelledby="draft-refused">
          <h2 id="draft-refused">未能起草</h2>
          <p>{failure.formError ?? Object.values(failure.fieldErrors)[0]}</p>
          {failure.existingId ? (
            <p>
              <Link to={`/notices/${failure.existingId}`}>打开已有的通报 →</Link>
            </p>
          ) : null}
        </section>
      ) : null}

      {manage && draftable ? (
        <section className="card" aria-labelledby="to-draft">
          <h2 id="to-draft">待起草</h2>
          {draftable.months.length === 0 && draftable.years.length === 0 ? (
            <p className="muted small">所有已结算月份都已有通报。月份结算后可在这里起草该月通报。</p>
          ) : (
            <ul className="bulletin-todo">
              {draftable.months.map((m) => (
                <li key={m.month}>
                  <span>
                    <strong>{monthLabel(m.month)}</strong>
                    <span className="muted small"> 已于 {formatShanghai(m.closedAt)} 结算</span>
                  </span>
                  <Form method="post">
                    <input type="hidden" name="intent" value="draft" />
                    <input type="hidden" name="month" value={m.month} />
                    <button type="submit" className="button--small" disabled={busy} aria-label={`起草${monthLabel(m.month)}通报`}>
                      起草通报
                    </button>
                  </Form>
                </li>
              ))}
              {draftable.years.map((y) => (
                <li key={y.year}>
                  <span>
                    <strong>{y.year}年度汇总</strong>
                    {y.problem ? <span className="muted small"> {y.problem}</span> : null}
                  </span>
                  <Link className="button button--small button--secondary" to={`/summary/${y.year}`}>
                    {y.problem ? "查看" : "预览并起草"}
                  </Link>
                </li>
              ))}
            </ul>
          )}
        </section>
      ) : null}

      {manage && drafts.length > 0 ? (
        <section aria-labelledby="drafts">
          <h2 id="drafts">草稿</h2>
          <ul className="bulletin-list">
            {drafts.map((n) => (
              <li key={n.id} className="bulletin-card">
                <p className="bulletin-card__title">
                  <Link to={n.href}>{n.title}</Link>
                </p>
                <p className="bulletin-card__meta">
                  <span className="badge badge--warn">草稿</span>
                  <span>{NOTICE_KIND_NAMES[n.kind]}</span>
                  <span>文号：{n.docNumber || "未填写"}</span>
                  <span>修改于 {formatShanghai(n.updatedAt)}</span>
                </p>
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      <section aria-labelledby="published">
        <h2 id="published">已签发</h2>
        {published.length === 0 ? (
          <p className="card muted">还没有签发的通报。</p>
        ) : (
          years.map((year) => (
            <section key={year} aria-label={`${year}年签发`}>
              <h3 className="bulletin-year">{year}年</h3>
              <ul className="bulletin-list">
                {published
                  .filter((n) => yearOf(n) === year)
                  .map((n) => (
                    <li key={n.id} className="bulletin-card">
                      <p className="bulletin-card__title">
                        <Link to={n.href}>{n.title}</Link>
                      </p>
                      <p className="bulletin-card__meta">
                        <span className="badge badge--ok">{NOTICE_KIND_NAMES[n.kind]}</span>
                        <span>{n.docNumber}</span>
                        <span>
                          签发：<time dateTime={n.publishedAt!}>{formatShanghai(n.publishedAt!).slice(0, 10)}</time>
                        </span>
                        <a className="tap-target" href={`/notices/${n.id}.docx`} download aria-label={`下载 Word：${n.title}`}>
                          下载 Word
                        </a>
                      </p>
                    </li>
                  ))}
              </ul>
            </section>
          ))
        )}
      </section>
    </>
  );
}
