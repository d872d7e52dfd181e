// The "生效月份" field of the rules and settings forms. Its id is the page's own
// (points-month, quota-month, override-month, <group>-effective-month) while the field it sends is
// always `effective_month`.
import type { ReactNode } from "react";
import { Field, shownValue, type FormState } from "~/components/form-kit";

/** The form seen through other field names: `aliases[shown]` is the field the form really sends. */
export function aliasFields(form: FormState, aliases: Record<string, string>): FormState {
  const real = (name: string) => aliases[name] ?? name;
  return { ...form, error: (name) => form.error(real(name)), value: (name) => form.value(real(name)) };
}

export function EffectiveMonthField({
  form, idPrefix, label = "生效月份", hint, defaultValue, className,
}: {
  form: FormState;
  /** The field's id is `${idPrefix}month`. */
  idPrefix: string;
  label?: string;
  hint: ReactNode;
  defaultValue: string;
  className?: string;
}) {
  const shown = aliasFields({ ...form, idPrefix }, { month: "effective_month" });
  return (
    <Field form={shown} name="month" label={label} hint={hint} className={className}>
      {(control) => (
        <input
          {...control} name="effective_month" type="month" min="2000-01" max="2099-12" required placeholder="2026-12"
          defaultValue={shownValue(shown, "month", defaultValue)}
        />
      )}
    </Field>
  );
}
