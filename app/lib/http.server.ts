// Response headers and request limits shared by the server and the tests.

export const BODY_LIMITS = {
  /** Uploads: up to 9 photos of 8 MB each plus the form. */
  multipart: 80 * 1024 * 1024,
  /** Everything else (forms, JSON). */
  other: 1024 * 1024,
  /**
   * The one form read without a session, the login form: a username, a password and a return
   * address of at most 2,000 characters (18 KB percent-encoded, were they all Chinese).
   */
  signIn: 32 * 1024,
  /**
   * The 简报 editor's one form: up to 30 items' titles and bodies of up to 10,000 characters, at 9
   * bytes a Chinese character percent-encoded (about 2.7 MB), beside the issue's own fields.
   */
  bulletin: 3 * 1024 * 1024,
  /**
   * Form bytes still arriving for one account at once, in one process: the 简报 editor's form and
   * another beside it. A form is held in memory until it ends, so without this one account could
   * open hundreds of connections, send each a form of 1 MB (3 MB to the 简报 editor) less a byte
   * and stop: 200 such connections held 600 MB until they timed out 30 seconds later.
   */
  arrivingPerAccount: 4 * 1024 * 1024,
} as const;

export function bodyLimitFor(contentType: string | undefined): number {
  return isMultipart(contentType) ? BODY_LIMITS.multipart : BODY_LIMITS.other;
}

export function isMultipart(contentType: string | undefined): boolean {
  return contentType?.toLowerCase().startsWith("multipart/form-data") ?? false;
}

/**
 * A request body that stops arriving for this long is abandoned (408). A phone on a weak signal
 * pauses for seconds, not for half a minute; a client that stalls longer only holds a connection.
 */
export const BODY_IDLE_MS = 30_000;

/** The whole request, headers and body, must arrive within this (an 80 MB upload at 1 MB/s fits). */
export const REQUEST_TIMEOUT_MS = 120_000;
export const HEADERS_TIMEOUT_MS = 20_000;

/**
 * The pages whose forms carry files, and the permission a sender needs before the server reads
 * a byte of such a body. Remix matches paths without regard to case, and so does this.
 */
const UPLOAD_ROUTES: ReadonlyArray<[RegExp, "item.write" | "admin.import"]> = [
  [/^\/items\/new\/?$/i, "item.write"],
  [/^\/items\/[^/]+\/edit\/?$/i, "item.write"],
  [/^\/admin\/import\/?$/i, "admin.import"],
];

/**
 * With JavaScript a form posts to the page's single-fetch address: the path with `.data` appended
 * (exactly that suffix; Remix takes no other spelling as a data request).
 */
const SINGLE_FETCH_SUFFIX = ".data";

export function uploadPermissionFor(pathname: string): "item.write" | "admin.import" | null {
  const page = pathname.endsWith(SINGLE_FETCH_SUFFIX) ? pathname.slice(0, -SINGLE_FETCH_SUFFIX.length) : pathname;
  return UPLOAD_ROUTES.find(([pattern]) => pattern.test(page))?.[1] ?? null;
}

/** The login page, and its single-fetch address, as Remix matches them (without regard to case). */
const LOGIN_PAGE = /^\/login\/?$/i;
/** The 简报 editor, whose one form carries every item's text (BODY_LIMITS.bulletin). */
const BULLETIN_EDITOR = /^\/bulletins\/[^/]+\/edit\/?$/i;

/**
 * How much of a form (a body that is not multipart) the server reads, or null for none. Someone
 * signed in may send up to BODY_LIMITS.other (to the 简报 editor, BODY_LIMITS.bulletin). Without a
 * session the only form any page reads is the login form, and it is small; every other page
 * answers such a sender from the session alone (to the login page), so its body is not read at all.
 * Bodies read whole are held in memory until they end: 600 anonymous connections each sending a
 * form of 1 MB less a byte, and then nothing, held 600 MB of the portal's memory until they timed out.
 */
export function formBodyLimit(pathname: string, signedIn: boolean): number | null {
  const page = pathname.endsWith(SINGLE_FETCH_SUFFIX) ? pathname.slice(0, -SINGLE_FETCH_SUFFIX.length) : pathname;
  if (signedIn) return BULLETIN_EDITOR.test(page) ? BODY_LIMITS.bulletin : BODY_LIMITS.other;
  return LOGIN_PAGE.test(page) ? BODY_LIMITS.signIn : null;
}

/** A body limit as people read it: "1 MB", "32 KB". */
export function limitText(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${Math.round(bytes / 1024 / 1024)} MB` : `${Math.round(bytes / 1024)} KB`;
}

/** Security headers for every response; scripts run only with this response's nonce. */
export function securityHeaders(nonce: string, production: boolean): Record<string, string> {
  const csp = [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}'`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
  const headers: Record<string, string> = {
    "Content-Security-Policy": csp,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
  };
  if (production) headers["Strict-Transport-Security"] = "max-age=15552000";
  return headers;
}

/** The session cookie's name. */
export const SESSION_COOKIE_NAME = "portal_sid";
const SIGNED_IN = new RegExp(`(?:^|;\\s*)${SESSION_COOKIE_NAME}=`);

/**
 * A page or its data for a signed-in person (the request carries the session cookie) holds their
 * unit's data: unless the response says otherwise, no cache keeps it, nor a shared computer's
 * browser after 退出. Public pages read without signing in stay cacheable.
 */
