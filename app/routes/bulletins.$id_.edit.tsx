// /bulletins/:id/edit (reviewers): the draft of an issue. Pick adopted items (by month, unit and
// keyword), order them (上移/下移, plain POSTs), edit each item's bulletin title and body beside the
// school's original with the difference marked, the 编者按, 期号, 编印单位, date and 报/送/发; save
// (409 when someone else saved first); then 签发 on its own confirmation page. No JavaScript needed.
import { type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { Link } from "~/components/link";
import { DiffText } from "~/components/bulletin-view";
import { DataTable } from "~/components/data-table";
import { FilterBar } from "~/components/filter-bar";
import { Field, FormError, formStateOf, TextAreaField, TextField, shownValue, type FormState } from "~/components/form-kit";
import { Pager } from "~/components/pager";
import { BULLETIN_LIMITS, isEdited, issueTitle, textDiff } from "~/domain/bulletins";
import { GRADES, nameOf } from "~/domain/catalog";
import { monthLabel } from "~/domain/time";
import { BULLETIN_EDIT_INTENTS, bulletinAction, loadDraftBulletin, readDraftBulletinPost } from "~/lib/bulletin-actions.server";
import { param, readQuery } from "~/lib/query";
import { bulletinCandidates } from "~/models/bulletins.server";
import { itemMonths } from "~/models/rollup.server";
import bulletinStyles from "~/styles/bulletins.css";
import { pickUnit, unitFilterView } from "~/domain/unit-pick";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: bulletinStyles }];

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `编辑${data?.title ?? "简报"} - 教育信息报送平台` }];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { db, b } = await loadDraftBulletin(request, context, params.id);
  const id = b.id;
  const [units, months] = await Promise.all([
    db.selectFrom("units").select(["id", "code", "name"]).orderBy("code").execute(),
    itemMonths(db),
  ]);
  const search = new URL(request.url).searchParams;
  // The unit is an id (the portal's links) or a code or name typed into the unit search box.
  const unitPick = pickUnit(units, search.get("unit") ?? undefined);
  const filters = { ...readQuery(search, { month: param.month(months), q: param.text(), page: param.page() }), unit: unitPick.unit?.id };
  const candidates = await bulletinCandidates(db, id, filters);
  return {
    id: b.id,
    version: b.version,
    title: issueTitle(b.name, b.number),
    fields: {
      number: String(b.number), name: b.name, editor_note: b.editor_note, editor_unit: b.editor_unit, issue_date: b.issue_date,
      report_to: b.report_to, send_to: b.send_to, issue_to: b.issue_to,
    },
    items: b.items.map((i) => ({
      itemId: i.itemId, unitName: i.unitName, month: i.month, grade: i.grade, status: i.status,
      title: i.title, body: i.body, originalTitle: i.originalTitle, originalBody: i.originalBody,
      edited: isEdited(i), titleDiff: textDiff(i.originalTitle, i.title), bodyDiff: textDiff(i.originalBody, i.body),
    })),
    filters,
    unitFilter: unitFilterView(units, unitPick),
    months: [...months].reverse().map((m) => ({ value: m, label: monthLabel(m) })),
    candidates,
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { user, id, form } = await readDraftBulletinPost(request, context, params.id);
  const url = new URL(request.url);
  return bulletinAction(context.dbs.db, { form, id, user, ip: context.ip, back: `${url.pathname}${url.search}`, intents: BULLETIN_EDIT_INTENTS });
}

const SAVE_FORM = "bulletin-save";

function VersionInput({ version }: { version: number }) {
  return <input type="hidden" name="version" value={version} />;
}

function ItemForm({ intent, itemId, version, label, disabled }: { intent: string; itemId: number; version: number; label: string; disabled?: boolean }) {
  return (
    <Form method="post" replace>
      <input type="hidden" name="intent" value={intent} />
      <input type="hidden" name="item_id" value={itemId} />
      <VersionInput version={version} />
      <button type="submit" className="button--secondary button--small" disabled={disabled}>
        {label}
      </button>
    </Form>
  );
}

function TextBox({ form, name, label, value, rows }: { form: FormState; name: string; label: string; value: string; rows: number }) {
  return (
    <Field form={form} name={name} label={label}>
      {(control) => <textarea {...control} form={SAVE_FORM} rows={rows} defaultValue={shownValue(form, name, value)} />}
    </Field>
  );
}

