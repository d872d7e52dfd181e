import { describe, expect, it } from "vitest";
import { bodyProblem, captionProblem, itemFormSchema, normalizeCaption, titleProblem } from "~/domain/item-form";
import { isBlank } from "~/domain/fields";

const today = "2026-12-07";
const form = (over: Record<string, unknown>) =>
  itemFormSchema(today).safeParse({
    title: "城关镇中心学校开展学习活动", body: "全体教师参加了学习。", category_id: "1", channel_id: "1", event_date: today,
    bylines: ["5"], intent: "save", captions: {}, photo_captions: {}, remove_photo: [], ...over,
  });
const messagesOf = (result: ReturnType<typeof form>) =>
  Object.fromEntries((result.error?.issues ?? []).map((i) => [i.path.join("."), i.message]));

// [case, text that shows nothing on a page]
const NOTHING_TO_SEE: Array<[string, string]> = [
  ["空字符串", ""],
  ["只有空格与全角空格", "  \u3000 "],
  ["零宽空格 U+200B", "\u200b"],
  ["零宽不连字 U+200C", "\u200c"],
  ["零宽连字 U+200D", "\u200d"],
  ["词连接符 U+2060", "\u2060"],
  ["字节顺序标记 U+FEFF", "\ufeff"],
  ["软连字符 U+00AD", "\u00ad"],
  ["从右到左标记 U+200F", "\u200f"],
  ["从右到左覆盖 U+202E", "\u202e"],
  ["谚文填充符 U+3164", "\u3164"],
  ["变体选择符 U+FE0F", "\ufe0f"],
  ["零宽字符夹杂空格与换行", " \u200b\u3000\u200d\n\u2060\ufeff "],
];

// [case, text a reader sees]
const SOMETHING_TO_SEE: Array<[string, string]> = [
  ["一个汉字", "学"],
  ["零宽空格包着汉字", "\u200b学\u200b"],
  ["一个标点", "。"],
  ["带变体选择符的表情", "\u2764\ufe0f"],
];

describe("isBlank: nothing a reader would see", () => {
  it.each(NOTHING_TO_SEE)("%s: blank", (_label, text) => expect(isBlank(text)).toBe(true));
  it.each(SOMETHING_TO_SEE)("%s: not blank", (_label, text) => expect(isBlank(text)).toBe(false));
});

describe("a title, body or caption made only of invisible characters", () => {
  it.each(NOTHING_TO_SEE)("%s: the title and body are refused as empty, the caption is stored empty", (_label, text) => {
    expect(titleProblem(text)).toBe("请填写标题");
    expect(bodyProblem(text)).toBe("请填写正文");
    expect(messagesOf(form({ title: text }))).toEqual({ title: "请填写标题" });
    expect(messagesOf(form({ body: text }))).toEqual({ body: "请填写正文" });
    expect(normalizeCaption(text)).toBe("");
    expect(captionProblem(normalizeCaption(text))).toBeNull();
    const saved = form({ captions: { "1": text }, photo_captions: { "7": text } });
    expect(saved.success).toBe(true);
    expect(saved.data).toMatchObject({ captions: { "1": "" }, photo_captions: { "7": "" } });
  });

  it.each(SOMETHING_TO_SEE)("%s: accepted, a caption kept as typed (trimmed)", (_label, text) => {
    expect(titleProblem(text)).toBeNull();
    expect(bodyProblem(text)).toBeNull();
    expect(normalizeCaption(` ${text} `)).toBe(text.trim());
  });
});
