import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ACCOUNT_COLUMNS, UNIT_COLUMNS } from "~/domain/directory";
import { readFlash } from "~/lib/flash.server";
import { login } from "~/models/auth.server";
import * as importRoute from "~/routes/admin.import";
import * as templateRoute from "~/routes/admin.import.template";
import { bodyOf, call, expectFieldErrors, setupCounty, type County, type UserKey } from "../support/app";

let county: County;
beforeAll(async () => {
  county = await setupCounty();
  for (const user of ["admin", "reviewer", "correspondentA"] as const) await county.cookieFor(user);
});
afterAll(async () => county.dbs.dispose());

const count = async (table: "units" | "accounts" | "audit_events") =>
  Number((await county.dbs.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n);
const importAudits = () => county.dbs.db.selectFrom("audit_events").selectAll().where("action", "=", "import").orderBy("id").execute();
const snapshot = async () => [await count("units"), await count("accounts"), await count("audit_events")];

const BOM = "\uFEFF";
const utf8 = (text: string) => new TextEncoder().encode(text);

function upload(kind: string, bytes: Uint8Array, filename: string, user: UserKey = "admin") {
  const form = new FormData();
  form.append("kind", kind);
  form.append("file", new File([bytes as Uint8Array<ArrayBuffer>], filename));
  return call(importRoute.action, county, { url: "/admin/import", user, body: form, ip: "10.3.3.3" });
}

async function flashOf(response: Response) {
  const cookie = (response.headers.get("Set-Cookie") ?? "").split(";")[0];
  return readFlash(new Request("http://localhost/", { headers: { Cookie: cookie } }));
}

async function xlsx(rows: Array<Array<string | number>>): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet("账号");
  for (const row of rows) sheet.addRow(row);
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}

describe("access", () => {
  it("the page and the template are for admins only", async () => {
    for (const [fn, url] of [[importRoute.loader, "/admin/import"], [templateRoute.loader, "/admin/import/template?kind=units"]] as const) {
      expect((await call(fn, county, { url, user: "admin" })).status).toBe(200);
      expect((await call(fn, county, { url, user: "reviewer" })).status).toBe(403);
      expect((await call(fn, county, { url, user: "correspondentA" })).status).toBe(403);
      const anonymous = await call(fn, county, { url });
      expect(anonymous.status).toBe(302);
      expect(anonymous.headers.get("Location")).toMatch(/^\/login\?redirectTo=/);
    }
  });

  it("a reviewer's upload is refused and imports nothing", async () => {
    const before = await snapshot();
    const res = await upload("units", utf8("单位代码,单位名称,所属乡镇,单位类别\nR01,某校,,幼儿园\n"), "u.csv", "reviewer");
    expect(res.status).toBe(403);
    expect(await snapshot()).toEqual(before);
  });
});

