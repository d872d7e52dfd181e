import { expect, it } from "vitest";
import { COMMON_PASSWORDS_TEXT } from "~/domain/common-passwords";
import { isCommonPassword, passwordProblem } from "~/domain/password-policy";

const cases: Array<[string, string, string, RegExp | null]> = [
  ["太短", "Ab1", "", /至少 10 位/],
  ["九位也太短（演示密码的长度）", "Demo@2026", "", /至少 10 位/],
  ["Password 太短", "Password", "", /至少 10 位/],
  ["只有字母", "abcdefghijk", "", /至少两类/],
  ["只有数字", "1234567890", "", /至少两类/],
  ["字母加数字", "abcd1234xyz", "", null],
  ["包含用户名", "x01-lead2026", "x01-lead", /用户名/],
  ["包含用户名（大小写不同）", "X01-LEAD2026!", "x01-lead", /用户名/],
  ["常见密码", "password123", "", /常见/],
  ["常见密码（大小写不同）", "PassWord123", "", /常见/],
  ["常见密码 1qaz2wsx3edc", "1qaz2wsx3edc", "", /常见/],
  ["常见密码 q1w2e3r4t5", "q1w2e3r4t5", "", /常见/],
  ["常见密码 qwerty12345", "qwerty12345", "", /常见/],
  ["足够长的口令", "Chengguan#Lead26", "x01-lead", null],
  ["十位刚好", "Aa1-Aa1-Aa", "", null],
  ["过长", "a1".repeat(65), "", /128/],
];
for (const [label, password, username, expected] of cases) {
  it(label, () => {
    const problem = passwordProblem(password, username);
    if (expected) expect(problem).toMatch(expected);
    else expect(problem).toBeNull();
  });
}

it("ships the well-known list of 10,000 common passwords", () => {
  const list = COMMON_PASSWORDS_TEXT.split("\n");
  expect(list).toHaveLength(10_000);
  expect(list.slice(0, 3)).toEqual(["123456", "password", "12345678"]);
  expect(isCommonPassword("Password")).toBe(true);
  expect(isCommonPassword("Chengguan#Lead26")).toBe(false);
});
