// The content-addressed file store (db/file-store.ts): addresses, storing once, atomic writes.
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

// A crash between the write and the rename is simulated by failing the rename once.
const crash = vi.hoisted(() => ({ renameFails: false }));
vi.mock("node:fs/promises", async (importOriginal) => {
  const fs = await importOriginal<typeof import("node:fs/promises")>();
  return {
    ...fs,
    rename: (from: string, to: string) => (crash.renameFails ? Promise.reject(new Error("simulated crash")) : fs.rename(from, to)),
  };
});

// Test files share a worker's module cache (vitest `isolate: false`): load the store afresh so it
// imports the mocked `node:fs/promises`, not a copy another file already loaded.
vi.resetModules();
const {
  copyFileAtomically, isSha256, isTemporaryName, moveIntoPlace, NOTICES, noticeFilePath, PHOTOS, photoPath,
  readStoredFile, sha256Hex, SHELVES, storedPath, storeFile, writeFileAtomically,
} = await import("../../db/file-store");

const ROOT = path.resolve(import.meta.dirname, "../..");
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), "portal-store-"));
  crash.renameFails = false;
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const sha = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

/** Every file under a directory, relative to it. */
function filesUnder(root: string): string[] {
  if (!existsSync(root)) return [];
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(root, path.join(e.parentPath, e.name)))
    .sort();
}

describe("addresses", () => {
  const h = "ab".padEnd(64, "0");
  it.each([
    { shelf: PHOTOS, expected: ["photos", "ab", h] },
    { shelf: NOTICES, expected: ["notices", `${h}.docx`] },
  ])("$shelf.dir: $expected", ({ shelf, expected }) => {
    expect(storedPath("/data", shelf, h)).toBe(path.join("/data", ...expected));
  });

  it("photoPath and noticeFilePath are the two shelves", () => {
    expect(photoPath("/d", h)).toBe(storedPath("/d", PHOTOS, h));
    expect(noticeFilePath("/d", h)).toBe(storedPath("/d", NOTICES, h));
    expect(SHELVES.map((s) => s.dir)).toEqual(["photos", "notices"]);
  });

  it.each([
    ["a".repeat(64), true],
    ["A".repeat(64), false],
    ["a".repeat(63), false],
    ["../../etc/passwd", false],
    [`${"a".repeat(63)}/`, false],
    ["", false],
  ])("isSha256(%j) = %s; a malformed hash never becomes a path", (value, ok) => {
    expect(isSha256(value)).toBe(ok);
    if (!ok) expect(() => storedPath("/d", PHOTOS, value)).toThrow();
  });

  it.each([
    ["x.123.abcdef.tmp", true],
    [`${"a".repeat(64)}.thumb.webp.9.0a0a0a.tmp`, true],
    ["a".repeat(64), false],
    [`${"a".repeat(64)}.docx`, false],
  ])("isTemporaryName(%j) = %s", (name, temporary) => {
    expect(isTemporaryName(name)).toBe(temporary);
  });
});

