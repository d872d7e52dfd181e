// Named writes (app/models/named-writes.server.ts): in a worker of several, an item's write runs in
// the process that runs writes (the primary) and comes back as if it had run in place: its value,
// its refusal, its error. Here a second set of connections to the same file plays the primary and
// every message goes through the structured clone the processes' "advanced" channel uses.
import { deserialize, serialize } from "node:v8";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { openDatabases, type Databases } from "../../db/connect";
import { findSessionUser, login, type SessionUser } from "~/models/auth.server";
import { createItem, deleteDraft, updateDraft } from "~/models/item-drafts.server";
import { transitionItem } from "~/models/item-workflow.server";
import { recordInstruction, recordPickup } from "~/models/review.server";
import { namedWrite, runNamedWrite, sendNamedWrites, valueOf, type WriteOutcome } from "~/models/named-writes.server";
import { PASSWORD, type County } from "../support/app";
import { closeDemoCounty, openDemoCountyAt } from "../support/demo";

let county: County;
let primary: Databases;
/** The names and payloads the worker sent, as the primary received them. */
let sent: Array<{ name: string; file: string; payload: unknown }> = [];

const cloned = <T>(value: T): T => deserialize(serialize(value)) as T;

beforeAll(async () => {
  ({ county } = await openDemoCountyAt([]));
  primary = await openDatabases({ filename: county.dbs.filename, readers: 1 });
});
afterAll(async () => {
  await primary?.close();
  await closeDemoCounty(county);
});
afterEach(() => {
  sendNamedWrites(undefined);
  sent = [];
});

/** Named writes go to the "primary": run there on its own writer, answered through a clone. */
function sendToPrimary() {
  sendNamedWrites(async (write) => {
    const received = cloned(write);
    sent.push(received);
    return cloned(await runNamedWrite(primary.db, received));
  });
}

async function user(username: string): Promise<SessionUser> {
  const a = await county.dbs.db.selectFrom("accounts").selectAll().where("username", "=", username).executeTakeFirstOrThrow();
  return { id: a.id, username: a.username, displayName: a.display_name, role: a.role, unitId: a.unit_id, unitName: null, mustChangePassword: false };
}

async function draftFields() {
  const { db } = county.dbs;
  const [category, channel] = await Promise.all([
    db.selectFrom("categories").select("id").orderBy("sort_order").executeTakeFirstOrThrow(),
    db.selectFrom("channels").select("id").orderBy("sort_order").executeTakeFirstOrThrow(),
  ]);
  return { title: "城关镇中心学校举行冬季运动会", body: "全校师生参加了运动会。", category_id: category.id, channel_id: channel.id, event_date: "2026-11-20", bylines: [] };
}

