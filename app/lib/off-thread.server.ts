// Files that take tens of milliseconds (a province's workbook, seconds) to build are built on a
// worker thread, so the event loop keeps answering pages meanwhile. Each process has one such
// thread, started with its first job and replaced if it dies; jobs wait their turn for it.
//
// The thread runs the same server bundle as the process (build/index.js): app/server.ts sees that
// it is the jobs thread and serves jobs instead of starting a server. A builder becomes a job with
// `offThreadJob(name, build)` at a module's top level, so the registry is complete in both threads.
// Run from the TypeScript sources (tests), or with OFF_THREAD=0, a job runs on the calling thread.
import { fileURLToPath } from "node:url";
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";

type Build = (input: never) => Promise<Uint8Array>;

/** Job name → builder, filled by offThreadJob as the modules load. */
const registry = new Map<string, Build>();

/** What a job thread is given as workerData. */
const JOBS_THREAD = { portalJobs: true } as const;

/** Main thread → job thread, and back. */
type JobMessage = { id: number; job: string; input: unknown };
type JobAnswer = { id: number; bytes: Uint8Array } | { id: number; error: string };

/** What a request is told when the thread building its file died under it (or was stopped). */
export const THREAD_DIED = "生成文件的后台线程意外退出，请稍后重试。";
/** What a request is told when its file took longer than a job may. */
export const JOB_TIMED_OUT = "生成文件用时过长，已停止，请稍后重试。";

interface Pending {
  id: number;
  job: string;
  input: unknown;
  resolve: (bytes: Uint8Array<ArrayBuffer>) => void;
  reject: (error: Error) => void;
}

export interface JobThread {
  /** The bytes the job builds from `input` (structured-clonable plain data), built on the thread. */
  run(job: string, input: unknown): Promise<Uint8Array<ArrayBuffer>>;
  /** Stops the thread; the job on it and those waiting are refused. */
  stop(): Promise<void>;
  /** Threads started so far (a replaced one counts again). */
  started(): number;
}

/**
 * One worker thread running `script` (given `data` as workerData), started on the first job and
 * again after it dies or after `idleMs` without work (the thread holds a copy of the whole server
 * bundle, about 100 MB); one job at a time on it, the others queued in order. A job the thread
 * throws on is refused with the thread's message; a job on a thread that dies (or outlasts
 * `timeoutMs`, after which the thread is stopped) is refused, and the queue goes on on a new one.
 * The thread keeps the process alive only while it has work.
 */
export function jobThread(script: string | URL, data: unknown, options: { timeoutMs?: number; idleMs?: number } = {}): JobThread {
  const timeoutMs = options.timeoutMs ?? 120_000;
  const idleMs = options.idleMs ?? 10 * 60_000;
  let idleTimer: NodeJS.Timeout | null = null;
  const queue: Pending[] = [];
  let worker: Worker | null = null;
  let current: Pending | null = null;
  let timer: NodeJS.Timeout | null = null;
  let nextId = 1;
  let starts = 0;
  let stopped = false;

  const finish = () => {
    if (timer) clearTimeout(timer);
    timer = null;
    current = null;
  };
  const start = (): Worker => {
    starts++;
    const w = new Worker(script, { workerData: data });
    w.on("message", (answer: JobAnswer) => {
      const job = current;
      if (!job || answer.id !== job.id) return;
      finish();
      if ("error" in answer) job.reject(new Error(answer.error));
      else job.resolve(new Uint8Array(answer.bytes.buffer as ArrayBuffer, answer.bytes.byteOffset, answer.bytes.byteLength));
      next();
    });
    // An uncaught error ends the thread: 'exit' follows and refuses its job.
    w.on("error", (error) => console.error("生成文件的后台线程出错：", error));
    w.on("exit", () => {
      if (worker !== w) return;
      worker = null;
      const job = current;
      finish();
      job?.reject(new Error(THREAD_DIED));
      next();
    });
    return w;
  };
  const next = () => {
    if (current) return;
    const job = queue.shift();
    if (idleTimer) clearTimeout(idleTimer);
    idleTimer = null;
    if (!job) {
      if (!worker) return;
      worker.unref();
      idleTimer = setTimeout(() => {
        const w = worker;
        worker = null;
        void w?.terminate();
      }, idleMs);
      idleTimer.unref();
      return;
    }
    if (stopped) return job.reject(new Error(THREAD_DIED));
    worker ??= start();
    worker.ref();
    current = job;
    timer = setTimeout(() => {
      const w = worker;
      finish();
      worker = null;
      job.reject(new Error(JOB_TIMED_OUT));
      void w?.terminate();
      next();
    }, timeoutMs);
    timer.unref();
    try {
      worker.postMessage({ id: job.id, job: job.job, input: job.input } satisfies JobMessage);
    } catch (error) {
      // The input could not be copied to the thread (a function in it): a mistake in the caller.
      finish();
      job.reject(error as Error);
      next();
    }
  };

  return {
    started: () => starts,
    run(job, input) {
      return new Promise((resolve, reject) => {
        if (stopped) return reject(new Error(THREAD_DIED));
        queue.push({ id: nextId++, job, input, resolve, reject });
        next();
      });
    },
    async stop() {
      stopped = true;
      if (idleTimer) clearTimeout(idleTimer);
      for (const job of queue.splice(0)) job.reject(new Error(THREAD_DIED));
      const w = worker;
      if (w) await w.terminate();
    },
  };
}

