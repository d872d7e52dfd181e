// The rules page's points section: the versions, each version's values side by side, and the form
// that creates a version (or changes one no month has been closed with).
import { DataTable } from "~/components/data-table";
import { EffectiveMonthField } from "~/components/effective-month-field";
import { TextField } from "~/components/form-kit";
import { useIntentForm } from "~/components/intent-form";
import { EarliestHint, NoteField, RulesForm, versionColumns, type MonthBounds, type RuleVersion } from "~/components/rules-parts";
import { POINTS_FIELDS, POINTS_GROUPS, signedPoints } from "~/domain/rules-policy";
import { governedLabel } from "~/domain/rule-versions";

export interface PointsVersion extends RuleVersion {
  values: Record<string, number>;
}

function ValuesTable({ versions }: { versions: PointsVersion[] }) {
  return (
    <>
      <h3>各版本分值</h3>
      <div className="table-wrap table-wrap--fit">
        <table className="data rules-values">
          <caption className="sr-only">各版本的积分分值</caption>
          <thead>
            <tr>
              <th scope="col">规则</th>
              {versions.map((v) => (
                <th scope="col" key={v.id} className="num">
                  {v.name}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {POINTS_FIELDS.map((f) => (
              <tr key={f.name}>
                <th scope="row" className="cell-primary">
                  {f.label}
                </th>
                {versions.map((v, i) => {
                  const n = v.values[f.name];
                  const changed = i > 0 && versions[i - 1].values[f.name] !== n;
                  return (
                    <td key={v.id} data-label={v.name} className="num">
                      {changed ? (
                        <strong className="changed">
                          {signedPoints(n)}
                          <span className="sr-only">（较上一版本有调整）</span>
                        </strong>
                      ) : (
                        signedPoints(n)
                      )}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {versions.length > 1 ? <p className="muted small">加粗的分值较上一版本有调整。</p> : null}
    </>
  );
}

export function RulesPointsSection({
  versions, inForceId, editId, bounds, busy,
}: {
  versions: PointsVersion[];
  inForceId: number | null;
  /** The version being changed (from the page's ?edit=points-<id>), if any. */
  editId: number | null;
  bounds: MonthBounds;
  busy: boolean;
}) {
  const editing = versions.find((v) => v.id === editId) ?? null;
  const inForce = versions.find((v) => v.id === inForceId) ?? versions.at(-1);
  const intent = editing ? "update_points" : "create_points";
  const form = useIntentForm(intent, "points-");
  const base = (editing ?? inForce)?.values;
  return (
    <section className="card" id="points" aria-labelledby="points-title">
      <h2 id="points-title">积分规则</h2>
      <DataTable
        caption="积分规则版本"
        rows={[...versions].reverse()}
        rowKey={(v) => v.id}
        rowClassName={(v) => (editing?.id === v.id ? "selected" : undefined)}
        columns={versionColumns<PointsVersion>({
          inForceId,
          values: [],
          edit: { href: (v) => `?edit=points-${v.id}#points-form`, label: (v) => `修改${v.name}积分规则` },
        })}
      />
      <ValuesTable versions={versions} />

      <RulesForm
        id="points-form"
        title={editing ? `修改积分规则：${editing.name}` : "新建积分规则版本"}
        explanation={
          editing
            ? `该版本适用于 ${governedLabel(editing.effectiveMonth, editing.until)}，还没有月份按它结算，因此可以直接修改；保存后会重新计算这些月份的积分。`
            : `下列分值已按本月执行的版本（${inForce?.name ?? ""}）填好，只需改动要调整的项。扣分项填负数。`
        }
        form={form}
        intent={intent}
        editing={editing ? { field: "version_id", id: editing.id, seen: editing.seen } : null}
        formKey={`${intent}-${editing?.id ?? versions.length}`}
        wide
        busy={busy}
        submit="新建版本"
        cancelHref="/admin/rules#points"
      >
        {editing ? null : <EffectiveMonthField form={form} idPrefix="points-" defaultValue={bounds.suggested} hint={<EarliestHint bounds={bounds} />} />}
        {POINTS_GROUPS.map((g) => (
          <fieldset key={g.code} className="field-group">
            <legend>
              {g.name}
              {g.hint ? <span className="muted small">（{g.hint}）</span> : null}
            </legend>
            <div className="number-grid">
              {POINTS_FIELDS.filter((f) => f.group === g.code).map((f) => (
                <TextField
                  key={f.name} form={form} name={f.name} label={f.label} hint={f.penalty ? "扣分，填负数" : undefined}
                  inputMode={f.penalty ? undefined : "decimal"} autoComplete="off" required defaultValue={base?.[f.name]}
                />
              ))}
            </div>
          </fieldset>
        ))}
        <NoteField form={form} defaultValue={editing?.note ?? ""} />
      </RulesForm>
    </section>
  );
}
