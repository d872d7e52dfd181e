import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { resourceLoader } from "~/lib/resource-route.server";
import { destroySessionCookie, readSessionId } from "~/lib/session.server";
import { logout } from "~/models/auth.server";

// Signing out changes state, so only POST does it; a GET just goes home.
export const loader = resourceLoader(() => redirect("/"));

export async function action({ request, context }: ActionFunctionArgs) {
  const sessionId = await readSessionId(request);
  if (sessionId) await logout(context.dbs.db, sessionId, context.ip);
  return redirect("/login", { headers: { "Set-Cookie": await destroySessionCookie(request) } });
}
