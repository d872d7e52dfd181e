import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { sql, type Kysely } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_CATEGORIES, DEFAULT_CHANNELS, UNIT_KINDS } from "../../app/domain/catalog";
import { DEFAULT_SETTINGS } from "../../app/domain/settings";
import { addMonths, daysBetween, shanghaiDate, shanghaiMonth } from "../../app/domain/time";
import { hashPassword } from "../../app/models/password.server";
import type { Database, Item } from "../../db/schema";
import { DEMO_ACCOUNTS, isDatabaseEmpty, seedDemoCounty, type DemoSummary } from "../../db/seed/demo-county";
import { demoCloseAt } from "../../db/seed/demo-plan";
import { reportMonthOnArrival } from "../../app/domain/report-month";
import { seedReferenceData, STARTER_SENSITIVE_WORDS } from "../../db/seed/reference";
import { freshDatabases } from "../support/db";

type Fresh = Awaited<ReturnType<typeof freshDatabases>>;

const now = new Date("2026-11-21T04:00:00Z");
const currentMonth = shanghaiMonth(now); // 2026-11
const prevMonth = addMonths(currentMonth, -1);
const months = Array.from({ length: 14 }, (_, k) => addMonths(currentMonth, k - 13));
const quotaOf = new Map<string, number>(UNIT_KINDS.map((k) => [k.code, k.defaultQuota]));

let dbs: Fresh;
let db: Kysely<Database>;
let passwordHash: string;
let summary: DemoSummary;
let items: Item[];
const others: Fresh[] = [];

async function fresh(): Promise<Fresh> {
  const d = await freshDatabases();
  others.push(d);
  return d;
}

async function count(database: Kysely<Database>, table: keyof Database): Promise<number> {
  const { rows } = await sql<{ n: number }>`select count(*) as n from ${sql.table(table)}`.execute(database);
  return rows[0].n;
}

beforeAll(async () => {
  passwordHash = await hashPassword("x");
  dbs = await freshDatabases();
  db = dbs.db;
  expect(await isDatabaseEmpty(db)).toBe(true);
  const seeded = await seedDemoCounty(db, { passwordHash, dataDir: dbs.dir, now });
  summary = seeded.summary;
  // What the bureau records after a month's close is written once the caller has closed the months;
  // here (no closes) it follows at once, so the tables hold the whole history.
  await seeded.afterCloses(db);
  items = await db.selectFrom("items").selectAll().orderBy("id").execute();
}, 60_000);

afterAll(async () => {
  await dbs.dispose();
  for (const d of others) await d.dispose();
});

describe("seedReferenceData", () => {
  const referenceTables = [
    "unit_kinds", "categories", "channels", "quota_rule_versions", "quota_rules",
    "points_rule_versions", "settings", "sensitive_words",
  ] as const;

  it("inserts the catalogue and is idempotent", async () => {
    const { db: fdb } = await fresh();
    await seedReferenceData(fdb, now);
    const first = await Promise.all(referenceTables.map((t) => count(fdb, t)));
    expect(first).toEqual([
      UNIT_KINDS.length, DEFAULT_CATEGORIES.length, DEFAULT_CHANNELS.length, 1, UNIT_KINDS.length,
      1, Object.keys(DEFAULT_SETTINGS).length, STARTER_SENSITIVE_WORDS.length,
    ]);
    await seedReferenceData(fdb, new Date("2027-01-01T00:00:00Z"));
    expect(await Promise.all(referenceTables.map((t) => count(fdb, t)))).toEqual(first);
    // Already-present rows are left as they were, not rewritten with the second run's time.
    const setting = await fdb.selectFrom("settings").selectAll().where("key", "=", "lateAfterDays").executeTakeFirstOrThrow();
    expect(setting).toMatchObject({ value_json: "7", effective_month: "0000-00", updated_at: now.toISOString() });
    const quotas = await fdb.selectFrom("quota_rules").select(["kind_code", "quota"]).orderBy("kind_code").execute();
    expect(quotas).toEqual([
      { kind_code: "district_school", quota: 5 }, { kind_code: "kindergarten", quota: 5 }, { kind_code: "township_central", quota: 10 },
    ]);
  });

  it("is a no-op on the seeded demo database", async () => {
    const before = await Promise.all(referenceTables.map((t) => count(db, t)));
    await seedReferenceData(db, now);
    expect(await Promise.all(referenceTables.map((t) => count(db, t)))).toEqual(before);
  });

  it("has both levels in the lexicon and no blocked word in any item that reached the bureau", async () => {
    const block = STARTER_SENSITIVE_WORDS.filter((w) => w.level === "block").map((w) => w.word);
    expect(block.length).toBeGreaterThanOrEqual(10);
    expect(STARTER_SENSITIVE_WORDS.filter((w) => w.level === "warn").length).toBeGreaterThanOrEqual(10);
    const offending = items.filter((i) => i.first_submitted_at && block.some((w) => i.title.includes(w) || i.body.includes(w)));
    expect(offending.map((i) => i.id)).toEqual([]);
  });
});

