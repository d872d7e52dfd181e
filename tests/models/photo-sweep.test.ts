// Photo files no row refers to (taken off a draft, a deleted draft, a save whose transaction
// failed) used to stay on disk for good. The sweep deletes them once older than a day, with their
// thumbnails, and never a referenced file, a young one, or anything outside the photos directory.
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { photoPath, PHOTOS, storeFile } from "../../db/file-store";
import { photoFileName, PHOTO_SWEEP, sweepMessage, sweepOrphanPhotos } from "~/models/photo-sweep.server";
import { photoThumbnail, storeUploadedPhoto } from "~/models/photos.server";
import { setupCounty, type County } from "../support/app";
import { age } from "../support/file-age";
import { insertItem } from "../support/item-fixtures";
import { attachPhoto, jpeg, png } from "../support/photos";

let county: County;
let dataDir: string;
let outside: string;
const DAY = 24 * 60 * 60 * 1000;
beforeAll(async () => {
  county = await setupCounty();
  dataDir = county.dbs.dir;
  outside = mkdtempSync(path.join(os.tmpdir(), "portal-outside-"));
});
afterAll(async () => {
  await county.dbs.dispose();
  rmSync(outside, { recursive: true, force: true });
});

const thumbOf = (sha: string) => `${photoPath(dataDir, sha)}.thumb.webp`;
const draft = () => insertItem(county.dbs.db, { unitId: county.units.A, createdBy: county.ids.correspondentA, status: "draft" });
const sweep = (options: Parameters<typeof sweepOrphanPhotos>[2] = {}) =>
  sweepOrphanPhotos(county.dbs.reader, dataDir, { uploadsDir: path.join(dataDir, "uploads"), ...options });
const shaOfPhoto = async (id: number) => (await county.dbs.db.selectFrom("photos").select("sha256").where("id", "=", id).executeTakeFirstOrThrow()).sha256;

describe("photoFileName: which names under photos/ab/ are the store's", () => {
  const sha = `ab${"0".repeat(62)}`;
  const cases: Array<[string, string, ReturnType<typeof photoFileName>]> = [
    ["ab", sha, { sha256: sha, kind: "photo" }],
    ["ab", `${sha}.thumb.webp`, { sha256: sha, kind: "thumbnail" }],
    ["ab", `${sha}.1234.a1b2c3d4e5f6.tmp`, { sha256: sha, kind: "temporary" }],
    ["ab", `${sha}.thumb.webp.1234.a1b2c3d4e5f6.tmp`, { sha256: sha, kind: "temporary" }],
    ["ab", `${sha}.1234.a1b2c3d4e5f6.sweep.tmp`, { sha256: sha, kind: "temporary", sweptFrom: sha }],
    ["cd", sha, null],
    ["ab", `${sha}.jpg`, null],
    ["ab", sha.toUpperCase(), null],
    ["ab", `${sha}0`, null],
    ["ab", "README", null],
    ["ab", "..", null],
    ["ab", `../${sha}`, null],
  ];
  it.each(cases)("%s/%s", (prefix, name, expected) => expect(photoFileName(prefix, name)).toEqual(expected));
});

