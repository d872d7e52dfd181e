// The reviewer's corrections on a decided item (a new grade, 迟报 cleared, a pickup or 批示
// removed, each with a reason the school reads) and the answer to an open appeal.
import { Form } from "@remix-run/react";
import { FieldError, FormError, type FormState, SelectField, SubmitRow, TextAreaField } from "~/components/form-kit";
import { appealSubjectName, correctionKindName } from "~/domain/appeals";
import { GRADES } from "~/domain/catalog";
import { REASON_MAX } from "~/domain/review";
import { formatShanghai } from "~/domain/time";

export interface OpenAppealView {
  id: number;
  subject: string;
  reason: string;
  filed_at: string;
  filed_by_name: string;
}

/** The appeal waiting for an answer on this item: upheld or corrected, each with a reason. */
export function AppealAnswerSection({ appeal, form }: { appeal: OpenAppealView; form: FormState }) {
  return (
    <section className="card card--alert" id="appeal" aria-labelledby="appeal-title">
      <h2 id="appeal-title">待答复的申诉</h2>
      <p className="small">
        {appeal.filed_by_name} 于 {formatShanghai(appeal.filed_at)} 对“{appealSubjectName(appeal.subject)}”提出申诉：
      </p>
      <blockquote className="small">{appeal.reason}</blockquote>
      <p className="muted small">要更正等次或删除上稿、批示，请用下方“更正”中的表单，更正即答复本申诉；维持原决定或已另行补登的，在这里答复。</p>
      <Form method="post" className="stack" noValidate>
        <input type="hidden" name="intent" value="answer_appeal" />
        <input type="hidden" name="appeal_id" value={appeal.id} />
        <FormError error={form.formError} />
        <SelectField
          form={form} name="outcome" label="答复结果" required placeholder="请选择"
          options={[{ value: "upheld", label: "维持原决定" }, { value: "corrected", label: "已更正（已另行补登或修改）" }]}
        />
        <TextAreaField form={form} name="answer" label="答复理由（学校可见）" rows={3} maxLength={REASON_MAX} required />
        <SubmitRow label="答复申诉" />
      </Form>
    </section>
  );
}

/** Correcting a decided item: a new grade (a rejected item adopted), with a reason the school reads. */
export function RegradeForm({ form, version, grade, rejected, appealId }: {
  form: FormState; version: number; grade: string | null; rejected: boolean; appealId: number | null;
}) {
  return (
    <details open={form.failed}>
      <summary>{rejected ? "更正为采用" : "更正等次"}</summary>
      <Form method="post" className="stack" noValidate>
        <input type="hidden" name="intent" value="regrade" />
        <input type="hidden" name="version" value={version} />
        {appealId !== null ? <input type="hidden" name="appeal_id" value={appealId} /> : null}
        <FormError error={form.formError} />
        <SelectField
          form={form} name="grade" label={rejected ? "采用等次" : "更正后的等次"} required placeholder="请选择"
          options={GRADES.filter((g) => rejected || g.code !== grade).map((g) => ({ value: g.code, label: g.name }))}
        />
        <TextAreaField form={form} name="reason" label="更正理由（学校可见）" rows={3} maxLength={REASON_MAX} required />
        <FieldError id="regrade-version" error={form.error("version")} />
        <SubmitRow label="更正" secondary />
      </Form>
    </details>
  );
}

/** Clearing the 迟报 mark, with a reason. */
export function ClearLateForm({ form, version, appealId }: { form: FormState; version: number; appealId: number | null }) {
  return (
    <details open={form.failed}>
      <summary>取消迟报</summary>
      <Form method="post" className="stack" noValidate>
        <input type="hidden" name="intent" value="clear_late" />
        <input type="hidden" name="version" value={version} />
        {appealId !== null ? <input type="hidden" name="appeal_id" value={appealId} /> : null}
        <FormError error={form.formError} />
        <TextAreaField form={form} name="reason" label="取消迟报的理由（学校可见）" rows={2} maxLength={REASON_MAX} required />
        <SubmitRow label="取消迟报" secondary />
      </Form>
    </details>
  );
}

