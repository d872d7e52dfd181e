import { describe, expect, it } from "vitest";
import { BULLETIN_LIMITS } from "~/domain/bulletins";
import {
  bodyLimitFor, BODY_LIMITS, downloadRewrite, foreignWrite, formBodyLimit, isAllowedMethod, isHostHeader, limitText, securityHeaders, uploadPermissionFor,
} from "~/lib/http.server";
import { ArrivingBytes } from "~/lib/request-body.server";

describe("download addresses", () => {
  const cases: Array<[string, string | null]> = [
    ["/rankings/2026-10.xlsx", "/rankings/2026-10/export?format=xlsx"],
    ["/rankings/2026.csv", "/rankings/2026/export?format=csv"],
    ["/notices/12.docx", "/notices/12/export?format=docx"],
    ["/bulletins/7.docx", "/bulletins/7/export?format=docx"],
    ["/bulletins/7.xlsx", "/bulletins/7/export?format=xlsx"],
    ["/summary/2025.xlsx?kind=township_central", "/summary/2025/export?kind=township_central&format=xlsx"],
    ["/register/2026.xlsx", "/register/2026/export?format=xlsx"],
    ["/admin/audit.csv?unit=3&from=2026-11-01", "/admin/audit/export?unit=3&from=2026-11-01&format=csv"],
    ["/admin/audit.xlsx", null],
    ["/admin/units.csv", null],
    ["/rankings/2026-10", null],
    ["/rankings/2026-10.pdf", null],
    ["/items/3.docx", null],
    ["/rankings/a/b.xlsx", null],
  ];
  it.each(cases)("%s", (url, expected) => expect(downloadRewrite(url)).toBe(expected));
});

describe("request and response limits", () => {
  it("caps forms at 1 MB and uploads at 80 MB", () => {
    expect(bodyLimitFor("application/x-www-form-urlencoded")).toBe(BODY_LIMITS.other);
    expect(bodyLimitFor("multipart/form-data; boundary=x")).toBe(BODY_LIMITS.multipart);
    expect(bodyLimitFor(undefined)).toBe(BODY_LIMITS.other);
  });
  it("sends the nonce only to scripts and forbids framing", () => {
    const h = securityHeaders("abc", true);
    expect(h["Content-Security-Policy"]).toContain("script-src 'self' 'nonce-abc'");
    expect(h["Content-Security-Policy"]).toContain("frame-ancestors 'none'");
    expect(h["X-Content-Type-Options"]).toBe("nosniff");
    expect(securityHeaders("abc", false)["Strict-Transport-Security"]).toBeUndefined();
  });
});

describe("how much of a form is read, signed in or not", () => {
  // Without a session only the login form is read (and it is small): 600 anonymous connections each
  // holding a form of 1 MB less a byte held 600 MB of the portal's memory.
  const cases: Array<[string, boolean, number | null]> = [
    ["/login", false, BODY_LIMITS.signIn],
    ["/login/", false, BODY_LIMITS.signIn],
    ["/LOGIN", false, BODY_LIMITS.signIn],
    ["/login.data", false, BODY_LIMITS.signIn],
    ["/login/.data", false, BODY_LIMITS.signIn],
    ["/login.DATA", false, null],
    ["/login/x", false, null],
    ["/logins", false, null],
    ["/logout", false, null],
    ["/items/12", false, null],
    ["/account/password", false, null],
    ["/", false, null],
    ["/_root.data", false, null],
    ["/login", true, BODY_LIMITS.other],
    ["/items/12", true, BODY_LIMITS.other],
    ["/account/password.data", true, BODY_LIMITS.other],
    ["/bulletins/7/edit", true, BODY_LIMITS.bulletin],
    ["/bulletins/7/edit.data", true, BODY_LIMITS.bulletin],
    ["/bulletins/7/publish", true, BODY_LIMITS.other],
    ["/bulletins/7/edit/x", true, BODY_LIMITS.other],
    ["/bulletins/7/edit", false, null],
  ];
  it.each(cases)("%s (signed in: %s)", (path, signedIn, limit) => expect(formBodyLimit(path, signedIn)).toBe(limit));
  it("the login form fits: a 2,000-character Chinese return address with the longest username and password", () => {
    const body = new URLSearchParams({ username: "u".repeat(64), password: "密".repeat(200), redirectTo: `/${"城".repeat(1999)}` }).toString();
    expect(Buffer.byteLength(body)).toBeLessThan(BODY_LIMITS.signIn);
  });
  it("the 简报 editor's form fits with every item at its longest, all in Chinese: more than the 1 MB other forms are read to", () => {
    const fields: Record<string, string> = {
      intent: "save", version: "12", number: "9999", name: "简".repeat(BULLETIN_LIMITS.name), issue_date: "2026-12-07",
      editor_unit: "编".repeat(BULLETIN_LIMITS.editorUnit), editor_note: "按".repeat(BULLETIN_LIMITS.editorNote),
      report_to: "报".repeat(BULLETIN_LIMITS.distribution), send_to: "送".repeat(BULLETIN_LIMITS.distribution), issue_to: "发".repeat(BULLETIN_LIMITS.distribution),
    };
    for (let i = 0; i < BULLETIN_LIMITS.items; i++) {
      fields[`title_${100000 + i}`] = "题".repeat(BULLETIN_LIMITS.title);
      fields[`body_${100000 + i}`] = "文".repeat(BULLETIN_LIMITS.body);
    }
    const bytes = Buffer.byteLength(new URLSearchParams(fields).toString());
    expect(bytes).toBeGreaterThan(BODY_LIMITS.other);
    expect(bytes).toBeLessThan(BODY_LIMITS.bulletin);
  });
  it("names the limit as people read it", () => {
    expect([BODY_LIMITS.signIn, BODY_LIMITS.other, BODY_LIMITS.bulletin, BODY_LIMITS.multipart].map(limitText)).toEqual(["32 KB", "1 MB", "3 MB", "80 MB"]);
  });
});

