import { describe, expect, it } from "vitest";
import type { ItemStatusCode } from "~/domain/catalog";
import type { Actor } from "~/domain/permissions";
import { refusal } from "~/domain/refusal";
import {
  availableActions, canEditItem, canViewItem, decideTransition, decisionNotice, repeatedOrMovedOn, sentBackForChanges, submitProblem, transitionInputProblem, type ItemAction, type TrailEntry,
} from "~/domain/workflow";

const 信息员甲: Actor = { role: "correspondent", unitId: 1 };
const 信息员乙: Actor = { role: "correspondent", unitId: 2 };
const 校长甲: Actor = { role: "school_lead", unitId: 1 };
const 校长乙: Actor = { role: "school_lead", unitId: 2 };
const 审核员: Actor = { role: "reviewer", unitId: null };
const 管理员: Actor = { role: "admin", unitId: null };

type Row = [string, ItemAction, Actor, ItemStatusCode, boolean, ItemStatusCode | 403 | 409];
// [case, action, who, from, unit sign-off on, expected target or refusal]
const TABLE: Row[] = [
  ["信息员报送本单位草稿，需校内审核", "submit", 信息员甲, "draft", true, "pending_school"],
  ["信息员报送本单位草稿，免校内审核", "submit", 信息员甲, "draft", false, "submitted"],
  ["信息员报送他单位草稿", "submit", 信息员乙, "draft", true, 403],
  ["信息员重复报送", "submit", 信息员甲, "pending_school", true, 409],
  ["校长报送", "submit", 校长甲, "draft", true, 403],
  ["信息员撤回等待校内审核的本单位稿件", "recall", 信息员甲, "pending_school", true, "draft"],
  ["信息员撤回他单位稿件", "recall", 信息员乙, "pending_school", true, 403],
  ["信息员撤回已签发的稿件", "recall", 信息员甲, "submitted", true, 409],
  ["信息员撤回草稿", "recall", 信息员甲, "draft", true, 409],
  ["校长撤回", "recall", 校长甲, "pending_school", true, 403],
  ["审核员撤回", "recall", 审核员, "pending_school", true, 403],
  ["校长签发本单位", "sign_off", 校长甲, "pending_school", true, "submitted"],
  ["校长签发他单位", "sign_off", 校长乙, "pending_school", true, 403],
  ["校长签发已签发的", "sign_off", 校长甲, "submitted", true, 409],
  ["校长退回本单位", "send_back", 校长甲, "pending_school", true, "draft"],
  ["信息员签发", "sign_off", 信息员甲, "pending_school", true, 403],
  ["审核员采用", "adopt", 审核员, "submitted", true, "adopted"],
  ["审核员退回", "return", 审核员, "submitted", true, "draft"],
  ["审核员不采用", "reject", 审核员, "submitted", true, "rejected"],
  ["审核员采用已采用的（他人已处理）", "adopt", 审核员, "adopted", true, 409],
  ["审核员不采用已退回的", "reject", 审核员, "draft", true, 409],
  ["审核员撤稿", "withdraw", 审核员, "adopted", true, "withdrawn"],
  ["审核员撤已撤的稿", "withdraw", 审核员, "withdrawn", true, 409],
  ["审核员撤未采用的稿", "withdraw", 审核员, "submitted", true, 409],
  ["审核员签发", "sign_off", 审核员, "pending_school", true, 403],
  ["管理员采用", "adopt", 管理员, "submitted", true, 403],
  ["信息员采用", "adopt", 信息员甲, "submitted", true, 403],
  ["不采用是终态", "adopt", 审核员, "rejected", true, 409],
];

