// /notices/:id: a monthly notice. Published ones are public and printable; drafts are the
// reviewers' (everyone else gets 404), who edit the text, adjust the lists and publish here.
import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Link } from "~/components/link";
import type { EditorFailure } from "~/components/notice-editor";
import { NoticeSheet } from "~/components/notice-sheet";
import { periodName } from "~/domain/notices";
import { can, roleNeedsUnit } from "~/domain/permissions";
import { readForm } from "~/lib/form.server";
import { editNotice } from "~/lib/notice-actions.server";
import { getUser, notFound, requirePermission } from "~/lib/session.server";
import { openAppeals as openAppealsOf } from "~/models/appeals.server";
import { getNotice, noticeListsHref } from "~/models/notices.server";
import { cachedMarkup } from "~/lib/markup-cache.server";
import noticeStyles from "~/styles/notices.css";
import { parseId } from "~/domain/fields";
import { noticeShown } from "~/domain/notice-pages";

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
  const manage = can(user?.role, "notice.manage");
  const openAppeals = manage && notice.status === "draft" ? await openAppealsOf(context.dbs.reader, notice.period) : [];
  // A province's notice: its tables' first rows and the viewer's own (noticeShown).
  const { doc, annexTotals } = noticeShown(notice.doc, unitId);
  return {
    notice: { ...notice, doc, annexTotals, openAppeals, listsHref: noticeListsHref(notice) },
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

/** On the server, the notice's document comes from markup kept by what it shows (not in the browser's bundle). */
const documentMarkup = typeof document === "undefined" ? cachedMarkup : undefined;

export default function NoticePage() {
  const { notice, manage, own, signerName } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>() as EditorFailure | undefined;
  const busy = useNavigation().state === "submitting";
  const draft = notice.status === "draft";
  return (
    <>
      <p className="breadcrumb">
        <Link to="/notices">通报</Link> › {periodName(notice.kind, notice.period)}
      </p>
      <NoticeSheet
        notice={notice} manage={manage} own={own} signerName={signerName} failure={failure ?? null} busy={busy}
        documentMarkup={documentMarkup}
        downloads={
          <div className="button-row">
            {draft ? null : (
              <a className="button button--small" href={`/notices/${notice.id}.docx`} download>
                下载 Word
              </a>
            )}
            {manage ? (
              <a className="button button--small button--secondary" href={notice.listsHref} download>
                下载名单（Excel）
              </a>
            ) : null}
            {draft ? null : <span className="muted small bulletin-print-hint">打印：使用浏览器的“打印”，页面已按公文排版</span>}
          </div>
        }
      />
    </>
  );
}
