import { describe, expect, it } from "vitest";
import { safeRedirectPath } from "~/domain/redirect";

// Each attack string falls back to "/".
const attacks: Array<[string, unknown]> = [
  ["制表符藏起第二个斜杠（已解码）", "/\t/evil.example/phish"],
  ["制表符（编码）", "/%09/evil.example/phish"],
  ["换行", "/\n/evil.example"],
  ["回车", "/\r/evil.example"],
  ["空格", "/ /evil.example"],
  ["全角空格", "/\u3000/evil.example"],
  ["不换行空格", "/\u00a0/evil.example"],
  ["零宽空格", "/\u200b/evil.example"],
  ["双斜杠", "//evil.example/phish"],
  ["三斜杠", "///evil.example"],
  ["反斜杠", "/\\evil.example"],
  ["双反斜杠", "\\\\evil.example"],
  ["反斜杠在后面", "/a\\..\\..\\\\evil.example"],
  ["编码的斜杠", "/%2F%2Fevil.example"],
  ["编码的斜杠（小写）", "/%2f/evil.example"],
  ["编码的反斜杠", "/%5Cevil.example"],
  ["两次编码", "/%252F%252Fevil.example"],
  ["两次编码的制表符", "/%2509/evil.example"],
  ["坏的百分号编码", "/%E0%A4%A"],
  ["绝对地址", "https://evil.example/"],
  ["协议相对", "//evil.example"],
  ["javascript:", "javascript:alert(1)"],
  ["data:", "data:text/html,<script>alert(1)</script>"],
  ["不以斜杠开头", "evil.example"],
  ["用户信息", "/@evil.example"],
  ["空串", ""],
  ["不是字符串", 42],
  ["null", null],
  ["过长", `/${"a".repeat(2000)}`],
  ["登录页", "/login?redirectTo=/x"],
  ["退出", "/logout"],
  ["退出（大写）", "/LOGOUT"],
  ["控制字符 DEL", "/\u007f/evil.example"],
  ["NUL", "/\u0000/evil.example"],
];

describe("attacks fall back to /", () => {
  for (const [label, target] of attacks) {
    it(label, () => {
      const result = safeRedirectPath(target);
      // "/@evil.example" is a path on this site, which is harmless; everything else falls back.
      if (label === "用户信息") expect(result).toBe("/@evil.example");
      else expect(result).toBe("/");
    });
  }
});

describe("same-origin paths survive", () => {
  const cases: Array<[string, string, string]> = [
    ["根", "/", "/"],
    ["带查询", "/review?page=2", "/review?page=2"],
    ["带片段", "/items/3#photos", "/items/3#photos"],
    ["中文路径", "/稿件", "/%E7%A8%BF%E4%BB%B6"],
    ["中文查询", "/items?q=城关镇", "/items?q=%E5%9F%8E%E5%85%B3%E9%95%87"],
    ["查询里的双斜杠", "/items?back=//x", "/items?back=//x"],
    ["点段被规整", "/a/../rankings", "/rankings"],
    ["逃不出根", "/../../rankings", "/rankings"],
    ["login 开头的其他页面", "/loginfo", "/loginfo"],
  ];
  for (const [label, target, expected] of cases) {
    it(label, () => expect(safeRedirectPath(target)).toBe(expected));
  }
});

it("never throws and always answers ASCII starting with one slash", () => {
  const samples = ["/\ud800", "/%", "/%%", "/\u{1F600}", "/a?%zz", "/#\u0000", "/\u2028", "/\ufeff"];
  for (let i = 0; i < 500; i++) {
    samples.push(`/${Array.from({ length: 12 }, () => String.fromCharCode(Math.floor(Math.random() * 0x3100))).join("")}`);
  }
  for (const s of samples) {
    const result = safeRedirectPath(s);
    expect(result).toMatch(/^\/(?![/\\])[\x21-\x7e]*$|^\/$/);
  }
});

it("uses the fallback given", () => {
  expect(safeRedirectPath("//evil.example", "/reminders")).toBe("/reminders");
});
