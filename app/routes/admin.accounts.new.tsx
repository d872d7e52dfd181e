import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { AccountFields } from "~/components/account-fields";
import { FormError, SubmitRow, TextField, useFormState } from "~/components/form-kit";
import { accountCreateSchema } from "~/domain/directory";
import { actorOf, submitForm } from "~/lib/action-data.server";
import { redirectWithFlash } from "~/lib/flash.server";
import { invalid, readForm } from "~/lib/form.server";
import { requirePermission } from "~/lib/session.server";
import { createAccount } from "~/models/accounts.server";
import { listUnitOptions } from "~/models/units.server";
import { readTypedUnit } from "~/lib/typed-unit.server";
import { unitFieldValue, unitsForDropDown } from "~/domain/unit-pick";

export const meta: MetaFunction = () => [{ title: "新建账号 - 教育信息报送平台" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requirePermission(request, context, "admin.accounts");
  const active = (await listUnitOptions(context.dbs.reader)).filter((u) => u.active === 1);
  const units = unitsForDropDown(active);
  // From a unit's page (?unit_id=…): that unit is filled in, as its id or as its code and name.
  const preset = active.find((u) => String(u.id) === new URL(request.url).searchParams.get("unit_id"));
  return { units, presetUnit: unitFieldValue(preset, units) };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requirePermission(request, context, "admin.accounts");
  const form = await readForm(request);
  const typed = await readTypedUnit(form, "unit_id", () => listUnitOptions(context.dbs.reader));
  if (!typed.ok) return invalid(typed.failure);
  return submitForm(typed.form, {
    sent: form,
    schema: accountCreateSchema(),
    write: (input) => createAccount(context.dbs.db, input, actorOf(user, context)),
    done: (result, input) => redirectWithFlash(`/admin/accounts/${result.id}`, `已新建账号 ${input.username}，首次登录须修改密码`),
  });
}

export default function NewAccount() {
  const { units, presetUnit } = useLoaderData<typeof loader>();
  const form = useFormState();
  return (
    <section className="card">
      <h1>新建账号</h1>
      <FormError error={form.formError} />
      <Form method="post" className="stack" noValidate>
        <TextField
          form={form} name="username" label="用户名" hint="3-32 位小写字母、数字或 . _ -，用于登录，创建后不能修改。" maxLength={32}
          autoCapitalize="none" autoComplete="off" required
        />
        <AccountFields
          form={form}
          units={units}
          phoneAutoComplete="off"
          values={{ display_name: "", phone: "", role: "correspondent", unit_id: presetUnit }}
          unitHint="信息员和分管领导必须选择单位；"
        />
        <TextField
          form={form} name="password" label="初始密码" type="password" autoComplete="new-password" required
          hint="至少 10 位，包含字母、数字、符号中的至少两类，不能是常见密码。请把初始密码当面或电话告知本人，首次登录须修改。"
        />
        <SubmitRow label="创建账号" back={{ to: "/admin/accounts", label: "取消" }} />
      </Form>
    </section>
  );
}
