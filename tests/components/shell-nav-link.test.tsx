// The layout's navigation links are written directly on the server (ShellNavLink) and are Remix's
// Link in the browser, which hydrates the server's markup as its own: the two must be the same,
// attribute for attribute, wherever the page is and whatever the link. For a link to a plain path
// the page's mark is the one NavLink gives; two tabs that differ only by a filter are told apart
// by the page's query, and only one of them is marked.
import { Link, NavLink } from "@remix-run/react";
import type { ReactElement } from "react";
import { renderToString } from "react-dom/server";
import { createStaticHandler, createStaticRouter, StaticRouter, StaticRouterProvider } from "react-router-dom/server";
import { afterEach, describe, expect, it, vi } from "vitest";
import { AppShell } from "~/components/app-shell";
import { currentNavLinks, navIsActive, navMatches, ShellNavLink } from "~/components/shell-nav-link";
import { navigationFor, type SessionUser } from "~/domain/permissions";

/** `element` rendered on the server for the page at `url`, as Remix renders pages (a static router). */
const at = (url: string, element: ReactElement) => renderToString(<StaticRouter location={url}>{element}</StaticRouter>);

/** An element's opening tag with its attributes in a fixed order (the order does not matter to hydration). */
const attributes = (html: string) => {
  const tag = /^<a ([^>]*)>/.exec(html)?.[1] ?? "";
  return [...tag.matchAll(/([\w-]+)="([^"]*)"/g)].map((m) => `${m[1]}=${m[2]}`).sort();
};

const children = (
  <>
    通知<span className="count-badge">3</span>
  </>
);

const cases: Array<{ url: string; to: string; end?: boolean; className?: string; current?: boolean }> = [
  { url: "/", to: "/", end: true },
  { url: "/review", to: "/", end: true },
  { url: "/review", to: "/review" },
  { url: "/review/12", to: "/review" },
  { url: "/reviewer", to: "/review" },
  { url: "/items", to: "/items", end: true },
  { url: "/items/new", to: "/items", end: true },
  { url: "/items/new", to: "/items" },
  { url: "/REVIEW/3", to: "/review" },
  { url: "/rankings/2026-11", to: "/rankings" },
  { url: "/review/%E4%B8%AD", to: "/review" },
  { url: "/notifications", to: "/notifications", className: "account-box__notices" },
  { url: "/items", to: "/notifications", className: "account-box__notices" },
  { url: "/items?status=pending_school", to: "/items?status=pending_school" },
  { url: "/items", to: "/items?status=pending_school" },
  { url: "/items?status=pending_school", to: "/items", end: true, current: false },
  { url: "/items?status=draft", to: "/items", end: true, current: true },
];

describe("ShellNavLink on the server is the browser's markup", () => {
  afterEach(() => vi.unstubAllGlobals());

  it.each(cases)("at $url, a link to $to (end: $end, class: $className, current: $current)", ({ url, to, end, className, current }) => {
    const props = { to, end, className, current, prefetch: "intent" as const };
    const ours = at(url, <ShellNavLink {...props}>{children}</ShellNavLink>);
    // What the browser renders: the same component where there is a document.
    vi.stubGlobal("document", {});
    const browser = at(url, <ShellNavLink {...props}>{children}</ShellNavLink>);
    vi.unstubAllGlobals();
    expect(ours).toBe(browser);
    const active = ours.includes('aria-current="page"');
    const theirs = at(url, <Link to={to} aria-current={active ? "page" : undefined} className={[className, active ? "active" : null].filter(Boolean).join(" ")} prefetch="intent">{children}</Link>);
    expect(ours).toBe(theirs);
  });

  it.each(cases.filter((c) => !c.to.includes("?") && c.current === undefined))("at $url, a plain link to $to is marked as NavLink marks it", ({ url, to, end, className }) => {
    const ours = at(url, <ShellNavLink to={to} end={end} className={className} prefetch="intent">{children}</ShellNavLink>);
    const theirs = at(url, <NavLink to={to} end={end} className={className} prefetch="intent">{children}</NavLink>);
    expect(attributes(ours)).toEqual(attributes(theirs));
  });
});

