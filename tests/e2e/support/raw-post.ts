// Requests written by hand for the attacks on request bodies: a POST over a bare socket that can
// trickle, stall or flood its body, and the multipart form of a new item.
import net from "node:net";
import { performance } from "node:perf_hooks";
import { expect } from "vitest";
import { dataUrl, loaderDataOf } from "../../support/single-fetch";

const MB = 1024 * 1024;
const ONE_MB = Buffer.alloc(MB, "x");
const FRAMED_MB = Buffer.concat([Buffer.from(`${MB.toString(16)}\r\n`), ONE_MB, Buffer.from("\r\n")]);

export interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  text: string;
  /** Body bytes this side handed to the socket before the answer came. */
  sent: number;
  /** Milliseconds from the start of the request to the end of the answer. */
  ms: number;
}

/**
 * A POST over a bare TCP socket, HTTP/1.1 written and read by hand: an HTTP client library stops
 * (or fails with a broken pipe) in its own ways when an answer comes while it is still sending,
 * and what is under test is the server's answer. The body is `prefix` then `fill` bytes (declared
 * in Content-Length unless chunked; "x" repeated, or `pattern` repeated), written as fast as the
 * server takes them until it answers; or, with `trickle`, one byte every `trickle` ms after the
 * prefix; or, with `stall`, nothing more.
 */
export function rawPost(
  base: string,
  path: string,
  options: {
    headers: Record<string, string>; prefix?: Buffer; fill?: number; pattern?: Buffer; chunked?: boolean; trickle?: number; stall?: boolean;
  },
): { answer: Promise<RawAnswer>; stop: () => void } {
  const { hostname, port } = new URL(base);
  const prefix = options.prefix ?? Buffer.alloc(0);
  const total = prefix.length + (options.fill ?? 0);
  const headers: Record<string, string> = { Host: `${hostname}:${port}`, Origin: base, ...options.headers };
  const hasLength = Object.keys(headers).some((h) => h.toLowerCase() === "content-length");
  if (options.chunked && !hasLength) headers["Transfer-Encoding"] = "chunked";
  else if (!hasLength) headers["Content-Length"] = String(total);
  const chunked = headers["Transfer-Encoding"] === "chunked";
  const frame = (b: Buffer) => (chunked ? Buffer.concat([Buffer.from(`${b.length.toString(16)}\r\n`), b, Buffer.from("\r\n")]) : b);
  const started = performance.now();
  const socket = net.connect({ host: hostname, port: Number(port), allowHalfOpen: true });
  let sent = 0;
  let answered = false;
  let timer: NodeJS.Timeout | undefined;
  let received = Buffer.alloc(0);
  const answer = new Promise<RawAnswer>((resolve, reject) => {
    const tryParse = (ended: boolean) => {
      const headEnd = received.indexOf("\r\n\r\n");
      if (headEnd === -1) return;
      answered = true;
      clearInterval(timer);
      const lines = received.subarray(0, headEnd).toString("latin1").split("\r\n");
      const status = Number(lines[0].split(" ")[1]);
      const head: Record<string, string> = {};
      for (const line of lines.slice(1)) {
        const i = line.indexOf(":");
        head[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
      }
      let body = received.subarray(headEnd + 4);
      if (head["content-length"] !== undefined) {
        if (body.length < Number(head["content-length"])) return;
      } else if (head["transfer-encoding"] === "chunked") {
        if (!body.includes("\r\n0\r\n\r\n") && !body.subarray(0, 5).equals(Buffer.from("0\r\n\r\n"))) return;
        const parts: Buffer[] = [];
        for (let at = 0; ; ) {
          const eol = body.indexOf("\r\n", at);
          const n = parseInt(body.subarray(at, eol).toString(), 16);
          if (!n) break;
          parts.push(body.subarray(eol + 2, eol + 2 + n));
          at = eol + 2 + n + 2;
        }
        body = Buffer.concat(parts);
      } else if (!ended) {
        return;
      }
      resolve({ status, headers: head, text: body.toString("utf8"), sent, ms: performance.now() - started });
      socket.destroy();
    };
    socket.on("data", (d: Buffer) => {
      received = Buffer.concat([received, d]);
      tryParse(false);
    });
    socket.on("end", () => tryParse(true));
    socket.on("error", (error) => {
      clearInterval(timer);
      // Writing into a connection the server has dropped fails here; only an answer that never came is a failure.
      if (!answered) reject(error);
    });
    socket.on("close", () => {
      if (!answered) reject(new Error(`${path}: connection closed without an answer after ${sent} bytes`));
    });
  });
  answer.catch(() => undefined);
  socket.write(`POST ${path} HTTP/1.1\r\n${Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join("")}\r\n`);
  if (prefix.length) socket.write(frame(prefix));
  sent += prefix.length;
  if (options.trickle) {
    timer = setInterval(() => {
      if (!answered) socket.write(frame(Buffer.from("x")));
    }, options.trickle);
  } else if (!options.stall) {
    // About a megabyte at a time: whole repetitions of the pattern.
    const block = options.pattern ? Buffer.alloc(Math.max(1, Math.floor(MB / options.pattern.length)) * options.pattern.length, options.pattern) : ONE_MB;
    const framedBlock = block === ONE_MB ? FRAMED_MB : frame(block);
    const pump = () => {
      while (!answered && sent < total) {
        const n = Math.min(block.length, total - sent);
        sent += n;
        if (!socket.write(n === block.length ? (chunked ? framedBlock : block) : frame(block.subarray(0, n)))) return void socket.once("drain", pump);
      }
      if (!answered && chunked) socket.write("0\r\n\r\n");
    };
    pump();
  }
  return { answer, stop: () => (clearInterval(timer), socket.destroy()) };
}

export const BOUNDARY = "----attack9b1f";
export const MULTIPART = `multipart/form-data; boundary=${BOUNDARY}`;

export function multipart(parts: Array<{ name: string; value: string | Buffer; filename?: string }>, close = true): Buffer {
  const chunks: Buffer[] = [];
  for (const p of parts) {
    const file = p.filename === undefined ? "" : `; filename="${p.filename}"\r\nContent-Type: image/png`;
    chunks.push(Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="${p.name}"${file}\r\n\r\n`), Buffer.from(p.value), Buffer.from("\r\n"));
  }
  if (close) chunks.push(Buffer.from(`--${BOUNDARY}--\r\n`));
  return Buffer.concat(chunks);
}

/** The text fields of a valid new item for `username`, with a fresh one-time form token. */
export async function itemFields(base: string, cookie: string, title: string): Promise<Array<{ name: string; value: string }>> {
  const res = await fetch(`${base}${dataUrl("/items/new", "routes/items.new")}`, { headers: { Cookie: cookie } });
  expect(res.status).toBe(200);
  const data = await loaderDataOf<{ options: { categories: Array<{ id: number }>; channels: Array<{ id: number }> }; today: string; authorId: number; formToken: string }>(
    res, "routes/items.new",
  );
  return [
    { name: "title", value: title },
    { name: "body", value: "学校组织开展安全教育活动。\n活动取得良好效果。" },
    { name: "category_id", value: String(data.options.categories[0].id) },
    { name: "channel_id", value: String(data.options.channels[0].id) },
    { name: "event_date", value: data.today },
    { name: "bylines", value: String(data.authorId) },
    { name: "form_token", value: data.formToken },
    { name: "intent", value: "save" },
  ];
}

