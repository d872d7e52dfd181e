// A notice as the web shows it (the same outline and tables the Word document is made from), the
// school's own standing in it, and the reviewer's editing panel for a draft.
import { Form } from "@remix-run/react";
import { Fragment } from "react";
import { FieldError, FormError } from "~/components/form-kit";
import {
  ADJUSTMENT_ACTION_NAMES,
  attachedTables,
  chineseDate,
  NOTICE_LIMITS,
  NOTICE_LIST_NAMES,
  noticeOutline,
  standingOf,
  titleLines,
  type NoticeBody,
  type NoticeDocument,
  type NoticeListName,
} from "~/domain/notices";
import { formatShanghai } from "~/domain/time";

function Lines({ text }: { text: string }) {
  const lines = text.split("\n");
  if (lines.length === 1) return <>{text}</>;
  return (
    <>
      {lines.map((l, i) => (
        <span key={i} className={`cell-line cell-line--${i === 0 ? "a" : "b"}`}>
          {l}
        </span>
      ))}
    </>
  );
}

/** The notice itself: 文号, title, 主送, body, 附件 line, 落款 and date, then each attached table. */
export function BulletinDocument({ doc, ownUnitId }: { doc: NoticeDocument; ownUnitId: number | null }) {
  const { header, body } = doc;
  const tables = attachedTables(body);
  const published = !!header.publishedAt;
  return (
    <>
      <article className="bulletin-doc" aria-labelledby="bulletin-title">
        <p className="bulletin-doc__letterhead">{header.letterhead ?? header.issuer}</p>
        <p className="bulletin-doc__number">{header.docNumber || <span className="muted">（文号待定）</span>}</p>
        <h1 id="bulletin-title" className="bulletin-doc__title">
          {titleLines(header.title).map((line) => (
            <span key={line}>{line}</span>
          ))}
        </h1>
        <p className="bulletin-doc__to">{header.addressee}：</p>
        {noticeOutline(doc).map((block, i) => {
          if (block.type === "heading") {
            return (
              <h2 key={i} className="bulletin-doc__heading">
                {block.text}
              </h2>
            );
          }
          if (block.type === "paragraph") return <p key={i}>{block.text}</p>;
          return (
            <div key={i} className={`bulletin-entries bulletin-entries--${block.list}`}>
              {block.groups.map((g) => (
                <Fragment key={g.label}>
                  {g.label ? <p className="bulletin-entries__label">{g.label}：</p> : null}
                  <ul>
                    {g.entries.map((e) => {
                      const own = ownUnitId !== null && e.unitId === ownUnitId;
                      return (
                        <li key={`${e.unitId ?? ""}${e.name}`} className={own ? "is-own" : undefined}>
                          <strong>{e.name}</strong>
                          {own ? <span className="own-marker">本单位</span> : null}
                          {e.note ? <span className="bulletin-entries__note">（{e.note}）</span> : null}
                        </li>
                      );
                    })}
                  </ul>
                </Fragment>
              ))}
            </div>
          );
        })}
        {tables.length > 0 ? (
          <div className="bulletin-doc__annexes">
            <span>附件：</span>
            <ol>
              {tables.map((t, i) => (
                <li key={t.title}>
                  <a href={`#annex-${i + 1}`}>{t.title}</a>
                </li>
              ))}
            </ol>
          </div>
        ) : null}
        <div className="bulletin-doc__sign">
          <p>{header.issuer}</p>
          <p>{published ? chineseDate(header.publishedAt!) : <span className="muted">（签发日期）</span>}</p>
        </div>
      </article>
      {tables.map((t, i) => (
        <section
          key={t.title}
          id={`annex-${i + 1}`}
          className={`bulletin-annex${t.landscape ? " bulletin-annex--wide" : ""}`}
          aria-labelledby={`annex-${i + 1}-title`}
        >
          <p className="bulletin-annex__label">附件{i + 1}</p>
          <h2 id={`annex-${i + 1}-title`}>{t.title}</h2>
          <div className="table-wrap">
            <table className={`bulletin-table ${t.landscape ? "bulletin-table--wide" : "bulletin-table--stack"}`}>
              <thead>
                <tr>
                  {t.columns.map((c) => (
                    <th key={c.header} scope="col" className={c.numeric ? "num" : undefined}>
                      <Lines text={c.header} />
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {t.rows.map((r) => {
                  const own = ownUnitId !== null && r.unitId === ownUnitId;
                  return (
                    <tr key={r.unitId} className={own ? "is-own" : undefined}>
                      {r.cells.map((cell, ci) => {
                        const label = t.columns[ci].header.replace("\n", "");
                        return ci === 1 ? (
                          <th key={ci} scope="row" data-label={label}>
                            <span className="bulletin-table__rank" aria-hidden="true">
                              {r.cells[0]}
                            </span>
                            {cell}
                            {own ? <span className="own-marker">本单位</span> : null}
                          </th>
                        ) : (
                          <td
                            key={ci}
                            data-label={label}
                            className={[t.columns[ci].numeric ? "num" : "", ci === 0 ? "bulletin-table__rank-cell" : ""].filter(Boolean).join(" ") || undefined}
                          >
                            <Lines text={cell} />
                          </td>
                        );
                      })}
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          <p className="small muted bulletin-annex__note">注：{t.note}</p>
        </section>
      ))}
    </>
  );
}

/** A school's place in the notice, said plainly at the top of the page. */
export function OwnStanding({ body, unitId, unitName }: { body: NoticeBody; unitId: number; unitName: string }) {
  const { commended, criticised } = standingOf(body, unitId);
  const row = body.tables.flatMap((t) => t.rows as Array<{ unitId: number; rank: number; tied: boolean; kindName: string }>).find((r) => r.unitId === unitId);
  return (
    <section className={`card bulletin-own${criticised ? " bulletin-own--criticised" : commended ? " bulletin-own--commended" : ""}`} aria-labelledby="own-standing">
      <h2 id="own-standing">本单位（{unitName}）在本期通报中</h2>
      {commended ? (
        <p>
          <strong>受到表扬</strong>：{commended.reasons.join("；")}
        </p>
      ) : null}
      {criticised ? (
        <p>
          <strong>被通报批评</strong>，原因：{criticised.reasons.join("；")}
        </p>
      ) : null}
      {!commended && !criticised ? <p>未列入表扬或通报批评名单。</p> : null}
      {row ? (
        <p className="small muted">
          {row.kindName}类别内第 {row.rank} 名{row.tied ? "（并列）" : ""}。
        </p>
      ) : null}
    </section>
  );
}

export interface EditorFailure {
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
}

function field(failure: EditorFailure | null, intent: string, name: string, fallback: string) {
  return failure && failure.intent === intent ? (failure.values[name] ?? fallback) : fallback;
}

function ListAdjuster({ doc, list, failure, busy }: { doc: NoticeDocument; list: NoticeListName; failure: EditorFailure | null; busy: boolean }) {
  const members = doc.body[list];
  const inList = new Set(members.map((e) => e.unitId));
  const kinds = doc.body.tables.map((t) => ({ kind: t.kindName, rows: (t.rows as Array<{ unitId: number; name: string }>).filter((r) => !inList.has(r.unitId)) }));
  const mine = (action: string) => (failure?.intent === "adjust" && failure.values.list === list && failure.values.action === action ? failure : null);
  const forms = [
    {
      action: "remove" as const,
      label: `从${NOTICE_LIST_NAMES[list]}名单移出`,
      options: <>{members.map((e) => <option key={e.unitId} value={e.unitId}>{e.name}</option>)}</>,
      empty: members.length === 0,
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
      empty: kinds.every((k) => k.rows.length === 0),
    },
  ];
  const open = !!(mine("remove") || mine("add"));
  return (
    <details className="bulletin-adjust" open={open}>
      <summary>调整{NOTICE_LIST_NAMES[list]}名单（{members.length} 个单位）</summary>
      {forms.map((f) => {
        const failed = mine(f.action);
        const id = `${list}-${f.action}`;
        return (
          <Form method="post" className="stack" key={f.action} aria-label={f.label}>
            <input type="hidden" name="intent" value="adjust" />
            <input type="hidden" name="list" value={list} />
            <input type="hidden" name="action" value={f.action} />
            <h3>{f.label}</h3>
            <FormError error={failed?.formError} />
            {f.empty ? (
              <p className="muted small">{f.action === "remove" ? "名单中没有单位。" : "所有单位都已在名单中。"}</p>
            ) : (
              <>
                <div className="field">
                  <label htmlFor={`${id}-unit`}>单位</label>
                  <select id={`${id}-unit`} name="unit_id" required defaultValue={failed?.values.unit_id ?? ""}>
                    <option value="">请选择</option>
                    {f.options}
                  </select>
                  <FieldError id={`${id}-unit`} error={failed?.fieldErrors.unit_id} />
                </div>
                <div className="field">
                  <label htmlFor={`${id}-reason`}>理由（必填，审核员可见；增加的单位以此作为通报中的原因）</label>
                  <input
                    id={`${id}-reason`} name="reason" type="text" required maxLength={NOTICE_LIMITS.reason}
                    defaultValue={failed?.values.reason ?? ""}
                    aria-invalid={failed?.fieldErrors.reason ? true : undefined}
                    aria-describedby={failed?.fieldErrors.reason ? `${id}-reason-error` : undefined}
                  />
                  <FieldError id={`${id}-reason`} error={failed?.fieldErrors.reason} />
                </div>
                <div className="button-row">
                  <button type="submit" className="button--secondary button--small" disabled={busy}>
                    {ADJUSTMENT_ACTION_NAMES[f.action]}
                  </button>
                </div>
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
  const t = doc.body.thresholds as unknown as Partial<Record<string, number>>;
  const rule =
    doc.body.kind === "monthly"
      ? `表扬：每类完成任务且未被批评的单位中积分前 ${t.commendTopN} 名；批评：不报、完成率低于 ${Math.round((t.criticiseBelowCompletion ?? 0) * 100)}% 或迟报达到 ${t.criticiseMinLate} 篇。`
      : `表扬：全年至少 ${t.yearCommendMinMonthsMet} 个月达标且未被批评的单位中，每类积分前 ${t.yearCommendTopN} 名；批评：不报达到 ${t.yearCriticiseNoneMonths} 个月或全年完成率低于 ${Math.round((t.yearCriticiseBelowCompletion ?? 0) * 100)}%；优秀信息员：采用不少于 ${t.yearCorrespondentMinAdopted} 篇者中积分前 ${t.yearCorrespondentTopN} 名。`;
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
        </>
      ) : null}
    </div>
  );
}

/** The reviewer's panel on a draft: the text, the two lists, and 签发. */
export function BulletinEditor({ doc, problem, suggestedDocNumber, signerName, failure, busy }: EditorProps) {
  const { header } = doc;
  const save = failure?.intent === "save" ? failure : null;
  const publish = failure?.intent === "publish" ? failure : null;
  return (
    <>
      <section className="card" aria-labelledby="edit-title">
        <h2 id="edit-title">编辑草稿</h2>
        <Form method="post" className="stack">
          <input type="hidden" name="intent" value="save" />
          <FormError error={save?.formError} />
          <div className="field">
            <label htmlFor="doc_number">文号</label>
            <input
              id="doc_number" name="doc_number" type="text" maxLength={NOTICE_LIMITS.docNumber}
              defaultValue={field(failure, "save", "doc_number", header.docNumber)} placeholder={suggestedDocNumber ?? "X教体办〔2026〕12号"}
              aria-invalid={save?.fieldErrors.doc_number ? true : undefined}
              aria-describedby={save?.fieldErrors.doc_number ? "doc_number-error doc_number-hint" : "doc_number-hint"}
            />
            <span className="hint" id="doc_number-hint">
              签发前必填。{suggestedDocNumber ? `按顺序下一个：${suggestedDocNumber}` : ""}
            </span>
            <FieldError id="doc_number" error={save?.fieldErrors.doc_number} />
          </div>
          <div className="field">
            <label htmlFor="addressee">主送</label>
            <input
              id="addressee" name="addressee" type="text" required maxLength={NOTICE_LIMITS.addressee}
              defaultValue={field(failure, "save", "addressee", header.addressee)}
              aria-invalid={save?.fieldErrors.addressee ? true : undefined}
              aria-describedby={save?.fieldErrors.addressee ? "addressee-error" : undefined}
            />
            <FieldError id="addressee" error={save?.fieldErrors.addressee} />
          </div>
          <div className="field">
            <label htmlFor="opening_text">开头</label>
            <textarea
              id="opening_text" name="opening_text" required maxLength={NOTICE_LIMITS.text} rows={5}
              defaultValue={field(failure, "save", "opening_text", header.opening)}
              aria-invalid={save?.fieldErrors.opening_text ? true : undefined}
              aria-describedby={save?.fieldErrors.opening_text ? "opening_text-error" : undefined}
            />
            <FieldError id="opening_text" error={save?.fieldErrors.opening_text} />
          </div>
          <div className="field">
            <label htmlFor="closing_text">结尾（“有关要求”）</label>
            <textarea
              id="closing_text" name="closing_text" maxLength={NOTICE_LIMITS.text} rows={5}
              defaultValue={field(failure, "save", "closing_text", header.closing)}
              aria-invalid={save?.fieldErrors.closing_text ? true : undefined}
              aria-describedby={save?.fieldErrors.closing_text ? "closing_text-error" : undefined}
            />
            <FieldError id="closing_text" error={save?.fieldErrors.closing_text} />
          </div>
          <p className="hint small">一行一段。总体情况、表扬和批评名单、各类别排名表由平台按结算数据生成。</p>
          <div className="button-row">
            <button type="submit" disabled={busy}>
              保存草稿
            </button>
          </div>
        </Form>
      </section>

      <section className="card" aria-labelledby="lists-title">
        <h2 id="lists-title">表扬和批评名单</h2>
        <p className="small muted">
          名单由平台按规则生成，同一单位不会既受表扬又被批评（批评优先）；增加或移出单位须填写理由，调整记录仅审核员可见。
        </p>
        <PassedOver doc={doc} />
        <ListAdjuster doc={doc} list="commended" failure={failure} busy={busy} />
        <ListAdjuster doc={doc} list="criticised" failure={failure} busy={busy} />
      </section>

      <section className="card bulletin-publish" aria-labelledby="publish-title">
        <h2 id="publish-title">签发</h2>
        {problem ? <p className="form-error">{problem}</p> : null}
        <Form method="post" className="stack">
          <input type="hidden" name="intent" value="publish" />
          <FormError error={publish?.formError} />
          {!header.docNumber ? <p className="form-note small">尚未填写文号：请先在上方填写文号并保存。</p> : null}
          <div className="field">
            <label htmlFor="signer_name">签发人</label>
            <input
              id="signer_name" name="signer_name" type="text" required maxLength={NOTICE_LIMITS.signer}
              defaultValue={field(failure, "publish", "signer_name", signerName)}
              aria-invalid={publish?.fieldErrors.signer_name ? true : undefined}
              aria-describedby={publish?.fieldErrors.signer_name ? "signer_name-error" : undefined}
            />
            <FieldError id="signer_name" error={publish?.fieldErrors.signer_name} />
          </div>
          <p className="small muted">签发后通报立即公开，内容和 Word 文件冻结，此后稿件或规则变动都不再影响本期通报。</p>
          <div className="button-row">
            <button type="submit" disabled={busy}>
              签发
            </button>
          </div>
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