describe("decideTransition", () => {
  it.each(TABLE)("%s", (_label, action, actor, from, signoff, expected) => {
    const d = decideTransition({ action, actor, item: { status: from, unitId: 1 }, unitSignoffRequired: signoff });
    if (typeof expected === "number") {
      expect(d.ok).toBe(false);
      if (!d.ok) {
        expect(d.status).toBe(expected);
        expect(d.message).toMatch(/[\u4e00-\u9fa5]/);
      }
    } else {
      expect(d).toMatchObject({ ok: true, to: expected, arrivesAtBureau: expected === "submitted" });
    }
  });

  it("tells a second reviewer the item has been handled", () => {
    const d = decideTransition({ action: "reject", actor: 审核员, item: { status: "adopted", unitId: 1 }, unitSignoffRequired: true });
    expect(d).toEqual({ ok: false, status: 409, message: "该稿件已被他人处理，请刷新后查看最新状态。", fieldErrors: {} });
  });

  it("needs a reason exactly for send back, return, reject, withdraw", () => {
    const needing = (["submit", "sign_off", "send_back", "adopt", "return", "reject", "withdraw"] as ItemAction[]).filter((action) => {
      const actor = action === "submit" ? 信息员甲 : action === "sign_off" || action === "send_back" ? 校长甲 : 审核员;
      const status: ItemStatusCode = action === "submit" ? "draft" : action === "sign_off" || action === "send_back" ? "pending_school" : action === "withdraw" ? "adopted" : "submitted";
      const d = decideTransition({ action, actor, item: { status, unitId: 1 }, unitSignoffRequired: true });
      return d.ok && d.needsReason;
    });
    expect(needing).toEqual(["send_back", "return", "reject", "withdraw"]);
  });
});

describe("buttons, editing and visibility", () => {
  it("offers each role only its own moves", () => {
    expect(availableActions(信息员甲, { status: "draft", unitId: 1 }, true)).toEqual(["submit"]);
    expect(availableActions(校长甲, { status: "pending_school", unitId: 1 }, true)).toEqual(["sign_off", "send_back"]);
    expect(availableActions(审核员, { status: "submitted", unitId: 1 }, true)).toEqual(["adopt", "return", "reject"]);
    expect(availableActions(审核员, { status: "adopted", unitId: 1 }, true)).toEqual(["withdraw"]);
    expect(availableActions(信息员乙, { status: "draft", unitId: 1 }, true)).toEqual([]);
    expect(availableActions(信息员甲, { status: "pending_school", unitId: 1 }, true)).toEqual(["recall"]);
    expect(availableActions(信息员乙, { status: "pending_school", unitId: 1 }, true)).toEqual([]);
  });

  const edits: Array<[string, Actor, ItemStatusCode, boolean]> = [
    ["本单位信息员改草稿", 信息员甲, "draft", true],
    ["本单位信息员改待签发", 信息员甲, "pending_school", false],
    ["他单位信息员改草稿", 信息员乙, "draft", false],
    ["校长改草稿", 校长甲, "draft", false],
    ["审核员改草稿", 审核员, "draft", false],
  ];
  it.each(edits)("%s", (_l, actor, status, expected) => {
    expect(canEditItem(actor, { status, unitId: 1 })).toBe(expected);
  });

  const views: Array<[string, Actor | null, ItemStatusCode, string | null, boolean]> = [
    ["公众看已采用", null, "adopted", "2026-11", true],
    ["公众看已撤稿", null, "withdrawn", "2026-11", false],
    ["公众看待审核", null, "submitted", "2026-11", false],
    ["本单位看草稿", 信息员甲, "draft", null, true],
    ["本单位校长看草稿", 校长甲, "draft", null, true],
    ["他单位看草稿", 信息员乙, "draft", null, false],
    ["他单位看已采用", 信息员乙, "adopted", "2026-11", true],
    ["他单位看已撤稿", 校长乙, "withdrawn", "2026-11", false],
    ["审核员看从未报送的草稿", 审核员, "draft", null, false],
    ["审核员看被退回的草稿", 审核员, "draft", "2026-11", true],
    ["审核员看已撤稿", 审核员, "withdrawn", "2026-10", true],
    ["管理员看待审核", 管理员, "submitted", "2026-11", false],
  ];
  it.each(views)("%s", (_l, actor, status, reportMonth, expected) => {
    expect(canViewItem(actor, { status, unitId: 1, reportMonth })).toBe(expected);
  });
});

