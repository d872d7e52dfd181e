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
