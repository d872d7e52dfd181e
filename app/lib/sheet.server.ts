// A table on an Excel sheet, the way every export of the portal lays it out.
import type ExcelJS from "exceljs";

export interface SheetColumn {
  header: string;
  width: number;
  numFmt?: string;
}

/**
 * A worksheet whose first row holds the columns' headers: bold, centred, wrapped and shaded, with a
 * thin line below. The name is made valid for Excel (at most 31 characters, none of : \ / ? * [ ]).
 */
export function addTableSheet(
  workbook: ExcelJS.Workbook,
  name: string,
  columns: readonly SheetColumn[],
  options: Partial<ExcelJS.AddWorksheetOptions>,
): ExcelJS.Worksheet {
  const ws = workbook.addWorksheet(name.replace(/[:\\/?*[\]]/g, " ").slice(0, 31), options);
  ws.columns = columns.map((c) => ({ header: c.header, width: c.width, style: c.numFmt ? { numFmt: c.numFmt } : {} }));
  const header = ws.getRow(1);
  header.font = { bold: true };
  header.alignment = { vertical: "middle", horizontal: "center", wrapText: true };
  header.eachCell((cell) => {
    cell.fill = { type: "pattern", pattern: "solid", fgColor: { argb: "FFF0F2F5" } };
    cell.border = { bottom: { style: "thin", color: { argb: "FF999999" } } };
  });
  return ws;
}
