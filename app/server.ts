// The portal's HTTP server: security headers, who may send a body and how much, static files, then Remix.
// Compiled with the app by the Remix compiler (remix.config.js `server`) into build/index.js.
import * as build from "@remix-run/dev/server-build";
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import compression from "compression";
import express, { type NextFunction, type Request as ExpressRequest, type Response as ExpressResponse } from "express";
import { randomBytes } from "node:crypto";
import cluster from "node:cluster";
import { existsSync, readdirSync, rmSync } from "node:fs";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { networkInterfaces } from "node:os";
import path from "node:path";
import { getConfig, type Config } from "~/models/env.server";
import { bodyGate } from "~/lib/body-gate.server";
import { bodyLimitFor, downloadRewrite, HEADERS_TIMEOUT_MS, isRead, REQUEST_TIMEOUT_MS, securityHeaders } from "~/lib/http.server";
import { UploadSlots, type UploadSlotGiver } from "~/models/limits.server";
import { plainError, refuseBadHost, refuseForeignWrites, requestForRemix, tooLarge } from "~/lib/request-body.server";
import { joinPrimary, startPrimary } from "~/lib/cluster.server";
import { UPLOADS_DIR } from "~/lib/uploads.server";
import { lanAddresses, LISTEN_HOST } from "~/lib/lan-addresses";
import { startProcessStats } from "~/lib/process-stats.server";
import { isJobThread, serveOffThreadJobs, stopOffThread } from "~/lib/off-thread.server";
import { bootDatabases, openPortalDatabases, type Databases } from "~/models/db.server";
import { demoAccountsSigningIn, type DEMO_ACCOUNTS } from "~/models/demo.server";
import { settingsFor } from "~/models/settings.server";
import { prepareRankings } from "~/models/rankings.server";
import { catchUpTextBands, TEXT_BANDS_INTERVAL_MS } from "~/models/text-bands.server";
import { nearDuplicateScan } from "~/models/near-duplicates.server";
import { documentSweepMessage, PHOTO_SWEEP, sweepMessage, sweepOrphanDocuments, sweepOrphanPhotos } from "~/models/photo-sweep.server";
import { sendDueReminders } from "~/models/reminders.server";
import { sendRequestReminders, settleDueRequests } from "~/models/requests.server";

// A job thread (lib/off-thread.server.ts) runs this bundle only to build files: it reads no
// configuration, which would create the data directory and its secrets if they were missing.
const config: Config = isJobThread() ? (undefined as never) : getConfig();
/** The portal in one process: boots the database, serves pages and runs the scheduled jobs. */
export async function startServer(port = config.port) {
  const { dbs, seeded, initialAdmin } = await boot();
  const server = await serve(dbs, new UploadSlots(), port);
  const stopStats = statsIfAsked();
  await announce((server.address() as AddressInfo).port, dbs, seeded, initialAdmin);
  prepareRankingsSoon(dbs);
  const stopJobs = startJobs(dbs);
  stopOnSignal(async () => {
    stopJobs();
    await closeServer(server);
    await stopOffThread();
    await stopStats();
    await dbs.close();
  });
  return server;
}

/**
 * The portal on `config.workers` processes: this one (the primary) boots the database, runs the
 * scheduled jobs and serves what the workers share (lib/cluster.server.ts); the workers serve pages.
 */
async function startPrimaryProcess() {
  const { dbs, seeded, initialAdmin } = await boot();
  // The workers' named writes (an item's life, sign-ins) run here, on this process's writer.
  const primary = startPrimary(config.workers, dbs.db, (port) => {
    void announce(port, dbs, seeded, initialAdmin).then(() => console.log(`处理请求的进程：${config.workers} 个（WEB_CONCURRENCY）。`));
  });
  const stopStats = statsIfAsked();
  const stopJobs = startJobs(dbs);
  stopOnSignal(async () => {
    stopJobs();
    await primary.stop();
    await stopStats();
    await dbs.close();
  });
}

/** STATS_FILE's lines from this process, when asked for; what writes the last one and stops. */
function statsIfAsked(): () => Promise<void> {
  return config.statsFile ? startProcessStats(config.statsFile) : async () => undefined;
}

