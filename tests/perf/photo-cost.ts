// What re-encoding one phone photo costs (CPU and bytes), as the upload does it (preparePhoto), beside
// the same pipeline with mozjpeg, which the portal used before. The photo is made here: 4032×3024
// (a phone's 12 megapixels), a smooth random picture with fine grain on top, saved at quality 92.
//   npx tsx tests/perf/photo-cost.ts [rounds, default 5]
import sharp from "sharp";
import { PHOTO_RULES, preparePhoto } from "~/models/photos.server";

const rounds = Number(process.argv[2] ?? 5);

async function phonePhoto(): Promise<Buffer> {
  const noise = (width: number, height: number, sigma: number) =>
    sharp({ create: { width, height, channels: 3, background: { r: 0, g: 0, b: 0 }, noise: { type: "gaussian", mean: 128, sigma } } }).png().toBuffer();
  const shapes = await sharp(await noise(63, 47, 60)).resize(4032, 3024, { kernel: "cubic" }).raw().toBuffer();
  const grain = await sharp(await noise(4032, 3024, 8)).raw().toBuffer();
  const pixels = Buffer.alloc(shapes.length);
  for (let i = 0; i < pixels.length; i++) pixels[i] = Math.max(0, Math.min(255, shapes[i] + grain[i] - 128));
  return sharp(pixels, { raw: { width: 4032, height: 3024, channels: 3 } }).jpeg({ quality: 92 }).toBuffer();
}

async function measure(what: string, encode: () => Promise<number>) {
  await encode();
  const cpu = process.cpuUsage();
  let bytes = 0;
  for (let i = 0; i < rounds; i++) bytes = await encode();
  const { user, system } = process.cpuUsage(cpu);
  const ms = (user + system) / 1000 / rounds;
  console.log(`${what}：每张 CPU ${ms.toFixed(0)} ms，${(bytes / 1024).toFixed(0)} KB`);
  return { ms, bytes };
}

const photo = await phonePhoto();
console.log(`原图 4032×3024，${(photo.length / 1024).toFixed(0)} KB，各 ${rounds} 次：`);
const now = await measure("门户的重新编码（preparePhoto）", async () => (await preparePhoto(photo, "photo.jpg")).bytes);
const moz = await measure("同样的处理改用 mozjpeg", async () =>
  (await sharp(photo).rotate().resize({ width: PHOTO_RULES.longSide, height: PHOTO_RULES.longSide, fit: "inside", withoutEnlargement: true })
    .jpeg({ quality: PHOTO_RULES.jpegQuality, mozjpeg: true }).toBuffer()).length,
);
console.log(`CPU 之比 ${(now.ms / moz.ms).toFixed(2)}，字节之比 ${(now.bytes / moz.bytes).toFixed(2)}（门户 ÷ mozjpeg）`);