describe("seedDemoCounty: units and accounts", () => {
  it("creates 12 township central schools, 16 district schools and 12 kindergartens", async () => {
    const units = await db.selectFrom("units").selectAll().orderBy("code").execute();
    const byKind = (kind: string) => units.filter((u) => u.kind_code === kind).map((u) => u.code);
    expect(byKind("township_central")).toEqual(Array.from({ length: 12 }, (_, i) => `X${String(i + 1).padStart(2, "0")}`));
    expect(byKind("district_school")).toHaveLength(16);
    expect(byKind("kindergarten")).toHaveLength(12);
    expect(new Set(units.map((u) => u.name)).size).toBe(40);
    expect(units.find((u) => u.code === "X01")).toMatchObject({ name: "城关镇中心学校", township: "城关镇" });
    expect(units.filter((u) => u.signoff_required === 0).map((u) => u.code)).toEqual(["Y12"]);
    expect(summary.units).toBe(40);
  });

  it("gives every unit a lead and at least one active correspondent", async () => {
    const rows = await db
      .selectFrom("units as u")
      .select((eb) => [
        "u.code",
        eb.selectFrom("accounts as a").whereRef("a.unit_id", "=", "u.id").where("a.role", "=", "school_lead").select((e) => e.fn.countAll<number>().as("n")).as("leads"),
        eb.selectFrom("accounts as a").whereRef("a.unit_id", "=", "u.id").where("a.role", "=", "correspondent").where("a.active", "=", 1).select((e) => e.fn.countAll<number>().as("n")).as("correspondents"),
      ])
      .execute();
    expect(rows).toHaveLength(40);
    for (const r of rows) {
      expect(r.leads, r.code).toBe(1);
      expect(Number(r.correspondents), r.code).toBeGreaterThanOrEqual(1);
    }
  });

  it("creates the documented demo logins with the given password hash", async () => {
    const accounts = await db.selectFrom("accounts").selectAll().execute();
    expect(accounts).toHaveLength(summary.accounts);
    for (const demo of DEMO_ACCOUNTS) {
      const account = accounts.find((a) => a.username === demo.username);
      expect(account, demo.username).toMatchObject({ role: demo.role, active: 1 });
    }
    const x01 = await db.selectFrom("units").select("id").where("code", "=", "X01").executeTakeFirstOrThrow();
    expect(accounts.find((a) => a.username === "x01-c1")?.unit_id).toBe(x01.id);
    expect(accounts.filter((a) => a.role === "reviewer").map((a) => a.username).sort()).toEqual(["reviewer", "reviewer2"]);
    for (const a of accounts) {
      expect(a.password_hash).toBe(passwordHash);
      expect(a.username).toBe(a.username.toLowerCase());
      if (a.role === "correspondent" || a.role === "school_lead") {
        expect(a.phone, a.username).toMatch(/^1[358]\d{9}$/);
        expect(a.display_name, a.username).toMatch(/^[\u4e00-\u9fa5]{2,3}$/);
        expect(a.registered_on, a.username).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      }
    }
    expect(new Set(accounts.map((a) => a.phone).filter(Boolean)).size).toBe(accounts.filter((a) => a.phone).length);
  });

  it("keeps one deactivated correspondent with their earlier items", async () => {
    const inactive = await db.selectFrom("accounts").selectAll().where("active", "=", 0).execute();
    expect(inactive).toHaveLength(1);
    const [leaver] = inactive;
    expect(leaver.role).toBe("correspondent");
    expect(leaver.deactivated_at).not.toBeNull();
    const theirs = items.filter((i) => i.created_by === leaver.id);
    expect(theirs.length).toBeGreaterThan(0);
    for (const i of theirs) expect(i.created_at < leaver.deactivated_at!).toBe(true);
  });
});

