// The directory's import files: which column is which, reading the rows, and checking every row by
// the same rules as the forms (directory-fields.ts), plus duplicates within the file and against
// the database. Facts from the database (existing codes, units, kinds) are passed in.
import { z } from "zod";
import { passwordProblem } from "~/domain/password-policy";
import { roleName, roleNeedsUnit, ROLES, type Role } from "~/domain/permissions";
import {
  displayNameField, normalizeUnitCode, phoneField, roleUnitProblem, townshipField, unitCodeField,
  unitNameField, usernameField,
} from "./directory-fields";

/** An import file may hold at most this many data rows. */
export const MAX_IMPORT_ROWS = 5000;
/** An import file may be at most this many bytes. */
export const MAX_IMPORT_BYTES = 5 * 1024 * 1024;

// ---------------------------------------------------------------------------------------------
// Chinese names ↔ codes

export interface KindOption {
  code: string;
  name: string;
}

/** A unit kind given by its Chinese name or its code; null when it is neither. */
export function kindFromText(text: string, kinds: readonly KindOption[]): string | null {
  const t = text.trim();
  if (t === "") return null;
  const found = kinds.find((k) => k.name === t || k.code.toLowerCase() === t.toLowerCase());
  return found ? found.code : null;
}

/** Other names people use for a role in a spreadsheet. */
const ROLE_ALIASES: Record<string, Role> = {
  校长: "school_lead",
  分管校长: "school_lead",
  通讯员: "correspondent",
};

export function roleFromText(text: string): Role | null {
  const t = text.trim();
  if (t === "") return null;
  const found = ROLES.find((r) => r.name === t || r.code === t.toLowerCase());
  return found ? found.code : (ROLE_ALIASES[t] ?? null);
}

// ---------------------------------------------------------------------------------------------
// Import files: header mapping and row validation

export interface ColumnSpec<K extends string = string> {
  key: K;
  header: string;
  /** What a person may type there, for the template's notes. */
  hint: string;
}

export const UNIT_COLUMNS = [
  { key: "code", header: "单位代码", hint: "必填，1-20 位字母、数字或 -，不可重复" },
  { key: "name", header: "单位名称", hint: "必填" },
  { key: "township", header: "所属乡镇", hint: "可留空（如区直学校）" },
  { key: "kind", header: "单位类别", hint: "乡镇中心校、区直中小学、幼儿园 之一" },
] as const satisfies readonly ColumnSpec[];

export const ACCOUNT_COLUMNS = [
  { key: "username", header: "用户名", hint: "必填，3-32 位小写字母、数字或 . _ -，不可重复" },
  { key: "display_name", header: "姓名", hint: "必填" },
  { key: "phone", header: "手机号", hint: "11 位手机号码，可留空" },
  { key: "role", header: "角色", hint: "信息员、分管领导、审核员、管理员 之一" },
  { key: "unit_code", header: "单位代码", hint: "信息员、分管领导必填；审核员、管理员留空" },
  { key: "password", header: "初始密码", hint: "至少 10 位，含字母、数字、符号中的两类，不能是常见密码；首次登录须修改" },
] as const satisfies readonly ColumnSpec[];

export type UnitColumnKey = (typeof UNIT_COLUMNS)[number]["key"];
export type AccountColumnKey = (typeof ACCOUNT_COLUMNS)[number]["key"];

/** One row of a sheet as read from the file: its row number as the spreadsheet shows it. */
export interface SheetRow {
  row: number;
  cells: string[];
}

export interface RowProblem {
  /** Row number in the file (the header is usually row 1); 0 for the file as a whole. */
  row: number;
  column: string;
  message: string;
}

export interface ImportRecord<K extends string> {
  row: number;
  values: Record<K, string>;
}

export type RecordsResult<K extends string> =
  | { ok: true; records: ImportRecord<K>[] }
  | { ok: false; problems: RowProblem[] };

function cleanHeader(cell: string): string {
  return cell.replace(/^\uFEFF/, "").replace(/[\s*＊]/g, "");
}

function isBlank(row: SheetRow): boolean {
  return row.cells.every((c) => c.trim() === "");
}

/** The other list a file may be (单位 or 账号): a file of that kind is told so, not given a list of missing columns. */
export interface OtherImportKind {
  name: string;
  columns: readonly ColumnSpec[];
}

