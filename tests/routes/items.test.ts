import { existsSync, readdirSync, readFileSync, unlinkSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { photoPath } from "../../db/file-store";
import { shanghaiDate, shanghaiMonth } from "~/domain/time";
import { getConfig } from "~/models/env.server";
import { DailyBytes, PHOTO_LIMITS, sharePhotoBytes } from "~/models/limits.server";
import { preparePhoto } from "~/models/photos.server";
import { readFlash } from "~/lib/flash.server";
import { UPLOADS_DIR } from "~/lib/form.server";
import * as itemPage from "~/routes/items.$id";
import * as itemEdit from "~/routes/items.$id_.edit";
import * as itemsIndex from "~/routes/items._index";
import * as itemNew from "~/routes/items.new";
import * as photoRoute from "~/routes/photos.$id";
import * as thumbRoute from "~/routes/photos.$id.thumb";
import { bodyOf, call, responseOf, expectFieldErrors, setupCounty, type County, type UserKey } from "../support/app";
import { insertItem } from "../support/item-fixtures";
import { attachPhoto, jpeg, photoFiles, png, webp } from "../support/photos";

let county: County;
let dataDir: string;
let category: { id: number; name: string };
let otherCategory: { id: number; name: string };
let channel: { id: number; name: string };
const today = shanghaiDate(new Date());
const daysAgo = (n: number) => shanghaiDate(new Date(Date.now() - n * 86_400_000));

beforeAll(async () => {
  county = await setupCounty();
  dataDir = getConfig().dataDir;
  for (const user of ["admin", "reviewer", "leadA", "correspondentA", "correspondentB"] as const) await county.cookieFor(user);
  const categories = await county.dbs.db.selectFrom("categories").select(["id", "name"]).orderBy("sort_order").execute();
  [category, otherCategory] = [categories[0], categories[5]];
  channel = (await county.dbs.db.selectFrom("channels").select(["id", "name"]).orderBy("sort_order").executeTakeFirstOrThrow());
});
afterAll(async () => county.dbs.dispose());

const db = () => county.dbs.db;
const count = async (table: "items" | "photos" | "audit_events" | "item_bylines" | "notifications") =>
  Number((await db().selectFrom(table).select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n);
const snapshot = async () => ({
  items: await count("items"), photos: await count("photos"), bylines: await count("item_bylines"),
  audits: await count("audit_events"), files: photoFiles(dataDir),
});
const itemRow = (id: number) => db().selectFrom("items").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
const photosOf = (id: number) => db().selectFrom("photos").selectAll().where("item_id", "=", id).orderBy("sort_order").orderBy("id").execute();
const bylinesOf = async (id: number) =>
  (await db().selectFrom("item_bylines").select("account_id").where("item_id", "=", id).orderBy("account_id").execute()).map((r) => r.account_id);

async function flashOf(response: Response) {
  const cookie = (response.headers.get("Set-Cookie") ?? "").split(";")[0];
  return readFlash(new Request("http://localhost/", { headers: { Cookie: cookie } }));
}

type Upload = { bytes: Uint8Array; name: string; type?: string };

function form(fields: Record<string, string | string[]>, files: Record<string, Upload> = {}): FormData {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) for (const v of [value].flat()) data.append(name, v);
  for (const [name, f] of Object.entries(files)) data.append(name, new File([new Uint8Array(f.bytes)], f.name, { type: f.type ?? "application/octet-stream" }));
  return data;
}

const goodFields = (over: Record<string, string | string[]> = {}) => ({
  title: "城关镇中心学校开展消防安全疏散演练",
  body: "11月20日上午，城关镇中心学校开展消防安全疏散演练。\n\n  全校师生有序撤离到操场。\r\n",
  category_id: String(category.id),
  channel_id: String(channel.id),
  event_date: today,
  bylines: [String(county.ids.correspondentA)],
  intent: "save",
  ...over,
});

const newItem = (user: UserKey, fields: Record<string, string | string[]>, files: Record<string, Upload> = {}) =>
  call(itemNew.action, county, { url: "/items/new", user, body: form(fields, files) });
const editItem = (user: UserKey, id: number, fields: Record<string, string | string[]>, files: Record<string, Upload> = {}) =>
  call(itemEdit.action, county, { url: `/items/${id}/edit`, user, params: { id: String(id) }, body: form(fields, files) });
const itemAction = (user: UserKey, id: number, fields: Record<string, string>) =>
  call(itemPage.action, county, { url: `/items/${id}`, user, params: { id: String(id) }, body: fields });
const viewItem = (user: UserKey | undefined, id: number) =>
  call(itemPage.loader, county, { url: `/items/${id}`, user, params: { id: String(id) } });
const getPhoto = (user: UserKey | undefined, id: number, thumb = false) =>
  call(thumb ? thumbRoute.loader : photoRoute.loader, county, { url: `/photos/${id}${thumb ? "/thumb" : ""}`, user, params: { id: String(id) } });

async function draftVia(fields: Record<string, string | string[]> = {}, files: Record<string, Upload> = {}): Promise<number> {
  const res = await newItem("correspondentA", goodFields(fields), files);
  expect(res.status).toBe(302);
  return Number(/^\/items\/(\d+)/.exec(res.headers.get("Location")!)![1]);
}

describe("GET /items/new", () => {
  it("offers the active categories and channels, the unit's active people, today's date and the author credited", async () => {
    const res = await call(itemNew.loader, county, { url: "/items/new", user: "correspondentA" });
    expect(res.status).toBe(200);
    const body = await bodyOf(res);
    expect(body.options.categories).toHaveLength(10);
    expect(body.options.channels.map((c: { name: string }) => c.name)).toEqual(["教育信息网", "教育网"]);
    expect(body.options.people.map((p: { name: string; role: string }) => `${p.name}/${p.role}`).sort()).toEqual(["张晓梅/信息员", "王校长/分管领导"].sort());
    expect(body).toMatchObject({ today, authorId: county.ids.correspondentA });
  });

  it("gives the form the 迟报 limit for its warning; the edit page only while the draft has never reached the bureau", async () => {
    expect(await bodyOf(await call(itemNew.loader, county, { url: "/items/new", user: "correspondentA" }))).toMatchObject({ lateAfterDays: 7 });
    const fresh = await draftVia({ event_date: daysAgo(9) });
    const edit = (id: number) => call(itemEdit.loader, county, { url: `/items/${id}/edit`, user: "correspondentA", params: { id: String(id) } });
    expect(await bodyOf(await edit(fresh))).toMatchObject({ lateAfterDays: 7, draft: { item: { event_date: daysAgo(9) } } });
    // Returned by the bureau: its lateness was fixed at its first arrival, so no warning.
    await db().updateTable("items").set({ report_month: "2026-10", first_submitted_at: "2026-10-02T01:00:00.000Z" }).where("id", "=", fresh).execute();
    expect((await bodyOf(await edit(fresh))).lateAfterDays).toBeNull();
  });

  it("is for correspondents only", async () => {
    for (const user of ["leadA", "reviewer", "admin"] as const) {
      expect((await call(itemNew.loader, county, { url: "/items/new", user })).status).toBe(403);
      expect((await newItem(user, goodFields())).status).toBe(403);
    }
  });
});

describe("POST /items/new (保存草稿)", () => {
  it("saves a draft with two photos: files on disk first, rows pointing at them, one audit row", async () => {
    const before = await snapshot();
    const pngBytes = await png(200, 100);
    const jpegBytes = await jpeg(90, 120);
    const res = await newItem(
      "correspondentA",
      goodFields({ caption_1: "  师生有序撤离 ", caption_2: "消防员讲解灭火器使用" }),
      {
        photo_1: { bytes: pngBytes, name: "撤离.png", type: "image/png" },
        photo_2: { bytes: jpegBytes, name: "讲解.jpg", type: "image/jpeg" },
        // An empty file input still sends a part.
        photo_3: { bytes: new Uint8Array(), name: "" },
      },
    );
    expect(res.status).toBe(302);
    const id = Number(/^\/items\/(\d+)$/.exec(res.headers.get("Location")!)![1]);
    expect((await flashOf(res))?.message).toBe("草稿已保存");

    const item = await itemRow(id);
    expect(item).toMatchObject({
      unit_id: county.units.A, status: "draft", version: 1, report_month: null, created_by: county.ids.correspondentA,
      title: "城关镇中心学校开展消防安全疏散演练", category_id: category.id, channel_id: channel.id, event_date: today,
      body: "11月20日上午，城关镇中心学校开展消防安全疏散演练。\n\n全校师生有序撤离到操场。",
    });
    expect(await bylinesOf(id)).toEqual([county.ids.correspondentA]);
    const photos = await photosOf(id);
    expect(photos.map((p) => [p.caption, p.mime, p.width, p.height, p.sort_order])).toEqual([
      ["师生有序撤离", "image/png", 200, 100, 0],
      ["消防员讲解灭火器使用", "image/jpeg", 90, 120, 1],
    ]);
    for (const p of photos) {
      expect(existsSync(photoPath(dataDir, p.sha256))).toBe(true);
      expect(readFileSync(photoPath(dataDir, p.sha256)).length).toBe(p.bytes);
    }
    const after = await snapshot();
    expect(after.files.length).toBe(before.files.length + 2);
    expect(after.audits).toBe(before.audits + 1);
    const audit = await db().selectFrom("audit_events").selectAll().where("action", "=", "item_created").where("entity_id", "=", String(id)).execute();
    expect(audit).toHaveLength(1);
  });

  it("credits the author when no byline is ticked, and several people when they are", async () => {
    const alone = await draftVia({ bylines: [] });
    expect(await bylinesOf(alone)).toEqual([county.ids.correspondentA]);
    const both = await draftVia({ bylines: [String(county.ids.leadA), String(county.ids.correspondentA)] });
    expect(await bylinesOf(both)).toEqual([county.ids.correspondentA, county.ids.leadA].sort((a, b) => a - b));
  });

  it("answers bad input with 400, a Chinese message per field, the typed values, and writes nothing", async () => {
    const before = await snapshot();
    const res = await newItem(
      "correspondentA",
      goodFields({ title: " ", body: "字".repeat(10_001), category_id: "", channel_id: "abc", event_date: "2026-02-30", caption_1: "说".repeat(61) }),
      { photo_1: { bytes: await png(), name: "a.png" } },
    );
    const body = await expectFieldErrors(res, {
      title: "请填写标题",
      body: "正文不能超过 10000 个字",
      category_id: "请选择栏目",
      channel_id: "请选择投送频道",
      event_date: "请填写正确的事件日期（年-月-日）",
      caption_1: "图片说明不能超过 60 个字",
    });
    expect(body.values).toMatchObject({ title: " ", category_id: "", event_date: "2026-02-30", captions: { "1": "说".repeat(61) } });
    expect(body.values.bylines).toEqual([String(county.ids.correspondentA)]);
    expect(await snapshot()).toEqual(before);
  });

  it("refuses a title or body of nothing but zero-width characters as empty, new or edited, and writes nothing", async () => {
    const invisible = " \u200b\u200c\u200d\u3000\u2060\ufeff ";
    const before = await snapshot();
    const res = await newItem("correspondentA", goodFields({ title: invisible, body: `\u200b\n\u2060` }), { photo_1: { bytes: await png(), name: "a.png" } });
    const body = await expectFieldErrors(res, { title: "请填写标题", body: "请填写正文" });
    expect(body.values.title).toBe(invisible);
    expect(await snapshot()).toEqual(before);

    const id = await draftVia();
    const saved = await snapshot();
    await expectFieldErrors(await editItem("correspondentA", id, goodFields({ version: "1", title: "\u200b\u200b" })), { title: "请填写标题" });
    expect(await snapshot()).toEqual(saved);
    expect(await itemRow(id)).toMatchObject({ title: goodFields().title, version: 1 });
  });

  it("stores a caption of nothing but zero-width characters as no caption", async () => {
    const id = await draftVia({ caption_1: "\u200b\u2060" }, { photo_1: { bytes: await png(), name: "a.png" } });
    expect((await photosOf(id)).map((p) => p.caption)).toEqual([""]);
  });

  it("refuses an event date in the future (Asia/Shanghai) or more than a year ago", async () => {
    const tomorrow = shanghaiDate(new Date(Date.now() + 86_400_000));
    const future = await newItem("correspondentA", goodFields({ event_date: tomorrow }));
    await expectFieldErrors(future, { event_date: "事件日期不能晚于今天" });
    const old = await newItem("correspondentA", goodFields({ event_date: daysAgo(400) }));
    expect((await bodyOf(old)).fieldErrors).toEqual({ event_date: "事件日期不能早于一年前" });
    expect((await newItem("correspondentA", goodFields({ event_date: daysAgo(360) }))).status).toBe(302);
  });

  it("refuses bylines outside the unit's active correspondents and leads, and inactive categories", async () => {
    const before = await snapshot();
    for (const outsider of [county.ids.correspondentB, county.ids.reviewer]) {
      const res = await newItem("correspondentA", goodFields({ bylines: [String(county.ids.correspondentA), String(outsider)] }));
      await expectFieldErrors(res, { bylines: "署名作者只能是本单位在职的信息员或分管领导" });
    }
    await db().updateTable("categories").set({ active: 0 }).where("id", "=", otherCategory.id).execute();
    const res = await newItem("correspondentA", goodFields({ category_id: String(otherCategory.id) }));
    expect((await bodyOf(res)).fieldErrors).toEqual({ category_id: "请选择有效的栏目" });
    await db().updateTable("categories").set({ active: 1 }).where("id", "=", otherCategory.id).execute();
    expect(await snapshot()).toEqual(before);
  });

  it.each([
    ["an HTML page renamed .jpg", "现场.jpg", "image/jpeg", Buffer.from("<html><body><script>alert(1)</script></body></html>")],
    ["an SVG", "logo.svg", "image/svg+xml", Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>')],
    ["a program renamed .png", "合影.png", "image/png", Buffer.concat([Buffer.from("MZ"), Buffer.alloc(200)])],
  ])("refuses %s with 415 naming the file, writing neither rows nor files (not even the good photo)", async (_label, name, type, bytes) => {
    const before = await snapshot();
    const res = await newItem("correspondentA", goodFields(), {
      photo_1: { bytes: await png(80, 80, "#0f0"), name: "good.png", type: "image/png" },
      photo_2: { bytes, name, type },
    });
    expect(res.status).toBe(415);
    const body = await bodyOf(res);
    expect(body.fieldErrors).toEqual({ photo_2: `“${name}”不是 JPG、PNG 或 WebP 格式的图片，不能上传。` });
    expect(body.values.title).toBe(goodFields().title);
    expect(await snapshot()).toEqual(before);
  });

  it("refuses a file over 8 MB with 413, writing nothing", async () => {
    const before = await snapshot();
    const res = await newItem("correspondentA", goodFields(), {
      photo_1: { bytes: await png(), name: "小.png" },
      photo_4: { bytes: new Uint8Array(8 * 1024 * 1024 + 1), name: "相机原图.jpg", type: "image/jpeg" },
    });
    expect(res.status).toBe(413);
    const body = await bodyOf(res);
    expect(body.fieldErrors).toEqual({ photo_4: "“相机原图.jpg”超过 8 MB，请压缩后再上传。" });
    expect(body.formError).toBe("“相机原图.jpg”超过 8 MB，请压缩后再上传。");
    expect(await snapshot()).toEqual(before);
  });

  it("leaves no upload files behind, whether the photos were stored or refused", async () => {
    const leftovers = () => (existsSync(path.join(dataDir, UPLOADS_DIR)) ? readdirSync(path.join(dataDir, UPLOADS_DIR), { recursive: true }) : []);
    const stored = await newItem("correspondentA", goodFields({ title: "上传后不留临时文件" }), { photo_1: { bytes: await png(120, 90), name: "留存.png", type: "image/png" } });
    expect(stored.status).toBe(302);
    expect(leftovers()).toEqual([]);
    const refused = await newItem("correspondentA", goodFields(), {
      photo_1: { bytes: await png(), name: "好.png" },
      photo_2: { bytes: new Uint8Array(8 * 1024 * 1024 + 1), name: "大.jpg", type: "image/jpeg" },
    });
    expect(refused.status).toBe(413);
    expect(leftovers()).toEqual([]);
  });

  it("refuses photos past the account's day of photo bytes with 429, writing nothing (on a new item and on an edit); another account's are its own", async () => {
    // A stored file is never deleted and drafts are not limited: one correspondent adding and
    // removing nine noisy PNGs on a draft stored 66 MB every 6–9 s, until the disk was full.
    const first = await png(130, 90, "#456");
    const second = await png(140, 90, "#567");
    const size = async (bytes: Uint8Array) => (await preparePhoto(bytes)).bytes;
    // Room for the first photo, not for the second as well.
    sharePhotoBytes(new DailyBytes((await size(first)) + (await size(second)) - 1));
    try {
      const stored = await newItem("correspondentA", goodFields({ title: "今天的第一张图" }), { photo_1: { bytes: first, name: "一.png", type: "image/png" } });
      expect(stored.status).toBe(302);
      const id = Number(/\/items\/(\d+)/.exec(stored.headers.get("Location")!)![1]);
      const before = await snapshot();
      const refused = await newItem("correspondentA", goodFields({ title: "今天的第二张图" }), { photo_1: { bytes: second, name: "二.png", type: "image/png" } });
      expect(refused.status).toBe(429);
      const body = await bodyOf(refused);
      expect(body.formError).toContain("今天上传的图片已达上限（每个账号每天 500 MB）");
      expect(body.fieldErrors).toEqual({ photos: body.formError });
      expect(body.values.title).toBe("今天的第二张图");
      const edit = await editItem("correspondentA", id, goodFields({ version: "1" }), { photo_1: { bytes: second, name: "二.png", type: "image/png" } });
      expect(edit.status).toBe(429);
      expect(await snapshot()).toEqual(before);
      // Text alone is still saved, and another correspondent's photos count against their own day.
      expect((await editItem("correspondentA", id, goodFields({ version: "1", title: "只改文字" }))).status).toBe(302);
      expect((await newItem("correspondentB", goodFields({ bylines: [String(county.ids.correspondentB)] }), { photo_1: { bytes: second, name: "二.png", type: "image/png" } })).status).toBe(302);
    } finally {
      sharePhotoBytes(new DailyBytes(PHOTO_LIMITS.bytesPerAccountPerDay));
    }
  });

  it("refuses an unknown intent and a body that is not a form", async () => {
    const res = await newItem("correspondentA", goodFields({ intent: "publish" }));
    expect(res.status).toBe(400);
    expect((await bodyOf(res)).formError).toBe("未知的操作，请刷新页面后重试。");
    const json = await call(itemNew.action, county, { url: "/items/new", user: "correspondentA", body: "{}", contentType: "application/json" });
    expect(json.status).toBe(415);
  });
});

describe("GET and POST /items/:id/edit", () => {
  let id: number;
  let keep: number;
  let drop: number;
  beforeAll(async () => {
    id = await draftVia({ caption_1: "第一张", caption_2: "第二张" }, {
      photo_1: { bytes: await png(100, 100, "#111"), name: "1.png" },
      photo_2: { bytes: await png(100, 100, "#222"), name: "2.png" },
    });
    [keep, drop] = (await photosOf(id)).map((p) => p.id);
  });

  it("prefills the form with the draft, its bylines and photos", async () => {
    const res = await call(itemEdit.loader, county, { url: `/items/${id}/edit`, user: "correspondentA", params: { id: String(id) } });
    expect(res.status).toBe(200);
    const body = await bodyOf(res);
    expect(body.draft.item).toMatchObject({ id, title: goodFields().title, version: 1, category_id: category.id });
    expect(body.draft.bylines).toEqual([county.ids.correspondentA]);
    expect(body.draft.photos.map((p: { id: number; caption: string }) => [p.id, p.caption])).toEqual([[keep, "第一张"], [drop, "第二张"]]);
  });

  it("edits fields, recaptions one photo, removes another, adds a new one, and bumps the version", async () => {
    const before = await count("audit_events");
    const res = await editItem(
      "correspondentA", id,
      goodFields({ version: "1", title: "消防演练（修改稿）", category_id: String(otherCategory.id), [`photo_caption_${keep}`]: "改过的说明", remove_photo: String(drop), caption_1: "新图" }),
      { photo_1: { bytes: await webp(70, 70, "#345"), name: "new.webp", type: "image/webp" } },
    );
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe(`/items/${id}`);
    const item = await itemRow(id);
    expect(item).toMatchObject({ title: "消防演练（修改稿）", category_id: otherCategory.id, version: 2, status: "draft" });
    expect(item.updated_at >= item.created_at).toBe(true);
    const photos = await photosOf(id);
    expect(photos.map((p) => [p.id === keep ? "keep" : "new", p.caption, p.mime, p.sort_order])).toEqual([
      ["keep", "改过的说明", "image/png", 0],
      ["new", "新图", "image/webp", 2],
    ]);
    expect(await count("audit_events")).toBe(before + 1);
  });

  it("answers a stale version with 409 and changes nothing", async () => {
    const before = { item: await itemRow(id), photos: await photosOf(id), snap: await snapshot() };
    const res = await editItem("correspondentA", id, goodFields({ version: "1", title: "旧页面上的修改" }), {
      photo_1: { bytes: await png(60, 60, "#abcdef"), name: "x.png" },
    });
    expect(res.status).toBe(409);
    expect((await bodyOf(res)).formError).toBe("稿件已在别处被修改（可能是您在另一个窗口保存过），请刷新页面后重试。");
    expect(await itemRow(id)).toEqual(before.item);
    expect(await photosOf(id)).toEqual(before.photos);
    expect(await snapshot()).toEqual(before.snap);
  });

  it("refuses more than 9 photos on an item", async () => {
    const many = Object.fromEntries(
      await Promise.all(Array.from({ length: 9 }, async (_, i) => [`photo_${i + 1}`, { bytes: await png(60 + i, 60), name: `${i}.png` }] as const)),
    );
    const version = (await itemRow(id)).version;
    const res = await editItem("correspondentA", id, goodFields({ version: String(version) }), many);
    await expectFieldErrors(res, { photos: "每篇稿件最多 9 张图片，请减少图片后再保存。" });
    expect(await photosOf(id)).toHaveLength(2);
  });

  it("reads no byte of a post to another unit's draft, or to an item no longer a draft: nothing is stored first", async () => {
    const sent = await insertItem(county.dbs.db, { unitId: county.units.A, createdBy: county.ids.correspondentA, status: "submitted", reportMonth: today.slice(0, 7) });
    for (const [user, target, status] of [["correspondentB", id, 403], ["correspondentA", sent, 409], ["correspondentA", 99999, 404]] as const) {
      let pulled = 0;
      // Nothing is pulled from this body unless someone reads it (no read-ahead); it ends after one piece.
      const body = new ReadableStream<Uint8Array>(
        { pull: (c) => void (pulled++ === 0 ? c.enqueue(new TextEncoder().encode("--x--\r\n")) : c.close()) },
        { highWaterMark: 0 },
      );
      const request = new Request(`http://localhost/items/${target}/edit`, {
        method: "POST", body, duplex: "half",
        headers: { Cookie: await county.cookieFor(user), "Content-Type": "multipart/form-data; boundary=x" },
      } as RequestInit);
      let res: Response;
      try {
        res = responseOf(await itemEdit.action({ request, params: { id: String(target) }, context: county.context() }));
      } catch (thrown) {
        res = responseOf(thrown);
      }
      expect([user, target, res.status]).toEqual([user, target, status]);
      expect(pulled, `${user} → ${target}`).toBe(0);
    }
  });

  it("is refused to the other unit's correspondent (403) and to the lead (403), writing nothing", async () => {
    const before = await itemRow(id);
    expect((await call(itemEdit.loader, county, { url: `/items/${id}/edit`, user: "correspondentB", params: { id: String(id) } })).status).toBe(403);
    expect((await call(itemEdit.loader, county, { url: `/items/${id}/edit`, user: "leadA", params: { id: String(id) } })).status).toBe(403);
    const other = await editItem("correspondentB", id, goodFields({ version: String(before.version), title: "别人改的" }));
    expect(other.status).toBe(403);
    expect((await editItem("leadA", id, goodFields({ version: String(before.version) }))).status).toBe(403);
    expect(await itemRow(id)).toEqual(before);
  });

  it("keeps a colleague's byline on a draft after they leave, but a new draft cannot credit them", async () => {
    const now = new Date().toISOString();
    const { id: colleague } = await db()
      .insertInto("accounts")
      .values({ username: "a-c2", display_name: "刘老师", role: "correspondent", unit_id: county.units.A, password_hash: "x", created_at: now, updated_at: now })
      .returning("id")
      .executeTakeFirstOrThrow();
    const shared = await draftVia({ bylines: [String(county.ids.correspondentA), String(colleague)] });
    await db().updateTable("accounts").set({ active: 0, deactivated_at: now }).where("id", "=", colleague).execute();

    const form = await bodyOf(await call(itemEdit.loader, county, { url: `/items/${shared}/edit`, user: "correspondentA", params: { id: String(shared) } }));
    expect(form.draft.options.people.find((p: { id: number }) => p.id === colleague)).toMatchObject({ name: "刘老师", active: false });
    const kept = await editItem("correspondentA", shared, goodFields({ version: "1", bylines: [String(county.ids.correspondentA), String(colleague)] }));
    expect(kept.status).toBe(302);
    expect(await bylinesOf(shared)).toEqual([county.ids.correspondentA, colleague].sort((a, b) => a - b));

    const fresh = await newItem("correspondentA", goodFields({ bylines: [String(colleague)] }));
    await expectFieldErrors(fresh, { bylines: "署名作者只能是本单位在职的信息员或分管领导" });
    const newForm = await bodyOf(await call(itemNew.loader, county, { url: "/items/new", user: "correspondentA" }));
    expect(newForm.options.people.map((p: { id: number }) => p.id)).not.toContain(colleague);
  });

  it("404s an item that does not exist", async () => {
    expect((await call(itemEdit.loader, county, { url: "/items/99999/edit", user: "correspondentA", params: { id: "99999" } })).status).toBe(404);
    expect((await editItem("correspondentA", 99999, goodFields({ version: "1" }))).status).toBe(404);
  });
});

describe("报送 (submit)", () => {
  it("from the edit page without the 涉密自查 box: 400, the edits are saved, the item stays a draft", async () => {
    const id = await draftVia();
    const res = await editItem("correspondentA", id, goodFields({ version: "1", title: "先保存再报送", intent: "submit" }));
    expect(res.status).toBe(400);
    const body = await bodyOf(res);
    expect(body).toMatchObject({ saved: true, values: null, formError: "草稿已保存，但未能报送：请先勾选涉密自查：不得报送涉密信息。" });
    expect(body.fieldErrors).toEqual({ confidential_checked: "请先勾选涉密自查：不得报送涉密信息。" });
    expect(await itemRow(id)).toMatchObject({ title: "先保存再报送", status: "draft", version: 2, confidential_checked: 0 });
  });

  it("from the item page without the box: 400 and the item stays a draft", async () => {
    const id = await draftVia();
    const res = await itemAction("correspondentA", id, { intent: "submit", version: "1" });
    await expectFieldErrors(res, { confidential_checked: "请先勾选涉密自查：不得报送涉密信息。" });
    expect((await itemRow(id)).status).toBe("draft");
  });

  it("with a block word: 400 naming the word, the item stays a draft", async () => {
    const now = new Date().toISOString();
    await db().insertInto("sensitive_words").values({ word: "全县第一", level: "block", created_at: now, updated_at: now }).execute();
    const id = await draftVia({ body: "我校教学质量全县第一。" });
    const res = await itemAction("correspondentA", id, { intent: "submit", version: "1", confidential_checked: "1" });
    expect(res.status).toBe(400);
    expect((await bodyOf(res)).formError).toBe("稿件含有禁用词“全县第一”，请修改后再报送。");
    expect((await itemRow(id)).status).toBe("draft");
    // The lead sees the word marked when it reaches them; the correspondent's page carries no hits.
    expect((await bodyOf(await viewItem("correspondentA", id))).hits).toBeNull();
    await db().deleteFrom("sensitive_words").where("word", "=", "全县第一").execute();
  });

  it("with a block word in a saved photo's caption: refused naming the photo, its caption field marked on the edit page", async () => {
    const now = new Date().toISOString();
    await db().insertInto("sensitive_words").values({ word: "全县第一", level: "block", created_at: now, updated_at: now }).execute();
    try {
      const id = await draftVia(
        { caption_1: "师生有序撤离", caption_2: "演练用时全县第\u200b一" },
        { photo_1: { bytes: await png(80, 60), name: "撤离.png" }, photo_2: { bytes: await png(60, 80, "#0f0"), name: "用时.png" } },
      );
      const [first, second] = await photosOf(id);
      const told = "第 2 张图片的说明含有禁用词“全县第一”，请修改后再报送。";

      // From the item page: refused, the reason said above the buttons.
      const fromPage = await itemAction("correspondentA", id, { intent: "submit", version: "1", confidential_checked: "1" });
      expect(fromPage.status).toBe(400);
      expect(await bodyOf(fromPage)).toMatchObject({ formError: told, fieldErrors: { [`photo_caption_${second.id}`]: told } });
      expect(await itemRow(id)).toMatchObject({ status: "draft", version: 1 });

      // From the edit page: the edits are saved, the second caption's field marked.
      const captions = { [`photo_caption_${first.id}`]: first.caption, [`photo_caption_${second.id}`]: second.caption };
      const fromEdit = await editItem("correspondentA", id, goodFields({ version: "1", intent: "submit", confidential_checked: "1", ...captions }));
      expect(fromEdit.status).toBe(400);
      const body = await bodyOf(fromEdit);
      expect(body).toMatchObject({ saved: true, formError: `草稿已保存，但未能报送：${told}` });
      expect(body.fieldErrors).toEqual({ [`photo_caption_${second.id}`]: told });
      expect(await itemRow(id)).toMatchObject({ status: "draft", version: 2 });

      // The caption changed, the item goes.
      const fixed = await editItem("correspondentA", id, goodFields({
        version: "2", intent: "submit", confidential_checked: "1", ...captions, [`photo_caption_${second.id}`]: "演练用时三分钟",
      }));
      expect(fixed.status).toBe(302);
      expect((await itemRow(id)).status).toBe("pending_school");
    } finally {
      await db().deleteFrom("sensitive_words").where("word", "=", "全县第一").execute();
    }
  });

  it("from /items/new with a block word in a caption: the draft and its photos are kept, the flash names the photo", async () => {
    const now = new Date().toISOString();
    await db().insertInto("sensitive_words").values({ word: "全县唯一", level: "block", created_at: now, updated_at: now }).execute();
    try {
      const res = await newItem(
        "correspondentA", goodFields({ intent: "submit", confidential_checked: "1", caption_1: "入选全县唯一示范点" }),
        { photo_1: { bytes: await png(), name: "学习.png" } },
      );
      expect(res.status).toBe(302);
      const location = res.headers.get("Location")!;
      expect(location).toMatch(/^\/items\/\d+\/edit$/);
      expect(await flashOf(res)).toEqual({ kind: "error", message: "草稿已保存，但未能报送：第 1 张图片的说明含有禁用词“全县唯一”，请修改后再报送。" });
      const id = Number(location.split("/")[2]);
      expect((await itemRow(id)).status).toBe("draft");
      expect((await photosOf(id)).map((p) => p.caption)).toEqual(["入选全县唯一示范点"]);
    } finally {
      await db().deleteFrom("sensitive_words").where("word", "=", "全县唯一").execute();
    }
  });

  it("with the box ticked: pending_school, one review event, and the lead is notified", async () => {
    const id = await draftVia();
    const notices = await count("notifications");
    const res = await itemAction("correspondentA", id, { intent: "submit", version: "1", confidential_checked: "1" });
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe(`/items/${id}`);
    expect((await flashOf(res))?.message).toBe("已报送，等待分管领导签发");
    expect(await itemRow(id)).toMatchObject({ status: "pending_school", confidential_checked: 1, report_month: null, version: 2 });
    const events = await db().selectFrom("review_events").selectAll().where("item_id", "=", id).execute();
    expect(events.map((e) => [e.action, e.from_status, e.to_status, e.actor_id])).toEqual([["submit", "draft", "pending_school", county.ids.correspondentA]]);
    const leadNotices = await db().selectFrom("notifications").selectAll().where("item_id", "=", id).execute();
    expect(leadNotices.map((n) => [n.account_id, n.kind, n.link])).toEqual([[county.ids.leadA, "signoff_waiting", `/items/${id}`]]);
    expect(await count("notifications")).toBe(notices + 1);
    // No more edits once it has left the correspondent's hands.
    const edit = await editItem("correspondentA", id, goodFields({ version: "2" }));
    expect(edit.status).toBe(409);
    expect((await bodyOf(edit)).formError).toBe("稿件已报送，不能再修改；只有草稿可以修改。");
    const page = await call(itemEdit.loader, county, { url: `/items/${id}/edit`, user: "correspondentA", params: { id: String(id) } });
    expect(page.status).toBe(302);
    expect(page.headers.get("Location")).toBe(`/items/${id}`);
  });

  it("straight from /items/new: saved and submitted in one go", async () => {
    const res = await newItem("correspondentA", goodFields({ intent: "submit", confidential_checked: "1" }));
    expect(res.status).toBe(302);
    const id = Number(/^\/items\/(\d+)$/.exec(res.headers.get("Location")!)![1]);
    expect((await flashOf(res))?.message).toBe("已报送，等待分管领导签发");
    expect(await itemRow(id)).toMatchObject({ status: "pending_school", version: 2 });
  });

  it("from /items/new without the box: 400 with the box marked and what was typed, nothing written", async () => {
    const before = await snapshot();
    const res = await newItem("correspondentA", goodFields({ intent: "submit", caption_1: "演练现场" }), { photo_1: { bytes: await png(), name: "现场.png" } });
    const body = await expectFieldErrors(res, { confidential_checked: "请先勾选涉密自查：不得报送涉密信息。" });
    expect(body).toMatchObject({ formError: "请先勾选涉密自查：不得报送涉密信息。", values: { title: goodFields().title, confidential_checked: false, captions: { "1": "演练现场" } } });
    expect(await snapshot()).toEqual(before);
    // Ticked, the same form (same token) then creates and submits the item once.
    const token = crypto.randomUUID();
    await expectFieldErrors(await newItem("correspondentA", goodFields({ intent: "submit", form_token: token })), { confidential_checked: "请先勾选涉密自查：不得报送涉密信息。" });
    const sent = await newItem("correspondentA", goodFields({ intent: "submit", form_token: token, confidential_checked: "1" }));
    expect((await flashOf(sent))?.message).toBe("已报送，等待分管领导签发");
    expect(await count("items")).toBe(before.items + 1);
  });

  it("from /items/new with a block word: the draft is kept and the person is sent to its edit page with the reason", async () => {
    const now = new Date().toISOString();
    await db().insertInto("sensitive_words").values({ word: "全县第一", level: "block", created_at: now, updated_at: now }).execute();
    try {
      const before = await count("items");
      const res = await newItem("correspondentA", goodFields({ intent: "submit", confidential_checked: "1", body: "我校教学质量全县第一。" }));
      expect(res.status).toBe(302);
      const location = res.headers.get("Location")!;
      expect(location).toMatch(/^\/items\/\d+\/edit$/);
      expect(await flashOf(res)).toEqual({ kind: "error", message: "草稿已保存，但未能报送：稿件含有禁用词“全县第一”，请修改后再报送。" });
      expect(await count("items")).toBe(before + 1);
      expect((await itemRow(Number(location.split("/")[2]))).status).toBe("draft");
    } finally {
      await db().deleteFrom("sensitive_words").where("word", "=", "全县第一").execute();
    }
  });

  it("goes straight to the bureau when the unit has switched school sign-off off", async () => {
    await db().updateTable("units").set({ signoff_required: 0 }).where("id", "=", county.units.A).execute();
    try {
      const id = await draftVia();
      const res = await itemAction("correspondentA", id, { intent: "submit", version: "1", confidential_checked: "on" });
      expect((await flashOf(res))?.message).toBe("已报送教体局，等待审核");
      expect(await itemRow(id)).toMatchObject({ status: "submitted", report_month: shanghaiMonth(new Date()) });
    } finally {
      await db().updateTable("units").set({ signoff_required: 1 }).where("id", "=", county.units.A).execute();
    }
  });
});

describe("签发 and 退回 (the lead)", () => {
  async function pending(eventDate = today): Promise<number> {
    const id = await draftVia({ event_date: eventDate });
    const res = await itemAction("correspondentA", id, { intent: "submit", version: "1", confidential_checked: "1" });
    expect(res.status).toBe(302);
    return id;
  }

  it("shows the lead the sign-off actions and the word hits; the correspondent sees neither", async () => {
    const id = await pending();
    const lead = await bodyOf(await viewItem("leadA", id));
    expect(lead.actions).toEqual(["sign_off", "send_back"]);
    expect(lead.hits).toMatchObject({ title: [], body: [] });
    // The correspondent can only take it back (撤回修改), not sign it off or edit it where it is.
    const writer = await bodyOf(await viewItem("correspondentA", id));
    expect(writer).toMatchObject({ actions: ["recall"], canEdit: false, canDelete: false, hits: null });
  });

  it("shows the lead the words in the photos' captions too, by photo, with the title's and body's", async () => {
    const id = await draftVia(
      { body: "我校做为试点学校开展演练。", caption_1: "师生有序撤离", caption_2: "其它班级做为观摩" },
      { photo_1: { bytes: await png(80, 60), name: "撤离.png" }, photo_2: { bytes: await png(60, 80, "#0f0"), name: "观摩.png" } },
    );
    expect((await itemAction("correspondentA", id, { intent: "submit", version: "1", confidential_checked: "1" })).status).toBe(302);
    const [, second] = await photosOf(id);
    const lead = await bodyOf(await viewItem("leadA", id));
    const words = (hits: Array<{ word: string; level: string }>) => hits.map((h) => `${h.word}/${h.level}`);
    expect(words(lead.hits.body)).toEqual(["做为/warn"]);
    expect(Object.keys(lead.hits.captions)).toEqual([String(second.id)]);
    expect(words(lead.hits.captions[second.id])).toEqual(["其它/warn", "做为/warn"]);
    expect((await bodyOf(await viewItem("correspondentA", id))).hits).toBeNull();
  });

  it("the correspondent recalls an item from the lead's desk: a draft again, one trail entry, the lead told; stale pages get 409", async () => {
    const id = await pending();
    const otherUnit = await itemAction("correspondentB", id, { intent: "recall", version: "2" });
    expect(otherUnit.status).toBe(403);
    expect((await itemAction("leadA", id, { intent: "recall", version: "2" })).status).toBe(403);
    expect((await itemRow(id)).status).toBe("pending_school");

    const res = await itemAction("correspondentA", id, { intent: "recall", version: "2" });
    expect(res.status).toBe(302);
    expect((await flashOf(res))?.message).toBe("已撤回，稿件回到草稿，可修改后重新报送");
    expect(await itemRow(id)).toMatchObject({ status: "draft", version: 3, report_month: null, first_submitted_at: null, returned_count: 0 });
    const events = await db().selectFrom("review_events").selectAll().where("item_id", "=", id).orderBy("id").execute();
    expect(events.map((e) => [e.action, e.from_status, e.to_status, e.actor_id])).toEqual([
      ["submit", "draft", "pending_school", county.ids.correspondentA],
      ["recall", "pending_school", "draft", county.ids.correspondentA],
    ]);
    const notes = await db().selectFrom("notifications").selectAll().where("item_id", "=", id).where("kind", "=", "item_recalled").execute();
    expect(notes.map((n) => n.account_id)).toEqual([county.ids.leadA]);
    expect(await bodyOf(await viewItem("correspondentA", id))).toMatchObject({ actions: ["submit"], canEdit: true });

    // A second recall from the same page, or a sign-off from the lead's stale page: 409, nothing moves.
    expect((await itemAction("correspondentA", id, { intent: "recall", version: "2" })).status).toBe(409);
    expect((await itemAction("leadA", id, { intent: "sign_off", version: "2" })).status).toBe(409);
    expect(await itemRow(id)).toMatchObject({ status: "draft", version: 3 });
  });

  it("signs off: submitted, report month fixed now (Asia/Shanghai), late computed from the event date", async () => {
    const lateOne = await pending(daysAgo(10));
    const res = await itemAction("leadA", lateOne, { intent: "sign_off", version: "2" });
    expect(res.status).toBe(302);
    expect((await flashOf(res))?.message).toBe("已签发，稿件已报送教体局");
    const item = await itemRow(lateOne);
    expect(item).toMatchObject({ status: "submitted", report_month: shanghaiMonth(new Date()), late: 1, version: 3 });
    expect(item.first_submitted_at).not.toBeNull();

    const onTime = await pending(daysAgo(2));
    await itemAction("leadA", onTime, { intent: "sign_off", version: "2" });
    expect(await itemRow(onTime)).toMatchObject({ status: "submitted", late: 0 });
  });

  it("answers a second sign-off from a stale page with 409", async () => {
    const id = await pending();
    expect((await itemAction("leadA", id, { intent: "sign_off", version: "2" })).status).toBe(302);
    const again = await itemAction("leadA", id, { intent: "sign_off", version: "2" });
    expect(again.status).toBe(409);
  });

  it("refuses sign-off to the correspondent", async () => {
    const id = await pending();
    expect((await itemAction("correspondentA", id, { intent: "sign_off", version: "2" })).status).toBe(403);
    expect((await itemRow(id)).status).toBe("pending_school");
  });

  it("sends back only with a reason; the reason is shown to the correspondent, who is notified", async () => {
    const id = await pending();
    const bare = await itemAction("leadA", id, { intent: "send_back", version: "2", reason: "  " });
    await expectFieldErrors(bare, { reason: "请填写退回本单位修改的理由。" });
    expect((await itemRow(id)).status).toBe("pending_school");

    const res = await itemAction("leadA", id, { intent: "send_back", version: "2", reason: "请补充参加人数和活动效果。" });
    expect(res.status).toBe(302);
    expect((await flashOf(res))?.message).toBe("已退回信息员修改");
    expect(await itemRow(id)).toMatchObject({ status: "draft", last_reason: "请补充参加人数和活动效果。", report_month: null });
    const page = await bodyOf(await viewItem("correspondentA", id));
    expect(page.item.last_reason).toBe("请补充参加人数和活动效果。");
    expect(page).toMatchObject({ actions: ["submit"], canEdit: true, canDelete: true });
    const notice = await db().selectFrom("notifications").selectAll().where("item_id", "=", id).where("kind", "=", "item_sent_back").execute();
    expect(notice.map((n) => n.account_id)).toEqual([county.ids.correspondentA]);
  });
});

describe("who may see an item and its photos", () => {
  let draft: number;
  let draftPhoto: number;
  let adopted: number;
  let adoptedPhoto: number;
  beforeAll(async () => {
    draft = await draftVia({}, { photo_1: { bytes: await png(300, 200, "#f80"), name: "p.png" } });
    draftPhoto = (await photosOf(draft))[0].id;
    adopted = await insertItem(db(), { unitId: county.units.A, createdBy: county.ids.correspondentA, status: "adopted" });
    adoptedPhoto = await attachPhoto(db(), dataDir, adopted, await jpeg(200, 150, "#09c"));
  });

  it("other unit's correspondent: 403 on the page and the edit page, 404 on the photo and thumbnail", async () => {
    expect((await viewItem("correspondentB", draft)).status).toBe(403);
    expect((await call(itemEdit.loader, county, { url: `/items/${draft}/edit`, user: "correspondentB", params: { id: String(draft) } })).status).toBe(403);
    expect((await getPhoto("correspondentB", draftPhoto)).status).toBe(404);
    expect((await getPhoto("correspondentB", draftPhoto, true)).status).toBe(404);
    expect((await itemAction("correspondentB", draft, { intent: "submit", version: "1", confidential_checked: "1" })).status).toBe(403);
    expect((await itemRow(draft)).status).toBe("draft");
  });

  it("a reviewer does not see a draft that never reached the bureau, and sees the way to the review page otherwise", async () => {
    expect((await viewItem("reviewer", draft)).status).toBe(403);
    expect((await getPhoto("reviewer", draftPhoto)).status).toBe(404);
    const res = await viewItem("reviewer", adopted);
    expect(res.status).toBe(200);
    expect(await bodyOf(res)).toMatchObject({ isReviewer: true, actions: [] });
  });

  it("anonymous: the page needs a login; a photo of a non-adopted item is 404, of an adopted one 200 and cacheable", async () => {
    const page = await viewItem(undefined, draft);
    expect(page.status).toBe(302);
    expect(page.headers.get("Location")).toBe(`/login?${new URLSearchParams({ redirectTo: `/items/${draft}` })}`);
    expect((await getPhoto(undefined, draftPhoto)).status).toBe(404);
    expect((await getPhoto(undefined, draftPhoto, true)).status).toBe(404);

    const res = await getPhoto(undefined, adoptedPhoto);
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toBe("image/jpeg");
    expect(res.headers.get("Cache-Control")).toBe("public, max-age=300, must-revalidate");
    expect(res.headers.get("X-Content-Type-Options")).toBe("nosniff");
    expect(res.headers.get("Content-Disposition")).toBe("inline");
    const row = await db().selectFrom("photos").selectAll().where("id", "=", adoptedPhoto).executeTakeFirstOrThrow();
    expect(Buffer.from(await res.arrayBuffer())).toEqual(readFileSync(photoPath(dataDir, row.sha256)));
  });

  it("serves the unit its own draft's photo privately, never cached", async () => {
    const res = await getPhoto("correspondentA", draftPhoto);
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toBe("image/png");
    expect(res.headers.get("Cache-Control")).toBe("private, no-store");
    expect((await getPhoto("leadA", draftPhoto)).status).toBe(200);
  });

  it("makes the WebP thumbnail on first request", async () => {
    const row = await db().selectFrom("photos").selectAll().where("id", "=", draftPhoto).executeTakeFirstOrThrow();
    const thumbFile = `${photoPath(dataDir, row.sha256)}.thumb.webp`;
    expect(existsSync(thumbFile)).toBe(false);
    const res = await getPhoto("correspondentA", draftPhoto, true);
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toBe("image/webp");
    expect(res.headers.get("Cache-Control")).toBe("private, no-store");
    expect(existsSync(thumbFile)).toBe(true);
  });

  it("404s a photo whose file is missing, an unknown id and a malformed one", async () => {
    const gone = await attachPhoto(db(), dataDir, adopted, await png(77, 77, "#777"));
    const row = await db().selectFrom("photos").selectAll().where("id", "=", gone).executeTakeFirstOrThrow();
    unlinkSync(photoPath(dataDir, row.sha256));
    expect((await getPhoto(undefined, gone)).status).toBe(404);
    expect((await getPhoto(undefined, gone, true)).status).toBe(404);
    expect((await getPhoto("correspondentA", 999_999)).status).toBe(404);
    const bad = await call(photoRoute.loader, county, { url: "/photos/abc", params: { id: "abc" } });
    expect(bad.status).toBe(404);
  });

  it("404s an item that does not exist", async () => {
    expect((await viewItem("correspondentA", 999_999)).status).toBe(404);
  });
});

describe("删除草稿", () => {
  it("deletes a draft that never left the school, with its photos rows, and records it", async () => {
    const id = await draftVia({}, { photo_1: { bytes: await png(66, 66, "#ddd"), name: "d.png" } });
    const res = await itemAction("correspondentA", id, { intent: "delete", version: "1" });
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe("/items");
    expect((await flashOf(res))?.message).toBe(`草稿《${goodFields().title}》已删除`);
    expect(await db().selectFrom("items").select("id").where("id", "=", id).executeTakeFirst()).toBeUndefined();
    expect(await photosOf(id)).toEqual([]);
    expect(await db().selectFrom("audit_events").select("id").where("action", "=", "item_deleted").where("entity_id", "=", String(id)).execute()).toHaveLength(1);
  });

  it("keeps a draft the bureau returned (it has a report month), and refuses the lead", async () => {
    const returned = await insertItem(db(), {
      unitId: county.units.A, createdBy: county.ids.correspondentA, status: "draft", reportMonth: "2026-10",
      firstSubmittedAt: "2026-10-12T02:00:00.000Z",
    });
    const res = await itemAction("correspondentA", returned, { intent: "delete", version: "1" });
    expect(res.status).toBe(409);
    expect((await bodyOf(res)).formError).toBe("该稿件曾报送教体局，不能删除；如不再报送，保留为草稿即可。");
    expect((await bodyOf(await viewItem("correspondentA", returned))).canDelete).toBe(false);
    const draft = await draftVia();
    expect((await itemAction("leadA", draft, { intent: "delete", version: "1" })).status).toBe(403);
    expect(await count("items")).toBeGreaterThan(0);
    expect(await db().selectFrom("items").select("id").where("id", "in", [returned, draft]).execute()).toHaveLength(2);
  });

  it("answers an unknown intent or a missing version with 400", async () => {
    const id = await draftVia();
    expect((await itemAction("correspondentA", id, { intent: "publish", version: "1" })).status).toBe(400);
    const noVersion = await itemAction("correspondentA", id, { intent: "delete" });
    expect(noVersion.status).toBe(400);
    expect((await bodyOf(noVersion)).formError).toBe("页面已过期，请刷新后重试。");
  });
});

describe("GET /items (the unit's list)", () => {
  it("filters by category and title words from the URL, scoped to the unit", async () => {
    const special = await draftVia({ title: "读书节100%参与_活动", category_id: String(otherCategory.id) });
    await insertItem(db(), { unitId: county.units.B, createdBy: county.ids.correspondentB, title: "读书节（外单位）", category: otherCategory.name });
    const byCategory = await bodyOf(await call(itemsIndex.loader, county, { url: `/items?category=${otherCategory.id}`, user: "correspondentA" }));
    expect(byCategory.list.rows.length).toBeGreaterThan(0);
    expect(byCategory.list.rows.every((r: { category: string }) => r.category === otherCategory.name)).toBe(true);
    expect(byCategory.filters.category).toBe(String(otherCategory.id));

    const byTitle = await bodyOf(await call(itemsIndex.loader, county, { url: `/items?q=${encodeURIComponent("读书节")}`, user: "correspondentA" }));
    expect(byTitle.list.rows.map((r: { id: number }) => r.id)).toEqual([special]);
    // LIKE wildcards typed into the box are taken literally.
    const percent = await bodyOf(await call(itemsIndex.loader, county, { url: `/items?q=${encodeURIComponent("100%参")}`, user: "correspondentA" }));
    expect(percent.list.rows.map((r: { id: number }) => r.id)).toEqual([special]);
    const underscore = await bodyOf(await call(itemsIndex.loader, county, { url: `/items?q=${encodeURIComponent("与_活")}`, user: "correspondentA" }));
    expect(underscore.list.rows.map((r: { id: number }) => r.id)).toEqual([special]);
    const wild = await bodyOf(await call(itemsIndex.loader, county, { url: `/items?q=${encodeURIComponent("读%节")}`, user: "correspondentA" }));
    expect(wild.list.rows).toEqual([]);

    const both = await bodyOf(await call(itemsIndex.loader, county, { url: `/items?q=${encodeURIComponent("读书节")}&category=${category.id}&status=draft`, user: "correspondentA" }));
    expect(both.list.rows).toEqual([]);
    expect(both.filters).toEqual({ status: "draft", month: "", category: String(category.id), q: "读书节" });
  });

  it("tells the lead how many items wait for sign-off", async () => {
    const waiting = Number(
      (await db().selectFrom("items").select((eb) => eb.fn.countAll<number>().as("n")).where("unit_id", "=", county.units.A).where("status", "=", "pending_school").executeTakeFirstOrThrow()).n,
    );
    expect(waiting).toBeGreaterThan(0);
    const lead = await bodyOf(await call(itemsIndex.loader, county, { url: "/items", user: "leadA" }));
    expect(lead).toMatchObject({ isLead: true, canWrite: false });
    expect(lead.list.pendingSignoff).toBe(waiting);
    const other = await bodyOf(await call(itemsIndex.loader, county, { url: "/items", user: "correspondentB" }));
    expect(other).toMatchObject({ isLead: false, canWrite: true });
    expect(other.list.pendingSignoff).toBe(0);
  });
});
