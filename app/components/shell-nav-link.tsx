// The layout's navigation links, on every page. In the browser each is Remix's NavLink (client-side
// navigation, prefetch on intent, the active page marked as the location moves). On the server,
// where a page is rendered once and nothing moves, it is the same <a> written directly: a NavLink
// there resolves its path, reads the router's state and sets up its prefetch and click handling for
// nothing, and the layout's dozen of them took about 7 % of the portal's CPU per page (README,
// 负载测试). The markup is the NavLink's own, attribute for attribute, so the browser hydrates it as
// one (tests/components/shell-nav-link.test.tsx compares the two).
import { NavLink, useLocation } from "@remix-run/react";
import type { ReactNode } from "react";

interface Props {
  /** An absolute path in the portal (no search or hash). */
  to: string;
  /** Active on this path only, not below it. */
  end?: boolean;
  className?: string;
  prefetch?: "intent" | "none";
  children: ReactNode;
}

/**
 * Whether the page at `pathname` is the link's, as NavLink decides it without case sensitivity:
 * the same path, or (unless `end`) a path below it.
 */
export function navIsActive(pathname: string, to: string, end: boolean): boolean {
  const location = pathname.toLowerCase();
  const target = to.toLowerCase();
  const slashAt = target !== "/" && target.endsWith("/") ? target.length - 1 : target.length;
  return location === target || (!end && location.startsWith(target) && location.charAt(slashAt) === "/");
}

export function ShellNavLink({ to, end = false, className, prefetch, children }: Props) {
  const { pathname } = useLocation();
  if (typeof document !== "undefined") {
    return (
      <NavLink to={to} end={end} className={className} prefetch={prefetch}>
        {children}
      </NavLink>
    );
  }
  const active = navIsActive(pathname, to, end);
  return (
    <a data-discover="true" aria-current={active ? "page" : undefined} className={[className, active ? "active" : null].filter(Boolean).join(" ")} href={to}>
      {children}
    </a>
  );
}
