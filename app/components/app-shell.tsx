import { Form, NavLink } from "@remix-run/react";
import type { ReactNode } from "react";
import { roleName, type NavLink as NavItem } from "~/domain/permissions";
import type { SessionUser } from "~/models/auth.server";

interface Props {
  user: SessionUser | null;
  nav: NavItem[];
  flash: { kind: "success" | "error"; message: string } | null;
  children: ReactNode;
}

export function AppShell({ user, nav, flash, children }: Props) {
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
              <small>县教育和体育局办公室</small>
            </span>
          </a>
          {user ? (
            <div className="account-box">
              <span className="account-box__who">
                {user.displayName}
                <span className="badge">{roleName(user.role)}</span>
                {user.unitName ? <span className="account-box__unit">{user.unitName}</span> : null}
              </span>
              <a href="/account/password">修改密码</a>
              <Form method="post" action="/logout">
                <button type="submit" className="link-button">
                  退出登录
                </button>
              </Form>
            </div>
          ) : (
            <a className="button button--small" href="/login">
              登录
            </a>
          )}
        </div>
        {nav.length > 0 ? (
          <nav className="main-nav" aria-label="主导航">
            <ul>
              {nav.map((link) => (
                <li key={link.to}>
                  <NavLink to={link.to} end={link.to === "/"} prefetch="intent">
                    {link.label}
                  </NavLink>
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
        <p>县教育和体育局办公室 · 信息报送热线请咨询局办公室</p>
      </footer>
    </>
  );
}
