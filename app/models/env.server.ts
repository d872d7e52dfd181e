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
  cookieSecure: boolean;
  /** The hourly automatic reminders (催报); AUTO_REMINDERS=0 switches them off. */
  autoReminders: boolean;
}

function readOrCreateSecret(dataDir: string): string {
  const file = path.join(dataDir, "session-secret");
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  const secret = randomBytes(32).toString("base64url");
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}

let cached: Config | undefined;

export function getConfig(env: NodeJS.ProcessEnv = process.env): Config {
  if (cached && env === process.env) return cached;
  const dataDir = path.resolve(env.DATA_DIR || "./data");
  mkdirSync(dataDir, { recursive: true });
  const production = env.NODE_ENV === "production";
  const config: Config = {
    port: Number(env.PORT || 3000),
    dataDir,
    databaseFile: path.join(dataDir, "portal.sqlite"),
    photosDir: path.join(dataDir, "photos"),
    sessionSecret: env.SESSION_SECRET || readOrCreateSecret(dataDir),
    demoPassword: env.DEMO_PASSWORD || DEFAULT_DEMO_PASSWORD,
    seedDemo: env.SEED_DEMO !== "0",
    production,
    // A bureau serving plain http on its LAN sets COOKIE_SECURE=0; https deployments keep the default.
    cookieSecure: production && env.COOKIE_SECURE !== "0",
    autoReminders: env.AUTO_REMINDERS !== "0",
  };
  if (env === process.env) cached = config;
  return config;
}
