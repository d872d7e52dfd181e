// 简报 through the pages' loaders and actions: the public sees published issues only; a school
// cannot start or edit one; only adopted items go in; a stale save is 409; 签发 records a pickup
// at the configured tier for every item (the school's points rise by the pickup rule, it is told,
// and its item page shows the pickup); the Word file is the stored bytes, and no draft's for the public.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BULLETIN_OUTLET } from "~/domain/bulletins";
import { DEFAULT_POINTS_RULES } from "~/domain/catalog";
import { getConfig } from "~/models/env.server";
import { rebuildAllRollups } from "~/models/rollup.server";
import { saveSettings } from "~/models/settings.server";
import { noticeFilePath } from "../../db/file-store";
import * as exportRoute from "~/routes/bulletins.$id.export";
import * as editRoute from "~/routes/bulletins.$id_.edit";
import * as publishRoute from "~/routes/bulletins.$id_.publish";
import * as pageRoute from "~/routes/bulletins.$id";
import * as indexRoute from "~/routes/bulletins._index";
import * as newRoute from "~/routes/bulletins.new";
import * as itemRoute from "~/routes/items.$id";
import { bodyOf, call, setupCounty, type County, type UserKey } from "../support/app";
import { insertItem } from "../support/item-fixtures";

let county: County;
const db = () => county.dbs.db;
let adoptedA = 0;
let adoptedA2 = 0;
let adoptedB = 0;
let submittedA = 0;
const MONTH = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 7);

beforeAll(async () => {
  county = await setupCounty();
  const a = { unitId: county.units.A, createdBy: county.ids.correspondentA, reportMonth: MONTH, bylines: [county.ids.correspondentA] };
  adoptedA = await insertItem(db(), { ...a, status: "adopted", grade: "excellent", title: "城关镇中心学校开展防溺水教育", body: "各班召开主题班会。\n学校邀请民警讲解。" });
  adoptedA2 = await insertItem(db(), { ...a, status: "adopted", title: "城关镇中心学校举办读书节" });
  adoptedB = await insertItem(db(), { unitId: county.units.B, createdBy: county.ids.correspondentB, reportMonth: MONTH, status: "adopted", title: "县实验小学秋季运动会" });
  submittedA = await insertItem(db(), { ...a, status: "submitted", title: "尚在审核的稿件" });
  // The month's figures as the portal keeps them (the fixtures were written straight into the tables).
  await rebuildAllRollups(db());
}, 60_000);
afterAll(() => county.dbs.dispose());

const idFromLocation = (res: Response) => Number(/\/bulletins\/(\d+)/.exec(res.headers.get("Location") ?? "")?.[1]);
const version = async (id: number) => (await db().selectFrom("bulletins").select("version").where("id", "=", id).executeTakeFirstOrThrow()).version;
const post = (route: { action?: any }, id: number, body: Record<string, string>, user: UserKey = "reviewer", path = "edit") =>
  call(route.action, county, { url: `/bulletins/${id}/${path}`, user, body, params: { id: String(id) } });
const page = (id: number, user?: UserKey) => call(pageRoute.loader, county, { url: `/bulletins/${id}`, user, params: { id: String(id) } });
const docx = (id: number, user?: UserKey) => call(exportRoute.loader, county, { url: `/bulletins/${id}/export?format=docx`, user, params: { id: String(id) } });

async function newDraft(): Promise<number> {
  const res = await call(newRoute.action, county, { url: "/bulletins/new", user: "reviewer", body: { intent: "create" } });
  expect(res.status).toBe(302);
  return idFromLocation(res);
}
async function add(id: number, itemId: number) {
  return post(editRoute, id, { intent: "add", item_id: String(itemId), version: String(await version(id)) });
}
const saveForm = (over: Record<string, string> = {}) => ({
  intent: "save", number: "1", name: "测试县教育信息", issue_date: "2026-11-03", editor_unit: "县教育和体育局办公室", editor_note: "编者按文字。",
  report_to: "市教育局", send_to: "县委办", issue_to: "各学校", ...over,
});
const unitPoints = async (unitId: number) =>
  Number((await db().selectFrom("unit_month_stats").select("item_points").where("unit_id", "=", unitId).where("month", "=", MONTH).executeTakeFirst())?.item_points ?? 0);

describe("a school", () => {
  it("cannot start, edit or publish a bulletin (403), and writes nothing", async () => {
    const id = await newDraft();
    for (const user of ["correspondentA", "leadA"] as const) {
      expect((await call(newRoute.action, county, { url: "/bulletins/new", user, body: { intent: "create" } })).status).toBe(403);
      expect((await call(newRoute.loader, county, { url: "/bulletins/new", user })).status).toBe(403);
      expect((await post(editRoute, id, { intent: "add", item_id: String(adoptedA), version: String(await version(id)) }, user)).status).toBe(403);
      expect((await post(publishRoute, id, { intent: "publish", version: String(await version(id)) }, user, "publish")).status).toBe(403);
    }
    expect(await db().selectFrom("bulletin_items").selectAll().where("bulletin_id", "=", id).execute()).toEqual([]);
    expect(await version(id)).toBe(1);
  });
});

