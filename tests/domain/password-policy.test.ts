import { expect, it } from "vitest";
import { passwordProblem } from "~/domain/password-policy";

const cases: Array<[string, string, string, RegExp | null]> = [
  ["太短", "Ab1", "", /至少 8 位/],
  ["只有字母", "abcdefgh", "", /至少两类/],
  ["只有数字", "12345678", "", /至少两类/],
  ["字母加数字", "abcd1234", "", null],
  ["包含用户名", "x01-lead2026", "x01-lead", /用户名/],
  ["过长", "a1".repeat(65), "", /128/],
];
for (const [label, password, username, expected] of cases) {
  it(label, () => {
    const problem = passwordProblem(password, username);
    if (expected) expect(problem).toMatch(expected);
    else expect(problem).toBeNull();
  });
}
