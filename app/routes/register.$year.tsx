// /register/2026: the correspondent register. Reviewers and admins read every unit's; a lead reads
// their own unit's and corrects its people's phone numbers and since-dates.
import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction, SerializeFrom } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { Link } from "~/components/link";
import { DataTable } from "~/components/data-table";
import { AllUnits, Deadline, InactiveNote } from "~/components/register-view";
import { FormError, formStateOf, isFormFailure, TextField } from "~/components/form-kit";
import { can, roleName } from "~/domain/permissions";
import { FIRST_REGISTER_YEAR, gapText, parseRegisterYear, registerEntrySchema, registerScope } from "~/domain/register";
import { parseTableQuery } from "~/domain/rankings-view";
import { registerShown } from "~/domain/register-pages";
import { shanghaiDate } from "~/domain/time";
import { redirectWithFlash } from "~/lib/flash.server";
import { badRequest, invalid, parseForm, readForm } from "~/lib/form.server";
import { cachedMarkup } from "~/lib/markup-cache.server";
import { forbidden, notFound, requirePermission, requireUser } from "~/lib/session.server";
import { registerFor, updateRegisterEntry } from "~/models/register.server";
import rankingStyles from "~/styles/rankings.css";
import registerStyles from "~/styles/register.css";

// The rankings' styles: a province's register pages its kinds with the league pages' table picker and pager.
export const links: LinksFunction = () => [{ rel: "stylesheet", href: registerStyles }, { rel: "stylesheet", href: rankingStyles }];

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data ? `${data.shown.view.year}年` : ""}信息员登记表 - 教育信息报送平台` },
];

function currentYear(now = new Date()): number {
  return Number(shanghaiDate(now).slice(0, 4));
}

function yearOf(params: { year?: string }): number {
  const year = parseRegisterYear(params.year, currentYear());
  if (year === null) notFound(`没有这一年的登记表：请选择 ${FIRST_REGISTER_YEAR} 年至明年之间的年份。`);
  return year;
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const scope = registerScope({ role: user.role, unitId: user.unitId });
  if (!scope) forbidden("信息员登记表由分管领导维护，教体局审核员和管理员查看。");
  const year = yearOf(params);
  const view = await registerFor(context.dbs.reader, year, { unitId: scope.all ? null : scope.unitId });
  return {
    // A province's register: one kind and one page of its units (`?kind=…&page=…&q=…`).
    shown: registerShown(view, parseTableQuery(new URL(request.url).searchParams)),
    unitName: scope.all ? null : (user.unitName ?? ""),
    canEdit: !scope.all && can(user.role, "register.edit_unit"),
    linkAccounts: can(user.role, "admin.accounts"),
    prevYear: year > FIRST_REGISTER_YEAR ? year - 1 : null,
    nextYear: year < currentYear() + 1 ? year + 1 : null,
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requirePermission(request, context, "register.edit_unit");
  const year = yearOf(params);
  const form = await readForm(request);
  const parsed = parseForm(form, registerEntrySchema(shanghaiDate(new Date())));
  if (!parsed.ok) return invalid(parsed);
  const result = await updateRegisterEntry(context.dbs.db, parsed.data, {
    id: user.id, username: user.username, role: user.role, unitId: user.unitId, ip: context.ip,
  });
  if (!result.ok) {
    if (result.reason === "not_found") notFound("登记表上没有这个人。");
    if (result.reason === "forbidden") forbidden("只能修改本单位人员的登记信息。");
    return badRequest(result.message, 409);
  }
  return redirectWithFlash(`/register/${year}`, result.changed ? `已更新${result.name}的登记信息` : `${result.name}的登记信息没有变化`);
}

type Data = SerializeFrom<typeof loader>;
type View = Data["shown"]["view"];
type Unit = View["kinds"][number]["units"][number];
type Person = Unit["leads"][number];

/** On the server, the units' tables come from markup kept by what they show (not in the browser's bundle). */
const markup = typeof document === "undefined" ? cachedMarkup : undefined;

export default function RegisterPage() {
  const data = useLoaderData<typeof loader>();
  const { view } = data.shown;
  const mine = view.scope === "unit";
  const unit = mine ? (view.kinds[0]?.units[0] ?? null) : null;
  return (
    <>
      <div className="page-head">
        <h1>
          {view.year}年信息员登记表
          {mine && data.unitName ? <span className="muted small">（{data.unitName}）</span> : null}
        </h1>
        <div className="button-row">
          <nav className="year-nav" aria-label="选择年份">
            {data.prevYear ? <Link to={`/register/${data.prevYear}`}>‹ {data.prevYear}年</Link> : null}
            {data.nextYear ? <Link to={`/register/${data.nextYear}`}>{data.nextYear}年 ›</Link> : null}
          </nav>
          <a className="button button--secondary button--small" href={`/register/${view.year}.xlsx`} download>
            下载 Excel
          </a>
        </div>
      </div>

      <Deadline view={view} />

      {mine ? <MyUnit view={view} unit={unit} canEdit={data.canEdit} /> : <AllUnits shown={data.shown} linkAccounts={data.linkAccounts} markup={markup} />}
    </>
  );
}

function MyUnit({ view, unit, canEdit }: { view: View; unit: Unit | null; canEdit: boolean }) {
  const failure = useActionData<typeof action>();
  if (!unit) return <p className="card muted">本单位已停用，没有登记表。</p>;
  const people = [...unit.leads, ...unit.correspondents];
  const errorFor = isFormFailure(failure) ? failure : null;
  return (
    <>
      {unit.gaps.length > 0 ? (
        <p className="callout register-warning" role="status">
          本单位登记不全：{unit.gapText}。请联系教体局管理员添加或启用账号。
        </p>
      ) : (
        <p className="muted">本单位已登记分管领导和在岗信息员。</p>
      )}
      {view.deadlinePassed && unit.gapsAtDeadline?.length ? (
        <p className="muted">
          截至登记截止日（{view.deadlineLabel}），本单位登记不全：{gapText(unit.gapsAtDeadline)}
          {unit.gaps.length === 0 ? "，目前已补齐" : ""}。
        </p>
      ) : null}
      {canEdit ? <p className="muted small">分管领导可在此修改本单位人员的手机号和登记日期；增加、调换或停用人员请联系教体局管理员。</p> : null}
      <FormError error={errorFor?.formError} />
      <DataTable
        className="data stack-on-phone register-table"
        rows={people}
        rowKey={(p) => p.id}
        rowId={(p) => `person-${p.id}`}
        columns={[
          {
            header: "姓名",
            primary: true,
            cell: (p) => (
              <>
                {p.name}
                {p.late ? (
                  <>
                    {" "}
                    <span className="badge badge--warn">逾期登记</span>
                  </>
                ) : null}
              </>
            ),
          },
          { header: "角色", cell: (p) => roleName(p.role) },
          { header: "手机号", cell: (p) => (p.phone ? <a href={`tel:${p.phone}`} className="tap-target">{p.phone}</a> : <span className="badge badge--warn">未填</span>) },
          { header: "登记日期", cell: (p) => p.registeredOn ?? "未填" },
          canEdit && {
            header: "修改",
            className: "edit-cell",
            headerClassName: "",
            // Keyed by the saved values: after a save the form closes and shows them.
            cell: (p) => (
              <EntryForm
                key={`${p.phone}|${p.registeredOn}`} person={p} today={view.today}
                failure={errorFor && errorFor.values.account_id === String(p.id) ? errorFor : null}
              />
            ),
          },
        ]}
      />
      <InactiveNote unit={unit} />
    </>
  );
}

function EntryForm({ person, today, failure }: { person: Person; today: string; failure: unknown }) {
  const form = formStateOf(failure, undefined, `p${person.id}-`);
  return (
    <details className="entry-edit" open={form.failed || undefined}>
      <summary>修改</summary>
      <Form method="post" className="entry-form" noValidate>
        <input type="hidden" name="account_id" value={person.id} />
        <TextField
          form={form} name="phone" label={`${person.name}的手机号`} type="tel" inputMode="numeric" autoComplete="off" maxLength={20}
          defaultValue={person.phone}
        />
        <TextField form={form} name="registered_on" label="登记日期" type="date" max={today} defaultValue={person.registeredOn} />
        <button type="submit" className="button--small">
          保存
        </button>
      </Form>
    </details>
  );
}
