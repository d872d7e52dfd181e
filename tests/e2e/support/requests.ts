// Answering, declining and adopting a 约稿 in the browser, and letting its deadline pass.
import type { Page } from "playwright-core";
import { expect } from "vitest";
import type { openDatabases } from "../../../db/connect";

type Db = Awaited<ReturnType<typeof openDatabases>>["db"];

export async function flash(page: Page, text: string) {
  await page.locator(".flash--success", { hasText: text }).waitFor();
}

/** Clicks and waits for the address the click leads to. */
export const follow = (page: Page, locator: ReturnType<Page["locator"]>, to: (u: URL) => boolean) =>
  Promise.all([page.waitForURL(to), locator.click()]);

/** A school's answer to the 约稿 on `topic`, filed from the request's page (with a 报送要点 when `theme` is given); returns the item's id. */
export async function answerRequest(
  page: Page,
  baseUrl: string,
  requestId: number,
  a: { topic: string; title: string; body: string; eventDate: string; theme?: string | null },
) {
  await page.goto(`${baseUrl}/requests/${requestId}`);
  await follow(page, page.getByRole("link", { name: "按此约稿撰稿" }), (u) => u.pathname === "/items/new");
  expect(await page.locator(".item-form").textContent()).toContain(`约稿：${a.topic}`);
  await page.getByLabel("标题").fill(a.title);
  await page.getByLabel("正文", { exact: true }).fill(a.body);
  await page.getByLabel("栏目").selectOption({ label: "平安建设" });
  await page.getByLabel("事件日期").fill(a.eventDate);
  if (a.theme) await page.getByLabel("报送要点（可选）").selectOption({ label: a.theme });
  await page.getByLabel(/涉密自查/).check();
  await follow(page, page.getByRole("button", { name: "报送", exact: true }), (u) => /^\/items\/\d+$/.test(u.pathname));
  const main = await page.locator("main").innerText();
  expect(main).toContain(a.topic);
  if (a.theme) expect(main).toContain(a.theme);
  return Number(new URL(page.url()).pathname.split("/")[2]);
}

/** The reviewer adopts the item at 良. */
export async function adoptAsGood(page: Page, baseUrl: string, itemId: number) {
  await page.goto(`${baseUrl}/review/${itemId}`);
  await page.getByLabel("良").check();
  await page.getByRole("button", { name: "采用", exact: true }).click();
  await flash(page, "采用");
}

/** A school's lead declines the 约稿 with a reason. */
export async function declineRequest(page: Page, baseUrl: string, requestId: number, reason: string) {
  await page.goto(`${baseUrl}/requests/${requestId}`);
  await page.getByLabel("婉拒的理由").fill(reason);
  await page.getByRole("button", { name: "婉拒" }).click();
  await flash(page, "已婉拒这项约稿");
}

/** Moves the 约稿's deadline to just after the last answer so far: the arrival of `answeredItemId` and the decline of `declinedUnitId`. */
export async function passDeadlineAfter(db: Db, requestId: number, answeredItemId: number, declinedUnitId: number) {
  const arrived = await db.selectFrom("items").select("submitted_at").where("id", "=", answeredItemId).executeTakeFirstOrThrow();
  const declined = await db.selectFrom("request_units").select("declined_at").where("request_id", "=", requestId).where("unit_id", "=", declinedUnitId).executeTakeFirstOrThrow();
  const last = Math.max(Date.parse(arrived.submitted_at!), Date.parse(declined.declined_at!));
  await db.updateTable("requests").set({ due_at: new Date(last + 1).toISOString() }).where("id", "=", requestId).execute();
}
