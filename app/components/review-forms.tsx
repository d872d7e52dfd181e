// The reviewer's smaller forms on an item's review page: return or reject with a reason, record a
// pickup (上稿), record a leader's instruction (批示). Each works without JavaScript; a refused
// submission comes back open with its messages and what was typed.
import { Form } from "@remix-run/react";
import { FieldError, FormError, type FormState, SelectField, SubmitRow, TextAreaField, TextField } from "~/components/form-kit";
import { GRADES, INSTRUCTION_LEVELS, TIERS } from "~/domain/catalog";
import { REASON_MAX } from "~/domain/review";

const choices = (list: ReadonlyArray<{ code: string; name: string }>) => list.map((c) => ({ value: c.code, label: c.name }));

export function ReasonForm({ form, intent, title, button, label, version }: {
  form: FormState; intent: "return" | "reject"; title: string; button: string; label: string; version: number;
}) {
  return (
    <details className="decision-more" open={form.failed}>
      <summary>{title}</summary>
      <Form method="post" className="stack" noValidate>
        <input type="hidden" name="intent" value={intent} />
        <input type="hidden" name="version" value={version} />
        <FormError error={form.formError} />
        <TextAreaField form={form} name="reason" label={label} rows={3} maxLength={REASON_MAX} required />
        <FieldError id={`${intent}-version`} error={form.error("version")} />
        <div className="button-row">
          <button type="submit" className="button--secondary">
            {button}
          </button>
        </div>
      </Form>
    </details>
  );
}

/** `earliest`: the item's event date; nothing is carried or instructed on before it (the server refuses it too). */
export function PickupForm({ form, today, earliest }: { form: FormState; today: string; earliest?: string | null }) {
  return (
    <details open={form.failed}>
      <summary>登记上稿</summary>
      <Form method="post" className="stack" noValidate>
        <input type="hidden" name="intent" value="pickup" />
        <FormError error={form.formError} />
        <TextField form={form} name="outlet" label="刊发媒体" maxLength={100} required placeholder="如：某某日报、学习强国" />
        <SelectField form={form} name="tier" label="媒体级别" required placeholder="请选择" options={choices(TIERS)} />
        <TextField form={form} name="picked_on" label="刊发日期" type="date" min={earliest ?? undefined} max={today} required />
        <TextField form={form} name="url" label="链接（可不填）" type="url" inputMode="url" maxLength={500} placeholder="https://" />
        <SubmitRow label="登记上稿" />
      </Form>
    </details>
  );
}

export function InstructionForm({ form, today, earliest }: { form: FormState; today: string; earliest?: string | null }) {
  return (
    <details open={form.failed}>
      <summary>登记领导批示</summary>
      <Form method="post" className="stack" noValidate>
        <input type="hidden" name="intent" value="instruction" />
        <FormError error={form.formError} />
        <SelectField form={form} name="level" label="批示级别" required placeholder="请选择" options={choices(INSTRUCTION_LEVELS)} />
        <TextField form={form} name="leader" label="批示领导" maxLength={50} required placeholder="如：县政府副县长 某某" />
        <TextField form={form} name="instructed_on" label="批示日期" type="date" min={earliest ?? undefined} max={today} required />
        <TextAreaField form={form} name="content" label="批示内容（可不填）" rows={3} maxLength={1000} />
        <SubmitRow label="登记批示" />
      </Form>
    </details>
  );
}

