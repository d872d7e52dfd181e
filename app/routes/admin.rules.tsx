import { refused } from "~/lib/action-data.server";
import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import type { ReactNode } from "react";
import { FieldError, FormError } from "~/components/form-fields";
import {
  governedLabel, MAX_QUOTA, NOTE_MAX, overrideSchema, overrideValuesSchema, POINTS_FIELDS, POINTS_GROUPS, pointsRulesOf,
  pointsValuesSchema, pointsVersionSchema, quotaFieldName, quotaValuesSchema, quotaVersionSchema, REASON_MAX, signedPoints,
  type PointsValues,
} from "~/domain/rules-policy";
import { formatShanghai, monthLabel } from "~/domain/time";
import { redirectWithFlash } from "~/lib/flash.server";
import { badRequest, formValues, invalid, parseForm, readForm } from "~/lib/form.server";
import { notFound, requirePermission } from "~/lib/session.server";
import {
  createPointsVersion, createQuotaVersion, rulesOverview, setQuotaOverride, updatePointsVersion, updateQuotaOverride,
  updateQuotaVersion, type RulesResult,
} from "~/models/rules-admin.server";
import { listUnitKinds } from "~/models/units.server";
import pageStyles from "~/styles/rules-months.css";
import { parseId } from "~/domain/fields";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: pageStyles }];

export const meta: MetaFunction = () => [{ title: "任务数与积分规则 - 教育信息报送平台" }];

type EditTarget = { kind: "points" | "quota" | "override"; id: number } | null;

function editTarget(value: string | null): EditTarget {
  const m = /^(points|quota|override)-(\d{1,9})$/.exec(value ?? "");
  return m ? { kind: m[1] as "points" | "quota" | "override", id: Number(m[2]) } : null;
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requirePermission(request, context, "admin.rules");
  const overview = await rulesOverview(context.dbs.reader);
  const edit = editTarget(new URL(request.url).searchParams.get("edit"));
  // Only what can still be edited opens an edit form; anything else shows the plain page.
  const editable =
    edit &&
    (edit.kind === "points"
      ? overview.points.versions.some((v) => v.id === edit.id && v.editable)
      : edit.kind === "quota"
        ? overview.quotas.versions.some((v) => v.id === edit.id && v.editable)
        : overview.overrides.some((o) => o.id === edit.id && o.editable));
  return { ...overview, edit: editable ? edit : null };
}

function refreshedNote(months: string[]): string {
  return months.length > 0 ? `，已按新规则重新计算 ${months.length} 个月的积分` : "";
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requirePermission(request, context, "admin.rules");
  const form = await readForm(request);
  const intent = String(form.get("intent") ?? "");
  const actor = { id: user.id, username: user.username, ip: context.ip };
  const db = context.dbs.db;

  switch (intent) {
    case "create_points": {
      const parsed = parseForm(form, pointsVersionSchema());
      if (!parsed.ok) return invalid(parsed);
      const { effective_month, note, ...values } = parsed.data;
      const result = await createPointsVersion(db, { effectiveMonth: effective_month, note, rules: pointsRulesOf(values as PointsValues) }, actor);
      if (!result.ok) return refused(result, { form });
      return redirectWithFlash("/admin/rules", `已新建积分规则版本，${monthLabel(effective_month)}起执行${refreshedNote(result.refreshedMonths)}`);
    }
    case "update_points": {
      const id = parseId(form.get("version_id"));
      if (!id) notFound("该积分规则版本不存在。");
      const parsed = parseForm(form, pointsValuesSchema());
      if (!parsed.ok) return invalid(parsed);
      const { note, ...values } = parsed.data;
      const result = await updatePointsVersion(db, id, { note, rules: pointsRulesOf(values as PointsValues) }, actor);
      if (!result.ok) return refused(result, { form });
      return redirectWithFlash("/admin/rules", result.changed ? `积分规则已修改${refreshedNote(result.refreshedMonths)}` : "没有需要保存的修改");
    }
    case "create_quota": {
      const parsed = parseForm(form, quotaVersionSchema(await listUnitKinds(context.dbs.reader)));
      if (!parsed.ok) return invalid(parsed);
      const result = await createQuotaVersion(db, parsed.data, actor);
      if (!result.ok) return refused(result, { form });
      return redirectWithFlash("/admin/rules", `已新建月度任务数版本，${monthLabel(parsed.data.effectiveMonth)}起执行`);
    }
    case "update_quota": {
      const id = parseId(form.get("version_id"));
      if (!id) notFound("该任务数版本不存在。");
      const parsed = parseForm(form, quotaValuesSchema(await listUnitKinds(context.dbs.reader)));
      if (!parsed.ok) return invalid(parsed);
      const result = await updateQuotaVersion(db, id, parsed.data, actor);
      if (!result.ok) return refused(result, { form });
      return redirectWithFlash("/admin/rules", result.changed ? "月度任务数已修改" : "没有需要保存的修改");
    }
    case "set_override": {
      const parsed = parseForm(form, overrideSchema());
      if (!parsed.ok) return invalid(parsed);
      const { unit_id, effective_month, quota, reason } = parsed.data;
      const result = await setQuotaOverride(db, { unitId: unit_id, effectiveMonth: effective_month, quota, reason }, actor);
      if (!result.ok) return refused(result, { form });
      return redirectWithFlash("/admin/rules", `已设置例外任务数：${monthLabel(effective_month)}起每月 ${quota} 条`);
    }
    case "update_override": {
      const id = parseId(form.get("override_id"));
      if (!id) notFound("该例外任务数不存在。");
      const parsed = parseForm(form, overrideValuesSchema());
      if (!parsed.ok) return invalid(parsed);
      const result = await updateQuotaOverride(db, id, parsed.data, actor);
      if (!result.ok) return refused(result, { form });
      return redirectWithFlash("/admin/rules", result.changed ? "例外任务数已修改" : "没有需要保存的修改");
    }
    default:
      return badRequest("未知的操作，请刷新页面后重试。");
  }
}

