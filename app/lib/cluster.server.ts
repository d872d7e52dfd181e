// The portal on several processes (WEB_CONCURRENCY > 1, node:cluster). The primary boots the
// database (migrations, demo county), runs the scheduled jobs and forks the workers, which serve
// pages on one shared port from the same SQLite file (WAL: readers never wait for the writer;
// writers take turns through BEGIN IMMEDIATE and the busy timeout). What one process used to keep
// in memory for everyone goes through the primary:
//  - figures writes: each is announced to every other process, and the writer's caller goes on
//    (its page answers) only once all of them have let go of what they had cached before it, so a
//    page read right after a write shows it, whichever process serves it;
//  - the turn to write: handed out by the primary in arrival order, so a writer waits exactly as long
//    as the one before it writes, instead of polling in SQLite's busy handler;
//  - the upload slots (per account and overall), the one-at-a-time image work and each account's
//    photo bytes of the day are the primary's, so the limits hold for the whole portal, not per process;
//  - the write transactions of an item's life run in the primary, whose event loop is nearly idle,
//    so they hold the turn to write for as long as SQLite takes (models/named-writes.server.ts).
// Messages use the "advanced" serialization, so a write's payload keeps its Dates.
import cluster, { type Worker } from "node:cluster";
import { refusal } from "~/domain/refusal";
import { announceFiguresWrites, figuresWrittenElsewhere, shareWriterTurn, type Databases, type WriteReach } from "~/models/db.server";
import { DailyBytes, once, PHOTO_LIMITS, Semaphore, shareImageWork, sharePhotoBytes, UploadSlots, type UploadSlotGiver } from "~/models/limits.server";
import { runNamedWrite, sendNamedWrites, type WriteOutcome } from "~/models/named-writes.server";

type Refusal = { status: 429 | 503; message: string };

/** Worker → primary: questions wait for "done"; releases and acknowledgements are one-way. */
type FromWorker =
  | { portal: "figures"; id: number; file: string; reach: WriteReach }
  | { portal: "slot-take"; id: number; account: number }
  | { portal: "bytes-take"; id: number; account: number; bytes: number; day: string }
  | { portal: "image-take" | "write-take"; id: number }
  | { portal: "slot-release" | "image-release" | "write-release" | "figures-ack"; id: number }
  | { portal: "write-run"; id: number; name: string; file: string; payload: unknown };
/** Primary → worker: another process's figures write, or the answer to a question (a write's: how it ended). */
type FromPrimary = { portal: "figures"; id: number; file: string; reach: WriteReach } | { portal: "done"; id: number; refused?: Refusal; written?: WriteOutcome };

/** What a worker is told when the primary is gone or going. */
const RESTARTING = "服务器正在重新启动，请稍后重新提交。";

function isPortalMessage<T>(m: unknown): m is T {
  return typeof m === "object" && m !== null && typeof (m as { portal?: unknown }).portal === "string";
}

function sendTo(worker: Worker, message: FromPrimary) {
  if (worker.isConnected()) worker.send(message);
}

export interface Primary {
  /** Stops every worker (each finishes the requests it has) and waits for them. */
  stop(): Promise<void>;
}

/**
 * Forks `count` workers and serves what they share, running their named writes on `writer`.
 * `listening(port)` is called once, when all of them accept connections. A worker that dies is
 * replaced; its slots are given back.
 */
