import { describe, expect, it } from "vitest";
import { daysToArrival, itemPageAccess, stillToDo } from "~/domain/item-page";
import type { Role } from "~/domain/permissions";

const v = (role: Role, unitId: number | null) => ({ role, unitId });

describe("who sees what on an item's page", () => {
  const cases: Array<[string, { role: Role; unitId: number | null }, { status: "draft" | "submitted" | "adopted"; reportMonth: string | null }, Record<string, boolean>]> = [
    ["本单位信息员看草稿", v("correspondent", 1), { status: "draft", reportMonth: null }, { ownUnit: true, showsWordHits: false, showsPoints: true, showsReviewRecord: true, canEdit: true, canDelete: true }],
    ["报送过又退回的草稿不能删", v("correspondent", 1), { status: "draft", reportMonth: "2026-10" }, { canEdit: true, canDelete: false }],
    ["本单位分管领导看得到错敏词", v("school_lead", 1), { status: "submitted", reportMonth: "2026-10" }, { ownUnit: true, showsWordHits: true, showsPoints: true, showsReviewRecord: true, canEdit: false }],
    ["他校分管领导看不到错敏词、积分和审核记录", v("school_lead", 2), { status: "adopted", reportMonth: "2026-10" }, { ownUnit: false, showsWordHits: false, showsPoints: false, showsReviewRecord: false }],
    ["他校信息员看不到审核记录", v("correspondent", 2), { status: "adopted", reportMonth: "2026-10" }, { ownUnit: false, showsReviewRecord: false, canEdit: false }],
    ["审核员看得到错敏词、积分和审核记录", v("reviewer", null), { status: "submitted", reportMonth: "2026-10" }, { ownUnit: false, showsWordHits: true, showsPoints: true, showsReviewRecord: true, canEdit: false, canDelete: false }],
    ["管理员只看稿件和审核记录", v("admin", null), { status: "submitted", reportMonth: "2026-10" }, { showsWordHits: false, showsPoints: false, showsReviewRecord: true }],
  ];
  it.each(cases)("%s", (_l, viewer, item, expected) => {
    expect(itemPageAccess(viewer, { unitId: 1, ...item })).toMatchObject(expected);
  });
});

describe("facts the pages state", () => {
  it.each([
    ["2026-10-01", "2026-10-09T15:59:59Z", 8],
    ["2026-10-01", "2026-10-09T16:00:00Z", 9],
    ["2026-10-01", null, null],
  ] as const)("event %s, first arrival %s: %s days (Asia/Shanghai)", (event, arrival, days) => {
    expect(daysToArrival(event, arrival)).toBe(days);
  });
  it.each([
    [3, 10, 7],
    [10, 10, 0],
    [12, 10, 0],
  ])("adopted %i of %i: %i still to do", (adopted, quota, left) => {
    expect(stillToDo({ adopted, quota })).toBe(left);
  });
});
