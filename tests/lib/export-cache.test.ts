// Files kept with the value they are built from: built once per value and key, also for callers
// asking at the same time; a new value or another key is built afresh; the bytes kept stay within
// the budget, least recently used let go first.
import { describe, expect, it } from "vitest";
import { exportCache } from "~/lib/export-cache.server";

const bytesOf = (text: string) => new Uint8Array(new TextEncoder().encode(text));
const textOf = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

/** A builder that counts its calls and answers after a turn of the event loop. */
function counting(make: () => string) {
  let calls = 0;
  const build = async () => {
    calls++;
    await new Promise((resolve) => setTimeout(resolve, 5));
    return bytesOf(make());
  };
  return { build, calls: () => calls };
}

describe("exportCache", () => {
  it("builds once for simultaneous and later requests of the same value and key", async () => {
    const cache = exportCache();
    const view = { period: "2026-11" };
    const b = counting(() => "file");
    const files = await Promise.all(Array.from({ length: 8 }, () => cache.get(view, "2026-11|xlsx", b.build)));
    expect(b.calls()).toBe(1);
    for (const f of files) expect(f).toBe(files[0]);
    expect(await cache.get(view, "2026-11|xlsx", b.build)).toBe(files[0]);
    expect(b.calls()).toBe(1);
    expect(cache.builds()).toBe(1);
  });

  it("builds afresh for a new value (after a write) and never answers with the older value's file", async () => {
    const cache = exportCache();
    let version = 1;
    const b = counting(() => `v${version}`);
    const before = { period: "2026-11" };
    expect(textOf(await cache.get(before, "k", b.build))).toBe("v1");
    version = 2;
    const after = { period: "2026-11" };
    expect(textOf(await cache.get(after, "k", b.build))).toBe("v2");
    expect(textOf(await cache.get(after, "k", b.build))).toBe("v2");
    expect(b.calls()).toBe(2);
    // The older value's file was superseded: asked again, it is built again rather than mixed up.
    version = 1;
    expect(textOf(await cache.get(before, "k", b.build))).toBe("v1");
    expect(b.calls()).toBe(3);
  });

  it("keeps one file per key: another viewer's or format's key is never answered with this one's", async () => {
    const cache = exportCache();
    const view = { period: "2026" };
    const files = await Promise.all(
      ["2026|xlsx|unit:1", "2026|xlsx|unit:2", "2026|csv|unit:1"].map((key) => cache.get(view, key, async () => bytesOf(key))),
    );
    expect(files.map(textOf)).toEqual(["2026|xlsx|unit:1", "2026|xlsx|unit:2", "2026|csv|unit:1"]);
    const again = counting(() => "rebuilt");
    expect(textOf(await cache.get(view, "2026|xlsx|unit:2", again.build))).toBe("2026|xlsx|unit:2");
    expect(textOf(await cache.get(view, "2026|xlsx|unit:1", again.build))).toBe("2026|xlsx|unit:1");
    expect(again.calls()).toBe(0);
  });

  it("does not keep a failure", async () => {
    const cache = exportCache();
    const view = {};
    await expect(cache.get(view, "k", async () => Promise.reject(new Error("写入失败")))).rejects.toThrow("写入失败");
    expect(textOf(await cache.get(view, "k", async () => bytesOf("ok")))).toBe("ok");
    expect(cache.size()).toEqual({ files: 1, bytes: 2 });
  });

  it("stays within its budget of bytes, letting the least recently used file go first", async () => {
    const cache = exportCache({ maxBytes: 10 });
    const view = {};
    const b = counting(() => "abcd");
    await cache.get(view, "a", b.build);
    await cache.get(view, "b", b.build);
    await cache.get(view, "a", b.build); // a is now the most recently used
    await cache.get(view, "c", b.build); // 12 bytes: b goes
    expect(cache.size()).toEqual({ files: 2, bytes: 8 });
    expect(b.calls()).toBe(3);
    await cache.get(view, "a", b.build);
    await cache.get(view, "c", b.build);
    expect(b.calls()).toBe(3);
    await cache.get(view, "b", b.build);
    expect(b.calls()).toBe(4);
    // A file larger than the whole budget is answered but not kept.
    const big = await cache.get(view, "big", async () => bytesOf("x".repeat(11)));
    expect(big.byteLength).toBe(11);
    expect(cache.size().bytes).toBeLessThanOrEqual(10);
  });
});