// ---------------------------------------------------------------------------------------------

interface Failure {
  ok: false;
  formError?: string;
  fieldErrors: Record<string, string>;
  values: Record<string, string>;
}

type Data = ReturnType<typeof useLoaderData<typeof loader>>;

function closedSummary(months: string[]): string {
  if (months.length === 0) return "—";
  if (months.length === 1) return monthLabel(months[0]);
  return `${months.length} 个月（${monthLabel(months[0])} 至 ${monthLabel(months.at(-1)!)}）`;
}

function Who({ name, at }: { name: string | null; at: string }) {
  return (
    <span className="small">
      {name ?? "系统初始化"}
      <br />
      <span className="muted nowrap">{formatShanghai(at)}</span>
    </span>
  );
}

function MonthField({ id, defaultValue, error, hint }: { id: string; defaultValue: string; error?: string; hint: ReactNode }) {
  return (
    <div className="field">
      <label htmlFor={id}>生效月份</label>
      <input
        id={id} name="effective_month" type="month" min="2000-01" max="2099-12" required defaultValue={defaultValue} placeholder="2026-12"
        aria-invalid={error ? true : undefined} aria-describedby={error ? `${id}-error ${id}-hint` : `${id}-hint`}
      />
      <span className="hint" id={`${id}-hint`}>
        {hint}
      </span>
      <FieldError id={id} error={error} />
    </div>
  );
}

function NoteField({ id, defaultValue, error }: { id: string; defaultValue: string; error?: string }) {
  return (
    <div className="field">
      <label htmlFor={id}>说明（可选）</label>
      <input
        id={id} name="note" type="text" maxLength={NOTE_MAX} defaultValue={defaultValue} placeholder="如：依据 2026 年第 12 号文件调整"
        aria-invalid={error ? true : undefined} aria-describedby={error ? `${id}-error` : undefined}
      />
      <FieldError id={id} error={error} />
    </div>
  );
}

function EarliestHint({ data }: { data: Data }) {
  return data.earliest ? (
    <>
      {monthLabel(data.latestClosed!)}及以前已结算，最早可从 {monthLabel(data.earliest)} 起生效；每个版本执行到下一个版本生效为止。
    </>
  ) : (
    <>还没有结算过的月份；每个版本执行到下一个版本生效为止。</>
  );
}

// ---------------------------------------------------------------------------------------------

