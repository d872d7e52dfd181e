import { Readable } from "node:stream";
import { createRequestHandler, type AppLoadContext } from "@remix-run/node";
import { expect, it, vi } from "vitest";
import handleRequest, { handleDataRequest, stripNulBytes } from "~/entry.server";
import { keepPrivate } from "~/lib/http.server";
import { helloBuild } from "../support/hello-build";

it("drops the zero bytes React leaves at buffer edges, keeping every character", async () => {
  const text = "白沙镇中心学校";
  const bytes = Buffer.from(text);
  // As React 18 emits it: "中" ends a buffer, two zero bytes, then "心" starts the next.
  const broken = [bytes.subarray(0, 12), Buffer.from([0, 0]), bytes.subarray(12)];
  const chunks: Buffer[] = [];
  for await (const chunk of Readable.from(broken).pipe(stripNulBytes())) chunks.push(chunk as Buffer);
  expect(Buffer.concat(chunks).toString("utf8")).toBe(text);
});

it("sends what React writes in one turn as one chunk, and a part written later when it comes", async () => {
  const body = stripNulBytes();
  const received: string[] = [];
  body.on("data", (chunk: Buffer) => received.push(chunk.toString("utf8")));
  const ended = new Promise((resolve) => body.on("end", resolve));
  // The shell: many 2 KB pieces in the same turn.
  for (let i = 0; i < 10; i++) body.write(Buffer.from(`<p>${i}</p>`));
  await new Promise((resolve) => setImmediate(resolve));
  await new Promise((resolve) => setImmediate(resolve));
  expect(received).toEqual(["<p>0</p><p>1</p><p>2</p><p>3</p><p>4</p><p>5</p><p>6</p><p>7</p><p>8</p><p>9</p>"]);
  // A deferred part rendered later is not held back until the end.
  body.write(Buffer.from("<script>later</script>"));
  await new Promise((resolve) => setImmediate(resolve));
  await new Promise((resolve) => setImmediate(resolve));
  expect(received).toHaveLength(2);
  expect(received[1]).toBe("<script>later</script>");
  body.end(Buffer.from("</html>"));
  await ended;
  expect(received.join("")).toBe(`${"0123456789".split("").map((i) => `<p>${i}</p>`).join("")}<script>later</script></html>`);
});

it("lets a large page out in pieces of at most about 64 KB instead of holding it all", async () => {
  const body = stripNulBytes();
  const sizes: number[] = [];
  body.on("data", (chunk: Buffer) => sizes.push(chunk.length));
  const ended = new Promise((resolve) => body.on("end", resolve));
  for (let i = 0; i < 100; i++) body.write(Buffer.alloc(2048, 0x61));
  body.end();
  await ended;
  expect(sizes.reduce((a, b) => a + b, 0)).toBe(204_800);
  expect(sizes.length).toBeGreaterThanOrEqual(3);
  expect(Math.max(...sizes)).toBeLessThanOrEqual(64 * 1024 + 2048);
});

it("ends once: ending again after the page (as React does when the body closes) builds no error", async () => {
  const body = stripNulBytes();
  body.resume();
  const finished = new Promise((resolve) => body.on("finish", resolve));
  body.end(Buffer.from("<p>页</p>"));
  await finished;
  // A plain stream would hand this callback ERR_STREAM_ALREADY_FINISHED (and build it even without one).
  const again = await new Promise((resolve) => body.end((error?: Error | null) => resolve(error ?? null)));
  expect(again).toBeNull();
  body.destroy();
  expect(await new Promise((resolve) => body.end((error?: Error | null) => resolve(error ?? null)))).toBeNull();
});

it("clears its five-second abort timer once the page is complete, so the rendering is not kept that long", async () => {
  const set = vi.spyOn(globalThis, "setTimeout");
  const cleared = vi.spyOn(globalThis, "clearTimeout");
  try {
    const handler = createRequestHandler(helloBuild(handleRequest), "production");
    const res = await handler(new Request("http://localhost/rankings/2026-11"), { nonce: "n0" } as unknown as AppLoadContext);
    const html = await res.text();
    expect(html).toContain("你好");
    expect(html).toContain("某月");
    const abortTimers = set.mock.calls.flatMap((call, i) => (call[1] === 5000 ? [set.mock.results[i].value as NodeJS.Timeout] : []));
    expect(abortTimers).toHaveLength(1);
    expect(cleared.mock.calls.map((call) => call[0])).toContain(abortTimers[0]);
  } finally {
    set.mockRestore();
    cleared.mockRestore();
  }
});

it("keeps a signed-in person's pages and their data out of every cache; public pages stay cacheable", async () => {
  const handler = createRequestHandler(helloBuild(handleRequest, handleDataRequest), "production");
  const get = (path: string, cookie?: string) =>
    handler(new Request(`http://localhost${path}`, { headers: cookie ? { Cookie: cookie } : {} }), { nonce: "n0" } as unknown as AppLoadContext);
  for (const path of ["/rankings/2026-11", "/rankings/2026-11.data?_routes=routes%2Frankings.%24period"]) {
    for (const cookie of ["portal_sid=abc", "theme=dark; portal_sid=abc"]) {
      const res = await get(path, cookie);
      expect(res.status, path).toBe(200);
      expect(res.headers.get("Cache-Control"), `${path} ${cookie}`).toBe("private, no-store");
      await res.text();
    }
    for (const cookie of [undefined, "theme=dark", "not_portal_sid=abc"]) {
      const res = await get(path, cookie);
      expect(res.headers.get("Cache-Control"), `${path} ${cookie}`).toBeNull();
      await res.text();
    }
  }
});

it("leaves a response's own Cache-Control as it is", () => {
  const headers = new Headers({ "Cache-Control": "public, max-age=300" });
  keepPrivate(new Request("http://localhost/photos/1", { headers: { Cookie: "portal_sid=abc" } }), headers);
  expect(headers.get("Cache-Control")).toBe("public, max-age=300");
});
