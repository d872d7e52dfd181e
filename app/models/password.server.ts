// scrypt password hashes: "scrypt$N$r$p$salt$hash" (base64), compared in constant time.
import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from "node:crypto";
import { Semaphore } from "~/models/limits.server";

const N = 16384;
const R = 8;
const P = 1;
const KEYLEN = 32;

function scrypt(password: string, salt: Buffer, keylen: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scryptCb(password.normalize("NFKC"), salt, keylen, options, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, KEYLEN, { N, r: R, p: P, maxmem: 64 * 1024 * 1024 });
  return ["scrypt", N, R, P, salt.toString("base64"), key.toString("base64")].join("$");
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split("$");
  if (parts.length !== 6 || parts[0] !== "scrypt") return false;
  const [, n, r, p, saltB64, keyB64] = parts;
  const expected = Buffer.from(keyB64, "base64");
  const key = await scrypt(password, Buffer.from(saltB64, "base64"), expected.length, {
    N: Number(n), r: Number(r), p: Number(p), maxmem: 64 * 1024 * 1024,
  });
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/** A hash that never verifies, compared against when the account does not exist (same timing). */
export const UNUSABLE_HASH = `scrypt$${N}$${R}$${P}$${Buffer.alloc(16).toString("base64")}$${Buffer.alloc(KEYLEN).toString("base64")}`;

/**
 * How many of a bulk job's hashes run at once. scrypt runs on libuv's thread pool (4 threads unless
 * UV_THREADPOOL_SIZE says otherwise), the pool every sqlite3 query of this process runs on too:
 * started all at once, 5,000 hashes of an account import queue ahead of every query, and every page
 * waits until the import is done. Two at a time leave the other threads to the queries, and cost a
 * two-core server nothing (two hashes already keep both cores busy).
 */
export const BULK_HASHES_IN_FLIGHT = 2;

/** The process's bulk hashing: imports running at the same time share these lanes. */
const bulkLanes = new Semaphore(BULK_HASHES_IN_FLIGHT);

/**
 * Hashes every password; the hashes in the order of `passwords`. By default on the process's
 * BULK_HASHES_IN_FLIGHT lanes, shared with any other import hashing at the same time; `inFlight`
 * gives the call lanes of its own. `hash` is the hashing function (hashPassword; a test counts what
 * is in flight through it).
 */
export async function hashPasswords(
  passwords: readonly string[],
  options: { inFlight?: number; hash?: (password: string) => Promise<string> } = {},
): Promise<string[]> {
  const { hash = hashPassword } = options;
  const lanes = options.inFlight === undefined ? bulkLanes : new Semaphore(options.inFlight);
  return Promise.all(passwords.map((password) => lanes.run(() => hash(password))));
}
