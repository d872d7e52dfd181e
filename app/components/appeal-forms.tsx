// The item page's 申诉 card: a school lead's appeal form (while the month's window is open), the
// item's appeals with their answers, and the corrections made to it. Works without JavaScript.
import { Form } from "@remix-run/react";
import { FormError, type FormState, SelectField, SubmitRow, TextAreaField } from "~/components/form-kit";
import { CorrectionList, type CorrectionView } from "~/components/correction-forms";
import { appealStatusName, appealSubjectName, type AppealSubjectCode, type AppealWindow } from "~/domain/appeals";
import { REASON_MAX } from "~/domain/review";
import { formatShanghai } from "~/domain/time";

export interface AppealView {
  id: number;
  subject: string;
  reason: string;
  status: string;
  filed_at: string;
  filed_by_name: string;
  answer: string;
  answered_at: string | null;
  answered_by_name: string | null;
}

export interface AppealOptions {
  subjects: AppealSubjectCode[];
  window: AppealWindow;
  hasOpen: boolean;
}

export function AppealForm({ form, options }: { form: FormState; options: AppealOptions }) {
  if (!options.window.open) return <p className="muted small">{options.window.why}</p>;
  if (options.hasOpen) return <p className="muted small">本稿已有一件申诉等待审核员答复。</p>;
  return (
    <details open={form.failed}>
      <summary>对审核决定提出申诉</summary>
      <Form method="post" className="stack" noValidate>
        <input type="hidden" name="intent" value="appeal" />
        <FormError error={form.formError} />
        <SelectField
          form={form} name="subject" label="申诉事项" required placeholder="请选择"
          options={options.subjects.map((s) => ({ value: s, label: appealSubjectName(s) }))}
        />
        <TextAreaField form={form} name="reason" label="申诉理由" rows={4} maxLength={REASON_MAX} required />
        <p className="hint small">
          {options.window.deadline ? `申诉期至 ${options.window.deadline}；` : ""}该月通报签发后不再受理申诉。
        </p>
        <SubmitRow label="提出申诉" />
      </Form>
    </details>
  );
}

export function AppealList({ appeals }: { appeals: AppealView[] }) {
  if (appeals.length === 0) return null;
  return (
    <ol className="timeline">
      {appeals.map((a) => (
        <li key={a.id}>
          <time dateTime={a.filed_at}>{formatShanghai(a.filed_at)}</time> <strong>{a.filed_by_name}</strong> 申诉“{appealSubjectName(a.subject)}”{" "}
          <span className={`badge ${a.status === "open" ? "badge--warn" : "badge--ok"}`}>{appealStatusName(a.status)}</span>
          <div className="small">申诉理由：{a.reason}</div>
          {a.answered_at ? (
            <div className="small">
              {a.answered_by_name} 于 {formatShanghai(a.answered_at)} 答复：{a.answer}
            </div>
          ) : null}
        </li>
      ))}
    </ol>
  );
}

/** The card on the item page: appeals, the appeal form, corrections. */
export function AppealsCard({ form, options, appeals, corrections }: {
  form: FormState; options: AppealOptions | null; appeals: AppealView[]; corrections: CorrectionView[];
}) {
  if (!options && appeals.length === 0 && corrections.length === 0) return null;
  return (
    <>
      {corrections.length > 0 ? (
        <section className="card" id="corrections" aria-labelledby="corrections-title">
          <h2 id="corrections-title">更正记录</h2>
          <CorrectionList corrections={corrections} />
        </section>
      ) : null}
      {options || appeals.length > 0 ? (
        <section className="card" id="appeals" aria-labelledby="appeals-title">
          <h2 id="appeals-title">申诉</h2>
          <AppealList appeals={appeals} />
          {options ? <AppealForm form={form} options={options} /> : null}
          <p className="small">
            <a href="/appeals">申诉列表</a>
          </p>
        </section>
      ) : null}
    </>
  );
}

/** The reviewer's dashboard: appeals waiting for an answer, oldest first. */
export function OpenAppealsCard({ appeals }: {
  appeals: Array<{ id: number; item_id: number; title: string; unit_name: string; subject: string; month: string; filed_at: string }>;
}) {
  return (
    <section className="card" aria-labelledby="open-appeals-title">
      <h2 id="open-appeals-title">待答复的申诉（{appeals.length}）</h2>
      {appeals.length === 0 ? (
        <p className="muted small">没有待答复的申诉。</p>
      ) : (
        <ul className="report-rows">
          {appeals.slice(0, 10).map((a) => (
            <li key={a.id}>
              <a href={`/review/${a.item_id}#appeal`}>{a.title}</a>
              <span className="muted small">
                {" "}
                {a.unit_name} · {appealSubjectName(a.subject)} · {formatShanghai(a.filed_at)}
              </span>
            </li>
          ))}
        </ul>
      )}
      <p className="small">
        <a href="/appeals?status=open" className="tap-target">全部申诉</a>
      </p>
    </section>
  );
}
