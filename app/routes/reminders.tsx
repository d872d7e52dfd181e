// /reminders: reminders sent (reviewers: every unit's; a school's people: their own unit's), and
// POST: a reviewer reminds one unit (from this page's form or the dashboard's 催报 button).
import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { DataTable } from "~/components/data-table";
import { FilterBar } from "~/components/filter-bar";
import { FormError, formStateOf, SelectField, SubmitRow, TextField } from "~/components/form-kit";
import { PagedList } from "~/components/pager";
import { can } from "~/domain/permissions";
import { REMINDER_KIND_NAMES, REMINDER_REASON_MAX, reminderScope } from "~/domain/reminders";
import { formatShanghai, monthLabel } from "~/domain/time";
import { redirectWithFlash } from "~/lib/flash.server";
import { actorOf, refused } from "~/lib/action-data.server";
import { formValues, invalid, parseForm, readForm } from "~/lib/form.server";
import { readTypedUnit } from "~/lib/typed-unit.server";
import { param, readQuery } from "~/lib/query";
import { forbidden, requirePermission, requireUser, safeRedirect } from "~/lib/session.server";
import { listReminders, reminderFromDay, reminderUnitOptions, sendManualReminder } from "~/models/reminders.server";
import registerStyles from "~/styles/register.css";
import { idField } from "~/domain/fields";
import { UNIT_TEXT_MAX, unitsForDropDown } from "~/domain/unit-pick";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: registerStyles }];

export const meta: MetaFunction = () => [{ title: "催报记录 - 教育信息报送平台" }];

const KINDS = ["auto", "manual"] as const;

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const scope = reminderScope({ role: user.role, unitId: user.unitId });
  if (!scope) forbidden();
  const params = new URL(request.url).searchParams;
  const { kind, month, page } = readQuery(params, { kind: param.oneOf(KINDS, ""), month: param.month(), page: param.page() });
  const db = context.dbs.reader;
  const canSend = can(user.role, "reminder.send");
  const [list, units, fromDay] = await Promise.all([
    listReminders(db, { unitId: scope.all ? null : scope.unitId, kind: kind || undefined, month, page }),
    canSend ? reminderUnitOptions(db) : Promise.resolve([]),
    reminderFromDay(db),
  ]);
  return { list, units: unitsForDropDown(units), fromDay, canSend, all: scope.all, unitName: user.unitName, page, filters: { kind, month: month ?? "" } };
}

// Built on use: a schema at module level would carry zod into the page's browser bundle.
const reminderSchema = () =>
  z.object({
    unit_id: idField("请选择单位"),
    reason: z.string().trim().max(REMINDER_REASON_MAX, `催报说明不能超过 ${REMINDER_REASON_MAX} 个字`).optional().default(""),
    redirect_to: z.string().max(2000, "返回地址过长，请刷新页面后重试。").optional(),
  });

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requirePermission(request, context, "reminder.send");
  const form = await readForm(request);
  const typed = await readTypedUnit(form, "unit_id", () => reminderUnitOptions(context.dbs.reader));
  if (!typed.ok) return invalid(typed.failure);
  const parsed = parseForm(typed.form, reminderSchema());
  // The return address is a hidden field: its error is shown at the top of the form. The box shows what was typed.
  if (!parsed.ok) return invalid({ ...parsed, values: formValues(form), formError: parsed.formError ?? parsed.fieldErrors.redirect_to });
  const { unit_id: unitId, reason, redirect_to } = parsed.data;
  const result = await sendManualReminder(context.dbs.db, { unitId, reason }, actorOf(user, context));
  if (!result.ok) return refused(result, { form });
  const back = safeRedirect(redirect_to, "/reminders");
  if (!result.sent) return redirectWithFlash(back, result.message, "error");
  const who = result.recipients > 0 ? `已通知其分管领导和信息员 ${result.recipients} 人` : "但该单位没有在岗的分管领导或信息员，无人收到";
  return redirectWithFlash(back, `已向${result.unitName}发送催报，${who}。`);
}

