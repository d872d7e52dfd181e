// A reviewer's preview and draft of a year's summary are composed from the year's twelve months,
// tens of milliseconds of JavaScript for a county: they are composed once per figures write, month
// and set of adjustments and shared; the next read after a write, an adjustment or a new month is
// composed afresh, and a write to bookkeeping alone keeps them.
import { afterAll, beforeAll, expect, it } from "vitest";
import type { AnnualBody } from "~/domain/notices";
import type { SessionUser } from "~/models/auth.server";
import { closeMonth, reopenMonth } from "~/models/month-close.server";
import { adjustNotice, annualSummaryPage, draftAnnualSummary, getNotice } from "~/models/notices.server";
import { notify } from "~/models/notifications.server";
import { rebuildAllRollups } from "~/models/rollup.server";
import { setupCounty, type County } from "../support/app";
import { insertItem } from "../support/item-fixtures";

let county: County;
let reviewer: SessionUser;
const NOW = new Date("2026-01-20T04:00:00Z");
const viewer = { role: "reviewer" as const, unitId: null };

beforeAll(async () => {
  county = await setupCounty();
  reviewer = { id: county.ids.reviewer, username: "reviewer", displayName: "赵审核", role: "reviewer", unitId: null, unitName: null, mustChangePassword: false };
  const db = county.dbs.db;
  for (const month of ["2025-11", "2025-12"]) {
    for (let i = 0; i < 3; i++) {
      await insertItem(db, {
        unitId: county.units.A, createdBy: county.ids.correspondentA, status: "adopted", grade: "good",
        reportMonth: month, firstSubmittedAt: `${month}-10T02:00:00.000Z`, eventDate: `${month}-08`,
      });
    }
  }
  await rebuildAllRollups(db);
  for (const month of ["2025-11", "2025-12"]) expect((await closeMonth(db, { month, actor: reviewer, now: NOW })).ok).toBe(true);
});
afterAll(async () => county.dbs.dispose());

const adoptedOf = (body: AnnualBody, unitId: number) => body.tables.flatMap((t) => t.rows).find((r) => r.unitId === unitId)?.adopted;

async function preview(year: string, now = NOW) {
  const page = await annualSummaryPage(county.dbs.reader, year, viewer, now);
  if (page?.state !== "preview") throw new Error(`no preview of ${year}`);
  return page;
}

it("shares one preview until a figures write, and composes the next read after it afresh", async () => {
  const first = await preview("2025");
  expect(adoptedOf(first.doc.body as AnnualBody, county.units.A)).toBe(6);
  expect(first.problem).toBeNull();
  const again = await preview("2025");
  expect(again.doc.body).toBe(first.doc.body);
  expect(Object.isFrozen(first.doc.body)).toBe(true);

  // A notification is bookkeeping: the same composition.
  await notify(county.dbs.db, [county.ids.correspondentA], { kind: "returned", title: "测试通知", link: "/items" });
  expect((await preview("2025")).doc.body).toBe(first.doc.body);

  // December reopened and a unit B item adopted in it: the preview counts it and says December is open.
  expect((await reopenMonth(county.dbs.db, { month: "2025-12", actor: reviewer, reason: "补登" })).ok).toBe(true);
  await insertItem(county.dbs.db, {
    unitId: county.units.B, createdBy: county.ids.correspondentB, status: "adopted", grade: "fair",
    reportMonth: "2025-12", firstSubmittedAt: "2025-12-12T02:00:00.000Z", eventDate: "2025-12-09",
  });
  await rebuildAllRollups(county.dbs.db);
  const after = await preview("2025");
  expect(after.doc.body).not.toBe(first.doc.body);
  expect(adoptedOf(after.doc.body as AnnualBody, county.units.B)).toBe(1);
  expect(after.problem).toBe("2025年12月尚未结算，全年各月结算后才能起草年度汇总。");
  expect((await closeMonth(county.dbs.db, { month: "2025-12", actor: reviewer, now: NOW })).ok).toBe(true);
  expect((await preview("2025")).problem).toBeNull();
});

it("composes the year under way again in a new month: its months and whether it may be drafted follow the date", async () => {
  const january = await preview("2026", NOW);
  const february = await preview("2026", new Date("2026-02-10T04:00:00Z"));
  expect((january.doc.body as AnnualBody).months).toEqual(["2026-01"]);
  expect((february.doc.body as AnnualBody).months).toEqual(["2026-01", "2026-02"]);
  expect((await preview("2026", NOW)).doc.body).toBe(january.doc.body);
});

it("shares a draft's composition until it is adjusted, and shows the adjustment at once", async () => {
  const drafted = await draftAnnualSummary(county.dbs.db, { year: "2025", actor: reviewer, ip: "127.0.0.1", now: NOW });
  if (!drafted.ok) throw new Error(drafted.message);
  const read = async () => (await getNotice(county.dbs.reader, drafted.id, viewer, NOW))!;
  const first = await read();
  expect(first.status).toBe("draft");
  expect((await read()).doc.body).toBe(first.doc.body);
  // Two months short of its quota: unit A is on the criticism list until the reviewer takes it off.
  const criticised = (body: AnnualBody) => body.criticised.some((e) => e.unitId === county.units.A);
  expect(criticised(first.doc.body as AnnualBody)).toBe(true);
  const adjusted = await adjustNotice(county.dbs.db, {
    id: drafted.id, unitId: county.units.A, list: "criticised", action: "remove", reason: "核实后调整", actor: reviewer, ip: "127.0.0.1", now: NOW,
  });
  if (!adjusted.ok) throw new Error(adjusted.message);
  const after = await read();
  expect(after.doc.body).not.toBe(first.doc.body);
  expect(criticised(after.doc.body as AnnualBody)).toBe(false);
});
