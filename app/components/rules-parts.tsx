// What the three sections of the rules page (points, quotas per kind, per-unit overrides) share:
// the version table's common columns, the effective-month hint, the note field and the form frame.
import { Form } from "@remix-run/react";
import { Link } from "~/components/link";
import type { ReactNode } from "react";
import type { Column } from "~/components/data-table";
import { FormError, TextField, type FormState } from "~/components/form-kit";
import { NOTE_MAX } from "~/domain/rules-policy";
import { governedLabel } from "~/domain/rule-versions";
import { formatShanghai, monthLabel } from "~/domain/time";

/** Which months the rules page may still set: from the month after the latest closed one. */
export interface MonthBounds {
  suggested: string;
  earliest: string | null;
  latestClosed: string | null;
}

/** Who set a version or override, and when. */
interface Recorded {
  id: number;
  createdBy: string | null;
  createdAt: string;
  /** No month has been closed with it: it may still be changed. */
  editable: boolean;
}

/** A points or quota version, each governing the months from its own to the next one's. */
export interface RuleVersion extends Recorded {
  effectiveMonth: string;
  until: string | null;
  name: string;
  note: string;
  closedMonths: string[];
  /** What its edit form shows of it (versionSeen), sent back to tell whether it changed meanwhile. */
  seen: string;
}

export function closedSummary(months: string[]): string {
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

/** The last two columns of every rules table: who set the row, and its edit link while it is editable. */
export function recordColumns<T extends Recorded>(edit: { href: (row: T) => string; label: (row: T) => string }): Array<Column<T>> {
  return [
    { header: "设置", cell: (r) => <Who name={r.createdBy} at={r.createdAt} /> },
    {
      header: "操作",
      cell: (r) =>
        r.editable ? (
          <Link to={edit.href(r)} aria-label={edit.label(r)}>
            修改
          </Link>
        ) : (
          <span className="muted small" title="已有月份按它结算，不能修改">已用于结算</span>
        ),
    },
  ];
}

/** A version table's columns: its name (marked when in force this month), months, `values`, closes, note, who, edit. */
export function versionColumns<T extends RuleVersion>({
  inForceId, values, edit,
}: {
  inForceId: number | null;
  values: Array<Column<T>>;
  edit: { href: (row: T) => string; label: (row: T) => string };
}): Array<Column<T>> {
  return [
    {
      header: "版本",
      cell: (v) => (
        <span>
          <strong>{v.name}</strong> {v.id === inForceId ? <span className="badge badge--ok">本月执行</span> : null}
        </span>
      ),
    },
    { header: "适用月份", className: "nowrap", cell: (v) => governedLabel(v.effectiveMonth, v.until) },
    ...values,
    { header: "已结算月份", cell: (v) => closedSummary(v.closedMonths) },
    { header: "说明", cell: (v) => v.note || "—" },
    ...recordColumns(edit),
  ];
}

export function EarliestHint({ bounds }: { bounds: MonthBounds }) {
  return bounds.earliest ? (
    <>
      {monthLabel(bounds.latestClosed!)}及以前已结算，最早可从 {monthLabel(bounds.earliest)} 起生效；每个版本执行到下一个版本生效为止。
    </>
  ) : (
    <>还没有结算过的月份；每个版本执行到下一个版本生效为止。</>
  );
}

export function NoteField({ form, defaultValue }: { form: FormState; defaultValue: string }) {
  return (
    <TextField form={form} name="note" label="说明（可选）" maxLength={NOTE_MAX} defaultValue={defaultValue} placeholder="如：依据 2026 年第 12 号文件调整" />
  );
}

/**
 * The form of a rules section: a new version (or override), or the edit of one that is still
 * editable (`editing`: the hidden field naming it).
 */
export function RulesForm({
  id, title, explanation, form, intent, editing, formKey, wide = false, busy, submit, cancelHref, children,
}: {
  /** The anchor the edit links go to. */
  id: string;
  title: string;
  explanation?: string;
  form: FormState;
  intent: string;
  /** The row being changed: its hidden id field, and what the form shows of it (versionSeen). */
  editing: { field: string; id: number; seen: string } | null;
  formKey: string;
  wide?: boolean;
  busy: boolean;
  /** The submit button's text when creating (editing says 保存修改). */
  submit: string;
  cancelHref: string;
  children: ReactNode;
}) {
  return (
    <div className={editing ? "subform card--focus" : "subform"} id={id}>
      <h3>{title}</h3>
      {explanation ? <p className="muted small">{explanation}</p> : null}
      <FormError error={form.formError} />
      <Form method="post" className={wide ? "stack stack--wide" : "stack"} noValidate key={formKey}>
        <input type="hidden" name="intent" value={intent} />
        {editing ? <input type="hidden" name={editing.field} value={editing.id} /> : null}
        {editing ? <input type="hidden" name="seen" value={editing.seen} /> : null}
        {children}
        <div className="button-row">
          <button type="submit" disabled={busy}>
            {editing ? "保存修改" : submit}
          </button>
          {editing ? <Link to={cancelHref}>取消</Link> : null}
        </div>
      </Form>
    </div>
  );
}