export default function RulesPage() {
  const data = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const failed = failure && !failure.ok ? (failure as Failure) : null;
  const failedIntent = failed?.values.intent ?? "";
  const stateOf = (intent: string) => ({
    errors: (failedIntent === intent && failed ? failed.fieldErrors : {}) as Record<string, string | undefined>,
    typed: failedIntent === intent && failed ? failed.values : null,
    formError: failedIntent === intent ? failed?.formError : undefined,
  });

  return (
    <>
      <div className="page-head">
        <h1>任务数与积分规则</h1>
      </div>
      <p className="muted small">
        规则按月份分版本保存：每个版本从生效月份起执行，直到下一个版本生效。已结算的月份始终按结算时的版本计算，新版本和例外任务数只能从最近一个已结算月份之后生效。
        {data.latestClosed ? `最近结算的月份：${monthLabel(data.latestClosed)}。` : "目前还没有结算过的月份。"}
      </p>
      <nav className="section-links" aria-label="本页内容">
        <a href="#points">积分规则</a>
        <a href="#quotas">月度任务数</a>
        <a href="#overrides">单位例外任务数</a>
      </nav>
      <FormError error={failed && !failedIntent ? failed.formError : undefined} />

      <PointsSection data={data} state={stateOf} busy={busy} />
      <QuotaSection data={data} state={stateOf} busy={busy} />
      <OverrideSection data={data} state={stateOf} busy={busy} />
    </>
  );
}

type StateOf = (intent: string) => {
  errors: Record<string, string | undefined>;
  typed: Record<string, string> | null;
  formError?: string;
};

// ---------------------------------------------------------------------------------------------
// Points

