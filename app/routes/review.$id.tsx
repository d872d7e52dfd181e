import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData, type ShouldRevalidateFunction } from "@remix-run/react";
import { Link } from "~/components/link";
import { formStateOf } from "~/components/form-kit";
import { CorrectionsSection } from "~/components/correction-forms";
import { DecisionSection, InstructionForm, PickupForm, WithdrawSection } from "~/components/review-forms";
import { correctionAction, isCorrectionIntent } from "~/lib/corrections-actions.server";
import { ItemBody, ItemFacts, ItemHistory, MarkedText, PhotoGrid, PickupList, PointsReceipt, WordAlert } from "~/components/item-view";
import { StatusBadge } from "~/components/status-badge";
import { daysToArrival, stillToDo } from "~/domain/item-page";
import { GRADES, INSTRUCTION_LEVELS, TIERS, nameOf } from "~/domain/catalog";
import { can } from "~/domain/permissions";
import { QUOTA_STATUS_NAMES } from "~/domain/points";
import { percentText } from "~/domain/rankings-view";
import { refusal } from "~/domain/refusal";
import {
  acceptsPickups,
  adoptSchema,
  fromSuffix,
  queueFromParam,
  queueSearch,
  instructionSchema,
  isReviewIntent,
  pickupSchema,
  rejectSchema,
  returnSchema,
  withdrawSchema,
} from "~/domain/review";
import { DUPLICATE_THRESHOLD } from "~/domain/similarity";
import { formatShanghai, monthLabel, shanghaiDate } from "~/domain/time";
import { actorOf, refused } from "~/lib/action-data.server";
import { redirectWithFlash } from "~/lib/flash.server";
import { invalid, parseForm, readForm } from "~/lib/form.server";
import { forbidden, notFound, requirePermission } from "~/lib/session.server";
import { decideItem, getReviewItem, recordInstruction, recordPickup } from "~/models/review.server";
import { appealsOfItem } from "~/models/appeals.server";
import { correctionsOfItem } from "~/models/corrections.server";
import { parseId } from "~/domain/fields";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.item.title ?? "稿件"} - 稿件审核 - 教育信息报送平台` },
];

function itemIdOf(params: { id?: string }): number {
  return parseId(params.id) ?? notFound("该稿件不存在。");
}

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, context, "item.review");
  const id = itemIdOf(params);
  const view = await getReviewItem(context.dbs.reader, { role: user.role, unitId: user.unitId }, id);
  // A school's own draft that never reached the bureau is not the bureau's to see.
  if (!view.found || !view.allowed) notFound("该稿件不存在，或尚未报送到教体局。");
  const [appeals, corrections] = await Promise.all([appealsOfItem(context.dbs.reader, id), correctionsOfItem(context.dbs.reader, id)]);
  // The queue view the reviewer came from: the way back, and where "next item" is looked for.
  const queue = queueFromParam(new URL(request.url).searchParams.get("from"));
  const back = queue ? queueSearch(queue) : "";
  return {
    ...view, canPickup: can(user.role, "item.pickup"), today: shanghaiDate(new Date()), back: back === "?" ? "" : back,
    openAppeal: appeals.find((a) => a.status === "open") ?? null, corrections,
  };
}

const GRADE_NAME = (grade: string) => nameOf(GRADES, grade);

export async function action({ request, context, params }: ActionFunctionArgs) {
  const user = await requirePermission(request, context, "item.review");
  const id = itemIdOf(params);
  const form = await readForm(request);
  const intent = String(form.get("intent") ?? "");
  // The queue view the reviewer came from: after recording something on the item they stay on its
  // page, still in that view; after a decision, the next item is looked for in it.
  const queue = queueFromParam(new URL(request.url).searchParams.get("from"));
  const here = `/review/${id}${fromSuffix(queue)}`;
  if (isCorrectionIntent(intent)) return correctionAction(context.dbs.db, { user, ip: context.ip, itemId: id, intent, form, back: here });
  if (!isReviewIntent(intent)) return refused(refusal(400, "未知的操作，请刷新页面后重试。"), { intent });
  const db = context.dbs.db;
  const today = shanghaiDate(new Date());

  if (intent === "pickup" || intent === "instruction") {
    if (!can(user.role, "item.pickup")) forbidden();
    const actor = actorOf(user, context);
    if (intent === "pickup") {
      const parsed = parseForm(form, pickupSchema(today));
      if (!parsed.ok) return invalid({ ...parsed, intent });
      const result = await recordPickup(db, actor, id, parsed.data);
      if (!result.ok) return refused(result, { intent, values: parsed.data });
      return redirectWithFlash(here, `已登记上稿：${parsed.data.outlet}（${nameOf(TIERS, parsed.data.tier)}，${parsed.data.picked_on}）`);
    }
    const parsed = parseForm(form, instructionSchema(today));
    if (!parsed.ok) return invalid({ ...parsed, intent });
    const result = await recordInstruction(db, actor, id, parsed.data);
    if (!result.ok) return refused(result, { intent, values: parsed.data });
    return redirectWithFlash(
      here,
      `已登记批示：${parsed.data.leader}（${nameOf(INSTRUCTION_LEVELS, parsed.data.level)}，${parsed.data.instructed_on}）`,
    );
  }

  if (intent === "withdraw") {
    const parsed = parseForm(form, withdrawSchema());
    if (!parsed.ok) return invalid({ ...parsed, intent });
    const result = await decideItem(db, {
      itemId: id, action: "withdraw", actor: user, expectedVersion: parsed.data.version, reason: parsed.data.reason,
      revokePoints: parsed.data.revoke_points, ip: context.ip,
    }, null, context.dbs.reader);
    if (!result.ok) return refused(result, { intent, values: { reason: parsed.data.reason } });
    return redirectWithFlash(
      here,
      `已撤稿：${result.title}${parsed.data.revoke_points ? "，并取消了该稿积分" : "（积分保留）"}`,
    );
  }

  // The three decisions on a waiting item. After one, the reviewer goes on to the next item
  // that has waited longest within the queue view they came from (or back to that view when
  // none is left).
  let result;
  let done: string;
  if (intent === "adopt") {
    const parsed = parseForm(form, adoptSchema());
    if (!parsed.ok) return invalid({ ...parsed, intent });
    result = await decideItem(
      db, { itemId: id, action: "adopt", actor: user, expectedVersion: parsed.data.version, grade: parsed.data.grade, ip: context.ip }, queue, context.dbs.reader,
    );
    done = `已采用（${GRADE_NAME(parsed.data.grade)}）`;
  } else {
    const parsed = parseForm(form, intent === "return" ? returnSchema() : rejectSchema());
    if (!parsed.ok) return invalid({ ...parsed, intent });
    result = await decideItem(
      db, { itemId: id, action: intent, actor: user, expectedVersion: parsed.data.version, reason: parsed.data.reason, ip: context.ip }, queue, context.dbs.reader,
    );
    if (!result.ok) return refused(result, { intent, values: { reason: parsed.data.reason } });
    done = intent === "return" ? "已退回修改" : "已作不采用处理";
  }
  if (!result.ok) return refused(result, { intent, values: {} });
  const message = `${done}：${result.title}。`;
  const back = queue ? queueSearch({ ...queue, status: "submitted" }) : "?";
  if (result.nextId) return redirectWithFlash(`/review/${result.nextId}${fromSuffix(queue)}`, `${message}下面是等待最久的下一篇稿件。`);
  return back === "?"
    ? redirectWithFlash("/review", `${message}待审核稿件已全部处理完。`)
    : redirectWithFlash(`/review${back}`, `${message}当前筛选下的待审核稿件已全部处理完。`);
}

// ---------------------------------------------------------------------------------------------

/** After a refusal because someone else acted first (409), show the item as it now stands. */
export const shouldRevalidate: ShouldRevalidateFunction = ({ actionStatus, defaultShouldRevalidate }) =>
  actionStatus === 409 ? true : defaultShouldRevalidate;

export default function ReviewItem() {
  const data = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const { item, bylines, photos, history, pickups, instructions, hits, duplicates, quota, canPickup, today, points } = data;
  // After a conflict (409) the page shows the item as it now stands, not the refused form.
  const stateOf = (intent: string) => formStateOf(failure?.conflict ? null : failure, intent, `${intent}-`);

  const allHits = [...hits.title, ...hits.body, ...Object.values(hits.captions).flat()];
  const lateDays = daysToArrival(item.event_date, item.first_submitted_at);
  const submitted = item.status === "submitted";
  const adopted = acceptsPickups(item.status);
  // Fields start fresh after each successful change of the item or its records.
  const formsKey = `${item.id}-${item.version}-${pickups.length}-${instructions.length}`;

  return (
    <>
      <p className="back-link">
        <Link to={`/review${data.back}`}>← 返回审核队列</Link>
      </p>
      {failure?.conflict ? (
        <p className="form-error" role="alert">
          {failure.formError} <a href={`/review/${item.id}`}>刷新本页</a>
        </p>
      ) : null}

      <div className="review-layout">
        <article className="card review-article">
          <p className="item-flags">
            {item.status === "draft" ? <span className="badge badge--warn">退回修改中</span> : <StatusBadge status={item.status} />}
            {item.grade ? <span className="badge badge--ok">等次：{GRADE_NAME(item.grade)}</span> : null}
            {item.late ? <span className="badge badge--err">迟报</span> : null}
            {item.points_revoked ? <span className="badge badge--err">积分已取消</span> : null}
          </p>
          <h1 className="item-title">
            <MarkedText text={item.title} hits={hits.title} />
          </h1>
          <p className="muted small">
            {item.unit_name} · {item.category} · {item.submitted_at ? `${formatShanghai(item.submitted_at)} 报送` : "未报送"}
          </p>

          <WordAlert hits={allHits} />
          {duplicates.length > 0 ? (
            <p className="dup-alert">
              发现 {duplicates.length} 篇相似稿件，最高相似度 {percentText(duplicates[0].similarity)}。
              <a href="#duplicates">查看相似稿件</a>
            </p>
          ) : null}

          <ItemBody body={item.body} hits={hits.body} />
          {photos.length > 0 ? (
            <>
              <h2>图片（{photos.length}）</h2>
              <PhotoGrid photos={photos} hits={hits.captions} />
            </>
          ) : (
            <p className="muted small">本稿未配图片。</p>
          )}
        </article>

        <div className="review-aside" key={formsKey}>
          {submitted ? (
            <DecisionSection stateOf={stateOf} version={item.version} />
          ) : null}

          <section className="card" aria-labelledby="meta-title">
            <h2 id="meta-title">稿件信息</h2>
            <dl className="meta-list">
              <dt>单位</dt>
              <dd>
                {item.unit_name}（{item.unit_code}）
              </dd>
              <dt>单位类别</dt>
              <dd>{item.kind_name}</dd>
              <ItemFacts item={item} />
              <dt>报送月份</dt>
              <dd>{item.report_month ? monthLabel(item.report_month) : "—"}</dd>
              <dt>报送时间</dt>
              <dd>
                {item.submitted_at ? formatShanghai(item.submitted_at) : "—"}
                {item.first_submitted_at && item.first_submitted_at !== item.submitted_at ? (
                  <div className="muted small">首次报送：{formatShanghai(item.first_submitted_at)}</div>
                ) : null}
              </dd>
              <dt>迟报</dt>
              <dd>{item.late ? `是（事件发生 ${lateDays ?? "?"} 天后报送）` : "否"}</dd>
              <dt>署名</dt>
              <dd>{bylines.length ? bylines.map((b) => b.display_name).join("、") : "—"}</dd>
              <dt>撰稿</dt>
              <dd>{item.author_name}</dd>
              <dt>教体局退回次数</dt>
              <dd>{item.returned_count}</dd>
              {item.decided_at ? (
                <>
                  <dt>审核时间</dt>
                  <dd>{formatShanghai(item.decided_at)}</dd>
                </>
              ) : null}
              {item.last_reason && item.status !== "adopted" && item.status !== "submitted" ? (
                <>
                  <dt>理由</dt>
                  <dd>{item.last_reason}</dd>
                </>
              ) : null}
            </dl>
          </section>

          {quota ? (
            <section className="card" aria-labelledby="quota-title">
              <h2 id="quota-title">本单位月度任务</h2>
              <p className="muted small">
                {item.unit_name} · {monthLabel(quota.month)}
              </p>
              <p className="quota-line">
                <span>
                  已采用 <strong>{quota.adopted}</strong> 条
                </span>{" "}
                /{" "}
                <span>
                  月度任务 <strong>{quota.quota}</strong> 条
                </span>
              </p>
              <p className="muted small">
                完成 {percentText(quota.completion)}
                {stillToDo(quota) > 0 ? `，还差 ${stillToDo(quota)} 条` : ""}
                {" · "}目前{QUOTA_STATUS_NAMES[quota.status]} · 该月共有 {quota.submitted} 条到达教体局
              </p>
            </section>
          ) : null}

          <section className="card" id="duplicates" aria-labelledby="dup-title">
            <h2 id="dup-title">相似稿件</h2>
            {duplicates.length === 0 ? (
              <p className="muted small">近 12 个月报送的稿件中，没有相似度达到 {percentText(DUPLICATE_THRESHOLD)} 的。</p>
            ) : (
              <ul className="dup-list">
                {duplicates.map((d) => (
                  <li key={d.id}>
                    <span className="dup-sim">相似度 {percentText(d.similarity)}</span>
                    <Link to={`/review/${d.id}`}>{d.title}</Link>
                    <span className="muted small">
                      {d.unit_name}
                      {d.report_month ? ` · ${monthLabel(d.report_month)}` : ""}{" "}
                    </span>
                    {d.status === "draft" ? <span className="badge badge--warn">退回修改中</span> : <StatusBadge status={d.status} />}
                  </li>
                ))}
              </ul>
            )}
          </section>

          {item.status === "adopted" || item.status === "withdrawn" ? (
            <section className="card" aria-labelledby="points-title">
              <h2 id="points-title">积分明细</h2>
              <PointsReceipt points={points} />
            </section>
          ) : null}

          {adopted || pickups.length > 0 || instructions.length > 0 ? (
            <section className="card" id="pickups" aria-labelledby="pickups-title">
              <h2 id="pickups-title">上稿与批示</h2>
              {pickups.length === 0 && instructions.length === 0 ? <p className="muted small">尚未登记。</p> : null}
              <PickupList pickups={pickups} instructions={instructions} />
              {adopted && canPickup ? (
                <>
                  <PickupForm form={stateOf("pickup")} today={today} earliest={item.event_date} />
                  <InstructionForm form={stateOf("instruction")} today={today} earliest={item.event_date} />
                </>
              ) : null}
            </section>
          ) : null}

          <CorrectionsSection
            stateOf={stateOf} item={item} pickups={pickups} instructions={instructions} openAppeal={data.openAppeal}
            corrections={data.corrections}
          />

          {adopted ? (
            <WithdrawSection form={stateOf("withdraw")} version={item.version} />
          ) : null}

          <section className="card" aria-labelledby="history-title">
            <h2 id="history-title">流转记录</h2>
            <ItemHistory history={history} />
          </section>
        </div>
      </div>
    </>
  );
}
