import { itemPageAccess } from "~/domain/item-page";
import { refusal } from "~/domain/refusal";
import { actorOf, refused } from "~/lib/action-data.server";
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Link } from "~/components/link";
import { CheckboxField, FormError, formStateOf, SubmitRow, TextAreaField } from "~/components/form-kit";
import { CONFIDENTIAL_LABEL } from "~/components/item-form";
import { ItemBody, ItemFacts, ItemHistory, PhotoGrid, PickupList, PointsReceipt } from "~/components/item-view";
import { ItemStatusBadges, StatusBadge } from "~/components/status-badge";
import { AppealsCard } from "~/components/appeal-forms";
import { appealSchema } from "~/domain/appeals";
import { appealOptions, appealsOfItem, fileAppeal } from "~/models/appeals.server";
import { correctionsOfItem } from "~/models/corrections.server";
import { GRADES, nameOf } from "~/domain/catalog";
import { distinctWords } from "~/domain/sensitive-words";
import { formatShanghai, monthLabel } from "~/domain/time";
import { availableActions } from "~/domain/workflow";
import { redirectWithFlash } from "~/lib/flash.server";
import { invalid, parseForm, readForm } from "~/lib/form.server";
import { submittedMessage } from "~/lib/item-form.server";
import { forbidden, notFound, requireUser } from "~/lib/session.server";
import { deleteDraft } from "~/models/item-drafts.server";
import { getItemDetail } from "~/models/item-detail.server";
import { transitionItem } from "~/models/item-workflow.server";
import { parseId } from "~/domain/fields";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.item.title ?? "稿件"} - 教育信息报送平台` }];

function itemId(params: { id?: string }): number {
  return parseId(params.id) ?? notFound("稿件不存在或已被删除。");
}

/** The actions this page offers; the bureau's own decisions are made on the review page. */
const PAGE_ACTIONS = ["submit", "sign_off", "send_back", "recall"] as const;
type PageAction = (typeof PAGE_ACTIONS)[number];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const id = itemId(params);
  const actor = { role: user.role, unitId: user.unitId };
  const detail = await getItemDetail(context.dbs.reader, actor, id);
  if (!detail.found) notFound("稿件不存在或已被删除。");
  if (!detail.allowed) forbidden("您没有权限查看这篇稿件。");
  const { item, bylines, photos, history, pickups, instructions, hits, points } = detail;
  const access = itemPageAccess(actor, { unitId: item.unit_id, status: item.status, reportMonth: item.report_month });
  // Another school's adopted item: the public news page, without the review record.
  if (!access.showsReviewRecord) throw redirect(`/news/${id}`);
  const facts = { status: item.status, unitId: item.unit_id };
  const actions = availableActions(actor, facts, item.signoff_required === 1).filter((a): a is PageAction =>
    (PAGE_ACTIONS as readonly string[]).includes(a),
  );
  const [appealChoice, appeals, corrections] = await Promise.all([
    appealOptions(context.dbs.reader, actor, id),
    appealsOfItem(context.dbs.reader, id),
    correctionsOfItem(context.dbs.reader, id),
  ]);
  return {
    appealChoice, appeals, corrections,
    item, bylines, photos, history, pickups, instructions,
    hits: access.showsWordHits ? hits : null,
    points: access.showsPoints ? points : null,
    actions,
    canEdit: access.canEdit,
    canDelete: access.canDelete,
    ownUnit: access.ownUnit,
    isReviewer: user.role === "reviewer",
  };
}

const FLASH: Record<"sign_off" | "send_back" | "recall", string> = {
  sign_off: "已签发，稿件已报送教体局",
  send_back: "已退回信息员修改",
  recall: "已撤回，稿件回到草稿，可修改后重新报送",
};

export async function action({ request, context, params }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const id = itemId(params);
  const form = await readForm(request);
  const intent = String(form.get("intent") ?? "");
  if (intent === "appeal") {
    const parsed = parseForm(form, appealSchema());
    if (!parsed.ok) return invalid({ ...parsed, intent });
    const result = await fileAppeal(context.dbs.db, {
      actor: actorOf(user, context), itemId: id, ...parsed.data,
    });
    if (!result.ok) return refused(result, { intent, values: parsed.data });
    return redirectWithFlash(`/items/${id}#appeals`, "申诉已提交，审核员答复后会通知您");
  }
  const versionText = String(form.get("version") ?? "");
  const version = parseId(versionText) ?? undefined;
  if (!["submit", "sign_off", "send_back", "recall", "delete"].includes(intent)) return refused(refusal(400, "未知的操作，请刷新页面后重试。"), { intent });
  if (version === undefined) return refused(refusal(400, "页面已过期，请刷新后重试。"), { intent });

  if (intent === "delete") {
    const result = await deleteDraft(context.dbs.db, user, id, version, { ip: context.ip });
    if (!result.ok) return refused(result, { intent });
    return redirectWithFlash("/items", `草稿《${result.title}》已删除`);
  }

  const reason = String(form.get("reason") ?? "");
  const confidential = ["1", "on", "true"].includes(String(form.get("confidential_checked") ?? ""));
  const result = await transitionItem(context.dbs.db, {
    itemId: id, action: intent as PageAction, actor: user, expectedVersion: version, reason, confidentialChecked: confidential, ip: context.ip,
  });
  if (!result.ok) return refused(result, { intent, values: { reason }, shows: ["confidential_checked", "reason"] });
  return redirectWithFlash(`/items/${id}`, intent === "submit" ? submittedMessage(result.to) : FLASH[intent as "sign_off" | "send_back" | "recall"]);
}

