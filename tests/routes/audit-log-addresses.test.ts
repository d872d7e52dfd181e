// 来源地址 of an item's trail: every step taken through the pages (报送 on creating and from the
// item's page, 签发, 采用, 退回 one by one and in bulk, 更正) records the address its request came
// from, and the operations log and its CSV show it; a step the system takes itself records none.
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AUDIT_LOG_COLUMNS } from "~/domain/audit-log";
import { transitionItem } from "~/models/item-workflow.server";
import * as exportRoute from "~/routes/admin.audit.export";
import * as page from "~/routes/admin.audit";
import * as itemPage from "~/routes/items.$id";
import * as itemEdit from "~/routes/items.$id_.edit";
import * as itemNew from "~/routes/items.new";
import * as reviewItem from "~/routes/review.$id";
import * as reviewQueue from "~/routes/review._index";
import { bodyOf, call, sessionUser, setupCounty, type County, type UserKey } from "../support/app";
import { insertItem } from "../support/item-fixtures";

let county: County;

beforeAll(async () => {
  county = await setupCounty();
  for (const user of ["admin", "reviewer", "leadA", "correspondentA"] as const) await county.cookieFor(user);
});
afterAll(async () => county.dbs.dispose());

const db = () => county.dbs.db;
const version = async (id: number) => String((await db().selectFrom("items").select("version").where("id", "=", id).executeTakeFirstOrThrow()).version);

/** A route's action as the person `user` posting from `ip`: it must answer with a redirect. */
async function post(fn: Parameters<typeof call>[0], user: UserKey, url: string, body: Record<string, string> | FormData | string, ip: string, params = {}) {
  const response = await call(fn, county, { url, user, params, body, ip });
  expect(response.status, await response.clone().text()).toBe(302);
  return response;
}

interface Line { key: string; action: string; object: { label: string } | null; ip: string }
/** The log's trail lines of one item, oldest first: [操作, 来源地址]. */
async function trailOf(itemId: number): Promise<Array<[string, string]>> {
  const response = await call(page.loader, county, { url: `/admin/audit?unit=${county.units.A}`, user: "admin" });
  expect(response.status).toBe(200);
  const { lines } = (await bodyOf(response)) as { lines: Line[] };
  return lines
    .filter((l) => l.key.startsWith("trail-") && l.object?.label.startsWith(`稿件 ${itemId}《`))
    .reverse()
    .map((l) => [l.action, l.ip]);
}

/** The item form's fields, 报送 ticked, as multipart form data. */
async function itemForm(extra: Record<string, string> = {}): Promise<FormData> {
  const [category, channel] = await Promise.all([
    db().selectFrom("categories").select("id").orderBy("sort_order").executeTakeFirstOrThrow(),
    db().selectFrom("channels").select("id").orderBy("sort_order").executeTakeFirstOrThrow(),
  ]);
  const fields = {
    title: "城关镇中心学校举行冬季运动会", body: "全校师生参加了运动会。", category_id: String(category.id), channel_id: String(channel.id),
    event_date: new Date().toISOString().slice(0, 10), bylines: String(county.ids.correspondentA), intent: "submit", confidential_checked: "1",
    ...extra,
  };
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  return form;
}

