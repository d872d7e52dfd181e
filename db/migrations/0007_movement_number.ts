// Rank movement as a number. Frozen month snapshots kept the text the league showed ("↑3", "↓2",
// "—", "新"); the column becomes the places gained since the month before (lost: negative), 0 for
// the same rank, null when the unit was not ranked the month before (新, and the column's old
// empty default). Notices freeze their month's rows in data_json: those movements change the same way.
import { sql, type Kysely } from "kysely";

/** "↑3" → 3, "↓2" → -2, "—" (or another dash, or "0") → 0, "新" or anything else → null. */
export function movementFromText(text: string): number | null {
  const t = text.trim();
  const up = /^↑\s*(\d+)$/.exec(t);
  if (up) return Number(up[1]);
  const down = /^↓\s*(\d+)$/.exec(t);
  if (down) return -Number(down[1]);
  if (/^[—–\-－─]+$/.test(t) || t === "0") return 0;
  return null;
}

/** The text a movement was shown as before this migration (for going back down). */
export function movementToText(m: number | null): string {
  if (m === null) return "新";
  if (m === 0) return "—";
  return m > 0 ? `↑${m}` : `↓${-m}`;
}

type Convert = (value: unknown) => unknown;

/** Rewrites every monthly notice's frozen rows' movement; returns how many notices changed. */
async function convertNotices(db: Kysely<any>, convert: Convert): Promise<number> {
  const notices = await db.selectFrom("notices").select(["id", "data_json"]).where("kind", "=", "monthly").execute();
  let changed = 0;
  for (const n of notices as Array<{ id: number; data_json: string }>) {
    const data = JSON.parse(n.data_json) as { body?: { tables?: Array<{ rows?: Array<{ movement?: unknown }> }> } };
    let touched = false;
    for (const table of data.body?.tables ?? []) {
      for (const row of table.rows ?? []) {
        if (!("movement" in row)) continue;
        const next = convert(row.movement);
        if (next !== row.movement) {
          row.movement = next;
          touched = true;
        }
      }
    }
    if (!touched) continue;
    await db.updateTable("notices").set({ data_json: JSON.stringify(data) }).where("id", "=", n.id).execute();
    changed++;
  }
  return changed;
}

export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table month_unit_snapshots add column movement_places integer`.execute(db);
  const rows = await sql<{ movement: string }>`select distinct movement from month_unit_snapshots`.execute(db);
  // A handful of distinct texts (one per size of move), each converted by the same rule as the notices.
  for (const { movement } of rows.rows) {
    await sql`update month_unit_snapshots set movement_places = ${movementFromText(movement)} where movement = ${movement}`.execute(db);
  }
  await sql`alter table month_unit_snapshots drop column movement`.execute(db);
  await sql`alter table month_unit_snapshots rename column movement_places to movement`.execute(db);
  await convertNotices(db, (v) => (typeof v === "string" ? movementFromText(v) : v));
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table month_unit_snapshots add column movement_text text not null default ''`.execute(db);
  const rows = await sql<{ movement: number | null }>`select distinct movement from month_unit_snapshots`.execute(db);
  for (const { movement } of rows.rows) {
    const text = movementToText(movement);
    if (movement === null) await sql`update month_unit_snapshots set movement_text = ${text} where movement is null`.execute(db);
    else await sql`update month_unit_snapshots set movement_text = ${text} where movement = ${movement}`.execute(db);
  }
  await sql`alter table month_unit_snapshots drop column movement`.execute(db);
  await sql`alter table month_unit_snapshots rename column movement_text to movement`.execute(db);
  await convertNotices(db, (v) => (typeof v === "number" || v === null ? movementToText(v) : v));
}
