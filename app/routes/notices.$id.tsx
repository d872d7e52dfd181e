// /notices/:id: a monthly notice. Published ones are public and printable; drafts are the
// reviewers' (everyone else gets 404), who edit the text, adjust the lists and publish here.
import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { AdjustmentLog, BulletinDocument, BulletinEditor, OwnStanding, type EditorFailure } from "~/components/notice-view";
import { NOTICE_STATUS_NAMES, periodName } from "~/domain/notices";
import { can, roleNeedsUnit } from "~/domain/permissions";
import { formatShanghai } from "~/domain/time";
import { readForm } from "~/lib/form.server";
import { editNotice } from "~/lib/notice-actions.server";
import { getUser, notFound, requirePermission } from "~/lib/session.server";
import { getNotice } from "~/models/notices.server";
import noticeStyles from "~/styles/notices.css";
import { parseId } from "~/domain/fields";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: noticeStyles }];

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.notice.doc.header.title} - 通报 - 教育信息报送平台` : "通报不存在 - 教育信息报送平台" },
];

const MISSING = "没有这期通报，或它尚未签发。";

function idOf(value: string | undefined): number {
  return parseId(value) ?? notFound(MISSING);
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const id = idOf(params.id);
  const user = await getUser(request, context);
  const unitId = user && roleNeedsUnit(user.role) ? user.unitId : null;
  const notice = await getNotice(context.dbs.reader, id, { role: user?.role ?? null, unitId });
  if (!notice) notFound(MISSING);
  if (notice.kind === "annual") throw redirect(`/summary/${notice.period}`);
  return {
    notice,
    manage: can(user?.role, "notice.manage"),
    own: unitId !== null ? { unitId, unitName: user!.unitName ?? "" } : null,
    signerName: user?.displayName ?? "",
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requirePermission(request, context, "notice.manage");
  const id = idOf(params.id);
  const form = await readForm(request);
  return editNotice(context.dbs.db, { form, noticeId: id, user, ip: context.ip, back: `/notices/${id}` });
}

export default function NoticePage() {
  const { notice, manage, own, signerName } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>() as (EditorFailure & { ok: false }) | undefined;
  const busy = useNavigation().state === "submitting";
  const { doc } = notice;
  const draft = notice.status === "draft";
  return (
    <>
      <p className="breadcrumb">
        <Link to="/notices">通报</Link> › {periodName(notice.kind, notice.period)}
      </p>
      <div className="bulletin-head">
        <p className="bulletin-head__meta">
          <span className={`badge ${draft ? "badge--warn" : "badge--ok"}`}>{NOTICE_STATUS_NAMES[notice.status]}</span>
          {draft ? (
            <span>
              {notice.createdBy} 起草于 {formatShanghai(notice.createdAt)}，最后修改 {formatShanghai(notice.updatedAt)}
            </span>
          ) : (
            <span>
              {doc.header.docNumber} · 签发人：{doc.header.signerName} · 签发时间：
              <time dateTime={doc.header.publishedAt!}>{formatShanghai(doc.header.publishedAt!)}</time>
            </span>
          )}
        </p>
        {draft ? null : (
          <div className="button-row">
            <a className="button button--small" href={`/notices/${notice.id}.docx`} download>
              下载 Word
            </a>
            <span className="muted small bulletin-print-hint">打印：使用浏览器的“打印”，页面已按公文排版</span>
          </div>
        )}
      </div>
      {draft && manage ? (
        <nav className="bulletin-jump" aria-label="草稿操作">
          <a href="#edit-title">编辑文字和文号</a>
          <a href="#lists-title">调整表扬和批评名单</a>
          <a href="#publish-title">签发</a>
        </nav>
      ) : null}
      {draft && notice.problem ? (
        <p className="card card--alert" role="status">
          {notice.problem}
        </p>
      ) : null}
      {own ? <OwnStanding body={doc.body} unitId={own.unitId} unitName={own.unitName} /> : null}
      <div className={manage ? "bulletin-layout" : undefined}>
        <div className="bulletin-main">
          <BulletinDocument doc={doc} ownUnitId={own?.unitId ?? null} />
        </div>
        {manage ? (
          <aside className="bulletin-aside" aria-label="审核员操作">
            {draft ? (
              <BulletinEditor
                key={notice.updatedAt}
                doc={doc} problem={notice.problem} suggestedDocNumber={notice.suggestedDocNumber} signerName={signerName}
                failure={failure && !failure.ok ? failure : null} busy={busy}
              />
            ) : null}
            <AdjustmentLog entries={notice.adjustments} />
          </aside>
        ) : null}
      </div>
    </>
  );
}
