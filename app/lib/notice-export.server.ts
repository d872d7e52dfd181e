// Notices as files: the stored Word document as a download, and the year-end summary as an Excel
// workbook (one sheet per unit kind with the twelve months and totals, one of correspondents),
// numbers as numbers, for the annual assessment and the correspondents' performance pay.
import { attachmentDisposition } from "~/domain/download-name";
import ExcelJS from "exceljs";
import { annualCountsRequests, noticeFileNames, NOTICE_LIST_NAMES, type AnnualBody, type NoticeDocument } from "~/domain/notices";
import { monthLabel } from "~/domain/time";
import { offThreadJob } from "~/lib/off-thread.server";
import { addTableSheet } from "~/lib/sheet.server";

export const DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
export const XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

function disposition(names: { chinese: string; ascii: string }): string {
  return attachmentDisposition(names.ascii, names.chinese);
}

export function docxResponse(file: { bytes: Buffer; kind: "monthly" | "annual"; period: string; docNumber: string; sha256: string }) {
  return new Response(new Uint8Array(file.bytes), {
    status: 200,
    headers: {
      "Content-Type": DOCX_TYPE,
      "Content-Disposition": disposition(noticeFileNames(file, "docx")),
      "Content-Length": String(file.bytes.byteLength),
      // A published notice never changes: the same bytes for everyone.
      "Cache-Control": "public, max-age=86400",
      ETag: `"${file.sha256}"`,
    },
  });
}

type Cell = string | number | null;

interface Column<R> {
  header: string;
  width: number;
  value: (r: R) => Cell;
  numFmt?: string;
}

type UnitRow = AnnualBody["tables"][number]["rows"][number];
type PersonRow = AnnualBody["correspondents"][number];

function unitColumns(body: AnnualBody): Array<Column<UnitRow>> {
  const commended = new Set(body.commended.map((e) => e.unitId));
  const criticised = new Set(body.criticised.map((e) => e.unitId));
  const months: Array<Column<UnitRow>> = Array.from({ length: 12 }, (_, i) => [
    { header: `${i + 1}月采用`, width: 8, value: (r: UnitRow) => r.months[i]?.adopted ?? null },
    { header: `${i + 1}月积分`, width: 8, value: (r: UnitRow) => r.months[i]?.points ?? null },
  ]).flat();
  return [
    { header: "名次", width: 6, value: (r) => r.rank },
    { header: "并列", width: 6, value: (r) => (r.tied ? "并列" : "") },
    { header: "单位代码", width: 9, value: (r) => r.code },
    { header: "单位", width: 22, value: (r) => r.name },
    ...months,
    { header: "任务数合计", width: 10, value: (r) => r.quota },
    { header: "报送合计", width: 9, value: (r) => r.submitted },
    { header: "采用合计", width: 9, value: (r) => r.adopted },
    ...(body.channels ?? []).flatMap((c, i): Array<Column<UnitRow>> => [
      { header: `${c.name}报送`, width: 11, value: (r) => r.channels?.[i]?.submitted ?? 0 },
      { header: `${c.name}采用`, width: 11, value: (r) => r.channels?.[i]?.adopted ?? 0 },
    ]),
    { header: "完成率", width: 8, value: (r) => r.completion, numFmt: "0.0%" },
    { header: "迟报合计", width: 9, value: (r) => r.late },
    // 约稿 over the year (their points are already in the months' points).
    ...(annualCountsRequests(body)
      ? ([
          { header: "约稿按时完成", width: 11, value: (r) => r.requests?.fulfilled ?? 0 },
          { header: "约稿逾期", width: 9, value: (r) => r.requests?.late ?? 0 },
          { header: "约稿未报送", width: 10, value: (r) => r.requests?.missed ?? 0 },
          { header: "约稿婉拒", width: 9, value: (r) => r.requests?.declined ?? 0 },
        ] satisfies Array<Column<UnitRow>>)
      : []),
    { header: "积分合计", width: 9, value: (r) => r.points },
    { header: "达标月数", width: 9, value: (r) => r.met },
    { header: "未达标月数", width: 10, value: (r) => r.short },
    { header: "不报月数", width: 9, value: (r) => r.none },
    {
      header: "年度通报",
      width: 12,
      value: (r) =>
        [commended.has(r.unitId) ? NOTICE_LIST_NAMES.commended : "", criticised.has(r.unitId) ? NOTICE_LIST_NAMES.criticised : ""]
          .filter(Boolean)
          .join("、"),
    },
  ];
}

function personColumns(body: AnnualBody): Array<Column<PersonRow>> {
  const outstanding = new Set(body.outstanding.map((p) => p.accountId));
  return [
    { header: "名次", width: 6, value: (r) => r.rank },
    { header: "并列", width: 6, value: (r) => (r.tied ? "并列" : "") },
    { header: "姓名", width: 10, value: (r) => r.displayName },
    { header: "单位", width: 22, value: (r) => r.unitName },
    ...Array.from({ length: 12 }, (_, i): Column<PersonRow> => ({ header: `${i + 1}月积分`, width: 8, value: (r) => r.months[i] })),
    { header: "署名的采用稿件", width: 12, value: (r) => r.adopted ?? "" },
    { header: "采用稿件（按署名分摊）", width: 12, value: (r) => r.items },
    { header: "积分合计（按署名分摊）", width: 12, value: (r) => r.points },
    { header: "优秀信息员", width: 10, value: (r) => (outstanding.has(r.accountId) ? "是" : "") },
    { header: "账号状态", width: 9, value: (r) => (r.active ? "在用" : "已停用") },
  ];
}