describe("seedDemoCounty: items", () => {
  it("matches the returned summary", () => {
    expect(summary.items).toBe(items.length);
    expect(items.length).toBeGreaterThan(2000);
    const byStatus: Record<string, number> = {};
    for (const i of items) byStatus[i.status] = (byStatus[i.status] ?? 0) + 1;
    expect(summary.byStatus).toEqual(byStatus);
  });

  it("has items in every status, over 14 report months ending with the current one", () => {
    expect(new Set(items.map((i) => i.status))).toEqual(
      new Set(["draft", "pending_school", "submitted", "adopted", "rejected", "withdrawn"]),
    );
    const months = [...new Set(items.map((i) => i.report_month).filter((m): m is string => m !== null))].sort();
    expect(months).toEqual(Array.from({ length: 14 }, (_, k) => addMonths(currentMonth, k - 13)));
  });

  it("keeps the queue to the open months, and work in progress to the current one", () => {
    const waiting = items.filter((i) => i.status === "submitted");
    expect(waiting.filter((i) => i.report_month! < prevMonth)).toEqual([]);
    expect(waiting.some((i) => i.report_month === prevMonth)).toBe(true);
    expect(waiting.some((i) => i.report_month === currentMonth)).toBe(true);
    const unfinished = items.filter((i) => i.status === "draft" || i.status === "pending_school");
    for (const i of unfinished) expect(shanghaiMonth(i.created_at) >= prevMonth, `item ${i.id}`).toBe(true);
    const returnedDrafts = items.filter((i) => i.status === "draft" && i.returned_count > 0);
    expect(returnedDrafts.length).toBeGreaterThan(0);
    for (const i of returnedDrafts) expect(i.last_reason).not.toBe("");
    expect(items.some((i) => i.returned_count > 0 && ["adopted", "rejected", "withdrawn"].includes(i.status))).toBe(true);
  });

  it("agrees with the closes: a closed month's items were all decided by its close, and what came after leaves its figures alone", async () => {
    const events = await db.selectFrom("review_events").selectAll().orderBy("at").orderBy("id").execute();
    const byItem = new Map<number, typeof events>();
    for (const e of events) byItem.set(e.item_id, [...(byItem.get(e.item_id) ?? []), e]);
    let checked = 0;
    for (const i of items) {
      const close = i.report_month ? demoCloseAt(i.report_month, now) : null;
      if (close === null) continue;
      const at = new Date(close).toISOString();
      const trail = byItem.get(i.id) ?? [];
      const before = trail.filter((e) => e.at < at);
      const statusAtClose = before.at(-1)?.to_status ?? "draft";
      // Nothing of the month waits in the bureau's queue at the close (the portal would refuse it).
      expect(statusAtClose, `item ${i.id} at the close of ${i.report_month}`).not.toBe("submitted");
      // After the close only a withdrawal may happen to it, and it keeps its points.
      const after = trail.filter((e) => e.at >= at);
      expect(after.every((e) => e.action === "withdraw"), `item ${i.id}: ${after.map((e) => e.action)}`).toBe(true);
      if (after.length > 0) expect(i.points_revoked, `item ${i.id}`).toBe(0);
      if (statusAtClose === "adopted") checked++;
    }
    expect(checked).toBeGreaterThan(1000);
    // Pickups and 批示 of a closed month recorded after its close come after the closes, not with the county.
    const closeOf = new Map(items.map((i) => [i.id, i.report_month ? demoCloseAt(i.report_month, now) : null]));
    for (const table of ["pickups", "instructions"] as const) {
      const rows = await db.selectFrom(table).select(["item_id", "created_at", "id"]).orderBy("id").execute();
      const late = new Set(rows.filter((r) => Date.parse(r.created_at) >= (closeOf.get(r.item_id) ?? Infinity)));
      // Every row written with the county precedes every row written after the closes.
      const firstLate = rows.findIndex((r) => late.has(r));
      if (table === "pickups") expect(late.size).toBeGreaterThan(0);
      if (late.size > 0) expect(rows.slice(firstLate).every((r) => late.has(r)), table).toBe(true);
    }
  });

  it("keeps every item's dates, flags and grade consistent", async () => {
    const nowIso = now.toISOString();
    // The report month as the portal fixes it on each arrival, with the months closed as the demo closes them.
    const arrivals = await db.selectFrom("review_events").select(["item_id", "at"]).where("to_status", "=", "submitted").orderBy("at").orderBy("id").execute();
    const closedBy = (at: string) => new Set(months.filter((m) => (demoCloseAt(m, now) ?? Infinity) <= Date.parse(at)));
    const reportMonths = new Map<number, string>();
    for (const a of arrivals) {
      reportMonths.set(a.item_id, reportMonthOnArrival({ current: reportMonths.get(a.item_id) ?? null, arrivedAt: a.at, closedMonths: closedBy(a.at) }));
    }
    // Items resubmitted after their month closed moved on: the case is in the demo.
    expect(items.filter((i) => i.report_month && i.first_submitted_at && i.report_month !== shanghaiMonth(i.first_submitted_at)).length).toBeGreaterThan(0);
    for (const i of items) {
      const label = `item ${i.id}`;
      expect(i.report_month, label).toBe(reportMonths.get(i.id) ?? null);
      expect(i.submitted_at === null, label).toBe(i.first_submitted_at === null);
      expect(i.late, label).toBe(i.first_submitted_at !== null && daysBetween(i.event_date, shanghaiDate(i.first_submitted_at)) > 7 ? 1 : 0);
      if (i.first_submitted_at) {
        expect(i.submitted_at! >= i.first_submitted_at, label).toBe(true);
        expect(shanghaiDate(i.first_submitted_at) >= i.event_date, label).toBe(true);
        expect(i.confidential_checked, label).toBe(1);
      }
      expect(i.event_date <= shanghaiDate(i.created_at), label).toBe(true);
      expect(i.created_at <= i.updated_at && i.updated_at <= nowIso, label).toBe(true);
      const graded = i.status === "adopted" || i.status === "withdrawn";
      expect(i.grade !== null, label).toBe(graded);
      const decided = graded || i.status === "rejected";
      expect(i.decided_at !== null && i.decided_by !== null, label).toBe(decided);
      if (i.status === "rejected" || i.status === "withdrawn") expect(i.last_reason, label).not.toBe("");
      if (i.status !== "draft") expect(i.confidential_checked, label).toBe(1);
      expect(i.body.split("\n\n").length, label).toBeGreaterThanOrEqual(2);
      expect(i.body.split("\n\n").length, label).toBeLessThanOrEqual(4);
    }
  });

  it("has realistic proportions: about 3% late, mostly adopted, grades spread", () => {
    const arrived = items.filter((i) => i.first_submitted_at !== null);
    const late = arrived.filter((i) => i.late === 1).length / arrived.length;
    expect(late).toBeGreaterThan(0.015);
    expect(late).toBeLessThan(0.05);
    const decided = items.filter((i) => ["adopted", "rejected", "withdrawn"].includes(i.status));
    const share = (s: string) => decided.filter((i) => i.status === s).length / decided.length;
    expect(share("adopted")).toBeGreaterThan(0.7);
    expect(share("rejected")).toBeGreaterThan(0.1);
    expect(share("withdrawn")).toBeGreaterThan(0.01);
    expect(share("withdrawn")).toBeLessThan(0.06);
    const graded = items.filter((i) => i.grade !== null);
    const grade = (g: string) => graded.filter((i) => i.grade === g).length / graded.length;
    expect(grade("good")).toBeGreaterThan(0.4);
    expect(grade("excellent")).toBeGreaterThan(0.15);
    expect(grade("fair")).toBeGreaterThan(0.15);
  });

  it("has units that sent nothing in some months, chronic offenders, and units short of quota", async () => {
    const units = await db.selectFrom("units").select(["id", "code", "kind_code"]).execute();
    const pastMonths = Array.from({ length: 13 }, (_, k) => addMonths(currentMonth, k - 13));
    const none: string[] = [];
    const short: string[] = [];
    const noneMonthsIn2026 = new Map<string, number>();
    for (const u of units) {
      for (const m of pastMonths) {
        const mine = items.filter((i) => i.unit_id === u.id && i.report_month === m);
        const adopted = mine.filter((i) => i.status === "adopted").length;
        if (mine.length === 0) {
          none.push(`${u.code}@${m}`);
          if (m.startsWith("2026")) noneMonthsIn2026.set(u.code, (noneMonthsIn2026.get(u.code) ?? 0) + 1);
        } else if (adopted < quotaOf.get(u.kind_code)!) short.push(`${u.code}@${m}`);
      }
    }
    for (const m of pastMonths) {
      const n = none.filter((x) => x.endsWith(`@${m}`)).length;
      expect(n, m).toBeGreaterThanOrEqual(2);
      expect(n, m).toBeLessThanOrEqual(4);
    }
    expect([...noneMonthsIn2026.values()].filter((n) => n >= 3).length).toBeGreaterThanOrEqual(2);
    expect(short.length).toBeGreaterThan(20);
    // …and plenty that met it, so the league tables have both.
    expect(units.length * pastMonths.length - none.length - short.length).toBeGreaterThan(100);
  });

  it("credits bylines only to people of the item's unit", async () => {
    const rows = await db
      .selectFrom("item_bylines as b")
      .innerJoin("items as i", "i.id", "b.item_id")
      .innerJoin("accounts as a", "a.id", "b.account_id")
      .select(["i.id", "i.unit_id", "i.created_by", "a.unit_id as account_unit", "a.role", "a.id as account_id"])
      .execute();
    for (const r of rows) {
      expect(r.account_unit, `item ${r.id}`).toBe(r.unit_id);
      expect(["correspondent", "school_lead"]).toContain(r.role);
    }
    const byItem = new Map<number, number[]>();
    for (const r of rows) byItem.set(r.id, [...(byItem.get(r.id) ?? []), r.account_id]);
    for (const i of items) {
      expect(byItem.get(i.id)?.length ?? 0, `item ${i.id}`).toBeGreaterThanOrEqual(1);
      expect(byItem.get(i.id), `item ${i.id}`).toContain(i.created_by);
    }
    expect([...byItem.values()].some((ids) => ids.length === 2)).toBe(true);
    expect(rows.some((r) => r.role === "school_lead")).toBe(true);
  });
});

