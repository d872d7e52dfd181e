// Reading request bodies in the server, before Remix: small forms whole and capped, uploads as a
// stream with a cap, both abandoned when the sender stalls. Whatever is refused is refused
// without reading the body, and a connection whose body was not read to its end is closed.
import type { Request as ExpressRequest, Response as ExpressResponse } from "express";
import { Readable } from "node:stream";
import { ALLOWED_METHODS, BODY_IDLE_MS, FOREIGN_WRITE_MESSAGES, foreignWrite, isAllowedMethod, isHostHeader, isRead, limitText } from "~/lib/http.server";

/**
 * The server's own short pages (413, 415, 429…): a Chinese sentence and a way back. No
 * `Connection: close`: Node would then destroy the socket the moment the page is written, and a
 * client still sending its body would get a reset instead of the page; closeWhenUnread ends it.
 */
export function plainError(res: ExpressResponse, status: number, message: string, headers: Record<string, string> = {}) {
  if (res.headersSent) return res.end();
  res.locals.answeredByServer = true;
  res.status(status);
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  res.type("html").send(
    `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${status}</title></head>` +
      `<body style="font-family:sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem"><h1>${status}</h1><p>${message}</p><p><a href="/">返回首页</a></p></body></html>`,
  );
}

export function tooLarge(res: ExpressResponse, limit: number) {
  plainError(res, 413, `提交的内容过大（上限 ${limitText(limit)}），请缩小后重试。`);
}

function timedOut(res: ExpressResponse) {
  plainError(res, 408, "提交超时：长时间没有收到数据。请检查网络后重新提交。");
}

/**
 * Once the answer is out, a request whose body was not read to the end loses its connection,
 * closed the way web servers close such connections (nginx's "lingering close"): the server's
 * side is shut at once and the socket itself goes only a moment later, so that a client still
 * busy sending reads the answer before a reset makes its system throw it away. Meanwhile what
 * still arrives is dropped, up to a little, then no longer read at all. Without this, Node would
 * read and discard the rest of the body, however long.
 */
export function closeWhenUnread(req: ExpressRequest, res: ExpressResponse) {
  // The answer itself says so (`Connection: close`), so that a client keeping connections alive
  // does not send its next request down this one as it closes. Node would then destroy the socket
  // as soon as the answer is written; it is closed the lingering way instead.
  const writeHead = res.writeHead;
  res.writeHead = function (this: ExpressResponse, ...args: Parameters<ExpressResponse["writeHead"]>) {
    if (!req.complete && !this.headersSent) {
      this.setHeader("Connection", "close");
      const socket = req.socket;
      socket.destroySoon = () => {
        socket.end();
        setTimeout(() => socket.destroy(), LINGER.ms).unref();
      };
    }
    return writeHead.apply(this, args);
  } as ExpressResponse["writeHead"];
  res.once("finish", () => {
    if (req.complete) return;
    const socket = req.socket;
    let dropped = 0;
    socket.on("data", (chunk: Buffer) => {
      dropped += chunk.length;
      if (dropped > LINGER.bytes) socket.pause();
    });
    socket.end();
    setTimeout(() => socket.destroy(), LINGER.ms).unref();
  });
}

const LINGER = { ms: 2000, bytes: 1024 * 1024 } as const;

/** Calls `onIdle` once no bytes have arrived for BODY_IDLE_MS; `touch` when some do. */
function idleTimer(onIdle: () => void): { touch: () => void; stop: () => void } {
  const timer = setTimeout(onIdle, BODY_IDLE_MS);
  return {
    touch: () => timer.refresh(),
    stop: () => clearTimeout(timer),
  };
}

export type BodyOutcome = { ok: true; body: Buffer } | { ok: false };

/** One sender's share of the bytes being read: `take` refuses (false) what would go past it; `give` returns them. */
export interface ByteShare {
  take(bytes: number): boolean;
  give(bytes: number): void;
}