/** Removing one recorded pickup or 批示, with a reason. */
export function RemoveRecordForm({ form, intent, recordId, label, appealId }: {
  form: FormState; intent: "remove_pickup" | "remove_instruction"; recordId: number; label: string; appealId: number | null;
}) {
  // A refused removal comes back open under the record it was about.
  const mine = form.failed && form.value("record_id") === String(recordId);
  const idPrefix = `${intent}-${recordId}-`;
  const state: FormState = mine ? { ...form, idPrefix } : { error: () => undefined, value: () => undefined, failed: false, idPrefix };
  return (
    <details open={mine}>
      <summary>删除{label}</summary>
      <Form method="post" className="stack" noValidate>
        <input type="hidden" name="intent" value={intent} />
        <input type="hidden" name="record_id" value={recordId} />
        {appealId !== null ? <input type="hidden" name="appeal_id" value={appealId} /> : null}
        {mine ? <FormError error={form.formError} /> : null}
        <TextAreaField
          form={state}
          name="reason" label="删除理由（学校可见）" rows={2} maxLength={REASON_MAX} required
        />
        <SubmitRow label="删除" secondary />
      </Form>
    </details>
  );
}

export interface CorrectionView {
  id: number;
  kind: string;
  before_text: string;
  after_text: string;
  reason: string;
  month_closed: number;
  appeal_id: number | null;
  created_at: string;
  by_name: string;
}

/** An item's corrections, newest first: what it was, what it became, why, and who. */
export function CorrectionList({ corrections }: { corrections: CorrectionView[] }) {
  if (corrections.length === 0) return <p className="muted small">没有更正。</p>;
  return (
    <ol className="timeline">
      {corrections.map((c) => (
        <li key={c.id}>
          <time dateTime={c.created_at}>{formatShanghai(c.created_at)}</time> <strong>{c.by_name}</strong> {correctionKindName(c.kind)}：
          {c.before_text} → <strong>{c.after_text}</strong>
          {c.appeal_id !== null ? <span className="badge badge--ok">答复申诉</span> : null}
          <div className="small">理由：{c.reason}</div>
          {c.month_closed ? <div className="muted small">更正时该月已结算：只改变实时数据，已结算的排名和已签发的通报不变。</div> : null}
        </li>
      ))}
    </ol>
  );
}

/**
 * The review page's corrections card: the open appeal with its answer form, a new grade, removing
 * a pickup or a 批示, and the corrections made so far. Shown once the item has been decided.
 */
export function CorrectionsSection({ stateOf, item, pickups, instructions, openAppeal, corrections }: {
  stateOf: (intent: string) => FormState;
  item: { status: string; grade: string | null; version: number; late: number };
  pickups: Array<{ id: number; outlet: string }>;
  instructions: Array<{ id: number; leader: string }>;
  openAppeal: OpenAppealView | null;
  corrections: CorrectionView[];
}) {
  const decided = item.status === "adopted" || item.status === "withdrawn" || item.status === "rejected";
  if (!decided && corrections.length === 0 && !openAppeal) return null;
  const appealId = openAppeal?.id ?? null;
  return (
    <>
      {openAppeal ? <AppealAnswerSection appeal={openAppeal} form={stateOf("answer_appeal")} /> : null}
      <section className="card" id="corrections" aria-labelledby="corrections-title">
        <h2 id="corrections-title">更正</h2>
        {decided ? (
          <>
            <p className="muted small">更正（等次、迟报、上稿、批示）须填写理由，学校在稿件页和通知中可以看到。已结算月份的更正只改变实时数据，不改变已结算的排名和已签发的通报。</p>
            <RegradeForm form={stateOf("regrade")} version={item.version} grade={item.grade} rejected={item.status === "rejected"} appealId={appealId} />
            {item.late ? <ClearLateForm form={stateOf("clear_late")} version={item.version} appealId={appealId} /> : null}
            {pickups.map((p) => (
              <RemoveRecordForm key={`p${p.id}`} form={stateOf("remove_pickup")} intent="remove_pickup" recordId={p.id} label={`上稿：${p.outlet}`} appealId={appealId} />
            ))}
            {instructions.map((x) => (
              <RemoveRecordForm key={`i${x.id}`} form={stateOf("remove_instruction")} intent="remove_instruction" recordId={x.id} label={`批示：${x.leader}`} appealId={appealId} />
            ))}
          </>
        ) : null}
        <h3>更正记录</h3>
        <CorrectionList corrections={corrections} />
      </section>
    </>
  );
}
