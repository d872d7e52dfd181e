import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useNavigation, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { FormError, formStateOf, TextField } from "~/components/form-kit";
import { text } from "~/domain/fields";
import { retryAfterHeaders } from "~/lib/action-data.server";
import { deviceCookieAfterLogin, deviceOf } from "~/lib/device-cookie.server";
import { invalid, parseForm, readForm } from "~/lib/form.server";
import { commitSessionId, getUser, readSessionId, safeRedirect, sessionCookieWouldBeDropped } from "~/lib/session.server";
import { login } from "~/models/auth.server";

export const meta: MetaFunction = () => [{ title: "登录 - 教育信息报送平台" }];
// A refused attempt says how long to wait (Retry-After), with or without JavaScript.
export const headers = retryAfterHeaders;

// Built on use: a schema at module level would carry zod into the page's browser bundle.
const loginSchema = () =>
  z.object({
    username: text("用户名", 64),
    password: z.string({ error: "请填写密码" }).min(1, "请填写密码").max(200, "密码过长"),
    redirectTo: z.string().max(2000, "登录后要打开的页面地址过长，请从首页重新登录。").optional(),
  });

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await getUser(request, context);
  if (user) return redirect(safeRedirect(new URL(request.url).searchParams.get("redirectTo")));
  return {};
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await readForm(request);
  const parsed = parseForm(form, loginSchema());
  // The return address is a hidden field: its error is shown at the top of the form.
  if (!parsed.ok) return invalid({ ...parsed, formError: parsed.formError ?? parsed.fieldErrors.redirectTo });
  if (sessionCookieWouldBeDropped(request)) {
    return data(
      {
        ok: false as const,
        formError: "本平台设置为只能经 https 登录（COOKIE_SECURE=1），请改用 https 地址访问，或请管理员去掉这项设置。",
        fieldErrors: {},
        values: { username: parsed.data.username },
      },
      { status: 400 },
    );
  }
  // A browser this account has signed in with is judged apart: others' failures do not hold it.
  const device = await deviceOf(request, parsed.data.username);
  const result = await login(context.dbs.db, {
    username: parsed.data.username,
    password: parsed.data.password,
    ip: context.ip,
    userAgent: request.headers.get("user-agent") ?? "",
    previousSessionId: await readSessionId(request),
    device: device && { id: device.d, passwordTag: device.p },
  });
  if (!result.ok) {
    return data(
      { ok: false as const, formError: result.message, fieldErrors: {}, values: { username: parsed.data.username } },
      { status: result.status, headers: result.retryAfterSeconds ? { "Retry-After": String(result.retryAfterSeconds) } : undefined },
    );
  }
  const to = result.user.mustChangePassword ? "/account/password" : safeRedirect(parsed.data.redirectTo);
  const headers = new Headers();
  headers.append("Set-Cookie", await commitSessionId(result.sessionId, request));
  // The same id while the password is the one it was trusted with; a new one after a new password.
  headers.append("Set-Cookie", await deviceCookieAfterLogin(request, parsed.data.username, device?.p === result.passwordTag ? device.d : null, result.passwordTag));
  return redirect(to, { headers });
}

export default function LoginPage() {
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const navigation = useNavigation();
  const failure = actionData && !actionData.ok ? actionData : null;
  const form = formStateOf(failure);
  return (
    <section className="login-panel card">
      <h1>登录</h1>
      {params.get("redirectTo") && !failure ? <p className="muted small">请先登录，登录后将返回您要访问的页面。</p> : null}
      <FormError error={form.formError} />
      <Form method="post" className="stack" noValidate>
        <input type="hidden" name="redirectTo" value={params.get("redirectTo") ?? "/"} />
        <TextField form={form} name="username" label="用户名" autoComplete="username" autoCapitalize="none" required />
        <TextField form={form} name="password" label="密码" type="password" autoComplete="current-password" required />
        <button type="submit" disabled={navigation.state === "submitting"}>
          {navigation.state === "submitting" ? "正在登录…" : "登录"}
        </button>
        <p className="muted small">忘记密码请联系本单位管理员或教体局办公室重置。</p>
      </Form>
    </section>
  );
}
