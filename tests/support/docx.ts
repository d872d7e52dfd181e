// Reading the Word documents the product writes (a .docx is a zip archive), for the model tests.
import { inflateRawSync } from "node:zlib";
import { expect, vi } from "vitest";

export type ZipEntry = {
  /** The entry's bytes read as UTF-8. */
  text: string;
  /** MS-DOS time and date of the local header. */
  time: number;
  date: number;
  /** MS-DOS time of the central directory's record of the same entry. */
  centralTime: number;
};

/** The entries of a zip archive: name → its text and stamps, read from its central directory. */
export function unzip(zip: Buffer): Map<string, ZipEntry> {
  const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const count = zip.readUInt16LE(eocd + 10);
  let p = zip.readUInt32LE(eocd + 16);
  const out = new Map<string, ZipEntry>();
  for (let i = 0; i < count; i++) {
    const method = zip.readUInt16LE(p + 10);
    const size = zip.readUInt32LE(p + 20);
    const nameLength = zip.readUInt16LE(p + 28);
    const extra = zip.readUInt16LE(p + 30);
    const comment = zip.readUInt16LE(p + 32);
    const local = zip.readUInt32LE(p + 42);
    const name = zip.subarray(p + 46, p + 46 + nameLength).toString("utf8");
    const dataStart = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const raw = zip.subarray(dataStart, dataStart + size);
    const bytes = method === 8 ? inflateRawSync(raw) : raw;
    out.set(name, {
      text: bytes.toString("utf8"),
      time: zip.readUInt16LE(local + 10),
      date: zip.readUInt16LE(local + 12),
      centralTime: zip.readUInt16LE(p + 12),
    });
    p += 46 + nameLength + extra + comment;
  }
  return out;
}

/** Asserts that `make` gives the same bytes now and at another wall-clock time; returns the first bytes. */
export async function expectSameBytesWhenever(make: () => Promise<Buffer>): Promise<Buffer> {
  const first = await make();
  vi.useFakeTimers({ toFake: ["Date"], now: new Date("2031-07-09T13:14:15Z") });
  try {
    const later = await make();
    expect(later.equals(first)).toBe(true);
  } finally {
    vi.useRealTimers();
  }
  return first;
}
