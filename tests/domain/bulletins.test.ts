import { describe, expect, it } from "vitest";
import {
  bulletinSentence,
  defaultBulletinName,
  distributionLines,
  fieldProblems,
  inclusionProblem,
  isEdited,
  printedLine,
  publishProblems,
  suggestedIssueNumber,
  textDiff,
  DIFF_MAX_EDITS,
  type BulletinFields,
  type BulletinItemCheck,
} from "~/domain/bulletins";
import { parseSettingInput, settingText, coerceSetting, DEFAULT_SETTINGS } from "~/domain/settings";

const FIELDS: BulletinFields = {
  number: 3, name: "临溪县教育信息", editorNote: "", editorUnit: "临溪县教育和体育局办公室", issueDate: "2026-11-03",
  reportTo: "市教育局", sendTo: "县委办、县政府办", issueTo: "各乡镇中心学校",
};
const ITEM: BulletinItemCheck = { itemId: 7, status: "adopted", title: "开学第一课", body: "正文。" };

describe("suggested issue number", () => {
  it.each<[number[], number]>([
    [[], 1],
    [[1], 2],
    [[1, 2, 3], 4],
    [[5, 2], 6],
    [[1, 9, 3], 10],
  ])("published %j → %i", (numbers, expected) => expect(suggestedIssueNumber(numbers)).toBe(expected));
});

describe("the bulletin's fields", () => {
  it.each<[string, Partial<BulletinFields>, number[], string[]]>([
    ["a complete bulletin", {}, [1, 2], []],
    ["number 0", { number: 0 }, [], ["number"]],
    ["a fractional number", { number: 2.5 }, [], ["number"]],
    ["a number already published", { number: 2 }, [1, 2], ["number"]],
    ["no name", { name: "  " }, [], ["name"]],
    ["a name too long", { name: "教".repeat(31) }, [], ["name"]],
    ["no 编印单位", { editorUnit: "" }, [], ["editor_unit"]],
    ["a date that does not exist", { issueDate: "2026-02-30" }, [], ["issue_date"]],
    ["a date in another format", { issueDate: "2026/11/03" }, [], ["issue_date"]],
    ["an 编者按 too long", { editorNote: "按".repeat(1001) }, [], ["editor_note"]],
    ["a 送 line too long", { sendTo: "送".repeat(201) }, [], ["send_to"]],
  ])("%s", (_name, change, taken, fields) => {
    expect(fieldProblems({ ...FIELDS, ...change }, taken).map((p) => p.field)).toEqual(fields);
  });
  it("names the taken number in Chinese", () => {
    expect(fieldProblems({ ...FIELDS, number: 2 }, [2])[0].message).toBe("第2期已签发，请换一个期号");
  });
});

describe("adding an item", () => {
  it.each<[string, BulletinItemCheck["status"], number[], string | null]>([
    ["an adopted item", "adopted", [], null],
    ["a submitted item", "submitted", [], "只有已采用的稿件才能编入简报"],
    ["a rejected item", "rejected", [], "只有已采用的稿件才能编入简报"],
    ["a withdrawn item", "withdrawn", [], "只有已采用的稿件才能编入简报"],
    ["an item already in", "adopted", [7], "该稿件已在本期简报中"],
    ["a full bulletin", "adopted", Array.from({ length: 30 }, (_, i) => 100 + i), "一期简报至多收录 30 条信息"],
  ])("%s", (_name, status, included, expected) => expect(inclusionProblem({ itemId: 7, status }, included)).toBe(expected));
});

