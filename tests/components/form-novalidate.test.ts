// Every form whose fields the browser would check by itself (a required field, a date, a number
// with bounds) says noValidate: the server checks them and answers in Chinese beside each field,
// where the browser would stop the form with its own message, in its own language (on an English
// system, "Please fill out this field."). Read from the source: a <Form>…</Form> whose markup
// names such a field, or one of the form kit's fields, must carry noValidate on its opening tag.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "../..");
const DIRS = ["app/routes", "app/components"];

/** The opening tag starting at `start` (up to its `>`, braces of attribute expressions skipped). */
function openingTag(source: string, start: number): string {
  let depth = 0;
  for (let i = start; i < source.length; i++) {
    const c = source[i];
    if (c === "{") depth++;
    else if (c === "}") depth--;
    else if (c === ">" && depth === 0) return source.slice(start, i + 1);
  }
  return source.slice(start);
}

/** A field the browser would check before sending, written directly or through the form kit. */
const CHECKED_FIELD =
  /\brequired\b|\btype="(date|month|number|email|url)"|\b(min|max|pattern)=|<(TextField|TextAreaField|SelectField|Field|CheckboxField|EffectiveMonthField)\b/;

function formsWithoutNoValidate(file: string, text: string): string[] {
  // Comment lines are blanked (a comment may speak of "a plain <Form>"), keeping the line numbers.
  const source = text.replace(/^\s*(\/\/|\/\*|\*).*$/gm, "");
  const found: string[] = [];
  for (const match of source.matchAll(/<(Form|form)\b(?![\w.])/g)) {
    const tag = openingTag(source, match.index);
    if (/\bnoValidate\b/.test(tag) || tag.endsWith("/>")) continue;
    const end = source.indexOf(`</${match[1]}>`, match.index + tag.length);
    const body = source.slice(match.index + tag.length, end < 0 ? undefined : end);
    if (CHECKED_FIELD.test(body)) found.push(`${file}:${source.slice(0, match.index).split("\n").length}`);
  }
  return found;
}

describe("forms leave checking their fields to the server", () => {
  it("no form with fields the browser would check lacks noValidate", () => {
    const files = DIRS.flatMap((dir) =>
      readdirSync(path.join(ROOT, dir), { recursive: true, encoding: "utf8" })
        .filter((f) => f.endsWith(".tsx"))
        .map((f) => path.join(dir, f)),
    );
    expect(files.length).toBeGreaterThan(50);
    const offenders = files.flatMap((file) => formsWithoutNoValidate(file, readFileSync(path.join(ROOT, file), "utf8")));
    expect(offenders).toEqual([]);
  });

  it("finds such a form, and passes one that says noValidate or has only buttons", () => {
    const plain = '<Form method="post">\n<TextField form={form} name="reason" label="理由" required />\n</Form>';
    expect(formsWithoutNoValidate("x.tsx", plain)).toEqual(["x.tsx:1"]);
    expect(formsWithoutNoValidate("x.tsx", plain.replace('method="post"', 'method="post" noValidate'))).toEqual([]);
    expect(formsWithoutNoValidate("x.tsx", "// a plain <Form>, required\n<Form method=\"post\" noValidate>\n<input required />\n</Form>")).toEqual([]);
    expect(formsWithoutNoValidate("x.tsx", '<Form method="post" onSubmit={(e) => { if (a > b) e.preventDefault(); }}>\n<button>删除</button>\n</Form>')).toEqual([]);
  });
});
