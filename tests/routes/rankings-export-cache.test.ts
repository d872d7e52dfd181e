// The league's downloads are built once per league and format and then read: every viewer gets the
// bytes a fresh build would give, simultaneous downloads build once, a write that changes the league
// gives a new file on the next download, and a closed month's file outlives writes to other months.
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { addMonths, shanghaiMonth } from "~/domain/time";
import { rankingsCsvBytes, rankingsFilesBuilt, rankingsWorkbook } from "~/lib/rankings-export.server";
import { transitionItem } from "~/models/item-workflow.server";
import { closeMonth, reopenMonth } from "~/models/month-close.server";
import { sharedRankings } from "~/models/rankings.server";
import * as exportRoute from "~/routes/rankings.$period.export";
import { call, sessionUser, setupCounty, type County, type UserKey } from "../support/app";
import { insertItem } from "../support/item-fixtures";

const START = new Date("2026-11-21T04:00:00Z");
const CURRENT = shanghaiMonth(START);
const CLOSED = addMonths(CURRENT, -1);
const YEAR = CURRENT.slice(0, 4);

let county: County;
beforeAll(async () => {
  // Builds are counted here: the cache check (tests/support/setup.ts) would compute the league again.
  vi.stubEnv("CACHE_CHECK", "0");
  // The workbook records when it was built: the clock only moves when a test moves it.
  vi.useFakeTimers({ toFake: ["Date"], now: START });
  county = await setupCounty();
  const reviewer = { id: county.ids.reviewer, username: "reviewer" };
  const closed = await closeMonth(county.dbs.db, { month: CLOSED, actor: reviewer });
  if (!closed.ok) throw new Error(closed.message);
});
afterAll(async () => {
  vi.useRealTimers();
  vi.unstubAllEnvs();
  await county.dbs.dispose();
});

async function download(period: string, format: "xlsx" | "csv", user: UserKey = "reviewer"): Promise<Uint8Array> {
  const response = await call(exportRoute.loader, county, { url: `/rankings/${period}/export?format=${format}`, user, params: { period } });
  expect(response.status).toBe(200);
  const bytes = new Uint8Array(await response.arrayBuffer());
  expect(response.headers.get("Content-Length")).toBe(String(bytes.byteLength));
  return bytes;
}

/** What a fresh build of the league gives now (at the same clock). */
async function fresh(period: string, format: "xlsx" | "csv"): Promise<Uint8Array> {
  const { view } = (await sharedRankings(county.dbs.reader, period))!;
  return new Uint8Array(format === "xlsx" ? await rankingsWorkbook(view) : await rankingsCsvBytes(view));
}

const tick = () => vi.setSystemTime(new Date(Date.now() + 60_000));

async function adoptOne(unitId: number, createdBy: number) {
  const itemId = await insertItem(county.dbs.db, { unitId, createdBy, status: "submitted", reportMonth: CURRENT });
  const reviewer = sessionUser(county.ids.reviewer, null, "reviewer");
  const adopted = await transitionItem(county.dbs.db, { itemId, action: "adopt", actor: reviewer, grade: "excellent" });
  expect(adopted.ok).toBe(true);
}

it("every role and unit downloads the bytes of a fresh build, built once for all of them", async () => {
  await adoptOne(county.units.A, county.ids.correspondentA);
  for (const period of [CURRENT, YEAR, CLOSED]) {
    for (const format of ["xlsx", "csv"] as const) {
      tick();
      const before = rankingsFilesBuilt();
      const first = await download(period, format, "correspondentA");
      expect(first, `${period}.${format}`).toEqual(await fresh(period, format));
      for (const user of ["correspondentB", "leadA", "reviewer", "admin"] as const) {
        // A minute later each time: a file built again would carry another creation time.
        tick();
        expect(await download(period, format, user), `${period}.${format} for ${user}`).toEqual(first);
      }
      expect(rankingsFilesBuilt() - before, `${period}.${format}`).toBe(1);
    }
  }
});

it("simultaneous downloads of a league build its file once", async () => {
  await adoptOne(county.units.B, county.ids.correspondentB);
  const before = rankingsFilesBuilt();
  const files = await Promise.all(Array.from({ length: 8 }, (_, i) => download(YEAR, "xlsx", i % 2 ? "correspondentA" : "reviewer")));
  expect(rankingsFilesBuilt() - before).toBe(1);
  for (const f of files) expect(f).toEqual(files[0]);
  expect(files[0]).toEqual(await fresh(YEAR, "xlsx"));
});

it("a write that changes the league gives a new file on the next download; one to another month keeps a closed month's", async () => {
  const month = await download(CURRENT, "csv");
  const year = await download(YEAR, "xlsx");
  const closed = await download(CLOSED, "xlsx");
  tick();
  await adoptOne(county.units.A, county.ids.correspondentA);
  const before = rankingsFilesBuilt();

  const monthAfter = await download(CURRENT, "csv");
  expect(monthAfter).not.toEqual(month);
  expect(monthAfter).toEqual(await fresh(CURRENT, "csv"));
  // Unit A's 采用 went up by one in the month's file.
  const adoptedOfA = (bytes: Uint8Array) => {
    const lines = new TextDecoder().decode(bytes).replace(/^\uFEFF/, "").trim().split("\r\n").map((l) => l.split(","));
    return Number(lines.find((l) => l[3] === "A01")![lines[0].indexOf("采用")]);
  };
  expect(adoptedOfA(monthAfter)).toBe(adoptedOfA(month) + 1);

  const yearAfter = await download(YEAR, "xlsx");
  expect(yearAfter).not.toEqual(year);
  expect(yearAfter).toEqual(await fresh(YEAR, "xlsx"));
  expect(rankingsFilesBuilt() - before).toBe(2);

  // The closed month's league did not change: its file is read, not built.
  expect(await download(CLOSED, "xlsx")).toEqual(closed);
  expect(rankingsFilesBuilt() - before).toBe(2);
});

it("reopening and closing a month again gives a new file", async () => {
  const reviewer = { id: county.ids.reviewer, username: "reviewer" };
  const closed = await download(CLOSED, "xlsx");
  tick();
  expect(await reopenMonth(county.dbs.db, { month: CLOSED, actor: reviewer, reason: "更正积分" })).toEqual({ ok: true });
  const reopened = await download(CLOSED, "xlsx");
  expect(reopened).not.toEqual(closed);
  expect(reopened).toEqual(await fresh(CLOSED, "xlsx"));
  tick();
  const again = await closeMonth(county.dbs.db, { month: CLOSED, actor: reviewer });
  expect(again.ok).toBe(true);
  const reclosed = await download(CLOSED, "xlsx");
  expect(reclosed).not.toEqual(reopened);
  expect(reclosed).toEqual(await fresh(CLOSED, "xlsx"));
});