describe("storeFile", () => {
  const cases = [
    { name: "empty", bytes: Buffer.alloc(0) },
    { name: "one byte", bytes: Buffer.from([0]) },
    { name: "text", bytes: Buffer.from("临溪县教育和体育局") },
    { name: "64 KB", bytes: Buffer.alloc(64 * 1024, 7) },
  ];

  for (const shelf of SHELVES) {
    describe(shelf.dir, () => {
      it.each(cases)("$name: stored under its SHA-256, the same bytes again write nothing", async ({ bytes }) => {
        const first = await storeFile(dir, shelf, bytes);
        expect(first).toEqual({ sha256: sha(bytes), path: storedPath(dir, shelf, sha(bytes)), written: true });
        expect(readFileSync(first.path)).toEqual(bytes);
        const before = statSync(first.path);

        const again = await storeFile(dir, shelf, Buffer.from(bytes));
        expect(again).toEqual({ ...first, written: false });
        // Not written again (the same file), only marked as just stored: the sweep of unreferenced files leaves it alone.
        const after = statSync(first.path);
        expect(after.ino).toBe(before.ino);
        expect(after.mtimeMs).toBeGreaterThanOrEqual(before.mtimeMs);
        expect(filesUnder(path.join(dir, shelf.dir))).toEqual([path.relative(path.join(dir, shelf.dir), first.path)]);
        expect(await readStoredFile(dir, shelf, first.sha256)).toEqual(bytes);
      });

      it("storing a file that is there marks it as just stored; one taken away meanwhile is written anew", async () => {
        const bytes = Buffer.from("一张存了很久的图片");
        const first = await storeFile(dir, shelf, bytes);
        const longAgo = new Date(Date.now() - 3 * 24 * 60 * 60 * 1000);
        utimesSync(first.path, longAgo, longAgo);
        expect(await storeFile(dir, shelf, bytes)).toEqual({ ...first, written: false });
        expect(Date.now() - statSync(first.path).mtimeMs).toBeLessThan(60_000);
        rmSync(first.path);
        expect(await storeFile(dir, shelf, bytes)).toEqual({ ...first, written: true });
        expect(readFileSync(first.path)).toEqual(bytes);
      });

      it("different bytes go to different addresses", async () => {
        const stored = await Promise.all(cases.map((c) => storeFile(dir, shelf, c.bytes)));
        expect(new Set(stored.map((s) => s.path)).size).toBe(cases.length);
        for (const [i, s] of stored.entries()) expect(readFileSync(s.path)).toEqual(cases[i].bytes);
        expect(filesUnder(path.join(dir, shelf.dir))).toHaveLength(cases.length);
      });

      it("concurrent stores of the same bytes leave one complete file and no temporary files", async () => {
        const bytes = Buffer.alloc(32 * 1024, 3);
        const results = await Promise.all(Array.from({ length: 8 }, () => storeFile(dir, shelf, bytes)));
        expect(new Set(results.map((r) => r.path)).size).toBe(1);
        expect(filesUnder(path.join(dir, shelf.dir))).toHaveLength(1);
        expect(readFileSync(results[0].path)).toEqual(bytes);
      });
    });
  }

  it("reads nothing for a missing file or a malformed hash", async () => {
    expect(await readStoredFile(dir, PHOTOS, "c".repeat(64))).toBeNull();
    expect(await readStoredFile(dir, PHOTOS, "../portal.sqlite")).toBeNull();
  });

  it("a crash between writing and renaming leaves nothing under the address, and the next store succeeds", async () => {
    const bytes = Buffer.from("通报正文");
    crash.renameFails = true;
    await expect(storeFile(dir, NOTICES, bytes)).rejects.toThrow("simulated crash");
    expect(existsSync(noticeFilePath(dir, sha(bytes)))).toBe(false);
    expect(await readStoredFile(dir, NOTICES, sha(bytes))).toBeNull();
    expect(filesUnder(path.join(dir, "notices"))).toEqual([]);

    crash.renameFails = false;
    const stored = await storeFile(dir, NOTICES, bytes);
    expect(stored.written).toBe(true);
    expect(readFileSync(stored.path)).toEqual(bytes);
  });

  it("a process killed while storing leaves only complete files under their addresses", async () => {
    // A child stores 1 MB files in a loop and is killed (SIGKILL, no clean-up) mid-way: whatever
    // it was writing stays a temporary file; every file under an address holds that address's bytes.
    const script = path.join(dir, "writer.mts");
    writeFileSync(
      script,
      `import { PHOTOS, storeFile } from ${JSON.stringify(pathToFileURL(path.join(ROOT, "db/file-store.ts")).href)};
       const data = ${JSON.stringify(path.join(dir, "data"))};
       for (let i = 0; ; i++) {
         const bytes = Buffer.alloc(1 << 20, i % 251);
         bytes.writeUInt32BE(i, 0);
         await storeFile(data, PHOTOS, bytes);
         if (i === 1) process.stdout.write("writing\\n");
       }`,
    );
    const child = spawn(process.execPath, ["--import", "tsx", script], { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"] });
    await new Promise<void>((resolve, reject) => {
      child.stdout.on("data", () => resolve());
      child.on("exit", (code) => reject(new Error(`writer exited early (${code})`)));
    });
    await new Promise((r) => setTimeout(r, 30 + Math.random() * 70));
    child.kill("SIGKILL");
    await new Promise((r) => child.once("exit", r));

    const photos = path.join(dir, "data", "photos");
    const stored = filesUnder(photos).filter((f) => !isTemporaryName(f));
    expect(stored.length).toBeGreaterThanOrEqual(2);
    for (const f of stored) expect(sha(readFileSync(path.join(photos, f))), f).toBe(path.basename(f));
  }, 30_000);
});

describe("the atomic helpers", () => {
  it("writeFileAtomically replaces a file whole and leaves no temporary file", async () => {
    const target = path.join(dir, "a", "b", "thumb.webp");
    await writeFileAtomically(target, Buffer.from("one"));
    await writeFileAtomically(target, Buffer.from("two"));
    expect(readFileSync(target, "utf8")).toBe("two");
    expect(filesUnder(dir)).toEqual([path.join("a", "b", "thumb.webp")]);
  });

  it("a failed write keeps the old content and removes its temporary file", async () => {
    const target = path.join(dir, "kept.txt");
    await writeFileAtomically(target, Buffer.from("old"));
    crash.renameFails = true;
    await expect(writeFileAtomically(target, Buffer.from("new"))).rejects.toThrow();
    expect(readFileSync(target, "utf8")).toBe("old");
    expect(filesUnder(dir)).toEqual(["kept.txt"]);
  });

  it("moveIntoPlace and copyFileAtomically put a finished file under its final name", () => {
    const temp = path.join(dir, "db.tmp-1");
    writeFileSync(temp, "snapshot");
    moveIntoPlace(temp, path.join(dir, "portal.sqlite"));
    copyFileAtomically(path.join(dir, "portal.sqlite"), path.join(dir, "copy.sqlite"));
    expect(filesUnder(dir)).toEqual(["copy.sqlite", "portal.sqlite"]);
    expect(readFileSync(path.join(dir, "copy.sqlite"), "utf8")).toBe("snapshot");
    expect(() => copyFileAtomically(path.join(dir, "missing"), path.join(dir, "x"))).toThrow();
    expect(filesUnder(dir)).toEqual(["copy.sqlite", "portal.sqlite"]);
  });

  it("sha256Hex is the hex SHA-256", () => {
    expect(sha256Hex(Buffer.from("abc"))).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  });
});
