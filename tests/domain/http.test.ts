import { describe, expect, it } from "vitest";
import { bodyLimitFor, BODY_LIMITS, downloadRewrite, securityHeaders } from "~/lib/http.server";

describe("download addresses", () => {
  const cases: Array<[string, string | null]> = [
    ["/rankings/2026-10.xlsx", "/rankings/2026-10/export?format=xlsx"],
    ["/rankings/2026.csv", "/rankings/2026/export?format=csv"],
    ["/notices/12.docx", "/notices/12/export?format=docx"],
    ["/summary/2025.xlsx?kind=township_central", "/summary/2025/export?kind=township_central&format=xlsx"],
    ["/register/2026.xlsx", "/register/2026/export?format=xlsx"],
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