describe("the pages that take uploads, and who may send them", () => {
  const cases: Array<[string, string | null]> = [
    ["/items/new", "item.write"],
    ["/items/new/", "item.write"],
    ["/Items/NEW", "item.write"],
    ["/items/12/edit", "item.write"],
    ["/admin/import", "admin.import"],
    // Single fetch: a form sent by the page's JavaScript posts to <path>.data.
    ["/items/new.data", "item.write"],
    ["/items/12/edit.data", "item.write"],
    ["/admin/import.data", "admin.import"],
    ["/Items/NEW.data", "item.write"],
    // Remix strips `.data` and then matches /items/new/: the same page.
    ["/items/new/.data", "item.write"],
    // Remix takes only the exact suffix as a data request: this one matches no upload page.
    ["/items/new.DATA", null],
    ["/items/new.data/", null],
    ["/items/new.datax", null],
    ["/login", null],
    ["/login.data", null],
    ["/items.data", null],
    ["/items/12.data", null],
    ["/admin/import/template.data", null],
    ["/logout", null],
    ["/items", null],
    ["/items/12", null],
    ["/items/12/edit/x", null],
    ["/review/12", null],
    ["/admin/import/template", null],
    ["/healthz", null],
  ];
  it.each(cases)("%s", (path, permission) => expect(uploadPermissionFor(path)).toBe(permission));
});

describe("writes from another site, or from nowhere a browser will name", () => {
  const host = "portal.example.cn:8080";
  const session = "portal_device=d1; portal_sid=s%3Aabc";
  type Headers = { origin?: string; secFetchSite?: string; referer?: string; cookie?: string };
  const cases: Array<[string, string, Headers, "cross-site" | "no-source" | null]> = [
    ["a page of the portal posting", "POST", { origin: "http://portal.example.cn:8080", secFetchSite: "same-origin", cookie: session }, null],
    ["the same host over https", "POST", { origin: "https://PORTAL.example.cn:8080" }, null],
    ["another site posting", "POST", { origin: "https://evil.example.com", secFetchSite: "cross-site" }, "cross-site"],
    ["another port of the same host", "POST", { origin: "http://portal.example.cn:9090" }, "cross-site"],
    ["a sandboxed frame (Origin: null)", "POST", { origin: "null" }, "cross-site"],
    ["a malformed Origin", "POST", { origin: "::::" }, "cross-site"],
    ["no Origin, browser says cross-site", "POST", { secFetchSite: "cross-site" }, "cross-site"],
    ["no Origin, browser says same-site", "POST", { secFetchSite: "same-site", cookie: session }, null],
    ["a script without browser headers or a session (signing in by curl)", "POST", {}, null],
    ["a script with another service's cookie only", "POST", { cookie: "portal_sidebar=1; other=portal_sid" }, null],
    // An old browser (IE-kernel mode) sends neither Origin nor Sec-Fetch-Site, but the page it posted from.
    ["no Origin nor Sec-Fetch-Site, posted from another site's page", "POST", { referer: "http://evil.example.com/form.html", cookie: session }, "cross-site"],
    ["no Origin nor Sec-Fetch-Site, posted from a page of the portal", "POST", { referer: "http://portal.example.cn:8080/items/new", cookie: session }, null],
    ["no Origin nor Sec-Fetch-Site, a malformed Referer", "POST", { referer: "::::" }, "cross-site"],
    // The attacker's page told that old browser to drop the Referer, and it still sends the session cookie.
    ["none of the three, with the session cookie", "POST", { cookie: session }, "no-source"],
    ["none of the three, the session cookie alone", "POST", { cookie: "portal_sid=s%3Aabc" }, "no-source"],
    ["Sec-Fetch-Site same-origin decides over a Referer", "POST", { secFetchSite: "same-origin", referer: "http://evil.example.com/" }, null],
    ["a cross-site OPTIONS (answered 405 by the server before this)", "OPTIONS", { origin: "https://evil.example.com" }, "cross-site"],
    ["a cross-site link (GET)", "GET", { origin: "https://evil.example.com", secFetchSite: "cross-site", cookie: session }, null],
    ["a link followed from nowhere (GET with the session)", "GET", { cookie: session }, null],
    ["a cross-site DELETE", "DELETE", { origin: "https://evil.example.com" }, "cross-site"],
  ];
  it.each(cases)("%s", (_name, method, headers, refused) => expect(foreignWrite(method, headers, host)).toBe(refused));
});

