import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { FormError, SubmitRow, useFormState } from "~/components/form-kit";
import { UnitFields } from "~/components/unit-fields";
import { unitFormSchema } from "~/domain/directory";
import { actorOf, submitForm } from "~/lib/action-data.server";
import { redirectWithFlash } from "~/lib/flash.server";
import { readForm } from "~/lib/form.server";
import { requirePermission } from "~/lib/session.server";
import { createUnit, listUnitKinds } from "~/models/units.server";

export const meta: MetaFunction = () => [{ title: "新建单位 - 教育信息报送平台" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requirePermission(request, context, "admin.units");
  return { kinds: await listUnitKinds(context.dbs.reader) };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requirePermission(request, context, "admin.units");
  const form = await readForm(request);
  return submitForm(form, {
    schema: unitFormSchema(),
    write: (input) => createUnit(context.dbs.db, input, actorOf(user, context)),
    done: (result, input) => redirectWithFlash(`/admin/units/${result.id}`, `已新建单位 ${input.name}`),
  });
}

export default function NewUnit() {
  const { kinds } = useLoaderData<typeof loader>();
  const form = useFormState();
  return (
    <section className="card">
      <h1>新建单位</h1>
      <FormError error={form.formError} />
      <Form method="post" className="stack" noValidate>
        <UnitFields
          form={form}
          kinds={kinds}
          codeHint="1-20 位字母、数字或连字符，字母自动转为大写，不可与其他单位重复。"
          townshipHint="区直学校可留空。"
          kindPlaceholder="请选择"
        />
        <SubmitRow label="保存" back={{ to: "/admin/units", label: "取消" }} />
      </Form>
    </section>
  );
}
