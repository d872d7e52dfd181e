// /register/2026: the correspondent register. Reviewers and admins read every unit's; a lead reads
// their own unit's and corrects its people's phone numbers and since-dates.
import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction, SerializeFrom } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { FieldError, FormError } from "~/components/form-fields";
import { can, roleName } from "~/domain/permissions";
import { FIRST_REGISTER_YEAR, parseRegisterYear, registerEntrySchema, registerScope } from "~/domain/register";
import { daysBetween, shanghaiDate } from "~/domain/time";
import { redirectWithFlash } from "~/lib/flash.server";
import { badRequest, invalid, parseForm, readForm } from "~/lib/form.server";
import { forbidden, notFound, requirePermission, requireUser } from "~/lib/session.server";
import { registerFor, updateRegisterEntry } from "~/models/register.server";
import registerStyles from "~/styles/register.css";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: registerStyles }];

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data ? `${data.view.year}年` : ""}信息员登记表 - 教育信息报送平台` },
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
    view,
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
type View = Data["view"];
type Unit = View["kinds"][number]["units"][number];
type Person = Unit["leads"][number];

export default function RegisterPage() {
  const data = useLoaderData<typeof loader>();
  const { view } = data;
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

      {mine ? <MyUnit view={view} unit={unit} canEdit={data.canEdit} /> : <AllUnits view={view} linkAccounts={data.linkAccounts} />}
    </>
  );
}

function Deadline({ view }: { view: View }) {
  const left = daysBetween(view.today, view.deadline);
  return (
    <div className="callout register-deadline">
      <p>
        登记截止日期：<strong>{view.deadlineLabel}</strong>
        {view.deadlinePassed ? "（已截止）" : left === 0 ? "（今天截止）" : `（还有 ${left} 天）`}
      </p>
      <p className="muted small">
        名单为截至今日（{view.today}）在册的人员；登记表不保存往年某一天的名单，往年截止日当天是否登记齐全无法还原。
        人员离岗时由管理员停用其账号，其稿件和积分仍归本人。
      </p>
    </div>
  );
}

function PersonLine({ p, linkAccounts }: { p: Person; linkAccounts: boolean }) {
  return (
    <li className="person">
      {linkAccounts ? (
        <Link to={`/admin/accounts/${p.id}`} className="person__name">
          {p.name}
        </Link>
      ) : (
        <strong className="person__name">{p.name}</strong>
      )}{" "}
      {p.phone ? (
        <a href={`tel:${p.phone}`} className="person__phone">
          {p.phone}
        </a>
      ) : (
        <span className="badge badge--warn">未填手机号</span>
      )}{" "}
      <span className="muted small person__since">{p.registeredOn ? `${p.registeredOn} 起` : "登记日期未填"}</span>
      {p.late ? (
        <>
          {" "}
          <span className="badge badge--warn">逾期登记</span>
        </>
      ) : null}
    </li>
  );
}

function People({ people, missing, linkAccounts }: { people: Person[]; missing: string; linkAccounts: boolean }) {
  if (people.length === 0) return <span className="badge badge--err">未登记{missing}</span>;
  return (
    <ul className="people">
      {people.map((p) => (
        <PersonLine key={p.id} p={p} linkAccounts={linkAccounts} />
      ))}
    </ul>
  );
}

/** Those who left (deactivated accounts): a note, never a line of the register. */
function InactiveNote({ unit, role }: { unit: Unit; role?: Person["role"] }) {
  const people = role ? unit.inactive.filter((p) => p.role === role) : unit.inactive;
  if (people.length === 0) return null;
  return (
    <p className="inactive-note muted small">
      已停用：
      {people.map((p, i) => (
        <span key={p.id}>
          {i > 0 ? "；" : ""}
          {p.name}（{roleName(p.role)}
          {p.deactivatedOn ? `，${p.deactivatedOn} 停用` : ""}）
        </span>
      ))}
    </p>
  );
}

function Incomplete({ view }: { view: View }) {
  return (
    <section aria-labelledby="incomplete-title">
      <h2 id="incomplete-title">
        登记不全的单位（截至今日）<span className="muted small">{view.incomplete.length} 个</span>
      </h2>
      {view.incomplete.length === 0 ? (
        <p className="muted">截至今日，各单位都已登记分管领导和在岗信息员。</p>
      ) : (
        <div className="table-wrap">
          <table className="data stack-on-phone">
            <thead>
              <tr>
                <th>单位</th>
                <th>类别</th>
                <th>缺少</th>
              </tr>
            </thead>
            <tbody>
              {view.incomplete.map((u) => (
                <tr key={u.unitId}>
                  <td data-label="单位" className="cell-primary">
                    <a href={`#unit-${u.code}`}>
                      {u.code} {u.name}
                    </a>
                  </td>
                  <td data-label="类别">{u.kindName}</td>
                  <td data-label="缺少" className="register-gap">
                    {u.text.replace(/^缺少/, "")}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function AllUnits({ view, linkAccounts }: { view: View; linkAccounts: boolean }) {
  const t = view.totals;
  return (
    <>
      <p className="register-totals">
        共 <strong>{t.units}</strong> 个单位，分管领导 <strong>{t.leads}</strong> 人，信息员 <strong>{t.correspondents}</strong> 人
        {t.late > 0 ? <>；{view.year}年逾期登记 {t.late} 人</> : null}
        {t.noPhone > 0 ? <>；未填手机号 {t.noPhone} 人</> : null}
        {t.inactive > 0 ? <>；{view.year}年以来停用 {t.inactive} 人</> : null}。
      </p>
      <Incomplete view={view} />
      {view.kinds.map((kind) => (
        <section key={kind.code} aria-labelledby={`kind-${kind.code}`}>
          <h2 id={`kind-${kind.code}`}>
            {kind.name}
            <span className="muted small">（{kind.units.length} 个单位）</span>
          </h2>
          <div className="table-wrap">
            <table className="data stack-on-phone register-table register-table--units">
              <thead>
                <tr>
                  <th className="col-unit">单位</th>
                  <th className="col-township">乡镇</th>
                  <th className="col-leads">分管领导</th>
                  <th>信息员</th>
                </tr>
              </thead>
              <tbody>
                {kind.units.map((u) => (
                  <tr key={u.id} id={`unit-${u.code}`} className={u.gaps.length > 0 ? "register-row--gap" : undefined}>
                    <td data-label="单位" className="cell-primary">
                      <span className="unit-code">{u.code}</span> {u.name}
                      {u.township ? <span className="township-inline muted small"> · {u.township}</span> : null}
                      {u.gaps.length > 0 ? (
                        <>
                          {" "}
                          <span className="badge badge--err">登记不全</span>
                        </>
                      ) : null}
                    </td>
                    <td data-label="乡镇" className="township-cell">
                      {u.township || "—"}
                    </td>
                    <td data-label="分管领导" className="people-cell">
                      <People people={u.leads} missing="分管领导" linkAccounts={linkAccounts} />
                      <InactiveNote unit={u} role="school_lead" />
                    </td>
                    <td data-label="信息员" className="people-cell">
                      <People people={u.correspondents} missing="信息员" linkAccounts={linkAccounts} />
                      <InactiveNote unit={u} role="correspondent" />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      ))}
    </>
  );
}

function MyUnit({ view, unit, canEdit }: { view: View; unit: Unit | null; canEdit: boolean }) {
  const failure = useActionData<typeof action>();
  if (!unit) return <p className="card muted">本单位已停用，没有登记表。</p>;
  const people = [...unit.leads, ...unit.correspondents];
  const errorFor = failure && !failure.ok ? { formError: failure.formError, fieldErrors: failure.fieldErrors as Record<string, string>, values: failure.values as Record<string, string> } : null;
  return (
    <>
      {unit.gaps.length > 0 ? (
        <p className="callout register-warning" role="status">
          本单位登记不全：{unit.gapText}。请联系教体局管理员添加或启用账号。
        </p>
      ) : (
        <p className="muted">本单位已登记分管领导和在岗信息员。</p>
      )}
      {canEdit ? <p className="muted small">分管领导可在此修改本单位人员的手机号和登记日期；增加、调换或停用人员请联系教体局管理员。</p> : null}
      <FormError error={errorFor?.formError} />
      <div className="table-wrap">
        <table className="data stack-on-phone register-table">
          <thead>
            <tr>
              <th>姓名</th>
              <th>角色</th>
              <th>手机号</th>
              <th>登记日期</th>
              {canEdit ? <th>修改</th> : null}
            </tr>
          </thead>
          <tbody>
            {people.map((p) => {
              const mineFailed = errorFor && errorFor.values.account_id === String(p.id) ? errorFor : null;
              return (
                <tr key={p.id} id={`person-${p.id}`}>
                  <td data-label="姓名" className="cell-primary">
                    {p.name}
                    {p.late ? (
                      <>
                        {" "}
                        <span className="badge badge--warn">逾期登记</span>
                      </>
                    ) : null}
                  </td>
                  <td data-label="角色">{roleName(p.role)}</td>
                  <td data-label="手机号">{p.phone ? <a href={`tel:${p.phone}`}>{p.phone}</a> : <span className="badge badge--warn">未填</span>}</td>
                  <td data-label="登记日期">{p.registeredOn ?? "未填"}</td>
                  {canEdit ? (
                    <td data-label="修改" className="edit-cell">
                      {/* Keyed by the saved values: after a save the form closes and shows them. */}
                      <EntryForm key={`${p.phone}|${p.registeredOn}`} person={p} today={view.today} failure={mineFailed} />
                    </td>
                  ) : null}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <InactiveNote unit={unit} />
    </>
  );
}

function EntryForm({
  person,
  today,
  failure,
}: {
  person: Person;
  today: string;
  failure: { fieldErrors: Record<string, string>; values: Record<string, string> } | null;
}) {
  const errors = failure?.fieldErrors ?? {};
  const id = (name: string) => `${name}-${person.id}`;
  const attrs = (name: string) => ({
    id: id(name),
    name,
    "aria-invalid": errors[name] ? true : undefined,
    "aria-describedby": errors[name] ? `${id(name)}-error` : undefined,
  });
  return (
    <details className="entry-edit" open={failure ? true : undefined}>
      <summary>修改</summary>
      <Form method="post" className="entry-form" noValidate>
        <input type="hidden" name="account_id" value={person.id} />
        <div className="field">
          <label htmlFor={id("phone")}>{person.name}的手机号</label>
          <input {...attrs("phone")} type="tel" inputMode="numeric" autoComplete="off" maxLength={20} defaultValue={failure ? failure.values.phone : person.phone} />
          <FieldError id={id("phone")} error={errors.phone} />
        </div>
        <div className="field">
          <label htmlFor={id("registered_on")}>登记日期</label>
          <input {...attrs("registered_on")} type="date" max={today} defaultValue={failure ? failure.values.registered_on : (person.registeredOn ?? "")} />
          <FieldError id={id("registered_on")} error={errors.registered_on} />
        </div>
        <button type="submit" className="button--small">
          保存
        </button>
      </Form>
    </details>
  );
}
