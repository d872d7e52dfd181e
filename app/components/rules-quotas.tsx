// The rules page's section of monthly quotas per unit kind: the versions and the form that creates
// a version (or changes one no month has been closed with).
import { DataTable } from "~/components/data-table";
import { aliasFields, EffectiveMonthField } from "~/components/effective-month-field";
import { Field, shownValue } from "~/components/form-kit";
import { useIntentForm } from "~/components/intent-form";
import { EarliestHint, NoteField, RulesForm, versionColumns, type MonthBounds, type RuleVersion } from "~/components/rules-parts";
import { quotaFieldName } from "~/domain/rules-policy";
import { governedLabel } from "~/domain/rule-versions";

export interface QuotaVersion extends RuleVersion {
  /** Items a month by unit kind code. */
  quotas: Record<string, number>;
}

export function RulesQuotaSection({
  versions, inForceId, kinds, editId, bounds, busy,
}: {
  versions: QuotaVersion[];
  inForceId: number | null;
  kinds: ReadonlyArray<{ code: string; name: string }>;
  /** The version being changed (from the page's ?edit=quota-<id>), if any. */
  editId: number | null;
  bounds: MonthBounds;
  busy: boolean;
}) {
  const editing = versions.find((v) => v.id === editId) ?? null;
  const inForce = versions.find((v) => v.id === inForceId) ?? versions.at(-1);
  const intent = editing ? "update_quota" : "create_quota";
  const form = useIntentForm(intent, "quota-");
  // The inputs are named quota_<kind> and their ids are quota-<kind>.
  const byKind = aliasFields(form, Object.fromEntries(kinds.map((k) => [k.code, quotaFieldName(k.code)])));
  const base = (editing ?? inForce)?.quotas ?? {};
  return (
    <section className="card" id="quotas" aria-labelledby="quotas-title">
      <h2 id="quotas-title">月度任务数</h2>
      <p className="muted small">每类单位每月应被采用的信息条数。个别单位可在下方设置例外任务数。</p>
      <DataTable
        caption="月度任务数版本"
        rows={[...versions].reverse()}
        rowKey={(v) => v.id}
        rowClassName={(v) => (editing?.id === v.id ? "selected" : undefined)}
        columns={versionColumns<QuotaVersion>({
          inForceId,
          values: kinds.map((k) => ({ header: k.name, numeric: true, cell: (v) => `${v.quotas[k.code]} 条` })),
          edit: { href: (v) => `?edit=quota-${v.id}#quota-form`, label: (v) => `修改${v.name}月度任务数` },
        })}
      />

      <RulesForm
        id="quota-form"
        title={editing ? `修改月度任务数：${editing.name}` : "新建月度任务数版本"}
        explanation={
          editing
            ? `该版本适用于 ${governedLabel(editing.effectiveMonth, editing.until)}，还没有月份按它结算，因此可以直接修改。`
            : `已按本月执行的版本（${inForce?.name ?? ""}）填好。`
        }
        form={form}
        intent={intent}
        editing={editing ? { field: "version_id", id: editing.id, seen: editing.seen } : null}
        formKey={`${intent}-${editing?.id ?? versions.length}`}
        busy={busy}
        submit="新建版本"
        cancelHref="/admin/rules#quotas"
      >
        {editing ? null : <EffectiveMonthField form={form} idPrefix="quota-" defaultValue={bounds.suggested} hint={<EarliestHint bounds={bounds} />} />}
        <div className="number-grid">
          {kinds.map((k) => (
            <Field key={k.code} form={byKind} name={k.code} label={`${k.name}（条/月）`}>
              {(control) => (
                <input
                  {...control} name={quotaFieldName(k.code)} type="text" inputMode="numeric" autoComplete="off" required
                  defaultValue={shownValue(byKind, k.code, base[k.code])}
                />
              )}
            </Field>
          ))}
        </div>
        <NoteField form={form} defaultValue={editing?.note ?? ""} />
      </RulesForm>
    </section>
  );
}
