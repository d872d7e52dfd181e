// The fields of an account that the new-account and edit-account pages share.
import { Field, SelectField, TextField, type FormState } from "~/components/form-kit";
import { roleName, ROLES } from "~/domain/permissions";
import { UNIT_TEXT_MAX } from "~/domain/unit-pick";

const ROLE_CHOICES = ROLES.map((r) => ({ value: r.code, label: r.name }));

export interface AccountFieldValues {
  display_name: string;
  phone: string;
  role: string;
  unit_id: string;
}

export function AccountFields({
  form, units, values, unitHint, fixedRole = false, phoneAutoComplete,
}: {
  form: FormState;
  /** The units to choose from; null when there are too many for a drop-down: the unit is typed (code or whole name). */
  units: ReadonlyArray<{ id: number; code: string; name: string; active: number }> | null;
  /** `unit_id` is the unit's id for the drop-down, its code and name for the box. */
  values: AccountFieldValues;
  /** Which accounts need a unit (the field adds how to leave it empty). */
  unitHint: string;
  /** One's own account: the role is shown, not chosen. */
  fixedRole?: boolean;
  phoneAutoComplete?: string;
}) {
  return (
    <>
      <TextField form={form} name="display_name" label="姓名" maxLength={50} required defaultValue={values.display_name} />
      <TextField
        form={form} name="phone" label="手机号" hint="11 位手机号码，可留空。" type="tel" inputMode="numeric" maxLength={20}
        autoComplete={phoneAutoComplete} defaultValue={values.phone}
      />
      {fixedRole ? (
        <Field form={form} name="role" label="角色" hint="不能修改自己的角色；如需调整，请由其他管理员操作。">
          {(control) => (
            <>
              <input type="hidden" name="role" value={values.role} />
              <p id={control.id}>{roleName(values.role)}</p>
            </>
          )}
        </Field>
      ) : (
        <SelectField form={form} name="role" label="角色" required defaultValue={values.role} options={ROLE_CHOICES} />
      )}
      {units ? (
        <SelectField
          form={form} name="unit_id" label="所属单位" hint={`${unitHint}审核员和管理员选“无”。`} defaultValue={values.unit_id} placeholder="无（审核员、管理员）"
          options={units.map((u) => ({ value: u.id, label: `${u.code} ${u.name}${u.active ? "" : "（已停用）"}` }))}
        />
      ) : (
        <>
          <input type="hidden" name="unit_by" value="text" />
          <TextField
            form={form} name="unit_id" label="所属单位" hint={`${unitHint}输入单位代码或完整名称；审核员和管理员留空。`}
            maxLength={UNIT_TEXT_MAX} autoComplete="off" placeholder="单位代码或完整名称" defaultValue={values.unit_id}
          />
        </>
      )}
    </>
  );
}
