// Bulk import of units and accounts from an .xlsx or a UTF-8 .csv file. All or nothing: every
// row is checked first; one bad row and nothing is written, and the admin gets the full list.
import { parse as parseCsv } from "csv-parse/sync";
import ExcelJS from "exceljs";
import type { Kysely } from "kysely";
import type { Database } from "../../db/schema";
import {
  ACCOUNT_COLUMNS,
  MAX_IMPORT_ROWS,
  readRecords,
  UNIT_COLUMNS,
  validateAccountRows,
  validateUnitRows,
  type AccountRow,
  type ColumnSpec,
  type RowProblem,
  type SheetRow,
  type UnitRef,
  type UnitRow,
} from "~/domain/directory";
import { shanghaiDate } from "~/domain/time";
import { recordAudit, type AuditActor } from "~/models/audit.server";
import { hashPasswords } from "~/models/password.server";
import { listUnitKinds } from "~/models/units.server";
import { zipUnpackedSize } from "~/models/zip-size.server";

type DB = Kysely<Database>;

export const IMPORT_KINDS = [
  { code: "units", name: "单位", columns: UNIT_COLUMNS },
  { code: "accounts", name: "账号", columns: ACCOUNT_COLUMNS },
] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number]["code"];

/** At most this many problems go back to the page; the count says how many there were. */
const MAX_REPORTED_PROBLEMS = 500;

export type SheetResult = { ok: true; rows: SheetRow[] } | { ok: false; message: string };

const NOT_A_SPREADSHEET =
  "无法识别的文件：既不是 Excel（.xlsx）文件，也不是 UTF-8 编码的 CSV 文件。CSV 文件请在 Excel 中“另存为”“CSV UTF-8（逗号分隔）”。";

function startsWith(bytes: Uint8Array, magic: readonly number[]): boolean {
  return magic.every((b, i) => bytes[i] === b);
}

/** Reads the first sheet of an .xlsx, or a CSV, into rows of text. The kind is decided from the bytes. */
export async function readSpreadsheet(bytes: Uint8Array): Promise<SheetResult> {
  if (bytes.length === 0) return { ok: false, message: "上传的文件是空的" };
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04])) return readXlsx(bytes);
  if (startsWith(bytes, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) {
    return { ok: false, message: "不支持旧版 Excel（.xls）文件，请在 Excel 中另存为 .xlsx 或 CSV UTF-8 后再导入" };
  }
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return { ok: false, message: NOT_A_SPREADSHEET };
  }
  text = text.replace(/^\uFEFF/, "");
  // Valid UTF-8 can still be binary; text files do not carry NUL or most control characters.
  if (/[\u0000-\u0008\u000e-\u001f]/.test(text)) return { ok: false, message: NOT_A_SPREADSHEET };
  return readCsv(text);
}

/** What an .xlsx may unpack to: a 5,000-row list is a few MB; the library needs about ten times this while it reads. */
export const MAX_XLSX_UNPACKED = 20 * 1024 * 1024;
const UNREADABLE_XLSX = "无法读取该 Excel 文件：文件可能已损坏，或不是 .xlsx 格式";

async function readXlsx(bytes: Uint8Array): Promise<SheetResult> {
  // Counted by unpacking, before the library unpacks and parses it all in memory.
  const size = await zipUnpackedSize(bytes, MAX_XLSX_UNPACKED);
  if (!size.ok && size.reason === "too_big") {
    return {
      ok: false,
      message: `该 Excel 文件解压后超过 ${MAX_XLSX_UNPACKED / 1024 / 1024} MB，不像一份单位或账号名单：请删去多余的工作表、图片和空行，或另存为 CSV UTF-8 后再导入`,
    };
  }
  if (!size.ok) return { ok: false, message: UNREADABLE_XLSX };
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) as unknown as ExcelJS.Buffer);
  } catch {
    return { ok: false, message: UNREADABLE_XLSX };
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) return { ok: false, message: "Excel 文件中没有工作表" };
  // The header plus the cap; a few blank rows more are fine, an oversized sheet is not read.
  if (sheet.actualRowCount > MAX_IMPORT_ROWS + 1) return tooManyRows(sheet.actualRowCount - 1);
  const rows: SheetRow[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const cells: string[] = [];
    for (let c = 1; c <= row.cellCount; c++) cells.push(cellText(row.getCell(c)));
    rows.push({ row: rowNumber, cells });
  });
  return { ok: true, rows };
}

function cellText(cell: ExcelJS.Cell): string {
  try {
    return cell.text ?? "";
  } catch {
    return String(cell.value ?? "");
  }
}

