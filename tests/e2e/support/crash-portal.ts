// The built portal as a process that can be killed and started again on the same data
// directory, and a small cookie-keeping HTTP client to drive it without a browser.
import { spawn, type ChildProcess } from "node:child_process";
import { DEMO_PASSWORD, ensureBuild } from "./portal";

export interface KillablePortal {
  url: string;
  child: ChildProcess;
  output: () => string;
  /** Resolves once the process has exited, however it ended. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGKILL: no shutdown handler runs, nothing is flushed or closed by the server. */
  kill(): Promise<void>;
}

/** The environment the portal runs with in these tests: production build, demo county, no reminders. */
export function portalEnv(dataDir: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    NODE_ENV: "production",
    PORT: "0",
    DATA_DIR: dataDir,
    AUTO_REMINDERS: "0",
    SEED_DEMO: "1",
    DEMO_PASSWORD,
    COOKIE_SECURE: "0",
    // Fixed, so a session cookie issued before a crash still verifies after the restart.
    SESSION_SECRET: "crash-test-session-secret",
  };
}

/**
 * Starts `node build/index.js` on `dataDir` (seeding the demo county only when the database is
 * empty). CRASH_SERVER_ENTRY runs another server file instead, e.g. a copy of the build with a
 * durability fault put in on purpose, to see the crash test catch it.
 */
export async function startKillablePortal(dataDir: string, timeoutMs = 120_000): Promise<KillablePortal> {
  const entry = process.env.CRASH_SERVER_ENTRY || "build/index.js";
  if (!process.env.CRASH_SERVER_ENTRY) ensureBuild();
  const child = spawn(process.execPath, [entry], { env: portalEnv(dataDir), stdio: ["ignore", "pipe", "pipe"] });
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
        // IPv4 loopback: the server listens on 0.0.0.0, and `localhost` may resolve to ::1 first.
        resolve(`http://127.0.0.1:${m[1]}`);
      }
    };
    child.stdout!.on("data", check);
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`portal exited during start (code ${code}, signal ${signal}):\n${out}`));
    });
  });
  return {
    url,
    child,
    output: () => out,
    exited,
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      await exited;
    },
  };
}

/** A seeded PRNG (mulberry32): the same seed gives the same choices and kill delays. */
export function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Reply {
  status: number;
  location: string | null;
  body: string;
}

/** One signed-in person: keeps the session cookie, sends Origin on writes, never follows redirects. */
export class PortalClient {
  cookie = "";
  constructor(
    public base: string,
    readonly username: string,
  ) {}

  /**
   * A request whose response was read to the end. Rejects when the connection is refused or cut
   * (the server was killed before it answered): such a request is not acknowledged.
   */
  async send(pathname: string, init: RequestInit = {}): Promise<Reply> {
    const headers = new Headers(init.headers);
    if (this.cookie) headers.set("Cookie", this.cookie);
    if ((init.method ?? "GET") !== "GET") headers.set("Origin", this.base);
    const res = await fetch(`${this.base}${pathname}`, {
      ...init,
      headers,
      redirect: "manual",
      signal: AbortSignal.timeout(60_000),
    });
    const body = await res.text();
    return { status: res.status, location: res.headers.get("location"), body };
  }

  post(pathname: string, body: FormData | URLSearchParams): Promise<Reply> {
    return this.send(pathname, { method: "POST", body });
  }

  async login(password = DEMO_PASSWORD): Promise<void> {
    const res = await fetch(`${this.base}/login`, {
      method: "POST",
      redirect: "manual",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: this.base },
      body: new URLSearchParams({ username: this.username, password, redirectTo: "/" }),
      signal: AbortSignal.timeout(60_000),
    });
    await res.text();
    const cookie = (res.headers.get("set-cookie") ?? "").split(";")[0];
    if (res.status !== 302 || res.headers.get("location") !== "/" || !cookie.startsWith("portal_sid=")) {
      throw new Error(`login of ${this.username} failed: ${res.status} ${res.headers.get("location")}`);
    }
    this.cookie = cookie;
  }
}
