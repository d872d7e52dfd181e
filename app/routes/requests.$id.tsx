// /requests/:id: one 约稿. The reviewer sees each addressed unit's outcome with its linked items and
// decline reason, and may cancel the request (with a reason) before its deadline. A school user
// sees a request addressed to their unit (any other is 404): details, time left, their outcome,
// "按此约稿撰稿" (correspondents), and a decline form with a reason before the deadline.
import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import type { ReactNode } from "react";
import { Link } from "~/components/link";
import { DataTable } from "~/components/data-table";
import { FormError, SubmitRow, TextAreaField, useFormState } from "~/components/form-kit";
import { OutcomeBadge, RequestStatusBadge } from "~/components/request-parts";
import { StatusBadge } from "~/components/status-badge";
import { parseId } from "~/domain/fields";
import { can } from "~/domain/permissions";
import { cancelSchema, DECLINE_MAX, declineSchema } from "~/domain/requests";
import { formatShanghai, monthLabel } from "~/domain/time";
import { actorOf, submitForm } from "~/lib/action-data.server";
import { redirectWithFlash } from "~/lib/flash.server";
import { badRequest, readForm } from "~/lib/form.server";
import { forbidden, notFound, requireUser } from "~/lib/session.server";
import { requestDetail } from "~/models/request-reads.server";
import { cancelRequest, declineRequest } from "~/models/requests.server";
import requestStyles from "~/styles/requests.css";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: requestStyles }];
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.request.topic ?? "约稿"} - 约稿 - 教育信息报送平台` }];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const reviewer = can(user.role, "request.manage");
  if (!reviewer && !can(user.role, "request.view_unit")) forbidden("约稿由审核员发出，学校查看和答复。");
  const id = parseId(params.id);
  const detail = id === null ? null : await requestDetail(context.dbs.reader, user, id);
  if (!detail) notFound("约稿不存在。");
  return { request: detail, reviewer, canWrite: can(user.role, "item.write") };
}

/** The two steps on a 约稿 that carry a reason: the reviewer cancels it, an addressed unit declines it. */
const REASONED_STEPS = {
  cancel: { permission: "request.manage", forbidden: "只有审核员可以取消约稿。", schema: cancelSchema, run: cancelRequest, flash: "约稿已取消，已通知各单位。" },
  decline: {
    permission: "request.view_unit", forbidden: "只有约稿单位的信息员或分管领导可以婉拒约稿。", schema: declineSchema, run: declineRequest,
    flash: "已婉拒这项约稿，教体局会看到您的理由。",
  },
} as const;

export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const id = parseId(params.id);
  if (id === null) notFound("约稿不存在。");
  const form = await readForm(request);
  const intent = form.get("intent");
  const actor = actorOf(user, context);
  if (intent !== "cancel" && intent !== "decline") return badRequest("未知的操作，请刷新页面后重试。");
  const step = REASONED_STEPS[intent];
  if (!can(user.role, step.permission)) forbidden(step.forbidden);
  return submitForm(form, {
    schema: step.schema(), intent,
    write: (input) => step.run(context.dbs.db, actor, id, input.reason),
    done: () => redirectWithFlash(`/requests/${id}`, step.flash),
  });
}

export default function RequestPage() {
  const { request: r, reviewer, canWrite } = useLoaderData<typeof loader>();
  const own = reviewer ? null : r.units[0];
  return (
    <>
      <div className="page-head">
        <h1>
          约稿：{r.topic} <RequestStatusBadge status={r.status} />
        </h1>
        <Link to="/requests">返回约稿列表</Link>
      </div>
      <dl className="request-facts">
        <dt>截止时间</dt>
        <dd>
          {formatShanghai(r.dueAt)}（北京时间）{r.status === "open" ? <strong> · {r.timeLeft}</strong> : null}
        </dd>
        <dt>计入月份</dt>
        <dd>{monthLabel(r.month)}</dd>
        <dt>约稿说明</dt>
        <dd>{r.guidance || "—"}</dd>
        <dt>发出</dt>
        <dd>
          {r.createdByName} · {formatShanghai(r.createdAt)}
        </dd>
        {r.cancelledAt ? (
          <>
            <dt>已取消</dt>
            <dd>
              {formatShanghai(r.cancelledAt)}：{r.cancelReason}（已取消的约稿不计分）
            </dd>
          </>
        ) : null}
        {own ? (
          <>
            <dt>本单位</dt>
            <dd>
              <OutcomeBadge outcome={own.outcome} name={own.outcomeName} />
              {own.declinedAt ? <span className="small"> 婉拒理由：{own.declineReason}</span> : null}
            </dd>
          </>
        ) : null}
      </dl>
      {reviewer ? <BureauView r={r} /> : <SchoolView r={r} canWrite={canWrite} />}
    </>
  );
}

type Detail = ReturnType<typeof useLoaderData<typeof loader>>["request"];

function ItemLinks({ items, empty = <span className="muted">—</span> }: { items: Detail["units"][number]["items"]; empty?: ReactNode }) {
  if (items.length === 0) return <>{empty}</>;
  return (
    <ul className="plain-list">
      {items.map((i) => (
        <li key={i.id}>
          <Link to={`/items/${i.id}`}>{i.title}</Link> <StatusBadge status={i.status} />
          {i.submittedAt ? <span className="small muted"> 报送于 {formatShanghai(i.submittedAt)}</span> : null}
        </li>
      ))}
    </ul>
  );
}

function BureauView({ r }: { r: Detail }) {
  const form = useFormState("cancel", "cancel-");
  return (
    <>
      <h2>各单位完成情况（{r.units.length} 个单位）</h2>
      <DataTable
        caption="各单位完成情况"
        rows={r.units}
        rowKey={(u) => u.unitId}
        columns={[
          { header: "单位", primary: true, cell: (u) => u.name },
          { header: "类别", cell: (u) => u.kindName },
          { header: "结果", cell: (u) => <OutcomeBadge outcome={u.outcome} name={u.outcomeName} /> },
          { header: "稿件", cell: (u) => <ItemLinks items={u.items} /> },
          { header: "婉拒理由", cell: (u) => (u.declinedAt ? `${u.declineReason}（${formatShanghai(u.declinedAt)}）` : "—") },
        ]}
      />
      {r.status === "open" ? (
        <Form method="post" className="card form" noValidate>
          <h2>取消约稿</h2>
          <input type="hidden" name="intent" value="cancel" />
          <FormError error={form.formError} />
          <TextAreaField form={form} name="reason" label="取消的理由" hint="各单位会收到通知；已取消的约稿不计分" rows={2} required />
          <SubmitRow label="取消约稿" secondary />
        </Form>
      ) : null}
    </>
  );
}

function SchoolView({ r, canWrite }: { r: Detail; canWrite: boolean }) {
  const form = useFormState("decline", "decline-");
  const own = r.units[0];
  const open = r.status === "open";
  return (
    <>
      {!r.cancelledAt && canWrite ? (
        <p>
          <Link className="button" to={`/items/new?request=${r.id}`}>
            按此约稿撰稿
          </Link>
          {!open ? <span className="muted small"> 已过截止时间，现在报送记为逾期。</span> : null}
        </p>
      ) : null}
      <h2>本单位按此约稿撰写的稿件</h2>
      <ItemLinks
        items={own.items}
        empty={
          <p className="muted">
            还没有按此约稿撰写的稿件。
            {!r.cancelledAt && canWrite ? "点上面的“按此约稿撰稿”开始写，稿件会带上这项约稿。" : null}
          </p>
        }
      />
      {open && !own.declinedAt ? (
        <Form method="post" className="card form" noValidate>
          <h2>婉拒约稿</h2>
          <input type="hidden" name="intent" value="decline" />
          <FormError error={form.formError} />
          <TextAreaField
            form={form} name="reason" label="婉拒的理由" hint="截止前说明理由婉拒的，按约稿积分规则计（默认不加不扣）；至少 5 个字" rows={3}
            maxLength={DECLINE_MAX} required
          />
          <SubmitRow label="婉拒" secondary />
        </Form>
      ) : null}
    </>
  );
}
