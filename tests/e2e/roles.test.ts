// Each demo role signs in to the built portal in headless Chromium, sees its own home page
// and navigation; a correspondent is refused a reviewer page.
import path from "node:path";
import { get, type IncomingHttpHeaders } from "node:http";
import { gunzipSync } from "node:zlib";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPortalAndBrowser, stopPortalAndBrowser } from "./support/browser";
import { DEMO_PASSWORD, newPage, SCREENSHOT_DIR, signIn, type Portal } from "./support/portal";

let portal: Portal;
let browser: Browser;

beforeAll(async () => {
  ({ portal, browser } = await startPortalAndBrowser());
});
afterAll(() => stopPortalAndBrowser(portal, browser));

const ROLES = [
  { username: "admin", heading: "系统管理", nav: ["首页", "报送要点", "排行榜", "登记表", "单位管理", "账号管理", "批量导入", "错敏词库", "任务与积分规则", "系统设置", "操作日志", "通报", "简报", "信息公开"], badge: "管理员" },
  { username: "reviewer", heading: "审核工作台", nav: ["首页", "稿件审核", "月度结算", "报送要点", "排行榜", "催报", "约稿", "登记表", "操作日志", "通报", "简报", "信息公开"], badge: "审核员" },
  { username: "x01-lead", heading: /中心学校/, nav: ["首页", "待签发", "本单位稿件", "排行榜", "约稿", "登记表", "通报", "简报", "信息公开"], badge: "分管领导" },
  { username: "x01-c1", heading: /中心学校/, nav: ["首页", "写稿", "本单位稿件", "排行榜", "约稿", "通报", "简报", "信息公开"], badge: "信息员" },
];

describe("each demo role", () => {
  it("is listed in the start message with the demo password, all four", () => {
    expect(portal.output()).toContain(`演示账号（密码均为 ${DEMO_PASSWORD}）：`);
    for (const role of ROLES) expect(portal.output()).toMatch(new RegExp(`^  .+：${role.username}$`, "m"));
  });

  for (const role of ROLES) {
    it(`${role.username} signs in and sees its home page and navigation`, async () => {
      const { context, page, problems } = await newPage(browser);
      await signIn(page, portal.url, role.username);
      expect(new URL(page.url()).pathname).toBe("/");
      await page.locator("h1", { hasText: role.heading }).first().waitFor();
      // A link's label without its count badge (the reviewer's waiting queue).
      const nav = await page.locator("nav.main-nav a").evaluateAll((links) =>
        links.map((a) => [...a.childNodes].filter((n) => n.nodeType === Node.TEXT_NODE).map((n) => n.textContent).join("")),
      );
      expect(nav).toEqual(role.nav);
      expect(await page.locator(".account-box .badge").textContent()).toBe(role.badge);
      await page.screenshot({ path: path.join(SCREENSHOT_DIR, `home-${role.username}.png`), fullPage: true });
      expect(problems).toEqual([]);
      await context.close();
    });
  }

  it("the main navigation, written directly by the server, works as NavLinks once hydrated", async () => {
    const { context, page, problems } = await newPage(browser);
    await signIn(page, portal.url, "reviewer");
    await page.goto(`${portal.url}/review`);
    await page.waitForLoadState("networkidle");
    const marked = () => page.locator("nav.main-nav a[aria-current], .account-box a[aria-current]").evaluateAll((links) => links.map((a) => [a.getAttribute("href"), a.className]));
    expect(await marked()).toEqual([["/review", "active"]]);
    // Hovering prefetches the page (prefetch on intent) and a click moves on the client: a mark
    // set on the window survives, and the active link follows.
    await page.evaluate(() => ((window as unknown as { kept: number }).kept = 1));
    await page.hover('nav.main-nav a[href="/rankings"]');
    await page.locator('link[rel="prefetch"][href*="rankings"]').first().waitFor({ state: "attached" });
    await page.click('nav.main-nav a[href="/rankings"]');
    await page.waitForURL((u) => u.pathname.startsWith("/rankings/"));
    // The navigation (a redirect to the current month) has settled once its link is active.
    await page.locator('nav.main-nav a.active[href="/rankings"]').waitFor();
    expect(await page.evaluate(() => (window as unknown as { kept?: number }).kept)).toBe(1);
    expect(await marked()).toEqual([["/rankings", "active"]]);
    await page.click(".account-box a[href='/notifications']");
    await page.locator(".account-box a.active[href='/notifications']").waitFor();
    expect(await marked()).toEqual([["/notifications", "account-box__notices active"]]);
    expect(await page.evaluate(() => (window as unknown as { kept?: number }).kept)).toBe(1);
    expect(problems).toEqual([]);
    await context.close();
  });

  it("a correspondent is refused the review queue with a Chinese 403 page", async () => {
    const { context, page } = await newPage(browser);
    await signIn(page, portal.url, "x01-c1");
    const response = await page.goto(`${portal.url}/review`);
    expect(response?.status()).toBe(403);
    await expect(page.locator("h1").textContent()).resolves.toBe("没有权限");
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, "forbidden-correspondent.png") });
    await context.close();
  });

  it("an anonymous visitor is sent to login and back to the page asked for", async () => {
    const { context, page, problems } = await newPage(browser);
    await page.goto(`${portal.url}/admin/units`);
    expect(new URL(page.url()).pathname).toBe("/login");
    expect(new URL(page.url()).searchParams.get("redirectTo")).toBe("/admin/units");
    await page.fill('input[name="username"]', "admin");
    await page.fill('input[name="password"]', "Demo@2026");
    await Promise.all([page.waitForURL((u) => u.pathname === "/admin/units"), page.click('button[type="submit"]')]);
    await page.locator("h1", { hasText: "单位" }).first().waitFor();
    expect(problems).toEqual([]);
    await context.close();
  });

  it("a wrong password shows a Chinese message and signs nobody in", async () => {
    const { context, page } = await newPage(browser);
    await page.goto(`${portal.url}/login`);
    await page.fill('input[name="username"]', "reviewer");
    await page.fill('input[name="password"]', "wrong-password");
    await page.click('button[type="submit"]');
    await expect(page.locator(".form-error").textContent()).resolves.toBe("用户名或密码不正确。");
    expect(new URL(page.url()).pathname).toBe("/login");
    await context.close();
  });

  it("signing out ends the session", async () => {
    const { context, page } = await newPage(browser);
    await signIn(page, portal.url, "reviewer");
    await Promise.all([page.waitForURL((u) => u.pathname === "/login"), page.click("text=退出登录")]);
    await page.goto(`${portal.url}/review`);
    expect(new URL(page.url()).pathname).toBe("/login");
    await context.close();
  });

  it("reads well on a phone", async () => {
    const { context, page, problems } = await newPage(browser, { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    await signIn(page, portal.url, "x01-c1");
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, "home-x01-c1-phone.png"), fullPage: true });
    expect(problems).toEqual([]);
    await context.close();
  });
});

