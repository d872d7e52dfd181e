// Every act the audit trail records, by code, with the Chinese a person reads. recordAudit takes
// only these codes, so a new act cannot be written without its label; the trail's pages read the
// label from here.
import type { CatalogKind } from "./catalog-admin";

export const AUDIT_ACTIONS = {
  login: "登录",
  login_failed: "登录失败",
  login_throttled: "登录受限",
  logout: "退出",
  password_changed: "修改密码",
  password_check_failed: "当前密码核对失败",
  password_reset: "重置密码",
  unit_created: "新建单位",
  unit_updated: "修改单位",
  unit_deactivated: "停用单位",
  unit_reactivated: "启用单位",
  account_created: "新建账号",
  account_updated: "修改账号",
  account_deactivated: "停用账号",
  account_reactivated: "启用账号",
  import: "批量导入",
  register_updated: "修改信息员登记",
  item_created: "新建稿件",
  item_updated: "修改稿件",
  item_deleted: "删除草稿",
  pickup_recorded: "登记上稿",
  instruction_recorded: "登记批示",
  grade_corrected: "更正等次",
  pickup_removed: "删除上稿",
  instruction_removed: "删除批示",
  late_cleared: "取消迟报",
  appeal_filed: "提出申诉",
  appeal_answered: "答复申诉",
  request_created: "发出约稿",
  request_cancelled: "取消约稿",
  request_declined: "婉拒约稿",
  requests_settled: "约稿截止结算",
  request_reminded: "约稿截止提醒",
  month_closed: "月度结算",
  month_reopened: "重新打开月份",
  rules_points_version_created: "新建积分规则版本",
  rules_points_version_updated: "修改积分规则版本",
  rules_quota_version_created: "新建任务数版本",
  rules_quota_version_updated: "修改任务数版本",
  quota_override_set: "设置例外任务数",
  quota_override_updated: "修改例外任务数",
  setting_changed: "修改系统设置",
  category_added: "新增栏目",
  category_renamed: "栏目改名",
  category_reordered: "栏目排序",
  category_deactivated: "停用栏目",
  category_reactivated: "启用栏目",
  category_deleted: "删除栏目",
  channel_added: "新增投送频道",
  channel_renamed: "投送频道改名",
  channel_reordered: "投送频道排序",
  channel_deactivated: "停用投送频道",
  channel_reactivated: "启用投送频道",
  channel_deleted: "删除投送频道",
  notice_drafted: "起草通报",
  notice_updated: "修改通报草稿",
  notice_adjusted: "调整通报名单",
  notice_published: "签发通报",
  bulletin_created: "新建简报",
  bulletin_updated: "修改简报草稿",
  bulletin_published: "签发简报",
  reminder_sent: "催报",
  word_added: "添加错敏词",
  word_updated: "修改错敏词",
  word_deleted: "删除错敏词",
  words_imported: "批量添加错敏词",
  theme_created: "发布报送要点",
  theme_updated: "修改报送要点",
  theme_deleted: "删除报送要点",
} as const;

export type AuditAction = keyof typeof AUDIT_ACTIONS;

export type CatalogChange = "added" | "renamed" | "reordered" | "deactivated" | "reactivated" | "deleted";

export function catalogAction(kind: CatalogKind, change: CatalogChange): AuditAction {
  return `${kind}_${change}`;
}

/** The label of a stored code; an unknown code (an older row) shows as itself. */
export function auditActionName(code: string): string {
  return (AUDIT_ACTIONS as Record<string, string>)[code] ?? code;
}