export default function EditBulletin() {
  const d = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const save = formStateOf(failure, "save", "b-");
  const other = ["add", "remove", "up", "down"].map((i) => formStateOf(failure, i)).find((f) => f.failed);
  const f = d.fields;
  return (
    <>
      <p className="breadcrumb">
        <Link to="/bulletins">简报</Link> › <Link to={`/bulletins/${d.id}`}>{d.title}</Link> › 编辑
      </p>
      <div className="page-head">
        <h1>编辑{d.title}</h1>
        <span className="badge">草稿</span>
        <a href={`/bulletins/${d.id}.docx`} className="button button--secondary">
          Word 预览
        </a>
        <Link to={`/bulletins/${d.id}/publish`} className="button">
          签发…
        </Link>
      </div>
      {other ? <FormError error={other.formError} /> : null}

      <Form method="post" id={SAVE_FORM} className="card stack" aria-label="简报信息" noValidate>
        <h2>报头与分送</h2>
        <input type="hidden" name="intent" value="save" />
        <VersionInput version={d.version} />
        <FormError error={save.formError} />
        <TextField form={save} name="number" label="期号" hint="本年度已签发的最大期号加 1；可改" inputMode="numeric" defaultValue={f.number} required className="input--short" />
        <TextField form={save} name="name" label="简报名称" defaultValue={f.name} maxLength={BULLETIN_LIMITS.name} required />
        <TextField form={save} name="issue_date" label="印发日期" type="date" defaultValue={f.issue_date} required />
        <TextField form={save} name="editor_unit" label="编印单位" defaultValue={f.editor_unit} maxLength={BULLETIN_LIMITS.editorUnit} required />
        <TextAreaField form={save} name="editor_note" label="编者按" hint="可不填" rows={3} defaultValue={f.editor_note} maxLength={BULLETIN_LIMITS.editorNote} />
        <TextField form={save} name="report_to" label="报" hint="如：市教育局办公室" defaultValue={f.report_to} maxLength={BULLETIN_LIMITS.distribution} />
        <TextField form={save} name="send_to" label="送" hint="如：县委办、县政府办" defaultValue={f.send_to} maxLength={BULLETIN_LIMITS.distribution} />
        <TextField form={save} name="issue_to" label="发" hint="如：各乡镇中心学校，县直各学校、幼儿园" defaultValue={f.issue_to} maxLength={BULLETIN_LIMITS.distribution} />
        <div className="button-row">
          <button type="submit">保存</button>
        </div>
      </Form>

      <section className="card" aria-labelledby="items-title">
        <h2 id="items-title">收录的信息（{d.items.length} 条）</h2>
        {d.items.length === 0 ? <p className="muted">还没有收录信息：从下方“已采用的稿件”中加入。</p> : null}
        {d.items.map((item, index) => (
          <article key={item.itemId} className="bulletin-editor-item" aria-label={`第 ${index + 1} 条：${item.originalTitle}`}>
            <header>
              <strong>
                {index + 1}. <Link to={`/review/${item.itemId}`}>{item.originalTitle}</Link>
              </strong>
              <span className="muted small">
                {item.unitName} · {item.month ? monthLabel(item.month) : ""} · {item.grade ? nameOf(GRADES, item.grade) : ""}
                {item.status !== "adopted" ? " · 已不是“已采用”，请移出" : ""}
                {item.edited ? " · 已改写" : ""}
              </span>
              <span className="bulletin-moves">
                <ItemForm intent="up" itemId={item.itemId} version={d.version} label="上移" disabled={index === 0} />
                <ItemForm intent="down" itemId={item.itemId} version={d.version} label="下移" disabled={index === d.items.length - 1} />
                <ItemForm intent="remove" itemId={item.itemId} version={d.version} label="移出" />
              </span>
            </header>
            <div className="bulletin-sides">
              <div>
                <p className="small muted">学校原稿（不会被修改）</p>
                <p>
                  <strong>{item.originalTitle}</strong>
                </p>
                <div className="bulletin-original">{item.originalBody}</div>
              </div>
              <div>
                <TextBox form={save} name={`title_${item.itemId}`} label="简报标题" value={item.title} rows={1} />
                <TextBox form={save} name={`body_${item.itemId}`} label="简报正文" value={item.body} rows={8} />
              </div>
            </div>
            {item.edited ? (
              <details open>
                <summary>与原稿的差异（已保存的简报文字）</summary>
                <DiffText parts={item.titleDiff} label="标题差异" />
                <DiffText parts={item.bodyDiff} label="正文差异" />
              </details>
            ) : null}
          </article>
        ))}
        {d.items.length > 0 ? (
          <div className="button-row">
            <button type="submit" form={SAVE_FORM}>
              保存
            </button>
          </div>
        ) : null}
      </section>

      <section className="card bulletin-candidates" aria-labelledby="candidates-title">
        <h2 id="candidates-title">已采用的稿件</h2>
        <FilterBar
          idPrefix="c-"
          fields={[
            { name: "month", label: "报送月份", options: d.months, all: "全部月份" },
            {
              type: "unit", name: "unit", label: "单位", all: "全部单位", view: d.unitFilter,
              options: d.unitFilter.mode === "select" ? d.unitFilter.units.map((u) => ({ value: u.id, label: u.name })) : undefined,
            },
            { type: "search", name: "q", label: "关键词" },
          ]}
          values={d.filters}
          clearHref={`/bulletins/${d.id}/edit`}
        />
        {d.candidates.rows.length === 0 ? (
          <p className="muted">没有符合条件的已采用稿件。</p>
        ) : (
          <DataTable
            caption="可加入的已采用稿件"
            rows={d.candidates.rows}
            rowKey={(r) => r.id}
            columns={[
              { header: "标题", primary: true, cell: (r) => <Link to={`/review/${r.id}`}>{r.title}</Link> },
              { header: "单位", cell: (r) => r.unitName },
              { header: "月份", cell: (r) => (r.month ? monthLabel(r.month) : "") },
              { header: "等次", cell: (r) => (r.grade ? nameOf(GRADES, r.grade) : "") },
              { header: "操作", cell: (r) => <ItemForm intent="add" itemId={r.id} version={d.version} label="加入" /> },
            ]}
          />
        )}
        <Pager page={d.candidates.page} pages={d.candidates.pages} total={d.candidates.total} />
      </section>
    </>
  );
}
