// The league tables as files: an Excel workbook (one sheet per unit kind and one of correspondents)
// and a CSV of every unit, both with the same columns and numbers as the page.
import { attachmentDisposition } from "~/domain/download-name";
import ExcelJS from "exceljs";
import { csvField, type CsvCell } from "~/domain/csv";
import { QUOTA_STATUS_NAMES } from "~/domain/points";
import { movementText } from "~/domain/ranking";
import { parsePeriod, periodLabel, type RankingsView, type UnitRankingRow } from "~/domain/rankings-view";
import { formatShanghai, monthLabel } from "~/domain/time";
import { exportCache } from "~/lib/export-cache.server";
import { offThreadJob } from "~/lib/off-thread.server";
import { addTableSheet, type SheetColumn } from "~/lib/sheet.server";

type Cell = string | number;

interface Column {
  header: string;
  width: number;
  value: (r: UnitRankingRow) => Cell;
  numFmt?: string;
}

/** The 名次 and 并列 columns every table of a league starts with. */
function rankColumns<R extends { rank: number; tied: boolean }>(): Array<{ header: string; width: number; value: (r: R) => Cell }> {
  return [
    { header: "名次", width: 7, value: (r) => r.rank },
    { header: "并列", width: 6, value: (r) => (r.tied ? "并列" : "") },
  ];
}

/** The unit columns of a period's tables, in page order plus the tie-break pickups. */
export function unitColumns(scope: RankingsView["scope"], channels: RankingsView["channels"] = []): Column[] {
  const status: Column[] =
    scope === "month"
      ? [{ header: "状态", width: 8, value: (r) => (r.status ? QUOTA_STATUS_NAMES[r.status] : "") }]
      : [
          { header: "达标月数", width: 10, value: (r) => r.months?.met ?? 0 },
          { header: "未达标月数", width: 11, value: (r) => r.months?.short ?? 0 },
          { header: "不报月数", width: 10, value: (r) => r.months?.none ?? 0 },
        ];
  return [
    ...rankColumns<UnitRankingRow>(),
    { header: "单位代码", width: 10, value: (r) => r.code },
    { header: "单位", width: 24, value: (r) => r.name },
    { header: "任务数", width: 8, value: (r) => r.quota },
    { header: "报送", width: 7, value: (r) => r.submitted },
    { header: "采用", width: 7, value: (r) => r.adopted },
    { header: "完成率", width: 9, value: (r) => r.completion, numFmt: "0.0%" },
    { header: "迟报", width: 7, value: (r) => r.late },
    ...status,
    { header: "积分", width: 8, value: (r) => r.points },
    { header: "国家级上稿", width: 11, value: (r) => r.national },
    { header: "省级上稿", width: 10, value: (r) => r.province },
    { header: "市级上稿", width: 10, value: (r) => r.city },
    { header: "变化", width: 7, value: (r) => movementText(r.movement) },
    // 报送 and 采用 per channel (the seed's 月统计、年汇总 by channel); they add up to 报送 and 采用.
    ...channels.flatMap((c, i): Column[] => [
      { header: `${c.name}报送`, width: 12, value: (r) => r.channels?.[i]?.submitted ?? 0 },
      { header: `${c.name}采用`, width: 12, value: (r) => r.channels?.[i]?.adopted ?? 0 },
    ]),
  ];
}

const CORRESPONDENT_COLUMNS: Array<{ header: string; width: number; value: (r: RankingsView["correspondents"][number]) => Cell; numFmt?: string }> = [
  ...rankColumns<RankingsView["correspondents"][number]>(),
  { header: "姓名", width: 12, value: (r) => r.displayName },
  { header: "单位", width: 24, value: (r) => r.unitName },
  { header: "采用稿件（按署名分摊）", width: 22, value: (r) => r.items },
  { header: "积分（按署名分摊）", width: 18, value: (r) => r.points },
  { header: "账号状态", width: 10, value: (r) => (r.active ? "在用" : "已停用") },
];

/** "（暂定，该月尚未结算）" / "（暂定，含未结算月份）" or "" */
function provisionalNote(view: RankingsView): string {
  if (!view.provisional) return "";
  return view.scope === "month" ? "（暂定，该月尚未结算）" : `（暂定，${view.openMonths.map(monthLabel).join("、")}尚未结算）`;
}

function titleOf(view: RankingsView): string {
  const p = parsePeriod(view.period)!;
  return `排行榜 ${periodLabel(p)}${provisionalNote(view)}`;
}

