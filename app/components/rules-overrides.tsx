// The rules page's section of per-unit quota overrides: the overrides and the form that sets one
// (or changes one no month has been closed with).
import { DataTable } from "~/components/data-table";
import { aliasFields, EffectiveMonthField } from "~/components/effective-month-field";
import { ChoiceOptions, Field, shownValue, TextField } from "~/components/form-kit";
import { useIntentForm } from "~/components/intent-form";
import { EarliestHint, recordColumns, RulesForm, type MonthBounds } from "~/components/rules-parts";
import { MAX_QUOTA, REASON_MAX } from "~/domain/rules-policy";
import { monthLabel } from "~/domain/time";
import { UNIT_TEXT_MAX } from "~/domain/unit-pick";

export interface QuotaOverride {
  id: number;
  unitCode: string;
  unitName: string;
  kindName: string;
  effectiveMonth: string;
  quota: number;
  /** The unit kind's quota in the override's first month, for comparison. */
  kindQuota: number;
  reason: string;
  /** What its edit form shows of it (versionSeen), sent back to tell whether it changed meanwhile. */
  seen: string;
  createdBy: string | null;
  createdAt: string;
  editable: boolean;
}

export interface OverrideUnit {
  id: number;
  code: string;
  name: string;
  kind_name: string;
}

export function RulesOverrideSection({
  overrides, units, editId, bounds, busy,
}: {
  overrides: QuotaOverride[];
  /** The active units an override may be set for; null when too many for a drop-down (a code or name is typed). */
  units: OverrideUnit[] | null;
  /** The override being changed (from the page's ?edit=override-<id>), if any. */
  editId: number | null;
  bounds: MonthBounds;
  busy: boolean;
}) {
  const editing = overrides.find((o) => o.id === editId) ?? null;
  const intent = editing ? "update_override" : "set_override";
  const form = useIntentForm(intent, "override-");
  const kinds = [...new Set((units ?? []).map((u) => u.kind_name))];
  const unitGroups = kinds.map((kind) => ({
    label: kind,
    options: (units ?? []).filter((u) => u.kind_name === kind).map((u) => ({ value: u.id, label: `${u.code} ${u.name}` })),
  }));
  // The unit select sends unit_id; its id is override-unit.
  const byUnit = aliasFields(form, { unit: "unit_id" });
  return (
    <section className="card" id="overrides" aria-labelledby="overrides-title">
      <h2 id="overrides-title">单位例外任务数</h2>
      <p className="muted small">
        个别单位（如新建、合并或规模特殊的单位）可从某月起执行自己的任务数，不随类别任务数变化；同一单位以最近生效的一条为准。
      </p>
      {overrides.length === 0 ? (
        <p className="muted">还没有设置例外任务数，所有单位都按类别任务数执行。</p>
      ) : (
        <DataTable
          caption="单位例外任务数"
          rows={overrides}
          rowKey={(o) => o.id}
          rowClassName={(o) => (editing?.id === o.id ? "selected" : undefined)}
          columns={[
            {
              header: "单位",
              cell: (o) => (
                <span className="cell-stack">
                  <span>{o.unitName}</span>
                  <span className="muted small">
                    {o.unitCode} · {o.kindName}
                  </span>
                </span>
              ),
            },
            { header: "生效月份", cell: (o) => `${monthLabel(o.effectiveMonth)}起` },
            {
              header: "任务数",
              numeric: true,
              cell: (o) => (
                <span className="cell-stack cell-stack--end">
                  <span>{o.quota} 条</span>
                  <span className="muted small">类别为 {o.kindQuota} 条</span>
                </span>
              ),
            },
            { header: "理由", cell: (o) => o.reason || "—" },
            ...recordColumns<QuotaOverride>({
              href: (o) => `?edit=override-${o.id}#override-form`,
              label: (o) => `修改${o.unitName}的例外任务数`,
            }),
          ]}
        />
      )}

      <RulesForm
        id="override-form"
        title={editing ? `修改例外任务数：${editing.unitName}，${monthLabel(editing.effectiveMonth)}起` : "设置例外任务数"}
        form={form}
        intent={intent}
        editing={editing ? { field: "override_id", id: editing.id, seen: editing.seen } : null}
        formKey={`${intent}-${editing?.id ?? overrides.length}`}
        busy={busy}
        submit="设置"
        cancelHref="/admin/rules#overrides"
      >
        {editing ? null : (
          <>
            <Field form={byUnit} name="unit" label="单位">
              {(control) =>
                units ? (
                  <select {...control} name="unit_id" required defaultValue={shownValue(byUnit, "unit")}>
                    <ChoiceOptions placeholder="请选择单位" groups={unitGroups} />
                  </select>
                ) : (
                  <>
                    <input type="hidden" name="unit_by" value="text" />
                    <input
                      {...control} name="unit_id" type="text" required maxLength={UNIT_TEXT_MAX} autoComplete="off"
                      placeholder="输入单位代码或完整名称" defaultValue={shownValue(byUnit, "unit")}
                    />
                  </>
                )
              }
            </Field>
            <EffectiveMonthField form={form} idPrefix="override-" defaultValue={bounds.suggested} hint={<EarliestHint bounds={bounds} />} />
          </>
        )}
        <TextField
          form={form} name="quota" label="月度任务数（条/月）" type="text" inputMode="numeric" autoComplete="off" required
          hint={`0 到 ${MAX_QUOTA} 的整数；0 表示该月起不设任务，不计达标与不报。`} defaultValue={editing?.quota}
        />
        <TextField
          form={form} name="reason" label="理由" maxLength={REASON_MAX} required defaultValue={editing?.reason}
          placeholder="如：2026 年秋季学期新开办，首学期减半"
        />
      </RulesForm>
    </section>
  );
}
