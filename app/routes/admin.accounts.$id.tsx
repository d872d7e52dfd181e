import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { Link } from "~/components/link";
import { z } from "zod";
import { AccountFields } from "~/components/account-fields";
import { ActiveToggle, TOGGLE_INTENTS } from "~/components/active-toggle";
import { FormError, SubmitRow, TextField } from "~/components/form-kit";
import { useIntentForm, useUnclaimedError } from "~/components/intent-form";
import { ActiveBadge } from "~/components/status-badge";
import { accountEditSchema } from "~/domain/directory";
import { accountSeen } from "~/domain/edit-seen";
import { parseId } from "~/domain/fields";
import { unitFieldValue, unitsForDropDown } from "~/domain/unit-pick";
import { formatShanghai } from "~/domain/time";
import { actorOf, answerToggle, submitForm } from "~/lib/action-data.server";
import { redirectWithFlash } from "~/lib/flash.server";
import { badRequest, invalid, readForm, seenIn } from "~/lib/form.server";
import { readTypedUnit } from "~/lib/typed-unit.server";
import { notFound, requirePermission } from "~/lib/session.server";
import { ACCOUNT_NOT_FOUND, getAccount, resetPassword, setAccountActive, updateAccount } from "~/models/accounts.server";
import { listUnitOptions } from "~/models/units.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.account.display_name ?? "账号"} - 账号管理 - 教育信息报送平台` },
];

// Built on use: a schema at module level would carry zod into the page's browser bundle.
const resetSchema = () =>
  z.object({
    password: z.string({ error: "请填写新的临时密码" }).min(1, "请填写新的临时密码"),
  });

function accountId(params: { id?: string }): number {
  return parseId(params.id) ?? notFound(ACCOUNT_NOT_FOUND);
}

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, context, "admin.accounts");
  const id = accountId(params);
  const [account, units] = await Promise.all([getAccount(context.dbs.reader, id), listUnitOptions(context.dbs.reader)]);
  if (!account) notFound(ACCOUNT_NOT_FOUND);
  // New members go to active units only; the account's own unit stays selectable even if stopped.
  const unitChoices = unitsForDropDown(units.filter((u) => u.active === 1 || u.id === account.unit_id));
  const unitValue = unitFieldValue(units.find((u) => u.id === account.unit_id), unitChoices);
  return { account, units: unitChoices, unitValue, self: user.id === account.id, seen: accountSeen(account) };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const user = await requirePermission(request, context, "admin.accounts");
  const id = accountId(params);
  const form = await readForm(request);
  const actor = actorOf(user, context);
  const intent = String(form.get("intent") ?? "");

  const toggled = await answerToggle(intent, form, {
    noun: "账号", href: `/admin/accounts/${id}`, stopped: "账号已停用，已退出其所有登录；其稿件和积分保留",
    set: (active) => setAccountActive(context.dbs.db, id, active, actor),
  });
  if (toggled) return toggled;

  if (intent === "reset_password") {
    return submitForm(form, {
      schema: resetSchema(), intent,
      write: (input) => resetPassword(context.dbs.db, id, input.password, actor),
      done: () => redirectWithFlash(`/admin/accounts/${id}`, "密码已重置：该账号已退出所有登录，下次登录须修改密码"),
    });
  }

  if (intent !== "save") return badRequest("未知的操作，请刷新页面后重试。");
  const typed = await readTypedUnit(form, "unit_id", () => listUnitOptions(context.dbs.reader), intent);
  if (!typed.ok) return invalid(typed.failure);
  return submitForm(typed.form, {
    sent: form,
    schema: accountEditSchema(), intent,
    write: (input) => updateAccount(context.dbs.db, id, { ...input, seen: seenIn(form) }, actor),
    done: () => redirectWithFlash(`/admin/accounts/${id}`, "账号信息已保存"),
  });
}

export default function EditAccount() {
  const { account, units, unitValue, self, seen } = useLoaderData<typeof loader>();
  const save = useIntentForm("save");
  const reset = useIntentForm("reset_password");
  const unclaimed = useUnclaimedError(self ? ["save"] : ["save", "reset_password", ...TOGGLE_INTENTS]);
  return (
    <>
      <div className="page-head">
        <h1>
          {account.display_name} <ActiveBadge active={!!account.active} />
        </h1>
        <Link to="/admin/accounts">返回账号列表</Link>
      </div>
      <FormError error={unclaimed} />

      <section className="card">
        <h2>账号信息</h2>
        <p className="muted small">
          用户名 <strong>{account.username}</strong> · 署名稿件 {account.bylines} 篇 · 当前登录 {account.sessions} 处
          {account.must_change_password ? " · 待本人修改密码" : ""}
          {account.deactivated_at ? ` · 停用于 ${formatShanghai(account.deactivated_at)}` : ""}
        </p>
        <FormError error={save.formError} />
        <Form method="post" className="stack" noValidate key={account.updated_at}>
          <input type="hidden" name="intent" value="save" />
          {/* What the form shows: an account changed since (another admin, another tab) is not overwritten. */}
          <input type="hidden" name="seen" value={seen} />
          <AccountFields
            form={save}
            units={units}
            fixedRole={self}
            values={{ display_name: account.display_name, phone: account.phone, role: account.role, unit_id: unitValue }}
            unitHint="信息员和分管领导必须属于一个启用的单位，调换单位后原有稿件仍属于原单位；"
          />
          <SubmitRow label="保存修改" />
        </Form>
      </section>

      {self ? (
        <section className="card">
          <h2>密码与状态</h2>
          <p className="muted">这是您本人的账号：请在“<Link to="/account/password">修改密码</Link>”页面修改密码；不能停用自己的账号。</p>
        </section>
      ) : (
        <>
          <section className="card">
            <h2>重置密码</h2>
            <p className="muted small">设置一个临时密码并告知本人。重置后该账号的所有登录立即失效，下次登录须修改密码。</p>
            <FormError error={reset.formError} />
            <Form method="post" className="stack" noValidate>
              <input type="hidden" name="intent" value="reset_password" />
              <TextField
                form={reset} name="password" label="新的临时密码" type="password" autoComplete="new-password" required
                hint="至少 10 位，包含字母、数字、符号中的至少两类，不能包含用户名，不能是常见密码。"
              />
              <SubmitRow label="重置密码" secondary />
            </Form>
          </section>

          <ActiveToggle
            noun="账号"
            active={!!account.active}
            activeNote="停用后该账号不能登录，已有登录立即失效；其稿件、署名和积分全部保留，可随时重新启用。"
            inactiveNote={account.unit_active === 0 ? "该账号所属单位已停用：请先启用单位，或把账号调到其他单位。" : undefined}
          />
        </>
      )}
    </>
  );
}
