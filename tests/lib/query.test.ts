import { describe, expect, it } from "vitest";
import { pageHref, pageParam, param, readQuery } from "~/lib/query";

const read = (search: string) =>
  readQuery(new URLSearchParams(search), {
    q: param.text(5),
    status: param.oneOf(["active", "inactive"] as const, ""),
    sort: param.oneOf(["name", "time"] as const, "time"),
    unit: param.id([3, 7]),
    category: param.id(),
    month: param.month(["2026-10", "2026-11"]),
    page: param.page(),
  });

describe("readQuery", () => {
  it.each([
    ["", { q: "", status: "", sort: "time", page: 1 }],
    ["q=%20%E5%AD%A6%E6%A0%A1%E6%96%B0%E9%97%BB%E7%A8%BF%20&status=active&sort=name&unit=7&category=12&month=2026-11&page=3",
      { q: "学校新闻稿", status: "active", sort: "name", unit: 7, category: 12, month: "2026-11", page: 3 }],
    ["q=abcdefgh", { q: "abcde" }],
    ["status=deleted&sort=", { status: "", sort: "time" }],
    ["unit=5", { unit: undefined }],
    ["unit=07&category=-1", { unit: undefined, category: undefined }],
    ["category=1.5", { category: undefined }],
    ["category=99999999999999999999", { category: undefined }],
    ["month=2026-13", { month: undefined }],
    ["month=2026-09", { month: undefined }],
    ["page=0", { page: 1 }],
    ["page=2.5", { page: 1 }],
    ["page=100001", { page: 1 }],
    ["page=100000", { page: 100000 }],
    ["unknown=1&q=<script>", { q: "<scri" }],
  ])("%s", (search, expected) => {
    expect(read(search)).toMatchObject(expected);
  });

  it("reads the last parameter of a name once, never throws on repeated names", () => {
    expect(read("status=active&status=inactive").status).toBe("active");
  });
});

describe("param.date", () => {
  const readDate = (search: string) => readQuery(new URLSearchParams(search), { from: param.date() }).from;
  it.each([
    ["", undefined],
    ["from=2026-11-21", "2026-11-21"],
    ["from=2024-02-29", "2024-02-29"],
    ["from=2026-02-29", undefined],
    ["from=2026-02-30", undefined],
    ["from=2026-13-01", undefined],
    ["from=2026-00-10", undefined],
    ["from=2026-1-5", undefined],
    ["from=2026-11-21T00:00", undefined],
    ["from=%202026-11-21", undefined],
    ["from=yesterday", undefined],
  ])("%s → %s", (search, expected) => {
    expect(readDate(search)).toBe(expected);
  });
});

describe("pages", () => {
  it.each([
    ["", 1],
    ["page=4", 4],
    ["page=abc", 1],
  ])("pageParam(%s) = %d", (search, page) => {
    expect(pageParam(new URLSearchParams(search))).toBe(page);
  });

  it.each([
    ["status=active", 1, "?status=active"],
    ["status=active&page=3", 2, "?status=active&page=2"],
    ["page=3", 1, "?"],
  ])("pageHref(%s, %d) = %s", (search, page, href) => {
    expect(pageHref(new URLSearchParams(search), page)).toBe(href);
  });
});