export function startPrimary(count: number, writer: Databases["db"], listening: (port: number) => void): Primary {
  cluster.setupPrimary({ serialization: "advanced" });
  const uploadSlots = new UploadSlots();
  const photoBytes = new DailyBytes(PHOTO_LIMITS.bytesPerAccountPerDay);
  const imageWork = new Semaphore(1);
  const writerTurn = new Semaphore(1);
  /** Per worker: what it holds (id of its question → release). */
  const holds = new Map<Worker, Map<number, () => void>>();
  /** Announcements waiting for acknowledgements. */
  const acks = new Map<number, { left: Set<Worker>; done: () => void }>();
  let nextNotice = 1;
  let stopping = false;

  const hold = (worker: Worker, id: number, release: () => void) => {
    // Gone while it waited: nobody will give it back.
    if (!worker.isConnected()) return release();
    let mine = holds.get(worker);
    if (!mine) holds.set(worker, (mine = new Map()));
    mine.set(id, release);
    sendTo(worker, { portal: "done", id });
  };
  const letGo = (worker: Worker, id: number) => {
    const release = holds.get(worker)?.get(id);
    holds.get(worker)?.delete(id);
    release?.();
  };
  const acked = (worker: Worker, id: number) => {
    const waiting = acks.get(id);
    if (!waiting || !waiting.left.delete(worker) || waiting.left.size > 0) return;
    acks.delete(id);
    waiting.done();
  };
  /** Tells every worker but `from` of a figures write to `file` and how far it reached; resolves when all have heard it. */
  const tell = (file: string, reach: WriteReach, from?: Worker): Promise<void> => {
    const others = Object.values(cluster.workers ?? {}).filter((w): w is Worker => !!w && w !== from && w.isConnected());
    if (others.length === 0) return Promise.resolve();
    const id = nextNotice++;
    return new Promise((done) => {
      acks.set(id, { left: new Set(others), done });
      for (const w of others) sendTo(w, { portal: "figures", id, file, reach });
    });
  };
  // The primary's own writes (the scheduled jobs).
  announceFiguresWrites((file, reach) => tell(file, reach));
  shareWriterTurn({ take: () => writerTurn.acquire(), give: () => writerTurn.release() });

  cluster.on("message", (worker, m: unknown) => {
    if (!isPortalMessage<FromWorker>(m)) return;
    switch (m.portal) {
      case "figures":
        figuresWrittenElsewhere(m.file, m.reach);
        void tell(m.file, m.reach, worker).then(() => sendTo(worker, { portal: "done", id: m.id }));
        break;
      case "figures-ack":
        acked(worker, m.id);
        break;
      case "slot-take":
        void uploadSlots.take(m.account).then((slot) => {
          if (slot.ok) hold(worker, m.id, slot.release);
          else sendTo(worker, { portal: "done", id: m.id, refused: { status: slot.status, message: slot.message } });
        });
        break;
      case "bytes-take":
        sendTo(worker, { portal: "done", id: m.id, ...(photoBytes.take(m.account, m.bytes, m.day) ? {} : { refused: { status: 429, message: "" } }) });
        break;
      case "image-take":
      case "write-take":
        // Held until the worker gives it back (or dies).
        void (m.portal === "image-take" ? imageWork : writerTurn).run(() => new Promise<void>((release) => hold(worker, m.id, release)));
        break;
      case "slot-release":
      case "image-release":
      case "write-release":
        letGo(worker, m.id);
        break;
      case "write-run":
        // Answered once every other process has heard of its figures (the writer announces them).
        void runNamedWrite(writer, m).then((written) => sendTo(worker, { portal: "done", id: m.id, written }));
        break;
    }
  });

  let listeningCount = 0;
  cluster.on("listening", (_worker, address) => {
    if (++listeningCount === count) listening(address.port);
  });

  cluster.on("exit", (worker, code, signal) => {
    for (const release of holds.get(worker)?.values() ?? []) release();
    holds.delete(worker);
    for (const id of [...acks.keys()]) acked(worker, id);
    if (stopping) return;
    console.error(`处理请求的进程 ${worker.process.pid} 意外退出（${signal ?? code}），一秒后重启。`);
    setTimeout(() => !stopping && cluster.fork(), 1000).unref();
  });

  for (let i = 0; i < count; i++) cluster.fork();

  return {
    async stop() {
      stopping = true;
      await Promise.all(
        Object.values(cluster.workers ?? {}).map(
          (w) =>
            new Promise<void>((resolve) => {
              if (!w || w.isDead()) return resolve();
              w.once("exit", () => resolve());
              w.process.kill("SIGTERM");
            }),
        ),
      );
    },
  };
}

/**
 * In a worker: hears of the other processes' figures writes, announces its own, and takes upload
 * slots and turns at image work from the primary. `primaryGone` runs if the primary disappears
 * (the worker then stops: no new connections can reach it).
 */
export function joinPrimary(primaryGone: () => void): { uploadSlots: UploadSlotGiver } {
  const waiting = new Map<number, (answer: { refused?: Refusal; written?: WriteOutcome }) => void>();
  let nextId = 1;
  const send = (message: FromWorker) => {
    if (process.connected) process.send!(message);
  };
  /** Asks the primary; without a primary, answers at once (refusing slots and writes: the portal is stopping). */
  const ask = async (
    question:
      | { portal: "figures"; file: string; reach: WriteReach }
      | { portal: "slot-take"; account: number }
      | { portal: "bytes-take"; account: number; bytes: number; day: string }
      | { portal: "image-take" | "write-take" }
      | { portal: "write-run"; name: string; file: string; payload: unknown },
  ) => {
    const id = nextId++;
    if (!process.connected) return { id, refused: { status: 503 as const, message: RESTARTING } };
    const answer = await new Promise<{ refused?: Refusal; written?: WriteOutcome }>((resolve) => {
      waiting.set(id, resolve);
      send({ ...question, id });
    });
    return { id, ...answer };
  };

  process.on("message", (m: unknown) => {
    if (!isPortalMessage<FromPrimary>(m)) return;
    if (m.portal === "figures") {
      figuresWrittenElsewhere(m.file, m.reach);
      send({ portal: "figures-ack", id: m.id });
    } else {
      waiting.get(m.id)?.(m);
      waiting.delete(m.id);
    }
  });
  process.once("disconnect", () => {
    for (const resolve of waiting.values()) resolve({ refused: { status: 503, message: RESTARTING } });
    waiting.clear();
    primaryGone();
  });

  announceFiguresWrites(async (file, reach) => void (await ask({ portal: "figures", file, reach })));
  let writing = 0;
  shareWriterTurn({
    async take() {
      writing = (await ask({ portal: "write-take" })).id;
    },
    give: () => send({ portal: "write-release", id: writing }),
  });
  // A write the primary could not answer (it is gone, and this worker stops with it) is refused
  // with 503. Like any request cut off mid-way it may have been committed: a creation sent again
  // finds its form's token, a transition sent again is refused by its version.
  sendNamedWrites(async (write) => {
    const { refused, written } = await ask({ portal: "write-run", ...write });
    return written ?? { refused: refusal(503, refused?.message ?? RESTARTING, { retryAfterSeconds: 5 }) };
  });
  // Without a primary (503) the write that follows is refused as the portal restarts, not as over the limit.
  sharePhotoBytes({ take: async (account, bytes, day) => (await ask({ portal: "bytes-take", account, bytes, day })).refused?.status !== 429 });
  shareImageWork({
    async run(work) {
      const { id } = await ask({ portal: "image-take" });
      try {
        return await work();
      } finally {
        send({ portal: "image-release", id });
      }
    },
  });
  return {
    uploadSlots: {
      async take(account) {
        const { id, refused } = await ask({ portal: "slot-take", account });
        if (refused) return { ok: false, ...refused };
        return { ok: true, release: once(() => send({ portal: "slot-release", id })) };
      },
    },
  };
}