describe("GET /admin/import/template", () => {
  for (const [kind, columns, filename] of [["units", UNIT_COLUMNS, "单位导入模板.xlsx"], ["accounts", ACCOUNT_COLUMNS, "账号导入模板.xlsx"]] as const) {
    it(`returns a real .xlsx for ${kind} with the header row and one example row`, async () => {
      const res = await call(templateRoute.loader, county, { url: `/admin/import/template?kind=${kind}`, user: "admin" });
      expect(res.status).toBe(200);
      expect(res.headers.get("Content-Type")).toBe("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
      expect(res.headers.get("Content-Disposition")).toContain(`attachment;`);
      expect(res.headers.get("Content-Disposition")).toContain(`filename*=UTF-8''${encodeURIComponent(filename)}`);
      const bytes = new Uint8Array(await res.arrayBuffer());
      expect([...bytes.slice(0, 4)]).toEqual([0x50, 0x4b, 0x03, 0x04]);
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(Buffer.from(bytes) as never);
      const sheet = workbook.worksheets[0];
      expect((sheet.getRow(1).values as unknown[]).slice(1)).toEqual(columns.map((c) => c.header));
      expect(sheet.actualRowCount).toBe(2);
      expect(sheet.getRow(2).getCell(1).text).not.toBe("");
    });
  }

  it("answers an unknown kind with 400", async () => {
    const res = await call(templateRoute.loader, county, { url: "/admin/import/template?kind=items", user: "admin" });
    expect(res.status).toBe(400);
  });
});

describe("POST /admin/import: units", () => {
  it("imports a good CSV with a BOM in one transaction with one audit row", async () => {
    const before = await count("units");
    const csv = `${BOM}单位代码,单位名称,所属乡镇,单位类别\r\nc01,城南镇中心学校,城南镇,乡镇中心校\r\nC02,县第二实验小学,,区直中小学\r\n"C03","县第三幼儿园, 南园",,kindergarten\r\n`;
    const res = await upload("units", utf8(csv), "units.csv");
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe("/admin/units");
    expect((await flashOf(res))?.message).toBe("已导入 3 个单位");
    expect(await count("units")).toBe(before + 3);
    const rows = await county.dbs.db.selectFrom("units").select(["code", "name", "township", "kind_code", "active"]).where("code", "in", ["C01", "C02", "C03"]).orderBy("code").execute();
    expect(rows).toEqual([
      { code: "C01", name: "城南镇中心学校", township: "城南镇", kind_code: "township_central", active: 1 },
      { code: "C02", name: "县第二实验小学", township: "", kind_code: "district_school", active: 1 },
      { code: "C03", name: "县第三幼儿园, 南园", township: "", kind_code: "kindergarten", active: 1 },
    ]);
    const audits = await importAudits();
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({ actor_id: county.ids.admin, entity_type: "units", ip: "10.3.3.3" });
    expect(JSON.parse(audits[0].detail_json)).toMatchObject({ kind: "units", units: 3, filename: "units.csv" });
  });

  it("imports nothing when one row is bad, and reports its row number and column", async () => {
    const before = await snapshot();
    const csv = `单位代码,单位名称,所属乡镇,单位类别\nD01,甲校,,幼儿园\nD02,乙校,,职业高中\nD03,丙校,,幼儿园\n`;
    const res = await upload("units", utf8(csv), "units.csv");
    expect(res.status).toBe(400);
    const body = await bodyOf(res);
    expect(body.formError).toBe("文件中有错误，未导入任何数据。请按下表修改后重新上传。");
    expect(body.problems).toEqual([
      { row: 3, column: "单位类别", message: "未知的单位类别“职业高中”，应为：乡镇中心校、区直中小学、幼儿园" },
    ]);
    expect(body.totalProblems).toBe(1);
    expect(await snapshot()).toEqual(before);
    expect(await county.dbs.db.selectFrom("units").select("id").where("code", "=", "D01").executeTakeFirst()).toBeUndefined();
  });

  it("reports duplicates within the file and against the database", async () => {
    const before = await snapshot();
    const csv = `单位代码,单位名称,所属乡镇,单位类别\nE01,甲校,,幼儿园\ne01,乙校,,幼儿园\nA01,丙校,,幼儿园\n`;
    const res = await upload("units", utf8(csv), "dup.csv");
    expect(res.status).toBe(400);
    expect((await bodyOf(res)).problems).toEqual([
      { row: 3, column: "单位代码", message: "单位代码 E01 与第 2 行重复" },
      { row: 4, column: "单位代码", message: "单位代码已存在：A01" },
    ]);
    expect(await snapshot()).toEqual(before);
  });

  it("names the missing header columns", async () => {
    const res = await upload("units", utf8("单位代码,名称\nF01,某校\n"), "wrong.csv");
    expect(res.status).toBe(400);
    const missing = (await bodyOf(res)).problems.filter((p: { message: string }) => p.message === "表头缺少此列");
    expect(missing.map((p: { column: string; row: number }) => [p.row, p.column])).toEqual([
      [1, "单位名称"], [1, "所属乡镇"], [1, "单位类别"],
    ]);
  });

  it("says a file with none of the columns is not an import list, in one line", async () => {
    const before = await snapshot();
    const res = await upload("units", utf8("hello\n"), "notes.txt");
    expect(res.status).toBe(400);
    expect((await bodyOf(res)).problems).toEqual([
      { row: 1, column: "", message: expect.stringMatching(/^第一行没有找到任何一列表头.*请下载导入模板/) },
    ]);
    expect(await snapshot()).toEqual(before);
  });

  it("tells an accounts file sent as units to choose 账号", async () => {
    const before = await snapshot();
    const csv = "用户名,姓名,手机号,角色,单位代码,初始密码\nnew-c1,新人,,信息员,A01,Good@2024xyz\n";
    const res = await upload("units", utf8(csv), "accounts.csv");
    expect(res.status).toBe(400);
    const problems = (await bodyOf(res)).problems as Array<{ message: string }>;
    expect(problems).toHaveLength(1);
    expect(problems[0].message).toMatch(/^这是账号导入文件.*请在“导入内容”中选择“账号”后重新上传$/);
    expect(await snapshot()).toEqual(before);
  });

  it("caps the number of rows", async () => {
    const before = await snapshot();
    const lines = ["单位代码,单位名称,所属乡镇,单位类别", ...Array.from({ length: 5001 }, (_, i) => `G${i},学校${i},,幼儿园`)];
    const res = await upload("units", utf8(lines.join("\n")), "big.csv");
    expect(res.status).toBe(400);
    expect((await bodyOf(res)).formError).toBe("一次最多导入 5000 行，此文件约有 5001 行，请分批导入");
    expect(await snapshot()).toEqual(before);
  });
});

describe("POST /admin/import: accounts", () => {
  it("imports a good XLSX, accounts referencing units already in the database", async () => {
    const before = await count("accounts");
    const bytes = await xlsx([
      ["用户名", "姓名", "手机号", "角色", "单位代码", "初始密码"],
      ["Qian01", "钱老师", 13912345678, "信息员", "c01", "Chushi@2024"],
      ["qian.lead", "钱校长", "", "分管领导", "C01", "Chushi@2024"],
      [],
      ["sun.sh", "孙审核", "", "审核员", "", "Chushi@2024"],
    ]);
    const res = await upload("accounts", bytes, "账号.xlsx");
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe("/admin/accounts");
    expect((await flashOf(res))?.message).toBe("已导入 3 个账号");
    expect(await count("accounts")).toBe(before + 3);
    const c01 = await county.dbs.db.selectFrom("units").select("id").where("code", "=", "C01").executeTakeFirstOrThrow();
    const rows = await county.dbs.db
      .selectFrom("accounts")
      .select(["username", "display_name", "phone", "role", "unit_id", "must_change_password", "active"])
      .where("username", "in", ["qian01", "qian.lead", "sun.sh"])
      .orderBy("username")
      .execute();
    expect(rows).toEqual([
      { username: "qian.lead", display_name: "钱校长", phone: "", role: "school_lead", unit_id: c01.id, must_change_password: 1, active: 1 },
      { username: "qian01", display_name: "钱老师", phone: "13912345678", role: "correspondent", unit_id: c01.id, must_change_password: 1, active: 1 },
      { username: "sun.sh", display_name: "孙审核", phone: "", role: "reviewer", unit_id: null, must_change_password: 1, active: 1 },
    ]);
    const audit = (await importAudits()).at(-1)!;
    expect(JSON.parse(audit.detail_json)).toMatchObject({ kind: "accounts", accounts: 3, byRole: { correspondent: 1, school_lead: 1, reviewer: 1 } });
    const signedIn = await login(county.dbs.db, { username: "qian01", password: "Chushi@2024", ip: "10.3.3.4", userAgent: "test" });
    expect(signedIn.ok && signedIn.user.mustChangePassword).toBe(true);
  });

  it("imports nothing from an XLSX with one bad row and reports the spreadsheet row", async () => {
    const before = await snapshot();
    const bytes = await xlsx([
      ["用户名", "姓名", "手机号", "角色", "单位代码", "初始密码"],
      ["li01", "李老师", "", "信息员", "A01", "Chushi@2024"],
      ["li02", "李二", "", "信息员", "NOPE", "Chushi@2024"],
      ["ADMIN", "冒名", "", "管理员", "", "Chushi@2024"],
    ]);
    const res = await upload("accounts", bytes, "accounts.xlsx");
    expect(res.status).toBe(400);
    expect((await bodyOf(res)).problems).toEqual([
      { row: 3, column: "单位代码", message: "单位代码 NOPE 不存在" },
      { row: 4, column: "用户名", message: "用户名已存在：admin" },
    ]);
    expect(await snapshot()).toEqual(before);
  });
});

describe("POST /admin/import: files that are not spreadsheets", () => {
  const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 1]);

  it("refuses PNG bytes named .xlsx with a Chinese message", async () => {
    const before = await snapshot();
    const res = await upload("units", PNG, "units.xlsx");
    expect(res.status).toBe(400);
    expect((await bodyOf(res)).formError).toMatch(/^无法识别的文件：既不是 Excel（\.xlsx）文件，也不是 UTF-8 编码的 CSV 文件/);
    expect(await snapshot()).toEqual(before);
  });

  it("refuses a broken zip, an old .xls and a GBK-encoded CSV, each with its own message", async () => {
    const zip = await upload("units", utf8("PK\u0003\u0004 this is not really a zip"), "units.xlsx");
    expect((await bodyOf(zip)).formError).toBe("无法读取该 Excel 文件：文件可能已损坏，或不是 .xlsx 格式");
    const xls = await upload("units", new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]), "units.xls");
    expect((await bodyOf(xls)).formError).toMatch(/^不支持旧版 Excel（\.xls）文件/);
    // "单位代码" in GBK.
    const gbk = await upload("units", new Uint8Array([0xb5, 0xa5, 0xce, 0xbb, 0xb4, 0xfa, 0xc2, 0xeb, 0x0a]), "units.csv");
    expect(gbk.status).toBe(400);
    expect((await bodyOf(gbk)).formError).toMatch(/^无法识别的文件/);
  });

  it("asks for a file and a kind when they are missing", async () => {
    const form = new FormData();
    form.append("kind", "teachers");
    form.append("file", new File([], ""));
    const res = await call(importRoute.action, county, { url: "/admin/import", user: "admin", body: form });
    await expectFieldErrors(res, { kind: "请选择要导入的内容", file: "请选择要导入的文件（.xlsx 或 .csv）" });
  });

  it("answers a non-multipart body with 415", async () => {
    const res = await call(importRoute.action, county, { url: "/admin/import", user: "admin", body: { kind: "units" } });
    expect(res.status).toBe(415);
  });
});