describe("seedDemoCounty: audit trail", () => {
  it("records every transition in order, by plausible actors, ending in the item's status", async () => {
    const events = await db.selectFrom("review_events").selectAll().orderBy("id").execute();
    const accounts = new Map((await db.selectFrom("accounts").select(["id", "role", "unit_id"]).execute()).map((a) => [a.id, a]));
    const signoff = new Map((await db.selectFrom("units").select(["id", "signoff_required"]).execute()).map((u) => [u.id, u.signoff_required]));
    const byItem = new Map<number, typeof events>();
    for (const e of events) byItem.set(e.item_id, [...(byItem.get(e.item_id) ?? []), e]);
    // Ids follow time, as the running portal would have written them.
    for (let k = 1; k < events.length; k++) expect(events[k].at >= events[k - 1].at).toBe(true);

    for (const i of items) {
      const trail = byItem.get(i.id) ?? [];
      const label = `item ${i.id}`;
      if (i.status === "draft" && i.returned_count === 0) {
        expect(trail, label).toEqual([]);
        continue;
      }
      expect(trail[0].action, label).toBe("submit");
      expect(trail[0].from_status, label).toBe("draft");
      expect(trail[0].at >= i.created_at, label).toBe(true);
      for (let k = 1; k < trail.length; k++) {
        expect(trail[k].from_status, label).toBe(trail[k - 1].to_status);
        expect(trail[k].at > trail[k - 1].at, label).toBe(true);
      }
      expect(trail[trail.length - 1].to_status, label).toBe(i.status);
      expect(trail.filter((e) => e.action === "return").length, label).toBe(i.returned_count);
      expect(trail.some((e) => e.action === "sign_off"), label).toBe(signoff.get(i.unit_id) === 1 && i.first_submitted_at !== null);
      const firstArrival = trail.find((e) => e.to_status === "submitted");
      expect(firstArrival?.at ?? null, label).toBe(i.first_submitted_at);
      for (const e of trail) {
        const actor = accounts.get(e.actor_id)!;
        if (e.action === "submit" || e.action === "resubmit") expect([actor.role, actor.unit_id], label).toEqual(["correspondent", i.unit_id]);
        else if (e.action === "sign_off") expect([actor.role, actor.unit_id], label).toEqual(["school_lead", i.unit_id]);
        else expect(actor.role, label).toBe("reviewer");
        if (["return", "reject", "withdraw"].includes(e.action)) expect(e.reason, label).not.toBe("");
        if (e.action === "adopt") expect(e.grade, label).toBe(i.grade);
      }
    }
  });
});

