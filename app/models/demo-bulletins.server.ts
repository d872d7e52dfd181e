// The demo county's 简报, made the way the office makes them: for each month about to be closed,
// an issue drafted on the 3rd of the next month at 09:00 (Asia/Shanghai), its items added and the
// chosen ones rewritten, then signed at 10:00, which records the pickups (so they count in the
// month's figures before the month closes on the 5th) and stores the Word file.
import type { Kysely } from "kysely";
import { DEMO_DISTRIBUTION, planMonthBulletin } from "../../db/seed/demo-bulletins";
import type { Database } from "../../db/schema";
import { addMonths, shanghaiDate, shanghaiMidnight } from "~/domain/time";
import { publishBulletin } from "~/models/bulletin-publish.server";
import { addBulletinItem, bulletinRow, createBulletin, saveBulletin } from "~/models/bulletins.server";
import type { AuditActor } from "~/models/audit.server";

const HOUR = 3_600_000;

function must<T extends { ok: boolean }>(what: string, result: T): Extract<T, { ok: true }> {
  if (!result.ok) throw new Error(`演示数据${what}失败：${(result as unknown as { message: string }).message}`);
  return result as Extract<T, { ok: true }>;
}

/** Publishes the month's issue (none when the month has too few adopted items); its id or null. */
export async function publishDemoBulletin(
  db: Kysely<Database>,
  input: { month: string; actor: AuditActor; dataDir: string; now: Date },
): Promise<number | null> {
  const candidates = await db
    .selectFrom("items")
    .select(["id", "unit_id as unitId", "title", "body", "grade"])
    .where("report_month", "=", input.month)
    .where("status", "=", "adopted")
    .orderBy("id")
    .execute();
  const plan = planMonthBulletin(input.month, candidates);
  if (!plan) return null;
  const draftedAt = new Date(Date.parse(shanghaiMidnight(`${addMonths(input.month, 1)}-03`)) + 9 * HOUR);
  const signedAt = new Date(draftedAt.getTime() + HOUR);
  if (signedAt > input.now) return null;
  const created = must("新建简报", await createBulletin(db, input.actor, draftedAt));
  let version = created.version;
  for (const itemId of plan.itemIds) {
    version = must("编入简报", await addBulletinItem(db, input.actor, { id: created.id, version, itemId, now: draftedAt })).version;
  }
  const row = (await bulletinRow(db, created.id))!;
  const saved = await saveBulletin(db, input.actor, {
    id: created.id, version, now: draftedAt,
    fields: {
      number: row.number, name: row.name, editorNote: plan.editorNote, editorUnit: row.editor_unit, issueDate: shanghaiDate(signedAt),
      ...DEMO_DISTRIBUTION,
    },
    texts: plan.edits,
  });
  version = must("保存简报", saved).version;
  must("签发简报", await publishBulletin(db, input.actor, { id: created.id, version, dataDir: input.dataDir, now: signedAt }));
  return created.id;
}