/** The decision on a submitted item: adopt with a grade, or return or reject with a reason. */
export function DecisionSection({ stateOf, version }: { stateOf: (intent: string) => FormState; version: number }) {
  const adopt = stateOf("adopt");
  return (
    <section className="card decision" aria-labelledby="decide-title">
      <h2 id="decide-title">审核决定</h2>
      <Form method="post" className="stack" noValidate>
        <input type="hidden" name="intent" value="adopt" />
        <input type="hidden" name="version" value={version} />
        <FormError error={adopt.formError} />
        <fieldset className="field grade-choice" aria-describedby={adopt.error("grade") ? "adopt-grade-error" : undefined}>
          <legend>采用等次</legend>
          <div className="choice-row">
            {GRADES.map((g) => (
              <label key={g.code} className="choice">
                <input type="radio" name="grade" value={g.code} defaultChecked={adopt.value("grade") === g.code} /> {g.name}
              </label>
            ))}
          </div>
          <FieldError id="adopt-grade" error={adopt.error("grade")} />
        </fieldset>
        <FieldError id="adopt-version" error={adopt.error("version")} />
        <SubmitRow label="采用" />
      </Form>

      <ReasonForm form={stateOf("return")} intent="return" title="退回修改" button="退回修改" label="退回理由（信息员可见）" version={version} />
      <ReasonForm form={stateOf("reject")} intent="reject" title="不采用" button="不采用" label="不采用的理由（信息员可见）" version={version} />
      <p className="muted small">处理后将自动打开等待最久的下一篇稿件。</p>
    </section>
  );
}

/** Taking an adopted item off the public pages, with or without its points. */
export function WithdrawSection({ form, version }: { form: FormState; version: number }) {
  return (
    <section className="card" aria-labelledby="withdraw-title">
      <h2 id="withdraw-title">撤稿</h2>
      <details open={form.failed}>
        <summary>从信息公开页面撤下此稿</summary>
        <Form method="post" className="stack" noValidate>
          <input type="hidden" name="intent" value="withdraw" />
          <input type="hidden" name="version" value={version} />
          <FormError error={form.formError} />
          <TextAreaField form={form} name="reason" label="撤稿理由" rows={3} maxLength={REASON_MAX} required />
          <label className="choice">
            <input type="checkbox" name="revoke_points" value="1" defaultChecked={form.value("revoke_points") === "1"} />{" "}
            同时取消本稿积分（不勾选则积分保留）
          </label>
          <SubmitRow label="撤稿" secondary />
        </Form>
      </details>
    </section>
  );
}

/** One decision on the ticked rows of the queue: adopt with one grade, or return with one reason. */
export function BulkDecisionBar({ adopt, sendBack }: { adopt: FormState; sendBack: FormState }) {
  const error = adopt.error("ids") ?? sendBack.error("ids");
  return (
    <fieldset className="card bulk-bar">
      <legend>对勾选的稿件</legend>
      <FormError error={adopt.formError ?? sendBack.formError} />
      {error ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : null}
      <div className="bulk-row">
        <SelectField form={adopt} name="grade" label="采用等次" placeholder="请选择" options={choices(GRADES)} />
        <div className="button-row">
          <button type="submit" name="intent" value="bulk_adopt">
            采用所选
          </button>
        </div>
      </div>
      <div className="bulk-row">
        <TextAreaField form={sendBack} name="reason" label="退回理由（信息员可见）" rows={2} maxLength={REASON_MAX} />
        <div className="button-row">
          <button type="submit" name="intent" value="bulk_return" className="button--secondary">
            退回所选修改
          </button>
        </div>
      </div>
      <p className="muted small">每篇稿件分别处理、分别记入流转记录；已被他人处理的稿件不作改动，并在结果中列出。</p>
    </fieldset>
  );
}

export interface BulkOutcomeView {
  id: number;
  title: string;
  status: number;
  message: string;
}

/** What a bulk decision did, item by item, and what it could not do. */
export function BulkResult({ summary, done, refused }: { summary: string; done: BulkOutcomeView[]; refused: BulkOutcomeView[] }) {
  return (
    <section className="card bulk-result" aria-labelledby="bulk-result-title" role="status">
      <h2 id="bulk-result-title">{summary}</h2>
      {refused.length > 0 ? (
        <>
          <p className="form-error">以下 {refused.length} 篇未处理：</p>
          <ul className="bulk-refused">
            {refused.map((r) => (
              <li key={r.id} data-status={r.status}>
                <a href={`/review/${r.id}`}>{r.title}</a>：{r.message}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {done.length > 0 ? (
        <details>
          <summary>已处理的 {done.length} 篇</summary>
          <ul>
            {done.map((r) => (
              <li key={r.id}>
                <a href={`/review/${r.id}`}>{r.title}</a>：{r.message}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </section>
  );
}