describe("the server", () => {
  it("sends security headers with a per-response CSP nonce", async () => {
    const a = await fetch(`${portal.url}/login`);
    const b = await fetch(`${portal.url}/login`);
    const csp = a.headers.get("content-security-policy") ?? "";
    expect(csp).toMatch(/frame-ancestors 'none'/);
    expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+'/);
    expect(csp).not.toBe(b.headers.get("content-security-policy"));
    expect(a.headers.get("x-content-type-options")).toBe("nosniff");
    expect(a.headers.get("referrer-policy")).toBe("same-origin");
    const nonce = /'nonce-([^']+)'/.exec(csp)![1];
    const html = await a.text();
    const scripts = html.match(/<script[^>]*>/g) ?? [];
    expect(scripts.length).toBeGreaterThan(0);
    for (const s of scripts) expect(s).toContain(`nonce="${nonce}"`);
  });

  it("compresses pages and scripts for browsers that accept it", async () => {
    const page = await fetch(`${portal.url}/login`, { headers: { "Accept-Encoding": "gzip" } });
    expect(page.headers.get("content-encoding")).toBe("gzip");
    expect(await page.text()).toContain("登录");
    // The root route's module (the entry module is under compression's 1 KB threshold, and with lazy
    // route discovery the manifest is written into the page instead of a script of its own).
    const script = /"(\/build\/root-[^"]+\.js)"/.exec(await (await fetch(`${portal.url}/login`)).text())![1];
    const js = await fetch(`${portal.url}${script}`, { headers: { "Accept-Encoding": "gzip" } });
    expect(js.headers.get("content-encoding")).toBe("gzip");
  });

  it("compresses a page as one gzip stream, not flushed after each piece Remix writes", async () => {
    // Raw bytes (fetch would decompress them): each flush leaves an empty stored block, 00 00 ff ff.
    const raw = await new Promise<{ headers: IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
      get(`${portal.url}/login`, { headers: { "Accept-Encoding": "gzip" } }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
        res.on("error", reject);
      }).on("error", reject);
    });
    expect(raw.headers["content-encoding"]).toBe("gzip");
    const html = gunzipSync(raw.body).toString("utf8");
    expect(html).toContain("登录");
    // The page came in several pieces (its data follows the markup in scripts of their own).
    expect(html.match(/<script/g)?.length).toBeGreaterThan(2);
    expect(raw.body.indexOf(Buffer.from([0x00, 0x00, 0xff, 0xff]))).toBe(-1);
  });

  it("serves public/'s own files, cached an hour, and build assets as immutable; other paths go to the pages", async () => {
    const icon = await fetch(`${portal.url}/favicon.svg`);
    expect(icon.status).toBe(200);
    expect(icon.headers.get("content-type")).toMatch(/image\/svg\+xml/);
    expect(icon.headers.get("cache-control")).toBe("public, max-age=3600");
    const script = /"(\/build\/root-[^"]+\.js)"/.exec(await (await fetch(`${portal.url}/login`)).text())![1];
    const js = await fetch(`${portal.url}${script}`);
    expect(js.status).toBe(200);
    expect(js.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    // A path that is not one of public/'s files is the portal's (its 404 page, not a file server's).
    const missing = await fetch(`${portal.url}/favicon.ico`);
    expect(missing.status).toBe(404);
    expect(await missing.text()).toContain("<html");
  });

  it("answers /healthz with JSON", async () => {
    const res = await fetch(`${portal.url}/healthz`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/application\/json/);
    expect(await res.json()).toMatchObject({ status: "ok", database: "ok" });
  });

  it("caps request bodies with a Chinese 413, a malformed body is a 400, and multipart where no page takes files a 415", async () => {
    const big = await fetch(`${portal.url}/login`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: `username=${"x".repeat(2 * 1024 * 1024)}`,
    });
    expect(big.status).toBe(413);
    expect(await big.text()).toContain("提交的内容过大");
    const broken = await fetch(`${portal.url}/login`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: "%%%&&==&%zz=%",
    });
    expect(broken.status).toBe(400);
    const multipart = await fetch(`${portal.url}/login`, {
      method: "POST",
      headers: { "Content-Type": "multipart/form-data; boundary=abc" },
      body: "--abc\r\nContent-Disposition: form-data; name=\"username\"\r\n\r\nadmin",
    });
    expect(multipart.status).toBe(415);
    expect(await multipart.text()).toContain("不接受文件上传");
  });

  it("refuses a write forged from another site, before any session or action sees it", async () => {
    const form = { "Content-Type": "application/x-www-form-urlencoded" };
    const body = "username=admin&password=Demo%402026";
    const forged = await fetch(`${portal.url}/login`, {
      method: "POST", redirect: "manual", body, headers: { ...form, Origin: "https://evil.example.com" },
    });
    expect(forged.status).toBe(403);
    expect(await forged.text()).toContain("拒绝来自其他网站的提交");
    expect(forged.headers.get("set-cookie")).toBeNull();
    const fromPortal = await fetch(`${portal.url}/login`, {
      method: "POST", redirect: "manual", body, headers: { ...form, Origin: new URL(portal.url).origin },
    });
    expect(fromPortal.status).toBe(302);
    expect(fromPortal.headers.get("set-cookie")).toContain("portal_sid");
  });

  it("shows a Chinese 404 page for an unknown address", async () => {
    const res = await fetch(`${portal.url}/no/such/page`);
    expect(res.status).toBe(404);
    expect(await res.text()).toContain("页面不存在");
  });
});

describe("every page's bytes", () => {
  it("carry no NUL bytes, however the Chinese text falls on the renderer's buffer edges", async () => {
    const login = await fetch(`${portal.url}/login`, {
      method: "POST",
      redirect: "manual",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ username: "reviewer", password: "Demo@2026" }),
    });
    const cookie = (login.headers.get("set-cookie") ?? "").split(";")[0];
    for (const path of ["/", "/review", "/months", "/rankings", "/news", "/notifications"]) {
      const res = await fetch(`${portal.url}${path}`, { headers: { Cookie: cookie } });
      const body = Buffer.from(await res.arrayBuffer());
      expect(res.status, path).toBe(200);
      expect(body.length, path).toBeGreaterThan(2048);
      expect(body.indexOf(0), path).toBe(-1);
    }
  });
});
