// The portal's HTTP server: security headers, body caps, static files, then Remix.
// Compiled with the app by the Remix compiler (remix.config.js `server`) into build/index.js.
import * as build from "@remix-run/dev/server-build";
import { createRequestHandler, writeReadableStreamToWritable, type ServerBuild } from "@remix-run/node";
import compression from "compression";
import express, { type NextFunction, type Request as ExpressRequest, type Response as ExpressResponse } from "express";
import { randomBytes } from "node:crypto";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { DEMO_ACCOUNTS } from "../db/seed/demo-county";
import { getConfig } from "~/lib/env.server";
import { bodyLimitFor, downloadRewrite, isCrossSiteWrite, securityHeaders } from "~/lib/http.server";
import { bootDatabases } from "~/models/db.server";
import { prepareClosedMonths } from "~/models/rankings.server";
import { sendDueReminders } from "~/models/reminders.server";

const config = getConfig();
const mode = config.production ? "production" : "development";
const handleRequest = createRequestHandler(build as unknown as ServerBuild, mode);

export async function startServer(port = config.port) {
  const { dbs, seeded, initialAdmin } = await bootDatabases();
  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", "loopback");

  app.use((req, res, next) => {
    const nonce = randomBytes(16).toString("base64");
    res.locals.nonce = nonce;
    for (const [name, value] of Object.entries(securityHeaders(nonce, config.production))) res.setHeader(name, value);
    next();
  });

  // Phones on county networks: compress HTML, JSON and scripts (streamed pages are flushed as they go).
  // Level 1: most of gzip's saving for a fraction of its CPU (under load, level 6 was a tenth of the portal's time).
  app.use(compression({ level: 1 }));

  // Fingerprinted build assets are immutable; everything else in public/ is cached briefly.
  app.use("/build", express.static(path.resolve("public/build"), { immutable: true, maxAge: "1y", index: false }));
  app.use(express.static(path.resolve("public"), { maxAge: "1h", index: false }));

  // Forged cross-site writes stop here, before their body is even read.
  app.use((req, res, next) => {
    // Behind a reverse proxy on this machine (trusted as "loopback" above) the public host is
    // the one the proxy forwards.
    const proxied = /^(127\.|::1$|::ffff:127\.)/.test(req.socket.remoteAddress ?? "") ? req.get("x-forwarded-host") : undefined;
    const host = proxied ?? req.get("host") ?? "";
    if (isCrossSiteWrite(req.method, { origin: req.get("origin"), secFetchSite: req.get("sec-fetch-site") }, host)) {
      return plainError(res, 403, "拒绝来自其他网站的提交。请在本平台的页面上操作。");
    }
    next();
  });

  // Bodies are read whole, up to a cap by content type, before Remix sees them: an oversized
  // body is a 413 and never reaches an action half-read.
  app.use((req, res, next) => {
    if (req.method === "GET" || req.method === "HEAD") return next();
    const limit = bodyLimitFor(req.headers["content-type"]);
    const declared = Number(req.headers["content-length"] ?? "NaN");
    if (Number.isFinite(declared) && declared > limit) return tooLarge(res, limit);
    readCappedBody(req, res, next, limit);
  });

  app.use((req, _res, next) => {
    const rewritten = req.method === "GET" || req.method === "HEAD" ? downloadRewrite(req.url) : null;
    if (rewritten) req.url = rewritten;
    next();
  });

  app.all("*", async (req, res, next) => {
    try {
      const request = toFetchRequest(req, res);
      const response = await handleRequest(request, { dbs, nonce: res.locals.nonce as string, ip: req.ip ?? "" });
      await sendResponse(res, response);
    } catch (error) {
      next(error);
    }
  });

  app.use((error: unknown, req: ExpressRequest, res: ExpressResponse, _next: NextFunction) => {
    const status = (error as { status?: number; type?: string }).status;
    if (status === 413) return tooLarge(res, bodyLimitFor(req.headers["content-type"]));
    if (status === 400) return plainError(res, 400, "提交的内容无法解析，请刷新页面后重试。");
    console.error(error);
    plainError(res, 500, "服务器内部错误，请稍后再试。");
  });

  const server = app.listen(port, "0.0.0.0");
  await new Promise<void>((resolve) => server.once("listening", () => resolve()));
  const actualPort = (server.address() as AddressInfo).port;
  printBanner(actualPort, seeded, initialAdmin);
  // Closed months never change: read this year's into memory now rather than on the first visit.
  // Only a head start: if it fails (say, the server is stopped at once), the first visit reads them
  // itself and reports any real error there.
  prepareClosedMonths(dbs.reader).catch(() => undefined);
  const reminders = config.autoReminders ? startReminderJob(dbs.db) : null;

  const shutdown = () => {
    if (reminders) clearInterval(reminders);
    server.close(() => {
      dbs.close().finally(() => process.exit(0));
    });
    setTimeout(() => process.exit(0), 5000).unref();
  };
  process.once("SIGTERM", shutdown);
  process.once("SIGINT", shutdown);
  return server;
}

