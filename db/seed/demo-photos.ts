// Stand-in "photos" for the demo county: small drawn PNG scenes (sky, campus building, flag,
// sports track, classroom), generated from fixed parameters so their bytes, and therefore their
// content addresses, are the same on every run.
import { PNG } from "pngjs";
import { PHOTOS, sha256Hex, storeFile } from "../file-store";
import { Random } from "./random";

export interface DemoImage {
  sha256: string;
  mime: "image/png";
  width: number;
  height: number;
  bytes: number;
  data: Buffer;
}

type Rgb = readonly [number, number, number];

interface Scene {
  sky: readonly [Rgb, Rgb];
  ground: readonly [Rgb, Rgb];
  horizon: number;
  sun?: { x: number; y: number; r: number; color: Rgb };
  building?: { x: number; w: number; h: number; color: Rgb; window: Rgb };
  flag?: { x: number };
  track?: boolean;
  blackboard?: boolean;
  seed: number;
}

const WIDTH = 320;
const HEIGHT = 240;

const SCENES: readonly Scene[] = [
  // 晴天的教学楼和旗杆
  { sky: [[86, 156, 226], [205, 230, 250]], ground: [[124, 179, 66], [85, 139, 47]], horizon: 150,
    sun: { x: 296, y: 30, r: 16, color: [255, 236, 150] },
    building: { x: 40, w: 170, h: 90, color: [232, 216, 192], window: [74, 111, 165] }, flag: { x: 232 }, seed: 1 },
  // 傍晚的校门
  { sky: [[242, 153, 74], [253, 226, 184]], ground: [[141, 110, 99], [93, 64, 55]], horizon: 165,
    sun: { x: 60, y: 120, r: 26, color: [255, 204, 128] },
    building: { x: 130, w: 150, h: 70, color: [176, 190, 197], window: [255, 241, 118] }, seed: 2 },
  // 红色主题（党建活动背景板）
  { sky: [[183, 28, 28], [239, 83, 80]], ground: [[255, 235, 238], [239, 154, 154]], horizon: 190,
    sun: { x: 160, y: 80, r: 34, color: [255, 213, 79] }, flag: { x: 40 }, seed: 3 },
  // 田径运动会的跑道
  { sky: [[100, 181, 246], [227, 242, 253]], ground: [[192, 80, 77], [150, 50, 50]], horizon: 110,
    building: { x: 200, w: 100, h: 40, color: [224, 224, 224], window: [97, 97, 97] }, track: true, seed: 4 },
  // 教室和黑板
  { sky: [[245, 240, 225], [236, 228, 205]], ground: [[161, 136, 127], [121, 85, 72]], horizon: 170,
    blackboard: true, seed: 5 },
  // 春天的园所
  { sky: [[129, 212, 250], [232, 245, 233]], ground: [[156, 204, 101], [104, 159, 56]], horizon: 140,
    sun: { x: 40, y: 36, r: 16, color: [255, 245, 157] },
    building: { x: 150, w: 140, h: 60, color: [255, 204, 188], window: [255, 255, 255] }, seed: 6 },
  // 阴天的综合楼
  { sky: [[144, 164, 174], [207, 216, 220]], ground: [[117, 117, 117], [66, 66, 66]], horizon: 160,
    building: { x: 20, w: 280, h: 110, color: [236, 239, 241], window: [55, 71, 79] }, flag: { x: 300 }, seed: 7 },
];

function mix(a: Rgb, b: Rgb, t: number): Rgb {
  return [0, 1, 2].map((i) => Math.round(a[i] + (b[i] - a[i]) * t)) as unknown as Rgb;
}

function drawScene(scene: Scene): PNG {
  const png = new PNG({ width: WIDTH, height: HEIGHT });
  // A little deterministic noise keeps the images from looking like flat test cards.
  const noise = new Random(20240410 + scene.seed);
  const set = (x: number, y: number, c: Rgb) => {
    if (x < 0 || y < 0 || x >= WIDTH || y >= HEIGHT) return;
    const i = (y * WIDTH + x) * 4;
    png.data[i] = c[0];
    png.data[i + 1] = c[1];
    png.data[i + 2] = c[2];
    png.data[i + 3] = 255;
  };
  const rect = (x0: number, y0: number, w: number, h: number, c: Rgb) => {
    for (let y = y0; y < y0 + h; y++) for (let x = x0; x < x0 + w; x++) set(x, y, c);
  };

  for (let y = 0; y < HEIGHT; y++) {
    const row = y < scene.horizon
      ? mix(scene.sky[0], scene.sky[1], y / scene.horizon)
      : mix(scene.ground[0], scene.ground[1], (y - scene.horizon) / (HEIGHT - scene.horizon));
    for (let x = 0; x < WIDTH; x++) {
      const jitter = noise.int(-3, 3);
      set(x, y, [row[0] + jitter, row[1] + jitter, row[2] + jitter].map((v) => Math.max(0, Math.min(255, v))) as unknown as Rgb);
    }
  }

  if (scene.sun) {
    const { x: cx, y: cy, r, color } = scene.sun;
    for (let y = cy - r; y <= cy + r; y++)
      for (let x = cx - r; x <= cx + r; x++) if ((x - cx) ** 2 + (y - cy) ** 2 <= r * r) set(x, y, color);
  }

  if (scene.track) {
    for (let lane = 0; lane < 6; lane++) rect(0, scene.horizon + 18 + lane * 20, WIDTH, 2, [245, 245, 245]);
  }

  if (scene.building) {
    const { x, w, h, color, window } = scene.building;
    const top = scene.horizon - h;
    rect(x, top, w, h, color);
    rect(x - 4, top - 6, w + 8, 6, mix(color, [0, 0, 0], 0.25));
    for (let wy = top + 10; wy + 12 < scene.horizon - 4; wy += 22)
      for (let wx = x + 10; wx + 14 < x + w - 6; wx += 24) rect(wx, wy, 14, 12, window);
  }

  if (scene.flag) {
    const pole = scene.flag.x;
    rect(pole, scene.horizon - 120, 3, 120, [200, 200, 200]);
    rect(pole + 3, scene.horizon - 120, 36, 24, [222, 41, 16]);
    rect(pole + 8, scene.horizon - 115, 5, 5, [255, 222, 0]);
  }

  if (scene.blackboard) {
    rect(50, 30, 220, 100, [101, 67, 33]);
    rect(56, 36, 208, 88, [46, 93, 58]);
    for (let line = 0; line < 4; line++) rect(72, 52 + line * 18, 90 + line * 20, 2, [230, 230, 230]);
    for (let col = 0; col < 4; col++) for (let row = 0; row < 2; row++) rect(24 + col * 76, 182 + row * 30, 50, 14, [188, 143, 88]);
  }

  return png;
}

/** The demo's distinct images, in a fixed order. */
export function renderDemoImages(): DemoImage[] {
  return SCENES.map((scene) => {
    const data = PNG.sync.write(drawScene(scene), { colorType: 2 });
    return {
      sha256: sha256Hex(data),
      mime: "image/png",
      width: WIDTH,
      height: HEIGHT,
      bytes: data.length,
      data,
    };
  });
}

/** Stores each image once (an existing file with that address already holds the same bytes). */
export async function writeDemoImages(dataDir: string, images: readonly DemoImage[]): Promise<void> {
  for (const image of images) await storeFile(dataDir, PHOTOS, image.data);
}
