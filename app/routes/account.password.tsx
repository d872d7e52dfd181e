import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { formStateOf, SubmitRow, TextField } from "~/components/form-kit";
import { refusal } from "~/domain/refusal";
import { passwordProblem } from "~/domain/password-policy";
import { refused, retryAfterHeaders } from "~/lib/action-data.server";
import { redirectWithFlash } from "~/lib/flash.server";
import { invalid, parseForm, readForm } from "~/lib/form.server";
import { readSessionId, requirePermission } from "~/lib/session.server";
import { changeOwnPassword } from "~/models/accounts.server";

export const meta: MetaFunction = () => [{ title: "修改密码 - 教育信息报送平台" }];

// A refused attempt says how long to wait (Retry-After), with or without JavaScript.
export const headers = retryAfterHeaders;

// Built on use: a schema at module level would carry zod into the page's browser bundle.
const schema = () =>
  z
    .object({
      // Capped like the login form: a megabyte "password" is refused before any scrypt work or throttle row.
      current_password: z.string({ error: "请填写当前密码" }).min(1, "请填写当前密码").max(200, "密码过长"),
      new_password: z.string({ error: "请填写新密码" }),
      confirm_password: z.string({ error: "请再次填写新密码" }),
    })
    .superRefine((v, ctx) => {
      const problem = passwordProblem(v.new_password);
      if (problem) ctx.addIssue({ code: "custom", path: ["new_password"], message: problem });
      if (v.new_password !== v.confirm_password) ctx.addIssue({ code: "custom", path: ["confirm_password"], message: "两次填写的新密码不一致" });
      if (v.new_password === v.current_password) ctx.addIssue({ code: "custom", path: ["new_password"], message: "新密码不能与当前密码相同" });
    });

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requirePermission(request, context, "account.password");
  return { mustChange: user.mustChangePassword, username: user.username };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requirePermission(request, context, "account.password");
  const form = await readForm(request);
  const parsed = parseForm(form, schema());
  if (!parsed.ok) return invalid(parsed);
  const problem = passwordProblem(parsed.data.new_password, user.username);
  if (problem) return refused(refusal(400, problem, { field: "new_password" }), { form });
  const result = await changeOwnPassword(context.dbs.db, {
    accountId: user.id,
    current: parsed.data.current_password,
    next: parsed.data.new_password,
    sessionId: (await readSessionId(request)) ?? "",
    ip: context.ip,
  });
  if (!result.ok) return refused(result, { form });
  return redirectWithFlash("/", "密码已修改，其他设备上的登录已退出。");
}

export default function ChangePassword() {
  const { mustChange } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const form = formStateOf(failure);
  return (
    <section className="card">
      <h1>修改密码</h1>
      {/* A new account's first sign-in as well as one after a reset: both passwords came from the admin. */}
      {mustChange ? <p className="flash flash--error">您的密码是管理员设置的（新建账号或重置密码时），请先设置只有您自己知道的新密码。</p> : null}
      <Form method="post" className="stack" noValidate>
        <TextField
          form={form} name="current_password" label="当前密码" type="password" autoComplete="current-password"
          hint={mustChange ? "即管理员告诉您的初始密码。" : undefined}
        />
        <TextField
          form={form} name="new_password" label="新密码" type="password" autoComplete="new-password"
          hint="至少 10 位，包含字母、数字、符号中的至少两类，不能包含用户名，不能是常见密码。"
        />
        <TextField form={form} name="confirm_password" label="再次输入新密码" type="password" autoComplete="new-password" />
        <SubmitRow label="保存新密码" />
      </Form>
    </section>
  );
}
