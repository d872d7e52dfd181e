// Who may do what: a static role → permission map, used by the server's guards and by pages
// to hide what a role cannot use. School roles are further scoped to their own unit.

import { nameOf, vocabulary } from "./vocabulary";

export const ROLES = vocabulary({ correspondent: "信息员", school_lead: "分管领导", reviewer: "审核员", admin: "管理员" });

export type Role = (typeof ROLES)[number]["code"];

export const PERMISSIONS = {
  "item.write": "撰写和报送本单位稿件",
  "item.view_unit": "查看本单位稿件",
  "item.signoff": "校内审核签发",
  "item.review": "审核全县稿件",
  "item.pickup": "登记上稿与批示",
  "month.close": "月度结算",
  "rankings.view": "查看排行榜",
  "unit.dashboard": "查看本单位统计",
  "review.dashboard": "查看全县统计",
  "notice.manage": "起草和签发通报",
  "themes.manage": "发布报送要点",
  "bulletin.edit": "编辑和签发简报",
  "register.view": "查看信息员登记表",
  "register.edit_unit": "维护本单位登记信息",
  "reminder.send": "发送催报",
  "request.manage": "发出和管理约稿",
  "request.view_unit": "查看和答复本单位的约稿",
  "admin.units": "管理单位",
  "admin.accounts": "管理账号",
  "admin.import": "批量导入单位和账号",
  "admin.rules": "管理任务数与积分规则",
  "admin.catalog": "管理栏目与频道",
  "admin.lexicon": "管理错敏词库",
  "admin.settings": "管理系统设置",
  "audit.view": "查看操作日志",
  "audit.view_review": "查看审核相关的操作日志",
  "account.password": "修改本人密码",
} as const;

export type Permission = keyof typeof PERMISSIONS;

const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  correspondent: ["item.write", "item.view_unit", "rankings.view", "unit.dashboard", "account.password", "request.view_unit"],
  school_lead: [
    "item.view_unit", "item.signoff", "rankings.view", "unit.dashboard", "register.edit_unit", "account.password",
    "request.view_unit",
  ],
  reviewer: [
    "item.review", "item.pickup", "month.close", "rankings.view", "review.dashboard", "notice.manage", "bulletin.edit",
    "register.view", "reminder.send", "audit.view_review", "account.password",
    "themes.manage",
    "request.manage",
  ],
  admin: [
    "admin.units", "admin.accounts", "admin.import", "admin.rules", "admin.catalog", "admin.lexicon",
    "admin.settings", "audit.view", "rankings.view", "register.view", "account.password",
    "themes.manage",
  ],
};

export function isRole(value: string): value is Role {
  return ROLES.some((r) => r.code === value);
}

export const roleName = (role: string): string => nameOf(ROLES, role);

export function permissionsOf(role: Role): readonly Permission[] {
  return ROLE_PERMISSIONS[role];
}

export function can(role: Role | null | undefined, permission: Permission): boolean {
  return !!role && ROLE_PERMISSIONS[role].includes(permission);
}

/** School roles belong to exactly one unit; bureau roles to none. */
export function roleNeedsUnit(role: Role): boolean {
  return role === "correspondent" || role === "school_lead";
}

export interface Actor {
  role: Role;
  unitId: number | null;
}

/**
 * May this person see or change data that belongs to a unit? Bureau roles with the
 * permission reach every unit; school roles only their own.
 */
export function canActOnUnit(actor: Actor, permission: Permission, unitId: number): boolean {
  if (!can(actor.role, permission)) return false;
  return roleNeedsUnit(actor.role) ? actor.unitId === unitId : true;
}

export interface NavLink {
  to: string;
  label: string;
}

/** The navigation each role sees (null: not signed in); every link's page is guarded by the same permission. */
export function navigationFor(role: Role | null): NavLink[] {
  const links: Array<NavLink & { permission: Permission | "public" | "signed_in" }> = [
    { to: "/", label: "首页", permission: "signed_in" },
    { to: "/items/new", label: "写稿", permission: "item.write" },
    { to: "/items?status=pending_school", label: "待签发", permission: "item.signoff" },
    { to: "/items", label: "本单位稿件", permission: "item.view_unit" },
    { to: "/review", label: "稿件审核", permission: "item.review" },
    { to: "/months", label: "月度结算", permission: "month.close" },
    { to: "/themes", label: "报送要点", permission: "themes.manage" },
    { to: "/rankings", label: "排行榜", permission: "rankings.view" },
    { to: "/reminders", label: "催报", permission: "reminder.send" },
    { to: "/requests", label: "约稿", permission: "request.manage" },
    { to: "/requests", label: "约稿", permission: "request.view_unit" },
    { to: "/register", label: "登记表", permission: "register.view" },
    { to: "/register", label: "登记表", permission: "register.edit_unit" },
    { to: "/admin/units", label: "单位管理", permission: "admin.units" },
    { to: "/admin/accounts", label: "账号管理", permission: "admin.accounts" },
    { to: "/admin/import", label: "批量导入", permission: "admin.import" },
    { to: "/admin/words", label: "错敏词库", permission: "admin.lexicon" },
    { to: "/admin/rules", label: "任务与积分规则", permission: "admin.rules" },
    { to: "/admin/settings", label: "系统设置", permission: "admin.settings" },
    { to: "/admin/audit", label: "操作日志", permission: "audit.view" },
    { to: "/admin/audit", label: "操作日志", permission: "audit.view_review" },
    { to: "/notices", label: "通报", permission: "public" },
    { to: "/bulletins", label: "简报", permission: "public" },
    { to: "/news", label: "信息公开", permission: "public" },
  ];
  return links
    .filter((l) => l.permission === "public" || (role !== null && (l.permission === "signed_in" || can(role, l.permission))))
    .map(({ to, label }) => ({ to, label }));
}

/** The signed-in person as every layer sees them. */
export interface SessionUser {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  unitId: number | null;
  unitName: string | null;
  mustChangePassword: boolean;
}