/**
 * Published summaries' workbooks by document: the frozen document everyone but a reviewer is given
 * is shared until the next write (models/notices.server.ts), so anyone may download it again and
 * again and it is built once (tens of ms of CPU each, against a few for a page).
 */
const publishedWorkbooks = new WeakMap<NoticeDocument, Promise<Uint8Array<ArrayBuffer>>>();

/** summaryWorkbook on the process's job thread (lib/off-thread.server.ts): a province's takes seconds. */
const summaryWorkbookOffThread = offThreadJob("summary-xlsx", ({ doc, published }: { doc: NoticeDocument; published: boolean }) => summaryWorkbook(doc, published));

/** summaryWorkbook built off the main thread, and once per shared (frozen) published document. */
export function summaryWorkbookOf(doc: NoticeDocument, published: boolean): Promise<Uint8Array<ArrayBuffer>> {
  if (!published || !Object.isFrozen(doc)) return summaryWorkbookOffThread({ doc, published });
  let built = publishedWorkbooks.get(doc);
  if (!built) {
    built = summaryWorkbookOffThread({ doc, published });
    publishedWorkbooks.set(doc, built);
    built.catch(() => publishedWorkbooks.delete(doc));
  }
  return built;
}

/** The year-end summary's workbook; a draft or preview is marked as such in every sheet's header. */
export async function summaryWorkbook(doc: NoticeDocument, published: boolean): Promise<Buffer> {
  const body = doc.body as AnnualBody;
  const workbook = new ExcelJS.Workbook();
  const state = published ? `${doc.header.docNumber}` : "（草稿，未签发）";
  const title = `${body.period}年度信息报送情况汇总${published ? "" : "（草稿）"}`;
  workbook.creator = doc.header.issuer;
  workbook.title = title;
  workbook.subject = state;
  workbook.created = doc.header.publishedAt ? new Date(doc.header.publishedAt) : new Date();
  const range = body.months.length ? `${monthLabel(body.months[0])}至${monthLabel(body.months.at(-1)!)}` : "";
  const sheet = <R,>(name: string, cols: Array<Column<R>>, rows: R[]) => {
    const ws = addTableSheet(workbook, name, cols, {
      views: [{ state: "frozen", ySplit: 1, xSplit: 4 }],
      headerFooter: { oddHeader: `&C${title} ${state}`, oddFooter: `&L统计范围：${range}&C第 &P 页，共 &N 页` },
      pageSetup: { orientation: "landscape", paperSize: 9, fitToPage: true, fitToWidth: 1, fitToHeight: 0, printTitlesRow: "1:1" },
    });
    for (const r of rows) ws.addRow(cols.map((c) => c.value(r)));
    return ws;
  };
  for (const t of body.tables) sheet(t.kindName, unitColumns(body), t.rows);
  sheet("信息员", personColumns(body), body.correspondents);
  const channels = body.channels ?? [];
  if (channels.length > 0 && body.channelMonths?.length) {
    type MonthRow = { label: string; counts: Array<{ submitted: number; adopted: number }> };
    const rows: MonthRow[] = body.channelMonths.map((m) => ({ label: monthLabel(m.month), counts: m.counts }));
    rows.push({
      label: "全年合计",
      counts: channels.map((_c, i) => ({
        submitted: body.channelMonths!.reduce((a, m) => a + (m.counts[i]?.submitted ?? 0), 0),
        adopted: body.channelMonths!.reduce((a, m) => a + (m.counts[i]?.adopted ?? 0), 0),
      })),
    });
    const cols: Array<Column<MonthRow>> = [
      { header: "月份", width: 14, value: (r) => r.label },
      ...channels.flatMap((c, i): Array<Column<MonthRow>> => [
        { header: `${c.name}报送`, width: 12, value: (r) => r.counts[i]?.submitted ?? 0 },
        { header: `${c.name}采用`, width: 12, value: (r) => r.counts[i]?.adopted ?? 0 },
      ]),
    ];
    sheet("分频道统计", cols, rows);
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

export function xlsxResponse(bytes: Uint8Array<ArrayBuffer>, doc: NoticeDocument, published: boolean) {
  const names = noticeFileNames({ kind: "annual", period: doc.body.period, docNumber: published ? doc.header.docNumber : "草稿" }, "xlsx");
  return workbookResponse(bytes, names, published ? "public, max-age=3600" : "private, no-store");
}

/** A notice's workbook as a download under `names`, kept by browsers and proxies as `cacheControl` says. */
export function workbookResponse(bytes: Uint8Array<ArrayBuffer>, names: { chinese: string; ascii: string }, cacheControl: string) {
  return new Response(bytes, {
    status: 200,
    headers: {
      "Content-Type": XLSX_TYPE,
      "Content-Disposition": disposition(names),
      "Content-Length": String(bytes.byteLength),
      "Cache-Control": cacheControl,
    },
  });
}
