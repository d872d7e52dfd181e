// The few-at-a-time rules for uploads and image work.
import { describe, expect, it } from "vitest";
import { Semaphore, UploadSlots } from "~/lib/limits.server";

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
  it("refuses a third upload of one account with 429 and a fifth overall with 503, in Chinese", () => {
    const slots = new UploadSlots({ perAccount: 2, overall: 4 });
    const a1 = slots.take(1);
    const a2 = slots.take(1);
    expect(a1.ok && a2.ok).toBe(true);
    const a3 = slots.take(1);
    expect(a3).toMatchObject({ ok: false, status: 429 });
    expect(!a3.ok && a3.message).toMatch(/[\u4e00-\u9fff]/);
    expect(slots.take(2).ok).toBe(true);
    expect(slots.take(3).ok).toBe(true);
    const fifth = slots.take(4);
    expect(fifth).toMatchObject({ ok: false, status: 503 });
    expect(!fifth.ok && fifth.message).toMatch(/[\u4e00-\u9fff]/);
    if (a1.ok) {
      a1.release();
      // Releasing twice frees one slot, not two.
      a1.release();
    }
    expect(slots.take(4).ok).toBe(true);
    expect(slots.take(5)).toMatchObject({ ok: false, status: 503 });
    expect(slots.take(1)).toMatchObject({ ok: false, status: 503 });
  });
});
