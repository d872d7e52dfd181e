import { describe, expect, it } from "vitest";
import { AUDIT_ACTIONS } from "~/domain/audit-actions";
import {
  AUDIT_LOG_COLUMNS, auditEntryVisible, auditLogActionChoices, auditLogCells, auditLogColumns, auditLogLine, auditLogScope, auditObject, auditReasonText, entityTypeName, REVIEW_AUDIT_ACTIONS, trailActionName,
  type AuditLogScope, type AuditLogSource,
} from "~/domain/audit-log";
import { ROLES } from "~/domain/permissions";
import { ITEM_ACTIONS } from "~/domain/workflow";

describe("who reads the log", () => {
  it.each([
    ["admin", "all"],
    ["reviewer", "review"],
    ["school_lead", null],
    ["correspondent", null],
    [null, null],
  ] as const)("%s → %s", (role, scope) => expect(auditLogScope(role)).toBe(scope));

  it("names a scope for exactly the bureau roles", () => {
    expect(ROLES.filter((r) => auditLogScope(r.code) !== null).map((r) => r.code).sort()).toEqual(["admin", "reviewer"]);
  });
});

describe("which entries a reviewer sees", () => {
  const cases: Array<[AuditLogScope, AuditLogSource, string, boolean]> = [
    ["review", "trail", "adopt", true],
    ["review", "trail", "submit", true],
    ["review", "audit", "pickup_recorded", true],
    ["review", "audit", "instruction_recorded", true],
    ["review", "audit", "month_closed", true],
    ["review", "audit", "month_reopened", true],
    ["review", "audit", "notice_published", true],
    ["review", "audit", "reminder_sent", true],
    ["review", "audit", "login", false],
    ["review", "audit", "login_failed", false],
    ["review", "audit", "password_reset", false],
    ["review", "audit", "account_created", false],
    ["review", "audit", "account_deactivated", false],
    ["review", "audit", "unit_updated", false],
    ["review", "audit", "import", false],
    ["review", "audit", "setting_changed", false],
    ["review", "audit", "rules_points_version_created", false],
    ["review", "audit", "word_added", false],
    ["review", "audit", "item_created", false],
    ["review", "audit", "some_new_code", false],
    ["all", "audit", "login_failed", true],
    ["all", "audit", "account_created", true],
    ["all", "audit", "some_new_code", true],
    ["all", "trail", "reject", true],
  ];
  it.each(cases)("%s · %s · %s → %s", (scope, source, action, visible) => {
    expect(auditEntryVisible(scope, source, action)).toBe(visible);
  });

  it("lists only codes that exist", () => {
    for (const code of REVIEW_AUDIT_ACTIONS) expect(AUDIT_ACTIONS).toHaveProperty(code);
  });
});

describe("trail labels", () => {
  it.each([
    ["submit", null, "报送"],
    ["adopt", "excellent", "采用（优）"],
    ["adopt", "fair", "采用（中）"],
    ["reject", null, "不采用"],
    ["withdraw", null, "撤稿"],
    ["resubmit", null, "重新报送"],
    ["instruction_recorded", null, "登记批示"],
    ["something_old", null, "something_old"],
  ])("%s %s → %s", (code, grade, label) => expect(trailActionName(code, grade)).toBe(label));

  it("has a Chinese label for every item action", () => {
    for (const a of ITEM_ACTIONS) expect(trailActionName(a.code)).toMatch(/^[\u4e00-\u9fff]+$/);
  });
});

describe("the object of an entry", () => {
  const cases: Array<[AuditLogScope, { type: string; id: string; name?: string | null }, { label: string; href: string | null } | null]> = [
    ["review", { type: "item", id: "12", name: "开学典礼" }, { label: "稿件 12《开学典礼》", href: "/review/12" }],
    ["all", { type: "item", id: "12", name: "开学典礼" }, { label: "稿件 12《开学典礼》", href: null }],
    ["all", { type: "unit", id: "3", name: "城关镇中心学校" }, { label: "单位 城关镇中心学校", href: "/admin/units/3" }],
    ["review", { type: "unit", id: "3", name: "城关镇中心学校" }, { label: "单位 城关镇中心学校", href: null }],
    ["all", { type: "account", id: "7", name: "张晓梅" }, { label: "账号 张晓梅", href: "/admin/accounts/7" }],
    ["review", { type: "account", id: "7", name: "张晓梅" }, { label: "账号 张晓梅", href: null }],
    ["all", { type: "account", id: "nobody" }, { label: "账号 nobody", href: null }],
    ["review", { type: "month", id: "2026-10" }, { label: "月份 2026年10月", href: "/months/2026-10" }],
    ["all", { type: "month", id: "2026-10" }, { label: "月份 2026年10月", href: null }],
    ["review", { type: "notice", id: "4" }, { label: "通报 4", href: "/notices/4" }],
    ["all", { type: "setting", id: "appealDays" }, { label: "系统设置 申诉期", href: "/admin/settings" }],
    ["all", { type: "setting", id: "countyName" }, { label: "系统设置 县（区）名称", href: "/admin/settings" }],
    ["all", { type: "setting", id: "retiredKey" }, { label: "系统设置 retiredKey", href: "/admin/settings" }],
    ["all", { type: "quota_rule_version", id: "2" }, { label: "任务数版本 2", href: "/admin/rules" }],
    ["all", { type: "sensitive_word", id: "9", name: "某词" }, { label: "错敏词 某词", href: "/admin/words" }],
    ["all", { type: "address", id: "10.0.0.1" }, { label: "来源地址 10.0.0.1", href: null }],
    ["all", { type: "unit", id: "../../etc" }, { label: "单位 ../../etc", href: null }],
    ["all", { type: "", id: "" }, null],
  ];
  it.each(cases)("%s · %j", (scope, entity, expected) => expect(auditObject(scope, entity)).toEqual(expected));

  it("shows an unknown type as itself", () => expect(entityTypeName("gizmo")).toBe("gizmo"));
});

