import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { Link } from "~/components/link";
import { DataTable } from "~/components/data-table";
import { FilterBar } from "~/components/filter-bar";
import { FormError, SelectField, SubmitRow, TextAreaField, TextField, type FormState } from "~/components/form-kit";
import { useIntentForm, useUnclaimedError } from "~/components/intent-form";
import { PagedList } from "~/components/pager";
import { parseId } from "~/domain/fields";
import {
  bulkFormSchema, levelName, MAX_BULK_WORDS, NOTE_MAX, parseBulkWords, WORD_LEVELS, WORD_MAX, wordFormSchema, wordUpdateSchema,
  type BulkLineProblem,
} from "~/domain/lexicon";
import { formatShanghai } from "~/domain/time";
import { actorOf, refused, submitForm } from "~/lib/action-data.server";
import { redirectWithFlash } from "~/lib/flash.server";
import { badRequest, formValues, invalid, parseForm, readForm } from "~/lib/form.server";
import { param, readQuery } from "~/lib/query";
import { notFound, requirePermission } from "~/lib/session.server";
import { addWord, addWords, deleteWord, getWord, listWords, updateWord, WORD_NOT_FOUND } from "~/models/sensitive-words.server";

export const meta: MetaFunction = () => [{ title: "错敏词库 - 教育信息报送平台" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requirePermission(request, context, "admin.lexicon");
  const { level, q, page, edit } = readQuery(new URL(request.url).searchParams, {
    level: param.oneOf(WORD_LEVELS.map((l) => l.code), ""),
    q: param.text(50),
    page: param.page(),
    edit: param.id(),
  });
  const [list, editing] = await Promise.all([
    listWords(context.dbs.reader, { level: level || undefined, q, page }),
    edit ? getWord(context.dbs.reader, edit) : undefined,
  ]);
  return { list, page, filters: { level, q }, editing: editing ?? null };
}

/** Back to the list the person was looking at, without the edit box. */
function listHref(request: Request): string {
  const params = new URL(request.url).searchParams;
  params.delete("edit");
  params.delete("index");
  const s = params.toString();
  return s ? `/admin/words?${s}` : "/admin/words";
}

/** "甲、乙、丙等 12 个" — short enough for the flash cookie. */
function someWords(words: readonly string[], max = 10): string {
  const shown = words.slice(0, max).map((w) => `“${w}”`).join("、");
  return words.length > max ? `${shown}等 ${words.length} 个` : shown;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requirePermission(request, context, "admin.lexicon");
  const form = await readForm(request);
  const intent = String(form.get("intent") ?? "");
  const actor = actorOf(user, context);
  const back = listHref(request);

  switch (intent) {
    case "add": {
      return submitForm(form, {
        schema: wordFormSchema(), intent,
        write: (input) => addWord(context.dbs.db, input, actor),
        done: (_, input) => redirectWithFlash(back, `已添加${levelName(input.level)}词“${input.word}”`),
      });
    }
    case "update": {
      const id = parseId(form.get("id"));
      if (!id) notFound(WORD_NOT_FOUND);
      return submitForm(form, {
        schema: wordUpdateSchema(), intent,
        write: (input) => updateWord(context.dbs.db, id, input, actor),
        done: (result) => redirectWithFlash(back, result.changed === false ? "没有需要保存的修改" : "修改已保存"),
      });
    }
    case "delete": {
      const id = parseId(form.get("id"));
      if (!id) notFound(WORD_NOT_FOUND);
      const result = await deleteWord(context.dbs.db, id, actor);
      if (!result.ok) return refused(result, { intent, form });
      return redirectWithFlash(back, `已删除“${result.word}”`);
    }
    case "bulk": {
      const parsed = parseForm(form, bulkFormSchema());
      if (!parsed.ok) return invalid({ ...parsed, intent });
      const list = parseBulkWords(parsed.data.words, parsed.data.level);
      if (!list.ok) {
        const lineProblems = list.problems.filter((p) => p.line > 0);
        const message = lineProblems.length > 0 ? `有 ${lineProblems.length} 行无法导入，未写入任何词，请修改后重试` : list.problems[0].message;
        return data(
          { ok: false as const, intent, fieldErrors: { words: message }, values: formValues(form), problems: lineProblems.slice(0, 100) },
          { status: 400 },
        );
      }
      const result = await addWords(context.dbs.db, list.entries, parsed.data.note, actor, { repeated: list.repeated });
      const parts = [result.added.length > 0 ? `已导入 ${result.added.length} 个词` : "没有导入新词"];
      if (result.existing.length > 0) parts.push(`跳过词库中已有的${someWords(result.existing)}（等级未改动）`);
      if (list.repeated.length > 0) parts.push(`重复填写的${someWords(list.repeated)}只导入一次`);
      return redirectWithFlash(back, parts.join("；"));
    }
    default:
      return badRequest("未知的操作，请刷新页面后重试。");
  }
}

const LEVEL_CHOICES = WORD_LEVELS.map((l) => ({ value: l.code, label: `${l.name}（${l.hint}）` }));

function LevelBadge({ level }: { level: string }) {
  return <span className={`badge ${level === "block" ? "badge--err" : "badge--warn"}`}>{levelName(level)}</span>;
}

function LevelField({ form, label, defaultValue }: { form: FormState; label: string; defaultValue: string }) {
  return <SelectField form={form} name="level" label={label} defaultValue={defaultValue} options={LEVEL_CHOICES} />;
}

function EditWord({ editing, closeHref }: { editing: { id: number; word: string; level: string; note: string; updated_at: string }; closeHref: string }) {
  const form = useIntentForm("update", "edit-");
  return (
    <section className="card card--focus" aria-labelledby="edit-title">
      <h2 id="edit-title">修改“{editing.word}”</h2>
      <FormError error={form.formError} />
      <Form method="post" className="stack" noValidate key={editing.updated_at}>
        <input type="hidden" name="intent" value="update" />
        <input type="hidden" name="id" value={editing.id} />
        <LevelField form={form} label="等级" defaultValue={editing.level} />
        <TextField form={form} name="note" label="说明" maxLength={NOTE_MAX} defaultValue={editing.note} />
        <div className="button-row">
          <button type="submit">保存修改</button>
          <Link to={closeHref}>取消</Link>
        </div>
      </Form>
      <Form method="post" className="danger-zone">
        <input type="hidden" name="intent" value="delete" />
        <input type="hidden" name="id" value={editing.id} />
        <span className="muted small">删除后，已报送稿件中的这个词不再被标出。</span>
        <button type="submit" className="button--secondary">
          删除此词
        </button>
      </Form>
    </section>
  );
}

function AddWord({ busy }: { busy: boolean }) {
  const form = useIntentForm("add", "add-");
  return (
    <section className="card" aria-labelledby="add-title">
      <h2 id="add-title">添加一个词</h2>
      <FormError error={form.formError} />
      <Form method="post" className="stack" noValidate>
        <input type="hidden" name="intent" value="add" />
        <TextField form={form} name="word" label="词语" maxLength={WORD_MAX} required />
        <LevelField form={form} label="等级" defaultValue="warn" />
        <TextField form={form} name="note" label="说明（可选）" maxLength={NOTE_MAX} placeholder="如：错别字，应为“部署”" />
        <SubmitRow label="添加" busy={busy} />
      </Form>
    </section>
  );
}

function BulkWords({ busy }: { busy: boolean }) {
  const form = useIntentForm("bulk", "bulk-");
  const failure = useActionData<{ problems?: BulkLineProblem[] }>();
  const problems = form.failed ? failure?.problems ?? [] : [];
  return (
    <section className="card" aria-labelledby="bulk-title">
      <h2 id="bulk-title">批量添加</h2>
      <FormError error={form.formError} />
      <Form method="post" className="stack" noValidate>
        <input type="hidden" name="intent" value="bulk" />
        <TextAreaField
          form={form} name="words" label="词语，每行一个" rows={6} placeholder={"布署,提示\n内部资料,禁用\n其它"}
          hint={`可在词后加“,禁用”或“,提示”单独指定等级。词库中已有的词和重复填写的词会跳过并列出，不会改动原有等级；只要有一行不合格，就什么都不导入。一次最多 ${MAX_BULK_WORDS} 个。`}
        />
        <LevelField form={form} label="未指定等级的词按" defaultValue="warn" />
        <TextField form={form} name="note" label="说明（可选，用于本次全部词）" maxLength={NOTE_MAX} />
        <SubmitRow label="检查并导入" busy={busy} />
      </Form>
      {problems.length > 0 ? (
        <div aria-labelledby="bulk-problems">
          <h3 id="bulk-problems">以下各行有问题</h3>
          <ul className="problem-list">
            {problems.map((p) => (
              <li key={p.line}>
                第 {p.line} 行“{p.text}”：{p.message}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </section>
  );
}

export default function LexiconPage() {
  const { list, page, filters, editing } = useLoaderData<typeof loader>();
  const busy = useNavigation().state === "submitting";
  const [params] = useSearchParams();
  const unclaimed = useUnclaimedError(["add", "bulk", "update"]);
  const editHref = (id: number) => {
    const next = new URLSearchParams(params);
    next.set("edit", String(id));
    return `?${next}`;
  };
  const closeHref = (() => {
    const next = new URLSearchParams(params);
    next.delete("edit");
    const s = next.toString();
    return s ? `?${s}` : "/admin/words";
  })();

  return (
    <>
      <div className="page-head">
        <h1>错敏词库</h1>
        <span className="muted">
          禁用词 {list.counts.block} 个 · 提示词 {list.counts.warn} 个
        </span>
      </div>
      <p className="muted small">
        稿件含有<strong>禁用词</strong>时不能报送，系统会指明是哪个词；<strong>提示词</strong>只在校内审核和教体局审核时高亮提醒。
        {"比对时不区分英文字母大小写，修改后立即生效。"}
      </p>
      <FormError error={unclaimed} />

      {editing ? <EditWord editing={editing} closeHref={closeHref} /> : null}

      <div className="two-col">
        <AddWord busy={busy} />
        <BulkWords busy={busy} />
      </div>

      <h2>词库</h2>
      <FilterBar
        values={filters}
        fields={[
          { type: "search", name: "q", label: "搜索", placeholder: "词语或说明" },
          { name: "level", label: "等级", all: "全部", options: WORD_LEVELS.map((l) => ({ value: l.code, label: l.name })) },
        ]}
      />
      <PagedList list={list} page={page} empty="没有符合条件的词。">
        <DataTable
          className="data stack-on-phone words-table"
          rows={list.rows}
          rowKey={(w) => w.id}
          rowClassName={(w) => (editing?.id === w.id ? "selected" : undefined)}
          columns={[
            { header: "词语", className: "words-table__word", cell: (w) => <strong>{w.word}</strong> },
            { header: "等级", className: "words-table__level", cell: (w) => <LevelBadge level={w.level} /> },
            { header: "说明", className: "words-table__note", cell: (w) => w.note || <span className="muted">—</span> },
            { header: "更新时间", className: "words-table__time", cell: (w) => formatShanghai(w.updated_at) },
            {
              header: "操作",
              className: "words-table__action",
              cell: (w) => (
                <Link to={editHref(w.id)} className="tap-target" aria-label={`修改或删除“${w.word}”`}>
                  修改
                </Link>
              ),
            },
          ]}
        />
      </PagedList>
    </>
  );
}
