// 签发 of a 简报, in one transaction: the issue is frozen (no more edits), every included item gets
// a pickup (outlet 县教育信息简报, the tier of the bulletinTier setting, picked on the publishing
// date) written the way the review desk writes one, so the unit's month (its live figures, and
// through them the league and the points receipt) moves at once; a pickup on an item of a closed
// month changes the live figures only, the closed month's snapshot stays as it was closed, exactly
// as for a pickup the reviewer records there. Each included item's unit is notified. The Word
// document is made once, stored under its SHA-256 before the row points at it, and served from
// those bytes ever after.
import type { Transaction } from "kysely";
import { NOTICES, readStoredFile, sha256Hex, storeFile } from "../../db/file-store";
import type { Database } from "../../db/schema";
import { BULLETIN_OUTLET, inclusionNotice, issueTitle, publishProblems } from "~/domain/bulletins";
import { TIERS, type TierCode } from "~/domain/catalog";
import { refuse, settle } from "~/domain/refusal";
import { shanghaiDate } from "~/domain/time";
import { recordAudit, type AuditActor } from "~/models/audit.server";
import { bulletinDocx, type BulletinDocument } from "~/models/bulletin-docx.server";
import { bulletinHref, bulletinItems, bulletinRow, draftForChange, publishedNumbers, type BulletinItemRow, type BulletinResult, type BulletinRow, type DB } from "~/models/bulletins.server";
import { notify, schoolStaff } from "~/models/notifications.server";
import { insertPickup } from "~/models/review-records.server";
import { refreshUnitMonths } from "~/models/rollup.server";
import { settingsFor } from "~/models/settings.server";

function documentOf(row: BulletinRow, items: BulletinItemRow[], stampedAt: string, frozenNames: boolean): BulletinDocument {
  return {
    name: row.name, number: row.number, editorUnit: row.editor_unit, issueDate: row.issue_date, editorNote: row.editor_note,
    reportTo: row.report_to, sendTo: row.send_to, issueTo: row.issue_to, stampedAt,
    items: items.map((i) => ({ title: i.title, unitName: frozenNames ? i.frozenUnitName : i.unitName, body: i.body })),
  };
}

/** What 签发 would be refused for as the draft stands (the confirmation page shows it), or null. */
export async function bulletinPublishProblem(db: DB | Transaction<Database>, row: BulletinRow, items: BulletinItemRow[]): Promise<string | null> {
  const taken = await publishedNumbers(db, row.year, row.id);
  const problems = publishProblems(
    {
      number: row.number, name: row.name, editorNote: row.editor_note, editorUnit: row.editor_unit, issueDate: row.issue_date,
      reportTo: row.report_to, sendTo: row.send_to, issueTo: row.issue_to,
    },
    items.map((i) => ({ itemId: i.itemId, status: i.status, title: i.title, body: i.body })),
    taken,
  );
  return problems[0]?.message ?? null;
}

export async function publishBulletin(
  db: DB,
  actor: AuditActor,
  input: { id: number; version: number; dataDir: string; now?: Date },
): Promise<BulletinResult> {
  const now = input.now ?? new Date();
  const at = now.toISOString();
  return settle(() =>
    db.transaction().execute(async (trx) => {
      const row = await draftForChange(trx, input.id, input.version);
      const items = await bulletinItems(trx, row.id);
      const problem = await bulletinPublishProblem(trx, row, items);
      if (problem) refuse(409, problem);
      const tier = (await settingsFor(trx)).bulletinTier as TierCode;
      const tierName = TIERS.find((t) => t.code === tier)?.name ?? tier;
      const pickedOn = shanghaiDate(now);
      const link = bulletinHref(row.id);

      // The units' names as they are today are frozen into the issue with its text.
      for (const i of items) {
        await trx.updateTable("bulletin_items").set({ unit_name: i.unitName }).where("bulletin_id", "=", row.id).where("item_id", "=", i.itemId).execute();
      }
      const sha = (await storeFile(input.dataDir, NOTICES, await bulletinDocx(documentOf(row, items, at, false)))).sha256;
      const pickups: number[] = [];
      for (const i of items) {
        pickups.push(await insertPickup(trx, actor.id, i.itemId, { outlet: BULLETIN_OUTLET, tier, picked_on: pickedOn, url: link }, at));
      }
      const frozen = await trx
        .updateTable("bulletins")
        .set({ status: "published", published_at: at, published_by: actor.id, docx_sha256: sha, version: row.version + 1, updated_at: at })
        .where("id", "=", row.id)
        .where("version", "=", row.version)
        .executeTakeFirst();
      if (Number(frozen.numUpdatedRows) !== 1) refuse(409, "这期简报已被他人修改，请刷新后再签发。");
      await refreshUnitMonths(trx, items.map((i) => ({ unitId: i.unitId, month: i.month })));

      // Each included item's unit: its correspondents and its lead.
      const units = [...new Set(items.map((i) => i.unitId))];
      const people = await schoolStaff(trx, units);
      for (const i of items) {
        const text = inclusionNotice(row.name, row.number, i.title, tierName);
        await notify(trx, people.filter((p) => p.unitId === i.unitId).map((p) => p.id), { kind: "bulletin_included", ...text, link, itemId: i.itemId }, at);
      }
      await recordAudit(trx, {
        actorId: actor.id, actorName: actor.username, action: "bulletin_published", entityType: "bulletin", entityId: row.id, ip: actor.ip, at,
        from: "draft", to: "published",
        detail: {
          title: issueTitle(row.name, row.number), year: row.year, number: row.number, items: items.map((i) => i.itemId),
          outlet: BULLETIN_OUTLET, tier, picked_on: pickedOn, pickups, docxSha256: sha,
        },
      });
      return { ok: true as const, id: row.id, version: row.version + 1 };
    }),
  );
}

export interface BulletinFile {
  bytes: Buffer;
  sha256: string | null;
  fileName: string;
  published: boolean;
}

/**
 * The Word document: a published issue's stored bytes (a missing file is rebuilt from the frozen
 * issue and kept only if it is the same bytes); a draft's preview, made now and not stored, only
 * for those who edit bulletins. Null when there is nothing this reader may have.
 */
export async function bulletinFile(db: DB, id: number, dataDir: string, canEdit: boolean): Promise<BulletinFile | null> {
  const row = await bulletinRow(db, id);
  if (!row) return null;
  // Issue numbers start again each year: the file's name carries the year, as the list does.
  const fileName = `${row.name}${row.year}年第${row.number}期${row.status === "draft" ? "（草稿预览）" : ""}.docx`;
  if (row.status === "draft") {
    if (!canEdit) return null;
    const bytes = await bulletinDocx(documentOf(row, await bulletinItems(db, id), row.updated_at, false));
    return { bytes, sha256: null, fileName, published: false };
  }
  const sha = row.docx_sha256;
  if (!sha) return null;
  let bytes = await readStoredFile(dataDir, NOTICES, sha);
  if (!bytes) {
    const rebuilt = await bulletinDocx(documentOf(row, await bulletinItems(db, id), row.published_at!, true));
    if (sha256Hex(rebuilt) !== sha) throw new Error(`简报 ${id} 的 Word 文件缺失，且无法按原样重新生成`);
    await storeFile(dataDir, NOTICES, rebuilt);
    bytes = rebuilt;
  }
  if (sha256Hex(bytes) !== sha) throw new Error(`简报 ${id} 的 Word 文件已损坏（校验值不符）`);
  return { bytes, sha256: sha, fileName, published: true };
}