/** A header that is the other kind's, or holds none of this kind's columns at all: one problem that says what to do. */
function wrongFile(titles: readonly string[], columns: readonly ColumnSpec[], other?: OtherImportKind): string | null {
  const has = (c: ColumnSpec) => titles.includes(c.header);
  if (columns.every(has)) return null;
  if (other && other.columns.every(has)) {
    return `这是${other.name}导入文件（表头为${other.columns.map((c) => c.header).join("、")}）：请在“导入内容”中选择“${other.name}”后重新上传`;
  }
  if (columns.some(has)) return null;
  return `第一行没有找到任何一列表头（应为${columns.map((c) => c.header).join("、")}）：请下载导入模板，填好后以 Excel（.xlsx）或 CSV UTF-8 文件上传`;
}

/**
 * Finds the header row (the first non-blank one), maps its Chinese titles to the columns, and
 * returns the data rows below it as records. Columns it does not know are ignored; a missing or
 * repeated column, no data, or too many rows are problems; so is a file of the other kind.
 */
export function readRecords<K extends string>(
  rows: readonly SheetRow[],
  columns: readonly ColumnSpec<K>[],
  maxRows = MAX_IMPORT_ROWS,
  other?: OtherImportKind,
): RecordsResult<K> {
  const headerAt = rows.findIndex((r) => !isBlank(r));
  if (headerAt === -1) return { ok: false, problems: [{ row: 0, column: "", message: "文件中没有内容" }] };
  const header = rows[headerAt];
  const titles = header.cells.map(cleanHeader);
  const wrong = wrongFile(titles, columns, other);
  if (wrong) return { ok: false, problems: [{ row: header.row, column: "", message: wrong }] };
  const index = {} as Record<K, number>;
  const problems: RowProblem[] = [];
  for (const column of columns) {
    const at = titles.indexOf(column.header);
    if (at === -1) problems.push({ row: header.row, column: column.header, message: "表头缺少此列" });
    else if (titles.indexOf(column.header, at + 1) !== -1) problems.push({ row: header.row, column: column.header, message: "表头中此列重复" });
    else index[column.key] = at;
  }
  if (problems.length > 0) {
    const expected = columns.map((c) => c.header).join("、");
    problems.push({ row: header.row, column: "", message: `表头应为：${expected}（请使用导入模板）` });
    return { ok: false, problems };
  }
  const data = rows.slice(headerAt + 1).filter((r) => !isBlank(r));
  if (data.length === 0) return { ok: false, problems: [{ row: 0, column: "", message: "文件中没有数据行" }] };
  if (data.length > maxRows) {
    return { ok: false, problems: [{ row: 0, column: "", message: `一次最多导入 ${maxRows} 行，此文件有 ${data.length} 行，请分批导入` }] };
  }
  const records = data.map((r) => {
    const values = {} as Record<K, string>;
    for (const column of columns) values[column.key] = (r.cells[index[column.key]] ?? "").trim();
    return { row: r.row, values };
  });
  return { ok: true, records };
}

function headerOf<K extends string>(columns: readonly ColumnSpec<K>[], key: string): string {
  return columns.find((c) => c.key === key)?.header ?? key;
}

function firstMessage(result: { success: boolean; error?: z.ZodError }): string | null {
  return result.success ? null : (result.error?.issues[0]?.message ?? "内容有误");
}

export interface UnitRowContext {
  kinds: readonly KindOption[];
  /** Codes already in the database, upper-case. */
  existingCodes: ReadonlySet<string>;
}

/**
 * Checks every row: `check` reports each problem of a row through `add` and returns the row's
 * value, which is kept when the row had no problem.
 */
function checkRows<K extends string, T>(
  records: readonly ImportRecord<K>[],
  columns: readonly ColumnSpec<K>[],
  check: (row: number, values: ImportRecord<K>["values"], add: (key: K, message: string) => void) => T,
): { rows: T[]; problems: RowProblem[] } {
  const problems: RowProblem[] = [];
  const rows: T[] = [];
  for (const { row, values } of records) {
    const before = problems.length;
    const value = check(row, values, (key, message) => problems.push({ row, column: headerOf(columns, key), message }));
    if (problems.length === before) rows.push(value);
  }
  return { rows, problems };
}

/**
 * A key column (unit code, username) read by its form field's rule; then a repeat of an earlier
 * row of the file, or one already in the database, is the column's problem. `key.seen` remembers
 * the row of each valid key. Undefined when the rule refuses the text.
 */
