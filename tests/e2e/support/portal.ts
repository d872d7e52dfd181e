// Starts the built portal on a loopback port with its own data directory, and a headless
// Chromium to drive it.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";

export const DEMO_PASSWORD = "Demo@2026";
export const SCREENSHOT_DIR = path.resolve("test-results/e2e");

export interface Portal {
  url: string;
  dataDir: string;
  process: ChildProcess;
  output: () => string;
  stop(): Promise<void>;
}

export function ensureBuild() {
  if (existsSync("build/index.js")) return;
  const result = spawnSync("npx", ["remix", "build"], { stdio: "inherit" });
  if (result.status !== 0) throw new Error("remix build failed");
}

export async function startPortal(env: Record<string, string> = {}): Promise<Portal> {
  ensureBuild();
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "portal-e2e-"));
  // CACHE_CHECK: every answer from a cache of derived results is checked against a fresh computation.
  const started = await spawnPortal({ DATA_DIR: dataDir, DEMO_PASSWORD, SESSION_SECRET: "", CACHE_CHECK: "1", ...env });
  const child = started.process;
  return {
    url: started.url,
    dataDir,
    process: child,
    output: started.output,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill("SIGTERM");
        await started.exited;
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface PortalProcess {
  url: string;
  process: ChildProcess;
  output: () => string;
  /** Resolves once the process has exited, however it ended. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Runs a server file (the build by default) in production mode on a free loopback port and waits
 * for the address it prints. `env` comes on top of this process's environment.
 */
export async function spawnPortal(
  env: Record<string, string>,
  options: { entry?: string; timeoutMs?: number; host?: string } = {},
): Promise<PortalProcess> {
  const { entry = "build/index.js", timeoutMs = 120_000, host = "localhost" } = options;
  const child = spawn(process.execPath, [entry], {
    env: { ...process.env, NODE_ENV: "production", PORT: "0", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout!.on("data", (d) => (out += d));
  child.stderr!.on("data", (d) => (out += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`portal did not start within ${timeoutMs} ms:\n${out}`));
    }, timeoutMs);
    const check = () => {
      const m = /http:\/\/localhost:(\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(`http://${host}:${m[1]}`);
      }
    };
    child.stdout!.on("data", check);
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`portal exited during start (code ${code}, signal ${signal}):\n${out}`));
    });
  });
  return { url, process: child, output: () => out, exited };
}

/**
 * Signs in through the login form over HTTP, as a page without JavaScript posts it (with the
 * portal's own Origin), and returns the session cookie to send with later requests.
 */
export async function signInOverHttp(baseUrl: string, username: string, password = DEMO_PASSWORD): Promise<string> {
  const res = await fetch(`${baseUrl}/login`, {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: new URL(baseUrl).origin },
    body: new URLSearchParams({ username, password, redirectTo: "/" }),
    signal: AbortSignal.timeout(60_000),
  });
  const body = await res.text();
  const cookie = res.headers.getSetCookie().map((c) => c.split(";")[0]).find((c) => c.startsWith("portal_sid=") && c.length > "portal_sid=".length);
  if (res.status !== 302 || !cookie) throw new Error(`login of ${username} failed: ${res.status} ${body.slice(0, 200)}`);
  return cookie;
}

export async function launchBrowser(): Promise<Browser> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium",
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--lang=zh-CN",
    ],
  });
}

/** A page that records console errors and uncaught exceptions, for the test to assert on. */
export async function newPage(browser: Browser, options: Parameters<Browser["newContext"]>[0] = {}) {
  const context: BrowserContext = await browser.newContext({ locale: "zh-CN", timezoneId: "Asia/Shanghai", ...options });
  const page: Page = await context.newPage();
  const problems: string[] = [];
  page.on("console", (msg) => {
    if (msg.type() === "error" && !/status of (403|404)/.test(msg.text())) problems.push(`console: ${msg.text()}`);
  });
  page.on("pageerror", (err) => problems.push(`pageerror: ${err.message}`));
  return { context, page, problems };
}

export async function signIn(page: Page, baseUrl: string, username: string, password = DEMO_PASSWORD) {
  await page.goto(`${baseUrl}/login`);
  await page.fill('input[name="username"]', username);
  await page.fill('input[name="password"]', password);
  await Promise.all([page.waitForURL((u) => !u.pathname.startsWith("/login")), page.click('main button[type="submit"]')]);
}