export function keepPrivate(request: Request, headers: Headers): void {
  if (!headers.has("Cache-Control") && SIGNED_IN.test(request.headers.get("Cookie") ?? "")) {
    headers.set("Cache-Control", "private, no-store");
  }
}

/**
 * Downloads keep the addresses people bookmark and notices link to (/rankings/2026-10.xlsx,
 * /notices/12.docx). Remix routes cannot match part of a segment, so the server hands such a
 * request to the `export` resource route under the page: /rankings/2026-10/export?format=xlsx.
 * Under /admin only the operations log has one: /admin/audit.csv → /admin/audit/export?format=csv.
 */
const DOWNLOAD = /^\/(rankings|notices|bulletins|summary|register|admin(?=\/audit\.csv$))\/([^/]+)\.(xlsx|csv|docx)$/;

export function downloadRewrite(url: string): string | null {
  const q = url.indexOf("?");
  const path = q === -1 ? url : url.slice(0, q);
  const m = DOWNLOAD.exec(path);
  if (!m) return null;
  const params = new URLSearchParams(q === -1 ? "" : url.slice(q + 1));
  params.set("format", m[3]);
  return `/${m[1]}/${m[2]}/export?${params}`;
}

/** A request that only reads: GET and HEAD carry no body and change nothing. */
export function isRead(method: string): boolean {
  return method === "GET" || method === "HEAD";
}

/** The methods the portal's pages and forms use; the server answers any other with 405. */
export const ALLOWED_METHODS = ["GET", "HEAD", "POST"] as const;

/**
 * Whether the server lets a request of this method reach Remix. Remix runs a route's action for
 * PUT, PATCH and DELETE as for POST (and for OPTIONS), and the fetch Request it is built into
 * refuses TRACE outright (a 500 with a stack trace in the log, for anyone who sends one).
 */
export function isAllowedMethod(method: string): boolean {
  return (ALLOWED_METHODS as readonly string[]).includes(method);
}

/** A host name or IPv4 address, or an IPv6 address in brackets, with an optional port. */
const HOST = /^(?:[A-Za-z0-9._-]+|\[[0-9A-Fa-f:.]+\])(?::(\d{1,5}))?$/;

/**
 * Whether a Host (or X-Forwarded-Host) header names a host as a browser or a proxy sends one. The
 * Remix adapter builds the request's address from these two headers (the port of the second even
 * from a client it does not trust): a space, `%`, `^`, `@` or a port past 65535 made that address
 * invalid (a 500 and a stack trace for every such request), and a `/` or `?` changed the path
 * Remix routes away from the one the server checked.
 */
export function isHostHeader(value: string): boolean {
  const m = HOST.exec(value);
  if (!m || (m[1] !== undefined && Number(m[1]) > 65_535)) return false;
  try {
    const url = new URL(`http://${value}/`);
    return url.pathname === "/" && url.username === "" && url.password === "";
  } catch {
    return false;
  }
}

/** Why a write is refused before it reaches an action: posted from another site, or from nowhere a browser will name. */
export type ForeignWrite = "cross-site" | "no-source";

/**
 * A write (POST and friends; OPTIONS is answered 405 before this) sent from another site is
 * refused before it reaches an action. The session cookie is SameSite=Lax already; this also
 * covers same-site subdomains and old browsers. Browsers send `Origin` on every cross-origin POST
 * and `Sec-Fetch-Site` on every request; an old browser that sends neither (an IE-kernel mode)
 * still sends the page it posted from as `Referer`, which must then be this host (the portal's
 * pages say `Referrer-Policy: same-origin`, so its own posts always carry it).
 *
 * An attacker's page can make such a browser drop the Referer too (a no-referrer policy, or an
 * https page posting to the portal on http), and that browser ignores SameSite, so it would still
 * send the person's session cookie. A write that carries the session cookie but names none of the
 * three is therefore refused ("no-source"). A client sending none of them and no session (curl, a
 * script signing in) is not a browser being tricked and goes on to the session and role checks.
 */
export function foreignWrite(
  method: string,
  headers: { origin?: string; secFetchSite?: string; referer?: string; cookie?: string },
  host: string,
): ForeignWrite | null {
  if (isRead(method)) return null;
  const otherHost = (url: string) => {
    try {
      return new URL(url).host.toLowerCase() !== host.toLowerCase();
    } catch {
      return true;
    }
  };
  const crossSite = (refused: boolean) => (refused ? "cross-site" : null);
  const origin = headers.origin;
  if (origin === "null") return "cross-site";
  if (origin) return crossSite(otherHost(origin));
  if (headers.secFetchSite) return crossSite(headers.secFetchSite === "cross-site");
  if (headers.referer) return crossSite(otherHost(headers.referer));
  return SIGNED_IN.test(headers.cookie ?? "") ? "no-source" : null;
}

/** What the person is told when a write is refused as foreign. */
export const FOREIGN_WRITE_MESSAGES: Record<ForeignWrite, string> = {
  "cross-site": "拒绝来自其他网站的提交。请在本平台的页面上操作。",
  "no-source": "无法确认这次提交来自本平台的页面（浏览器没有说明提交来自哪个网页），没有保存。请在本平台的页面上重新操作；使用“兼容模式”的浏览器请切换到“极速模式”。",
};