/** The database migrated (and seeded on a first start), before anything serves it. */
async function boot() {
  const booted = await bootDatabases();
  // Upload files of requests cut short by a stop or a crash: nothing refers to them.
  rmSync(path.join(config.dataDir, UPLOADS_DIR), { recursive: true, force: true });
  return booted;
}

/** A worker of the primary above: serves pages from its own connections to the booted database. */
async function startWorkerProcess() {
  const dbs = await openPortalDatabases();
  let stop: () => void = () => process.exit(0);
  const shared = joinPrimary(() => stop());
  const server = await serve(dbs, shared.uploadSlots, config.port);
  const stopStats = statsIfAsked();
  prepareRankingsSoon(dbs);
  stop = stopOnSignal(async () => {
    await closeServer(server);
    await stopOffThread();
    await stopStats();
    await dbs.close();
  });
}

/** The start message, headed by the bureau's own name (系统设置 › 教体局全称); a fresh county says so. */
async function announce(port: number, dbs: Databases, seeded: boolean, initialAdmin?: { username: string; password: string }) {
  const names = await settingsFor(dbs.db);
  const demo = config.seedDemo ? await demoAccountsSigningIn(dbs.db, config.demoPassword) : [];
  printBanner(port, seeded, names.countyName ? `${names.bureauName} ` : "", demo, initialAdmin);
}

/**
 * Closed months never change: read this year's into memory now, and compute this year's and this
 * month's league views (shared until the next write), rather than on the first visit. Only a head
 * start: if it fails (say, the server is stopped at once), the first visit computes them itself
 * and reports any real error there.
 */
function prepareRankingsSoon(dbs: Databases) {
  prepareRankings(dbs.reader).catch(() => undefined);
}

/** Reminders, 约稿 deadlines, the photo sweep and the near-duplicate keys, in one process only; returns what stops them. */
function startJobs(dbs: Databases): () => void {
  const reminders = config.autoReminders ? startReminderJob(dbs.db) : null;
  const requestDeadlines = startRequestDeadlineJob(dbs.db);
  const photoSweep = config.photoSweep ? startPhotoSweepJob(dbs.reader) : null;
  const textBands = startTextBandJob(dbs);
  return () => {
    if (reminders) clearInterval(reminders);
    clearInterval(requestDeadlines);
    clearInterval(textBands);
    if (photoSweep) clearInterval(photoSweep);
  };
}

/** On SIGTERM or SIGINT (or when the returned function is called): `stop`, then exit, within five seconds whatever happens. */
function stopOnSignal(stop: () => Promise<void>): () => void {
  let stopping = false;
  const shutdown = () => {
    if (stopping) return;
    stopping = true;
    setTimeout(() => process.exit(0), 5000).unref();
    stop().finally(() => process.exit(0));
  };
  process.once("SIGTERM", shutdown);
  process.once("SIGINT", shutdown);
  return shutdown;
}

/** Stops taking connections and resolves once the requests in flight are answered. */
function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

/** Whether a URL path names a file of public/ outside build/ (its files and folders as at start). */
function publicFilesOf(dir: string): (urlPath: string) => boolean {
  const entries = existsSync(dir) ? readdirSync(dir, { withFileTypes: true }).filter((e) => e.name !== "build") : [];
  const files = new Set(entries.filter((e) => e.isFile()).map((e) => `/${e.name}`));
  const folders = entries.filter((e) => e.isDirectory()).map((e) => `/${e.name}/`);
  return (urlPath) => files.has(urlPath) || folders.some((f) => urlPath.startsWith(f));
}

