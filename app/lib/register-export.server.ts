// The register as an Excel workbook: one sheet with a row per person (and per missing role and
// per person who left, as the page shows them), and a sheet of the incomplete units: what each
// lacked at the deadline once it has passed, and what it lacks today.
import { attachmentDisposition } from "~/domain/download-name";
import ExcelJS from "exceljs";
import { incompleteTable, REGISTER_COLUMNS, registerRows } from "~/domain/register";
import type { RegisterView } from "~/domain/register";
import { offThreadJob } from "~/lib/off-thread.server";

const WIDTHS = [10, 24, 12, 10, 10, 12, 14, 12, 18];

export function registerTitle(view: RegisterView, unitName?: string): string {
  return `${view.year}年信息员登记表${unitName ? `（${unitName}）` : ""}`;
}

export async function registerWorkbook(view: RegisterView, unitName?: string): Promise<Buffer> {
  const title = registerTitle(view, unitName);
  const workbook = new ExcelJS.Workbook();
  workbook.creator = "教育信息报送平台";
  workbook.title = title;
  workbook.subject = `登记截止 ${view.deadlineLabel}；导出于 ${view.today}`;
  workbook.created = new Date();

  const sheet = (name: string, headers: readonly string[], widths: readonly number[], rows: string[][]) => {
    const ws = workbook.addWorksheet(name, {
      views: [{ state: "frozen", ySplit: 1 }],
      headerFooter: { oddHeader: `&C${title}（登记截止 ${view.deadlineLabel}）`, oddFooter: "&C第 &P 页，共 &N 页" },
      pageSetup: { paperSize: 9, orientation: "landscape", fitToPage: true, fitToWidth: 1, fitToHeight: 0, printTitlesRow: "1:1" },
    });
    ws.columns = headers.map((header, i) => ({ header, width: widths[i] ?? 12 }));
    const head = ws.getRow(1);
    head.font = { bold: true };
    head.alignment = { vertical: "middle", horizontal: "center" };
    head.eachCell((cell) => {
      cell.fill = { type: "pattern", pattern: "solid", fgColor: { argb: "FFF0F2F5" } };
      cell.border = { bottom: { style: "thin", color: { argb: "FF999999" } } };
    });
    // Phone numbers and dates stay text: Excel would turn 13800000000 into 1.38E+10.
    for (const row of rows) ws.addRow(row).eachCell((cell) => (cell.numFmt = "@"));
    ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: headers.length } };
    return ws;
  };

  const units = view.kinds.flatMap((k) => k.units);
  sheet("登记表", REGISTER_COLUMNS, WIDTHS, registerRows(units));
  const passed = view.deadlinePassed;
  sheet(
    "登记不全的单位",
    ["单位代码", "单位名称", "类别", ...(passed ? [`截止日（${view.deadline}）缺少`, `目前缺少（截至 ${view.today}）`] : [`缺少（截至 ${view.today}）`])],
    [10, 24, 12, 24, 24],
    incompleteTable(units, passed).map((u) => [u.code, u.name, u.kindName, ...(u.atDeadline ? [u.atDeadline.text] : []), u.today.text]),
  );
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** registerWorkbook on the process's job thread (lib/off-thread.server.ts). */
export const registerWorkbookOffThread = offThreadJob("register-xlsx", ({ view, unitName }: { view: RegisterView; unitName?: string }) =>
  registerWorkbook(view, unitName),
);

/** Content-Disposition with the Chinese name (RFC 5987) and an ASCII fallback. */
export function registerDisposition(view: RegisterView, unit?: { code: string; name: string }): string {
  const chinese = `信息员登记表-${view.year}年${unit ? `-${unit.name}` : ""}.xlsx`;
  const ascii = `register-${view.year}${unit ? `-${unit.code}` : ""}.xlsx`;
  return attachmentDisposition(ascii, chinese);
}