export async function rankingsWorkbook(view: RankingsView): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = "教育信息报送平台";
  workbook.title = titleOf(view);
  workbook.subject = view.closedAt ? `已于 ${formatShanghai(view.closedAt)} 结算` : view.provisional ? "暂定" : "";
  workbook.created = new Date();
  const columns = unitColumns(view.scope, view.channels);
  const sheet = (name: string, cols: readonly SheetColumn[], rows: Cell[][]) => {
    const ws = addTableSheet(workbook, name, cols, {
      views: [{ state: "frozen", ySplit: 1 }],
      headerFooter: { oddHeader: `&C${titleOf(view)}`, oddFooter: "&C第 &P 页，共 &N 页" },
      pageSetup: { orientation: "landscape", fitToPage: true, fitToWidth: 1, fitToHeight: 0, printTitlesRow: "1:1" },
    });
    for (const row of rows) ws.addRow(row);
    return ws;
  };
  for (const kind of view.kinds) {
    sheet(kind.name, columns, kind.rows.map((r) => columns.map((c) => c.value(r))));
  }
  sheet("信息员", CORRESPONDENT_COLUMNS, view.correspondents.map((r) => CORRESPONDENT_COLUMNS.map((c) => c.value(r))));
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** rankingsWorkbook on the process's job thread (lib/off-thread.server.ts): a province's takes seconds. */
const rankingsWorkbookOffThread = offThreadJob("rankings-xlsx", rankingsWorkbook);

/** Every unit of every kind, one header row, a 类别 column; UTF-8 with a BOM so Excel reads the Chinese. */
export function rankingsCsv(view: RankingsView): string {
  return [...rankingsCsvChunks(view)].join("");
}

/**
 * The same CSV as UTF-8 bytes, written 1,000 lines at a time with other requests served in between:
 * a province's 20,000 rows do not hold the main thread for the whole file.
 */
export async function rankingsCsvBytes(view: RankingsView): Promise<Uint8Array> {
  const encoder = new TextEncoder();
  const parts: Uint8Array[] = [];
  for (const chunk of rankingsCsvChunks(view)) {
    if (parts.length > 0) await new Promise((resolve) => setImmediate(resolve));
    parts.push(encoder.encode(chunk));
  }
  return Buffer.concat(parts);
}

/**
 * The files of each shared league view (rankings.server's sharedRankings: one object until the
 * next write that changes the tables), built once per view and format and then read. Neither file
 * depends on who downloads it: everyone allowed to see the league gets every unit and every
 * correspondent, with no row marked as their own and no column left out by role (the page marks the
 * viewer's own rows and lists only the leading correspondents; the files list everyone), so one file
 * serves every viewer. A file that came to differ by viewer would need the viewer in the key.
 */
const keptFiles = exportCache();

/**
 * The league's workbook or CSV for any viewer. The workbook's creation time is when it was built:
 * a kept file is built again after any write that changes its tables, so nothing in it changed
 * since that time.
 */
export function rankingsFile(view: RankingsView, format: "xlsx" | "csv"): Promise<Uint8Array<ArrayBuffer>> {
  return keptFiles.get(view, `${view.period}|${format}|every-viewer`, async () =>
    format === "xlsx" ? rankingsWorkbookOffThread(view) : new Uint8Array(await rankingsCsvBytes(view)),
  );
}

/** How many league files were built so far in this process (for tests). */
export function rankingsFilesBuilt(): number {
  return keptFiles.builds();
}

function* rankingsCsvChunks(view: RankingsView): Generator<string> {
  const columns = unitColumns(view.scope, view.channels).map((c) =>
    // A CSV has no number formats: completion is written as a percentage number.
    c.header === "完成率" ? { ...c, header: "完成率(%)", value: (r: UnitRankingRow) => Math.round(r.completion * 10000) / 100 } : c,
  );
  // Cells keep their type: names and other text are neutralised, numbers (even -3) stay numbers.
  const line = (fields: CsvCell[]) => `${fields.map(csvField).join(",")}\r\n`;
  yield `\uFEFF${line(["类别", ...columns.map((c) => c.header)])}`;
  let chunk = "";
  let count = 0;
  for (const kind of view.kinds) {
    for (const r of kind.rows) {
      chunk += line([kind.name, ...columns.map((c) => c.value(r))]);
      if (++count % 1000 === 0) {
        yield chunk;
        chunk = "";
      }
    }
  }
  if (chunk) yield chunk;
}

/** Content-Disposition with the Chinese name (RFC 5987) and an ASCII fallback. */
export function exportDisposition(view: RankingsView, ext: "xlsx" | "csv"): string {
  const p = parsePeriod(view.period)!;
  const label = p.scope === "month" ? monthLabel(p.month) : `${p.year}年度累计`;
  const chinese = `排行榜-${label}${view.provisional ? "（暂定）" : ""}.${ext}`;
  const ascii = `rankings-${view.period}${view.provisional ? "-provisional" : ""}.${ext}`;
  return attachmentDisposition(ascii, chinese);
}
