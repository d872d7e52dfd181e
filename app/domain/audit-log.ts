// The operations log (/admin/audit): who sees which entries, how each entry's object is named and
// linked, and how stored reason codes read. Two sources feed it: the audit table (accounts, units,
// rules, months, notices, pickups …) and each item's trail (submissions and decisions).
import { AUDIT_ACTIONS, auditActionName, type AuditAction } from "./audit-actions";
import { GRADES } from "./catalog";
import { isSettingKey, settingDef } from "./settings";
import type { Role } from "./permissions";
import { formatShanghai } from "./time";
import { actionName, ITEM_ACTIONS } from "./workflow";

export type AuditLogScope = "all" | "review";
export type AuditLogSource = "audit" | "trail";

/** Admins read every entry; reviewers the review-related ones; nobody else reads the log. */
export function auditLogScope(role: Role | null | undefined): AuditLogScope | null {
  if (role === "admin") return "all";
  if (role === "reviewer") return "review";
  return null;
}

/**
 * The audit codes a reviewer reads: the bureau's review work (pickups, 批示, months, notices,
 * reminders). Logins, accounts, units, rules, settings, catalogue and word-list changes stay the
 * admin's. A code not listed here is admin-only, so a new code is never shown to reviewers by
 * accident.
 */
export const REVIEW_AUDIT_ACTIONS: readonly AuditAction[] = [
  "pickup_recorded",
  "instruction_recorded",
  "grade_corrected",
  "pickup_removed",
  "instruction_removed",
  "late_cleared",
  "appeal_filed",
  "appeal_answered",
  "month_closed",
  "month_reopened",
  "notice_drafted",
  "notice_updated",
  "notice_adjusted",
  "notice_published",
  "bulletin_created",
  "bulletin_updated",
  "bulletin_published",
  "reminder_sent",
  "theme_created",
  "theme_updated",
  "theme_deleted",
];

/** May an entry from this source with this code be shown in this scope? Item trails are review work. */
export function auditEntryVisible(scope: AuditLogScope, source: AuditLogSource, action: string): boolean {
  if (scope === "all" || source === "trail") return true;
  return (REVIEW_AUDIT_ACTIONS as readonly string[]).includes(action);
}

/**
 * The label of an item-trail code, with the grade of an adoption: a transition's name (报送、采用 …),
 * else the audit label of the same code (a trail entry written beside its audit row), else the code.
 */
export function trailActionName(code: string, grade?: string | null): string {
  const transition = actionName(code);
  const name = transition !== code ? transition : auditActionName(code);
  const gradeName = grade ? GRADES.find((g) => g.code === grade)?.name : undefined;
  return gradeName ? `${name}（${gradeName}）` : name;
}

const ENTITY_NAMES: Record<string, string> = {
  item: "稿件",
  unit: "单位",
  units: "单位",
  account: "账号",
  accounts: "账号",
  month: "月份",
  notice: "通报",
  bulletin: "简报",
  setting: "系统设置",
  points_rule_version: "积分规则版本",
  quota_rule_version: "任务数版本",
  sensitive_word: "错敏词",
  category: "栏目",
  channel: "投送频道",
  address: "来源地址",
};

/** The Chinese name of an entry's object type; an unknown type shows as itself. */
export function entityTypeName(type: string): string {
  return ENTITY_NAMES[type] ?? type;
}

export interface AuditObject {
  /** What the cell reads: "稿件 12《标题》", "单位 城关镇中心学校", "月份 2026年10月". */
  label: string;
  /** The page this role may open for it, if there is one. */
  href: string | null;
}

/**
 * An entry's object as this role reads it: a name, and a link only to a page the role may open
 * (an admin has no item or month pages; a reviewer no unit or account pages).
 */
export function auditObject(
  scope: AuditLogScope, entity: { type: string; id: string; name?: string | null },
): AuditObject | null {
  if (!entity.type) return null;
  const typeName = entityTypeName(entity.type);
  const id = entity.id;
  const numeric = /^[1-9]\d*$/.test(id);
  const month = /^\d{4}-(0[1-9]|1[0-2])$/.test(id);
  // A setting is stored by its key; people know it by its label (迟报天数, not lateAfterDays).
  const name = entity.name || (entity.type === "setting" && isSettingKey(id) ? settingDef(id).label : null);
  const named = name ? `${typeName} ${name}` : id ? `${typeName} ${id}` : typeName;
  const label = entity.type === "item" && entity.name ? `稿件 ${id}《${entity.name}》` : month ? `${typeName} ${monthText(id)}` : named;
  const href = ((): string | null => {
    if (scope === "review") {
      if (entity.type === "item" && numeric) return `/review/${id}`;
      if (entity.type === "month" && month) return `/months/${id}`;
      if (entity.type === "notice" && numeric) return `/notices/${id}`;
      if (entity.type === "bulletin" && numeric) return `/bulletins/${id}`;
      return null;
    }
    if (entity.type === "unit" && numeric) return `/admin/units/${id}`;
    if (entity.type === "account" && numeric) return `/admin/accounts/${id}`;
    if (entity.type === "setting") return "/admin/settings";
    if (entity.type === "points_rule_version" || entity.type === "quota_rule_version") return "/admin/rules";
    if (entity.type === "sensitive_word") return "/admin/words";
    return null;
  })();
  return { label, href };
}

