// Reads every page makes (the settings behind the county's names, the reviewer's waiting count) are
// shared between writes: a write through the portal shows at once, and nothing else is read again.
import sqlite3 from "sqlite3";
import { afterAll, beforeAll, expect, it } from "vitest";
import { databaseFileOf } from "../../db/connect";
import { waitingCount } from "~/models/review.server";
import { currentBureauNames, saveSettings, settingsFor } from "~/models/settings.server";
import { setupCounty, type County } from "../support/app";
import { insertItem } from "../support/item-fixtures";

let county: County;
beforeAll(async () => {
  county = await setupCounty();
});
afterAll(async () => county.dbs.dispose());

/** A write that bypasses the portal's writer (as no portal code does): shows what is cached. */
function writeBehindThePortal(sql: string): Promise<void> {
  const file = databaseFileOf(county.dbs.db)!;
  return new Promise((resolve, reject) => {
    const raw = new sqlite3.Database(file, (open) => {
      if (open) return reject(open);
      raw.run(sql, (err) => raw.close(() => (err ? reject(err) : resolve())));
    });
  });
}

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
  await writeBehindThePortal("update settings set value_json = '\"别处写的\"' where key = 'bureauName'");
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
  await writeBehindThePortal("update items set status = 'draft' where status = 'submitted'");
  expect(await waitingCount(reader)).toBe(before + 1);
  await insertItem(db, { unitId: county.units.B, createdBy: county.ids.correspondentB, status: "submitted" });
  expect(await waitingCount(reader)).toBe(1);
});