/** The HTTP server of one process: security headers, body caps, static files, then Remix. */
async function serve(dbs: Databases, uploadSlots: UploadSlotGiver, port: number): Promise<Server> {
  const handleRequest = createRequestHandler({
    build: build as unknown as ServerBuild,
    mode: config.production ? "production" : "development",
    getLoadContext: (req, res) => ({ dbs, nonce: res.locals.nonce as string, ip: req.ip ?? "", requestMemo: {} }),
  });
  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", "loopback");
  app.set("query parser", false); // Remix reads the address itself: nothing needs req.query.

  app.use((req, res, next) => {
    const nonce = randomBytes(16).toString("base64");
    res.locals.nonce = nonce;
    for (const [name, value] of Object.entries(securityHeaders(nonce, config.production))) res.setHeader(name, value);
    next();
  });

  // A Host that names no host would break (or move) the address Remix builds: 400 before anything else.
  app.use(refuseBadHost);

  // Phones on county networks: compress HTML, JSON and scripts (streamed pages are flushed as they go).
  // Level 1: most of gzip's saving for a fraction of its CPU (under load, level 6 was a tenth of the portal's time).
  app.use(compression({ level: 1 }));

  // Fingerprinted build assets are immutable; everything else in public/ is cached briefly.
  app.use("/build", express.static(path.resolve("public/build"), { immutable: true, maxAge: "1y", index: false }));
  // The other files of public/ (favicon…) are known at start: a page's path skips the file lookup.
  const publicFile = publicFilesOf(path.resolve("public"));
  const servePublic = express.static(path.resolve("public"), { maxAge: "1h", index: false });
  app.use((req, res, next) => (publicFile(req.path) ? servePublic(req, res, next) : next()));

  // Forged cross-site writes stop here, before their body is even read; methods other than GET, HEAD and POST get 405.
  app.use(refuseForeignWrites);

  // Bodies are read only from senders allowed to send them, and only so much (app/lib/body-gate.server.ts).
  app.use(bodyGate(dbs.reader, uploadSlots));

  app.use((req, _res, next) => {
    const rewritten = isRead(req.method) ? downloadRewrite(req.url) : null;
    // The adapter builds the Remix request from originalUrl.
    if (rewritten) req.url = req.originalUrl = rewritten;
    next();
  });

  app.all("*", (req, res, next) => {
    // Remix's adapter flushes the compressor after every piece of a response it writes: a round trip
    // to the thread pool and an empty marker block in the gzip stream each time (in the reading mix,
    // about 7 % of the CPU). Nothing here is deferred or held open, so a page is written whole within
    // milliseconds and compressed as one stream; a long export still leaves in gzip's own pieces.
    delete (res as { flush?: () => void }).flush;
    void handleRequest(requestForRemix(req, res), res, (error?: unknown) => {
      // The server has answered already (an upload past its cap or stalled): the action's answer
      // is moot, and the adapter's attempt to send it fails at the first header.
      if (res.locals.answeredByServer) return;
      next(error);
    });
  });

  app.use((error: unknown, req: ExpressRequest, res: ExpressResponse, _next: NextFunction) => {
    const status = (error as { status?: number; type?: string }).status;
    if (status === 413) return tooLarge(res, bodyLimitFor(req.headers["content-type"]));
    // Express's own 400: an address it cannot decode (%FF) on a read, an unreadable body on a form.
    if (status === 400) return plainError(res, 400, isRead(req.method) ? "网址无法识别：其中有不完整的编码，请检查地址后重试。" : "提交的内容无法解析，请刷新页面后重试。");
    console.error(error);
    plainError(res, 500, "服务器内部错误，请稍后再试。");
  });

  const server = app.listen(port, LISTEN_HOST);
  // A client that trickles its request is cut off (Node's default waits five minutes).
  server.requestTimeout = REQUEST_TIMEOUT_MS;
  server.headersTimeout = HEADERS_TIMEOUT_MS;
  await new Promise<void>((resolve) => server.once("listening", () => resolve()));
  return server;
}

/** Runs `work` now and then every `intervalMs`, a run never overlapping the last; a failure is logged with `failed`. */
function startRepeatingJob(work: () => Promise<void>, intervalMs: number, failed: string): NodeJS.Timeout {
  let running = false;
  const run = async () => {
    if (running) return;
    running = true;
    try {
      await work();
    } catch (error) {
      console.error(failed, error);
    } finally {
      running = false;
    }
  };
  void run();
  const timer = setInterval(() => void run(), intervalMs);
  timer.unref();
  return timer;
}

/**
 * Automatic reminders (催报): once at start, then hourly. Sending is idempotent per unit and month,
 * so a restart or an overlapping run sends nothing twice; a failure is logged and retried next hour.
 */
