// 报送要点: the bureau publishes a month's themes, changes them and deletes unused ones, and sees
// each theme's coverage. Plain POST forms; every write is audited by the model.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useLoaderData, useNavigation } from "@remix-run/react";
import { Link } from "~/components/link";
import { FilterBar } from "~/components/filter-bar";
import { FormError, SelectField, SubmitRow, TextAreaField, TextField } from "~/components/form-kit";
import { useIntentForm, useUnclaimedError } from "~/components/intent-form";
import { ThemeCoverageList } from "~/components/theme-cards";
import { parseId } from "~/domain/fields";
import { THEME_LIMITS, themeFormSchema, themeMonthProblem } from "~/domain/themes";
import { addMonths, monthLabel, shanghaiMonth } from "~/domain/time";
import { actorOf, refused } from "~/lib/action-data.server";
import { redirectWithFlash } from "~/lib/flash.server";
import { badRequest, invalid, parseForm, readForm } from "~/lib/form.server";
import { param, readQuery } from "~/lib/query";
import { notFound, requirePermission } from "~/lib/session.server";
import { closedMonths } from "~/models/months.server";
import { activeCategories, createTheme, deleteTheme, liveCoverage, THEME_NOT_FOUND, updateTheme } from "~/models/themes.server";

export const meta: MetaFunction = () => [{ title: "报送要点 - 教育信息报送平台" }];

/** The fields the create and edit forms show a message beside (the month is a hidden field). */
const SHOWN = ["title", "guidance", "category_id", "sort_order"];

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requirePermission(request, context, "themes.manage");
  const db = context.dbs.reader;
  const current = shanghaiMonth(new Date());
  const query = readQuery(new URL(request.url).searchParams, { month: param.month(), edit: param.id() });
  const month = query.month ?? current;
  const [themes, categories, closed] = await Promise.all([liveCoverage(db, month), activeCategories(db), closedMonths(db)]);
  const locked = themeMonthProblem(month, { currentMonth: current, closedMonths: closed });
  const editing = query.edit ? (themes.find((t) => t.id === query.edit) ?? null) : null;
  return { month, current, themes, categories, locked, editing, closed: closed.has(month) };
}

function backTo(month: string) {
  return `/themes?month=${month}`;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requirePermission(request, context, "themes.manage");
  const form = await readForm(request);
  const intent = String(form.get("intent") ?? "");
  const actor = actorOf(user, context);
  switch (intent) {
    case "create": {
      const month = String(form.get("month") ?? "");
      const parsed = parseForm(form, themeFormSchema());
      if (!parsed.ok) return invalid({ ...parsed, intent });
      const result = await createTheme(context.dbs.db, month, parsed.data, actor);
      if (!result.ok) return refused(result, { intent, form, shows: SHOWN });
      return redirectWithFlash(backTo(result.month), `已发布${monthLabel(result.month)}报送要点“${result.title}”`);
    }
    case "update": {
      const id = parseId(form.get("id"));
      if (!id) notFound(THEME_NOT_FOUND);
      const parsed = parseForm(form, themeFormSchema());
      if (!parsed.ok) return invalid({ ...parsed, intent });
      const version = parseId(form.get("version"));
      if (!version) return badRequest("页面已过期，请刷新后重试。");
      const result = await updateTheme(context.dbs.db, id, parsed.data, version, actor);
      if (!result.ok) return refused(result, { intent, form, shows: SHOWN });
      return redirectWithFlash(backTo(result.month), result.changed === false ? "没有需要保存的修改" : `报送要点“${result.title}”已修改`);
    }
    case "delete": {
      const id = parseId(form.get("id"));
      if (!id) notFound(THEME_NOT_FOUND);
      const result = await deleteTheme(context.dbs.db, id, actor);
      if (!result.ok) return refused(result, { intent, form, shows: [] });
      return redirectWithFlash(backTo(result.month), `已删除报送要点“${result.title}”`);
    }
    default:
      return badRequest("未知的操作，请刷新页面后重试。");
  }
}

type Data = ReturnType<typeof useLoaderData<typeof loader>>;
const categoryChoices = (list: Data["categories"]) => list.map((c) => ({ value: c.id, label: c.name }));

