// Every action code the models write to the audit trail has a Chinese label: found in the source
// (each recordAudit call and direct insert, and each insert into an item's trail, review_events)
// and in a seeded county's audit table and trails.
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AUDIT_ACTIONS, auditActionName, catalogAction } from "~/domain/audit-actions";
import { trailActionName } from "~/domain/audit-log";
import { ITEM_ACTIONS } from "~/domain/workflow";
import { setupDemoCounty } from "../support/demo";

const ROOT = path.resolve(import.meta.dirname, "../..");
const sources = (dir: string): string[] =>
  readdirSync(path.join(ROOT, dir)).flatMap((name) => {
    const rel = path.join(dir, name);
    return statSync(path.join(ROOT, rel)).isDirectory() ? sources(rel) : /\.tsx?$/.test(name) ? [rel] : [];
  });

/** The text of each call `recordAudit(...)` and each `insertInto("audit_events")...values(...)`, balanced on parentheses. */
function auditCalls(text: string, pattern = /recordAudit\(|insertInto\("audit_events"\)/g): string[] {
  const out: string[] = [];
  for (const start of [...text.matchAll(pattern)].map((m) => m.index!)) {
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

  /** The action of each insert into an item's trail: its string literals, and the expression itself. */
  const trailWrites: Array<{ file: string; expression: string; codes: string[] }> = [];
  for (const file of sources("app")) {
    const text = readFileSync(path.join(ROOT, file), "utf8");
    for (const call of auditCalls(text, /insertInto\("review_events"\)/g)) {
      const expression = (/\baction:\s*([^,\n]+)/.exec(call)?.[1] ?? "").trim();
      // A lookup in a constant map of the same file (`TRAIL_CODE[kind]`): its codes are the map's values.
      const map = /^([A-Z][A-Z_]*)\[/.exec(expression)?.[1];
      const source = map ? (new RegExp(`const ${map}\\b[^=]*=\\s*\\{([^}]*)\\}`).exec(text)?.[1] ?? "") : expression;
      const codes = map ? [...source.matchAll(/:\s*"([a-z_]+)"/g)].map((m) => m[1]) : [...source.matchAll(/"([a-z_]+)"/g)].map((m) => m[1]);
      trailWrites.push({ file, expression, codes });
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

  it("finds the writes to the items' trail (the search works)", () => {
    expect(trailWrites.map((w) => w.file)).toContain("app/models/item-workflow.server.ts");
    expect(trailWrites.every((w) => w.expression !== "")).toBe(true);
  });

  it("has a Chinese label for every code written to an item's trail", () => {
    // A literal code needs a label: a transition's (workflow.ts) or an audit label (audit-actions.ts).
    const missing = trailWrites.flatMap((w) => w.codes.filter((code) => trailActionName(code) === code).map((code) => `${w.file}: ${code}`));
    expect(missing).toEqual([]);
    // A code that is not a literal comes from the typed transition request (ItemAction), whose codes all have names.
    for (const w of trailWrites.filter((w) => w.codes.length === 0)) expect(w.expression, w.file).toMatch(/\.action$/);
    for (const a of ITEM_ACTIONS) expect(trailActionName(a.code)).toMatch(/^[\u4e00-\u9fff]+$/);
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

describe("the codes a seeded county holds", () => {
  let county: Awaited<ReturnType<typeof setupDemoCounty>>["county"];
  beforeAll(async () => {
    ({ county } = await setupDemoCounty());
  });
  afterAll(async () => county?.dbs.dispose());

  it("has a label for every code in the audit table and the trails", async () => {
    const audit = await county.dbs.reader.selectFrom("audit_events").select("action").distinct().execute();
    const trail = await county.dbs.reader.selectFrom("review_events").select("action").distinct().execute();
    expect(trail.length).toBeGreaterThan(3);
    expect(audit.map((r) => r.action).filter((code) => !(code in AUDIT_ACTIONS))).toEqual([]);
    expect(trail.map((r) => r.action).filter((code) => trailActionName(code) === code)).toEqual([]);
  });
});
