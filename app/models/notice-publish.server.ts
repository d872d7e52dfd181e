// 签发: everything a notice shows is frozen into data_json and its Word document is made once,
// stored under its SHA-256 before the row points at it, and served from those bytes ever after.
import type { Kysely } from "kysely";
import { NOTICES, readStoredFile, sha256Hex, storeFile } from "../../db/file-store";
import type { Database } from "../../db/schema";
import { publishDocNumberProblem } from "~/domain/notice-document";
import type { NoticeDocument, NoticeKind } from "~/domain/notices";
import { noticeDocx } from "~/models/notice-docx.server";
import { openAppealCount } from "~/models/appeals.server";
import { recordAudit } from "~/models/audit.server";

import { draftForChange, isFailure, type Acting } from "~/models/notice-drafts.server";
import { composeDraft, fail, noticeRow, serialise, storedDocument, type DB, type NoticeResult } from "~/models/notice-compose.server";

// ---------------------------------------------------------------------------------------------
// Publishing and the Word document

export { noticeFilePath } from "../../db/file-store";

async function storeNoticeFile(dataDir: string, bytes: Uint8Array): Promise<string> {
  return (await storeFile(dataDir, NOTICES, bytes)).sha256;
}

/**
 * 签发: freezes the notice as it stands (numbers of the close in force, lists with adjustments,
 * text, 文号, signer and time), makes its Word document once and stores it before the row points
 * at it. Refused without a 文号, with a 文号 another published notice carries, for a reopened
 * month, or when already published.
 */
export async function publishNotice(
  db: Kysely<Database>,
  input: Acting & { id: number; signerName: string; dataDir: string; appealsOverride?: string },
): Promise<NoticeResult> {
  const now = input.now ?? new Date();
  const at = now.toISOString();
  const signerName = input.signerName.trim();
  if (!signerName) return fail(400, "请填写签发人", { field: "signer_name" });
  return db.transaction().execute(async (trx): Promise<NoticeResult> => {
    const row = await draftForChange(trx, input.id);
    if (isFailure(row)) return row;
    const docNumberProblem = publishDocNumberProblem(row.doc_number ?? "");
    if (docNumberProblem) return fail(409, docNumberProblem);
    const clash = await trx
      .selectFrom("notices")
      .select(["title"])
      .where("status", "=", "published")
      .where("doc_number", "=", row.doc_number)
      .where("id", "!=", row.id)
      .executeTakeFirst();
    if (clash) return fail(409, `文号 ${row.doc_number} 已用于已签发的《${clash.title}》，请换一个文号。`);
    const { doc: draft, problem } = await composeDraft(trx, row, now);
    if (problem) return fail(409, problem);
    // Appeals of the month still waiting for an answer hold 签发, unless the reviewer says why it cannot wait.
    const waitingAppeals = row.kind === "monthly" ? await openAppealCount(trx, row.period) : 0;
    const appealsOverride = waitingAppeals > 0 ? (input.appealsOverride ?? "").trim() : "";
    if (waitingAppeals > 0 && !appealsOverride) {
      return fail(409, `该月还有 ${waitingAppeals} 件申诉等待答复，答复后再签发；确实不能等待的，请填写理由后签发。`, { field: "appeals_override" });
    }
    const doc: NoticeDocument = { header: { ...draft.header, signerName, publishedAt: at }, body: draft.body };
    const sha = await storeNoticeFile(input.dataDir, await noticeDocx(doc));
    await trx
      .updateTable("notices")
      .set({
        status: "published", data_json: serialise(doc), signer_name: signerName, published_at: at, published_by: input.actor.id,
        docx_sha256: sha, close_id: doc.body.kind === "monthly" ? doc.body.closeId : null, updated_at: at, appeals_override: appealsOverride,
      })
      .where("id", "=", row.id)
      .execute();
    await recordAudit(trx, {
      actorId: input.actor.id, actorName: input.actor.username, action: "notice_published", entityType: "notice", entityId: row.id,
      from: "draft", to: "published", ip: input.ip, at,
      detail: {
        kind: row.kind, period: row.period, docNumber: row.doc_number, signer: signerName, docxSha256: sha,
        ...(waitingAppeals > 0 ? { openAppeals: waitingAppeals, appealsOverride } : {}),
      },
    });
    return { ok: true, id: row.id };
  });
}

export interface NoticeFile {
  bytes: Buffer;
  kind: NoticeKind;
  period: string;
  docNumber: string;
  sha256: string;
}

/**
 * The stored Word document of a published notice (null when there is no such published notice).
 * A missing file is rebuilt from the frozen data and kept only if it is the same bytes; a file
 * whose bytes no longer match its name is an error, never served.
 */
export async function publishedNoticeFile(db: DB, id: number, dataDir: string): Promise<NoticeFile | null> {
  const row = await noticeRow(db, id);
  if (!row || row.status !== "published" || !row.docx_sha256) return null;
  const sha = row.docx_sha256;
  let bytes: Buffer | null = await readStoredFile(dataDir, NOTICES, sha);
  if (!bytes) {
    const rebuilt = await noticeDocx(storedDocument(row));
    if (sha256Hex(rebuilt) !== sha) throw new Error(`通报 ${id} 的 Word 文件缺失，且无法按原样重新生成`);
    await storeNoticeFile(dataDir, rebuilt);
    bytes = rebuilt;
  }
  if (sha256Hex(bytes) !== sha) throw new Error(`通报 ${id} 的 Word 文件已损坏（校验值不符）`);
  return { bytes, kind: row.kind, period: row.period, docNumber: row.doc_number, sha256: sha };
}
