// A short message carried across POST → redirect → GET in a one-shot cookie.
import { createCookie, redirect } from "@remix-run/node";
import { getConfig } from "~/models/env.server";

export interface Flash {
  kind: "success" | "error";
  message: string;
}

let flashCookie: ReturnType<typeof createCookie> | undefined;
function cookie() {
  flashCookie ??= createCookie("portal_flash", {
    httpOnly: true,
    sameSite: "lax",
    // A one-line message, not a credential: Secure only when forced, so that plain-http LAN
    // deployments still show it (the helpers that set it do not see the request's scheme).
    secure: getConfig().cookieSecure === true,
    path: "/",
    maxAge: 60,
    secrets: [getConfig().sessionSecret],
  });
  return flashCookie;
}

export async function redirectWithFlash(to: string, message: string, kind: Flash["kind"] = "success", init?: ResponseInit) {
  const headers = new Headers(init?.headers);
  headers.append("Set-Cookie", await cookie().serialize({ kind, message } satisfies Flash));
  return redirect(to, { ...init, headers });
}

export async function readFlash(request: Request): Promise<Flash | null> {
  const value = await cookie().parse(request.headers.get("Cookie"));
  if (!value || typeof value !== "object" || typeof value.message !== "string") return null;
  return { kind: value.kind === "error" ? "error" : "success", message: value.message };
}

export function hasFlashCookie(request: Request): boolean {
  return /(?:^|;\s*)portal_flash=/.test(request.headers.get("Cookie") ?? "");
}

export async function clearFlashCookie(): Promise<string> {
  return cookie().serialize("", { maxAge: 0, expires: new Date(0) });
}
