// axe-core in headless Chromium over the main page of each role, the item form, the review
// page, the league table, a published notice, the public news and the login page: no serious
// or critical violations of WCAG 2.1 A/AA or axe's best practices.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LAST_MONTH, startPortalAndBrowser, stopPortalAndBrowser } from "./support/browser";
import { newPage, signIn, type Portal } from "./support/portal";

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

let portal: Portal;
let browser: Browser;
const sessions = new Map<string, { context: BrowserContext; page: Page }>();

beforeAll(async () => {
  ({ portal, browser } = await startPortalAndBrowser());
});
afterAll(async () => {
  for (const s of sessions.values()) await s.context.close();
  await stopPortalAndBrowser(portal, browser);
});

/** A signed-in page per user ("" is anonymous). The CSP only lets nonce'd scripts run, so the
 * context bypasses it to inject axe. */
async function pageFor(username: string, phone = false): Promise<Page> {
  const key = `${username}${phone ? "@phone" : ""}`;
  const existing = sessions.get(key);
  if (existing) return existing.page;
  const { context, page } = await newPage(
    browser,
    phone ? { bypassCSP: true, viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true } : { bypassCSP: true },
  );
  if (username) await signIn(page, portal.url, username);
  sessions.set(key, { context, page });
  return page;
}

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[]; failureSummary?: string }[];
}

/** Runs axe on what the page shows now; returns the violations and how many checks passed. */
async function runAxe(page: Page): Promise<{ violations: Violation[]; passes: number; incomplete: string[] }> {
  await page.addScriptTag({ content: AXE_SOURCE });
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<{ violations: Violation[]; passes: unknown[]; incomplete: { id: string; nodes: unknown[] }[] }> } }).axe;
    const result = await axe.run(document, {
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"] },
    });
    return {
      passes: result.passes.length,
      incomplete: result.incomplete.map((v) => {
        const why = new Map<string, number>();
        const where = new Map<string, string>();
        for (const n of v.nodes as { target: unknown[]; any: { data?: { messageKey?: string } }[] }[]) {
          const key = n.any[0]?.data?.messageKey ?? "?";
          why.set(key, (why.get(key) ?? 0) + 1);
          if (!where.has(key)) where.set(key, JSON.stringify(n.target));
        }
        return `${v.id} ×${v.nodes.length} (${[...why].map(([k, c]) => `${k}: ${c}, e.g. ${where.get(k)}`).join(", ")})`;
      }),
      violations: result.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        nodes: v.nodes.map((n) => ({ target: n.target, failureSummary: n.failureSummary })),
      })),
    };
  });
}

async function audit(page: Page, path: string) {
  const response = await page.goto(`${portal.url}${path}`);
  expect(response?.status(), `${path} status`).toBe(200);
  await page.waitForLoadState("networkidle");
  // Everything in view at once: axe leaves text below the fold or in a scrolled box unjudged
  // ("partially obscured") rather than checking its contrast.
  const viewport = page.viewportSize()!;
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  await page.setViewportSize({ width: viewport.width, height: Math.min(Math.max(height, viewport.height), 12_000) });
  const { violations, passes, incomplete } = await runAxe(page).finally(() => page.setViewportSize(viewport));
  if (process.env.AXE_VERBOSE && incomplete.length > 0) console.log(`axe on ${path}, needs review: ${incomplete.join(", ")}`);
  expect(passes, "axe ran its checks").toBeGreaterThan(10);
  const minor = violations.filter((v) => v.impact !== "serious" && v.impact !== "critical");
  if (minor.length > 0) console.log(`axe on ${path} (minor/moderate, not failing): ${minor.map((v) => `${v.id} [${v.impact}]`).join(", ")}`);
  const bad = violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  const report = bad
    .map(
      (v) =>
        `${v.id} [${v.impact}] ${v.help}\n` +
        v.nodes
          .slice(0, 8)
          .map((n) => `    ${JSON.stringify(n.target)}${n.failureSummary ? `\n      ${n.failureSummary.replace(/\n/g, "\n      ")}` : ""}`)
          .join("\n"),
    )
    .join("\n");
  if (bad.length > 0) console.log(`axe on ${path}:\n${report}`);
  expect(bad.map((v) => `${v.id} [${v.impact}] ${v.help}: ${v.nodes.map((n) => JSON.stringify(n.target)).join(", ")}`), `${path}\n${report}`).toEqual([]);
}

/** Audits a list page, then the page its first `link` leads to (whose address must match `to`). */
async function auditListAndFirst(page: Page, listPath: string, link: string, to: RegExp) {
  await audit(page, listPath);
  const href = await page.locator(link).first().getAttribute("href");
  expect(href).toMatch(to);
  await audit(page, href!);
}

describe("accessibility (axe-core: no serious or critical violations)", () => {
  it("the check itself catches planted faults (low contrast, unlabelled input, image without alt)", async () => {
    const page = await pageFor("");
    await page.goto(`${portal.url}/login`);
    // After hydration, or React may replace what is planted.
    await page.waitForLoadState("networkidle");
    await page.evaluate(() => {
      const main = document.querySelector("main")!;
      main.insertAdjacentHTML(
        "beforeend",
        '<p style="color:#bbb;background:#fff">浅灰色的说明文字</p><input type="text" name="planted"><img src="/favicon.svg">',
      );
    });
    expect(await page.locator('input[name="planted"]').count()).toBe(1);
    const { violations } = await runAxe(page);
    const serious = violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => v.id);
    expect(serious).toEqual(expect.arrayContaining(["color-contrast", "label", "image-alt"]));
  });

  it("the public home page, anonymous", async () => audit(await pageFor(""), "/"));
  it("the login page", async () => audit(await pageFor(""), "/login"));
  it("the public news", async () => audit(await pageFor(""), "/news"));

  for (const username of ["x01-c1", "x01-lead", "reviewer", "admin"]) {
    it(`the home page of ${username}`, async () => audit(await pageFor(username), "/"));
  }

  it("the item form (x01-c1)", async () => audit(await pageFor("x01-c1"), "/items/new"));

  it("the review queue and a waiting item (reviewer)", async () =>
    auditListAndFirst(await pageFor("reviewer"), "/review", 'main a[href^="/review/"]', /^\/review\/\d+/));

  it("the league table of last month (x01-lead)", async () => audit(await pageFor("x01-lead"), `/rankings/${LAST_MONTH}`));

  it("the settings page (admin)", async () => audit(await pageFor("admin"), "/admin/settings"));

  it("the operations log (admin)", async () => audit(await pageFor("admin"), "/admin/audit"));

  it("a published notice (reviewer)", async () =>
    auditListAndFirst(await pageFor("reviewer"), "/notices", 'section[aria-labelledby="published"] .bulletin-card__title a', /^\/notices\/\d+/));
});

describe("accessibility on a phone (stacked tables, scrolling tabs)", () => {
  it("the public home page and news", async () => {
    const page = await pageFor("", true);
    await audit(page, "/");
    await audit(page, "/news");
  });
  it("the reviewer's home page and queue", async () => {
    const page = await pageFor("reviewer", true);
    await audit(page, "/");
    await audit(page, "/review");
  });
  it("the item form and the unit's items (x01-c1)", async () => {
    const page = await pageFor("x01-c1", true);
    await audit(page, "/items/new");
    await audit(page, "/items");
  });
  it("the league table (x01-lead)", async () => audit(await pageFor("x01-lead", true), `/rankings/${LAST_MONTH}`));
  it("the settings page, its catalogue tables stacked (admin)", async () => audit(await pageFor("admin", true), "/admin/settings"));
});
