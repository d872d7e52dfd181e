// One group of the settings page (names, reminders, the notice's selection…): a field per setting
// with its current value and timing, the months each monthly value governs, and the month from
// which a monthly change takes effect.
import { Form } from "@remix-run/react";
import { EffectiveMonthField } from "~/components/effective-month-field";
import { Field, FieldError, FormError, formStateOf, isFormFailure, SelectField, SubmitRow, type FormState } from "~/components/form-kit";
import {
  SETTING_GROUP_NAMES, SETTING_KEYS, settingDef, settingFieldValue, settingText, timingText, type SettingGroup, type SettingKey,
} from "~/domain/settings";
import { shownField, versionMonths, type SettingVersion } from "~/domain/settings-form";
import { formatShanghai, monthLabel } from "~/domain/time";

/** What the settings page shows of the settings: their values now, the monthly ones' versions, and the open months. */
export interface SettingsView {
  values: Record<SettingKey, unknown>;
  versions: Partial<Record<SettingKey, SettingVersion[]>>;
  latestClosed: string | null;
  earliest: string | null;
  defaultEffectiveMonth: string;
}

export function SettingsSection({
  group, view, busy, failure,
}: {
  group: SettingGroup;
  view: SettingsView;
  busy: boolean;
  /** The action data when this group's form was refused. */
  failure: unknown;
}) {
  const form = formStateOf(failure, "save_settings", "setting-");
  const withdrawal = withdrawalFailure(failure);
  const keys = SETTING_KEYS.filter((k) => settingDef(k).group === group);
  const monthly = keys.filter((k) => settingDef(k).timing === "month");
  return (
    <section className="card settings-section" id={group} aria-labelledby={`${group}-title`}>
      <h2 id={`${group}-title`}>{SETTING_GROUP_NAMES[group]}</h2>
      <FormError error={form.formError} />
      {/* Drawn afresh once the values or versions change (a save, a 撤回): a field that kept what was typed would
          differ from what the page says it shows, and the next save of the group would write it again. */}
      <Form method="post" className="stack stack--wide" noValidate key={form.failed ? "failed" : JSON.stringify(keys.map((k) => [view.values[k], view.versions[k]]))}>
        <input type="hidden" name="intent" value="save_settings" />
        {keys.map((key) => (
          <SettingField key={key} form={form} settingKey={key} current={view.values[key]} versions={view.versions[key]} withdrawal={withdrawal} busy={busy} />
        ))}
        {/* What each field showed: only the fields the person changes are saved (app/domain/settings-form.ts). */}
        {keys.map((key) => (
          <input key={key} type="hidden" name={shownField(key)} value={settingFieldValue(key, view.values[key])} />
        ))}
        {monthly.length > 0 ? (
          <EffectiveMonthField
            form={form}
            idPrefix={`${group}-effective-`}
            className="settings-month"
            label={monthly.length === keys.length ? "以上设置的生效月份" : `${monthly.map((k) => settingDef(k).label).join("、")}的生效月份`}
            defaultValue={view.defaultEffectiveMonth}
            hint={
              <>
                {view.earliest
                  ? `${monthLabel(view.latestClosed!)}及以前已结算，最早可从 ${monthLabel(view.earliest)} 起生效。`
                  : "还没有结算过的月份。"}
                新值执行到下一次调整为止；从未来某月生效的，到时自动执行。
              </>
            }
          />
        ) : null}
        <SubmitRow label={`保存${SETTING_GROUP_NAMES[group]}`} busy={busy} />
      </Form>
      <WithdrawForms keys={monthly} versions={view.versions} />
    </section>
  );
}

const withdrawFormId = (key: SettingKey, month: string) => `withdraw-${key}-${month}`;

/**
 * The 撤回 form of each scheduled version, outside the group's form (a form inside a form is dropped
 * by the HTML parser, and its button would save the group instead); the list's buttons name them.
 */
function WithdrawForms({ keys, versions }: { keys: SettingKey[]; versions: SettingsView["versions"] }) {
  return keys.flatMap((key) =>
    (versions[key] ?? [])
      .filter((v) => v.state === "scheduled")
      .map((v) => (
        <Form key={`${key}-${v.effectiveMonth}`} method="post" id={withdrawFormId(key, v.effectiveMonth)} hidden>
          <input type="hidden" name="intent" value="withdraw_setting" />
          <input type="hidden" name="key" value={key} />
          <input type="hidden" name="effective_month" value={v.effectiveMonth} />
          <input type="hidden" name="shown" value={settingFieldValue(key, v.value)} />
        </Form>
      )),
  );
}

/** A refused 撤回: which version it was for, and why. */
type WithdrawalFailure = { key: string; effectiveMonth: string; message: string } | null;

function withdrawalFailure(failure: unknown): WithdrawalFailure {
  if (!isFormFailure(failure) || failure.values.intent !== "withdraw_setting") return null;
  const message = failure.formError ?? Object.values(failure.fieldErrors)[0];
  return message ? { key: String(failure.values.key ?? ""), effectiveMonth: String(failure.values.effective_month ?? ""), message } : null;
}

