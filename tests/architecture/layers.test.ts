// The layers point one way (docs in README 结构): routes → components → lib → models → db → domain.
// Every import of every source file is read and checked against what its folder may import, so an
// arrow pointing upwards fails here before it lands.
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "../..");

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(path.join(ROOT, dir))) {
    const rel = path.join(dir, name);
    if (statSync(path.join(ROOT, rel)).isDirectory()) out.push(...filesUnder(rel));
    else if (/\.(ts|tsx)$/.test(name)) out.push(rel);
  }
  return out;
}

/** Every module a file imports (static, dynamic and type-only), resolved to a path from the root. */
export function importsOf(file: string, source: string): string[] {
  const specs = [...source.matchAll(/(?:import|export)\s[^'"]*?from\s*["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1] ?? m[2]);
  return specs.map((s) => {
    if (s.startsWith("~/")) return path.join("app", s.slice(2));
    if (s.startsWith(".")) return path.normalize(path.join(path.dirname(file), s));
    return s;
  });
}

const layer = (target: string) => target.split(path.sep).slice(0, 2).join("/");

interface Rule {
  from: string;
  /** Import targets this folder must never reach (path prefixes from the root). */
  never: string[];
  why: string;
}

const RULES: Rule[] = [
  { from: "app/domain", never: ["app/models", "app/lib", "app/routes", "app/components", "db/", "node:", "kysely", "@remix-run"], why: "规则是纯函数" },
  { from: "app/models", never: ["app/lib", "app/routes", "app/components"], why: "模型只在数据库和规则之上" },
  { from: "app/lib", never: ["db/", "app/routes", "app/components"], why: "lib 经由模型用数据库" },
  { from: "app/components", never: ["db/", "app/models", "app/routes"], why: "组件只显示数据" },
  { from: "app/routes", never: ["db/"], why: "页面经由模型用数据库" },
  { from: "db", never: ["app/models", "app/lib", "app/routes", "app/components"], why: "db/ 是底层" },
];

describe("the layers point one way", () => {
  for (const rule of RULES) {
    it(`${rule.from} imports none of ${rule.never.join(", ")} (${rule.why})`, () => {
      const files = filesUnder(rule.from);
      expect(files.length, rule.from).toBeGreaterThan(0);
      const wrong: string[] = [];
      for (const file of files) {
        for (const target of importsOf(file, readFileSync(path.join(ROOT, file), "utf8"))) {
          if (rule.never.some((n) => target === n.replace(/\/$/, "") || target.startsWith(n))) wrong.push(`${file} → ${target}`);
        }
      }
      expect(wrong).toEqual([]);
    });
  }

  it("reads imports the way the rules need (the check can see an upward arrow)", () => {
    const sample = `import { a } from "~/models/x.server";\nimport type { B } from "../../db/schema";\nexport { c } from "./c";\nconst d = await import("~/lib/d");`;
    expect(importsOf("app/routes/page.tsx", sample).map((t) => t.split(path.sep).join("/"))).toEqual([
      "app/models/x.server", "db/schema", "app/routes/c", "app/lib/d",
    ]);
    expect(layer(path.join("app", "models", "x"))).toBe("app/models");
  });
});
