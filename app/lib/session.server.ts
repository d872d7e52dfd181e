// The session cookie and the guards every loader and action starts with.
import { createCookie, json, redirect, type AppLoadContext } from "@remix-run/node";
import type { Kysely } from "kysely";
import type { Database } from "../../db/schema";
import { can, canActOnUnit, type Permission } from "~/domain/permissions";
import { getConfig } from "~/lib/env.server";
import { findSessionUser, SESSION_DAYS, type SessionUser } from "~/models/auth.server";

let sessionCookie: ReturnType<typeof createCookie> | undefined;

export function getSessionCookie() {
  if (!sessionCookie) {
    const config = getConfig();
    sessionCookie = createCookie("portal_sid", {
      httpOnly: true,
      sameSite: "lax",
      secure: config.cookieSecure,
      path: "/",
      maxAge: SESSION_DAYS * 86_400,
      secrets: [config.sessionSecret],
    });
  }
  return sessionCookie;
}

export async function readSessionId(request: Request): Promise<string | null> {
  return sessionIdOfCookie(request.headers.get("Cookie"));
}

async function sessionIdOfCookie(cookieHeader: string | null): Promise<string | null> {
  const value = await getSessionCookie().parse(cookieHeader);
  return typeof value === "string" && value.length > 0 ? value : null;
}

/**
 * Whether the sender of a Cookie header may use a permission, asked by the server before it reads
 * a request body: the same answer the route's requirePermission gives (an account that must first
 * replace its password may do nothing else).
 */
export async function accountAllowed(cookieHeader: string | null, db: Kysely<Database>, permission: Permission): Promise<SessionUser | null> {
  const sessionId = await sessionIdOfCookie(cookieHeader);
  const user = sessionId ? await findSessionUser(db, sessionId) : null;
  return user && !user.mustChangePassword && can(user.role, permission) ? user : null;
}

export async function commitSessionId(sessionId: string): Promise<string> {
  return getSessionCookie().serialize(sessionId);
}

export async function destroySessionCookie(): Promise<string> {
  return getSessionCookie().serialize("", { maxAge: 0, expires: new Date(0) });
}

export const PASSWORD_PAGE = "/account/password";

export async function getUser(request: Request, context: AppLoadContext): Promise<SessionUser | null> {
  const sessionId = await readSessionId(request);
  if (!sessionId) return null;
  const user = await findSessionUser(context.dbs.reader, sessionId);
  // A password an administrator set (or the one printed at first start) is known to someone else:
  // until its owner replaces it, the account may do nothing but replace it.
  if (user?.mustChangePassword && new URL(request.url).pathname !== PASSWORD_PAGE) throw redirect(PASSWORD_PAGE);
  return user;
}

/** A safe place to return to after login: only paths on this site. */
export function safeRedirect(to: FormDataEntryValue | string | null | undefined, fallback = "/"): string {
  if (typeof to !== "string" || !to.startsWith("/") || to.startsWith("//") || to.startsWith("/\\")) return fallback;
  if (to.startsWith("/login") || to.startsWith("/logout")) return fallback;
  return to;
}

export async function requireUser(request: Request, context: AppLoadContext): Promise<SessionUser> {
  const user = await getUser(request, context);
  if (!user) {
    const url = new URL(request.url);
    url.searchParams.delete("_data");
    const back = `${url.pathname}${url.search}`;
    throw redirect(`/login?${new URLSearchParams({ redirectTo: back })}`);
  }
  return user;
}

export function forbidden(message = "您没有权限访问此页面。"): never {
  throw json({ message }, { status: 403 });
}

export function notFound(message = "您要找的内容不存在或已被删除。"): never {
  throw json({ message }, { status: 404 });
}

export async function requirePermission(
  request: Request,
  context: AppLoadContext,
  permission: Permission,
): Promise<SessionUser> {
  const user = await requireUser(request, context);
  if (!can(user.role, permission)) forbidden();
  return user;
}

/** Throws 403 unless the person may act on this unit's data with this permission. */
export function requireUnitAccess(user: SessionUser, permission: Permission, unitId: number): void {
  if (!canActOnUnit({ role: user.role, unitId: user.unitId }, permission, unitId)) forbidden();
}
