// Settings from the environment, each with a working default so nothing needs configuring.
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

export const DEFAULT_DEMO_PASSWORD = "Demo@2026";

export interface Config {
  port: number;
  dataDir: string;
  databaseFile: string;
  photosDir: string;
  sessionSecret: string;
  demoPassword: string;
  seedDemo: boolean;
  production: boolean;
  /**
   * The session cookie's `Secure` flag: "auto" sets it when the request arrived over https
   * (directly, or as told by X-Forwarded-Proto from a proxy on this machine); COOKIE_SECURE=1
   * always sets it, COOKIE_SECURE=0 never does.
   */
  cookieSecure: "auto" | boolean;
  /** The hourly automatic reminders (催报); AUTO_REMINDERS=0 switches them off. */
  autoReminders: boolean;
  /** The daily sweep of photo files no row refers to (models/photo-sweep.server.ts); PHOTO_SWEEP=0 switches it off. */
  photoSweep: boolean;
  /** Processes serving pages (WEB_CONCURRENCY, default 1): one per core uses a bigger server. */
  workers: number;
  /** STATS_FILE: where each process of the portal appends its load figures (lib/process-stats.server.ts); unset, none. */
  statsFile: string | null;
}

export const MAX_WORKERS = 32;

/** WEB_CONCURRENCY: a whole number of worker processes; anything else stops the start with a message. */
export function parseWorkers(value: string | undefined): number {
  if (value === undefined || value.trim() === "") return 1;
  const n = Number(value.trim());
  if (!Number.isInteger(n) || n < 1 || n > MAX_WORKERS) {
    throw new Error(`环境变量 WEB_CONCURRENCY（处理请求的进程数）应为 1 到 ${MAX_WORKERS} 之间的整数，现为“${value}”。`);
  }
  return n;
}

function readOrCreateSecret(dataDir: string): string {
  const file = path.join(dataDir, "session-secret");
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  const secret = randomBytes(32).toString("base64url");
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}

/**
 * The demo accounts' password: DEMO_PASSWORD when set. Otherwise a production start that is about
 * to create the demo county makes one for its data directory (kept in `demo-password`, printed at
 * every start): a portal put on a network by `npm start` never has a demo administrator whose
 * password is the one written in the README. A data directory that has it keeps it; development,
 * the tests and a database made before keep the README's Demo@2026.
 */
function demoPasswordFor(dataDir: string, databaseFile: string, production: boolean, seedDemo: boolean): string {
  const file = path.join(dataDir, "demo-password");
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  if (!production || !seedDemo || existsSync(databaseFile)) return DEFAULT_DEMO_PASSWORD;
  const password = `Demo-${randomBytes(9).toString("base64url")}`;
  writeFileSync(file, `${password}\n`, { mode: 0o600 });
  return password;
}

let cached: Config | undefined;

export function getConfig(env: NodeJS.ProcessEnv = process.env): Config {
  if (cached && env === process.env) return cached;
  const dataDir = path.resolve(env.DATA_DIR || "./data");
  mkdirSync(dataDir, { recursive: true });
  const production = env.NODE_ENV === "production";
  const databaseFile = path.join(dataDir, "portal.sqlite");
  const seedDemo = env.SEED_DEMO !== "0";
  const config: Config = {
    port: Number(env.PORT || 3000),
    dataDir,
    databaseFile,
    photosDir: path.join(dataDir, "photos"),
    sessionSecret: env.SESSION_SECRET || readOrCreateSecret(dataDir),
    demoPassword: env.DEMO_PASSWORD || demoPasswordFor(dataDir, databaseFile, production, seedDemo),
    seedDemo,
    production,
    // A fixed `Secure` broke plain-http LAN logins without a word (the browser drops the cookie):
    // by default the flag follows the request's own scheme.
    cookieSecure: env.COOKIE_SECURE === "1" || env.COOKIE_SECURE === "true" ? true
      : env.COOKIE_SECURE === "0" || env.COOKIE_SECURE === "false" ? false
      : "auto",
    autoReminders: env.AUTO_REMINDERS !== "0",
    photoSweep: env.PHOTO_SWEEP !== "0",
    workers: parseWorkers(env.WEB_CONCURRENCY),
    statsFile: env.STATS_FILE ? path.resolve(env.STATS_FILE) : null,
  };
  if (env === process.env) cached = config;
  return config;
}