describe("an item's writes from a worker", () => {
  it("run in the primary, with the same answers and rows as in place", async () => {
    const correspondent = await user("x01-c1");
    const lead = await user("x01-lead");
    const now = new Date("2026-11-25T02:00:00.000Z");
    sendToPrimary();
    const created = await createItem(county.dbs.db, correspondent, await draftFields(), [], {
      dataDir: county.dbs.dir, submit: { confidentialChecked: true }, ip: "10.0.3.7", now,
    });
    if (!created.ok) throw new Error(created.message);
    expect(created.answer).toEqual({ kind: "submitted", to: "pending_school" });
    const signed = await transitionItem(county.dbs.db, { itemId: created.itemId, action: "sign_off", actor: lead, expectedVersion: 2, ip: "10.0.3.8", now });
    expect(signed).toMatchObject({ ok: true, from: "pending_school", to: "submitted", version: 3 });
    expect(sent.map((w) => w.name)).toEqual(["item-create", "item-transition"]);
    // The moment travelled as a Date, so the rows carry the caller's time.
    expect((sent[0].payload as { now: unknown }).now).toBeInstanceOf(Date);
    const row = await county.dbs.reader.selectFrom("items").select(["status", "submitted_at", "report_month"]).where("id", "=", created.itemId).executeTakeFirstOrThrow();
    expect(row).toEqual({ status: "submitted", submitted_at: now.toISOString(), report_month: "2026-11" });
    // The addresses travelled with the payloads: the trail the primary wrote carries them.
    expect((sent[1].payload as { ip: unknown }).ip).toBe("10.0.3.8");
    const trail = await county.dbs.reader.selectFrom("review_events").select(["action", "ip"]).where("item_id", "=", created.itemId).orderBy("id").execute();
    expect(trail).toEqual([{ action: "submit", ip: "10.0.3.7" }, { action: "sign_off", ip: "10.0.3.8" }]);
  });

  it("come back refused as they would be in place, changing nothing; edits and deletions go there too", async () => {
    const correspondent = await user("x01-c1");
    const created = await createItem(county.dbs.db, correspondent, await draftFields(), [], { dataDir: county.dbs.dir });
    if (!created.ok) throw new Error(created.message);
    const stale = { itemId: created.itemId, action: "submit" as const, actor: correspondent, expectedVersion: 7, confidentialChecked: true };
    const inPlace = await transitionItem(county.dbs.db, stale);
    sendToPrimary();
    const there = await transitionItem(county.dbs.db, stale);
    expect(inPlace).toMatchObject({ ok: false, status: 409 });
    expect(there).toEqual(inPlace);
    const row = await county.dbs.reader.selectFrom("items").select(["status", "version"]).where("id", "=", created.itemId).executeTakeFirstOrThrow();
    expect(row).toEqual({ status: "draft", version: 1 });
    // Edited and deleted there too.
    const fields = { ...(await draftFields()), title: "城关镇中心学校冬季运动会圆满结束" };
    const edited = await updateDraft(county.dbs.db, correspondent, created.itemId, 1, fields, { add: [], remove: [], captions: {} }, { dataDir: county.dbs.dir });
    expect(edited).toEqual({ ok: true, itemId: created.itemId, version: 2 });
    const edit = await county.dbs.reader.selectFrom("items").select(["title", "version"]).where("id", "=", created.itemId).executeTakeFirstOrThrow();
    expect(edit).toEqual({ title: fields.title, version: 2 });
    expect(await deleteDraft(county.dbs.db, correspondent, created.itemId, 2)).toEqual({ ok: true, title: fields.title });
    expect(sent.map((w) => w.name)).toEqual(["item-transition", "item-update", "item-delete"]);
    expect(await county.dbs.reader.selectFrom("items").select("id").where("id", "=", created.itemId).executeTakeFirst()).toBeUndefined();
  });

  it("the review desk's 上稿 and 批示 records run there too, refused there for an item not adopted", async () => {
    const reviewer = await user("reviewer");
    const actor = { id: reviewer.id, username: reviewer.username, ip: "10.0.1.9" };
    const adopted = await county.dbs.reader.selectFrom("items").select("id").where("status", "=", "adopted").orderBy("id").executeTakeFirstOrThrow();
    const draft = await county.dbs.reader.selectFrom("items").select("id").where("status", "=", "draft").orderBy("id").executeTakeFirstOrThrow();
    sendToPrimary();
    const pickup = await recordPickup(county.dbs.db, actor, adopted.id, { outlet: "临溪新闻网", tier: "county", picked_on: "2026-11-24", url: "" });
    if (!pickup.ok) throw new Error(pickup.message);
    const instruction = await recordInstruction(county.dbs.db, actor, adopted.id, { level: "county", leader: "县长", content: "值得推广。", instructed_on: "2026-11-24" });
    expect(instruction.ok).toBe(true);
    const refused = await recordPickup(county.dbs.db, actor, draft.id, { outlet: "临溪新闻网", tier: "county", picked_on: "2026-11-24", url: "" });
    expect(refused).toMatchObject({ ok: false, status: 409 });
    expect(sent.map((w) => w.name)).toEqual(["item-record", "item-record", "item-record"]);
    const row = await county.dbs.reader.selectFrom("pickups").select(["item_id", "outlet", "created_by"]).where("id", "=", pickup.id).executeTakeFirstOrThrow();
    expect(row).toEqual({ item_id: adopted.id, outlet: "临溪新闻网", created_by: reviewer.id });
    expect(await county.dbs.reader.selectFrom("pickups").select("id").where("item_id", "=", draft.id).execute()).toEqual([]);
  });

  it("a sign-in's reservation and settlement run there too, and the password never leaves the worker", async () => {
    sendToPrimary();
    const wrong = await login(county.dbs.db, { username: "x01-lead", password: "不是这个密码", ip: "10.0.2.1", userAgent: "测试" });
    expect(wrong).toEqual({ ok: false, status: 401, message: "用户名或密码不正确。" });
    const signedIn = await login(county.dbs.db, { username: "x01-lead", password: PASSWORD, ip: "10.0.2.1", userAgent: "测试" });
    if (!signedIn.ok) throw new Error(signedIn.message);
    expect(signedIn.user).toMatchObject({ username: "x01-lead", role: "school_lead" });
    expect(await findSessionUser(county.dbs.reader, signedIn.sessionId)).toMatchObject({ username: "x01-lead" });
    expect(sent.map((w) => w.name)).toEqual(["login-reserve", "login-settle", "login-reserve", "login-settle"]);
    for (const w of sent) expect(JSON.stringify(w.payload)).not.toMatch(/不是这个密码|Test@1234/);
  });

  it("do not run in the worker: what the primary answers is the answer", async () => {
    const correspondent = await user("x01-c1");
    const before = await county.dbs.reader.selectFrom("items").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
    sendNamedWrites(async (write) => {
      sent.push(write);
      return { value: { ok: true, itemId: 987654, repeated: false, answer: { kind: "saved" } } };
    });
    const created = await createItem(county.dbs.db, correspondent, await draftFields(), [], { dataDir: county.dbs.dir });
    expect(created).toEqual({ ok: true, itemId: 987654, repeated: false, answer: { kind: "saved" } });
    const after = await county.dbs.reader.selectFrom("items").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
  });

  it("run in place without a primary", async () => {
    const correspondent = await user("x01-c1");
    const created = await createItem(county.dbs.db, correspondent, await draftFields(), [], { dataDir: county.dbs.dir });
    expect(created.ok).toBe(true);
    expect(sent).toEqual([]);
  });
});