describe("what a transition needs", () => {
  const long = "理".repeat(501);
  it.each([
    ["退回无理由", { action: "return", needsReason: true, reason: "  " }, { reason: "请填写退回修改的理由。" }],
    ["理由过长", { action: "reject", needsReason: true, reason: long }, { reason: "理由不能超过 500 个字" }],
    ["采用无等次", { action: "adopt", needsReason: false, reason: "", grade: null }, { grade: "请选择采用等次（优、良、中）。" }],
    ["采用有等次", { action: "adopt", needsReason: false, reason: "", grade: "good" }, null],
    ["签发无需理由", { action: "sign_off", needsReason: false, reason: "" }, null],
  ] as const)("%s", (_l, input, fieldErrors) => {
    const problem = transitionInputProblem(input as Parameters<typeof transitionInputProblem>[0]);
    expect(problem === null ? null : problem.fieldErrors).toEqual(fieldErrors);
    if (problem) expect(problem.status).toBe(400);
  });

  it.each([
    [false, [], { confidential_checked: "请先勾选涉密自查：不得报送涉密信息。" }],
    [true, ["全县第一"], { body: "稿件含有禁用词“全县第一”，请修改后再报送。" }],
    [true, ["甲", "乙"], { body: "稿件含有禁用词“甲”“乙”，请修改后再报送。" }],
    [true, [], null],
  ] as const)("submitting with the tick %s and blocked words %o", (confidentialChecked, blockedWords, fieldErrors) => {
    const problem = submitProblem({ confidentialChecked, blockedWords });
    expect(problem === null ? null : problem.fieldErrors).toEqual(fieldErrors);
  });

  const 图 = (photoId: number, position: number, ...blockedWords: string[]) => ({ photoId, position, blockedWords });
  it.each([
    ["说明无禁用词", [], [图(31, 1), 图(32, 2)], null, null],
    [
      "第 2 张图片的说明有禁用词", [], [图(31, 1), 图(32, 2, "全县第一")],
      "第 2 张图片的说明含有禁用词“全县第一”，请修改后再报送。",
      { photo_caption_32: "第 2 张图片的说明含有禁用词“全县第一”，请修改后再报送。" },
    ],
    [
      "两张图片的说明各有禁用词", [], [图(31, 1, "甲", "乙"), 图(35, 3, "丙")],
      "第 1 张图片的说明含有禁用词“甲”“乙”；第 3 张图片的说明含有禁用词“丙”，请修改后再报送。",
      {
        photo_caption_31: "第 1 张图片的说明含有禁用词“甲”“乙”，请修改后再报送。",
        photo_caption_35: "第 3 张图片的说明含有禁用词“丙”，请修改后再报送。",
      },
    ],
    [
      "正文与图片说明都有", ["全县第一"], [图(31, 1, "机密")],
      "稿件含有禁用词“全县第一”；第 1 张图片的说明含有禁用词“机密”，请修改后再报送。",
      { body: "稿件含有禁用词“全县第一”，请修改后再报送。", photo_caption_31: "第 1 张图片的说明含有禁用词“机密”，请修改后再报送。" },
    ],
  ] as const)("captions: %s", (_l, blockedWords, captionWords, message, fieldErrors) => {
    const problem = submitProblem({ confidentialChecked: true, blockedWords, captionWords });
    expect(problem === null ? null : [problem.status, problem.message, problem.fieldErrors]).toEqual(message === null ? null : [400, message, fieldErrors]);
  });

  it("without the tick, the tick is asked for first, whatever the captions hold", () => {
    expect(submitProblem({ confidentialChecked: false, blockedWords: [], captionWords: [图(31, 1, "机密")] })?.fieldErrors).toEqual({
      confidential_checked: "请先勾选涉密自查：不得报送涉密信息。",
    });
  });
});

