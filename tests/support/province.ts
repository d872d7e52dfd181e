// The test county grown to province scale: UNIT_SELECT_MAX + 20 more township schools (P0001
// 第1号学校 …), each with one adopted item of 2026-10, so every list and form that names units has
// more of them than a drop-down carries.
import { UNIT_SELECT_MAX } from "~/domain/unit-pick";
import { setupCounty, type County } from "./app";
import { insertItem } from "./item-fixtures";

/** The province's units beyond the county's two. */
export const EXTRA_UNITS = UNIT_SELECT_MAX + 20;

/** The county, and the id of each added unit by its code. */
export async function setupProvince(): Promise<{ county: County; ids: Record<string, number> }> {
  const county = await setupCounty();
  for (const user of ["admin", "reviewer", "leadA"] as const) await county.cookieFor(user);
  const at = "2020-01-01T00:00:00.000Z";
  const rows = Array.from({ length: EXTRA_UNITS }, (_, i) => ({
    code: `P${String(i + 1).padStart(4, "0")}`, name: `第${i + 1}号学校`, township: "柳河镇", kind_code: "township_central", created_at: at, updated_at: at,
  }));
  const ids: Record<string, number> = {};
  for (const r of await county.dbs.db.insertInto("units").values(rows).returning(["id", "code"]).execute()) ids[r.code] = r.id;
  // Something published by every unit, so the public news list has as many units to filter by.
  for (const [code, unitId] of Object.entries(ids)) {
    await insertItem(county.dbs.db, {
      unitId, createdBy: county.ids.reviewer, status: "adopted", grade: "good", reportMonth: "2026-10",
      firstSubmittedAt: "2026-10-10T02:00:00.000Z", title: `${code}的稿件`,
    });
  }
  return { county, ids };
}