describe("what stops 签发", () => {
  it.each<[string, BulletinItemCheck[], string[]]>([
    ["one adopted item", [ITEM], []],
    ["no item", [], ["简报至少要收录 1 条信息"]],
    ["an item no longer adopted", [{ ...ITEM, status: "withdrawn" }], ["《开学第一课》已不是“已采用”状态，请移出后再签发"]],
    ["the same item twice", [ITEM, ITEM], ["稿件 7 重复收录"]],
    ["an empty bulletin title", [{ ...ITEM, title: " " }], ["请填写简报标题"]],
    ["an empty bulletin body", [{ ...ITEM, body: "" }], ["请填写简报正文"]],
  ])("%s", (_name, items, messages) => {
    expect(publishProblems(FIELDS, items, []).map((p) => p.message)).toEqual(messages);
  });
});

describe("the diff against the school's original", () => {
  it.each<[string, string, string, Array<[string, string]>]>([
    ["unchanged", "城关镇中心学校开学", "城关镇中心学校开学", [["same", "城关镇中心学校开学"]]],
    ["a word added", "学校开学", "学校隆重开学", [["same", "学校"], ["ins", "隆重"], ["same", "开学"]]],
    ["a word removed", "学校隆重开学", "学校开学", [["same", "学校"], ["del", "隆重"], ["same", "开学"]]],
    ["a word replaced", "举行了活动", "举办了活动", [["same", "举"], ["del", "行"], ["ins", "办"], ["same", "了活动"]]],
  ])("%s", (_name, original, edited, parts) => {
    expect(textDiff(original, edited).map((p) => [p.kind, p.text])).toEqual(parts);
  });
  it("the parts rebuild both texts", () => {
    const parts = textDiff("各校开展防溺水教育。", "全县各校集中开展防溺水安全教育。");
    expect(parts.filter((p) => p.kind !== "ins").map((p) => p.text).join("")).toBe("各校开展防溺水教育。");
    expect(parts.filter((p) => p.kind !== "del").map((p) => p.text).join("")).toBe("全县各校集中开展防溺水安全教育。");
  });
  // A reviewer who rewrites an item opens the editor on a diff of the whole body: unbounded, 10,000
  // characters against 10,000 others took 30 seconds of the server's one thread (per item, up to 30).
  const rebuilt = (parts: Array<{ kind: string; text: string }>) => [
    parts.filter((p) => p.kind !== "ins").map((p) => p.text).join(""),
    parts.filter((p) => p.kind !== "del").map((p) => p.text).join(""),
  ];
  /** `n` characters drawn from 2,000 common ones, the same for the same seed. */
  const hanzi = (n: number, seed: number) => {
    let x = seed;
    return Array.from({ length: n }, () => String.fromCharCode(0x4e00 + ((x = (x * 1103515245 + 12345) % 2147483648) % 2000))).join("");
  };
  it("a body rewritten from end to end is shown deleted and inserted whole, at once", () => {
    const original = `甲${hanzi(10_000, 1)}乙`;
    const edited = `丙${hanzi(10_000, 2)}丁`;
    const started = performance.now();
    const parts = textDiff(original, edited);
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(parts).toEqual([{ kind: "del", text: original }, { kind: "ins", text: edited }]);
  });
  it("what the two texts share at either end stays unmarked when the middle is rewritten", () => {
    const [head, tail] = ["各校开展防溺水教育。\n\n", "\n\n（县教体局办公室供稿）"];
    const [a, b] = [hanzi(3_000, 3), hanzi(3_000, 4)];
    expect(textDiff(head + a + tail, head + b + tail)).toEqual([
      { kind: "same", text: head }, { kind: "del", text: a }, { kind: "ins", text: b }, { kind: "same", text: tail },
    ]);
  });
  it(`edits of up to ${DIFF_MAX_EDITS} characters in all are still found character by character`, () => {
    const original = hanzi(10_000, 5);
    const chars = [...original];
    for (let k = 1; k <= 8; k++) for (let j = 0; j < 15; j++) chars[k * 1100 + j] = "新";
    const edited = chars.join("");
    const parts = textDiff(original, edited);
    expect(rebuilt(parts)).toEqual([original, edited]);
    expect(parts.filter((p) => p.kind === "ins").map((p) => p.text)).toEqual(Array(8).fill("新".repeat(15)));
  });
  it("never cuts a character outside the Basic Multilingual Plane in two", () => {
    expect(textDiff("好😀", "好😃")).toEqual([{ kind: "same", text: "好" }, { kind: "del", text: "😀" }, { kind: "ins", text: "😃" }]);
    expect(textDiff("😀好", "😃好")).toEqual([{ kind: "del", text: "😀" }, { kind: "ins", text: "😃" }, { kind: "same", text: "好" }]);
    expect(textDiff("𠀀a", "𠀁a").every((p) => !/^[\udc00-\udfff]|[\ud800-\udbff]$/.test(p.text))).toBe(true);
  });
  it.each([
    [{ title: "a", body: "b", originalTitle: "a", originalBody: "b" }, false],
    [{ title: "a2", body: "b", originalTitle: "a", originalBody: "b" }, true],
    [{ title: "a", body: "b2", originalTitle: "a", originalBody: "b" }, true],
  ])("edited %#", (texts, expected) => expect(isEdited(texts)).toBe(expected));
});

