// A notice's lists as an Excel workbook for the reviewers to check before 签发: one sheet per list
// (notice-list-sheet.ts), every entry, a draft marked as such in each sheet's header. Built on the
// process's job thread: a province's lists run to tens of thousands of rows.
import ExcelJS from "exceljs";
import { noticeListFileNames, noticeListSheets, NOTICE_LIST_COLUMNS, periodName, type NoticeDocument } from "~/domain/notices";
import { offThreadJob } from "~/lib/off-thread.server";
import { addTableSheet } from "~/lib/sheet.server";
import { workbookResponse } from "~/lib/notice-export.server";

/** The workbook of `doc`'s lists; `published` says whether it is the signed notice's or the draft's as it stands. */
export async function noticeListsWorkbook({ doc, published }: { doc: NoticeDocument; published: boolean }): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const state = published ? doc.header.docNumber : "草稿，未签发，名单以签发时为准";
  const title = `${periodName(doc.body.kind, doc.body.period)}信息报送情况通报名单`;
  workbook.creator = doc.header.issuer;
  workbook.title = title;
  workbook.subject = state;
  workbook.created = doc.header.publishedAt ? new Date(doc.header.publishedAt) : new Date();
  for (const list of noticeListSheets(doc.body)) {
    const ws = addTableSheet(workbook, list.name, NOTICE_LIST_COLUMNS, {
      views: [{ state: "frozen", ySplit: 1 }],
      headerFooter: { oddHeader: `&C${title}（${list.name}）${state ? ` ${state}` : ""}`, oddFooter: "&C第 &P 页，共 &N 页" },
      pageSetup: { orientation: "landscape", paperSize: 9, fitToPage: true, fitToWidth: 1, fitToHeight: 0, printTitlesRow: "1:1" },
    });
    for (const row of list.rows) ws.addRow(NOTICE_LIST_COLUMNS.map((c) => row[c.key]));
    if (list.rows.length === 0) ws.addRow([null, null, "（无）"]);
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

export const noticeListsWorkbookOffThread = offThreadJob("notice-lists-xlsx", noticeListsWorkbook);

export function noticeListsResponse(bytes: Uint8Array<ArrayBuffer>, doc: NoticeDocument, published: boolean) {
  const names = noticeListFileNames({ kind: doc.body.kind, period: doc.body.period, docNumber: doc.header.docNumber, published });
  // The lists carry the reviewers' passed-over units: for the account that asked, never kept.
  return workbookResponse(bytes, names, "private, no-store");
}
