// What a new password must be (NIST SP 800-63B / OWASP): long enough, not the username, and not
// one of the passwords attackers try first. Applied whenever a password is set or changed;
// existing passwords keep working until then.
import { COMMON_PASSWORDS_TEXT } from "~/domain/common-passwords";

export const MIN_PASSWORD_LENGTH = 10;
export const MAX_PASSWORD_LENGTH = 128;

let common: Set<string> | undefined;

/** Is this one of the 10,000 most common passwords (compared without case)? */
export function isCommonPassword(password: string): boolean {
  // Built on first use: the list stays out of any module that never checks a password.
  common ??= new Set(COMMON_PASSWORDS_TEXT.toLowerCase().split("\n"));
  return common.has(password.toLowerCase());
}

/** Returns a Chinese message when the password is not acceptable, else null. */
export function passwordProblem(password: string, username = ""): string | null {
  if (password.length < MIN_PASSWORD_LENGTH) return `密码至少 ${MIN_PASSWORD_LENGTH} 位`;
  if (password.length > MAX_PASSWORD_LENGTH) return `密码不能超过 ${MAX_PASSWORD_LENGTH} 位`;
  const classes = [/[a-z]/, /[A-Z]/, /\d/, /[^A-Za-z0-9]/].filter((r) => r.test(password)).length;
  if (classes < 2) return "密码需包含字母、数字、符号中的至少两类";
  const name = username.trim().toLowerCase();
  if (name && password.toLowerCase().includes(name)) return "密码不能包含用户名";
  if (isCommonPassword(password)) return "这是最常见的密码之一，很容易被猜中，请换一个";
  return null;
}

/** The hint shown beside a new-password field. */
export const PASSWORD_HINT = `至少 ${MIN_PASSWORD_LENGTH} 位，包含字母、数字、符号中的至少两类，不能包含用户名，不能是常见密码。`;
