// The reviewer's panel on a draft notice (text, 文号, the two lists with their adjustments, 签发)
// and the log of every change made to the lists.
import { Form } from "@remix-run/react";
import { Field, FormError, formStateOf, shownValue, SubmitRow, TextAreaField, TextField, type FormState } from "~/components/form-kit";
import { appealSubjectName } from "~/domain/appeals";
import { ADJUSTMENT_ACTION_NAMES, NOTICE_LIMITS, NOTICE_LIST_NAMES, selectionRuleText, type NoticeDocument, type NoticeListName } from "~/domain/notices";
import { REASON_MAX } from "~/domain/review";
import { formatShanghai } from "~/domain/time";
import { UNIT_TEXT_MAX, unitsForDropDown } from "~/domain/unit-pick";

export interface EditorFailure {
  ok: false;
  intent: string;
  formError?: string;
  fieldErrors: Record<string, string>;
  values: Record<string, string>;
}

interface EditorProps {
  doc: NoticeDocument;
  problem: string | null;
  suggestedDocNumber: string | null;
  signerName: string;
  failure: EditorFailure | null;
  busy: boolean;
  openAppeals?: OpenAppealEntry[];
  /** The page that confirms 签发 (it shows what will be frozen and takes the POST). */
  confirmHref: string;
  /** A province's notice (its tables cut on the page): a unit is added by typing its code or name. */
  typedUnits?: boolean;
}

export interface OpenAppealEntry {
  id: number;
  item_id: number;
  title: string;
  unit_name: string;
  subject: string;
  filed_at: string;
}

/** The month's appeals waiting for an answer: 签发 waits for them unless a reason is given. */
export function OpenAppeals({ appeals, form, reason }: { appeals: OpenAppealEntry[]; form: FormState; reason?: string }) {
  if (appeals.length === 0) return null;
  return (
    <div className="card--alert" id="open-appeals">
      <p className="small">
        <strong>该月还有 {appeals.length} 件申诉等待答复</strong>，答复后再签发。
      </p>
      <ul className="small">
        {appeals.map((a) => (
          <li key={a.id}>
            <a href={`/review/${a.item_id}#appeal`}>{a.title}</a>（{a.unit_name}，{appealSubjectName(a.subject)}，{formatShanghai(a.filed_at)} 提出）
          </li>
        ))}
      </ul>
      <TextAreaField
        form={form} name="appeals_override" label="不等申诉答复即签发的理由" rows={2} maxLength={REASON_MAX} defaultValue={reason}
        hint="确实不能等待时填写；理由记入操作日志。"
      />
    </div>
  );
}

function ListAdjuster({ doc, list, failure, busy, typedUnits }: {
  doc: NoticeDocument; list: NoticeListName; failure: EditorFailure | null; busy: boolean; typedUnits: boolean;
}) {
  const members = doc.body[list];
  const inList = new Set(members.map((e) => e.unitId));
  const kinds = typedUnits ? [] : doc.body.tables.map((t) => ({ kind: t.kindName, rows: (t.rows as Array<{ unitId: number; name: string }>).filter((r) => !inList.has(r.unitId)) }));
  const mine = (action: string) => (failure?.intent === "adjust" && failure.values.list === list && failure.values.action === action ? failure : null);
  // A province's long list: the page holds only its first entries (notice-pages.ts), and the unit to
  // remove is typed, not picked from a drop-down of them all.
  const cut = doc.listsCut?.[list];
  const removable = cut ? null : unitsForDropDown(members);
  const forms = [
    {
      action: "remove" as const,
      label: `从${NOTICE_LIST_NAMES[list]}名单移出`,
      options: <>{removable?.map((e) => <option key={e.unitId} value={e.unitId}>{e.name}</option>)}</>,
      empty: members.length === 0,
      typed: removable === null,
    },
    {
      action: "add" as const,
      label: `增加到${NOTICE_LIST_NAMES[list]}名单`,
      options: (
        <>
          {kinds.map((k) => (
            <optgroup key={k.kind} label={k.kind}>
              {k.rows.map((r) => (
                <option key={r.unitId} value={r.unitId}>
                  {r.name}
                </option>
              ))}
            </optgroup>
          ))}
        </>
      ),
      empty: !typedUnits && kinds.every((k) => k.rows.length === 0),
      typed: typedUnits,
    },
  ];
  const open = !!(mine("remove") || mine("add"));
  return (
    <details className="bulletin-adjust" open={open}>
      <summary>调整{NOTICE_LIST_NAMES[list]}名单（{cut?.total ?? members.length} 个单位）</summary>
      {forms.map((f) => {
        const failed = mine(f.action);
        const form = formStateOf(failed, "adjust", `${list}-${f.action}-`);
        return (
          <Form method="post" className="stack" key={f.action} aria-label={f.label} noValidate>
            <input type="hidden" name="intent" value="adjust" />
            <input type="hidden" name="list" value={list} />
            <input type="hidden" name="action" value={f.action} />
            <h3>{f.label}</h3>
            <FormError error={failed?.formError} />
            {f.empty ? (
              <p className="muted small">{f.action === "remove" ? "名单中没有单位。" : "所有单位都已在名单中。"}</p>
            ) : (
              <>
                <Field form={form} name="unit_id" label="单位">
                  {(control) =>
                    f.typed ? (
                      <>
                        <input type="hidden" name="unit_by" value="text" />
                        <input
                          {...control} type="text" required maxLength={UNIT_TEXT_MAX} autoComplete="off"
                          placeholder="输入单位代码或完整名称" defaultValue={shownValue(form, "unit_id")}
                        />
                      </>
                    ) : (
                      <select {...control} required defaultValue={shownValue(form, "unit_id")}>
                        <option value="">请选择</option>
                        {f.options}
                      </select>
                    )
                  }
                </Field>
                <TextField
                  form={form} name="reason" label="理由（必填，审核员可见；增加的单位以此作为通报中的原因）" required maxLength={NOTICE_LIMITS.reason}
                />
                <SubmitRow label={ADJUSTMENT_ACTION_NAMES[f.action]} secondary small busy={busy} />
              </>
            )}
          </Form>
        );
      })}
    </details>
  );
}

