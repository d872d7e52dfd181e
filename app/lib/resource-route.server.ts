// Routes without a page (downloads, redirects) answer a refusal with a small Chinese page of
// their own. Remix renders the portal's error page only for routes that have a component: a
// refusal thrown by a download route (forbidden(), notFound(), badRequest()) would otherwise reach
// the browser as Remix's bare JSON (`{"message":"Unexpected Server Error"}`), and a stale
// "下载 Word" link or a shared address would land on it.
import { safeRedirectPath } from "~/domain/redirect";
import { ERROR_PAGE_TEXT, formErrorOf } from "~/domain/refusal";

const SITE = "教育信息报送平台";

/**
 * A route without a page, whose refusals reach the person as the Chinese page below, with their
 * status. A redirect (to the login page, to the password page) stays a redirect. Anything else
 * thrown is a fault of the portal: logged, and answered 500 with no detail.
 */
export function resourceLoader<Args extends { request: Request }>(
  loader: (args: Args) => Promise<Response> | Response,
): (args: Args) => Promise<Response> {
  return async (args) => {
    try {
      return await loader(args);
    } catch (thrown) {
      const refusal = await refusalOf(thrown);
      if (refusal) return refusalPage(refusal.status, refusal.message, { request: args.request, headers: refusal.headers });
      if (isResponse(thrown)) throw thrown;
      // The person went away: nothing to answer, nothing worth logging.
      if (!args.request.signal.aborted) console.error(thrown);
      return refusalPage(500, "", { request: args.request });
    }
  };
}

/**
 * The page for a refusal: its status, the Chinese message (or the status's usual one), a way
 * back; kept by no cache, whoever asked.
 */
export function refusalPage(status: number, message: string, options: { request?: Request; headers?: HeadersInit } = {}): Response {
  const title = ERROR_PAGE_TEXT[status]?.title ?? `错误 ${status}`;
  const text = message || (ERROR_PAGE_TEXT[status] ?? ERROR_PAGE_TEXT[status >= 500 ? 500 : 400]).message;
  const back = options.request ? backPath(options.request) : null;
  const links = [`<a href="/">返回首页</a>`, ...(back ? [`<a href="${escapeHtml(back)}">返回上一页</a>`] : [])].join("");
  const html =
    `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">` +
    `<meta name="viewport" content="width=device-width,initial-scale=1">` +
    `<title>${escapeHtml(`${title} - ${SITE}`)}</title>` +
    `<style>body{font-family:system-ui,"PingFang SC","Microsoft YaHei",sans-serif;color:#1f2933;max-width:36rem;margin:3rem auto;padding:0 1rem;line-height:1.7}` +
    `.code{color:#7b8794;margin:0}h1{margin:.25rem 0 1rem;font-size:1.5rem}nav a{display:inline-block;margin-right:1rem}</style>` +
    `</head><body><main role="alert"><p class="code">${status}</p><h1>${escapeHtml(title)}</h1><p>${escapeHtml(text)}</p>` +
    `<nav>${links}</nav><p class="code">${SITE}</p></main></body></html>`;
  const headers = new Headers(options.headers);
  headers.set("Content-Type", "text/html; charset=utf-8");
  headers.set("Cache-Control", "private, no-store");
  headers.delete("Content-Length");
  headers.delete("Content-Disposition");
  return new Response(html, { status, headers });
}

interface Refusal {
  status: number;
  message: string;
  headers?: HeadersInit;
}

/**
 * What a thrown value refuses, or null when it is no refusal: `data(pageRefusal(…), { status })`
 * as the shared guards throw it, or a Response with an error status. The message is the form
 * failure's `formError`, as the root's error page reads it.
 */
async function refusalOf(thrown: unknown): Promise<Refusal | null> {
  if (isDataWithInit(thrown)) {
    const status = thrown.init?.status ?? 200;
    if (status < 400) return null;
    return { status, message: formErrorOf(thrown.data), headers: thrown.init?.headers };
  }
  if (isResponse(thrown)) {
    if (thrown.status < 400) return null;
    const isJson = /\bapplication\/json\b/.test(thrown.headers.get("Content-Type") ?? "");
    const body = isJson ? await thrown.json().catch(() => null) : null;
    return { status: thrown.status, message: formErrorOf(body), headers: thrown.headers };
  }
  return null;
}

/** What `data(value, init)` returns under single fetch: the value with its status and headers. */
function isDataWithInit(value: unknown): value is { type: "DataWithResponseInit"; data: unknown; init: ResponseInit | null } {
  return typeof value === "object" && value !== null && (value as { type?: unknown }).type === "DataWithResponseInit";
}

/** A Response, recognised the way Remix recognises one (not by class: the fetch globals may differ). */
function isResponse(value: unknown): value is Response {
  const v = value as Partial<Response> | null;
  return typeof v === "object" && v !== null && typeof v.status === "number" && typeof v.statusText === "string" && typeof v.headers === "object" && "body" in v;
}

/** The portal page the person came from (the browser says so for same-origin links), if any. */
function backPath(request: Request): string | null {
  const referer = request.headers.get("Referer");
  if (!referer) return null;
  try {
    const from = new URL(referer);
    const here = new URL(request.url);
    if (from.origin !== here.origin) return null;
    const path = safeRedirectPath(`${from.pathname}${from.search}`, "");
    return path && path !== "/" && path !== `${here.pathname}${here.search}` ? path : null;
  } catch {
    return null;
  }
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
