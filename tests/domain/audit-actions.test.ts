// Every action code the models write to the audit trail has a Chinese label: found in the source
// (each recordAudit call and direct insert) and in a seeded county's trail.
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { AUDIT_ACTIONS, auditActionName, catalogAction } from "~/domain/audit-actions";

const ROOT = path.resolve(import.meta.dirname, "../..");
const sources = (dir: string): string[] =>
  readdirSync(path.join(ROOT, dir)).flatMap((name) => {
    const rel = path.join(dir, name);
    return statSync(path.join(ROOT, rel)).isDirectory() ? sources(rel) : /\.tsx?$/.test(name) ? [rel] : [];
  });

/** The text of each call `recordAudit(...)` and each `insertInto("audit_events")...values(...)`, balanced on parentheses. */
function auditCalls(text: string): string[] {
  const out: string[] = [];
  for (const start of [...text.matchAll(/recordAudit\(|insertInto\("audit_events"\)/g)].map((m) => m.index!)) {
    let depth = 0;
    let i = text.indexOf("(", start);
    const open = i;
    for (; i < text.length; i++) {
      if (text[i] === "(") depth++;
      else if (text[i] === ")" && --depth === 0) break;
    }
    // A direct insert carries its values in the next call.
    const end = text.startsWith("insertInto", start) ? text.indexOf(".execute()", i) : i;
    out.push(text.slice(open, end));
  }
  return out;
}

describe("audit action codes", () => {
  const written = new Set<string>();
  for (const file of sources("app")) {
    const text = readFileSync(path.join(ROOT, file), "utf8");
    for (const call of auditCalls(text)) {
      const action = /\baction:\s*([^,\n]+)/.exec(call)?.[1] ?? "";
      for (const m of action.matchAll(/"([a-z_]+)"/g)) written.add(m[1]);
    }
  }

  it("finds the codes the models write (the search works)", () => {
    expect(written.size).toBeGreaterThan(30);
    for (const code of ["login", "month_closed", "instruction_recorded", "setting_changed", "account_deactivated"]) expect(written).toContain(code);
  });

  it("has a Chinese label for every code written", () => {
    const missing = [...written].filter((code) => !(code in AUDIT_ACTIONS));
    expect(missing).toEqual([]);
  });

  it.each(Object.entries(AUDIT_ACTIONS))("%s reads as Chinese: %s", (code, label) => {
    expect(label).toMatch(/^[\u4e00-\u9fff（）]+$/);
    expect(auditActionName(code)).toBe(label);
  });

  it("names the catalogue's changes by kind", () => {
    expect(catalogAction("channel", "renamed")).toBe("channel_renamed");
    expect(AUDIT_ACTIONS[catalogAction("category", "deleted")]).toBe("删除栏目");
    expect(auditActionName("something_old")).toBe("something_old");
  });
});