/** Units the ranking alone would have commended, and why the rules left them out. */
function PassedOver({ doc }: { doc: NoticeDocument }) {
  const entries = doc.body.passedOver ?? [];
  const rule = selectionRuleText(doc.body);
  return (
    <div className="bulletin-passed">
      <p className="small">
        <strong>本期规则</strong>（阈值可在“系统设置”中调整）：{rule}
      </p>
      {entries.length > 0 ? (
        <>
          <h3>排名靠前但未列入表扬的单位</h3>
          <ul className="small">
            {entries.map((e) => (
              <li key={e.unitId}>
                {e.name}：{e.reasons.join("；")}
              </li>
            ))}
          </ul>
          {doc.listsCut?.passedOver ? <p className="muted small">共 {doc.listsCut.passedOver.total} 个单位，这里列出前 {entries.length} 个{doc.body.kind === "monthly" ? "；全部单位见页首下载的名单 Excel" : ""}。</p> : null}
        </>
      ) : null}
    </div>
  );
}

/** The reviewer's panel on a draft: the text, the two lists, and 签发. */
export function BulletinEditor({ doc, problem, suggestedDocNumber, signerName, failure, busy, openAppeals = [], confirmHref, typedUnits = false }: EditorProps) {
  const { header } = doc;
  const save = formStateOf(failure, "save");
  const publish = formStateOf(failure, "publish");
  return (
    <>
      <section className="card" aria-labelledby="edit-title">
        <h2 id="edit-title">编辑草稿</h2>
        <Form method="post" className="stack" noValidate>
          <input type="hidden" name="intent" value="save" />
          <FormError error={save?.formError} />
          <TextField
            form={save} name="doc_number" label="文号" maxLength={NOTICE_LIMITS.docNumber} defaultValue={header.docNumber}
            placeholder={suggestedDocNumber ?? "X教体办〔2026〕12号"}
            hint={`签发前必填。${suggestedDocNumber ? `按顺序下一个：${suggestedDocNumber}` : ""}`}
          />
          <TextField form={save} name="addressee" label="主送" required maxLength={NOTICE_LIMITS.addressee} defaultValue={header.addressee} />
          <TextAreaField form={save} name="opening_text" label="开头" required maxLength={NOTICE_LIMITS.text} rows={5} defaultValue={header.opening} />
          <TextAreaField form={save} name="closing_text" label="结尾（“有关要求”）" maxLength={NOTICE_LIMITS.text} rows={5} defaultValue={header.closing} />
          <p className="hint small">一行一段。总体情况、表扬和批评名单、各类别排名表由平台按结算数据生成。</p>
          <SubmitRow label="保存草稿" busy={busy} />
        </Form>
      </section>

      <section className="card" aria-labelledby="lists-title">
        <h2 id="lists-title">表扬和批评名单</h2>
        <p className="small muted">
          名单由平台按规则生成，同一单位不会既受表扬又被批评（批评优先）；增加或移出单位须填写理由，调整记录仅审核员可见。
        </p>
        <PassedOver doc={doc} />
        <ListAdjuster doc={doc} list="commended" failure={failure} busy={busy} typedUnits={typedUnits} />
        <ListAdjuster doc={doc} list="criticised" failure={failure} busy={busy} typedUnits={typedUnits} />
      </section>

      <section className="card bulletin-publish" aria-labelledby="publish-title">
        <h2 id="publish-title">签发</h2>
        {problem ? <p className="form-error">{problem}</p> : null}
        {/* 签发 is confirmed on a page of its own, reached with the signer's name. */}
        <Form method="get" action={confirmHref} className="stack" noValidate>
          <FormError error={publish?.formError} />
          {!header.docNumber ? <p className="form-note small">尚未填写文号：请先在上方填写文号并保存。</p> : null}
          <TextField form={publish} name="signer_name" label="签发人" required maxLength={NOTICE_LIMITS.signer} defaultValue={signerName} />
          <OpenAppeals appeals={openAppeals} form={publish} />
          <p className="small muted">签发后通报立即公开，内容和 Word 文件冻结，此后稿件或规则变动都不再影响本期通报。</p>
          <SubmitRow label="签发…" busy={busy} />
        </Form>
      </section>
    </>
  );
}

export interface AdjustmentLogEntry {
  id: number;
  unitName: string;
  list: NoticeListName;
  action: "add" | "remove";
  reason: string;
  by: string;
  at: string;
}

/** Reviewers only: every change made to the lists, oldest first. */
export function AdjustmentLog({ entries }: { entries: AdjustmentLogEntry[] }) {
  return (
    <section className="card" aria-labelledby="adjust-log">
      <h2 id="adjust-log">名单调整记录</h2>
      {entries.length === 0 ? (
        <p className="muted small">没有调整，名单均按规则生成。</p>
      ) : (
        <ol className="timeline">
          {entries.map((a) => (
            <li key={a.id}>
              <time dateTime={a.at}>{formatShanghai(a.at)}</time> {a.by}：{ADJUSTMENT_ACTION_NAMES[a.action]}
              {a.action === "add" ? "到" : ""}
              {NOTICE_LIST_NAMES[a.list]}名单 <strong>{a.unitName}</strong>
              <br />
              <span className="small">理由：{a.reason}</span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
