import { describe, expect, it } from "vitest";
import { can, canActOnUnit, navigationFor, PERMISSIONS, permissionsOf, roleNeedsUnit, ROLES, type Permission, type Role } from "~/domain/permissions";

// The whole role × permission table, written out so any change to the map is deliberate.
const EXPECTED: Record<Permission, Role[]> = {
  "item.write": ["correspondent"],
  "item.view_unit": ["correspondent", "school_lead"],
  "item.signoff": ["school_lead"],
  "item.review": ["reviewer"],
  "item.pickup": ["reviewer"],
  "month.close": ["reviewer"],
  "rankings.view": ["correspondent", "school_lead", "reviewer", "admin"],
  "unit.dashboard": ["correspondent", "school_lead"],
  "review.dashboard": ["reviewer"],
  "notice.manage": ["reviewer"],
  "themes.manage": ["reviewer", "admin"],
  "bulletin.edit": ["reviewer"],
  "register.view": ["reviewer", "admin"],
  "register.edit_unit": ["school_lead"],
  "reminder.send": ["reviewer"],
  "request.manage": ["reviewer"],
  "request.view_unit": ["correspondent", "school_lead"],
  "admin.units": ["admin"],
  "admin.accounts": ["admin"],
  "admin.import": ["admin"],
  "admin.rules": ["admin"],
  "admin.catalog": ["admin"],
  "admin.lexicon": ["admin"],
  "admin.settings": ["admin"],
  "audit.view": ["admin"],
  "audit.view_review": ["reviewer"],
  "account.password": ["correspondent", "school_lead", "reviewer", "admin"],
};

describe("role → permission map", () => {
  it("lists every permission in the expectation table", () => {
    expect(Object.keys(EXPECTED).sort()).toEqual(Object.keys(PERMISSIONS).sort());
  });

  for (const [permission, roles] of Object.entries(EXPECTED) as Array<[Permission, Role[]]>) {
    for (const { code: role } of ROLES) {
      const allowed = roles.includes(role);
      it(`${role} ${allowed ? "may" : "may not"} ${permission}`, () => {
        expect(can(role, permission)).toBe(allowed);
        expect(permissionsOf(role).includes(permission)).toBe(allowed);
      });
    }
  }

  it("refuses everything to nobody", () => {
    expect(can(null, "rankings.view")).toBe(false);
    expect(can(undefined, "account.password")).toBe(false);
  });
});

describe("unit scoping", () => {
  const cases: Array<[string, Role, number | null, Permission, number, boolean]> = [
    ["信息员看本单位", "correspondent", 1, "item.view_unit", 1, true],
    ["信息员看他单位", "correspondent", 1, "item.view_unit", 2, false],
    ["分管领导签发本单位", "school_lead", 1, "item.signoff", 1, true],
    ["分管领导签发他单位", "school_lead", 1, "item.signoff", 2, false],
    ["审核员审核任一单位", "reviewer", null, "item.review", 2, true],
    ["审核员不能写稿", "reviewer", null, "item.write", 2, false],
    ["管理员不能审核", "admin", null, "item.review", 1, false],
  ];
  for (const [label, role, unitId, permission, target, expected] of cases) {
    it(label, () => expect(canActOnUnit({ role, unitId }, permission, target)).toBe(expected));
  }

  it("school roles need a unit, bureau roles do not", () => {
    expect(ROLES.map((r) => [r.code, roleNeedsUnit(r.code)])).toEqual([
      ["correspondent", true],
      ["school_lead", true],
      ["reviewer", false],
      ["admin", false],
    ]);
  });
});

describe("navigation by role", () => {
  const cases: Array<[Role | null, string[]]> = [
    [null, ["/notices", "/bulletins", "/news"]],
    ["correspondent", ["/", "/items/new", "/items", "/rankings", "/requests", "/notices", "/bulletins", "/news"]],
    ["school_lead", ["/", "/items?status=pending_school", "/items", "/rankings", "/requests", "/register", "/notices", "/bulletins", "/news"]],
    ["reviewer", ["/", "/review", "/months", "/themes", "/rankings", "/reminders", "/requests", "/register", "/admin/audit", "/notices", "/bulletins", "/news"]],
    ["admin", ["/", "/themes", "/rankings", "/register", "/admin/units", "/admin/accounts", "/admin/import", "/admin/words", "/admin/rules", "/admin/settings", "/admin/audit", "/notices", "/bulletins", "/news"]],
  ];
  for (const [role, paths] of cases) {
    it(`${role ?? "anonymous"} sees ${paths.join(" ")}`, () => expect(navigationFor(role).map((l) => l.to)).toEqual(paths));
  }
});