describe("seedDemoCounty: photos, pickups, instructions, notifications", () => {
  it("stores each photo content-addressed on disk with its true hash and size", async () => {
    const photos = await db.selectFrom("photos").selectAll().execute();
    expect(photos).toHaveLength(summary.photos);
    const distinct = new Map(photos.map((p) => [p.sha256, p]));
    expect(distinct.size).toBeGreaterThanOrEqual(6);
    expect(distinct.size).toBeLessThanOrEqual(8);
    for (const [sha, p] of distinct) {
      const bytes = readFileSync(path.join(dbs.dir, "photos", sha.slice(0, 2), sha));
      expect(createHash("sha256").update(bytes).digest("hex")).toBe(sha);
      expect(bytes.length).toBe(p.bytes);
      expect(bytes.subarray(1, 4).toString("latin1")).toBe("PNG");
      expect(bytes.readUInt32BE(16)).toBe(p.width);
      expect(bytes.readUInt32BE(20)).toBe(p.height);
    }
    const withPhotos = new Set(photos.map((p) => p.item_id)).size / items.length;
    expect(withPhotos).toBeGreaterThan(0.3);
    expect(withPhotos).toBeLessThan(0.5);
    for (const p of photos) expect(p.caption).not.toBe("");
  });

  it("records pickups on adopted items, with a rare national one, and a few instructions", async () => {
    const pickups = await db.selectFrom("pickups").selectAll().execute();
    const byId = new Map(items.map((i) => [i.id, i]));
    const pickedItems = new Set(pickups.map((p) => p.item_id));
    const adopted = items.filter((i) => i.status === "adopted").length;
    expect(pickedItems.size / adopted).toBeGreaterThan(0.08);
    expect(pickedItems.size / adopted).toBeLessThan(0.22);
    const tiers = (t: string) => pickups.filter((p) => p.tier === t).length;
    expect(tiers("national")).toBeGreaterThanOrEqual(1);
    expect(tiers("national")).toBeLessThanOrEqual(3);
    expect(tiers("province")).toBeLessThan(tiers("city"));
    for (const p of pickups) {
      const item = byId.get(p.item_id)!;
      expect(item.status).toBe("adopted");
      expect(p.picked_on >= shanghaiDate(item.decided_at!)).toBe(true);
      expect(p.url).toMatch(/^https:\/\/example\.org\//);
    }
    const perTier = new Set(pickups.map((p) => `${p.item_id}:${p.tier}`));
    expect(perTier.size).toBe(pickups.length);

    const instructions = await db.selectFrom("instructions").selectAll().execute();
    expect(instructions.length).toBeGreaterThanOrEqual(3);
    expect(new Set(instructions.map((x) => x.level))).toEqual(new Set(["county", "city", "province"]));
    for (const x of instructions) expect(x.instructed_on >= shanghaiDate(byId.get(x.item_id)!.decided_at!)).toBe(true);
  });

  it("notifies item authors, linking to the item", async () => {
    const notes = await db.selectFrom("notifications").selectAll().execute();
    expect(notes.length).toBeGreaterThan(0);
    const byId = new Map(items.map((i) => [i.id, i]));
    for (const n of notes) {
      expect(n.link).toBe(`/items/${n.item_id}`);
      expect(n.account_id).toBe(byId.get(n.item_id!)!.created_by);
    }
    expect(notes.some((n) => n.kind === "item_returned" && n.read_at === null)).toBe(true);
  });
});

describe("seedDemoCounty: integrity and determinism", () => {
  it("leaves no dangling foreign keys and fills no derived tables", async () => {
    const { rows } = await sql`pragma foreign_key_check`.execute(db);
    expect(rows).toEqual([]);
    for (const t of ["unit_month_stats", "month_closes", "month_unit_snapshots", "notices"] as const) {
      expect(await count(db, t), t).toBe(0);
    }
  });

  it("writes identical rows for the same `now`", async () => {
    const other = await fresh();
    const again = await seedDemoCounty(other.db, { passwordHash, dataDir: other.dir, now });
    expect(again.summary).toEqual(summary);
    await again.afterCloses(other.db);
    const itemsAgain = await other.db.selectFrom("items").selectAll().orderBy("id").execute();
    expect(JSON.stringify(itemsAgain)).toBe(JSON.stringify(items));
    for (const table of ["review_events", "item_bylines", "photos", "pickups", "accounts", "notifications"] as const) {
      const { rows: a } = await sql`select * from ${sql.table(table)} order by rowid`.execute(db);
      const { rows: b } = await sql`select * from ${sql.table(table)} order by rowid`.execute(other.db);
      expect(JSON.stringify(b), table).toBe(JSON.stringify(a));
    }
  }, 60_000);

  it("refuses to seed a database that already has units, changing nothing", async () => {
    const before = await count(db, "items");
    await expect(seedDemoCounty(db, { passwordHash, dataDir: dbs.dir, now })).rejects.toThrow(/空数据库/);
    expect(await count(db, "items")).toBe(before);
    expect(await isDatabaseEmpty(db)).toBe(false);
  });
});