function startReminderJob(db: Parameters<typeof sendDueReminders>[0]): NodeJS.Timeout {
  return startRepeatingJob(
    async () => {
      const result = await sendDueReminders(db);
      if (result.sent.length > 0) console.log(`自动催报：已向 ${result.sent.length} 个单位发送 ${result.month} 的催报。`);
      // 约稿: remind units whose deadline is near.
      await sendRequestReminders(db);
    },
    60 * 60 * 1000,
    "自动催报失败（下个小时重试）：",
  );
}

/**
 * 约稿 past their deadline are settled within a minute of it (a deadline passing writes nothing by
 * itself, so the live league would otherwise show them open): every minute, whatever
 * AUTO_REMINDERS says, since this is accounting, not a message. Settling is idempotent per request.
 */
function startRequestDeadlineJob(db: Parameters<typeof settleDueRequests>[0]): NodeJS.Timeout {
  return startRepeatingJob(async () => void (await settleDueRequests(db)), 60 * 1000, "约稿截止结算失败（一分钟后重试）：");
}

/**
 * Photo files and Word documents no row refers to any more (taken off a draft, a deleted draft, a
 * failed save, a 签发 that never committed) and older than a day: deleted at start, then daily. Runs after the
 * start-up has cleared the upload directories, so it only ever finds a stopped worker's there.
 */
function startPhotoSweepJob(reader: Databases["reader"]): NodeJS.Timeout {
  return startRepeatingJob(
    async () => {
      console.log(sweepMessage(await sweepOrphanPhotos(reader, config.dataDir, { uploadsDir: path.join(config.dataDir, UPLOADS_DIR) })));
      console.log(documentSweepMessage(await sweepOrphanDocuments(reader, config.dataDir)));
    },
    PHOTO_SWEEP.intervalMs,
    "照片或 Word 文件清理失败（明天重试）：",
  );
}

/** The near-duplicate check's band keys, kept up to date (app/models/text-bands.server.ts `catchUpTextBands`). */
function startTextBandJob(dbs: Databases): NodeJS.Timeout {
  return startRepeatingJob(
    async () => {
      const done = await catchUpTextBands(dbs.db, nearDuplicateScan.exactUpTo / 2, dbs.reader);
      if (done) console.log(done);
    },
    TEXT_BANDS_INTERVAL_MS,
    "相似稿件比对的索引更新失败（稍后重试）：",
  );
}

function printBanner(port: number, seeded: boolean, bureau: string, demo: typeof DEMO_ACCOUNTS, initialAdmin?: { username: string; password: string }) {
  const lan = lanAddresses(networkInterfaces(), LISTEN_HOST);
  const lines = [
    initialAdmin ? `已创建管理员账号 ${initialAdmin.username}，初始密码 ${initialAdmin.password}（首次登录须修改）` : "",
    `${bureau}教育信息报送平台已启动：http://localhost:${port}`,
    ...(lan.length ? ["局域网内的其他电脑请打开：", ...lan.map((a) => `  http://${a.includes(":") ? `[${a}]` : a}:${port}`)] : []),
    config.cookieSecure === "auto"
      ? "登录 Cookie：经 https（或本机反向代理转发的 https）访问时带 Secure，直接用 http 访问时不带；COOKIE_SECURE=1 可强制始终带。"
      : config.cookieSecure
        ? "登录 Cookie：COOKIE_SECURE=1，始终带 Secure——只能经 https 登录，用 http 地址登录会提示改用 https。"
        : "登录 Cookie：COOKIE_SECURE=0，始终不带 Secure。",
    `数据目录：${config.dataDir}`,
    seeded ? "已生成演示县数据。" : "",
    demo.length ? `演示账号（密码均为 ${config.demoPassword}）：` : "",
    ...demo.map((a) => `  ${a.label}：${a.username}`),
  ].filter(Boolean);
  console.log(lines.join("\n"));
}

if (isJobThread()) {
  // This bundle on a process's job thread (lib/off-thread.server.ts): it builds files, nothing else.
  serveOffThreadJobs();
} else if (process.env.PORTAL_NO_LISTEN !== "1") {
  const start = config.workers === 1 ? startServer : cluster.isPrimary ? startPrimaryProcess : startWorkerProcess;
  start().catch((error) => {
    console.error("启动失败：", error);
    process.exit(1);
  });
}