function readCsv(text: string): SheetResult {
  let records: string[][];
  try {
    records = parseCsv(text, { relax_column_count: true, skip_empty_lines: false, bom: true }) as string[][];
  } catch (error) {
    const line = (error as { lines?: number }).lines;
    return { ok: false, message: `CSV 文件格式有误${line ? `（约第 ${line} 行）` : ""}：请检查引号是否成对，或用 Excel 重新另存为 CSV UTF-8` };
  }
  if (records.length > MAX_IMPORT_ROWS + 1) {
    const data = records.filter((r) => r.some((c) => c.trim() !== "")).length - 1;
    if (data > MAX_IMPORT_ROWS) return tooManyRows(data);
  }
  // Row numbers are record numbers, which is what Excel shows when it opens the file.
  return { ok: true, rows: records.map((cells, i) => ({ row: i + 1, cells })) };
}

function tooManyRows(n: number): SheetResult {
  return { ok: false, message: `一次最多导入 ${MAX_IMPORT_ROWS} 行，此文件约有 ${n} 行，请分批导入` };
}

export type ImportResult =
  | { ok: true; kind: ImportKind; count: number }
  | { ok: false; message: string; problems: RowProblem[]; totalProblems: number };

function refused(problems: RowProblem[], message = "文件中有错误，未导入任何数据。请按下表修改后重新上传。"): ImportResult {
  return { ok: false, message, problems: problems.slice(0, MAX_REPORTED_PROBLEMS), totalProblems: problems.length };
}

async function unitContext(db: DB) {
  const [kinds, codes] = await Promise.all([listUnitKinds(db), db.selectFrom("units").select("code").execute()]);
  return { kinds, existingCodes: new Set(codes.map((c) => c.code.toUpperCase())) };
}

async function accountContext(db: DB) {
  const [usernames, units] = await Promise.all([
    db.selectFrom("accounts").select("username").execute(),
    db.selectFrom("units").select(["id", "code", "active"]).execute(),
  ]);
  return {
    existingUsernames: new Set(usernames.map((u) => u.username.toLowerCase())),
    units: new Map<string, UnitRef>(units.map((u) => [u.code.toUpperCase(), { id: u.id, active: u.active === 1 }])),
  };
}

/** Rows are inserted in batches well under SQLite's bound-variable limit. */
const BATCH = 100;

function batches<T>(list: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += BATCH) out.push(list.slice(i, i + BATCH));
  return out;
}

/** The import's one audit row (how many rows of `kind`, and how they divide), and its answer. */
async function imported(
  trx: DB,
  input: { kind: ImportKind; count: number; by: Record<string, Record<string, number>>; filename: string; actor: AuditActor; at: string },
): Promise<ImportResult> {
  const { kind, count, by, filename, actor, at } = input;
  await recordAudit(trx, {
    actorId: actor.id, actorName: actor.username, action: "import", entityType: kind, ip: actor.ip, at,
    detail: { kind, filename, [kind]: count, ...by },
  });
  return { ok: true, kind, count };
}

/** How many of `list` have each value of `key`, for the import's audit row. */
function countBy<T>(list: readonly T[], key: (item: T) => string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of list) counts[key(item)] = (counts[key(item)] ?? 0) + 1;
  return counts;
}

/**
 * Checks every row of the file and, only when all are good, writes them in one transaction with
 * one audit row. The database checks run again inside that transaction, so a unit or username
 * created meanwhile cannot slip in twice.
 */
export async function importDirectory(
  db: DB,
  input: { kind: ImportKind; bytes: Uint8Array; filename: string },
  actor: AuditActor,
  options: ImportOptions = {},
): Promise<ImportResult> {
  const sheet = await readSpreadsheet(input.bytes);
  if (!sheet.ok) return refused([], sheet.message);
  if (input.kind === "units") return importUnits(db, sheet.rows, input.filename, actor);
  return importAccounts(db, sheet.rows, input.filename, actor, options);
}

/** How an account import hashes its passwords (hashPasswords' options; the defaults in production). */
export interface ImportOptions {
  hashing?: Parameters<typeof hashPasswords>[1];
}

async function importUnits(db: DB, rows: SheetRow[], filename: string, actor: AuditActor): Promise<ImportResult> {
  const read = readRecords(rows, UNIT_COLUMNS, MAX_IMPORT_ROWS, { name: "账号", columns: ACCOUNT_COLUMNS });
  if (!read.ok) return refused(read.problems);
  const first = validateUnitRows(read.records, await unitContext(db));
  if (first.problems.length > 0) return refused(first.problems);

  return db.transaction().execute(async (trx): Promise<ImportResult> => {
    const checked = validateUnitRows(read.records, await unitContext(trx));
    if (checked.problems.length > 0) return refused(checked.problems);
    const now = new Date().toISOString();
    for (const batch of batches<UnitRow>(checked.units)) {
      await trx
        .insertInto("units")
        .values(batch.map((u) => ({
          code: u.code, name: u.name, township: u.township, kind_code: u.kind, signoff_required: 1 as const,
          active: 1 as const, created_at: now, updated_at: now,
        })))
        .execute();
    }
    const byKind = countBy(checked.units, (u) => u.kind);
    return imported(trx, { kind: "units", count: checked.units.length, by: { byKind }, filename, actor, at: now });
  });
}