describe("composing", () => {
  it("refuses an item that is not adopted, and one already in", async () => {
    const id = await newDraft();
    const refused = await add(id, submittedA);
    expect(refused.status).toBe(400);
    expect((await bodyOf(refused)).fieldErrors.item_id).toBe("只有已采用的稿件才能编入简报");
    expect((await add(id, adoptedA)).status).toBe(302);
    const twice = await add(id, adoptedA);
    expect(twice.status).toBe(409);
    expect((await bodyOf(twice)).fieldErrors.item_id).toBe("该稿件已在本期简报中");
    expect(await db().selectFrom("bulletin_items").select("item_id").where("bulletin_id", "=", id).execute()).toEqual([{ item_id: adoptedA }]);
  });

  it("answers a stale save with 409 and keeps the first one", async () => {
    const id = await newDraft();
    await add(id, adoptedA);
    const v = String(await version(id));
    const first = await post(editRoute, id, { ...saveForm(), version: v, [`title_${adoptedA}`]: "第一次改", [`body_${adoptedA}`]: "正文一" });
    expect(first.status).toBe(302);
    const second = await post(editRoute, id, { ...saveForm(), version: v, [`title_${adoptedA}`]: "第二次改", [`body_${adoptedA}`]: "正文二" });
    expect(second.status).toBe(409);
    expect((await bodyOf(second)).conflict).toBe(true);
    const row = await db().selectFrom("bulletin_items").selectAll().where("bulletin_id", "=", id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ title: "第一次改", body: "正文一", original_title: "城关镇中心学校开展防溺水教育", original_body: "各班召开主题班会。\n学校邀请民警讲解。" });
  });

  it("orders items with 上移/下移 and shows the diff against the original", async () => {
    const id = await newDraft();
    await add(id, adoptedA);
    await add(id, adoptedB);
    expect((await post(editRoute, id, { intent: "up", item_id: String(adoptedB), version: String(await version(id)) })).status).toBe(302);
    const order = await db().selectFrom("bulletin_items").select("item_id").where("bulletin_id", "=", id).orderBy("position").execute();
    expect(order.map((r) => r.item_id)).toEqual([adoptedB, adoptedA]);
    await post(editRoute, id, { ...saveForm(), version: String(await version(id)), [`title_${adoptedA}`]: "城关镇中心学校扎实开展防溺水教育", [`body_${adoptedA}`]: "各班召开主题班会。", [`title_${adoptedB}`]: "县实验小学秋季运动会", [`body_${adoptedB}`]: "正文。" });
    const data = await bodyOf(await call(editRoute.loader, county, { url: `/bulletins/${id}/edit`, user: "reviewer", params: { id: String(id) } }));
    const a = data.items.find((i: { itemId: number }) => i.itemId === adoptedA);
    expect(a.edited).toBe(true);
    expect(a.titleDiff).toEqual([{ kind: "same", text: "城关镇中心学校" }, { kind: "ins", text: "扎实" }, { kind: "same", text: "开展防溺水教育" }]);
    expect(a.bodyDiff.filter((p: { kind: string }) => p.kind === "del").map((p: { text: string }) => p.text).join("")).toBe("\n学校邀请民警讲解。");
    // Candidates leave out what is in and what is not adopted.
    const candidates = data.candidates.rows.map((r: { id: number }) => r.id);
    expect(candidates).toContain(adoptedA2);
    expect(candidates).not.toContain(adoptedA);
    expect(candidates).not.toContain(submittedA);
  });

  it("refuses bad input with the field named and writes nothing", async () => {
    const id = await newDraft();
    const before = await version(id);
    const res = await post(editRoute, id, { ...saveForm({ number: "0", issue_date: "2026-02-30", editor_unit: "" }), version: String(before) });
    expect(res.status).toBe(400);
    const body = await bodyOf(res);
    expect(body.fieldErrors).toMatchObject({ number: "期号应为 1–9999 之间的整数", issue_date: expect.any(String), editor_unit: "请填写编印单位" });
    expect(await version(id)).toBe(before);
  });
});