const REASON_TITLE: Partial<Record<string, string>> = { draft: "退回理由", rejected: "不采用理由", withdrawn: "撤稿理由" };

export default function ItemPage() {
  const data = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const { item, bylines, photos, history, pickups, instructions, hits, actions, points } = data;
  const reasonTitle = item.last_reason ? REASON_TITLE[item.status] : undefined;
  const allHits = hits ? [...hits.title, ...hits.body, ...Object.values(hits.captions).flat()] : [];
  const blockWords = distinctWords(allHits, "block");
  const warnWords = distinctWords(allHits, "warn");
  const hasActions = actions.length > 0 || data.canEdit || data.canDelete;

  return (
    <>
      <p className="back-link small">
        <Link to={data.ownUnit ? "/items" : data.isReviewer ? "/review" : "/"}>{data.ownUnit ? "← 本单位稿件" : data.isReviewer ? "← 审核队列" : "← 首页"}</Link>
      </p>
      <div className="item-flags">
        <ItemStatusBadges item={item} />
        {item.late ? <span className="badge badge--err">迟报</span> : null}
        {item.grade ? <span className="badge badge--ok">等次：{nameOf(GRADES, item.grade)}</span> : null}
        {item.points_revoked ? <span className="badge badge--err">积分已取消</span> : null}
      </div>
      <h1 className="item-title">{item.title}</h1>

      {reasonTitle ? (
        <section className="reason-box" aria-labelledby="reason-title">
          <h2 id="reason-title">{reasonTitle}</h2>
          <p>{item.last_reason}</p>
        </section>
      ) : null}

      {data.isReviewer ? (
        <p className="card small">
          您是审核员：<Link to={`/review/${item.id}`}>到审核页面处理这篇稿件 →</Link>
        </p>
      ) : null}

      <div className="item-layout">
        <article className="card item-article">
          {blockWords.length > 0 || warnWords.length > 0 ? (
            <div className="word-alert" role="note" aria-label="错敏词提示">
              {blockWords.length > 0 ? <p><strong>禁用词：</strong>{blockWords.join("、")}（须修改后才能报送）</p> : null}
              {warnWords.length > 0 ? <p><strong>提示词：</strong>{warnWords.join("、")}（请核实用法）</p> : null}
            </div>
          ) : null}
          <ItemBody body={item.body} hits={hits?.body} />
          <PhotoGrid photos={photos} hits={hits?.captions} />
        </article>

        <aside className="item-aside">
          {hasActions ? (
            <section className="card item-actions" aria-labelledby="actions-title">
              <h2 id="actions-title">操作</h2>
              {/* A refusal about one field is shown at that field; anything else above the forms. */}
              <FormError error={failure && !inlineError(failure) ? failure.formError : undefined} />
              {actions.includes("submit") ? <SubmitForm version={item.version} failure={failure} /> : null}
              {actions.includes("sign_off") ? <SignOffForms version={item.version} failure={failure} /> : null}
              {actions.includes("recall") ? <RecallForm version={item.version} /> : null}
              {data.canEdit || data.canDelete ? (
                <div className="button-row">
                  {data.canEdit ? (
                    <Link className="button button--secondary" to={`/items/${item.id}/edit`}>
                      编辑
                    </Link>
                  ) : null}
                  {data.canDelete ? <DeleteForm version={item.version} /> : null}
                </div>
              ) : null}
            </section>
          ) : null}

          <section className="card" aria-labelledby="meta-title">
            <h2 id="meta-title">稿件信息</h2>
            <dl className="meta-list">
              <dt>单位</dt>
              <dd>{item.unit_name}</dd>
              <dt>状态</dt>
              <dd>
                <StatusBadge status={item.status} />
                {item.late ? <> <span className="badge badge--err">迟报</span></> : null}
              </dd>
              <ItemFacts item={item} />
              <dt>报送月份</dt>
              <dd>{item.report_month ? monthLabel(item.report_month) : "尚未报送教体局"}</dd>
              <dt>等次</dt>
              <dd>{item.grade ? nameOf(GRADES, item.grade) : "—"}</dd>
              <dt>署名</dt>
              <dd>{bylines.map((b) => b.display_name).join("、") || "—"}</dd>
              <dt>撰稿</dt>
              <dd>{item.author_name}</dd>
              <dt>图片</dt>
              <dd>{photos.length} 张</dd>
              <dt>更新</dt>
              <dd>{formatShanghai(item.updated_at)}</dd>
            </dl>
          </section>

          {points && (item.status === "adopted" || item.status === "withdrawn") ? (
            <section className="card" aria-labelledby="points-title">
              <h2 id="points-title">积分明细</h2>
              <PointsReceipt points={points} />
            </section>
          ) : null}

          <section className="card" aria-labelledby="history-title">
            <h2 id="history-title">流转记录</h2>
            <ItemHistory history={history} />
          </section>

          <AppealsCard
            form={formStateOf(failure, "appeal", "appeal-")} options={data.appealChoice} appeals={data.appeals} corrections={data.corrections}
          />

          {pickups.length > 0 || instructions.length > 0 ? (
            <section className="card" aria-labelledby="pickups-title">
              <h2 id="pickups-title">上稿与批示</h2>
              <PickupList pickups={pickups} instructions={instructions} />
            </section>
          ) : null}
        </aside>
      </div>
    </>
  );
}

