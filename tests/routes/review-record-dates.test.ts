// A 上稿 or 批示 cannot be dated before the event its item reports: the reviewer who types 2019 for
// 2025 is told the item's event date, and nothing is written (no record, no audit row, no points).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as reviewItem from "~/routes/review.$id";
import { call, expectFieldErrors, setupCounty, type County } from "../support/app";
import { hoursAgo, insertItem } from "../support/item-fixtures";

let county: County;
let adopted = 0;
beforeAll(async () => {
  county = await setupCounty();
  await county.cookieFor("reviewer");
  adopted = await insertItem(county.dbs.db, {
    unitId: county.units.B, createdBy: county.ids.correspondentB, status: "adopted", grade: "good", reportMonth: "2026-01",
    eventDate: "2026-01-05", firstSubmittedAt: hoursAgo(72),
  });
});
afterAll(() => county.dbs.dispose());

const post = (body: Record<string, string>) =>
  call(reviewItem.action, county, { url: `/review/${adopted}`, user: "reviewer", params: { id: String(adopted) }, body });
const count = async (table: "pickups" | "instructions" | "audit_events") =>
  Number((await county.dbs.db.selectFrom(table).select((eb) => eb.fn.countAll().as("n")).executeTakeFirstOrThrow()).n);

describe("dates of pickups and 批示", () => {
  it("refuses a pickup or 批示 dated before the item's event, naming the date, and writes nothing", async () => {
    const before = [await count("pickups"), await count("instructions"), await count("audit_events")];
    const early = await post({ intent: "pickup", outlet: "某某日报", tier: "city", picked_on: "2019-01-01" });
    await expectFieldErrors(early, { picked_on: "刊发日期不能早于稿件的事件日期（2026-01-05），请核对" });
    const earlyNote = await post({ intent: "instruction", level: "county", leader: "副县长", instructed_on: "2026-01-04" });
    await expectFieldErrors(earlyNote, { instructed_on: "批示日期不能早于稿件的事件日期（2026-01-05），请核对" });
    expect([await count("pickups"), await count("instructions"), await count("audit_events")]).toEqual(before);
  });

  it("takes a pickup dated on the event's own day", async () => {
    expect((await post({ intent: "pickup", outlet: "某某日报", tier: "city", picked_on: "2026-01-05" })).status).toBe(302);
    expect(await count("pickups")).toBe(1);
  });
});

describe("the same 上稿 or 批示 sent twice (a double click on 登记)", () => {
  it("records it once and tells the second post when the first was recorded; a different outlet or leader is another record", async () => {
    const pickup = { intent: "pickup", outlet: "市教育信息网", tier: "city", picked_on: "2026-01-08", url: "https://example.cn/a/1" };
    expect((await post(pickup)).status).toBe(302);
    const before = [await count("pickups"), await count("audit_events")];
    const again = await post(pickup);
    expect(again.status).toBe(409);
    expect(JSON.stringify(await again.json())).toMatch(/这条上稿已于 \d{4}-\d{2}-\d{2} \d{2}:\d{2} 登记过，没有重复登记/);
    expect([await count("pickups"), await count("audit_events")]).toEqual(before);
    expect((await post({ ...pickup, outlet: "省教育厅网站", tier: "province" })).status).toBe(302);
    expect(await count("pickups")).toBe(before[0] + 1);

    const note = { intent: "instruction", level: "county", leader: "副县长", content: "经验做法值得推广", instructed_on: "2026-01-09" };
    expect((await post(note)).status).toBe(302);
    const notes = await count("instructions");
    const noteAgain = await post(note);
    expect(noteAgain.status).toBe(409);
    expect(JSON.stringify(await noteAgain.json())).toContain("这条批示已于");
    expect(await count("instructions")).toBe(notes);
    expect((await post({ ...note, leader: "县长" })).status).toBe(302);
    expect(await count("instructions")).toBe(notes + 1);
  });
});
