// The layout's navigation links are written directly on the server (ShellNavLink) and are Remix's
// NavLink in the browser, which hydrates the server's markup as its own: the two must be the same,
// attribute for attribute, wherever the page is and whatever the link.
import { NavLink } from "@remix-run/react";
import type { ReactElement } from "react";
import { renderToString } from "react-dom/server";
import { StaticRouter } from "react-router-dom/server";
import { describe, expect, it } from "vitest";
import { navIsActive, ShellNavLink } from "~/components/shell-nav-link";

/** `element` rendered on the server for the page at `pathname`, as Remix renders pages (a static router). */
const at = (pathname: string, element: ReactElement) => renderToString(<StaticRouter location={pathname}>{element}</StaticRouter>);

describe("ShellNavLink on the server is NavLink's markup", () => {
  const cases: Array<{ pathname: string; to: string; end?: boolean; className?: string }> = [
    { pathname: "/", to: "/", end: true },
    { pathname: "/review", to: "/", end: true },
    { pathname: "/review", to: "/review" },
    { pathname: "/review/12", to: "/review" },
    { pathname: "/reviewer", to: "/review" },
    { pathname: "/items", to: "/items", end: true },
    { pathname: "/items/new", to: "/items", end: true },
    { pathname: "/items/new", to: "/items" },
    { pathname: "/REVIEW/3", to: "/review" },
    { pathname: "/rankings/2026-11", to: "/rankings" },
    { pathname: "/review/%E4%B8%AD", to: "/review" },
    { pathname: "/notifications", to: "/notifications", className: "account-box__notices" },
    { pathname: "/items", to: "/notifications", className: "account-box__notices" },
  ];
  it.each(cases)("at $pathname, a link to $to (end: $end, class: $className)", ({ pathname, to, end, className }) => {
    const children = (
      <>
        通知<span className="count-badge">3</span>
      </>
    );
    const ours = at(pathname, <ShellNavLink to={to} end={end} className={className} prefetch="intent">{children}</ShellNavLink>);
    const theirs = at(pathname, <NavLink to={to} end={end} className={className} prefetch="intent">{children}</NavLink>);
    expect(ours).toBe(theirs);
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
