// Writing CSV that stays inert when opened in Excel, WPS or LibreOffice (OWASP "CSV Injection"):
// a text cell that begins with = + - @ tab or carriage return would be read as a formula
// (=HYPERLINK(...) in a unit name becomes a live link), so it is prefixed with a single quote,
// which spreadsheets show as text. Numbers are written as numbers, so -3 points stays -3.

export type CsvCell = string | number | null | undefined;

const FORMULA_START = /^[=+\-@\t\r]/;

/** A text cell as it may safely appear in a CSV (before quoting). */
export function neutraliseCsvText(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/** One field of RFC 4180: text neutralised, then quoted when it holds a comma, quote or line break. */
export function csvField(value: CsvCell): string {
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "";
  const text = neutraliseCsvText(value ?? "");
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Rows to a CSV file: CRLF line ends, UTF-8 BOM first so Excel reads the Chinese. */
export function csvDocument(rows: readonly (readonly CsvCell[])[]): string {
  return `\uFEFF${rows.map((row) => row.map(csvField).join(",")).join("\r\n")}\r\n`;
}