describe("sweepOrphanPhotos", () => {
  it("keeps referenced photos and their thumbnails, however old; deletes old unreferenced ones with theirs", async () => {
    const item = await draft();
    const kept = await shaOfPhoto(await attachPhoto(county.dbs.db, dataDir, item, await jpeg(300, 200, "#123")));
    await photoThumbnail(dataDir, kept);
    const removedId = await attachPhoto(county.dbs.db, dataDir, item, await jpeg(300, 200, "#456"));
    const removed = await shaOfPhoto(removedId);
    await photoThumbnail(dataDir, removed);
    // Taken off the draft.
    await county.dbs.db.deleteFrom("photos").where("id", "=", removedId).execute();
    for (const file of [photoPath(dataDir, kept), thumbOf(kept), photoPath(dataDir, removed), thumbOf(removed)]) age(file, 3 * DAY);
    const bytes = lstatSync(photoPath(dataDir, removed)).size + lstatSync(thumbOf(removed)).size;

    const result = await sweep();
    expect(result).toEqual({ files: 2, bytes, putBack: 0 });
    expect(existsSync(photoPath(dataDir, kept))).toBe(true);
    expect(existsSync(thumbOf(kept))).toBe(true);
    expect(existsSync(photoPath(dataDir, removed))).toBe(false);
    expect(existsSync(thumbOf(removed))).toBe(false);
    expect(sweepMessage(result)).toMatch(/^照片清理：删除了 2 个没有稿件引用、超过一天的文件.*共 0\.\d MB。$/);
  });

  it("keeps an unreferenced file younger than a day (an upload whose row is not committed yet)", async () => {
    const young = await storeUploadedPhoto(dataDir, await png(120, 90, "#789"));
    age(photoPath(dataDir, young.sha256), PHOTO_SWEEP.minAgeMs - 60_000);
    const nearlyOld = await storeUploadedPhoto(dataDir, await png(120, 90, "#78a"));
    age(photoPath(dataDir, nearlyOld.sha256), PHOTO_SWEEP.minAgeMs + 60_000);
    // Not even moved aside for a moment: its page would find no file meanwhile.
    expect(await sweep()).toMatchObject({ files: 1, putBack: 0 });
    expect(existsSync(photoPath(dataDir, young.sha256))).toBe(true);
    expect(existsSync(photoPath(dataDir, nearlyOld.sha256))).toBe(false);
  });

  it("the files of a deleted draft go once old; a photo also on another item stays", async () => {
    const shared = await png(200, 150, "#0a0");
    const gone = await draft();
    const other = await draft();
    const onlyHere = await shaOfPhoto(await attachPhoto(county.dbs.db, dataDir, gone, await png(200, 150, "#0b0")));
    const alsoThere = await shaOfPhoto(await attachPhoto(county.dbs.db, dataDir, gone, shared));
    await attachPhoto(county.dbs.db, dataDir, other, shared);
    await county.dbs.db.deleteFrom("photos").where("item_id", "=", gone).execute();
    await county.dbs.db.deleteFrom("items").where("id", "=", gone).execute();
    for (const sha of [onlyHere, alsoThere]) age(photoPath(dataDir, sha), 2 * DAY);
    expect((await sweep()).files).toBe(1);
    expect(existsSync(photoPath(dataDir, onlyHere))).toBe(false);
    expect(existsSync(photoPath(dataDir, alsoThere))).toBe(true);
  });

  it("a file stored again (same bytes) is young again, so the row about to name it finds it", async () => {
    const bytes = await png(100, 100, "#a0a");
    const first = await storeUploadedPhoto(dataDir, bytes);
    age(photoPath(dataDir, first.sha256), 5 * DAY);
    const again = await storeFile(dataDir, PHOTOS, readFileSync(photoPath(dataDir, first.sha256)));
    expect(again.written).toBe(false);
    expect(Date.now() - lstatSync(photoPath(dataDir, first.sha256)).mtimeMs).toBeLessThan(60_000);
    await sweep();
    expect(existsSync(photoPath(dataDir, first.sha256))).toBe(true);
  });

  it("a file stored again after the sweep listed it, before it took it away, is put back", async () => {
    const stored = await storeUploadedPhoto(dataDir, await png(100, 100, "#b0b"));
    const file = photoPath(dataDir, stored.sha256);
    age(file, 5 * DAY);
    // The sweep reads the rows after listing the files: the store touches the file just then.
    const reader = county.dbs.reader;
    const racing = new Proxy(reader, {
      get(target, key, receiver) {
        if (key === "selectFrom") {
          return (...args: Parameters<typeof reader.selectFrom>) => {
            const now = new Date();
            utimesSync(file, now, now);
            return target.selectFrom(...args);
          };
        }
        return Reflect.get(target, key, receiver);
      },
    });
    const result = await sweepOrphanPhotos(racing, dataDir);
    expect(result.putBack).toBe(1);
    expect(existsSync(file)).toBe(true);
    expect(readFileSync(file).length).toBe(stored.bytes);
  });

  it("a file the sweep had taken away when the portal stopped goes back if a row names it, and is deleted if old and not", async () => {
    const item = await draft();
    const named = await shaOfPhoto(await attachPhoto(county.dbs.db, dataDir, item, await png(110, 100, "#c0c")));
    const orphan = await storeUploadedPhoto(dataDir, await png(110, 100, "#d0d"));
    const asideOf = (sha: string) => `${photoPath(dataDir, sha)}.999.0a0b0c0d0e0f.sweep.tmp`;
    for (const sha of [named, orphan.sha256]) {
      renameSync(photoPath(dataDir, sha), asideOf(sha));
      age(asideOf(sha), 3 * DAY);
    }
    const result = await sweep();
    expect(result.putBack).toBe(1);
    expect(existsSync(photoPath(dataDir, named))).toBe(true);
    expect(existsSync(asideOf(named))).toBe(false);
    expect(existsSync(photoPath(dataDir, orphan.sha256))).toBe(false);
    expect(existsSync(asideOf(orphan.sha256))).toBe(false);
  });

  it("deletes old temporary files of writes that never finished, keeps young ones (a write in progress)", async () => {
    const item = await draft();
    const sha = await shaOfPhoto(await attachPhoto(county.dbs.db, dataDir, item, await png(100, 120, "#e0e")));
    const old = `${photoPath(dataDir, sha)}.4242.aaaaaaaaaaaa.tmp`;
    const young = `${thumbOf(sha)}.4243.bbbbbbbbbbbb.tmp`;
    writeFileSync(old, "partial");
    writeFileSync(young, "partial");
    age(old, 2 * DAY);
    await sweep();
    expect(existsSync(old)).toBe(false);
    expect(existsSync(young)).toBe(true);
    expect(existsSync(photoPath(dataDir, sha))).toBe(true);
  });

  it("never touches files that are not the store's, nor anything outside the photos directory through links", async () => {
    const photos = path.join(dataDir, "photos");
    const foreignSha = `cd${"1".repeat(62)}`;
    const strayNames = [path.join(photos, "notes.txt"), path.join(photos, "ab", "README"), path.join(photos, "ab", foreignSha)];
    // Outside: a file named like a photo, in a directory named like a prefix.
    const outsidePrefix = path.join(outside, "cd");
    mkdirSync(outsidePrefix, { recursive: true });
    const outsideFile = path.join(outsidePrefix, foreignSha);
    writeFileSync(outsideFile, "not the portal's");
    const outsideThumb = path.join(outside, "target.webp");
    writeFileSync(outsideThumb, "not the portal's either");
    mkdirSync(path.join(photos, "ab"), { recursive: true });
    for (const f of strayNames) writeFileSync(f, "stray");
    rmSync(path.join(photos, "cd"), { recursive: true, force: true });
    symlinkSync(outsidePrefix, path.join(photos, "cd"));
    const ef = `ef${"2".repeat(62)}`;
    mkdirSync(path.join(photos, "ef"), { recursive: true });
    symlinkSync(outsideThumb, path.join(photos, "ef", `${ef}.thumb.webp`));
    symlinkSync(outsideFile, path.join(photos, "ef", ef));
    // The upload directory: a link to a directory outside.
    const uploads = path.join(dataDir, "uploads");
    mkdirSync(uploads, { recursive: true });
    symlinkSync(outside, path.join(uploads, "elsewhere"));
    for (const f of [...strayNames, outsideFile, outsideThumb, outsidePrefix, outside]) age(f, 10 * DAY);

    await sweep();
    for (const f of [...strayNames, outsideFile, outsideThumb]) expect(existsSync(f)).toBe(true);
    expect(readFileSync(outsideFile, "utf8")).toBe("not the portal's");
    expect(lstatSync(path.join(photos, "cd")).isSymbolicLink()).toBe(true);
    expect(lstatSync(path.join(photos, "ef", ef)).isSymbolicLink()).toBe(true);
    expect(lstatSync(path.join(uploads, "elsewhere")).isSymbolicLink()).toBe(true);
    rmSync(path.join(photos, "cd"));
    rmSync(path.join(photos, "ef"), { recursive: true });
    rmSync(path.join(uploads, "elsewhere"));
  });

  it("deletes the upload directories of requests older than a day, keeps newer ones", async () => {
    const uploads = path.join(dataDir, "uploads");
    const stale = path.join(uploads, "stale-request");
    const current = path.join(uploads, "current-request");
    for (const dir of [stale, current]) {
      mkdirSync(dir, { recursive: true });
      writeFileSync(path.join(dir, "1.upload"), Buffer.alloc(1000));
    }
    age(stale, 2 * DAY);
    const result = await sweep();
    expect(result.files).toBeGreaterThanOrEqual(1);
    expect(result.bytes).toBeGreaterThanOrEqual(1000);
    expect(existsSync(stale)).toBe(false);
    expect(existsSync(path.join(current, "1.upload"))).toBe(true);
  });

  it("a data directory without photos or uploads: nothing to do", async () => {
    const empty = mkdtempSync(path.join(os.tmpdir(), "portal-empty-"));
    try {
      expect(await sweepOrphanPhotos(county.dbs.reader, empty, { uploadsDir: path.join(empty, "uploads") })).toEqual({ files: 0, bytes: 0, putBack: 0 });
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
