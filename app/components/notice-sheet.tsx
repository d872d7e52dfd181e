// A notice as its page shows it, monthly or year-end: the status line, the downloads, the
// reviewer's jump links and problem, the school's own standing, the document and, for reviewers,
// the editor and the log of adjustments. The pages add their breadcrumb and downloads.
import type { ReactNode } from "react";
import { Kept, type KeepMarkup } from "~/components/kept-markup";
import { AdjustmentLog, BulletinEditor, type AdjustmentLogEntry, type EditorFailure, type OpenAppealEntry } from "~/components/notice-editor";
import { BulletinDocument, OwnStanding } from "~/components/notice-document";
import { NOTICE_STATUS_NAMES, type NoticeDocument, type NoticeStatus } from "~/domain/notices";
import { formatShanghai } from "~/domain/time";

/**
 * A notice's document in a `<div>`, its markup (with `keep`, on the server) kept by everything it
 * shows: the document and the unit it marks.
 */
export function KeptBulletinDocument({ doc, ownUnitId, annexTotals = null, keep, className }: {
  doc: NoticeDocument; ownUnitId: number | null; annexTotals?: readonly number[] | null; keep: KeepMarkup | undefined; className?: string;
}) {
  return (
    <Kept as="div" className={className} keep={keep} cacheKey={() => JSON.stringify(["bulletin", doc, ownUnitId, annexTotals])}>
      <BulletinDocument doc={doc} ownUnitId={ownUnitId} annexTotals={annexTotals} />
    </Kept>
  );
}

export interface NoticeSheetData {
  id: number;
  status: NoticeStatus;
  doc: NoticeDocument;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  problem: string | null;
  suggestedDocNumber: string | null;
  adjustments: AdjustmentLogEntry[];
  /** A monthly draft's appeals still waiting for an answer (reviewers only). */
  openAppeals?: OpenAppealEntry[];
  /** Each unit table's rows in all, when `doc` carries only the first rows of a province's tables (noticeShown). */
  annexTotals?: number[] | null;
}

export function NoticeSheet({ notice, downloads, manage, own, signerName, failure, busy, documentMarkup }: {
  notice: NoticeSheetData;
  /** The page's download buttons (Word only once published). */
  downloads: ReactNode;
  manage: boolean;
  own: { unitId: number; unitName: string } | null;
  signerName: string;
  failure: EditorFailure | null;
  busy: boolean;
  /**
   * On the server: the document's markup kept by everything it shows (a published notice reads
   * alike for everyone but the unit it marks). The browser renders the same document itself.
   */
  documentMarkup?: KeepMarkup;
}) {
  const { doc } = notice;
  const draft = notice.status === "draft";
  return (
    <>
      <div className="bulletin-head">
        <p className="bulletin-head__meta">
          <span className={`badge ${draft ? "badge--warn" : "badge--ok"}`}>{NOTICE_STATUS_NAMES[notice.status]}</span>
          {draft ? (
            <span>
              {notice.createdBy} 起草于 {formatShanghai(notice.createdAt)}，最后修改 {formatShanghai(notice.updatedAt)}
            </span>
          ) : (
            <span>
              {doc.header.docNumber} · 签发人：{doc.header.signerName} · 签发时间：
              <time dateTime={doc.header.publishedAt!}>{formatShanghai(doc.header.publishedAt!)}</time>
            </span>
          )}
        </p>
        {downloads}
      </div>
      {draft && manage ? (
        <nav className="bulletin-jump" aria-label="草稿操作">
          <a href="#edit-title">编辑文字和文号</a>
          <a href="#lists-title">调整表扬和批评名单</a>
          <a href="#publish-title">签发</a>
        </nav>
      ) : null}
      {draft && notice.problem ? (
        <p className="card card--alert" role="status">
          {notice.problem}
        </p>
      ) : null}
      {own ? <OwnStanding body={doc.body} unitId={own.unitId} unitName={own.unitName} /> : null}
      <div className={manage ? "bulletin-layout" : undefined}>
        <KeptBulletinDocument className="bulletin-main" doc={doc} ownUnitId={own?.unitId ?? null} annexTotals={notice.annexTotals} keep={documentMarkup} />
        {manage ? (
          <aside className="bulletin-aside" aria-label="审核员操作">
            {draft ? (
              <BulletinEditor
                key={notice.updatedAt}
                doc={doc} problem={notice.problem} suggestedDocNumber={notice.suggestedDocNumber} signerName={signerName}
                failure={failure} busy={busy} openAppeals={notice.openAppeals ?? []} confirmHref={`/notices/${notice.id}/publish`}
                typedUnits={!!notice.annexTotals}
              />
            ) : null}
            <AdjustmentLog entries={notice.adjustments} />
          </aside>
        ) : null}
      </div>
    </>
  );
}
