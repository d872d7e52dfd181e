// Reads every page makes (the settings behind the county's names, the reviewer's waiting count) are
// shared between writes: a write through the portal shows at once, and nothing else is read again.
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { databaseFileOf } from "../../db/connect";
import { latestPublishedNotice } from "~/models/notices.server";
import { waitingCount } from "~/models/review.server";
import { currentBureauNames, saveSettings, settingsFor } from "~/models/settings.server";
import { setupCounty, type County } from "../support/app";
import { writeBehindThePortal } from "../support/db";
import { insertItem } from "../support/item-fixtures";

let county: County;
beforeAll(async () => {
  // These tests write behind the portal to show what is kept: the cache check (tests/support/setup.ts) would call it stale.
  vi.stubEnv("CACHE_CHECK", "0");
  county = await setupCounty();
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await county.dbs.dispose();
});

/** A write behind the portal's back: shows what is cached. */
const writeBehind = (sql: string) => writeBehindThePortal(databaseFileOf(county.dbs.db)!, sql);

it("serves the settings as last written through the portal, read once between writes", async () => {
  const { reader, db } = county.dbs;
  expect(databaseFileOf(reader)).toBeTruthy();
  const admin = { id: county.ids.admin, username: "admin" };
  const saved = await saveSettings(db, { changes: [{ key: "countyName", value: "临溪县" }, { key: "bureauName", value: "临溪县教育和体育局" }], effectiveMonth: null, actor: admin });
  expect(saved.ok).toBe(true);
  expect((await currentBureauNames(reader)).bureauName).toBe("临溪县教育和体育局");
  // Each caller gets its own object.
  const one = await settingsFor(reader);
  (one as { bureauName: string }).bureauName = "改掉";
  expect((await settingsFor(reader)).bureauName).toBe("临溪县教育和体育局");

  // Not read again until the portal writes something that changes the figures…
  await writeBehind("update settings set value_json = '\"别处写的\"' where key = 'bureauName'");
  expect((await settingsFor(reader)).bureauName).toBe("临溪县教育和体育局");
  // …and then read afresh.
  const changed = await saveSettings(db, { changes: [{ key: "bureauName", value: "临溪县教育局" }], effectiveMonth: null, actor: admin });
  expect(changed.ok).toBe(true);
  expect((await settingsFor(reader)).bureauName).toBe("临溪县教育局");
  expect((await currentBureauNames(reader)).countyName).toBe("临溪县");
});

it("counts the items waiting for review as of the last write", async () => {
  const { reader, db } = county.dbs;
  const before = await waitingCount(reader);
  await insertItem(db, { unitId: county.units.A, createdBy: county.ids.correspondentA, status: "submitted" });
  expect(await waitingCount(reader)).toBe(before + 1);
  await writeBehind("update items set status = 'draft' where status = 'submitted'");
  expect(await waitingCount(reader)).toBe(before + 1);
  await insertItem(db, { unitId: county.units.B, createdBy: county.ids.correspondentB, status: "submitted" });
  expect(await waitingCount(reader)).toBe(1);
});

it("shows the latest published notice as of the last write, a copy for each caller", async () => {
  const { reader, db } = county.dbs;
  const publish = (period: string, at: string) =>
    db
      .insertInto("notices")
      .values({
        kind: "monthly", period, close_id: null, doc_number: `测〔${period}〕1号`, title: `${period} 通报`, status: "published", signer_name: "王局长",
        published_at: at, published_by: county.ids.reviewer, docx_sha256: null, created_by: county.ids.reviewer, created_at: at, updated_at: at,
        data_json: JSON.stringify({ body: { commended: [{ unitId: county.units.A, reasons: ["采用多"] }], criticised: [] } }),
      })
      .returning("id")
      .executeTakeFirstOrThrow();
  const first = await publish("2026-09", "2026-10-05T02:00:00.000Z");
  const seen = await latestPublishedNotice(reader, { unitId: county.units.A });
  expect(seen).toMatchObject({ id: first.id, standing: { commended: ["采用多"], criticised: null } });
  expect((await latestPublishedNotice(reader, { unitId: county.units.B }))?.standing).toBeNull();
  (seen as { title: string }).title = "改掉";
  expect((await latestPublishedNotice(reader, { unitId: county.units.A }))?.title).toBe("2026-09 通报");
  await writeBehind("update notices set title = '别处写的'");
  expect((await latestPublishedNotice(reader, { unitId: county.units.A }))?.title).toBe("2026-09 通报");
  const second = await publish("2026-10", "2026-11-05T02:00:00.000Z");
  expect((await latestPublishedNotice(reader, { unitId: county.units.A }))?.id).toBe(second.id);
  expect((await latestPublishedNotice(reader))?.id).toBe(second.id);
});
