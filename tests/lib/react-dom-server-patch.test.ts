// patches/react-dom+18.3.1.patch: React 18's streaming renderer (the production build the portal
// serves pages with) copied every piece of a page (each tag, attribute and text) into a 2 KB buffer
// with a TextEncoder call and a new typed-array view apiece, and left zero bytes where a Chinese
// character did not fit at a buffer's end (facebook/react#24985). Patched, it joins the pieces as
// text and encodes them once per 8,192 characters and at the end of each flush. These tests fail if
// the patch is missing or changes what is written.
import { createRequire } from "node:module";
import path from "node:path";
import { Writable } from "node:stream";
import { createElement as h, Fragment, type ReactElement } from "react";
import { describe, expect, it } from "vitest";

// The production build, whatever NODE_ENV the tests run under (react-dom/server picks the development one here).
const require = createRequire(import.meta.url);
const productionBuild = path.join(path.dirname(require.resolve("react-dom/package.json")), "cjs/react-dom-server.node.production.min.js");
const { renderToPipeableStream } = require(productionBuild) as typeof import("react-dom/server");

/** The page as the portal's document handler writes it: every chunk React hands its destination. */
function render(element: ReactElement): Promise<Buffer[]> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const destination = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        chunks.push(Buffer.from(chunk));
        callback();
      },
    });
    destination.on("finish", () => resolve(chunks));
    const { pipe } = renderToPipeableStream(element, { onAllReady: () => pipe(destination), onShellError: reject, onError: reject });
  });
}

const escaped = (text: string) => text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll('"', "&quot;");

/** A league-sized table: rows of Chinese names of every length, so characters straddle every 2 KB boundary. */
function table(rows: number): { element: ReactElement; html: string } {
  const cells = Array.from({ length: rows }, (_, i) => ({ name: `第${i}名：城关镇中心学校${"教".repeat(i % 97)}`, note: `<${i}> & "引号"` }));
  const element = h(
    "table",
    { className: "league" },
    h(
      "tbody",
      null,
      cells.map((c, i) => h("tr", { key: i, "data-rank": i }, h("td", null, c.name), h("td", { title: c.note }, c.note), h("td", { dangerouslySetInnerHTML: { __html: `<b>${i}</b>` } }))),
    ),
  );
  const html = `<table class="league"><tbody>${cells
    .map((c, i) => `<tr data-rank="${i}"><td>${escaped(c.name)}</td><td title="${escaped(c.note)}">${escaped(c.note)}</td><td><b>${i}</b></td></tr>`)
    .join("")}</tbody></table>`;
  return { element, html };
}

describe("React's streaming renderer (patched)", () => {
  it("writes every character of a large page whole: no zero bytes, the same text as built by hand", async () => {
    const { element, html } = table(700);
    const chunks = await render(element);
    const bytes = Buffer.concat(chunks);
    expect(bytes.indexOf(0)).toBe(-1);
    expect(bytes.toString("utf8")).toBe(html);
  });

  it("hands its destination a few large chunks, not one per 2 KB", async () => {
    const { element, html } = table(700);
    const chunks = await render(element);
    const size = Buffer.byteLength(html);
    expect(size).toBeGreaterThan(200_000);
    // Unpatched: one write per 2 KB (over a hundred here). Patched: one per 8,192 characters or more.
    expect(chunks.length).toBeLessThanOrEqual(Math.ceil(html.length / 8192) + 1);
    expect(chunks.length).toBeLessThan(size / 2048 / 4);
  });

  it("writes small pages and text next to text exactly as before", async () => {
    const page = h(Fragment, null, h("p", null, "你好", "，", "世界"), h("p", { style: { color: "red", width: 3 } }, 7, " & ", "<b>"));
    const chunks = await render(page);
    expect(Buffer.concat(chunks).toString("utf8")).toBe('<p>你好<!-- -->，<!-- -->世界</p><p style="color:red;width:3px">7<!-- --> &amp; <!-- -->&lt;b&gt;</p>');
    expect(chunks).toHaveLength(1);
  });
});