export default function Reminders() {
  const data = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const [params] = useSearchParams();
  const form = formStateOf(failure);
  const filtered = data.filters.kind !== "" || data.filters.month !== "";
  return (
    <>
      <div className="page-head">
        <h1>催报记录{data.all ? null : <span className="muted small">（{data.unitName}）</span>}</h1>
      </div>
      <p className="muted">
        每月 {data.fromDay} 日起，系统每小时检查一次：预计完不成任务数、或本月还没有稿件报送到教体局的单位，当月自动催报一次，
        {"通知其分管领导和信息员。"}{data.canSend ? "审核员也可以随时向某个单位催报。" : ""}
      </p>

      {data.canSend ? (
        <section className="card" aria-labelledby="send-title">
          <h2 id="send-title">发送催报</h2>
          <FormError error={form.formError} />
          <Form method="post" className="reminder-form" noValidate>
            <input type="hidden" name="redirect_to" value="/reminders" />
            {data.units ? (
              <SelectField
                form={form} name="unit_id" label="单位" required placeholder="请选择单位"
                groups={groupByKind(data.units).map(([kind, units]) => ({
                  label: kind,
                  options: units.map((u) => ({ value: u.id, label: `${u.code} ${u.name}` })),
                }))}
              />
            ) : (
              <>
              <input type="hidden" name="unit_by" value="text" />
              <TextField
                form={form} name="unit_id" label="单位" required maxLength={UNIT_TEXT_MAX} autoComplete="off"
                placeholder="输入单位代码或名称" hint="填写单位代码，或单位的完整名称。"
              />
              </>
            )}
            <TextField
              form={form} name="reason" label="催报说明（可不填）" maxLength={REMINDER_REASON_MAX}
              placeholder="如：本月尚缺 3 条，请 25 日前报送" hint="通知中会附上该单位本月已采用条数、任务数和预计差额。"
            />
            <SubmitRow label="发送催报" />
          </Form>
        </section>
      ) : null}

      <FilterBar
        className="reminder-filters"
        label="筛选催报记录"
        idPrefix="f-"
        values={data.filters}
        clearHref="/reminders"
        clearLabel="清除筛选"
        fields={[
          { name: "kind", label: "方式", all: "全部", options: KINDS.map((k) => ({ value: k, label: REMINDER_KIND_NAMES[k] })) },
          { type: "month", name: "month", label: "月份" },
        ]}
      />

      <PagedList list={data.list} page={data.page} empty={<>{filtered ? "没有符合条件的催报记录。" : "还没有催报记录。"}</>}>
        <DataTable
          className="data stack-on-phone reminders-table"
          rows={data.list.rows}
          rowKey={(r) => r.id}
          columns={[
            {
              header: "时间",
              className: "reminders-table__time", headerClassName: "",
              cell: (r) => <time dateTime={r.created_at}>{formatShanghai(r.created_at)}</time>,
            },
            data.all && {
              header: "单位",
              className: "reminders-table__unit", headerClassName: "",
              cell: (r) => (
                <>
                  <span className="unit-code">{r.unit_code}</span> {r.unit_name}
                </>
              ),
            },
            { header: "月份", headerClassName: "reminders-table__month", className: "reminders-table__month", cell: (r) => monthLabel(r.month) },
            {
              header: "方式",
              className: "reminders-table__kind", headerClassName: "",
              cell: (r) => <span className={`badge reminder-kind--${r.kind}`}>{REMINDER_KIND_NAMES[r.kind]}</span>,
            },
            {
              header: "原因 / 说明",
              className: "reminders-table__reason", headerClassName: "",
              cell: (r) => r.reason || <span className="muted">（未填写）</span>,
            },
            { header: "发送人", className: "reminders-table__sender", headerClassName: "", cell: (r) => (r.kind === "auto" ? "系统" : (r.sender_name ?? "—")) },
          ]}
        />
      </PagedList>
      {params.get("page") && data.page > data.list.pages ? <p className="muted">这一页没有记录。</p> : null}
    </>
  );
}

function groupByKind<U extends { kind_name: string }>(units: readonly U[]): Array<[string, U[]]> {
  const groups: Array<[string, U[]]> = [];
  for (const u of units) {
    const last = groups.at(-1);
    if (last && last[0] === u.kind_name) last[1].push(u);
    else groups.push([u.kind_name, [u]]);
  }
  return groups;
}
