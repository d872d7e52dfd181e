// How many failed logins are tolerated before the account or the address must wait.

export const THROTTLE = {
  windowMinutes: 15,
  maxFailuresPerAccount: 5,
  maxFailuresPerAddress: 20,
} as const;

export interface ThrottleInput {
  accountFailures: number;
  addressFailures: number;
}

export type ThrottleDecision = { allowed: true } | { allowed: false; scope: "account" | "address"; message: string };

export function loginThrottle(input: ThrottleInput, limits = THROTTLE): ThrottleDecision {
  if (input.accountFailures >= limits.maxFailuresPerAccount) {
    return {
      allowed: false,
      scope: "account",
      message: `该账号连续登录失败次数过多，请 ${limits.windowMinutes} 分钟后再试。`,
    };
  }
  if (input.addressFailures >= limits.maxFailuresPerAddress) {
    return {
      allowed: false,
      scope: "address",
      message: `本机登录失败次数过多，请 ${limits.windowMinutes} 分钟后再试。`,
    };
  }
  return { allowed: true };
}
