// How much heavy work runs at once. The portal is one process on a small machine shared by the
// whole county: uploads and image decoding take memory and CPU in proportion to how many run
// together, so they run a few at a time and the rest wait (images) or are told to come back (uploads).

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

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (!this.tryAcquire()) await new Promise<void>((resolve) => this.waiting.push(resolve));
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
  /** Uploads in flight for everyone together. */
  overall: 4,
  /** Seconds a refused uploader is asked to wait before trying again. */
  retryAfterSeconds: 10,
} as const;

export type UploadSlot = { ok: true; release: () => void } | { ok: false; status: 429 | 503; message: string };

/** Upload slots per account and overall, taken before the first byte of a body is read. */
export class UploadSlots {
  private readonly overall: Semaphore;
  private readonly perAccount = new Map<number, number>();

  constructor(readonly limits: { perAccount: number; overall: number } = UPLOAD_LIMITS) {
    this.overall = new Semaphore(limits.overall);
  }

  take(accountId: number): UploadSlot {
    const mine = this.perAccount.get(accountId) ?? 0;
    if (mine >= this.limits.perAccount) {
      return { ok: false, status: 429, message: `您已有 ${mine} 个上传正在进行，请等它们完成后再提交。` };
    }
    if (!this.overall.tryAcquire()) {
      return { ok: false, status: 503, message: "服务器正在处理其他人的上传，请稍等片刻后重新提交。" };
    }
    this.perAccount.set(accountId, mine + 1);
    let released = false;
    return {
      ok: true,
      release: () => {
        if (released) return;
        released = true;
        const left = (this.perAccount.get(accountId) ?? 1) - 1;
        if (left > 0) this.perAccount.set(accountId, left);
        else this.perAccount.delete(accountId);
        this.overall.release();
      },
    };
  }
}

/**
 * Decoding and re-encoding images (uploads and thumbnails). One at a time: a single 100-megapixel
 * picture keeps a core busy for a second or more, and everyone else's pages need the other one.
 */
export const imageWork = new Semaphore(1);
