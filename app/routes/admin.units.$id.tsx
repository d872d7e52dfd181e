import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { Link } from "~/components/link";
import { ActiveToggle, TOGGLE_INTENTS } from "~/components/active-toggle";
import { DataTable } from "~/components/data-table";
import { FormError, SubmitRow } from "~/components/form-kit";
import { useIntentForm, useUnclaimedError } from "~/components/intent-form";
import { ActiveBadge } from "~/components/status-badge";
import { UnitFields } from "~/components/unit-fields";
import { unitFormSchema } from "~/domain/directory";
import { unitSeen } from "~/domain/edit-seen";
import { parseId } from "~/domain/fields";
import { roleName } from "~/domain/permissions";
import { actorOf, answerToggle, submitForm } from "~/lib/action-data.server";
import { redirectWithFlash } from "~/lib/flash.server";
import { badRequest, readForm, seenIn } from "~/lib/form.server";
import { notFound, requirePermission } from "~/lib/session.server";
import { getUnit, listUnitKinds, setUnitActive, UNIT_NOT_FOUND, updateUnit } from "~/models/units.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.unit.name ?? "单位"} - 单位管理 - 教育信息报送平台` },
];

function unitId(params: { id?: string }): number {
  return parseId(params.id) ?? notFound(UNIT_NOT_FOUND);
}

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  await requirePermission(request, context, "admin.units");
  const id = unitId(params);
  const [unit, kinds] = await Promise.all([getUnit(context.dbs.reader, id), listUnitKinds(context.dbs.reader)]);
  if (!unit) notFound(UNIT_NOT_FOUND);
  return { unit, kinds, seen: unitSeen(unit) };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const user = await requirePermission(request, context, "admin.units");
  const id = unitId(params);
  const form = await readForm(request);
  const actor = actorOf(user, context);
  const intent = String(form.get("intent") ?? "");

  const toggled = await answerToggle(intent, form, {
    noun: "单位", href: `/admin/units/${id}`, stopped: "单位已停用：其账号和稿件均保留",
    set: (active) => setUnitActive(context.dbs.db, id, active, actor),
  });
  if (toggled) return toggled;
  if (intent !== "save") return badRequest("未知的操作，请刷新页面后重试。");
  return submitForm(form, {
    schema: unitFormSchema(), intent,
    write: (input) => updateUnit(context.dbs.db, id, { ...input, seen: seenIn(form) }, actor),
    done: () => redirectWithFlash(`/admin/units/${id}`, "单位信息已保存"),
  });
}

export default function EditUnit() {
  const { unit, kinds, seen } = useLoaderData<typeof loader>();
  const form = useIntentForm("save");
  const unclaimed = useUnclaimedError(["save", ...TOGGLE_INTENTS]);
  return (
    <>
      <div className="page-head">
        <h1>
          {unit.name} <ActiveBadge active={!!unit.active} />
        </h1>
        <Link to="/admin/units">返回单位列表</Link>
      </div>
      <FormError error={unclaimed} />

      <section className="card">
        <h2>单位信息</h2>
        <FormError error={form.formError} />
        {/* The key resets the fields to the saved values after a successful save. */}
        <Form method="post" className="stack" noValidate key={unit.updated_at}>
          <input type="hidden" name="intent" value="save" />
          {/* What the form shows: a unit changed since (another admin, another tab) is not overwritten. */}
          <input type="hidden" name="seen" value={seen} />
          <UnitFields
            form={form}
            kinds={kinds}
            values={{ code: unit.code, name: unit.name, township: unit.township, kind: unit.kind_code, signoff: unit.signoff_required === 1 }}
            codeHint="1-20 位字母、数字或连字符，字母自动转为大写。"
            kindHint="类别决定该单位参加哪一类排名和默认月度任务数。"
          />
          <SubmitRow label="保存修改" />
        </Form>
      </section>

      <ActiveToggle
        noun="单位"
        active={!!unit.active}
        activeNote="停用后不再出现在新账号的单位选项中；已有的账号、稿件和历史统计全部保留，可随时重新启用。"
      />

      <section className="card">
        <div className="page-head">
          <h2>本单位账号</h2>
          <Link to={`/admin/accounts/new?unit_id=${unit.id}`}>为本单位新建账号</Link>
        </div>
        {unit.accounts.length === 0 ? (
          <p className="muted">本单位还没有账号。</p>
        ) : (
          <DataTable
            rows={unit.accounts}
            rowKey={(a) => a.id}
            rowClassName={(a) => (a.active ? undefined : "inactive")}
            columns={[
              { header: "用户名", cell: (a) => <Link to={`/admin/accounts/${a.id}`}>{a.username}</Link> },
              { header: "姓名", cell: (a) => a.display_name },
              { header: "角色", cell: (a) => roleName(a.role) },
              { header: "手机号", cell: (a) => a.phone || "—" },
              { header: "状态", cell: (a) => (a.active ? "启用" : "已停用") },
            ]}
          />
        )}
      </section>
    </>
  );
}