describe("what a named write's run gives back", () => {
  const failing = namedWrite("test-duplicate-unit-code", async (trx, { code, kind }: { code: string; kind: string }) => {
    const at = new Date().toISOString();
    const unit = (c: string) => ({ code: c, name: `单位${c}`, kind_code: kind, created_at: at, updated_at: at });
    await trx.insertInto("units").values(unit("ZZ98")).execute();
    // units.code is unique: the second insert fails and the first is rolled back with it.
    await trx.insertInto("units").values(unit(code)).execute();
    return "不会到这里";
  });

  it("an error keeps its message and code, and the transaction is rolled back", async () => {
    const { kind_code: kind } = await county.dbs.reader.selectFrom("units").select("kind_code").where("code", "=", "X01").executeTakeFirstOrThrow();
    sendToPrimary();
    const error = (await failing(county.dbs.db, { code: "X01", kind }).catch((e: unknown) => e)) as Error & { code?: string };
    expect(sent.map((w) => w.name)).toEqual(["test-duplicate-unit-code"]);
    expect(error).toBeInstanceOf(Error);
    expect(error.code).toBe("SQLITE_CONSTRAINT");
    expect(error.message).toMatch(/UNIQUE constraint failed: units\.code/);
    expect(await county.dbs.reader.selectFrom("units").select("id").where("code", "=", "ZZ98").executeTakeFirst()).toBeUndefined();
  });

  it("a name no write has, or another database, is an error, not a write", async () => {
    const unknown = await runNamedWrite(primary.db, { name: "no-such-write", file: county.dbs.filename, payload: null });
    expect(() => valueOf(unknown)).toThrow("没有名为 no-such-write 的写事务");
    const elsewhere = await runNamedWrite(primary.db, { name: "item-transition", file: "/tmp/another.sqlite", payload: null });
    expect(() => valueOf(elsewhere)).toThrow("数据库不是本进程的");
  });

  it("a refusal travels as a refusal", () => {
    const outcome: WriteOutcome = cloned({ refused: { ok: false, status: 409, message: "稿件已有更新，请刷新后重试。", fieldErrors: {} } });
    expect(() => valueOf(outcome)).toThrow(expect.objectContaining({ name: "Refused", refusal: outcome.refused }));
  });

  it("two writes may not share a name", () => {
    expect(() => namedWrite("item-transition", async () => null)).toThrow("写事务重名：item-transition");
  });
});
