// 签发, confirmed on a page of its own: the 文号, the lists that will be frozen and published,
// and who signs; or why it cannot be signed yet. The POST here publishes; a plain form, no
// JavaScript needed. The notice's own page still takes a direct 签发 as before.
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Link } from "~/components/link";
import { FormError, formStateOf, TextField } from "~/components/form-kit";
import { OpenAppeals } from "~/components/notice-editor";
import { ConfirmPublishButtons, FrozenOnPublish, PublishProblem } from "~/components/publish-confirm";
import { parseId } from "~/domain/fields";
import { periodName, publishDocNumberProblem } from "~/domain/notice-document";
import { NOTICE_LIMITS, NOTICE_LIST_NAMES } from "~/domain/notices";
import { LIST_ENTRIES_SHOWN, noticeShown } from "~/domain/notice-pages";
import type { Role } from "~/domain/permissions";
import { REASON_MAX } from "~/domain/review";
import { formatShanghai } from "~/domain/time";
import { readForm } from "~/lib/form.server";
import { publishFromForm } from "~/lib/notice-actions.server";
import { notFound, requirePermission } from "~/lib/session.server";
import { openAppeals as openAppealsOf } from "~/models/appeals.server";
import { getNotice, noticeHref, noticeListsHref } from "~/models/notices.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `签发${data ? periodName(data.kind, data.period) : ""}通报 - 教育信息报送平台` },
];

const MISSING = "没有这份通报。";

function idOf(params: { id?: string }): number {
  return parseId(params.id) ?? notFound(MISSING);
}

async function noticeFor(context: LoaderFunctionArgs["context"], id: number, user: { role: Role }) {
  const notice = await getNotice(context.dbs.reader, id, { role: user.role, unitId: null });
  if (!notice) notFound(MISSING);
  return notice;
}

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, context, "notice.manage");
  const notice = await noticeFor(context, idOf(params), user);
  // A province's long lists: each kind's first entries and the list's size (noticeShown).
  const { doc } = noticeShown(notice.doc, null);
  const { header, body } = doc;
  // The signer typed on the notice's page comes along in the address; else the reviewer's name.
  const query = new URL(request.url).searchParams;
  const typed = (query.get("signer_name") ?? "").trim().slice(0, NOTICE_LIMITS.signer);
  // So is the reason for not waiting for open appeals, if one was given there.
  const override = (query.get("appeals_override") ?? "").slice(0, REASON_MAX);
  return {
    id: notice.id,
    kind: notice.kind,
    period: notice.period,
    status: notice.status,
    href: noticeHref(notice),
    // Every entry of the lists, to check before 签发.
    listsHref: noticeListsHref(notice),
    title: header.title,
    docNumber: header.docNumber,
    publishedAt: header.publishedAt,
    publishedSigner: header.signerName,
    commended: body.commended.map((e) => ({ unitId: e.unitId, name: e.name, kindName: e.kindName })),
    criticised: body.criticised.map((e) => ({ unitId: e.unitId, name: e.name, kindName: e.kindName, reasons: e.reasons })),
    listTotals: { commended: doc.listsCut?.commended?.total ?? null, criticised: doc.listsCut?.criticised?.total ?? null },
    // Why 签发 would be refused as the draft stands: its 文号 first, then the lists' own problem.
    problem: notice.status === "draft" ? (publishDocNumberProblem(header.docNumber) ?? notice.problem) : null,
    signerName: typed || user.displayName,
    openAppeals: notice.status === "draft" ? await openAppealsOf(context.dbs.reader, notice.period) : [],
    appealsOverride: override,
  };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const user = await requirePermission(request, context, "notice.manage");
  const notice = await noticeFor(context, idOf(params), user);
  const form = await readForm(request);
  if (String(form.get("intent") ?? "") !== "publish") {
    return data({ ok: false as const, intent: "publish", formError: "未知的操作，请刷新页面后重试。", fieldErrors: {}, values: {} }, { status: 400 });
  }
  return publishFromForm(context.dbs.db, { form, noticeId: notice.id, user, ip: context.ip, back: noticeHref(notice) });
}

export default function ConfirmPublish() {
  const n = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const form = formStateOf(failure, "publish");
  const name = `${periodName(n.kind, n.period)}通报`;

  return (
    <>
      <p className="breadcrumb">
        <Link to="/notices">通报</Link> › <Link to={n.href}>{periodName(n.kind, n.period)}</Link> › 签发
      </p>
      <div className="page-head">
        <h1>签发{name}</h1>
      </div>

      {n.status === "published" ? (
        <section className="card">
          <p>
            本期通报已于 {n.publishedAt ? formatShanghai(n.publishedAt) : "—"} 签发（签发人：{n.publishedSigner ?? "—"}）。
            <Link to={n.href}>查看通报</Link>
          </p>
        </section>
      ) : (
        <>
          <PublishProblem problem={n.problem} draftHref={n.href} className="bulletin-publish" />

          <FrozenOnPublish note="签发后通报立即公开，内容和 Word 文件冻结，此后稿件或规则变动都不再影响本期通报。">
              <dt>标题</dt>
              <dd>{n.title}</dd>
              <dt>文号</dt>
              <dd className="confirm-doc-number">{n.docNumber || "（尚未填写）"}</dd>
              <dt>{NOTICE_LIST_NAMES.commended}名单</dt>
              <dd>
                {n.commended.length === 0 ? "（无）" : (
                  <ul className="confirm-list" aria-label={`${NOTICE_LIST_NAMES.commended}名单`}>
                    {n.commended.map((e) => (
                      <li key={e.unitId}>
                        {e.name} <span className="muted small">{e.kindName}</span>
                      </li>
                    ))}
                  </ul>
                )}
                <ListCutNote total={n.listTotals.commended} href={n.listsHref} />
              </dd>
              <dt>{NOTICE_LIST_NAMES.criticised}名单</dt>
              <dd>
                {n.criticised.length === 0 ? "（无）" : (
                  <ul className="confirm-list" aria-label={`${NOTICE_LIST_NAMES.criticised}名单`}>
                    {n.criticised.map((e) => (
                      <li key={e.unitId}>
                        {e.name} <span className="muted small">{e.reasons.join("；")}</span>
                      </li>
                    ))}
                  </ul>
                )}
                <ListCutNote total={n.listTotals.criticised} href={n.listsHref} />
              </dd>
          </FrozenOnPublish>

          <Form method="post" className="card stack" aria-label="确认签发" noValidate>
            <input type="hidden" name="intent" value="publish" />
            <FormError error={form.formError} />
            <TextField form={form} name="signer_name" label="签发人" required maxLength={NOTICE_LIMITS.signer} defaultValue={n.signerName} />
            <OpenAppeals appeals={n.openAppeals} form={form} reason={n.appealsOverride} />
            <ConfirmPublishButtons disabled={busy || n.problem !== null} backHref={n.href} />
          </Form>
        </>
      )}
    </>
  );
}

/** Under a province's long list: its size, and that only each kind's first entries are listed here. */
function ListCutNote({ total, href }: { total: number | null; href: string }) {
  if (total === null) return null;
  return (
    <p className="muted small">
      名单共 {total} 个单位，这里列出每类前 {LIST_ENTRIES_SHOWN} 个；全部单位可<a href={href} download>下载 Excel</a>逐个核对，签发后的 Word 文件也载有全部单位。
    </p>
  );
}
