// The device cookie (OWASP, "Slow Down Online Guessing Attacks with Device Cookies"): a browser
// that has signed in to an account carries a signed cookie naming that account and a random id,
// and its password attempts for the account are judged by that id's own counter
// (app/domain/login-throttle.ts). Failures sent on purpose from any other browser or address then
// hold only those, never the account's owner. It grants nothing else: the password is still needed.
import { randomBytes } from "node:crypto";
import { createCookie } from "@remix-run/node";
import { sessionCookieSecure } from "~/lib/session.server";
import { getConfig } from "~/models/env.server";

export const DEVICE_COOKIE_NAME = "portal_device";
/** Accounts one browser is known for (a school office's shared computer: the correspondents and the lead). */
export const DEVICE_ACCOUNTS = 5;
const DEVICE_DAYS = 365;

interface Entry {
  /** The username, lower case (usernames compare without case). */
  u: string;
  /** The random id the counter is kept under. */
  d: string;
}

let cookie: ReturnType<typeof createCookie> | undefined;

function deviceCookie() {
  cookie ??= createCookie(DEVICE_COOKIE_NAME, {
    httpOnly: true,
    sameSite: "lax",
    path: "/",
    maxAge: DEVICE_DAYS * 86_400,
    secrets: [getConfig().sessionSecret],
  });
  return cookie;
}

const nameOf = (username: string) => username.trim().toLowerCase();

/** The entries of the request's device cookie: none when it has none, or one not signed by this portal. */
async function entriesOf(request: Request): Promise<Entry[]> {
  const value: unknown = await deviceCookie().parse(request.headers.get("Cookie"));
  if (!Array.isArray(value)) return [];
  return value
    .filter((e): e is Entry => !!e && typeof e === "object" && typeof e.u === "string" && typeof e.d === "string" && /^[A-Za-z0-9_-]{16,64}$/.test(e.d))
    .slice(0, DEVICE_ACCOUNTS);
}

/** The id this browser holds for `username`, when its device cookie is valid and names that account. */
export async function deviceOf(request: Request, username: string): Promise<string | null> {
  const name = nameOf(username);
  return (await entriesOf(request)).find((e) => e.u === name)?.d ?? null;
}

/**
 * The device cookie after `username` signed in with this browser: its id (`device`, the one it
 * came with, or a new one) first, then the browser's other accounts, at most DEVICE_ACCOUNTS.
 */
export async function deviceCookieAfterLogin(request: Request, username: string, device: string | null): Promise<string> {
  const name = nameOf(username);
  const others = (await entriesOf(request)).filter((e) => e.u !== name);
  const entries = [{ u: name, d: device ?? randomBytes(18).toString("base64url") }, ...others].slice(0, DEVICE_ACCOUNTS);
  return deviceCookie().serialize(entries, { secure: sessionCookieSecure(request) });
}