function keyValue<K extends string>(
  add: (key: K, message: string) => void,
  column: K,
  field: z.ZodType<string>,
  value: string,
  key: { row: number; seen: Map<string, number>; existing: ReadonlySet<string>; noun: string },
): string | undefined {
  const parsed = field.safeParse(value);
  if (!parsed.success) {
    add(column, firstMessage(parsed)!);
    return undefined;
  }
  const earlier = key.seen.get(parsed.data);
  if (earlier === undefined) key.seen.set(parsed.data, key.row);
  if (earlier !== undefined) add(column, `${key.noun} ${parsed.data} 与第 ${earlier} 行重复`);
  else if (key.existing.has(parsed.data)) add(column, `${key.noun}已存在：${parsed.data}`);
  return parsed.data;
}

/** A text column read by its form field's rule; a refusal is reported as the column's problem. */
function fieldValue<K extends string>(add: (key: K, message: string) => void, key: K, field: z.ZodType<string>, value: string): string {
  const parsed = field.safeParse(value);
  if (!parsed.success) add(key, firstMessage(parsed)!);
  return parsed.data!;
}

/** The problem of a choice column (unit kind, role) whose text names none of `allowed`. */
function choiceProblem(text: string, noun: string, allowed: readonly string[]): string {
  return text ? `未知的${noun}“${text}”，应为：${allowed.join("、")}` : `请填写${noun}（${allowed.join("、")}）`;
}

export interface UnitRow {
  row: number;
  code: string;
  name: string;
  township: string;
  kind: string;
}

/** Every row checked by the unit form's rules, plus duplicates within the file and against the database. */
export function validateUnitRows(records: readonly ImportRecord<UnitColumnKey>[], ctx: UnitRowContext) {
  const seen = new Map<string, number>();
  const fields = { code: unitCodeField(), name: unitNameField(), township: townshipField() };
  const { rows, problems } = checkRows(records, UNIT_COLUMNS, (row, values, add): UnitRow => {
    const code = keyValue(add, "code", fields.code, values.code, { row, seen, existing: ctx.existingCodes, noun: "单位代码" });
    const name = fieldValue(add, "name", fields.name, values.name);
    const township = fieldValue(add, "township", fields.township, values.township);
    const kind = kindFromText(values.kind, ctx.kinds);
    if (!kind) add("kind", choiceProblem(values.kind, "单位类别", ctx.kinds.map((k) => k.name)));
    return { row, code: code!, name, township, kind: kind! };
  });
  return { units: rows, problems };
}

export interface UnitRef {
  id: number;
  active: boolean;
}

export interface AccountRowContext {
  /** Usernames already in the database, lower-case. */
  existingUsernames: ReadonlySet<string>;
  /** Units in the database by upper-case code. */
  units: ReadonlyMap<string, UnitRef>;
}

export interface AccountRow {
  row: number;
  username: string;
  display_name: string;
  phone: string;
  role: Role;
  unit_id: number | null;
  password: string;
}

/** Every row checked by the account form's rules, plus duplicates and unit references. */
export function validateAccountRows(records: readonly ImportRecord<AccountColumnKey>[], ctx: AccountRowContext) {
  const seen = new Map<string, number>();
  const fields = { username: usernameField(), displayName: displayNameField(), phone: phoneField() };
  const { rows, problems } = checkRows(records, ACCOUNT_COLUMNS, (row, values, add): AccountRow => {
    const username = keyValue(add, "username", fields.username, values.username, { row, seen, existing: ctx.existingUsernames, noun: "用户名" });
    const displayName = fieldValue(add, "display_name", fields.displayName, values.display_name);
    const phone = fieldValue(add, "phone", fields.phone, values.phone);
    const role = roleFromText(values.role);
    if (!role) add("role", choiceProblem(values.role, "角色", ROLES.map((r) => r.name)));

    let unitId: number | null = null;
    if (role) {
      const code = normalizeUnitCode(values.unit_code);
      if (roleNeedsUnit(role)) {
        const unit = code ? ctx.units.get(code) : undefined;
        if (!code) add("unit_code", `${roleName(role)}必须填写单位代码`);
        else if (!unit) add("unit_code", `单位代码 ${code} 不存在`);
        else {
          const problem = roleUnitProblem(role, unit);
          if (problem) add("unit_code", problem);
          unitId = unit.id;
        }
      } else if (code) {
        add("unit_code", roleUnitProblem(role, { active: true })!);
      }
    }

    const passwordMessage = values.password
      ? passwordProblem(values.password, username ?? "")
      : "请填写初始密码";
    if (passwordMessage) add("password", passwordMessage);

    return {
      row, username: username!, display_name: displayName, phone, role: role!, unit_id: unitId, password: values.password,
    };
  });
  return { accounts: rows, problems };
}

