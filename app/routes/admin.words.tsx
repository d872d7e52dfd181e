import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { FieldError, FormError } from "~/components/form-fields";
import { Pager } from "~/components/pager";
import {
  bulkFormSchema, isWordLevel, levelName, MAX_BULK_WORDS, NOTE_MAX, parseBulkWords, WORD_LEVELS, WORD_MAX,
  wordFormSchema, wordUpdateSchema, type BulkLineProblem,
} from "~/domain/lexicon";
import { formatShanghai } from "~/domain/time";
import { redirectWithFlash } from "~/lib/flash.server";
import { badRequest, formValues, invalid, parseForm, readForm } from "~/lib/form.server";
import { pageParam } from "~/lib/query";
import { notFound, requirePermission } from "~/lib/session.server";
import { addWord, addWords, deleteWord, getWord, listWords, updateWord } from "~/models/sensitive-words.server";
import { parseId } from "~/domain/fields";

export const meta: MetaFunction = () => [{ title: "错敏词库 - 教育信息报送平台" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requirePermission(request, context, "admin.lexicon");
  const params = new URL(request.url).searchParams;
  const levelParam = params.get("level") ?? "";
  const level = isWordLevel(levelParam) ? levelParam : undefined;
  const q = (params.get("q") ?? "").trim().slice(0, 50);
  const page = pageParam(params);
  const editId = parseId(params.get("edit"));
  const [list, editing] = await Promise.all([
    listWords(context.dbs.reader, { level, q, page }),
    editId ? getWord(context.dbs.reader, editId) : undefined,
  ]);
  return { list, page, filters: { level: level ?? "", q }, editing: editing ?? null };
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
  const actor = { id: user.id, username: user.username, ip: context.ip };
  const back = listHref(request);

  switch (intent) {
    case "add": {
      const parsed = parseForm(form, wordFormSchema());
      if (!parsed.ok) return invalid(parsed);
      const result = await addWord(context.dbs.db, parsed.data, actor);
      if (!result.ok) {
        if (result.reason === "not_found") notFound();
        return invalid({ ok: false, fieldErrors: result.fieldErrors, values: formValues(form) });
      }
      return redirectWithFlash(back, `已添加${levelName(parsed.data.level)}词“${parsed.data.word}”`);
    }
    case "update": {
      const id = parseId(form.get("id"));
      if (!id) notFound("该词不存在或已被删除。");
      const parsed = parseForm(form, wordUpdateSchema());
      if (!parsed.ok) return invalid(parsed);
      const result = await updateWord(context.dbs.db, id, parsed.data, actor);
      if (!result.ok) {
        if (result.reason === "not_found") notFound("该词不存在或已被删除。");
        return invalid({ ok: false, fieldErrors: result.fieldErrors, values: formValues(form) });
      }
      return redirectWithFlash(back, result.changed === false ? "没有需要保存的修改" : "修改已保存");
    }
    case "delete": {
      const id = parseId(form.get("id"));
      if (!id) notFound("该词不存在或已被删除。");
      const result = await deleteWord(context.dbs.db, id, actor);
      if (!result.ok) notFound("该词不存在或已被删除。");
      return redirectWithFlash(back, `已删除“${result.word}”`);
    }
    case "bulk": {
      const parsed = parseForm(form, bulkFormSchema());
      if (!parsed.ok) return invalid(parsed);
      const list = parseBulkWords(parsed.data.words, parsed.data.level);
      if (!list.ok) {
        const lineProblems = list.problems.filter((p) => p.line > 0);
        const message = lineProblems.length > 0 ? `有 ${lineProblems.length} 行无法导入，未写入任何词，请修改后重试` : list.problems[0].message;
        return data(
          { ok: false as const, fieldErrors: { words: message }, values: formValues(form), problems: lineProblems.slice(0, 100) },
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

interface Failure {
  ok: false;
  formError?: string;
  fieldErrors: Record<string, string>;
  values: Record<string, string>;
  problems?: BulkLineProblem[];
}

function LevelBadge({ level }: { level: string }) {
  return <span className={`badge ${level === "block" ? "badge--err" : "badge--warn"}`}>{levelName(level)}</span>;
}

function LevelSelect({ id, name, defaultValue, error }: { id: string; name: string; defaultValue: string; error?: string }) {
  return (
    <select id={id} name={name} defaultValue={defaultValue} aria-invalid={error ? true : undefined} aria-describedby={error ? `${id}-error` : undefined}>
      {WORD_LEVELS.map((l) => (
        <option key={l.code} value={l.code}>
          {l.name}（{l.hint}）
        </option>
      ))}
    </select>
  );
}

export default function LexiconPage() {
  const { list, page, filters, editing } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const navigation = useNavigation();
  const [params] = useSearchParams();
  // Every failure has this shape; which form it belongs to is in its values' intent.
  const failed = failure && !failure.ok ? (failure as Failure) : null;
  const failedIntent = failed?.values.intent ?? "";
  const errorsOf = (intent: string): Record<string, string | undefined> => (failedIntent === intent && failed ? failed.fieldErrors : {});
  const typedOf = (intent: string) => (failedIntent === intent && failed ? failed.values : null);
  const problems = failed?.problems ?? [];
  const busy = navigation.state === "submitting";

  const add = { errors: errorsOf("add"), typed: typedOf("add") };
  const bulk = { errors: errorsOf("bulk"), typed: typedOf("bulk") };
  const edit = { errors: errorsOf("update"), typed: typedOf("update") };
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
        比对时不区分英文字母大小写，修改后立即生效。
      </p>
      <FormError error={failed && !["add", "bulk", "update"].includes(failedIntent) ? failed.formError : undefined} />

      {editing ? (
        <section className="card card--focus" aria-labelledby="edit-title">
          <h2 id="edit-title">修改“{editing.word}”</h2>
          <Form method="post" className="stack" noValidate key={editing.updated_at}>
            <input type="hidden" name="intent" value="update" />
            <input type="hidden" name="id" value={editing.id} />
            <div className="field">
              <label htmlFor="edit-level">等级</label>
              <LevelSelect id="edit-level" name="level" defaultValue={edit.typed?.level ?? editing.level} error={edit.errors.level} />
              <FieldError id="edit-level" error={edit.errors.level} />
            </div>
            <div className="field">
              <label htmlFor="edit-note">说明</label>
              <input
                id="edit-note" name="note" type="text" maxLength={NOTE_MAX} defaultValue={edit.typed?.note ?? editing.note}
                aria-invalid={edit.errors.note ? true : undefined} aria-describedby={edit.errors.note ? "edit-note-error" : undefined}
              />
              <FieldError id="edit-note" error={edit.errors.note} />
            </div>
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
      ) : null}

      <div className="two-col">
        <section className="card" aria-labelledby="add-title">
          <h2 id="add-title">添加一个词</h2>
          <Form method="post" className="stack" noValidate>
            <input type="hidden" name="intent" value="add" />
            <div className="field">
              <label htmlFor="add-word">词语</label>
              <input
                id="add-word" name="word" type="text" maxLength={WORD_MAX} required defaultValue={add.typed?.word ?? ""}
                aria-invalid={add.errors.word ? true : undefined} aria-describedby={add.errors.word ? "add-word-error" : undefined}
              />
              <FieldError id="add-word" error={add.errors.word} />
            </div>
            <div className="field">
              <label htmlFor="add-level">等级</label>
              <LevelSelect id="add-level" name="level" defaultValue={add.typed?.level ?? "warn"} error={add.errors.level} />
              <FieldError id="add-level" error={add.errors.level} />
            </div>
            <div className="field">
              <label htmlFor="add-note">说明（可选）</label>
              <input
                id="add-note" name="note" type="text" maxLength={NOTE_MAX} defaultValue={add.typed?.note ?? ""} placeholder="如：错别字，应为“部署”"
                aria-invalid={add.errors.note ? true : undefined} aria-describedby={add.errors.note ? "add-note-error" : undefined}
              />
              <FieldError id="add-note" error={add.errors.note} />
            </div>
            <div className="button-row">
              <button type="submit" disabled={busy}>
                添加
              </button>
            </div>
          </Form>
        </section>

        <section className="card" aria-labelledby="bulk-title">
          <h2 id="bulk-title">批量添加</h2>
          <Form method="post" className="stack" noValidate>
            <input type="hidden" name="intent" value="bulk" />
            <div className="field">
              <label htmlFor="bulk-words">词语，每行一个</label>
              <textarea
                id="bulk-words" name="words" rows={6} defaultValue={bulk.typed?.words ?? ""} placeholder={"布署,warn\n内部资料,block\n其它"}
                aria-invalid={bulk.errors.words ? true : undefined} aria-describedby={bulk.errors.words ? "bulk-words-error bulk-hint" : "bulk-hint"}
              />
              <span className="hint" id="bulk-hint">
                可在词后加“,block”（禁用）或“,warn”（提示）单独指定等级。词库中已有的词和重复填写的词会跳过并列出，不会改动原有等级；
                只要有一行不合格，就什么都不导入。一次最多 {MAX_BULK_WORDS} 个。
              </span>
              <FieldError id="bulk-words" error={bulk.errors.words} />
            </div>
            <div className="field">
              <label htmlFor="bulk-level">未指定等级的词按</label>
              <LevelSelect id="bulk-level" name="level" defaultValue={bulk.typed?.level ?? "warn"} error={bulk.errors.level} />
              <FieldError id="bulk-level" error={bulk.errors.level} />
            </div>
            <div className="field">
              <label htmlFor="bulk-note">说明（可选，用于本次全部词）</label>
              <input
                id="bulk-note" name="note" type="text" maxLength={NOTE_MAX} defaultValue={bulk.typed?.note ?? ""}
                aria-invalid={bulk.errors.note ? true : undefined} aria-describedby={bulk.errors.note ? "bulk-note-error" : undefined}
              />
              <FieldError id="bulk-note" error={bulk.errors.note} />
            </div>
            <div className="button-row">
              <button type="submit" disabled={busy}>
                检查并导入
              </button>
            </div>
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
      </div>

      <h2>词库</h2>
      <Form method="get" className="filters">
        <div className="field">
          <label htmlFor="q">搜索</label>
          <input id="q" name="q" type="search" defaultValue={filters.q} placeholder="词语或说明" />
        </div>
        <div className="field">
          <label htmlFor="level">等级</label>
          <select id="level" name="level" defaultValue={filters.level}>
            <option value="">全部</option>
            {WORD_LEVELS.map((l) => (
              <option key={l.code} value={l.code}>
                {l.name}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="button--secondary">
          筛选
        </button>
      </Form>
      {list.rows.length === 0 ? (
        <p className="card muted">没有符合条件的词。</p>
      ) : (
        <div className="table-wrap">
          <table className="data stack-on-phone words-table">
            <thead>
              <tr>
                <th>词语</th>
                <th>等级</th>
                <th>说明</th>
                <th>更新时间</th>
                <th>操作</th>
              </tr>
            </thead>
            <tbody>
              {list.rows.map((w) => (
                <tr key={w.id} className={editing?.id === w.id ? "selected" : undefined}>
                  <td data-label="词语" className="words-table__word">
                    <strong>{w.word}</strong>
                  </td>
                  <td data-label="等级" className="words-table__level">
                    <LevelBadge level={w.level} />
                  </td>
                  <td data-label="说明" className="words-table__note">
                    {w.note || <span className="muted">—</span>}
                  </td>
                  <td data-label="更新时间" className="words-table__time">
                    {formatShanghai(w.updated_at)}
                  </td>
                  <td data-label="操作" className="words-table__action">
                    <Link to={editHref(w.id)} aria-label={`修改或删除“${w.word}”`}>
                      修改
                    </Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager page={page} pages={list.pages} total={list.total} />
    </>
  );
}
