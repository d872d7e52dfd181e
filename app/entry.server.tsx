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
  const readyEvent = isbot(request.headers.get("user-agent") ?? "") ? "onAllReady" : "onShellReady";

  return new Promise<Response>((resolve, reject) => {
    let shellRendered = false;
    const { pipe, abort } = renderToPipeableStream(
      <NonceProvider value={nonce}>
        <RemixServer context={remixContext} url={request.url} abortDelay={ABORT_DELAY} nonce={nonce} />
      </NonceProvider>,
      {
        nonce,
        [readyEvent]() {
          shellRendered = true;
          const body = stripNulBytes();
          responseHeaders.set("Content-Type", "text/html; charset=utf-8");
          resolve(
            new Response(createReadableStreamFromReadable(body), {
              headers: responseHeaders,
              status: responseStatusCode,
            }),
          );
          pipe(body);
        },
        onShellError(error: unknown) {
          reject(error);
        },
        onError(error: unknown) {
          responseStatusCode = 500;
          if (shellRendered) console.error(error);
        },
      },
    );
    setTimeout(abort, ABORT_DELAY);
  });
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
 * next one (facebook/react#24985). NUL is never valid in HTML, so dropping it restores the text.
 */
export function stripNulBytes(): Transform {
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      if (chunk.indexOf(0) === -1) return callback(null, chunk);
      const out = Buffer.allocUnsafe(chunk.length);
      let n = 0;
      for (const byte of chunk) if (byte !== 0) out[n++] = byte;
      callback(null, out.subarray(0, n));
    },
  });
}