function SettingField({
  form, settingKey, current, versions, withdrawal, busy,
}: {
  form: FormState;
  settingKey: SettingKey;
  current: unknown;
  versions?: SettingVersion[];
  withdrawal: WithdrawalFailure;
  busy: boolean;
}) {
  const def = settingDef(settingKey);
  const value = form.value(settingKey) ?? settingFieldValue(settingKey, current);
  const meta = (
    <>
      当前：<strong>{settingText(settingKey, current)}</strong>
      <span className={def.timing === "month" ? "settings-timing settings-timing--month" : "settings-timing"}>{timingText(def.timing)}</span>
      <br />
      {def.hint}
    </>
  );
  if (def.type === "flag") {
    const id = `${form.idPrefix}${settingKey}`;
    const error = form.error(settingKey);
    return (
      <fieldset className="field settings-field" aria-describedby={[error ? `${id}-error` : null, `${id}-hint`].filter(Boolean).join(" ")}>
        <legend>{def.label}</legend>
        <div className="radio-row">
          {[
            ["1", "开启"],
            ["0", "关闭"],
          ].map(([v, text]) => (
            <label key={v} className="radio">
              <input type="radio" name={settingKey} value={v} defaultChecked={value === v} /> {text}
            </label>
          ))}
        </div>
        <FieldError id={id} error={error} />
        <span className="hint" id={`${id}-hint`}>
          {meta}
        </span>
      </fieldset>
    );
  }
  if (def.type === "choice") {
    return (
      <div>
        <SelectField
          form={form} name={settingKey} label={def.label} hint={meta} className="settings-field" defaultValue={value}
          options={def.options.map((o) => ({ value: o.code, label: o.name }))}
        />
        {versions && versions.length > 0 ? <VersionList settingKey={settingKey} versions={versions} withdrawal={withdrawal} busy={busy} /> : null}
      </div>
    );
  }
  const suffix = def.type === "int" ? def.unit : def.type === "percent" ? "%" : null;
  const wide = def.type === "text" && def.maxLength > 20;
  return (
    <div>
      <Field form={form} name={settingKey} label={def.label} hint={meta} className="settings-field">
        {(control) => (
          <span className="input-with-unit">
            <input
              {...control} type="text" autoComplete="off" defaultValue={value}
              className={def.type === "text" ? (wide ? "input--wide" : "input--medium") : "input--short"}
              inputMode={def.type === "int" || def.type === "percent" ? "numeric" : undefined}
              maxLength={def.type === "text" ? def.maxLength : def.type === "monthDay" ? 5 : 7}
              placeholder={def.type === "monthDay" ? "04-10" : undefined}
              required={!(def.type === "text" && def.optional)}
            />
            {suffix ? <span className="unit">{suffix}</span> : null}
          </span>
        )}
      </Field>
      {versions && versions.length > 0 ? <VersionList settingKey={settingKey} versions={versions} withdrawal={withdrawal} busy={busy} /> : null}
    </div>
  );
}

const STATE_BADGE: Record<SettingVersion["state"], { text: string; className: string }> = {
  past: { text: "已结束", className: "badge" },
  current: { text: "本月执行", className: "badge badge--ok" },
  scheduled: { text: "待生效", className: "badge badge--warn" },
};

function VersionList({ settingKey, versions, withdrawal, busy }: { settingKey: SettingKey; versions: SettingVersion[]; withdrawal: WithdrawalFailure; busy: boolean }) {
  return (
    <details className="settings-versions" open={versions.length > 1}>
      <summary>
        各月份适用的值（{versions.length} 个版本）
      </summary>
      <ul>
        {[...versions].reverse().map((v) => {
          const refused = withdrawal?.key === settingKey && withdrawal.effectiveMonth === v.effectiveMonth ? withdrawal.message : undefined;
          return (
            <li key={v.effectiveMonth}>
              <span className="nowrap">{versionMonths(v)}</span>：<strong>{settingText(settingKey, v.value)}</strong>{" "}
              <span className={STATE_BADGE[v.state].className}>{STATE_BADGE[v.state].text}</span>
              {v.updatedBy ? (
                <span className="muted small">
                  {" "}
                  {v.updatedBy} · {formatShanghai(v.updatedAt)}
                </span>
              ) : null}
              {v.state === "scheduled" ? (
                // Not yet in force: taken back here (the field above shows this month's value). The
                // list is inside the group's form, so the button submits its own form (WithdrawForms).
                <button type="submit" form={withdrawFormId(settingKey, v.effectiveMonth)} className="button button--secondary button--small settings-withdraw" disabled={busy}>
                  撤回此版本
                </button>
              ) : null}
              <FormError error={refused} />
            </li>
          );
        })}
      </ul>
    </details>
  );
}
