import { describe, expect, it } from "vitest";
import {
  accountDelaySeconds, counterKeys, decideAttempt, formatWait, LOGIN_LIMITS, refundAccount, type AttemptState, type Counter,
} from "~/domain/login-throttle";

const now = new Date("2026-11-20T02:00:00.000Z");
const later = (minutes: number) => new Date(now.getTime() + minutes * 60_000).toISOString();
const c = (points: number, expiresInMinutes = 10, nextAllowedInSeconds: number | null = null): Counter => ({
  points,
  expiresAt: later(expiresInMinutes),
  nextAllowedAt: nextAllowedInSeconds === null ? null : new Date(now.getTime() + nextAllowedInSeconds * 1000).toISOString(),
});
const { pair, address, account, device } = LOGIN_LIMITS;
/** The three counters of an attempt without a device cookie. */
const threeOf = (d: ReturnType<typeof decideAttempt>) => {
  if (!d.allowed || !("pair" in d.next)) throw new Error("refused, or judged by a device cookie");
  return d.next;
};

describe("decideAttempt", () => {
  const cases: Array<[string, AttemptState, boolean, string | null]> = [
    ["无任何失败", { knownPair: false }, true, null],
    ["本机本账号差一次到上限", { pair: c(pair.maxFailures - 1), knownPair: false }, true, null],
    ["本机本账号到上限", { pair: c(pair.maxFailures), knownPair: false }, false, "pair"],
    ["本机本账号到上限，但计数已过期", { pair: c(pair.maxFailures, -1), knownPair: false }, true, null],
    ["在本机登录过也挡不住本机本账号的连续失败", { pair: c(pair.maxFailures), knownPair: true }, false, "pair"],
    ["地址差一次到日上限", { address: c(address.maxFailures - 1), knownPair: false }, true, null],
    ["地址到日上限，从未在本机登录的账号", { address: c(address.maxFailures), knownPair: false }, false, "address"],
    ["地址到日上限，在本机登录过的账号照常", { address: c(address.maxFailures), knownPair: true }, true, null],
    ["繁忙的共享地址（20 次失败）不挡正确密码", { address: c(20), knownPair: false }, true, null],
    ["账号在减速等待中", { account: c(account.freeFailures, 10, 20), knownPair: true }, false, "account"],
    ["账号等待时间已过", { account: c(account.freeFailures, 10, -1), knownPair: false }, true, null],
    ["三者都超，先报本机本账号", { pair: c(99), address: c(999), account: c(99, 10, 60), knownPair: false }, false, "pair"],
    // A browser the account has signed in with (device cookie): judged by its own counter alone.
    ["登录过的浏览器不受别处造成的账号等待", { account: c(99, 10, 900), device: null, trustedDevice: true, knownPair: false }, true, null],
    ["登录过的浏览器不受本机本账号的锁定与地址上限", { pair: c(99), address: c(999), device: c(device.maxFailures - 1), trustedDevice: true, knownPair: false }, true, null],
    ["登录过的浏览器自己连续失败到上限", { device: c(device.maxFailures), trustedDevice: true, knownPair: false }, false, "device"],
    ["登录过的浏览器的计数已过期", { device: c(device.maxFailures, -1), trustedDevice: true, knownPair: false }, true, null],
    ["没有有效的浏览器凭证时照旧按账号等待", { account: c(99, 10, 900), device: c(0), trustedDevice: false, knownPair: true }, false, "account"],
  ];
  for (const [label, state, allowed, scope] of cases) {
    it(label, () => {
      const decision = decideAttempt(state, now);
      expect(decision.allowed).toBe(allowed);
      if (!decision.allowed) {
        expect(decision.scope).toBe(scope);
        expect(decision.message).toMatch(/请 \d+ (秒|分钟|小时)后再试/);
        expect(decision.retryAfterSeconds).toBeGreaterThan(0);
      }
    });
  }

  it("counts the attempt as a failure before it is evaluated", () => {
    const next = threeOf(decideAttempt({ pair: c(2), address: c(7, 600), account: c(1), knownPair: false }, now));
    expect(next.pair.points).toBe(3);
    expect(next.address).toMatchObject({ points: 8, expiresAt: later(600) }); // the day's window does not slide
    expect(next.account.points).toBe(2);
    expect(next.pair.expiresAt).toBe(later(pair.lockMinutes));
  });

  it("an attempt with a device cookie takes a point from the cookie's counter only", () => {
    const d = decideAttempt({ pair: c(2), address: c(7), account: c(1), device: c(3), trustedDevice: true, knownPair: false }, now);
    expect(d).toEqual({ allowed: true, next: { device: { points: 4, expiresAt: later(device.lockMinutes), nextAllowedAt: null } } });
  });

  it("starts the account's wait at its last free failure and doubles it", () => {
    let state = null as Counter | null;
    const waits: Array<number | null> = [];
    for (let i = 0; i < account.freeFailures + 3; i++) {
      const d = decideAttempt({ account: state ? { ...state, nextAllowedAt: null } : null, knownPair: false }, now);
      state = threeOf(d).account;
      waits.push(state.nextAllowedAt ? (Date.parse(state.nextAllowedAt) - now.getTime()) / 1000 : null);
    }
    expect(waits).toEqual([null, null, null, null, 30, 60, 120, 240]);
  });

  it("200 attempts judged one after another: at most the allowed number pass", () => {
    let state: AttemptState = { knownPair: false };
    let passed = 0;
    for (let i = 0; i < 200; i++) {
      const d = decideAttempt(state, now);
      if (d.allowed) {
        passed++;
        state = { ...threeOf(d), knownPair: false };
      }
    }
    expect(passed).toBe(Math.min(pair.maxFailures, account.freeFailures));
  });
});

describe("helpers", () => {
  it.each([
    [1, 30], [2, 60], [3, 120], [5, 480], [6, 900], [40, 900],
  ])("第 %i 次超出后等待 %i 秒", (n, seconds) => expect(accountDelaySeconds(n)).toBe(seconds));
  it.each([
    [1, "1 秒"], [59, "59 秒"], [60, "1 分钟"], [61, "2 分钟"], [900, "15 分钟"], [86_400, "24 小时"],
  ])("等待 %i 秒写作 %s", (seconds, text) => expect(formatWait(seconds)).toBe(text));
  it("keys ignore the username's case and surrounding spaces", () => {
    expect(counterKeys(" X01-Lead ", "10.0.0.1")).toEqual(counterKeys("x01-lead", "10.0.0.1"));
    expect(counterKeys("a", "1").pair).not.toBe(counterKeys("a", "2").pair);
    expect(counterKeys("a", "1").device).toBeNull();
    expect(counterKeys("a", "1", "d1").device).toBe("device:d1");
  });
  it("a success gives back one point and lifts the wait once under the free count", () => {
    expect(refundAccount(c(account.freeFailures, 10, 30))).toMatchObject({ points: account.freeFailures - 1, nextAllowedAt: null });
    expect(refundAccount(c(account.freeFailures + 2, 10, 30)).nextAllowedAt).not.toBeNull();
    expect(refundAccount(c(0)).points).toBe(0);
  });
});
