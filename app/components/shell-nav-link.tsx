// The layout's navigation links, on every page. In the browser each is Remix's Link (client-side
// navigation, prefetch on intent) marked as the page's own from the current location, so the mark
// moves with the location. On the server, where a page is rendered once and nothing moves, it is
// the same <a> written directly: a Link there resolves its path and sets up its prefetch and click
// handling for nothing, and the layout's dozen of them took about 7 % of the portal's CPU per page
// (docs/performance-log.md, 负载测试). The markup is the Link's own, attribute for attribute, so the browser
// hydrates it as one; for a link to a plain path the mark is the one NavLink would give (both
// compared in tests/components/shell-nav-link.test.tsx).
//
// Two tabs may lead to one list and differ only by a filter: 待签发 is /items?status=pending_school,
// 本单位稿件 is /items. A link that carries a query is the page's when the path is its own and the
// page's query has each of the link's parameters; a plain link gives way to such a link on the same
// path (currentNavLinks), so only one tab is marked.
import { Link, useLocation } from "@remix-run/react";
import type { ReactNode } from "react";

interface Props {
  /** An absolute path in the portal, with a query where the link is one filter of a list (no hash). */
  to: string;
  /** Active on this path only, not below it. */
  end?: boolean;
  /**
   * Whether the link is the page's own, as the layout decided it among its links (currentNavLinks);
   * by default the link decides alone (navMatches).
   */
  current?: boolean;
  className?: string;
  prefetch?: "intent" | "none";
  children: ReactNode;
}

export interface NavTarget {
  to: string;
  end?: boolean;
}

export interface NavLocation {
  pathname: string;
  search: string;
}

/**
 * Whether the page at `pathname` is at a path, as NavLink decides it without case sensitivity:
 * the same path, or (unless `end`) a path below it.
 */
export function navIsActive(pathname: string, to: string, end: boolean): boolean {
  const location = pathname.toLowerCase();
  const target = to.toLowerCase();
  const slashAt = target !== "/" && target.endsWith("/") ? target.length - 1 : target.length;
  return location === target || (!end && location.startsWith(target) && location.charAt(slashAt) === "/");
}

function splitTarget(to: string): { path: string; query: string } {
  const at = to.indexOf("?");
  return at < 0 ? { path: to, query: "" } : { path: to.slice(0, at), query: to.slice(at + 1) };
}

/**
 * Whether the page at `location` is the link's. A plain link: by its path (navIsActive). A link
 * with a query: on exactly its path, with every parameter of the link's query among the page's
 * (other parameters, a page number or a keyword, do not matter).
 */
export function navMatches(location: NavLocation, link: NavTarget): boolean {
  const { path, query } = splitTarget(link.to);
  if (!query) return navIsActive(location.pathname, path, link.end ?? false);
  if (!navIsActive(location.pathname, path, true)) return false;
  const have = new URLSearchParams(location.search);
  return [...new URLSearchParams(query)].every(([name, value]) => have.getAll(name).includes(value));
}

/**
 * The links (their `to`) that are the page's own: those that match it, less a plain link whose
 * path a matching link with a query narrows (on /items?status=pending_school, 待签发 and not
 * 本单位稿件).
 */
export function currentNavLinks(location: NavLocation, links: readonly NavTarget[]): Set<string> {
  const matching = links.filter((link) => navMatches(location, link));
  const narrowing = matching.map((link) => splitTarget(link.to)).filter((t) => t.query);
  return new Set(
    matching
      .filter((link) => {
        const { path, query } = splitTarget(link.to);
        return query || !narrowing.some((n) => navIsActive(n.path, path, link.end ?? false));
      })
      .map((link) => link.to),
  );
}

export function ShellNavLink({ to, end = false, current, className, prefetch, children }: Props) {
  const location = useLocation();
  const active = current ?? navMatches(location, { to, end });
  const classes = [className, active ? "active" : null].filter(Boolean).join(" ");
  if (typeof document !== "undefined") {
    return (
      <Link to={to} aria-current={active ? "page" : undefined} className={classes} prefetch={prefetch}>
        {children}
      </Link>
    );
  }
  return (
    <a aria-current={active ? "page" : undefined} className={classes} data-discover="true" href={to}>
      {children}
    </a>
  );
}