describe("签发", () => {
  let published = 0;
  let draft = 0;

  it("refuses a bulletin without items", async () => {
    const id = await newDraft();
    const res = await post(publishRoute, id, { intent: "publish", version: String(await version(id)) }, "reviewer", "publish");
    expect(res.status).toBe(409);
    expect((await bodyOf(res)).formError).toBe("简报至少要收录 1 条信息");
  });

  it("freezes the issue, records a pickup at the configured tier for every item, and the school's points rise by the rule", async () => {
    const saved = await saveSettings(db(), { changes: [{ key: "bulletinTier", value: "city" }], effectiveMonth: null, actor: { id: county.ids.admin, username: "admin" } });
    expect(saved.ok).toBe(true);
    published = await newDraft();
    await add(published, adoptedA);
    await add(published, adoptedB);
    const taken = await db().selectFrom("bulletins").select("number").where("status", "=", "published").execute();
    const number = String(Math.max(0, ...taken.map((t) => t.number)) + 1);
    await post(editRoute, published, { ...saveForm({ number }), version: String(await version(published)), [`title_${adoptedA}`]: "简报标题A", [`body_${adoptedA}`]: "简报正文A", [`title_${adoptedB}`]: "县实验小学秋季运动会", [`body_${adoptedB}`]: "正文B" });
    const beforeA = await unitPoints(county.units.A);
    const beforeB = await unitPoints(county.units.B);
    expect(beforeA).toBe(DEFAULT_POINTS_RULES.grade.excellent + DEFAULT_POINTS_RULES.grade.good);
    const res = await post(publishRoute, published, { intent: "publish", version: String(await version(published)) }, "reviewer", "publish");
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe(`/bulletins/${published}`);
    const pickups = await db().selectFrom("pickups").selectAll().where("item_id", "in", [adoptedA, adoptedB]).execute();
    expect(pickups.map((p) => [p.item_id, p.outlet, p.tier, p.url])).toEqual([
      [adoptedA, BULLETIN_OUTLET, "city", `/bulletins/${published}`],
      [adoptedB, BULLETIN_OUTLET, "city", `/bulletins/${published}`],
    ]);
    expect(await unitPoints(county.units.A)).toBe(beforeA + DEFAULT_POINTS_RULES.pickup.city);
    expect(await unitPoints(county.units.B)).toBe(beforeB + DEFAULT_POINTS_RULES.pickup.city);
    // Frozen: no more edits.
    const late = await post(editRoute, published, { intent: "remove", item_id: String(adoptedA), version: String(await version(published)) });
    expect(late.status).toBe(409);
    // The unit is told, with a link to the issue.
    const told = await db().selectFrom("notifications").selectAll().where("account_id", "=", county.ids.correspondentA).where("kind", "=", "bulletin_included").execute();
    expect(told).toHaveLength(1);
    expect(told[0]).toMatchObject({ link: `/bulletins/${published}`, item_id: adoptedA });
    expect(told[0].title).toContain("简报标题A");
    // The school sees the pickup and its points on the item's receipt.
    const item = await bodyOf(await call(itemRoute.loader, county, { url: `/items/${adoptedA}`, user: "correspondentA", params: { id: String(adoptedA) } }));
    expect(JSON.stringify(item)).toContain(BULLETIN_OUTLET);
    expect(JSON.stringify(item)).toContain("市级媒体上稿");
    // Audited with its own code.
    const audit = await db().selectFrom("audit_events").select(["action"]).where("entity_type", "=", "bulletin").where("entity_id", "=", String(published)).orderBy("id").execute();
    expect(audit.map((a) => a.action)).toContain("bulletin_published");
    await saveSettings(db(), { changes: [{ key: "bulletinTier", value: "county" }], effectiveMonth: null, actor: { id: county.ids.admin, username: "admin" } });
  });

  it("shows the public published issues only; reviewers also the drafts", async () => {
    draft = await newDraft();
    const publicList = await bodyOf(await call(indexRoute.loader, county, { url: "/bulletins" }));
    expect(publicList.published.map((b: { id: number }) => b.id)).toEqual([published]);
    expect(publicList.drafts).toEqual([]);
    expect(publicList.canEdit).toBe(false);
    const reviewerList = await bodyOf(await call(indexRoute.loader, county, { url: "/bulletins", user: "reviewer" }));
    expect(reviewerList.drafts.map((b: { id: number }) => b.id)).toContain(draft);
    expect((await page(published)).status).toBe(200);
    expect((await page(draft)).status).toBe(404);
    expect((await page(draft, "correspondentA")).status).toBe(404);
    expect((await page(draft, "reviewer")).status).toBe(200);
  });

  it("serves the stored Word bytes of a published issue, and no draft's to the public", async () => {
    const row = await db().selectFrom("bulletins").select("docx_sha256").where("id", "=", published).executeTakeFirstOrThrow();
    const stored = readFileSync(noticeFilePath(getConfig().dataDir, row.docx_sha256!));
    for (const who of [undefined, "correspondentB"] as const) {
      const res = await docx(published, who);
      expect(res.status).toBe(200);
      const bytes = Buffer.from(await res.arrayBuffer());
      expect(bytes.equals(stored)).toBe(true);
      expect(createHash("sha256").update(bytes).digest("hex")).toBe(row.docx_sha256);
    }
    expect((await docx(draft)).status).toBe(404);
    expect((await docx(draft, "leadA")).status).toBe(404);
    const preview = await docx(draft, "reviewer");
    expect(preview.status).toBe(200);
    expect(preview.headers.get("Cache-Control")).toBe("private, no-store");
    // The file is named with the issue's year (numbers start again each year).
    const { year, number, name } = await db().selectFrom("bulletins").select(["year", "number", "name"]).where("id", "=", published).executeTakeFirstOrThrow();
    const disposition = decodeURIComponent((await docx(published)).headers.get("Content-Disposition") ?? "");
    expect(disposition).toContain(`${name}${year}年第${number}期.docx`);
  });
});
