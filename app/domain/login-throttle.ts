// Login protection after the OWASP pattern (as in rate-limiter-flexible's "login endpoint"
// example): consecutive failures per account+address, failures per address across accounts per
// day, and a slow-down per account from any address. A point is taken from every counter BEFORE
// the password is evaluated and given back when it was right, so attempts sent in parallel cannot
// all pass the check before the first failure is written.
//
// A browser the account has signed in with (OWASP's "device cookie": a signed cookie naming the
// account, set at each successful login) is judged by its own counter alone, so nobody can lock an
// account's owner out by failing its password on purpose, from the school's shared address or from
// anywhere else: failures from other browsers hold only those browsers.

import { normalizeUsername } from "./directory-fields";

export const LOGIN_LIMITS = {
  /** Consecutive failures of one account from one address; then that pair waits. */
  pair: { maxFailures: 5, lockMinutes: 15 },
  /**
   * Failures from one address across all accounts in a day (password spraying). An account that
   * has signed in from that address before is not held by it: a school's shared NAT address full
   * of mistyped passwords must not lock its teachers out.
   */
  address: { maxFailures: 100, windowMinutes: 24 * 60 },
  /**
   * Failures of one account from any address: past `freeFailures` every further attempt waits,
   * the wait doubling from `firstDelaySeconds` up to `maxDelaySeconds`. The counter lives until
   * `windowMinutes` after the last failure, so a steady attack keeps the account at the longest wait.
   */
  account: { freeFailures: 5, windowMinutes: 15, firstDelaySeconds: 30, maxDelaySeconds: 15 * 60 },
  /**
   * Consecutive failures with one device cookie (a browser the account has signed in with); then
   * that cookie waits. It is judged by this counter only, and its failures count nowhere else.
   */
  device: { maxFailures: 5, lockMinutes: 15 },
  /** Refused attempts from one address are summarised in one audit row per this window. */
  refusalSummaryMinutes: 15,
} as const;

export type LoginLimits = typeof LOGIN_LIMITS;

export interface Counter {
  points: number;
  expiresAt: string;
  nextAllowedAt: string | null;
}

export type ThrottleScope = "pair" | "address" | "account" | "device";

export interface CounterKeys {
  pair: string;
  address: string;
  account: string;
  /** The device cookie's counter, when the attempt came with a valid one for this account. */
  device: string | null;
  refused: string;
}

/** Usernames compare without case, as the accounts table does. `device`: the id of a valid device cookie for this account. */
export function counterKeys(username: string, ip: string, device: string | null = null): CounterKeys {
  const name = normalizeUsername(username);
  return {
    pair: `pair:${name}\n${ip}`, address: `address:${ip}`, account: `account:${name}`, device: device ? `device:${device}` : null, refused: `refused:${ip}`,
  };
}

export interface AttemptState {
  pair?: Counter | null;
  address?: Counter | null;
  account?: Counter | null;
  /** The account has signed in from this address before. */
  knownPair: boolean;
  /** The attempt came with a valid device cookie for this account: its counter (none yet: null). */
  device?: Counter | null;
  trustedDevice?: boolean;
}

/** The counters an allowed attempt took a point from: the device's alone, or the other three. */
export type TakenCounters = { device: Counter } | { pair: Counter; address: Counter; account: Counter };

export type AttemptDecision =
  | { allowed: true; next: TakenCounters }
  | { allowed: false; scope: ThrottleScope; retryAfterSeconds: number; message: string };

const at = (now: Date, seconds: number) => new Date(now.getTime() + seconds * 1000).toISOString();
const secondsUntil = (iso: string, now: Date) => Math.max(1, Math.ceil((Date.parse(iso) - now.getTime()) / 1000));
const live = (c: Counter | null | undefined, now: Date) => (c && c.expiresAt > now.toISOString() ? c : null);

/** How long the account waits after its n-th failure past the free ones (n ≥ 1). */
export function accountDelaySeconds(failuresPastFree: number, limits: LoginLimits = LOGIN_LIMITS): number {
  if (failuresPastFree < 1) return 0;
  const { firstDelaySeconds, maxDelaySeconds } = limits.account;
  return Math.min(maxDelaySeconds, firstDelaySeconds * 2 ** Math.min(failuresPastFree - 1, 30));
}

/** "30 秒", "15 分钟", "3 小时": how long to wait, rounded up. */
export function formatWait(seconds: number): string {
  if (seconds < 60) return `${Math.max(1, Math.ceil(seconds))} 秒`;
  if (seconds < 3600) return `${Math.ceil(seconds / 60)} 分钟`;
  return `${Math.ceil(seconds / 3600)} 小时`;
}

/**
 * May this attempt be evaluated? When it may, `next` holds the counters with this attempt
 * counted as a failure (to be given back if the password turns out right).
 */
export function decideAttempt(state: AttemptState, now: Date, limits: LoginLimits = LOGIN_LIMITS): AttemptDecision {
  if (state.trustedDevice) {
    const device = live(state.device, now);
    if (device && device.points >= limits.device.maxFailures) {
      const wait = secondsUntil(device.expiresAt, now);
      return { allowed: false, scope: "device", retryAfterSeconds: wait, message: `该账号在本浏览器连续登录失败次数过多，请 ${formatWait(wait)}后再试。` };
    }
    return { allowed: true, next: { device: { points: (device?.points ?? 0) + 1, expiresAt: at(now, limits.device.lockMinutes * 60), nextAllowedAt: null } } };
  }
  const pair = live(state.pair, now);
  const address = live(state.address, now);
  const account = live(state.account, now);
  if (pair && pair.points >= limits.pair.maxFailures) {
    const wait = secondsUntil(pair.expiresAt, now);
    return { allowed: false, scope: "pair", retryAfterSeconds: wait, message: `该账号在本机连续登录失败次数过多，请 ${formatWait(wait)}后再试。` };
  }
  if (!state.knownPair && address && address.points >= limits.address.maxFailures) {
    const wait = secondsUntil(address.expiresAt, now);
    return { allowed: false, scope: "address", retryAfterSeconds: wait, message: `本机登录失败次数过多，请 ${formatWait(wait)}后再试。` };
  }
  if (account && account.nextAllowedAt && account.nextAllowedAt > now.toISOString()) {
    const wait = secondsUntil(account.nextAllowedAt, now);
    return {
      allowed: false, scope: "account", retryAfterSeconds: wait,
      message: `该账号近期登录失败次数较多，为保护账号，请 ${formatWait(wait)}后再试。`,
    };
  }
  const accountPoints = (account?.points ?? 0) + 1;
  const pastFree = accountPoints - limits.account.freeFailures + 1;
  return {
    allowed: true,
    next: {
      pair: { points: (pair?.points ?? 0) + 1, expiresAt: at(now, limits.pair.lockMinutes * 60), nextAllowedAt: null },
      address: {
        points: (address?.points ?? 0) + 1,
        expiresAt: address?.expiresAt ?? at(now, limits.address.windowMinutes * 60),
        nextAllowedAt: null,
      },
      account: {
        points: accountPoints,
        expiresAt: at(now, limits.account.windowMinutes * 60),
        nextAllowedAt: pastFree >= 1 ? at(now, accountDelaySeconds(pastFree, limits)) : null,
      },
    },
  };
}

/** The account counter after a right password gave its point back. */
export function refundAccount(counter: Counter, limits: LoginLimits = LOGIN_LIMITS): Counter {
  const points = Math.max(0, counter.points - 1);
  return { ...counter, points, nextAllowedAt: points < limits.account.freeFailures ? null : counter.nextAllowedAt };
}
