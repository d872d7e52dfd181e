// The fields of a unit, the same on the new-unit and edit-unit pages.
import { CheckboxField, SelectField, TextField, type FormState } from "~/components/form-kit";

export interface UnitFieldValues {
  code: string;
  name: string;
  township: string;
  kind: string;
  signoff: boolean;
}

export function UnitFields({
  form, kinds, values, codeHint, townshipHint, kindHint, kindPlaceholder,
}: {
  form: FormState;
  kinds: ReadonlyArray<{ code: string; name: string }>;
  /** What the fields show before anything is typed (empty on a new unit). */
  values?: UnitFieldValues;
  codeHint: string;
  townshipHint?: string;
  kindHint?: string;
  /** The empty first choice of the kind (a new unit has none yet). */
  kindPlaceholder?: string;
}) {
  return (
    <>
      <TextField form={form} name="code" label="单位代码" hint={codeHint} maxLength={20} autoCapitalize="characters" required defaultValue={values?.code} />
      <TextField form={form} name="name" label="单位名称" maxLength={100} required defaultValue={values?.name} />
      <TextField form={form} name="township" label="所属乡镇" hint={townshipHint} maxLength={50} defaultValue={values?.township} />
      <SelectField
        form={form} name="kind" label="单位类别" hint={kindHint} required defaultValue={values?.kind} placeholder={kindPlaceholder}
        options={kinds.map((k) => ({ value: k.code, label: k.name }))}
      />
      <CheckboxField form={form} name="signoff_required" label="需要校内审核（分管领导签发后再报送教体局）" defaultChecked={values ? values.signoff : true} />
    </>
  );
}
