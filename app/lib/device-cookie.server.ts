// The device cookie (OWASP, "Slow Down Online Guessing Attacks with Device Cookies"): a browser
// that has signed in to an account carries a signed cookie naming that account, a random id and a
// tag of the account's password as it was then, and its password attempts for the account are
// judged by that id's own counter (app/domain/login-throttle.ts). Failures sent on purpose from any
// other browser or address then hold only those, never the account's owner. It grants nothing
// else (the password is still needed), and a new password (changed or reset) ends it.
import { randomBytes } from "node:crypto";
import { createCookie } from "@remix-run/node";
import { normalizeUsername } from "~/domain/directory-fields";
import { signedValues } from "~/lib/cookie-values.server";
import { sessionCookieSecure } from "~/lib/session.server";
import { getConfig } from "~/models/env.server";

export const DEVICE_COOKIE_NAME = "portal_device";
/** Accounts one browser is known for (a school office's shared computer: the correspondents and the lead). */
export const DEVICE_ACCOUNTS = 5;
const DEVICE_DAYS = 365;

/** One account this browser has signed in to. */
export interface DeviceEntry {
  /** The username, lower case (usernames compare without case). */
  u: string;
  /** The random id the counter is kept under. */
  d: string;
  /** The account's password when it signed in here (passwordTag in app/models/auth.server.ts). */
  p: string;
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

const TOKEN = /^[A-Za-z0-9_-]{16,64}$/;

const isEntry = (e: unknown): e is DeviceEntry =>
  !!e && typeof e === "object" && typeof (e as DeviceEntry).u === "string" && TOKEN.test(String((e as DeviceEntry).d)) && TOKEN.test(String((e as DeviceEntry).p));

/**
 * The entries of every device cookie the request carries that this portal signed. Every one is
 * read, not only the first: a cookie planted under the same name with a longer path (another
 * service on the same address may set one) comes first in the header and would otherwise hide
 * the browser's own.
 */
async function entriesOf(request: Request): Promise<DeviceEntry[]> {
  const entries: DeviceEntry[] = [];
  for (const value of await signedValues(deviceCookie(), request.headers.get("Cookie"))) {
    if (Array.isArray(value)) for (const e of value.slice(0, DEVICE_ACCOUNTS)) if (isEntry(e) && !entries.some((k) => k.u === e.u)) entries.push(e);
  }
  return entries;
}

/** What this browser holds for `username`, when a valid device cookie names that account. */
export async function deviceOf(request: Request, username: string): Promise<DeviceEntry | null> {
  const name = normalizeUsername(username);
  return (await entriesOf(request)).find((e) => e.u === name) ?? null;
}

/**
 * The device cookie after `username` signed in with this browser: its entry first (the id it came
 * with, `device`, when that was still good for the account's password, else a new one), then the
 * browser's other accounts, at most DEVICE_ACCOUNTS.
 */
export async function deviceCookieAfterLogin(request: Request, username: string, device: string | null, passwordTag: string): Promise<string> {
  const name = normalizeUsername(username);
  const others = (await entriesOf(request)).filter((e) => e.u !== name);
  const entries = [{ u: name, d: device ?? randomBytes(18).toString("base64url"), p: passwordTag }, ...others].slice(0, DEVICE_ACCOUNTS);
  return deviceCookie().serialize(entries, { secure: sessionCookieSecure(request) });
}
