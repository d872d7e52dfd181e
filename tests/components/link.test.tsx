// Links inside pages are written directly on the server when they go to a plain path in the portal
// (~/components/link) and are Remix's Link in the browser, which hydrates the server's markup as its
// own: the two must be the same, attribute for attribute, whatever the link.
import { Link as RemixLink, type LinkProps } from "@remix-run/react";
import type { ReactElement } from "react";
import { renderToString } from "react-dom/server";
import { StaticRouter } from "react-router-dom/server";
import { describe, expect, it } from "vitest";
import { isPlainPath, Link } from "~/components/link";

/** `element` rendered on the server for the page at `pathname`, as Remix renders pages (a static router). */
const at = (pathname: string, element: ReactElement) => renderToString(<StaticRouter location={pathname}>{element}</StaticRouter>);

const cases: Array<[string, LinkProps]> = [
  ["a plain path", { to: "/items/12" }],
  ["a search", { to: "/items?page=2&status=draft" }],
  ["a hash", { to: "/review/5#decide" }],
  ["Chinese in the search", { to: "/news?q=会议&page=2" }],
  ["an encoded path", { to: "/news/%E4%B8%AD" }],
  ["a trailing slash", { to: "/admin/" }],
  ["attributes of its own", { to: "/rankings/2026-11?kind=town#own-row", className: "pager__next", title: "下一页", "aria-label": "下一页", id: "next", rel: "next" }],
  ["a target", { to: "/notices/3", target: "_blank", rel: "noopener" }],
  ["reloadDocument", { to: "/exports/2026-11.xlsx", reloadDocument: true }],
  ["discover none", { to: "/news", discover: "none" }],
  ["prefetch on intent", { to: "/news", prefetch: "intent" }],
  ["navigation options", { to: "/items", state: { from: "list" }, replace: true, preventScrollReset: true }],
  // Not plain: Remix's Link on the server too.
  ["a search alone", { to: "?page=2" }],
  ["a path relative to the route", { to: "items/3" }],
  ["a parent path", { to: "../x" }],
  ["an empty search", { to: "/items?" }],
  ["an empty hash", { to: "/items#" }],
  ["another site", { to: "https://example.org/a" }],
  ["another site without a scheme", { to: "//example.org/a" }],
  ["an object", { to: { pathname: "/items", search: "?page=3" } }],
];

describe("Link on the server is Remix's Link's markup", () => {
  it.each(cases)("%s", (_name, props) => {
    const children = (
      <>
        第 2 页<span className="sr-only">（共 5 页）</span>
      </>
    );
    for (const pathname of ["/", "/items", "/review/12"]) {
      expect(at(pathname, <Link {...props}>{children}</Link>)).toBe(at(pathname, <RemixLink {...props}>{children}</RemixLink>));
    }
  });
});

describe("which links the server writes itself", () => {
  it("writes a plain path without a router (Remix's Link cannot render there)", () => {
    expect(renderToString(<Link to="/items/12" className="row-link">查看</Link>)).toBe('<a class="row-link" data-discover="true" href="/items/12">查看</a>');
    expect(() => renderToString(<RemixLink to="/items/12">查看</RemixLink>)).toThrow();
  });

  it("leaves everything else to Remix's Link", () => {
    for (const to of ["?page=2", "items/3", "/items?", "https://example.org/a"]) {
      expect(() => renderToString(<Link to={to}>查看</Link>), to).toThrow();
    }
    expect(() => renderToString(<Link to="/items" prefetch="render">查看</Link>)).toThrow();
  });

  it.each([
    ["/items/12", true],
    ["/", true],
    ["/items?page=2", true],
    ["/items#top", true],
    ["/items?page=2#top", true],
    ["/items?", false],
    ["/items#", false],
    ["/items?#top", false],
    ["//example.org", false],
    ["https://example.org", false],
    ["items", false],
    ["", false],
    ["?page=2", false],
  ] as const)("isPlainPath(%j) = %s", (to, plain) => {
    expect(isPlainPath(to)).toBe(plain);
  });
});