describe("repeatedOrMovedOn: a transition that finds the item moved on", () => {
  const TAKEN = refusal(409, "该稿件已被他人处理，请刷新后查看最新状态。");
  const CHANGED = refusal(409, "稿件状态已变化，请刷新后重试。");
  // 2026-11-30T15:59:30Z is 23:59 on 30 November in Shanghai.
  const mine = (action: string): TrailEntry => ({ actorId: 7, action, at: "2026-11-30T15:59:30.000Z" });
  const theirs = (action: string): TrailEntry => ({ actorId: 8, action, at: "2026-11-30T15:59:30.000Z" });
  // [case, action, version seen, version now, latest trail entry, what the person is told]
  const table: Array<[string, ItemAction, number | undefined, number, TrailEntry | null, typeof TAKEN, RegExp | string]> = [
    ["审核员双击采用：第二次是自己刚才的采用", "adopt", 3, 4, { ...mine("adopt"), grade: "good" }, TAKEN, /^您已于 2026-11-30 23:59 采用过这篇稿件（等次良），这次提交没有再作改动/],
    ["信息员双击报送", "submit", 1, 2, mine("submit"), CHANGED, /^您已于 2026-11-30 23:59 报送过这篇稿件/],
    ["分管领导重复签发（门户重启后重发）", "sign_off", 2, 3, mine("sign_off"), CHANGED, /^您已于 2026-11-30 23:59 签发过这篇稿件/],
    ["没有说看到的版本（建稿时一并报送）", "submit", undefined, 2, mine("submit"), CHANGED, /^您已于/],
    ["另一位审核员先采用", "adopt", 3, 4, theirs("adopt"), TAKEN, TAKEN.message],
    ["自己先退回，这次是采用（两个标签页）", "adopt", 3, 4, mine("return"), TAKEN, TAKEN.message],
    ["自己采用之后又有人动过（版本多走了一步）", "adopt", 3, 5, mine("adopt"), TAKEN, TAKEN.message],
    ["稿件没有任何流转记录", "submit", 1, 2, null, CHANGED, CHANGED.message],
  ];
  it.each(table)("%s", (_case, action, seenVersion, version, latest, movedOn, told) => {
    const r = repeatedOrMovedOn({ action, actorId: 7, seenVersion, version, latest, movedOn });
    expect(r.status).toBe(409);
    if (typeof told === "string") expect(r).toEqual(movedOn);
    else {
      expect(r.message).toMatch(told);
      expect(r.message).not.toContain("他人");
      expect(r.repeated).toBe(true);
    }
  });
});


describe("decisionNotice: what the item's people are told", () => {
  it.each([
    ["采用：等次，而不是空白", "adopt", "", "good", { kind: "item_adopted", title: "稿件已采用：春季运动会", body: "等次：良" }],
    ["退回：理由", "return", "请补充照片", null, { kind: "item_returned", title: "稿件被退回修改：春季运动会", body: "请补充照片" }],
    ["校内退回：理由", "send_back", "标题过长", null, { kind: "item_sent_back", title: "稿件被校内退回修改：春季运动会", body: "标题过长" }],
    ["不采用：理由", "reject", "与上月重复", null, { kind: "item_rejected", title: "稿件未被采用：春季运动会", body: "与上月重复" }],
    ["撤稿：理由", "withdraw", "信息有误", null, { kind: "item_withdrawn", title: "稿件已撤稿：春季运动会", body: "信息有误" }],
    ["签发：不通知信息员", "sign_off", "", null, null],
  ] as const)("%s", (_case, action, reason, grade, expected) => {
    expect(decisionNotice(action, "春季运动会", { reason, grade })).toEqual(expected);
  });
});

describe("sentBackForChanges: a draft that waits to be changed and sent again", () => {
  it.each([
    ["退回后的草稿", "draft", "请补充照片", true],
    ["从未报送的草稿", "draft", "", false],
    ["理由只有空白", "draft", "  ", false],
    ["退回后已重新报送", "pending_school", "请补充照片", false],
    ["退回后已采用", "adopted", "请补充照片", false],
  ] as const)("%s", (_case, status, last_reason, expected) => {
    expect(sentBackForChanges({ status, last_reason })).toBe(expected);
  });
});
