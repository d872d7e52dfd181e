// Downloads built from a shared, unchanging value (a league view kept until the next write that
// changes it): the file is a function of that value, so it is built once per value and then read.
// A later value (after a write, a correction, a re-close, a rule change) is a different object and
// gets a file of its own; a value is never changed in place, so a kept file is never stale.
// Kept by `key` (what else the file depends on: its format, whose view it is), least recently used
// let go first once the files kept pass a budget in bytes. Each process keeps its own.

/** Bytes of files kept before the least recently used are let go. */
export const EXPORT_CACHE_BYTES = 64 * 1024 * 1024;

export interface ExportCache {
  /**
   * The bytes `build()` makes from `source`, built once for every caller asking for the same
   * `source` object and `key` (also those asking while it is built); a failure is not kept.
   * `source` must not change after it is passed, and `key` must name everything else the bytes
   * depend on (the format, and the viewer when the file differs between viewers).
   */
  get(source: object, key: string, build: () => Promise<Uint8Array<ArrayBuffer>>): Promise<Uint8Array<ArrayBuffer>>;
  /** Files kept now and their bytes (for tests). */
  size(): { files: number; bytes: number };
  /** How many files were built so far (for tests). */
  builds(): number;
}

/**
 * A serial number per source object, so that an entry remembers which value it was built from
 * without holding that value (a province's league view is far larger than its workbook).
 */
const serials = new WeakMap<object, number>();
let lastSerial = 0;
function serialOf(source: object): number {
  let serial = serials.get(source);
  if (serial === undefined) serials.set(source, (serial = ++lastSerial));
  return serial;
}

/** A cache of its own, up to `maxBytes` of files (default EXPORT_CACHE_BYTES). */
export function exportCache(options: { maxBytes?: number } = {}): ExportCache {
  const maxBytes = options.maxBytes ?? EXPORT_CACHE_BYTES;
  // One file per key: the one built from the latest source asked for (an older one is superseded).
  const kept = new Map<string, { serial: number; bytes: Uint8Array<ArrayBuffer> }>();
  const inFlight = new Map<string, Promise<Uint8Array<ArrayBuffer>>>();
  let total = 0;
  let built = 0;

  const forget = (key: string) => {
    const entry = kept.get(key);
    if (!entry) return;
    kept.delete(key);
    total -= entry.bytes.byteLength;
  };
  const keep = (key: string, serial: number, bytes: Uint8Array<ArrayBuffer>) => {
    forget(key);
    if (bytes.byteLength > maxBytes) return;
    kept.set(key, { serial, bytes });
    total += bytes.byteLength;
    while (total > maxBytes) forget(kept.keys().next().value!);
  };

  return {
    size: () => ({ files: kept.size, bytes: total }),
    builds: () => built,
    async get(source, key, build) {
      const serial = serialOf(source);
      const hit = kept.get(key);
      if (hit && hit.serial === serial) {
        // Most recently used last.
        kept.delete(key);
        kept.set(key, hit);
        return hit.bytes;
      }
      const flightKey = `${serial}|${key}`;
      let flight = inFlight.get(flightKey);
      if (!flight) {
        built++;
        flight = build()
          .then((bytes) => {
            // A file of an older source that finished late does not push out a newer one's.
            const current = kept.get(key);
            if (!current || current.serial < serial) keep(key, serial, bytes);
            return bytes;
          })
          .finally(() => inFlight.delete(flightKey));
        inFlight.set(flightKey, flight);
      }
      return flight;
    },
  };
}
