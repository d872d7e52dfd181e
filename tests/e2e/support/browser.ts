// What the browser test files share: the portal and headless Chromium they drive, signed-in
// pages that record console and page errors, screenshots, and this and last month in the county.
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { expect } from "vitest";
import { launchBrowser, newPage, SCREENSHOT_DIR, signIn, startPortal, type Portal } from "./portal";

/** Starts the built portal (`env` on top of startPortal's) and a headless Chromium. */
export async function startPortalAndBrowser(env: Record<string, string> = {}): Promise<{ portal: Portal; browser: Browser }> {
  const portal = await startPortal(env);
  try {
    return { portal, browser: await launchBrowser() };
  } catch (error) {
    await portal.stop();
    throw error;
  }
}

/** Closes the browser, then stops the portal; either may be missing when starting failed. */
export async function stopPortalAndBrowser(portal: Portal | undefined, browser: Browser | undefined) {
  await browser?.close();
  await portal?.stop();
}

/** A browser context and its page, with the console and page errors seen so far. */
export type Session = Awaited<ReturnType<typeof newPage>>;

/** A fresh context (newPage's `options`), signed in as `username`, or anonymous for null. */
export async function sessionAs(
  browser: Browser,
  baseUrl: string,
  username: string | null,
  options: Parameters<typeof newPage>[1] = {},
): Promise<Session> {
  const session = await newPage(browser, options);
  if (username) await signIn(session.page, baseUrl, username);
  return session;
}

/** Closes the session's context and expects no console or page errors but those `allowed`. */
export async function closeSession(session: Session, allowed: RegExp[] = []) {
  const problems = session.problems.filter((p) => !allowed.some((re) => re.test(p)));
  await session.context.close();
  expect(problems).toEqual([]);
}

/** A `shot(page, step)` that saves test-results/e2e/<prefix>-<step>.png, the full page unless told. */
export function screenshots(prefix: string) {
  return async (page: Page, step: string, fullPage = true) => {
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${prefix}-${step}.png`), fullPage });
  };
}

/** This month in the county (Asia/Shanghai), as YYYY-MM. */
export const THIS_MONTH = new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Shanghai", year: "numeric", month: "2-digit" })
  .format(new Date())
  .slice(0, 7);
/** The month before THIS_MONTH. */
export const LAST_MONTH = (() => {
  const [y, m] = THIS_MONTH.split("-").map(Number);
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, "0")}`;
})();
/** "2026-03" → "2026年3月", as the pages write a month. */
export const monthLabel = (month: string) => `${Number(month.slice(0, 4))}年${Number(month.slice(5))}月`;