function monthText(month: string): string {
  return `${month.slice(0, 4)}年${Number(month.slice(5, 7))}月`;
}

const REASON_CODES: Record<string, Record<string, string>> = {
  login_failed: { bad_credentials: "用户名或密码错误", inactive: "账号已停用" },
  login_throttled: { pair: "该账号在本机连续失败过多", address: "本机失败次数过多", account: "该账号失败次数过多", device: "该账号在登录过的浏览器上连续失败过多" },
};

/** The reason as a person reads it: the codes a failed or refused login stores in Chinese, other text as written. */
export function auditReasonText(action: string, reason: string): string {
  return REASON_CODES[action]?.[reason] ?? reason;
}

/** One stored entry of either source, as the log reads it from the database. */
export interface AuditLogEntry {
  source: AuditLogSource;
  id: number;
  at: string;
  actor: string;
  username: string;
  unit_name: string | null;
  action: string;
  entity_type: string;
  entity_id: string;
  entity_name: string | null;
  reason: string;
  grade: string | null;
  ip: string;
  /** What a change was before and after, as stored with the entry (a setting's value in Chinese). */
  from_state?: string | null;
  to_state?: string | null;
}

/** An entry as a line of the page and of the CSV: every cell in Chinese, times in Asia/Shanghai. */
export interface AuditLogLine {
  key: string;
  time: string;
  person: string;
  unit: string;
  action: string;
  object: AuditObject | null;
  reason: string;
  ip: string;
}

export const AUDIT_LOG_COLUMNS = ["时间", "操作人", "单位", "操作", "对象", "理由", "来源地址"] as const;

/** The columns of the log in a scope: the addresses people act from are the administrator's to see. */
export function auditLogColumns(scope: AuditLogScope): readonly string[] {
  return scope === "all" ? AUDIT_LOG_COLUMNS : AUDIT_LOG_COLUMNS.slice(0, -1);
}

/** Who acted, as the log names a person: "系统管理员（admin）"; the name alone when there is no other. */
export function auditPerson(actor: string | null | undefined, username: string | null | undefined): string {
  const person = actor && username && actor !== username ? `${actor}（${username}）` : actor || username;
  return person || "—";
}

export function auditLogLine(scope: AuditLogScope, entry: AuditLogEntry): AuditLogLine {
  return {
    key: `${entry.source}-${entry.id}`,
    time: formatShanghai(entry.at),
    person: auditPerson(entry.actor, entry.username),
    unit: entry.unit_name ?? "",
    action: entry.source === "trail" ? trailActionName(entry.action, entry.grade) : auditActionName(entry.action),
    object: withChange(entry, auditObject(scope, { type: entry.entity_type, id: entry.entity_id, name: entry.entity_name })),
    reason: auditReasonText(entry.action, entry.reason),
    ip: scope === "all" ? entry.ip : "",
  };
}

/** A setting's change is read with its values: "系统设置 迟报天数：7 天 → 10 天". */
function withChange(entry: AuditLogEntry, object: AuditObject | null): AuditObject | null {
  if (!object || entry.action !== "setting_changed" || entry.from_state == null || entry.to_state == null) return object;
  return { ...object, label: `${object.label}：${entry.from_state} → ${entry.to_state}` };
}

/** The cells of a line in the order of auditLogColumns(scope). */
export function auditLogCells(scope: AuditLogScope, line: AuditLogLine): string[] {
  const cells = [line.time, line.person, line.unit, line.action, line.object?.label ?? "", line.reason];
  return scope === "all" ? [...cells, line.ip] : cells;
}

/** The codes the action filter offers in this scope: the items' trail first, then the audit codes. */
export function auditLogActionChoices(scope: AuditLogScope): Array<{ label: string; options: Array<{ value: string; label: string }> }> {
  const audit = (Object.keys(AUDIT_ACTIONS) as AuditAction[]).filter((code) => auditEntryVisible(scope, "audit", code));
  return [
    { label: "稿件流转", options: ITEM_ACTIONS.map((a) => ({ value: a.code, label: a.name })) },
    { label: scope === "all" ? "其他操作" : "审核工作", options: audit.map((code) => ({ value: code, label: AUDIT_ACTIONS[code] })) },
  ];
}
