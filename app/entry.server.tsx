import { Transform } from "node:stream";
import {
  createReadableStreamFromReadable,
  type AppLoadContext,
  type EntryContext,
  type HandleErrorFunction,
} from "@remix-run/node";
import { isRouteErrorResponse, RemixServer } from "@remix-run/react";
import { isbot } from "isbot";
import { renderToPipeableStream } from "react-dom/server";
import { keepPrivate } from "~/lib/http.server";
import { NonceProvider } from "~/lib/nonce";

const ABORT_DELAY = 5_000;

export default async function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  const nonce = loadContext?.nonce ?? "";
  const bot = isbot(request.headers.get("user-agent") ?? "");

  return new Promise<Response>((resolve, reject) => {
    let shellRendered = false;
    const send = () => {
      shellRendered = true;
      const body = stripNulBytes();
      responseHeaders.set("Content-Type", "text/html; charset=utf-8");
      keepPrivate(request, responseHeaders);
      resolve(
        new Response(createReadableStreamFromReadable(body), {
          headers: responseHeaders,
          status: responseStatusCode,
        }),
      );
      pipe(body);
    };
    const { pipe, abort } = renderToPipeableStream(
      <NonceProvider value={nonce}>
        <RemixServer context={remixContext} url={request.url} abortDelay={ABORT_DELAY} nonce={nonce} />
      </NonceProvider>,
      {
        nonce,
        onShellReady() {
          if (!bot) send();
        },
        // The page is complete: nothing is left to abort. The timer would otherwise keep React's
        // request for the page (and the stream it wrote to) alive for five seconds after every page.
        onAllReady() {
          clearTimeout(abortTimer);
          if (bot) send();
        },
        onShellError(error: unknown) {
          clearTimeout(abortTimer);
          reject(error);
        },
        onError(error: unknown) {
          responseStatusCode = 500;
          if (shellRendered) console.error(error);
        },
      },
    );
    const abortTimer = setTimeout(abort, ABORT_DELAY);
  });
}

/** A page's data (`.data`) for a signed-in person is kept by no cache either (keepPrivate). */
export function handleDataRequest(response: Response, { request }: { request: Request }): Response {
  keepPrivate(request, response.headers);
  return response;
}

export const handleError: HandleErrorFunction = (error, { request }) => {
  // Aborted requests (the person navigated away) are not errors worth logging.
  if (request.signal.aborted) return;
  // The router refusing a request (a `.data` request for a method no route takes, a route that
  // does not match) is the client's mistake, answered with its 4xx: one line, not a stack trace.
  if (isRouteErrorResponse(error) && error.status < 500) {
    const url = new URL(request.url);
    const inner = (error as { error?: unknown }).error;
    const detail = inner instanceof Error ? inner.message : error.statusText;
    console.warn(oneLine(`请求被拒绝 ${error.status}：${request.method} ${url.pathname}${url.search} ${detail}`));
    return;
  }
  // Remix still answers a `?_data` request (a page loaded before single fetch was turned on) and
  // warns about it: one line, not a stack trace for every click in a stale tab.
  if (error instanceof Error && error.message.startsWith(LEGACY_DATA_WARNING)) {
    const url = new URL(request.url);
    console.warn(oneLine(`请求使用了旧的 ?_data 格式：${request.method} ${url.pathname}${url.search}`));
    return;
  }
  console.error(error);
};

const LEGACY_DATA_WARNING = "Warning: Single fetch-enabled apps should not be making ?_data requests";

/** Addresses and route ids come from the client: no line breaks or control characters reach the log. */
function oneLine(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f]/g, "?").slice(0, 500);
}

/**
 * React 18's streaming renderer leaves zero bytes where a multi-byte character (every Chinese
 * character) does not fit at the end of its 2 KB buffer, then writes the character whole into the
 * next one (facebook/react#24985). NUL is never valid in HTML, so dropping it restores the text. The
 * production build is patched not to (patches/react-dom+18.3.1.patch); the development build is not.
 *
 * It also writes a page in pieces (2 KB unpatched, 8,192 characters patched), all in the same turn
 * of the event loop; each piece would then cross the web stream, the Express adapter, gzip (one
 * thread-pool round trip each) and the socket on its own. What arrives in one turn leaves as one
 * chunk at the next (or as soon as 64 KB are waiting), so a page still streams — a part rendered
 * later goes out when it is ready — but a large page costs one trip instead of several.
 */
export function stripNulBytes(): Transform {
  let pending: Buffer[] = [];
  let size = 0;
  let scheduled = false;
  const release = (stream: Transform) => {
    scheduled = false;
    if (size === 0) return;
    const out = pending.length === 1 ? pending[0] : Buffer.concat(pending, size);
    pending = [];
    size = 0;
    stream.push(out);
  };
  return new OnceEnded({
    transform(chunk: Buffer, _encoding, callback) {
      const clean = chunk.indexOf(0) === -1 ? chunk : withoutNul(chunk);
      if (clean.length > 0) {
        pending.push(clean);
        size += clean.length;
      }
      if (size >= COALESCE_LIMIT) release(this);
      else if (!scheduled && size > 0) {
        scheduled = true;
        setImmediate(() => release(this));
      }
      callback();
    },
    flush(callback) {
      release(this);
      callback();
    },
  });
}

const COALESCE_LIMIT = 64 * 1024;

/**
 * A Transform whose `end()` after it has finished (or been destroyed) does nothing. React ends its
 * destination again when the destination closes after the page (and when its abort runs), and
 * Node answers each such call by building an error with a stack trace that nobody reads.
 */
class OnceEnded extends Transform {
  override end(...args: unknown[]): this {
    if (this.writableFinished || this.destroyed) {
      const callback = args.find((arg): arg is () => void => typeof arg === "function");
      if (callback) process.nextTick(callback);
      return this;
    }
    return (Transform.prototype.end as (...a: unknown[]) => this).apply(this, args);
  }
}

function withoutNul(chunk: Buffer): Buffer {
  const out = Buffer.allocUnsafe(chunk.length);
  let n = 0;
  for (const byte of chunk) if (byte !== 0) out[n++] = byte;
  return out.subarray(0, n);
}
