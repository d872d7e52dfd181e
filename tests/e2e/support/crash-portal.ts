// The built portal as a process that can be killed and started again on the same data
// directory, and a small cookie-keeping HTTP client to drive it without a browser.
import type { ChildProcess } from "node:child_process";
import { DEMO_PASSWORD, ensureBuild, signInOverHttp, spawnPortal } from "./portal";

export interface KillablePortal {
  url: string;
  child: ChildProcess;
  output: () => string;
  /** Resolves once the process has exited, however it ended. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGKILL: no shutdown handler runs, nothing is flushed or closed by the server. */
  kill(): Promise<void>;
}

/** The environment the portal runs with in these tests: demo county, no reminders. */
export function portalEnv(dataDir: string): Record<string, string> {
  return {
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
  if (!process.env.CRASH_SERVER_ENTRY) ensureBuild();
  // IPv4 loopback: the server listens on 0.0.0.0, and `localhost` may resolve to ::1 first.
  const started = await spawnPortal(portalEnv(dataDir), { entry: process.env.CRASH_SERVER_ENTRY, timeoutMs, host: "127.0.0.1" });
  const child = started.process;
  return {
    url: started.url,
    child,
    output: started.output,
    exited: started.exited,
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      await started.exited;
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
    this.cookie = await signInOverHttp(this.base, this.username, password);
  }

}