let thread: JobThread | null = null;
let jobsDone = 0;

/** Whether jobs go to a thread: from the server bundle (not the .ts sources), unless OFF_THREAD=0. */
function offThreadAvailable(): boolean {
  return isMainThread && import.meta.url.endsWith(".js") && process.env.OFF_THREAD !== "0";
}

/**
 * Registers `build` as the job `name` and returns what runs it: on this process's job thread when
 * there is one, else here. Its input must be structured-clonable plain data (no functions, no
 * class instances): it is copied to the thread.
 */
export function offThreadJob<I>(name: string, build: (input: I) => Promise<Uint8Array>): (input: I) => Promise<Uint8Array<ArrayBuffer>> {
  if (registry.has(name)) throw new Error(`job ${name} registered twice`);
  registry.set(name, build as Build);
  return async (input) => {
    if (!offThreadAvailable()) return ownBytes(await build(input));
    thread ??= jobThread(fileURLToPath(import.meta.url), JOBS_THREAD);
    const bytes = await thread.run(name, input);
    jobsDone++;
    return bytes;
  };
}

/** Jobs finished on the job thread since the last call (STATS_FILE). */
export function takeOffThreadJobs(): number {
  const done = jobsDone;
  jobsDone = 0;
  return done;
}

/** Stops this process's job thread, if it has one (at shutdown). */
export async function stopOffThread(): Promise<void> {
  const t = thread;
  thread = null;
  await t?.stop();
}

/** Whether this thread is a job thread (started by offThreadJob from the same bundle). */
export function isJobThread(): boolean {
  return !isMainThread && (workerData as { portalJobs?: unknown } | null)?.portalJobs === true;
}

/** On a job thread: answers the main thread's jobs from the registry, one message each. */
export function serveOffThreadJobs(): void {
  const port = parentPort!;
  port.on("message", async ({ id, job, input }: JobMessage) => {
    try {
      const build = registry.get(job);
      if (!build) throw new Error(`未知的生成任务：${job}`);
      const bytes = ownBytes(await build(input as never));
      port.postMessage({ id, bytes } satisfies JobAnswer, [bytes.buffer]);
    } catch (error) {
      port.postMessage({ id, error: error instanceof Error ? error.message : String(error) } satisfies JobAnswer);
    }
  });
}

/** The bytes in an ArrayBuffer of their own (a Buffer may be a slice of a shared pool, which cannot be moved). */
function ownBytes(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  if (bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer) {
    return new Uint8Array(bytes.buffer, 0, bytes.byteLength);
  }
  return new Uint8Array(bytes);
}
