import { describe, expect, it } from "vitest";
import {
  BULK_MAX,
  DEFAULT_QUEUE_FILTERS,
  fromSuffix,
  parseBulkPicks,
  queueFromParam,
  isHttpUrl,
  parseQueueFilters,
  pickupSchema,
  queueSearch,
  recordBeforeEvent,
  waitedLabel,
  type QueueFilters,
} from "~/domain/review";
import { pickUnit } from "~/domain/unit-pick";

const choices = { unitOf: (value: string | null) => pickUnit([{ id: 1, name: "甲" }, { id: 2, name: "乙" }], value ?? undefined).unit?.id ?? null, kinds: new Set(["township_central", "kindergarten"]), categoryIds: new Set([7]) };
const parse = (query: string) => parseQueueFilters(new URLSearchParams(query), choices);

describe("parseQueueFilters", () => {
  const cases: Array<[string, string, Partial<QueueFilters>]> = [
    ["空查询：待审核，等待最久的在前", "", {}],
    ["按状态", "status=returned", { status: "returned" }],
    ["未知状态忽略", "status=deleted", {}],
    ["已知单位", "unit=2", { unit: 2 }],
    ["不存在的单位忽略", "unit=3", {}],
    ["非整数单位忽略", "unit=1.0", {}],
    ["科学计数法忽略", "unit=1e0", {}],
    ["已知类别", "kind=kindergarten", { kind: "kindergarten" }],
    ["未知类别忽略", "kind=university", {}],
    ["栏目", "category=7", { category: 7 }],
    ["月份", "month=2026-11", { month: "2026-11" }],
    ["不存在的月份忽略", "month=2026-13", {}],
    ["排序无方向取默认方向", "sort=unit", { sort: "unit", dir: "asc" }],
    ["排序与方向", "sort=title&dir=desc", { sort: "title", dir: "desc" }],
    ["未知排序忽略", "sort=rank&dir=asc", { dir: "asc" }],
    ["方向大小写不认", "dir=DESC", {}],
    ["页码", "page=3", { page: 3 }],
    ["负页码忽略", "page=-2", {}],
    ["零页码忽略", "page=0", {}],
    ["关键词：默认按相关程度", "q=读书节", { q: "读书节", sort: "relevance", dir: "desc" }],
    ["关键词去掉首尾空白", "q=%20读书节%20", { q: "读书节", sort: "relevance", dir: "desc" }],
    ["关键词加指定排序", "q=读书节&sort=unit", { q: "读书节", sort: "unit", dir: "asc" }],
    ["没有关键词不按相关程度", "sort=relevance&dir=asc", { dir: "asc" }],
    ["空关键词不算", "q=%20%20", {}],
    ["筛选栏的默认排序（空值）：有关键词按相关程度", "q=读书节&sort=&dir=", { q: "读书节", sort: "relevance", dir: "desc" }],
    ["筛选栏的默认排序（空值）：无关键词按等待时间", "sort=&dir=", {}],
  ];
  it.each(cases)("%s", (_label, query, expected) => {
    expect(parse(query)).toEqual({ ...DEFAULT_QUEUE_FILTERS, ...expected });
  });
});

describe("queueSearch", () => {
  it("leaves defaults out and round-trips through the parser", () => {
    expect(queueSearch(DEFAULT_QUEUE_FILTERS)).toBe("?");
    const f: QueueFilters = { status: "all", unit: 2, kind: "kindergarten", category: 7, month: "2026-11", sort: "title", dir: "desc", page: 2 };
    const search = queueSearch(f);
    expect(search).toBe("?status=all&unit=2&kind=kindergarten&category=7&month=2026-11&sort=title&dir=desc&page=2");
    expect(parse(search.slice(1))).toEqual(f);
    expect(queueSearch(f, { page: 1, sort: "waiting", dir: "desc" })).toBe("?status=all&unit=2&kind=kindergarten&category=7&month=2026-11");
  });

  it("keeps the keyword, whose default order is relevance", () => {
    const f: QueueFilters = { ...DEFAULT_QUEUE_FILTERS, q: "读书 节", sort: "relevance", dir: "desc" };
    expect(queueSearch(f)).toBe("?q=%E8%AF%BB%E4%B9%A6+%E8%8A%82");
    expect(parse(queueSearch(f).slice(1))).toEqual(f);
    expect(queueSearch(f, { sort: "title", dir: "asc", page: 2 })).toBe("?q=%E8%AF%BB%E4%B9%A6+%E8%8A%82&sort=title&dir=asc&page=2");
  });
});

describe("waitedLabel", () => {
  const now = "2026-11-21T12:00:00.000Z";
  const cases: Array<[string, string]> = [
    ["2026-11-21T11:30:00.000Z", "不足 1 小时"],
    ["2026-11-21T11:00:00.000Z", "1 小时"],
    ["2026-11-19T12:30:00.000Z", "47 小时"],
    ["2026-11-19T12:00:00.000Z", "2 天"],
    ["2026-11-11T00:00:00.000Z", "10 天"],
    ["2026-11-22T00:00:00.000Z", "不足 1 小时"],
  ];
  it.each(cases)("since %s → %s", (since, label) => expect(waitedLabel(since, now)).toBe(label));
});

