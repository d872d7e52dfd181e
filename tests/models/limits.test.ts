// The few-at-a-time rules for uploads and image work.
import { describe, expect, it } from "vitest";
import { DailyBytes, Semaphore, UploadSlots } from "~/models/limits.server";

describe("Semaphore", () => {
  it("runs at most `size` at once, the rest in arrival order", async () => {
    const gate = new Semaphore(2);
    let running = 0;
    let most = 0;
    const order: number[] = [];
    const job = (n: number) =>
      gate.run(async () => {
        running++;
        most = Math.max(most, running);
        await new Promise((r) => setTimeout(r, 5));
        order.push(n);
        running--;
      });
    await Promise.all([1, 2, 3, 4, 5, 6].map(job));
    expect(most).toBe(2);
    expect(order.slice(2)).toEqual([3, 4, 5, 6]);
    expect(gate.inUse).toBe(0);
  });

  it("frees the slot when the work fails", async () => {
    const gate = new Semaphore(1);
    await expect(gate.run(() => Promise.reject(new Error("坏图")))).rejects.toThrow("坏图");
    expect(gate.tryAcquire()).toBe(true);
  });
});

describe("UploadSlots", () => {
  const limits = { perAccount: 2, perAccountWaiting: 1, overall: 4, overallWaiting: 1, waitMs: 50 };
  const held = async (slots: UploadSlots, account: number) => {
    const slot = await slots.take(account);
    if (!slot.ok) throw new Error(`account ${account}: ${slot.status}`);
    return slot;
  };

  it("lets an account wait its turn behind its own uploads, and refuses it with 429 when its line is full", async () => {
    const slots = new UploadSlots(limits);
    const first = await held(slots, 1);
    await held(slots, 1);
    const third = slots.take(1);
    const fourth = await slots.take(1);
    expect(fourth).toMatchObject({ ok: false, status: 429 });
    expect(!fourth.ok && fourth.message).toMatch(/[\u4e00-\u9fff]/);
    first.release();
    // Releasing twice frees one slot, not two.
    first.release();
    expect(await third).toMatchObject({ ok: true });
    expect(await slots.take(1)).toMatchObject({ ok: false, status: 429 });
  });

  it("refuses with 429 when the wait for the account's turn runs out", async () => {
    const slots = new UploadSlots(limits);
    await held(slots, 1);
    await held(slots, 1);
    const started = Date.now();
    expect(await slots.take(1)).toMatchObject({ ok: false, status: 429 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
  });

  it("holds at most `overall` for everyone: one more waits, the next is a 503 in Chinese", async () => {
    const slots = new UploadSlots(limits);
    const running = [await held(slots, 1), await held(slots, 2), await held(slots, 3), await held(slots, 4)];
    const waiting = slots.take(5);
    const refused = await slots.take(6);
    expect(refused).toMatchObject({ ok: false, status: 503 });
    expect(!refused.ok && refused.message).toMatch(/[\u4e00-\u9fff]/);
    running[0].release();
    expect(await waiting).toMatchObject({ ok: true });
    // A refused account keeps nothing: it may try again at once.
    expect(await slots.take(6)).toMatchObject({ ok: false, status: 503 });
    running[1].release();
    expect(await slots.take(6)).toMatchObject({ ok: true });
  });
});

describe("DailyBytes", () => {
  it("gives each account its bytes of the day, refuses (taking nothing) what would go past them, and starts again the next day", () => {
    const day = new DailyBytes(100);
    expect(day.take(1, 60, "2026-12-07")).toBe(true);
    expect(day.take(1, 41, "2026-12-07")).toBe(false);
    expect(day.take(1, 40, "2026-12-07")).toBe(true);
    expect(day.take(1, 1, "2026-12-07")).toBe(false);
    // Another account has its own.
    expect(day.take(2, 100, "2026-12-07")).toBe(true);
    // A new day.
    expect(day.take(1, 100, "2026-12-08")).toBe(true);
    expect(day.take(2, 1, "2026-12-08")).toBe(true);
  });
});