/**
 * The bytes of the form bodies still arriving, by account, at most `perAccount` each. Bodies read
 * whole are held until they end, and an account may open as many connections as it likes: the caps
 * of one body do not bound what one person holds at once.
 */
export class ArrivingBytes {
  private readonly held = new Map<number, number>();

  constructor(readonly perAccount: number) {}

  of(account: number): ByteShare {
    return {
      take: (bytes) => {
        const after = (this.held.get(account) ?? 0) + bytes;
        if (after > this.perAccount) return false;
        this.held.set(account, after);
        return true;
      },
      give: (bytes) => {
        const left = (this.held.get(account) ?? 0) - bytes;
        if (left > 0) this.held.set(account, left);
        else this.held.delete(account);
      },
    };
  }

  /** Bytes held for an account now. */
  heldBy(account: number): number {
    return this.held.get(account) ?? 0;
  }
}

/**
 * Reads a request body whole, up to `limit` bytes. Past the cap the answer is a 413 at once: the
 * rest of an oversized (or endless, chunked) body is never waited for. A body that stalls is a 408.
 * With `share`, the bytes count against the sender's share while they arrive (given back once the
 * body has ended or been refused); past it the answer is a 429 at once.
 */
export function readCappedBody(req: ExpressRequest, res: ExpressResponse, limit: number, share?: ByteShare | null): Promise<BodyOutcome> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let taken = 0;
    let settled = false;
    const settle = (outcome: BodyOutcome) => {
      if (settled) return;
      settled = true;
      idle.stop();
      share?.give(taken);
      resolve(outcome);
    };
    const idle = idleTimer(() => {
      req.pause();
      timedOut(res);
      settle({ ok: false });
    });
    req.on("data", (chunk: Buffer) => {
      if (settled) return;
      idle.touch();
      size += chunk.length;
      if (size > limit) {
        req.pause();
        tooLarge(res, limit);
        return settle({ ok: false });
      }
      if (share) {
        if (!share.take(chunk.length)) {
          req.pause();
          plainError(res, 429, "您还有其他提交正在传送，请等它完成后再提交。", { "Retry-After": "10" });
          return settle({ ok: false });
        }
        taken += chunk.length;
      }
      chunks.push(chunk);
    });
    req.on("end", () => settle({ ok: true, body: Buffer.concat(chunks, size) }));
    req.on("error", () => {
      plainError(res, 400, "提交的内容无法解析，请刷新页面后重试。");
      settle({ ok: false });
    });
  });
}

/**
 * The body as a stream for Remix to parse as it arrives, with backpressure (the socket is paused
 * while the parser is busy), a cap on the total, and the idle timeout. Past the cap the server
 * answers 413 itself and the stream fails, so the action stops reading and its answer is dropped.
 */
export function streamBody(req: ExpressRequest, res: ExpressResponse, limit: number): Readable {
  let size = 0;
  let finished = false;
  const stop = () => {
    finished = true;
    idle.stop();
    req.pause();
  };
  const body = new Readable({
    // A few socket chunks (16–64 KB each) in hand at most.
    highWaterMark: 64 * 1024,
    read() {
      if (!finished) req.resume();
    },
    destroy(error, callback) {
      // The parser stopped early (a refused file, a broken body): stop reading; the connection
      // is closed once the answer is out (closeWhenUnread).
      stop();
      callback(error);
    },
  });
  // A failed body has been answered by the server already; nothing else needs to hear of it.
  body.on("error", () => undefined);
  const fail = (answer: () => void) => {
    if (finished) return;
    stop();
    // An answer already under way (the action finished without the rest of the body) stands.
    if (!res.headersSent) answer();
    body.destroy(new Error("request body refused"));
  };
  const idle = idleTimer(() => fail(() => timedOut(res)));
  res.once("close", () => idle.stop());
  req.on("data", (chunk: Buffer) => {
    if (finished) return;
    idle.touch();
    size += chunk.length;
    if (size > limit) return fail(() => tooLarge(res, limit));
    if (!body.push(chunk)) req.pause();
  });
  req.on("end", () => {
    if (finished) return;
    finished = true;
    idle.stop();
    body.push(null);
  });
  req.on("error", () => fail(() => plainError(res, 400, "提交的内容无法解析，请刷新页面后重试。")));
  req.pause();
  return body;
}

