// JSX turns a line break inside running text into a space: "…高亮提醒。 比对时…". In Chinese that is a
// visible gap, so a sentence that goes on to the next source line is written as one string there.
// Checked for every page and the shared components.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROUTES = path.resolve("app/routes");
const COMPONENTS = path.resolve("app/components");

const files = [
  ...readdirSync(ROUTES).map((f) => path.join(ROUTES, f)),
  ...readdirSync(COMPONENTS, { recursive: true, encoding: "utf8" }).map((f) => path.join(COMPONENTS, f)),
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

  it("has no such break on any page or in a shared component", () => {
    expect(files.length).toBeGreaterThan(80);
    expect(files.flatMap((f) => strayBreaks(readFileSync(f, "utf8"), path.relative(process.cwd(), f)))).toEqual([]);
  });
});
