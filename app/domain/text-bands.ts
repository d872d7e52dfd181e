// Which stored items may read nearly the same as a text, without comparing it with every one of
// them: MinHash locality-sensitive hashing over the same bigrams the similarity rule counts
// (similarity.ts). A text's bigrams give BANDS × ROWS min-hashes; each band of ROWS of them is one
// key. Two texts share a band's key with probability 1 − (1 − J^ROWS) per band, where J is their
// Jaccard similarity, so two texts at the threshold (0.6) share at least one of 32 bands with
// probability 1 − (1 − 0.6³)³² ≈ 0.9996 (0.99997 at 0.65), while two unrelated news items
// (J ≈ 0.05) share one with probability about 0.4 %. Sharing a key only makes a candidate: the
// rule itself (pairSimilarity) decides, on the exact bigrams.

export const TEXT_BANDS = { bands: 32, rows: 3 } as const;

/** 2^48: a band's number is kept above its 48-bit hash, so one integer column holds both (below 2^53). */
const BAND_SPAN = 2 ** 48;
const TWO_32 = 2 ** 32;

/** Murmur3's 32-bit finaliser: a well-mixed unsigned 32-bit hash of a 32-bit value. */
function mix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A fixed seed per min-hash, so that every process and every release gives the same keys. */
const SEEDS = Array.from({ length: TEXT_BANDS.bands * TEXT_BANDS.rows }, (_, i) => mix32(Math.imul(i + 1, 0x9e3779b9)));

/**
 * The band keys of a text's bigram codes (similarity.ts `bigramCodes`): BANDS distinct integers, or
 * none for a text without any bigram (it is never anyone's near duplicate). The same codes give the
 * same keys everywhere.
 */
export function textBands(codes: Float64Array): number[] {
  if (codes.length === 0) return [];
  const slots = SEEDS.length;
  const min = new Uint32Array(slots).fill(0xffffffff);
  for (let i = 0; i < codes.length; i++) {
    // A code is below 2^41: hash its two halves into one 32-bit value, then once per seed.
    const code = codes[i];
    const high = Math.floor(code / TWO_32);
    const base = mix32((code - high * TWO_32) ^ mix32(high + 0x632be5ab));
    for (let k = 0; k < slots; k++) {
      const h = mix32(base ^ SEEDS[k]);
      if (h < min[k]) min[k] = h;
    }
  }
  const keys: number[] = [];
  for (let b = 0; b < TEXT_BANDS.bands; b++) {
    let h1 = mix32(b + 0x1b873593);
    let h2 = mix32(b + 0x27d4eb2f);
    for (let r = 0; r < TEXT_BANDS.rows; r++) {
      const m = min[b * TEXT_BANDS.rows + r];
      h1 = mix32(h1 ^ m);
      h2 = mix32(Math.imul(h2, 31) ^ m);
    }
    // 48 bits of the band's hash (32 + 16), under the band's number.
    keys.push(b * BAND_SPAN + (h2 & 0xffff) * TWO_32 + h1);
  }
  return keys;
}

/** The band a key belongs to (0 … BANDS − 1). */
export function bandOf(key: number): number {
  return Math.floor(key / BAND_SPAN);
}