type Failure = ReturnType<typeof useActionData<typeof action>>;

function inlineError(failure: NonNullable<Failure>): boolean {
  return (
    (failure.intent === "submit" && !!failure.fieldErrors.confidential_checked) ||
    (failure.intent === "send_back" && !!failure.fieldErrors.reason)
  );
}

function useBusy() {
  return useNavigation().state === "submitting";
}

function SubmitForm({ version, failure }: { version: number; failure: Failure }) {
  const busy = useBusy();
  const form = formStateOf(failure, "submit");
  return (
    <Form method="post" className="stack action-form" noValidate>
      <input type="hidden" name="intent" value="submit" />
      <input type="hidden" name="version" value={version} />
      <CheckboxField form={form} name="confidential_checked" label={CONFIDENTIAL_LABEL} labelClassName="check-option confidential" />
      <SubmitRow label="报送" busy={busy} />
    </Form>
  );
}

function SignOffForms({ version, failure }: { version: number; failure: Failure }) {
  const busy = useBusy();
  const form = formStateOf(failure, "send_back");
  return (
    <>
      <Form method="post" className="action-form">
        <input type="hidden" name="intent" value="sign_off" />
        <input type="hidden" name="version" value={version} />
        <p className="muted small">签发后稿件报送教体局，计入报送月份。</p>
        <button type="submit" disabled={busy}>
          签发
        </button>
      </Form>
      <Form method="post" className="stack action-form" noValidate>
        <input type="hidden" name="intent" value="send_back" />
        <input type="hidden" name="version" value={version} />
        <TextAreaField form={form} name="reason" label="退回理由（必填）" rows={3} maxLength={500} required />
        <SubmitRow label="退回修改" secondary busy={busy} />
      </Form>
    </>
  );
}

/** The correspondent takes an item back from the school lead's desk to change it. */
function RecallForm({ version }: { version: number }) {
  const busy = useBusy();
  return (
    <Form method="post" className="action-form">
      <input type="hidden" name="intent" value="recall" />
      <input type="hidden" name="version" value={version} />
      <p className="muted small">稿件正等待本单位分管领导签发。撤回后回到草稿，可修改后重新报送。</p>
      <button type="submit" className="button--secondary" disabled={busy}>
        撤回修改
      </button>
    </Form>
  );
}

function DeleteForm({ version }: { version: number }) {
  const busy = useBusy();
  return (
    <Form
      method="post"
      onSubmit={(event) => {
        if (!window.confirm("确定删除这篇草稿吗？删除后不能恢复。")) event.preventDefault();
      }}
    >
      <input type="hidden" name="intent" value="delete" />
      <input type="hidden" name="version" value={version} />
      <button type="submit" className="button--secondary" disabled={busy}>
        删除草稿
      </button>
    </Form>
  );
}
