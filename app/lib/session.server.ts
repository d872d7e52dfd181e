// The session cookie and the guards every loader and action starts with.
import { data, createCookie, redirect, type AppLoadContext } from "@remix-run/node";
import type { Kysely } from "kysely";
import type { Database } from "~/models/db.server";
import { can, type Permission } from "~/domain/permissions";
import { safeRedirectPath } from "~/domain/redirect";
import { getConfig } from "~/models/env.server";
import { signedValues } from "~/lib/cookie-values.server";
import { SESSION_COOKIE_NAME } from "~/lib/http.server";
import { findSessionUser, findSignedIn, SESSION_DAYS, type SessionUser, type SignedIn } from "~/models/auth.server";

let sessionCookie: ReturnType<typeof createCookie> | undefined;

export function getSessionCookie() {
  if (!sessionCookie) {
    const config = getConfig();
    sessionCookie = createCookie(SESSION_COOKIE_NAME, {
      httpOnly: true,
      sameSite: "lax",
      // Decided per request by sessionCookieSecure(): https or not, unless COOKIE_SECURE forces it.
      secure: config.cookieSecure === true,
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
  if (!cookieHeader) return null;
  // The same header always reads the same (the cookie's secret is fixed for the process): its
  // signature is checked once, not on every request a browser sends with it.
  const known = sessionIdsOfHeaders.get(cookieHeader);
  if (known !== undefined) return known;
  // The first of its values the portal signed: one planted under the same name with a longer
  // path is sent first and is skipped, not taken for the person's own.
  const value = (await signedValues(getSessionCookie(), cookieHeader)).find((v) => typeof v === "string" && v.length > 0);
  const id = typeof value === "string" ? value : null;
  if (sessionIdsOfHeaders.size >= 1024) sessionIdsOfHeaders.clear();
  sessionIdsOfHeaders.set(cookieHeader, id);
  return id;
}

/** Cookie headers already read, and the session id each carries (null: none, or a forged one). */
const sessionIdsOfHeaders = new Map<string, string | null>();

/**
 * `Secure` when the request came over https (the server builds the request URL from Express's
 * `req.protocol`, which believes X-Forwarded-Proto only from a proxy on this machine), unless
 * COOKIE_SECURE forces it either way. A browser drops a Secure cookie sent over plain http, so a
 * fixed flag made LAN logins at http://<address>:3000 fail silently.
 */
export function sessionCookieSecure(request: Request | undefined, setting = getConfig().cookieSecure): boolean {
  if (setting !== "auto") return setting;
  return !!request && new URL(request.url).protocol === "https:";
}

/**
 * Whether the sender of a Cookie header may use a permission, asked by the server before it reads
 * a request body: the same answer the route's requirePermission gives (an account that must first
 * replace its password may do nothing else).
 */
export async function accountAllowed(cookieHeader: string | null, db: Kysely<Database>, permission: Permission): Promise<SessionUser | null> {
  const user = await signedInUser(cookieHeader, db);
  return user && !user.mustChangePassword && can(user.role, permission) ? user : null;
}

/** The account signed in with a Cookie header (null: none, or a session that is over), asked by the server before it reads a form. */
export async function signedInUser(cookieHeader: string | null, db: Kysely<Database>): Promise<SessionUser | null> {
  const sessionId = await sessionIdOfCookie(cookieHeader);
  return sessionId ? findSessionUser(db, sessionId) : null;
}

/**
 * The browser would drop the session cookie: it is forced Secure (COOKIE_SECURE=1) but this
 * request came over plain http. Login says so instead of "succeeding" into an anonymous page.
 */
export function sessionCookieWouldBeDropped(request: Request, setting = getConfig().cookieSecure): boolean {
  return sessionCookieSecure(request, setting) && new URL(request.url).protocol !== "https:";
}

export async function commitSessionId(sessionId: string, request?: Request): Promise<string> {
  return getSessionCookie().serialize(sessionId, { secure: sessionCookieSecure(request) });
}

export async function destroySessionCookie(request?: Request): Promise<string> {
  return getSessionCookie().serialize("", { maxAge: 0, expires: new Date(0), secure: sessionCookieSecure(request) });
}

export const PASSWORD_PAGE = "/account/password";

export async function getUser(request: Request, context: AppLoadContext): Promise<SessionUser | null> {
  return (await getSignedIn(request, context))?.user ?? null;
}

/** getUser with the person's unread notifications as they were read with the account (the layout's badge). */
export async function getSignedIn(request: Request, context: AppLoadContext): Promise<SignedIn | null> {
  const sessionId = await readSessionId(request);
  if (!sessionId) return null;
  const signedIn = await signedInOf(request, context, sessionId);
  // A password an administrator set (or the one printed at first start) is known to someone else:
  // until its owner replaces it, the account may do nothing but replace it.
  if (signedIn?.user.mustChangePassword && new URL(request.url).pathname !== PASSWORD_PAGE) throw redirect(PASSWORD_PAGE);
  return signedIn;
}

/**
 * The account behind a session, read once per request when reading a page: the layout's loader and
 * the page's ask together. A form post reads it for each (its action may sign in or out first).
 */
function signedInOf(request: Request, context: AppLoadContext, sessionId: string): Promise<SignedIn | null> {
  const memo = context.requestMemo;
  if (!memo || (request.method !== "GET" && request.method !== "HEAD")) return findSignedIn(context.dbs.reader, sessionId);
  if (memo.signedIn?.sessionId !== sessionId) memo.signedIn = { sessionId, signedIn: findSignedIn(context.dbs.reader, sessionId) };
  return memo.signedIn.signedIn;
}

/** A safe place to return to after login: only paths on this site (see app/domain/redirect). */
export function safeRedirect(to: FormDataEntryValue | string | null | undefined, fallback = "/"): string {
  return safeRedirectPath(typeof to === "string" ? to : null, fallback);
}

export async function requireUser(request: Request, context: AppLoadContext): Promise<SessionUser> {
  const user = await getUser(request, context);
  if (!user) {
    const url = new URL(request.url);
    // Single fetch strips `.data` and `_routes` before the loader sees the request; a page loaded
    // before the upgrade may still ask with `?_data`, which must not follow the person to login.
    url.searchParams.delete("_data");
    const back = `${url.pathname}${url.search}`;
    throw redirect(`/login?${new URLSearchParams({ redirectTo: back })}`);
  }
  return user;
}

export function forbidden(message = "您没有权限访问此页面。"): never {
  throw data(pageRefusal(message), { status: 403 });
}

export function notFound(message = "您要找的内容不存在或已被删除。"): never {
  throw data(pageRefusal(message), { status: 404 });
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

/** A refusal shown as the portal's error page: the same action data shape, read by the root's ErrorBoundary. */
export function pageRefusal(message: string) {
  return { ok: false as const, formError: message, fieldErrors: {}, values: {} };
}