describe("printed lines", () => {
  it.each<[{ reportTo: string; sendTo: string; issueTo: string }, string[]]>([
    [{ reportTo: "市教育局", sendTo: "县委办", issueTo: "各学校" }, ["报：市教育局", "送：县委办", "发：各学校"]],
    [{ reportTo: "市教育局", sendTo: " ", issueTo: "各学校" }, ["报：市教育局", "发：各学校"]],
    [{ reportTo: "", sendTo: "", issueTo: "" }, []],
  ])("distribution %#", (d, lines) => expect(distributionLines(d)).toEqual(lines));
  it("the 印发 line", () => expect(printedLine("临溪县教育和体育局办公室", "2026-11-03")).toBe("临溪县教育和体育局办公室　　2026年11月3日印发"));
  it("the default name", () => expect(defaultBulletinName("临溪县")).toBe("临溪县教育信息"));
});

describe("the monthly notice's sentence", () => {
  it.each<[Parameters<typeof bulletinSentence>[0], number | undefined, string]>([
    [[], undefined, ""],
    [[{ name: "临溪县教育信息", number: 9, units: 5, items: 6 }], undefined, "本月编发《临溪县教育信息》第9期，收录 5 个单位 6 条信息。"],
    [
      [{ name: "临溪县教育信息", number: 10, units: 3, items: 4 }, { name: "临溪县教育信息", number: 9, units: 5, items: 6 }],
      7,
      "本月编发《临溪县教育信息》第9期、第10期，共收录 7 个单位 10 条信息。",
    ],
  ])("%#", (bulletins, units, sentence) => expect(bulletinSentence(bulletins, units)).toBe(sentence));
});

describe("the bulletin tier setting", () => {
  it("defaults to county", () => expect(DEFAULT_SETTINGS.bulletinTier).toBe("county"));
  it.each([
    ["city", { ok: true, value: "city" }],
    ["province", { ok: true, value: "province" }],
    ["town", { ok: false, message: "请从列表中选择简报上稿级别" }],
    ["", { ok: false, message: "请从列表中选择简报上稿级别" }],
  ])("%s", (raw, expected) => expect(parseSettingInput("bulletinTier", raw)).toEqual(expected));
  it("reads as its Chinese name, and a stored unknown code falls back", () => {
    expect(settingText("bulletinTier", "city")).toBe("市级");
    expect(coerceSetting("bulletinTier", "galaxy")).toBe("county");
  });
});

describe("the tier setting's choices", () => {
  it("are the catalogue's tiers", async () => {
    const { TIERS } = await import("~/domain/catalog");
    const { settingDef } = await import("~/domain/settings");
    const def = settingDef("bulletinTier");
    expect(def.type === "choice" ? def.options : null).toEqual(TIERS);
  });
});