describe("navIsActive", () => {
  it.each([
    ["/", "/", true, true],
    ["/items", "/", true, false],
    ["/items", "/", false, false],
    ["/review", "/review", false, true],
    ["/review/5", "/review", false, true],
    ["/review/5", "/review", true, false],
    ["/reviewer", "/review", false, false],
    ["/Review/5", "/review", false, true],
    ["/admin/audit", "/admin/", false, true],
    ["/admin", "/admin/", false, false],
  ] as const)("%s, link to %s (end %s) → %s", (pathname, to, end, active) => {
    expect(navIsActive(pathname, to, end)).toBe(active);
  });
});

describe("navMatches", () => {
  it.each([
    ["/items", "?status=pending_school", "/items?status=pending_school", true],
    ["/items", "?page=2&status=pending_school&q=读书", "/items?status=pending_school", true],
    ["/Items", "?status=pending_school", "/items?status=pending_school", true],
    ["/items", "", "/items?status=pending_school", false],
    ["/items", "?status=draft", "/items?status=pending_school", false],
    ["/items", "?status=pending", "/items?status=pending_school", false],
    ["/items/new", "?status=pending_school", "/items?status=pending_school", false],
    ["/items", "?status=draft&status=pending_school", "/items?status=pending_school", true],
    // Alone, a plain link does not read the query (currentNavLinks lets the narrower tab have the page).
    ["/items", "?status=pending_school", "/items", true],
    ["/items", "?status=pending_school", "/review", false],
    ["/review/5", "?from=queue", "/review", true],
  ] as const)("%s%s, link to %s → %s", (pathname, search, to, active) => {
    expect(navMatches({ pathname, search }, { to, end: to === "/items" })).toBe(active);
  });
});

describe("currentNavLinks: one tab for the page", () => {
  const leadNav = navigationFor("school_lead").map((l) => ({ to: l.to, end: l.to === "/" || l.to === "/items" }));
  const current = (url: string) => {
    const u = new URL(url, "http://portal");
    return [...currentNavLinks({ pathname: u.pathname, search: u.search }, leadNav)];
  };

  it("gives the lead's list its two tabs by its filter", () => {
    expect(leadNav.map((l) => l.to)).toEqual(expect.arrayContaining(["/items?status=pending_school", "/items"]));
    expect(current("/items?status=pending_school")).toEqual(["/items?status=pending_school"]);
    expect(current("/items?status=pending_school&page=2")).toEqual(["/items?status=pending_school"]);
    expect(current("/items")).toEqual(["/items"]);
    expect(current("/items?status=draft")).toEqual(["/items"]);
    expect(current("/items?page=2")).toEqual(["/items"]);
  });

  it("leaves the other tabs to their paths", () => {
    expect(current("/")).toEqual(["/"]);
    expect(current("/rankings/2026-11")).toEqual(["/rankings"]);
    expect(current("/items/12")).toEqual([]);
  });
});

describe("AppShell marks one tab", () => {
  const lead: SessionUser = {
    id: 3, username: "x01-lead", displayName: "潘海洁", role: "school_lead", unitId: 1, unitName: "城关镇中心学校", mustChangePassword: false,
  } as SessionUser;
  /** The layout rendered for `url` in a data router, as Remix renders it (its 退出登录 is a Form). */
  const page = async (url: string) => {
    const routes = [{ path: "*", element: <AppShell user={lead} nav={navigationFor("school_lead")} flash={null}>正文</AppShell> }];
    const handler = createStaticHandler(routes);
    const context = await handler.query(new Request(`http://portal${url}`));
    if (context instanceof Response) throw new Error("unexpected response");
    return renderToString(<StaticRouterProvider router={createStaticRouter(handler.dataRoutes, context)} context={context} hydrate={false} />);
  };
  const marked = async (url: string) => {
    const html = await page(url);
    const nav = /<nav class="main-nav"[^]*?<\/nav>/.exec(html)?.[0] ?? "";
    return [...nav.matchAll(/<a aria-current="page"[^>]*>([^<]*)/g)].map((m) => m[1]);
  };

  it.each([
    ["/items?status=pending_school", ["待签发"]],
    ["/items", ["本单位稿件"]],
    ["/items?status=adopted&page=2", ["本单位稿件"]],
    ["/", ["首页"]],
  ])("at %s: %j", async (url, tabs) => {
    expect(await marked(url)).toEqual(tabs);
  });
});