function PointsSection({ data, state, busy }: { data: Data; state: StateOf; busy: boolean }) {
  const versions = data.points.versions;
  const editing = data.edit?.kind === "points" ? versions.find((v) => v.id === data.edit!.id) ?? null : null;
  const inForce = versions.find((v) => v.id === data.points.inForceId) ?? versions.at(-1);
  const intent = editing ? "update_points" : "create_points";
  const { errors, typed, formError } = state(intent);
  const base = (editing ?? inForce)?.values;
  const value = (name: string) => typed?.[name] ?? (base ? String(base[name as keyof typeof base]) : "");
  return (
    <section className="card" id="points" aria-labelledby="points-title">
      <h2 id="points-title">积分规则</h2>
      <div className="table-wrap">
        <table className="data stack-on-phone">
          <caption className="sr-only">积分规则版本</caption>
          <thead>
            <tr>
              <th scope="col">版本</th>
              <th scope="col">适用月份</th>
              <th scope="col">已结算月份</th>
              <th scope="col">说明</th>
              <th scope="col">设置</th>
              <th scope="col">操作</th>
            </tr>
          </thead>
          <tbody>
            {[...versions].reverse().map((v) => (
              <tr key={v.id} className={editing?.id === v.id ? "selected" : undefined}>
                <td data-label="版本">
                  <span>
                    <strong>{v.name}</strong> {v.id === data.points.inForceId ? <span className="badge badge--ok">本月执行</span> : null}
                  </span>
                </td>
                <td data-label="适用月份" className="nowrap">{governedLabel(v.effectiveMonth, v.until)}</td>
                <td data-label="已结算月份">{closedSummary(v.closedMonths)}</td>
                <td data-label="说明">{v.note || "—"}</td>
                <td data-label="设置">
                  <Who name={v.createdBy} at={v.createdAt} />
                </td>
                <td data-label="操作">
                  {v.editable ? (
                    <Link to={`?edit=points-${v.id}#points-form`} aria-label={`修改${v.name}积分规则`}>
                      修改
                    </Link>
                  ) : (
                    <span className="muted small" title="已有月份按它结算，不能修改">已用于结算</span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <h3>各版本分值</h3>
      <div className="table-wrap table-wrap--fit">
        <table className="data rules-values">
          <caption className="sr-only">各版本的积分分值</caption>
          <thead>
            <tr>
              <th scope="col">规则</th>
              {versions.map((v) => (
                <th scope="col" key={v.id} className="num">
                  {v.name}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {POINTS_FIELDS.map((f) => (
              <tr key={f.name}>
                <th scope="row" className="cell-primary">
                  {f.label}
                </th>
                {versions.map((v, i) => {
                  const n = v.values[f.name];
                  const changed = i > 0 && versions[i - 1].values[f.name] !== n;
                  return (
                    <td key={v.id} data-label={v.name} className="num">
                      {changed ? (
                        <strong className="changed">
                          {signedPoints(n)}
                          <span className="sr-only">（较上一版本有调整）</span>
                        </strong>
                      ) : (
                        signedPoints(n)
                      )}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {versions.length > 1 ? <p className="muted small">加粗的分值较上一版本有调整。</p> : null}

      <div className={editing ? "subform card--focus" : "subform"} id="points-form">
        <h3>{editing ? `修改积分规则：${editing.name}` : "新建积分规则版本"}</h3>
        <p className="muted small">
          {editing
            ? `该版本适用于 ${governedLabel(editing.effectiveMonth, editing.until)}，还没有月份按它结算，因此可以直接修改；保存后会重新计算这些月份的积分。`
            : `下列分值已按本月执行的版本（${inForce?.name ?? ""}）填好，只需改动要调整的项。扣分项填负数。`}
        </p>
        <FormError error={formError} />
        <Form method="post" className="stack stack--wide" noValidate key={`${intent}-${editing?.id ?? versions.length}`}>
          <input type="hidden" name="intent" value={intent} />
          {editing ? (
            <input type="hidden" name="version_id" value={editing.id} />
          ) : (
            <MonthField id="points-month" defaultValue={typed?.effective_month ?? data.suggested} error={errors.effective_month} hint={<EarliestHint data={data} />} />
          )}
          {POINTS_GROUPS.map((g) => (
            <fieldset key={g.code} className="field-group">
              <legend>
                {g.name}
                {g.hint ? <span className="muted small">（{g.hint}）</span> : null}
              </legend>
              <div className="number-grid">
                {POINTS_FIELDS.filter((f) => f.group === g.code).map((f) => {
                  const id = `points-${f.name}`;
                  const error = errors[f.name];
                  return (
                    <div className="field" key={f.name}>
                      <label htmlFor={id}>{f.label}</label>
                      <input
                        id={id} name={f.name} type="text" inputMode={f.penalty ? undefined : "decimal"} autoComplete="off" required
                        defaultValue={value(f.name)} aria-invalid={error ? true : undefined}
                        aria-describedby={error ? `${id}-error` : f.penalty ? `${id}-hint` : undefined}
                      />
                      {f.penalty ? (
                        <span className="hint" id={`${id}-hint`}>
                          扣分，填负数
                        </span>
                      ) : null}
                      <FieldError id={id} error={error} />
                    </div>
                  );
                })}
              </div>
            </fieldset>
          ))}
          <NoteField id="points-note" defaultValue={typed?.note ?? (editing?.note ?? "")} error={errors.note} />
          <div className="button-row">
            <button type="submit" disabled={busy}>
              {editing ? "保存修改" : "新建版本"}
            </button>
            {editing ? <Link to="/admin/rules#points">取消</Link> : null}
          </div>
        </Form>
      </div>
    </section>
  );
}

// ---------------------------------------------------------------------------------------------
// Quotas per kind

function QuotaSection({ data, state, busy }: { data: Data; state: StateOf; busy: boolean }) {
  const versions = data.quotas.versions;
  const editing = data.edit?.kind === "quota" ? versions.find((v) => v.id === data.edit!.id) ?? null : null;
  const inForce = versions.find((v) => v.id === data.quotas.inForceId) ?? versions.at(-1);
  const intent = editing ? "update_quota" : "create_quota";
  const { errors, typed, formError } = state(intent);
  const base = (editing ?? inForce)?.quotas ?? {};
  return (
    <section className="card" id="quotas" aria-labelledby="quotas-title">
      <h2 id="quotas-title">月度任务数</h2>
      <p className="muted small">每类单位每月应被采用的信息条数。个别单位可在下方设置例外任务数。</p>
      <div className="table-wrap">
        <table className="data stack-on-phone">
          <caption className="sr-only">月度任务数版本</caption>
          <thead>
            <tr>
              <th scope="col">版本</th>
              <th scope="col">适用月份</th>
              {data.kinds.map((k) => (
                <th scope="col" key={k.code} className="num">
                  {k.name}
                </th>
              ))}
              <th scope="col">已结算月份</th>
              <th scope="col">说明</th>
              <th scope="col">设置</th>
              <th scope="col">操作</th>
            </tr>
          </thead>
          <tbody>
            {[...versions].reverse().map((v) => (
              <tr key={v.id} className={editing?.id === v.id ? "selected" : undefined}>
                <td data-label="版本">
                  <span>
                    <strong>{v.name}</strong> {v.id === data.quotas.inForceId ? <span className="badge badge--ok">本月执行</span> : null}
                  </span>
                </td>
                <td data-label="适用月份" className="nowrap">{governedLabel(v.effectiveMonth, v.until)}</td>
                {data.kinds.map((k) => (
                  <td key={k.code} data-label={k.name} className="num">
                    {v.quotas[k.code]} 条
                  </td>
                ))}
                <td data-label="已结算月份">{closedSummary(v.closedMonths)}</td>
                <td data-label="说明">{v.note || "—"}</td>
                <td data-label="设置">
                  <Who name={v.createdBy} at={v.createdAt} />
                </td>
                <td data-label="操作">
                  {v.editable ? (
                    <Link to={`?edit=quota-${v.id}#quota-form`} aria-label={`修改${v.name}月度任务数`}>
                      修改
                    </Link>
                  ) : (
                    <span className="muted small" title="已有月份按它结算，不能修改">已用于结算</span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <div className={editing ? "subform card--focus" : "subform"} id="quota-form">
        <h3>{editing ? `修改月度任务数：${editing.name}` : "新建月度任务数版本"}</h3>
        <p className="muted small">
          {editing
            ? `该版本适用于 ${governedLabel(editing.effectiveMonth, editing.until)}，还没有月份按它结算，因此可以直接修改。`
            : `已按本月执行的版本（${inForce?.name ?? ""}）填好。`}
        </p>
        <FormError error={formError} />
        <Form method="post" className="stack" noValidate key={`${intent}-${editing?.id ?? versions.length}`}>
          <input type="hidden" name="intent" value={intent} />
          {editing ? (
            <input type="hidden" name="version_id" value={editing.id} />
          ) : (
            <MonthField id="quota-month" defaultValue={typed?.effective_month ?? data.suggested} error={errors.effective_month} hint={<EarliestHint data={data} />} />
          )}
          <div className="number-grid">
            {data.kinds.map((k) => {
              const name = quotaFieldName(k.code);
              const id = `quota-${k.code}`;
              return (
                <div className="field" key={k.code}>
                  <label htmlFor={id}>{k.name}（条/月）</label>
                  <input
                    id={id} name={name} type="text" inputMode="numeric" autoComplete="off" required
                    defaultValue={typed?.[name] ?? String(base[k.code] ?? "")} aria-invalid={errors[name] ? true : undefined}
                    aria-describedby={errors[name] ? `${id}-error` : undefined}
                  />
                  <FieldError id={id} error={errors[name]} />
                </div>
              );
            })}
          </div>
          <NoteField id="quota-note" defaultValue={typed?.note ?? (editing?.note ?? "")} error={errors.note} />
          <div className="button-row">
            <button type="submit" disabled={busy}>
              {editing ? "保存修改" : "新建版本"}
            </button>
            {editing ? <Link to="/admin/rules#quotas">取消</Link> : null}
          </div>
        </Form>
      </div>
    </section>
  );
}

// ---------------------------------------------------------------------------------------------
// Per-unit overrides

function OverrideSection({ data, state, busy }: { data: Data; state: StateOf; busy: boolean }) {
  const editing = data.edit?.kind === "override" ? data.overrides.find((o) => o.id === data.edit!.id) ?? null : null;
  const intent = editing ? "update_override" : "set_override";
  const { errors, typed, formError } = state(intent);
  const kinds = [...new Set(data.units.map((u) => u.kind_name))];
  return (
    <section className="card" id="overrides" aria-labelledby="overrides-title">
      <h2 id="overrides-title">单位例外任务数</h2>
      <p className="muted small">
        个别单位（如新建、合并或规模特殊的单位）可从某月起执行自己的任务数，不随类别任务数变化；同一单位以最近生效的一条为准。
      </p>
      {data.overrides.length === 0 ? (
        <p className="muted">还没有设置例外任务数，所有单位都按类别任务数执行。</p>
      ) : (
        <div className="table-wrap">
          <table className="data stack-on-phone">
            <caption className="sr-only">单位例外任务数</caption>
            <thead>
              <tr>
                <th scope="col">单位</th>
                <th scope="col">生效月份</th>
                <th scope="col" className="num">
                  任务数
                </th>
                <th scope="col">理由</th>
                <th scope="col">设置</th>
                <th scope="col">操作</th>
              </tr>
            </thead>
            <tbody>
              {data.overrides.map((o) => (
                <tr key={o.id} className={editing?.id === o.id ? "selected" : undefined}>
                  <td data-label="单位">
                    <span className="cell-stack">
                      <span>{o.unitName}</span>
                      <span className="muted small">
                        {o.unitCode} · {o.kindName}
                      </span>
                    </span>
                  </td>
                  <td data-label="生效月份">{monthLabel(o.effectiveMonth)}起</td>
                  <td data-label="任务数" className="num">
                    <span className="cell-stack cell-stack--end">
                      <span>{o.quota} 条</span>
                      <span className="muted small">类别为 {o.kindQuota} 条</span>
                    </span>
                  </td>
                  <td data-label="理由">{o.reason || "—"}</td>
                  <td data-label="设置">
                    <Who name={o.createdBy} at={o.createdAt} />
                  </td>
                  <td data-label="操作">
                    {o.editable ? (
                      <Link to={`?edit=override-${o.id}#override-form`} aria-label={`修改${o.unitName}的例外任务数`}>
                        修改
                      </Link>
                    ) : (
                      <span className="muted small" title="已有月份按它结算，不能修改">已用于结算</span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      <div className={editing ? "subform card--focus" : "subform"} id="override-form">
        <h3>{editing ? `修改例外任务数：${editing.unitName}，${monthLabel(editing.effectiveMonth)}起` : "设置例外任务数"}</h3>
        <FormError error={formError} />
        <Form method="post" className="stack" noValidate key={`${intent}-${editing?.id ?? data.overrides.length}`}>
          <input type="hidden" name="intent" value={intent} />
          {editing ? (
            <input type="hidden" name="override_id" value={editing.id} />
          ) : (
            <>
              <div className="field">
                <label htmlFor="override-unit">单位</label>
                <select
                  id="override-unit" name="unit_id" required defaultValue={typed?.unit_id ?? ""}
                  aria-invalid={errors.unit_id ? true : undefined} aria-describedby={errors.unit_id ? "override-unit-error" : undefined}
                >
                  <option value="">请选择单位</option>
                  {kinds.map((kind) => (
                    <optgroup key={kind} label={kind}>
                      {data.units
                        .filter((u) => u.kind_name === kind)
                        .map((u) => (
                          <option key={u.id} value={u.id}>
                            {u.code} {u.name}
                          </option>
                        ))}
                    </optgroup>
                  ))}
                </select>
                <FieldError id="override-unit" error={errors.unit_id} />
              </div>
              <MonthField id="override-month" defaultValue={typed?.effective_month ?? data.suggested} error={errors.effective_month} hint={<EarliestHint data={data} />} />
            </>
          )}
          <div className="field">
            <label htmlFor="override-quota">月度任务数（条/月）</label>
            <input
              id="override-quota" name="quota" type="text" inputMode="numeric" autoComplete="off" required
              defaultValue={typed?.quota ?? (editing ? String(editing.quota) : "")} aria-invalid={errors.quota ? true : undefined}
              aria-describedby={errors.quota ? "override-quota-error override-quota-hint" : "override-quota-hint"}
            />
            <span className="hint" id="override-quota-hint">
              0 到 {MAX_QUOTA} 的整数；0 表示该月起不设任务，不计达标与不报。
            </span>
            <FieldError id="override-quota" error={errors.quota} />
          </div>
          <div className="field">
            <label htmlFor="override-reason">理由</label>
            <input
              id="override-reason" name="reason" type="text" maxLength={REASON_MAX} required
              defaultValue={typed?.reason ?? (editing?.reason ?? "")} placeholder="如：2026 年秋季学期新开办，首学期减半"
              aria-invalid={errors.reason ? true : undefined} aria-describedby={errors.reason ? "override-reason-error" : undefined}
            />
            <FieldError id="override-reason" error={errors.reason} />
          </div>
          <div className="button-row">
            <button type="submit" disabled={busy}>
              {editing ? "保存修改" : "设置"}
            </button>
            {editing ? <Link to="/admin/rules#overrides">取消</Link> : null}
          </div>
        </Form>
      </div>
    </section>
  );
}

