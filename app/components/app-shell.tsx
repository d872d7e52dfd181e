import { Form, useLocation } from "@remix-run/react";
import { useEffect, useRef, type ReactNode } from "react";
import { currentNavLinks, ShellNavLink } from "~/components/shell-nav-link";
import { roleName, type NavLink as NavItem } from "~/domain/permissions";
import { bureauNames, DEFAULT_SETTINGS, type BureauNames } from "~/domain/settings";
import type { SessionUser } from "~/domain/permissions";

export interface HeaderCounts {
  /** The signed-in person's unread notifications. */
  unread: number;
  /** Items waiting in the bureau's queue; null for anyone but a reviewer. */
  reviewQueue: number | null;
}

interface Props {
  user: SessionUser | null;
  nav: NavItem[];
  flash: { kind: "success" | "error"; message: string } | null;
  counts?: HeaderCounts;
  /** The county's names from its settings; the defaults when the root loader did not run. */
  names?: BureauNames;
  children: ReactNode;
}

const DEFAULT_NAMES = bureauNames(DEFAULT_SETTINGS);

/** A count on a link: the number is shown, and read out with what it counts ("通知：3 条未读"). */
function CountBadge({ n, unit }: { n: number; unit: string }) {
  if (n <= 0) return null;
  return (
    <span className="count-badge">
      <span className="sr-only">：</span>
      {n > 99 ? "99+" : n}
      <span className="sr-only"> {unit}</span>
    </span>
  );
}

/** The main navigation's "/" and "/items" are the page's own on that exact path only. */
const endsAt = (to: string) => to === "/" || to === "/items";

/**
 * On a phone the tabs scroll sideways and the later ones (系统设置, 通报, 信息公开…) start out of view:
 * the page's own tab is scrolled into the row, or nothing on screen says where the person is.
 */
function useCurrentTabInView(location: { pathname: string; search: string }) {
  const list = useRef<HTMLUListElement>(null);
  useEffect(() => {
    const row = list.current;
    const tab = row?.querySelector<HTMLElement>('a[aria-current="page"]');
    if (!row || !tab || row.scrollWidth <= row.clientWidth) return;
    const start = tab.getBoundingClientRect().left - row.getBoundingClientRect().left + row.scrollLeft;
    row.scrollLeft = Math.max(0, start - (row.clientWidth - tab.offsetWidth) / 2);
  }, [location.pathname, location.search]);
  return list;
}

export function AppShell({ user, nav, flash, counts, names = DEFAULT_NAMES, children }: Props) {
  const location = useLocation();
  const current = currentNavLinks(location, nav.map((link) => ({ to: link.to, end: endsAt(link.to) })));
  const tabs = useCurrentTabInView(location);
  return (
    <>
      <a className="skip-link" href="#main">
        跳到正文
      </a>
      <header className="site-header">
        <div className="site-header__inner">
          <a className="brand" href="/">
            <span className="brand__mark" aria-hidden="true">
              教
            </span>
            <span>
              <strong>教育信息报送平台</strong>
              <small>{names.office}</small>
            </span>
          </a>
          {user ? (
            <div className="account-box">
              <span className="account-box__who">
                {user.displayName}
                <span className="badge">{roleName(user.role)}</span>
                {user.unitName ? <span className="account-box__unit">{user.unitName}</span> : null}
              </span>
              {/* Kept together: on a narrow screen they move under the name as one row. */}
              <span className="account-box__links">
                <ShellNavLink to="/notifications" className="account-box__notices">
                  通知
                  <CountBadge n={counts?.unread ?? 0} unit="条未读" />
                </ShellNavLink>
                <a href="/account/password">修改密码</a>
                <Form method="post" action="/logout">
                  <button type="submit" className="link-button">
                    退出登录
                  </button>
                </Form>
              </span>
            </div>
          ) : (
            <a className="button button--small" href="/login">
              登录
            </a>
          )}
        </div>
        {nav.length > 0 ? (
          <nav className="main-nav" aria-label="主导航">
            <ul ref={tabs}>
              {nav.map((link) => (
                <li key={link.to}>
                  <ShellNavLink to={link.to} end={endsAt(link.to)} current={current.has(link.to)} prefetch="intent">
                    {link.label}
                    {link.to === "/review" && counts?.reviewQueue ? <CountBadge n={counts.reviewQueue} unit="篇待审核" /> : null}
                  </ShellNavLink>
                </li>
              ))}
            </ul>
          </nav>
        ) : null}
      </header>
      <main id="main" className="page">
        {flash ? (
          <p className={`flash flash--${flash.kind}`} role="status">
            {flash.message}
          </p>
        ) : null}
        {children}
      </main>
      <footer className="site-footer">
        <p>{names.office} · 信息报送热线请咨询局办公室</p>
      </footer>
    </>
  );
}
