// What a password must be: long enough and not trivially guessable.

export const MIN_PASSWORD_LENGTH = 8;

/** Returns a Chinese message when the password is not acceptable, else null. */
export function passwordProblem(password: string, username = ""): string | null {
  if (password.length < MIN_PASSWORD_LENGTH) return `密码至少 ${MIN_PASSWORD_LENGTH} 位`;
  if (password.length > 128) return "密码不能超过 128 位";
  const classes = [/[a-z]/, /[A-Z]/, /\d/, /[^A-Za-z0-9]/].filter((r) => r.test(password)).length;
  if (classes < 2) return "密码需包含字母、数字、符号中的至少两类";
  if (username && password.toLowerCase().includes(username.toLowerCase())) return "密码不能包含用户名";
  return null;
}