describe("reasons", () => {
  it.each([
    ["login_failed", "bad_credentials", "用户名或密码错误"],
    ["login_failed", "inactive", "账号已停用"],
    ["login_throttled", "address", "本机失败次数过多"],
    ["month_reopened", "address", "address"],
    ["reject", "内容与本月无关", "内容与本月无关"],
    ["adopt", "", ""],
  ])("%s · %s → %s", (action, reason, text) => expect(auditReasonText(action, reason)).toBe(text));
});

describe("a line of the log", () => {
  const entry = {
    source: "audit" as const, id: 5, at: "2026-03-01T16:30:00.000Z", actor: "系统管理员", username: "admin", unit_name: null,
    action: "login_failed", entity_type: "account", entity_id: "7", entity_name: "张晓梅", reason: "inactive", grade: null, ip: "10.0.0.9",
  };
  it("reads every cell in Chinese, the time in Shanghai", () => {
    const line = auditLogLine("all", entry);
    expect(line).toEqual({
      key: "audit-5", time: "2026-03-02 00:30", person: "系统管理员（admin）", unit: "", action: "登录失败",
      object: { label: "账号 张晓梅", href: "/admin/accounts/7" }, reason: "账号已停用", ip: "10.0.0.9",
    });
    expect(auditLogCells("all", line)).toEqual(["2026-03-02 00:30", "系统管理员（admin）", "", "登录失败", "账号 张晓梅", "账号已停用", "10.0.0.9"]);
    expect(auditLogCells("all", line)).toHaveLength(AUDIT_LOG_COLUMNS.length);
  });
  it("keeps the address for the administrator: a reviewer's line and CSV have none", () => {
    const trail = { ...entry, source: "trail" as const, action: "adopt", entity_type: "item", entity_name: "运动会", grade: "good", reason: "", ip: "10.20.0.13" };
    expect(auditLogLine("all", trail).ip).toBe("10.20.0.13");
    const line = auditLogLine("review", trail);
    expect(line.ip).toBe("");
    expect(auditLogColumns("review")).toEqual(["时间", "操作人", "单位", "操作", "对象", "理由"]);
    expect(auditLogColumns("all")).toEqual([...AUDIT_LOG_COLUMNS]);
    expect(auditLogCells("review", line)).toHaveLength(auditLogColumns("review").length);
    expect(auditLogCells("review", line)).not.toContain("10.20.0.13");
  });
  it.each([
    [{ actor: "nobody", username: "nobody" }, "nobody"],
    [{ actor: "", username: "" }, "—"],
    [{ actor: "赵审核", username: "" }, "赵审核"],
  ])("names the person %j as %s", (who, person) => expect(auditLogLine("all", { ...entry, ...who }).person).toBe(person));
  it.each([
    ["setting_changed", "7 天", "10 天", "系统设置 迟报天数：7 天 → 10 天"],
    ["setting_changed", "临溪县", "（未填写）", "系统设置 县（区）名称：临溪县 → （未填写）"],
    ["setting_changed", null, null, "系统设置 迟报天数"],
    ["account_updated", "active", "inactive", "系统设置 迟报天数"],
  ])("shows a setting's change with its values: %s %s → %s", (action, from, to, label) => {
    const id = label.includes("县（区）") ? "countyName" : "lateAfterDays";
    const line = auditLogLine("all", { ...entry, action, entity_type: "setting", entity_id: id, entity_name: null, reason: "", from_state: from, to_state: to });
    expect(line.object).toEqual({ label, href: "/admin/settings" });
    expect(auditLogCells("all", line)[4]).toBe(label);
  });
  it("reads a trail entry's code as the item action, with its grade", () => {
    const line = auditLogLine("review", { ...entry, source: "trail", action: "adopt", grade: "good", entity_type: "item", entity_id: "3", entity_name: "标题", reason: "" });
    expect(line).toMatchObject({ key: "trail-5", action: "采用（良）", object: { label: "稿件 3《标题》", href: "/review/3" } });
  });
});

describe("the action filter's choices", () => {
  const codes = (scope: AuditLogScope) => auditLogActionChoices(scope).flatMap((g) => g.options.map((o) => o.value));
  it("offers an admin every code of both sources", () => {
    expect(codes("all")).toEqual([...ITEM_ACTIONS.map((a) => a.code), ...Object.keys(AUDIT_ACTIONS)]);
  });
  it("offers a reviewer the trail and the review-related codes only", () => {
    expect(codes("review")).toEqual([...ITEM_ACTIONS.map((a) => a.code), ...REVIEW_AUDIT_ACTIONS]);
    expect(codes("review")).not.toContain("account_created");
  });
});
