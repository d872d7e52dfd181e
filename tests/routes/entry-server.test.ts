import { Readable } from "node:stream";
import { expect, it } from "vitest";
import { stripNulBytes } from "~/entry.server";

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