describe("the methods the server lets through", () => {
  // Remix ran a route's action for PUT, PATCH and DELETE (and OPTIONS) as for POST, and the fetch
  // Request the adapter builds refuses TRACE: a 500 with a stack trace for anyone who sent one.
  it.each(["GET", "HEAD", "POST"])("%s goes on", (method) => expect(isAllowedMethod(method)).toBe(true));
  it.each(["OPTIONS", "PUT", "PATCH", "DELETE", "TRACE", "PROPFIND", "SEARCH", "QUERY", "get", "post"])("%s is refused", (method) =>
    expect(isAllowedMethod(method)).toBe(false),
  );
});

describe("which Host headers name a host", () => {
  // The Remix adapter builds the request's address from Host (and X-Forwarded-Host, whose port it
  // takes from anyone): these made that address invalid (a 500 and a stack trace each), or moved the
  // path Remix routes ("a/b" put the request under /b/...).
  const good = [
    "localhost", "localhost:3000", "127.0.0.1:3000", "192.168.1.20:3000", "portal.example.edu.cn", "PORTAL.example.edu.cn:443",
    "[::1]", "[::1]:3000", "[fd00::2]:3000", "a_b:80", "xn--fiq228c.cn", "a:0", "a:65535",
  ];
  const bad = [
    "", "a b", "[", "[::1", "x@y", "x@localhost:3000", "foo:99999", "a:65536", "a:-1", "a:1e3", "a:", "%", "^", "`", "a/b", "a/b:80", "a?b",
    "a#b", "a\\b", "a:b:c", "a, b", "999.1.1.1", "1.2.3.256", "localhost:3000/login", "[fe80::1%25eth0]",
  ];
  it.each(good)("%s", (host) => expect(isHostHeader(host)).toBe(true));
  it.each(bad)("%j is refused", (host) => expect(isHostHeader(host)).toBe(false));
});

describe("form bytes still arriving, by account", () => {
  // One account opened 200 connections, sent each a form of 3 MB less a byte and stopped: 600 MB held.
  it("an account's share refuses what would carry it past the limit, others are not affected, and bytes given back can be taken again", () => {
    const arriving = new ArrivingBytes(4 * 1024 * 1024);
    const mine = arriving.of(7);
    const again = arriving.of(7);
    expect(mine.take(3 * 1024 * 1024)).toBe(true);
    expect(again.take(1024 * 1024)).toBe(true);
    expect(again.take(1)).toBe(false);
    expect(arriving.heldBy(7)).toBe(4 * 1024 * 1024);
    // Another account has its own.
    expect(arriving.of(8).take(4 * 1024 * 1024)).toBe(true);
    mine.give(3 * 1024 * 1024);
    expect(arriving.heldBy(7)).toBe(1024 * 1024);
    expect(again.take(3 * 1024 * 1024)).toBe(true);
    again.give(4 * 1024 * 1024);
    expect(arriving.heldBy(7)).toBe(0);
  });

  it("fits the largest form, the 简报 editor's, with another beside it", () => {
    expect(BODY_LIMITS.arrivingPerAccount).toBeGreaterThanOrEqual(BODY_LIMITS.bulletin + BODY_LIMITS.other);
  });
});
