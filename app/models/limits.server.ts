// How much heavy work runs at once. The portal runs on a small machine shared by the whole county
// (one process, or several that share these limits through the primary: lib/cluster.server.ts):
// uploads and image decoding take memory and CPU in proportion to how many run together, so they
// run a few at a time and the rest wait (images) or are told to come back (uploads).

/** A counting semaphore: `tryAcquire` refuses at once, `run` waits its turn in arrival order. */
export class Semaphore {
  private active = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(readonly size: number) {}

  get inUse(): number {
    return this.active;
  }

  tryAcquire(): boolean {
    if (this.active >= this.size) return false;
    this.active++;
    return true;
  }

  release(): void {
    const next = this.waiting.shift();
    // The slot passes straight to the next in line, so a newcomer cannot overtake it.
    if (next) next();
    else this.active--;
  }

  /**
   * Waits at most `ms` for a slot, behind at most `maxWaiting` others; false when the line is
   * full or the time is up (no slot is then held).
   */
  acquireWithin(ms: number, maxWaiting: number): Promise<boolean> {
    if (this.tryAcquire()) return Promise.resolve(true);
    if (this.waiting.length >= maxWaiting) return Promise.resolve(false);
    return new Promise((resolve) => {
      const grant = () => {
        clearTimeout(timer);
        resolve(true);
      };
      const timer = setTimeout(() => {
        this.waiting.splice(this.waiting.indexOf(grant), 1);
        resolve(false);
      }, ms);
      this.waiting.push(grant);
    });
  }

  get queued(): number {
    return this.waiting.length;
  }

  /** Waits as long as it takes for a slot. */
  acquire(): Promise<void> {
    if (this.tryAcquire()) return Promise.resolve();
    return new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    await this.acquire();
    try {
      return await work();
    } finally {
      this.release();
    }
  }
}

export const UPLOAD_LIMITS = {
  /** Uploads one account may have in flight: a person sends one form at a time, two allows a retry. */
  perAccount: 2,
  /** Further uploads of one account that may wait for its turn (a double click, a second tab). */
  perAccountWaiting: 2,
  /** Uploads in flight for everyone together. */
  overall: 4,
  /** Uploads that may wait for one of those: a busy morning at month's end, not a flood. */
  overallWaiting: 16,
  /** How long an upload waits for its turn before it is told to come back. */
  waitMs: 15_000,
  /** Seconds a refused uploader is asked to wait before trying again. */
  retryAfterSeconds: 10,
} as const;

export interface UploadLimits {
  perAccount: number;
  perAccountWaiting: number;
  overall: number;
  overallWaiting: number;
  waitMs: number;
}

export type UploadSlot = { ok: true; release: () => void } | { ok: false; status: 429 | 503; message: string };

/** Whatever hands out upload slots: `UploadSlots` itself, or (several processes) a client of the one in the primary. */
/** `release` that does its work the first time it is called only (a slot is given back once). */
export function once(release: () => void): () => void {
  let done = false;
  return () => {
    if (done) return;
    done = true;
    release();
  };
}

export interface UploadSlotGiver {
  take(accountId: number): Promise<UploadSlot>;
}

/**
 * Upload slots per account and overall, taken before the first byte of a body is read. A request
 * waiting for its turn has had nothing read: only its headers are held.
 */
export class UploadSlots implements UploadSlotGiver {
  private readonly overall: Semaphore;
  private readonly perAccount = new Map<number, Semaphore>();

  constructor(readonly limits: UploadLimits = UPLOAD_LIMITS) {
    this.overall = new Semaphore(limits.overall);
  }

  async take(accountId: number): Promise<UploadSlot> {
    const started = Date.now();
    let mine = this.perAccount.get(accountId);
    if (!mine) this.perAccount.set(accountId, (mine = new Semaphore(this.limits.perAccount)));
    const own = mine;
    const forget = () => {
      if (own.inUse === 0 && own.queued === 0) this.perAccount.delete(accountId);
    };
    if (!(await own.acquireWithin(this.limits.waitMs, this.limits.perAccountWaiting))) {
      const busy = own.inUse;
      forget();
      return { ok: false, status: 429, message: `您已有 ${busy} 个上传正在进行，请等它们完成后再提交。` };
    }
    const left = Math.max(0, this.limits.waitMs - (Date.now() - started));
    if (!(await this.overall.acquireWithin(left, this.limits.overallWaiting))) {
      own.release();
      forget();
      return { ok: false, status: 503, message: "服务器正在处理其他人的上传，请稍等片刻后重新提交。" };
    }
    return {
      ok: true,
      release: once(() => {
        this.overall.release();
        own.release();
        forget();
      }),
    };
  }
}

export const PHOTO_LIMITS = {
  /**
   * Bytes of new photos (as stored, after re-encoding) one account may add in a day (Asia/Shanghai).
   * A phone's photo is stored at about 1 MB, so this is several hundred photos; a stored file is
   * never deleted (a removed photo's file stays for whatever else names it), and drafts have no
   * number limit, so without it one correspondent filled the disk at the speed of the image queue:
   * nine noisy PNGs (66 MB stored) every 6–9 s, about 30 GB an hour, adding and removing them on one
   * draft.
   */
  bytesPerAccountPerDay: 500 * 1024 * 1024,
} as const;

/** Each account's photo bytes of the day: `DailyBytes` itself, or (several processes) the primary's. */
export interface DailyBytesGiver {
  /** Takes `bytes` of the account's share of `day`; false (nothing taken) when they would go past it. */
  take(account: number, bytes: number, day: string): boolean | Promise<boolean>;
}

/** Bytes per account per day, at most `perAccount`; the count starts again when the day changes. */
export class DailyBytes implements DailyBytesGiver {
  private day = "";
  private readonly used = new Map<number, number>();

  constructor(readonly perAccount: number) {}

  take(account: number, bytes: number, day: string): boolean {
    if (day !== this.day) {
      this.day = day;
      this.used.clear();
    }
    const after = (this.used.get(account) ?? 0) + bytes;
    if (after > this.perAccount) return false;
    this.used.set(account, after);
    return true;
  }
}

let photoBytesGiver: DailyBytesGiver = new DailyBytes(PHOTO_LIMITS.bytesPerAccountPerDay);

/** The day's photo bytes, counted for the whole portal (several processes: by the primary). */
export const photoBytes: { take(account: number, bytes: number, day: string): Promise<boolean> } = {
  take: async (account, bytes, day) => photoBytesGiver.take(account, bytes, day),
};

/** With several processes, the day's photo bytes are the primary's to give; tests give a smaller share. */
export function sharePhotoBytes(giver: DailyBytesGiver): void {
  photoBytesGiver = giver;
}

/**
 * Decoding and re-encoding images (uploads and thumbnails). One at a time: a single 100-megapixel
 * picture keeps a core busy for a second or more, and everyone else's pages need the other one.
 */
export const imageWork: WorkGate = { run: (work) => imageGate.run(work) };

/** Runs work when its turn comes. */
export interface WorkGate {
  run<T>(work: () => Promise<T>): Promise<T>;
}

let imageGate: WorkGate = new Semaphore(1);

/** With several processes, image work takes its turn from the one gate in the primary instead. */
export function shareImageWork(gate: WorkGate): void {
  imageGate = gate;
}
