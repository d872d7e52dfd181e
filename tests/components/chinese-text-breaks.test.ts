// JSX turns a line break inside running text into a space: "…高亮提醒。 比对时…". In Chinese that is a
// visible gap, so a sentence that goes on to the next source line is written as one string there.
// Checked for the admin pages, the public pages and the shared components.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROUTES = path.resolve("app/routes");
const COMPONENTS = path.resolve("app/components");
const PUBLIC_ROUTES = ["_index.tsx", "$.tsx", "login.tsx", "news._index.tsx", "news.$id.tsx", "notices._index.tsx", "notices.$id.tsx"];

const files = [
  ...readdirSync(ROUTES).filter((f) => f.startsWith("admin.") || PUBLIC_ROUTES.includes(f)).map((f) => path.join(ROUTES, f)),
  ...readdirSync(COMPONENTS).filter((f) => f.endsWith(".tsx")).map((f) => path.join(COMPONENTS, f)),
].filter((f) => f.endsWith(".tsx"));

const CJK_END = /[\u4e00-\u9fff，。；：、）”]$/;
const CJK_START = /^[\u4e00-\u9fff（“]/;

/** "file:line" of each text line that ends in Chinese and runs on into a line of Chinese text. */
function strayBreaks(source: string, name: string): string[] {
  const lines = source.split("\n");
  const found: string[] = [];
  for (let i = 0; i < lines.length - 1; i++) {
    const a = lines[i].trim();
    const b = lines[i + 1].trim();
    if (a.startsWith("//") || a.startsWith("*") || a.startsWith("/*")) continue;
    if (CJK_END.test(a) && CJK_START.test(b)) found.push(`${name}:${i + 1}`);
  }
  return found;
}

describe("Chinese text in JSX", () => {
  it("finds a sentence broken across source lines", () => {
    expect(strayBreaks("<p>\n  第一句。\n  第二句。\n</p>", "x.tsx")).toEqual(["x.tsx:2"]);
    expect(strayBreaks('<p>\n  第一句。\n  {"第二句。"}\n</p>', "x.tsx")).toEqual([]);
  });

  it("has no such break on the admin and public pages or in shared components", () => {
    expect(files.length).toBeGreaterThan(20);
    expect(files.flatMap((f) => strayBreaks(readFileSync(f, "utf8"), path.relative(process.cwd(), f)))).toEqual([]);
  });
});
