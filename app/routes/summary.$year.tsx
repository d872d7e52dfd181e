// /summary/:year: the year-end summary (年度汇总). Published: public, with its Word document and
// Excel table. Reviewers preview it before drafting, then draft, edit, adjust and publish it here
// as they do a monthly notice; until it is published everyone else gets 404.
import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Link } from "~/components/link";
import type { EditorFailure } from "~/components/notice-editor";
import { KeptBulletinDocument, NoticeSheet } from "~/components/notice-sheet";
import { can, roleNeedsUnit } from "~/domain/permissions";
import { redirectWithFlash } from "~/lib/flash.server";
import { readForm } from "~/lib/form.server";
import { editNotice, refusal } from "~/lib/notice-actions.server";
import { getUser, notFound, requirePermission } from "~/lib/session.server";
import { cachedMarkup } from "~/lib/markup-cache.server";
import { annualSummaryPage, draftAnnualSummary, noticeIdFor } from "~/models/notices.server";
import noticeStyles from "~/styles/notices.css";
import { noticeShown } from "~/domain/notice-pages";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: noticeStyles }];

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.year}年度信息报送汇总 - 通报 - 教育信息报送平台` : "年度汇总不存在 - 教育信息报送平台" },
];

const MISSING = "该年度汇总尚未签发。";

function yearOf(value: string | undefined): string {
  if (!value || !/^\d{4}$/.test(value) || value < "2000" || value > "2999") notFound(MISSING);
  return value;
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const year = yearOf(params.year);
  const user = await getUser(request, context);
  const unitId = user && roleNeedsUnit(user.role) ? user.unitId : null;
  const page = await annualSummaryPage(context.dbs.reader, year, { role: user?.role ?? null, unitId });
  if (!page) notFound(MISSING);
  // A province's summary: its tables' first rows and the viewer's own (noticeShown).
  const { doc, annexTotals } = noticeShown(page.state === "preview" ? page.doc : page.notice.doc, unitId);
  return {
    year,
    page: page.state === "preview" ? { ...page, doc, annexTotals } : { ...page, notice: { ...page.notice, doc, annexTotals } },
    manage: can(user?.role, "notice.manage"),
    own: unitId !== null ? { unitId, unitName: user!.unitName ?? "" } : null,
    signerName: user?.displayName ?? "",
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requirePermission(request, context, "notice.manage");
  const year = yearOf(params.year);
  const form = await readForm(request);
  const back = `/summary/${year}`;
  if (form.get("intent") === "draft") {
    const result = await draftAnnualSummary(context.dbs.db, {
      year, actor: { id: user.id, username: user.username, displayName: user.displayName }, ip: context.ip,
    });
    if (!result.ok) return refusal("draft", form, result);
    return redirectWithFlash(back, `已起草${year}年度汇总，请修改文字、填写文号后签发`);
  }
  const id = await noticeIdFor(context.dbs.db, "annual", year);
  if (id === null) notFound("该年度汇总还没有起草。");
  return editNotice(context.dbs.db, { form, noticeId: id, user, ip: context.ip, back });
}

/**
 * On the server, the summary's document comes from markup kept by what it shows: a county's
 * twelve months of every unit are some 200 KB of HTML, alike for everyone but the unit it marks.
 */
const documentMarkup = typeof document === "undefined" ? cachedMarkup : undefined;

export default function SummaryPage() {
  const { year, page, manage, own, signerName } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>() as (EditorFailure & { ok: false }) | undefined;
  const busy = useNavigation().state === "submitting";
  const failed = failure && !failure.ok ? failure : null;

  if (page.state === "preview") {
    return (
      <>
        <p className="breadcrumb">
          <Link to="/notices">通报</Link> › {year}年度汇总
        </p>
        <section className="card card--alert" aria-labelledby="preview-title">
          <h2 id="preview-title">{year}年度汇总尚未起草</h2>
          <p>以下是按当前结算数据生成的预览{page.problem ? "" : "，起草后可修改文字、调整名单并签发"}。</p>
          {page.problem ? <p className="form-error">{page.problem}</p> : null}
          {failed?.formError ? <p className="form-error" role="alert">{failed.formError}</p> : null}
          <div className="button-row">
            {page.problem ? null : (
              <Form method="post">
                <input type="hidden" name="intent" value="draft" />
                <button type="submit" disabled={busy}>
                  起草{year}年度汇总
                </button>
              </Form>
            )}
            <a className="button button--secondary button--small" href={`/summary/${year}.xlsx`} download>
              下载汇总表预览（Excel）
            </a>
          </div>
        </section>
        <KeptBulletinDocument doc={page.doc} ownUnitId={null} annexTotals={page.annexTotals} keep={documentMarkup} />
      </>
    );
  }

  const { notice } = page;
  const draft = notice.status === "draft";
  return (
    <>
      <p className="breadcrumb">
        <Link to="/notices">通报</Link> › {year}年度汇总
      </p>
      <NoticeSheet
        notice={notice} manage={manage} own={own} signerName={signerName} failure={failed} busy={busy}
        documentMarkup={documentMarkup}
        downloads={
          <div className="button-row">
            {draft ? null : (
              <a className="button button--small" href={`/summary/${year}.docx`} download>
                下载 Word
              </a>
            )}
            <a className="button button--secondary button--small" href={`/summary/${year}.xlsx`} download>
              下载汇总表（Excel）
            </a>
          </div>
        }
      />
    </>
  );
}
