// The directory's rules for a single unit or account: what each value must look like (codes,
// usernames, phones, a role's unit) and the form schemas built from them, shared by the admin
// forms and the import (directory-import.ts). Pure, like the rest of the domain.
import { z } from "zod";
import { builtOnce, optionalText, parseId, text, whenPassed } from "./fields";
import { passwordProblem } from "~/domain/password-policy";
import { roleName, roleNeedsUnit, type Role } from "~/domain/permissions";

// ---------------------------------------------------------------------------------------------
// Single values

export const UNIT_CODE_MAX = 20;
export const USERNAME_MIN = 3;
export const USERNAME_MAX = 32;

/** Unit codes are compared and stored upper-case, so "a01" and "A01" cannot both exist. */
export function normalizeUnitCode(code: string): string {
  return code.trim().toUpperCase();
}

export function unitCodeProblem(code: string): string | null {
  if (code === "") return "请填写单位代码";
  if (code.length > UNIT_CODE_MAX) return `单位代码不能超过 ${UNIT_CODE_MAX} 个字符`;
  if (!/^[A-Za-z0-9-]+$/.test(code)) return "单位代码只能包含字母、数字和连字符（-）";
  return null;
}

/** Usernames are unique regardless of case; we store them lower-case. */
export function normalizeUsername(username: string): string {
  return username.trim().toLowerCase();
}

export function usernameProblem(username: string): string | null {
  if (username === "") return "请填写用户名";
  if (username.length < USERNAME_MIN || username.length > USERNAME_MAX) {
    return `用户名应为 ${USERNAME_MIN}-${USERNAME_MAX} 个字符`;
  }
  if (!/^[a-z0-9._-]+$/.test(username)) return "用户名只能包含小写字母、数字和 . _ -";
  return null;
}

/** "138 0000 0000", "138-0000-0000" and "+86 13800000000" all become "13800000000". */
export function normalizePhone(phone: string): string {
  const compact = phone.replace(/[\s\-()（）]/g, "");
  return compact.replace(/^(?:\+?86)(?=1\d{10}$)/, "");
}

export function phoneProblem(phone: string): string | null {
  if (phone === "") return null;
  return /^1[3-9]\d{9}$/.test(phone) ? null : "手机号应为 11 位手机号码，或留空";
}

/** School roles belong to exactly one active unit; bureau roles to none. */
export function roleUnitProblem(role: Role, unit: { active: boolean } | null): string | null {
  if (roleNeedsUnit(role)) {
    if (!unit) return `${roleName(role)}必须属于一个单位`;
    if (!unit.active) return "该单位已停用，不能再添加或调入账号";
    return null;
  }
  return unit ? `${roleName(role)}不属于任何单位，单位请留空` : null;
}

// ---------------------------------------------------------------------------------------------
// Form schemas (shared by the routes' actions and the import)

function check(problem: (value: string) => string | null) {
  return (value: string, ctx: z.RefinementCtx) => {
    const message = problem(value);
    if (message) ctx.addIssue({ code: "custom", message });
  };
}

// Schemas and fields are built by functions, never at module level: a module-level zod call is
// kept in the browser bundle of every page that imports this module, and zod with it.

export function unitCodeField() {
  return z.string({ error: "请填写单位代码" }).transform(normalizeUnitCode).superRefine(check(unitCodeProblem));
}
export function unitNameField() {
  return text("单位名称", 100);
}
export function townshipField() {
  return optionalText("所属乡镇", 50);
}
export function usernameField() {
  return z.string({ error: "请填写用户名" }).transform(normalizeUsername).superRefine(check(usernameProblem));
}
export function displayNameField() {
  return text("姓名", 50);
}
export function phoneField() {
  return z.string().optional().default("").transform(normalizePhone).superRefine(check(phoneProblem));
}

const ROLE_CODES = ["correspondent", "school_lead", "reviewer", "admin"] as const satisfies readonly Role[];
export function roleField() {
  return z.enum(ROLE_CODES, { error: "请选择角色" });
}

/** A checkbox: present ("1"/"on") means yes. */
function checkbox() {
  return z
    .string()
    .optional()
    .transform((v): 0 | 1 => (v === "1" || v === "on" || v === "true" ? 1 : 0));
}

/** A select of unit ids: "" means no unit. */
function unitIdField() {
  return z
    .string()
    .optional()
    .default("")
    .transform((v) => (v.trim() === "" ? null : (parseId(v.trim()) ?? NaN)))
    .refine((v) => v === null || (Number.isInteger(v) && v > 0), "请选择单位");
}

export const unitFormSchema = /* @__PURE__ */ builtOnce(() =>
  z.object({
    code: unitCodeField(),
    name: unitNameField(),
    township: townshipField(),
    kind: z.string({ error: "请选择单位类别" }).trim().min(1, "请选择单位类别"),
    signoff_required: checkbox(),
  }),
);
export type UnitInput = z.output<ReturnType<typeof unitFormSchema>>;

/** The role-and-unit check reads these two fields and runs whenever they passed. */
const ROLE_AND_UNIT = whenPassed(["role", "unit_id"]);

function roleUnitShape(v: { role?: Role; unit_id?: number | null }, ctx: z.RefinementCtx) {
  if (!v.role || v.unit_id === undefined) return;
  if (roleNeedsUnit(v.role) && v.unit_id === null) {
    ctx.addIssue({ code: "custom", path: ["unit_id"], message: `${roleName(v.role)}必须选择所属单位` });
  }
  if (!roleNeedsUnit(v.role) && v.unit_id !== null) {
    ctx.addIssue({ code: "custom", path: ["unit_id"], message: `${roleName(v.role)}不属于任何单位，单位请选择“无”` });
  }
}

function accountFields() {
  return {
    display_name: displayNameField(),
    phone: phoneField(),
    role: roleField(),
    unit_id: unitIdField(),
  };
}

export const accountEditSchema = /* @__PURE__ */ builtOnce(() =>
  z.object(accountFields()).superRefine(roleUnitShape, ROLE_AND_UNIT),
);
export type AccountEditInput = z.output<ReturnType<typeof accountEditSchema>>;

export const accountCreateSchema = /* @__PURE__ */ builtOnce(() =>
  z
    .object({ username: usernameField(), ...accountFields(), password: z.string({ error: "请填写初始密码" }) })
    .superRefine(roleUnitShape, ROLE_AND_UNIT)
    .superRefine((v, ctx) => {
      const problem = !v.password
        ? "请填写初始密码"
        : passwordProblem(v.password, usernameProblem(v.username ?? "") ? "" : v.username);
      if (problem) ctx.addIssue({ code: "custom", path: ["password"], message: problem });
    }, whenPassed(["password"])),
);
export type AccountCreateInput = z.output<ReturnType<typeof accountCreateSchema>>;