/**
 * What `@remix-run/express` builds the Remix Request from. The adapter reads the body from the
 * request stream itself, but by the time a write reaches Remix this server has either read it
 * whole (`req.body`, a small form), wrapped it in a capped stream (`res.locals.bodyStream`, an
 * upload), or chosen not to read it at all (a sender who may not send one: the route's guard
 * answers from the session alone). So the adapter is given a stream of exactly that body, carrying
 * the request line and headers of the real request. GET and HEAD have no body: the real request.
 */
export function requestForRemix(req: ExpressRequest, res: ExpressResponse): ExpressRequest {
  if (isRead(req.method)) return req;
  const uploaded = res.locals.bodyStream as Readable | undefined;
  const headers = { ...req.headers };
  let body: Readable;
  if (uploaded) body = uploaded;
  else if (Buffer.isBuffer(req.body)) body = Readable.from([req.body as Buffer], { objectMode: false });
  else {
    body = Readable.from([], { objectMode: false });
    delete headers["content-length"];
  }
  if (body !== uploaded) body.on("error", () => undefined);
  // Exactly what the adapter reads besides the stream (createRemixRequest), and what the load
  // context takes (the client's address).
  const facts = {
    method: req.method,
    headers,
    originalUrl: req.originalUrl,
    protocol: req.protocol,
    hostname: req.hostname,
    ip: req.ip,
    get: (name: string) => req.get(name),
  };
  return Object.assign(body, facts) as unknown as ExpressRequest;
}

/**
 * Express middleware: a request whose Host (or X-Forwarded-Host) is no host at all is answered 400
 * here. The Remix adapter builds the request's address from them, and such a value either failed
 * there (a 500 with a stack trace in the log, for any client that sends one) or moved the path
 * Remix routes away from the one this server checked before reading the body. A request without a
 * Host (HTTP/1.0) goes on as before.
 */
export function refuseBadHost(req: ExpressRequest, res: ExpressResponse, next: () => void) {
  for (const name of ["host", "x-forwarded-host"]) {
    const value = req.get(name);
    if (value && !isHostHeader(value)) {
      if (!isRead(req.method)) closeWhenUnread(req, res);
      return plainError(res, 400, "请求头中的主机名（Host）无效，请检查访问地址后重试。");
    }
  }
  next();
}

/**
 * Express middleware: a forged cross-site write stops here, before its body is even read
 * (foreignWrite). Only GET, HEAD and POST go on: the portal answers no CORS preflight (nothing is
 * meant to be called from another site), Remix would run a route's action for OPTIONS, PUT, PATCH
 * and DELETE as for POST, and a TRACE failed in the adapter with a 500 and a stack trace: 405.
 */
export function refuseForeignWrites(req: ExpressRequest, res: ExpressResponse, next: () => void) {
  if (!isAllowedMethod(req.method)) {
    closeWhenUnread(req, res);
    res.set("Allow", ALLOWED_METHODS.join(", "));
    return plainError(res, 405, "不支持的请求方法。");
  }
  // Behind a reverse proxy on this machine (trusted as "loopback") the public host is the one the proxy forwards.
  const proxied = /^(127\.|::1$|::ffff:127\.)/.test(req.socket.remoteAddress ?? "") ? req.get("x-forwarded-host") : undefined;
  const host = proxied ?? req.get("host") ?? "";
  const refused = foreignWrite(req.method, { origin: req.get("origin"), secFetchSite: req.get("sec-fetch-site"), referer: req.get("referer"), cookie: req.get("cookie") }, host);
  if (refused) return plainError(res, 403, FOREIGN_WRITE_MESSAGES[refused]);
  next();
}