const REMINDER_INTERVAL_MS = 60 * 60 * 1000;

/**
 * Automatic reminders (催报): once at start, then hourly. Sending is idempotent per unit and month,
 * so a restart or an overlapping run sends nothing twice; a failure is logged and retried next hour.
 */
function startReminderJob(db: Parameters<typeof sendDueReminders>[0]): NodeJS.Timeout {
  let running = false;
  const run = async () => {
    if (running) return;
    running = true;
    try {
      const result = await sendDueReminders(db);
      if (result.sent.length > 0) console.log(`自动催报：已向 ${result.sent.length} 个单位发送 ${result.month} 的催报。`);
    } catch (error) {
      console.error("自动催报失败（下个小时重试）：", error);
    } finally {
      running = false;
    }
  };
  void run();
  const timer = setInterval(() => void run(), REMINDER_INTERVAL_MS);
  timer.unref();
  return timer;
}

function toFetchRequest(req: ExpressRequest, res: ExpressResponse): Request {
  const origin = `${req.protocol}://${req.get("host") ?? "localhost"}`;
  const url = new URL(req.url, origin);
  const controller = new AbortController();
  res.on("close", () => controller.abort());
  const headers = new Headers();
  for (const [key, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const v of value) headers.append(key, v);
    else headers.set(key, value);
  }
  const init: RequestInit = { method: req.method, headers, signal: controller.signal };
  if (req.method !== "GET" && req.method !== "HEAD" && Buffer.isBuffer(req.body)) init.body = req.body as unknown as BodyInit;
  return new Request(url.href, init);
}

async function sendResponse(res: ExpressResponse, response: Response) {
  res.statusMessage = response.statusText;
  res.status(response.status);
  for (const [key, value] of response.headers.entries()) {
    if (key === "set-cookie") continue;
    res.setHeader(key, value);
  }
  const cookies = response.headers.getSetCookie();
  if (cookies.length) res.setHeader("set-cookie", cookies);
  if (response.body) await writeReadableStreamToWritable(response.body, res);
  else res.end();
}

/**
 * Reads a request body whole into `req.body`, up to `limit` bytes. Past the cap the answer is a
 * 413 at once and the connection is closed: the rest of an oversized (or endless, chunked) body is
 * never waited for. Compressed request bodies are not something a form sends: 415.
 */
function readCappedBody(req: ExpressRequest, res: ExpressResponse, next: NextFunction, limit: number) {
  const encoding = (req.headers["content-encoding"] ?? "identity").toLowerCase();
  if (encoding !== "identity") return plainError(res, 415, "不支持压缩的提交内容，请通过页面表单提交。");
  const chunks: Buffer[] = [];
  let size = 0;
  let settled = false;
  req.on("data", (chunk: Buffer) => {
    if (settled) return;
    size += chunk.length;
    if (size > limit) {
      settled = true;
      req.pause();
      res.once("finish", () => req.socket.destroy());
      tooLarge(res, limit);
      return;
    }
    chunks.push(chunk);
  });
  req.on("end", () => {
    if (settled) return;
    settled = true;
    req.body = Buffer.concat(chunks, size);
    next();
  });
  req.on("error", (error) => {
    if (settled) return;
    settled = true;
    next(Object.assign(error, { status: 400 }));
  });
}

function tooLarge(res: ExpressResponse, limit: number) {
  plainError(res, 413, `提交的内容过大（上限 ${Math.round(limit / 1024 / 1024)} MB），请缩小后重试。`);
}

function plainError(res: ExpressResponse, status: number, message: string) {
  if (res.headersSent) return res.end();
  res.status(status).setHeader("Connection", "close");
  res.type("html").send(
    `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${status}</title></head>` +
      `<body style="font-family:sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem"><h1>${status}</h1><p>${message}</p><p><a href="/">返回首页</a></p></body></html>`,
  );
}

function printBanner(port: number, seeded: boolean, initialAdmin?: { username: string; password: string }) {
  const lines = [
    initialAdmin ? `已创建管理员账号 ${initialAdmin.username}，初始密码 ${initialAdmin.password}（首次登录须修改）` : "",
    `教育信息报送平台已启动：http://localhost:${port}`,
    `数据目录：${config.dataDir}`,
    seeded ? "已生成演示县数据。" : "",
    config.seedDemo ? `演示账号（密码均为 ${config.demoPassword}）：` : "",
    ...(config.seedDemo ? DEMO_ACCOUNTS.map((a: { label: string; username: string }) => `  ${a.label}：${a.username}`) : []),
  ].filter(Boolean);
  console.log(lines.join("\n"));
}

if (process.env.PORTAL_NO_LISTEN !== "1") {
  startServer().catch((error) => {
    console.error("启动失败：", error);
    process.exit(1);
  });
}
