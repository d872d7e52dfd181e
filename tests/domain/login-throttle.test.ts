import { expect, it } from "vitest";
import { loginThrottle, THROTTLE } from "~/domain/login-throttle";

const cases: Array<[string, number, number, boolean, string | null]> = [
  ["无失败", 0, 0, true, null],
  ["账号差一次到上限", THROTTLE.maxFailuresPerAccount - 1, 0, true, null],
  ["账号到上限", THROTTLE.maxFailuresPerAccount, 0, false, "account"],
  ["地址差一次到上限", 0, THROTTLE.maxFailuresPerAddress - 1, true, null],
  ["地址到上限", 0, THROTTLE.maxFailuresPerAddress, false, "address"],
  ["两者都超，先报账号", 99, 99, false, "account"],
];

for (const [label, accountFailures, addressFailures, allowed, scope] of cases) {
  it(label, () => {
    const decision = loginThrottle({ accountFailures, addressFailures });
    expect(decision.allowed).toBe(allowed);
    if (!decision.allowed) {
      expect(decision.scope).toBe(scope);
      expect(decision.message).toMatch(/分钟后再试/);
    }
  });
}
