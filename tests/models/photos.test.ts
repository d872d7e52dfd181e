import { Refused, type Refusal } from "~/domain/refusal";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import sharp from "sharp";
import { afterAll, describe, expect, it } from "vitest";
import { photoPath } from "../../db/file-store";
import { photoThumbnail, readPhotoFile, storeUploadedPhoto } from "~/models/photos.server";
import { gif, jpeg, photoFiles, png, pngClaiming, webp } from "../support/photos";

const dataDir = mkdtempSync(path.join(os.tmpdir(), "portal-photos-"));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

async function refusal(bytes: Uint8Array, name: string): Promise<Refusal> {
  const error = await storeUploadedPhoto(dataDir, bytes, name).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(Refused);
  return (error as Refused).refusal;
}

describe("storeUploadedPhoto", () => {
  it("re-encodes a PNG and stores it under the SHA-256 of what it wrote, atomically", async () => {
    const stored = await storeUploadedPhoto(dataDir, await png(120, 80), "操场.png");
    expect(stored).toMatchObject({ mime: "image/png", width: 120, height: 80 });
    const file = photoPath(dataDir, stored.sha256);
    expect(file).toBe(path.join(dataDir, "photos", stored.sha256.slice(0, 2), stored.sha256));
    const bytes = readFileSync(file);
    expect(createHash("sha256").update(bytes).digest("hex")).toBe(stored.sha256);
    expect(bytes.length).toBe(stored.bytes);
    expect(photoFiles(dataDir).some((f) => f.endsWith(".tmp"))).toBe(false);
    expect(await readPhotoFile(dataDir, stored.sha256)).toEqual(bytes);
  });

  it("stores the same picture once", async () => {
    const image = await png(90, 90, "#123456");
    const first = await storeUploadedPhoto(dataDir, image);
    const before = photoFiles(dataDir).length;
    const second = await storeUploadedPhoto(dataDir, image);
    expect(second).toEqual(first);
    expect(photoFiles(dataDir).length).toBe(before);
  });

  it("keeps JPEG as JPEG and WebP as WebP, whatever the file is called", async () => {
    const j = await storeUploadedPhoto(dataDir, await jpeg(70, 70), "photo.png");
    expect(j.mime).toBe("image/jpeg");
    expect((await sharp(readFileSync(photoPath(dataDir, j.sha256))).metadata()).format).toBe("jpeg");
    const w = await storeUploadedPhoto(dataDir, await webp(70, 70), "photo.jpg");
    expect(w.mime).toBe("image/webp");
    expect((await sharp(readFileSync(photoPath(dataDir, w.sha256))).metadata()).format).toBe("webp");
  });

  it("turns a phone photo upright by its EXIF orientation and strips all metadata", async () => {
    // Stored sideways (80×60) with orientation 6: it should be shown 60 wide, 80 high.
    const sideways = await sharp({ create: { width: 80, height: 60, channels: 3, background: "#888" } })
      .jpeg()
      .withExif({ IFD0: { Artist: "Zhang Xiaomei", Copyright: "Chengguan School" } })
      .withMetadata({ orientation: 6 })
      .toBuffer();
    const input = await sharp(sideways).metadata();
    expect(input.orientation).toBe(6);
    expect(input.exif).toBeDefined();

    const stored = await storeUploadedPhoto(dataDir, sideways, "IMG_0001.jpg");
    expect(stored).toMatchObject({ width: 60, height: 80 });
    const out = await sharp(readFileSync(photoPath(dataDir, stored.sha256))).metadata();
    expect(out.width).toBe(60);
    expect(out.height).toBe(80);
    expect(out.exif).toBeUndefined();
    expect(out.orientation).toBeUndefined();
    expect(out.xmp).toBeUndefined();
    expect(out.icc).toBeUndefined();
  });

  it("caps the long side at 2560 pixels", async () => {
    const stored = await storeUploadedPhoto(dataDir, await png(3000, 120), "全景.png");
    expect(stored).toMatchObject({ width: 2560, height: 102 });
  });

  it.each([
    ["a GIF", () => gif(), "动图.gif"],
    ["an HTML page renamed .jpg", async () => Buffer.from("<!doctype html><html><script>alert(1)</script></html>"), "照片.jpg"],
    ["an SVG", async () => Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100"><script>alert(1)</script></svg>'), "图.svg"],
    ["a Windows program renamed .png", async () => Buffer.concat([Buffer.from("MZ"), Buffer.alloc(510), Buffer.from("PE\0\0")]), "setup.png"],
    ["plain text", async () => Buffer.from("这不是图片，是一段文字。"), "说明.webp"],
  ])("refuses %s with 415 naming the file, writing nothing", async (_label, make, name) => {
    const before = photoFiles(dataDir);
    const error = await refusal(await make(), name);
    expect(error.status).toBe(415);
    expect(error.message).toBe(`“${name}”不是 JPG、PNG 或 WebP 格式的图片，不能上传。`);
    expect(photoFiles(dataDir)).toEqual(before);
  });

  it("refuses a picture smaller than 50 pixels on a side", async () => {
    const error = await refusal(await png(40, 200), "小图.png");
    expect(error.status).toBe(400);
    expect(error.message).toContain("“小图.png”太小（40×200 像素）");
  });

  it("refuses a side over 20000 pixels", async () => {
    const error = await refusal(await png(20_001, 50), "长图.png");
    expect(error.status).toBe(400);
    expect(error.message).toContain("尺寸过大（20001×50 像素）");
  });

  it("refuses a decompression bomb from its header, before decoding it", async () => {
    const bomb = pngClaiming(15_000, 15_000);
    expect(bomb.length).toBeLessThan(2000);
    const before = photoFiles(dataDir);
    const error = await refusal(bomb, "bomb.png");
    expect(error.status).toBe(400);
    expect(error.message).toContain("尺寸过大（15000×15000 像素）");
    expect(photoFiles(dataDir)).toEqual(before);
  });

  it("refuses a truncated or corrupt image as damaged", async () => {
    const whole = await png(64, 64);
    const error = await refusal(whole.subarray(0, 40), "半张.png");
    expect(error.status).toBe(400);
    expect(error.message).toBe("“半张.png”已损坏或无法识别，请换一张图片。");
  });

  it("refuses a file over 8 MB with 413 before looking inside", async () => {
    const error = await refusal(Buffer.alloc(8 * 1024 * 1024 + 1), "大图.jpg");
    expect(error.status).toBe(413);
    expect(error.message).toBe("“大图.jpg”超过 8 MB，请压缩后再上传。");
  });

  it("names the file without its path", async () => {
    const error = await refusal(Buffer.from("hello"), "C:\\Users\\张\\桌面\\x.exe");
    expect(error.message).toContain("“x.exe”");
  });
});

describe("photoThumbnail", () => {
  it("makes a 480 px WebP beside the original on first request, then reuses it", async () => {
    const stored = await storeUploadedPhoto(dataDir, await png(1200, 600, "#0a0"));
    const thumbFile = `${photoPath(dataDir, stored.sha256)}.thumb.webp`;
    expect(existsSync(thumbFile)).toBe(false);
    const thumb = await photoThumbnail(dataDir, stored.sha256);
    expect(thumb).not.toBeNull();
    const meta = await sharp(thumb!).metadata();
    expect(meta).toMatchObject({ format: "webp", width: 480, height: 240 });
    expect(existsSync(thumbFile)).toBe(true);
    expect(await photoThumbnail(dataDir, stored.sha256)).toEqual(thumb);
  });

  it("does not enlarge a small picture", async () => {
    const stored = await storeUploadedPhoto(dataDir, await png(100, 60, "#abc"));
    expect(await sharp((await photoThumbnail(dataDir, stored.sha256))!).metadata()).toMatchObject({ width: 100, height: 60 });
  });

  it("is null when the original is missing or the address is not a SHA-256", async () => {
    expect(await photoThumbnail(dataDir, "0".repeat(64))).toBeNull();
    expect(await photoThumbnail(dataDir, "../../etc/passwd")).toBeNull();
    expect(await readPhotoFile(dataDir, "../portal.sqlite")).toBeNull();
  });
});