function ThemeFields({ prefix, categories, defaults }: { prefix: string; categories: Data["categories"]; defaults?: Data["themes"][number] }) {
  const form = useIntentForm(prefix === "edit-" ? "update" : "create", prefix);
  return (
    <>
      <FormError error={form.formError} />
      <TextField form={form} name="title" label="要点标题" maxLength={THEME_LIMITS.titleMax} required defaultValue={defaults?.title} hint={`不超过 ${THEME_LIMITS.titleMax} 字，如“开学第一课”。`} />
      <TextAreaField
        form={form} name="guidance" label="报送说明（可选）" rows={3} maxLength={THEME_LIMITS.guidanceMax} defaultValue={defaults?.guidance}
        hint={`写给信息员：希望报送什么、侧重哪些方面；不超过 ${THEME_LIMITS.guidanceMax} 字。`}
      />
      <div className="form-row">
        <SelectField form={form} name="category_id" label="对应栏目（可选）" placeholder="不限栏目" options={categoryChoices(categories)} defaultValue={defaults?.categoryId} />
        <TextField form={form} name="sort_order" label="排序" type="number" min={0} max={99} defaultValue={defaults?.sortOrder ?? 0} hint="数字小的排在前面。" />
      </div>
    </>
  );
}

function EditTheme({ theme, categories, month }: { theme: Data["themes"][number]; categories: Data["categories"]; month: string }) {
  const del = useIntentForm("delete", "delete-");
  return (
    <section className="card card--focus" aria-labelledby="edit-theme-title">
      <h2 id="edit-theme-title">修改“{theme.title}”</h2>
      <Form method="post" className="stack" noValidate key={theme.version}>
        <input type="hidden" name="intent" value="update" />
        <input type="hidden" name="id" value={theme.id} />
        <input type="hidden" name="version" value={theme.version} />
        <ThemeFields prefix="edit-" categories={categories} defaults={theme} />
        <div className="button-row">
          <button type="submit">保存修改</button>
          <Link to={backTo(month)}>取消</Link>
        </div>
      </Form>
      <Form method="post" className="danger-zone">
        <FormError error={del.formError} />
        <input type="hidden" name="intent" value="delete" />
        <input type="hidden" name="id" value={theme.id} />
        <span className="muted small">
          {theme.tagged > 0 ? `已有 ${theme.tagged} 篇稿件标注了这个要点，不能删除。` : "还没有稿件标注这个要点，可以删除。"}
        </span>
        <button type="submit" className="button--secondary">
          删除此要点
        </button>
      </Form>
    </section>
  );
}

export default function ThemesPage() {
  const { month, current, themes, categories, locked, editing, closed } = useLoaderData<typeof loader>();
  const busy = useNavigation().state === "submitting";
  // Forms on screen show their own refusals; anything else is shown at the top.
  const unclaimed = useUnclaimedError(locked ? [] : editing ? ["create", "update", "delete"] : ["create"]);
  return (
    <>
      <div className="page-head">
        <h1>报送要点</h1>
        <span className="muted">{monthLabel(month)}</span>
      </div>
      <p className="muted small">
        每月发布若干报送要点，信息员写稿时可标注稿件对应的要点。一个要点由某单位“覆盖”，指该单位标注此要点、计入{monthLabel(month)}的稿件中至少一篇已被采用；
        {"“报送”指至少一篇已报送教体局。应报单位为当月有任务数的在用单位。月度结算时冻结各要点的完成情况，写入当月通报。"}
      </p>
      <FilterBar values={{ month }} fields={[{ type: "month", name: "month", label: "月份" }]} />
      <p className="button-row small">
        <Link to={backTo(addMonths(month, -1))} className="tap-target">
          ← 上月
        </Link>
        {month !== current ? (
          <Link to={backTo(current)} className="tap-target">
            本月
          </Link>
        ) : null}
        <Link to={backTo(addMonths(month, 1))} className="tap-target">
          下月 →
        </Link>
      </p>
      <FormError error={unclaimed} />
      {editing && !locked ? <EditTheme theme={editing} categories={categories} month={month} /> : null}

      <h2>{monthLabel(month)}的报送要点（{themes.length}）</h2>
      {closed ? <p className="callout">本月已结算，以下为当前数字；通报使用结算时冻结的数字。</p> : null}
      {themes.length === 0 ? (
        <p className="card muted">本月还没有报送要点。</p>
      ) : (
        <>
          <ThemeCoverageList themes={themes} editHref={locked ? undefined : (id) => `/themes?month=${month}&edit=${id}`} />
        </>
      )}

      {locked ? (
        <p className="callout">{locked}。</p>
      ) : (
        <section className="card" aria-labelledby="new-theme-title">
          <h2 id="new-theme-title">发布{monthLabel(month)}报送要点</h2>
          <Form method="post" className="stack" noValidate>
            <input type="hidden" name="intent" value="create" />
            <input type="hidden" name="month" value={month} />
            <ThemeFields prefix="new-" categories={categories} />
            <SubmitRow label="发布" busy={busy} />
          </Form>
        </section>
      )}
    </>
  );
}