describe("isHttpUrl", () => {
  const cases: Array<[string, boolean]> = [
    ["https://www.example.gov.cn/a/1.html", true],
    ["http://example.com", true],
    ["HTTPS://EXAMPLE.COM/x", true],
    ["javascript:alert(1)", false],
    ["ftp://example.com/f", false],
    ["//example.com", false],
    ["https://", false],
    ["www.example.com", false],
  ];
  it.each(cases)("%s → %s", (url, ok) => expect(isHttpUrl(url)).toBe(ok));
});

describe("recordBeforeEvent", () => {
  const cases: Array<[string, Parameters<typeof recordBeforeEvent>[0], string | null, { field: string; message: string } | null]> = [
    ["上稿在事件之前", { kind: "pickup", input: { picked_on: "2026-03-04" } }, "2026-03-05", { field: "picked_on", message: "刊发日期不能早于稿件的事件日期（2026-03-05），请核对" }],
    ["上稿在事件当天", { kind: "pickup", input: { picked_on: "2026-03-05" } }, "2026-03-05", null],
    ["批示在事件之前", { kind: "instruction", input: { instructed_on: "2019-12-31" } }, "2026-01-01", { field: "instructed_on", message: "批示日期不能早于稿件的事件日期（2026-01-01），请核对" }],
    ["批示在事件之后", { kind: "instruction", input: { instructed_on: "2026-01-02" } }, "2026-01-01", null],
    ["稿件没有事件日期", { kind: "pickup", input: { picked_on: "2019-01-01" } }, null, null],
  ];
  it.each(cases)("%s", (_label, record, eventDate, expected) => {
    const refused = recordBeforeEvent(record, eventDate);
    expect(refused && { status: refused.status, fieldErrors: refused.fieldErrors }).toEqual(expected && { status: 400, fieldErrors: { [expected.field]: expected.message } });
  });
});

describe("pickupSchema", () => {
  const schema = pickupSchema("2026-11-21");
  const base = { outlet: "市教育局网站", tier: "city", picked_on: "2026-11-21", url: "" };
  it("accepts today and an empty link", () => {
    expect(schema.safeParse(base)).toMatchObject({ success: true, data: { ...base } });
  });
  it.each([
    ["明天", "2026-11-22", "刊发日期不能晚于今天"],
    ["不存在的日期", "2026-02-29", "刊发日期格式不正确，应为 年-月-日"],
    ["格式不对", "2026/11/01", "刊发日期格式不正确，应为 年-月-日"],
  ])("refuses %s", (_label, picked_on, message) => {
    const result = schema.safeParse({ ...base, picked_on });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.message)).toEqual([message]);
  });
});

describe("parseBulkPicks", () => {
  const TABLE: Array<[string, string[], Array<{ id: number; version: number }> | string]> = [
    ["one tick", ["12:3"], [{ id: 12, version: 3 }]],
    ["several, in order", ["12:3", "7:1"], [{ id: 12, version: 3 }, { id: 7, version: 1 }]],
    ["the same row twice counts once", ["12:3", "12:4"], [{ id: 12, version: 3 }]],
    ["nothing ticked", [], "请先勾选要处理的稿件。"],
    ["no version", ["12"], "所选稿件的信息有误，请刷新页面后重试。"],
    ["id zero", ["0:1"], "所选稿件的信息有误，请刷新页面后重试。"],
    ["not numbers", ["a:b"], "所选稿件的信息有误，请刷新页面后重试。"],
    ["extra text", ["12:3;drop"], "所选稿件的信息有误，请刷新页面后重试。"],
    ["too many", Array.from({ length: BULK_MAX + 1 }, (_, i) => `${i + 1}:1`), `一次最多处理 ${BULK_MAX} 篇稿件。`],
  ];
  it.each(TABLE)("%s", (_label, values, expected) => {
    const result = parseBulkPicks(values);
    if (typeof expected === "string") expect(result).toMatchObject({ ok: false, status: 400, message: expected, fieldErrors: { ids: expected } });
    else expect(result).toEqual({ ok: true, picks: expected });
  });
});

describe("queueFromParam / fromSuffix", () => {
  const TABLE: Array<[string, string | null, string | null]> = [
    ["no view", null, null],
    ["the default view", "?", ""],
    ["a month", "?month=2026-11", "?from=%3Fmonth%3D2026-11"],
    ["the page is not carried", "?month=2026-11&page=3", "?from=%3Fmonth%3D2026-11"],
    ["a bad month is dropped", "?month=2026-13", ""],
    ["an address elsewhere", "https://evil.example/?month=2026-11", null],
    ["a path", "/admin?month=2026-11", null],
    ["too long", `?month=2026-11&x=${"a".repeat(600)}`, null],
  ];
  it.each(TABLE)("%s", (_label, from, suffix) => {
    const filters = queueFromParam(from);
    if (suffix === null) expect(filters).toBeNull();
    else expect(fromSuffix(filters)).toBe(suffix);
  });
});