describe("the address of an item's trail", () => {
  it("报送 on creating, 签发, 采用, 更正 and 撤稿 each carry the address they came from, on the page and in the CSV", async () => {
    const created = await post(itemNew.action, "correspondentA", "/items/new", await itemForm(), "10.20.0.11");
    const id = Number(/\/items\/(\d+)/.exec(created.headers.get("Location") ?? "")?.[1]);
    expect(id).toBeGreaterThan(0);

    const at = { id: String(id) };
    await post(itemPage.action, "leadA", `/items/${id}`, { intent: "sign_off", version: await version(id) }, "10.20.0.12", at);
    await post(reviewItem.action, "reviewer", `/review/${id}`, { intent: "adopt", version: await version(id), grade: "good" }, "10.20.0.13", at);
    await post(reviewItem.action, "reviewer", `/review/${id}`, {
      intent: "regrade", version: await version(id), grade: "excellent", reason: "复核后提高等次",
    }, "10.20.0.14", at);
    await post(reviewItem.action, "reviewer", `/review/${id}`, { intent: "withdraw", version: await version(id), reason: "内容有误" }, "10.20.0.15", at);

    expect(await trailOf(id)).toEqual([
      ["报送", "10.20.0.11"],
      ["签发", "10.20.0.12"],
      ["采用（良）", "10.20.0.13"],
      ["更正等次（优）", "10.20.0.14"],
      ["撤稿", "10.20.0.15"],
    ]);
    const csv = await (await call(exportRoute.loader, county, { url: `/admin/audit/export?format=csv&unit=${county.units.A}`, user: "admin" })).text();
    const rows = parse(csv.replace(/^\uFEFF/, ""), { columns: true }) as Array<Record<(typeof AUDIT_LOG_COLUMNS)[number], string>>;
    const adopted = rows.find((r) => r["操作"] === "采用（良）" && r["对象"].startsWith(`稿件 ${id}《`));
    expect(adopted?.["来源地址"]).toBe("10.20.0.13");

    // The addresses are the administrator's: the reviewer's page data and CSV carry none.
    const reviewerCsv = await (await call(exportRoute.loader, county, { url: `/admin/audit/export?format=csv&unit=${county.units.A}`, user: "reviewer" })).text();
    expect(reviewerCsv).toContain(`稿件 ${id}《`);
    expect(reviewerCsv).not.toContain("10.20.0.1");
    expect(reviewerCsv.replace(/^\uFEFF/, "").split("\r\n")[0]).toBe("时间,操作人,单位,操作,对象,理由");
  });

  it("报送 from the item's page and from the edit form, 签发, 不采用 and a return in bulk from the queue carry theirs too", async () => {
    const id = await insertItem(db(), { unitId: county.units.A, createdBy: county.ids.correspondentA, status: "draft", eventDate: new Date().toISOString().slice(0, 10) });
    const at = { id: String(id) };
    await post(itemPage.action, "correspondentA", `/items/${id}`, { intent: "submit", version: await version(id), confidential_checked: "1" }, "10.20.1.21", at);
    await post(itemPage.action, "leadA", `/items/${id}`, { intent: "sign_off", version: await version(id) }, "10.20.1.22", at);
    const bulk = new URLSearchParams([["intent", "bulk_return"], ["reason", "请补充活动照片。"], ["ids", `${id}:${await version(id)}`]]);
    await post(reviewQueue.action, "reviewer", "/review?index", bulk.toString(), "10.20.1.23");
    await post(itemEdit.action, "correspondentA", `/items/${id}/edit`, await itemForm({ version: await version(id) }), "10.20.1.24", at);
    await post(itemPage.action, "leadA", `/items/${id}`, { intent: "sign_off", version: await version(id) }, "10.20.1.25", at);
    await post(reviewItem.action, "reviewer", `/review/${id}`, { intent: "reject", version: await version(id), reason: "与教育无关" }, "10.20.1.26", at);
    expect(await trailOf(id)).toEqual([
      ["报送", "10.20.1.21"],
      ["签发", "10.20.1.22"],
      ["退回修改", "10.20.1.23"],
      ["报送", "10.20.1.24"],
      ["签发", "10.20.1.25"],
      ["不采用", "10.20.1.26"],
    ]);
  });

  it("a step the system takes itself records no address, and the log shows none", async () => {
    const id = await insertItem(db(), { unitId: county.units.A, createdBy: county.ids.correspondentA });
    const reviewer = sessionUser(county.ids.reviewer, null, "reviewer");
    expect(await transitionItem(db(), { itemId: id, action: "adopt", actor: reviewer, grade: "fair" })).toMatchObject({ ok: true });
    expect(await trailOf(id)).toEqual([["采用（中）", ""]]);
  });
});