async function importAccounts(db: DB, rows: SheetRow[], filename: string, actor: AuditActor, options: ImportOptions): Promise<ImportResult> {
  const read = readRecords(rows, ACCOUNT_COLUMNS, MAX_IMPORT_ROWS, { name: "单位", columns: UNIT_COLUMNS });
  if (!read.ok) return refused(read.problems);
  const first = validateAccountRows(read.records, await accountContext(db));
  if (first.problems.length > 0) return refused(first.problems);

  // scrypt is slow on purpose: hash before taking the writer, never inside its transaction, and a
  // few at a time, so the pages and queries of everyone else still get the thread pool meanwhile.
  const hashed = await hashPasswords(first.accounts.map((a) => a.password), options.hashing);
  const hashes = new Map<number, string>(first.accounts.map((a, i) => [a.row, hashed[i]]));

  return db.transaction().execute(async (trx): Promise<ImportResult> => {
    const checked = validateAccountRows(read.records, await accountContext(trx));
    if (checked.problems.length > 0) return refused(checked.problems);
    const now = new Date();
    const iso = now.toISOString();
    for (const batch of batches<AccountRow>(checked.accounts)) {
      await trx
        .insertInto("accounts")
        .values(batch.map((a) => ({
          username: a.username, display_name: a.display_name, phone: a.phone, role: a.role, unit_id: a.unit_id,
          password_hash: hashes.get(a.row)!, active: 1 as const, must_change_password: 1 as const,
          registered_on: shanghaiDate(now), created_at: iso, updated_at: iso,
        })))
        .execute();
    }
    const byRole = countBy(checked.accounts, (a) => a.role);
    return imported(trx, { kind: "accounts", count: checked.accounts.length, by: { byRole }, filename, actor, at: iso });
  });
}

/** An .xlsx with the header row, one example row, drop-downs for the coded columns and a notes sheet. */
export async function buildTemplate(db: DB, kind: ImportKind): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = "教育信息报送平台";
  const spec = IMPORT_KINDS.find((k) => k.code === kind)!;
  const columns: readonly ColumnSpec[] = spec.columns;
  const sheet = workbook.addWorksheet(`${spec.name}导入`);
  sheet.columns = columns.map((c) => ({ header: c.header, key: c.key, width: Math.max(14, c.header.length * 3 + 4) }));
  sheet.getRow(1).font = { bold: true };
  sheet.views = [{ state: "frozen", ySplit: 1 }];

  const kinds = await listUnitKinds(db);
  let choices: { key: string; list: string[] } | null = null;
  if (kind === "units") {
    sheet.addRow({ code: "A99", name: "示例镇中心学校", township: "示例镇", kind: kinds[0]?.name ?? "乡镇中心校" });
    choices = { key: "kind", list: kinds.map((k) => k.name) };
  } else {
    const unit = await db.selectFrom("units").select("code").where("active", "=", 1).orderBy("code").executeTakeFirst();
    sheet.addRow({
      username: "zhangxm", display_name: "张晓梅", phone: "13800000000", role: "信息员",
      unit_code: unit?.code ?? "A01", password: "Chushi@2024",
    });
    choices = { key: "role", list: ["信息员", "分管领导", "审核员", "管理员"] };
  }
  // Codes and phone numbers stay text, so Excel does not turn 0101 into 101.
  for (const key of ["code", "unit_code", "phone", "username", "password"]) {
    if (columns.some((c) => c.key === key)) sheet.getColumn(key).numFmt = "@";
  }
  const letter = sheet.getColumn(choices.key).letter;
  for (let r = 2; r <= 1000; r++) {
    sheet.getCell(`${letter}${r}`).dataValidation = {
      type: "list", allowBlank: true, formulae: [`"${choices.list.join(",")}"`],
      showErrorMessage: true, errorTitle: "请从列表中选择", error: `可选：${choices.list.join("、")}`,
    };
  }

  const notes = workbook.addWorksheet("填写说明");
  notes.columns = [{ header: "列", key: "header", width: 14 }, { header: "填写要求", key: "hint", width: 70 }];
  notes.getRow(1).font = { bold: true };
  for (const c of columns) notes.addRow({ header: c.header, hint: c.hint });
  notes.addRow({});
  notes.addRow({ header: "注意", hint: "第 2 行是示例，导入前请删除或改成真实数据。只读取第一个工作表。" });
  notes.addRow({ header: "", hint: `一次最多 ${MAX_IMPORT_ROWS} 行；任何一行有错误时，整个文件都不会导入。` });
  if (kind === "units") notes.addRow({ header: "", hint: `单位类别可填：${kinds.map((k) => k.name).join("、")}（或其代码）` });

  return Buffer.from(await workbook.xlsx.writeBuffer());
}
