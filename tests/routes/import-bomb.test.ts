// An .xlsx is a zip: a few hundred KB of deflated identical rows unpack to hundreds of MB, which the
// spreadsheet library used to unpack and parse in memory (ten times the XML) before counting rows,
// freezing the portal for everyone meanwhile. The import now counts what the file unpacks to first.
import ExcelJS from "exceljs";
import JSZip from "jszip";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_IMPORT_ROWS } from "~/domain/directory-import";
import { MAX_XLSX_UNPACKED, readSpreadsheet } from "~/models/import.server";
import { zipUnpackedSize } from "~/models/zip-size.server";
import * as importRoute from "~/routes/admin.import";
import { bodyOf, call, setupCounty, type County } from "../support/app";

let county: County;
beforeAll(async () => {
  county = await setupCounty();
  await county.cookieFor("admin");
});
afterAll(async () => county.dbs.dispose());

const count = async (table: "units" | "accounts" | "audit_events") =>
  Number((await county.dbs.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n);

async function workbook(rows: Array<Array<string | number>>): Promise<Uint8Array> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet("单位");
  for (const row of rows) sheet.addRow(row);
  return new Uint8Array(await book.xlsx.writeBuffer());
}

/** A real workbook whose first sheet is replaced by `rows` copies of one row: small packed, big unpacked. */
async function bomb(rows: number): Promise<Uint8Array> {
  const zip = await JSZip.loadAsync(await workbook([["单位代码", "单位名称", "所属乡镇", "单位类别"]]));
  const row = Buffer.from('<row><c t="inlineStr"><is><t>Z01</t></is></c><c t="inlineStr"><is><t>某校某校某校</t></is></c></row>');
  const head = Buffer.from('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>');
  const xml = Buffer.concat([head, Buffer.alloc(row.length * rows).fill(row), Buffer.from("</sheetData></worksheet>")]);
  zip.file("xl/worksheets/sheet1.xml", xml);
  return new Uint8Array(await zip.generateAsync({ type: "uint8array", compression: "DEFLATE", compressionOptions: { level: 1 } }));
}

function upload(bytes: Uint8Array) {
  const form = new FormData();
  form.append("kind", "units");
  form.append("file", new File([bytes as Uint8Array<ArrayBuffer>], "units.xlsx"));
  return call(importRoute.action, county, { url: "/admin/import", user: "admin", body: form, ip: "10.3.3.4" });
}

describe("zipUnpackedSize", () => {
  it("counts what a real workbook unpacks to", async () => {
    const bytes = await workbook([["单位代码", "单位名称"], ["A01", "某校"]]);
    const zip = await JSZip.loadAsync(bytes);
    let total = 0;
    for (const file of Object.values(zip.files)) if (!file.dir) total += (await file.async("uint8array")).length;
    expect(await zipUnpackedSize(bytes, 1024 * 1024)).toEqual({ ok: true, unpacked: total });
  });

  it("stops at the budget: a small file that unpacks to far more is too big, and quickly", async () => {
    const bytes = await bomb(400_000);
    expect(bytes.length).toBeLessThan(5 * 1024 * 1024); // under the upload limit for imports
    expect(await zipUnpackedSize(bytes, MAX_XLSX_UNPACKED)).toEqual({ ok: false, reason: "too_big" });
  });

  it("counts every entry of the directory, though the end record states fewer (the library reads them all)", async () => {
    const bytes = await bomb(400_000);
    const end = Buffer.from(bytes).lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    view.setUint16(end + 8, 1, true);
    view.setUint16(end + 10, 1, true);
    expect(Object.keys((await JSZip.loadAsync(bytes)).files)).toContain("xl/worksheets/sheet1.xml");
    expect(await zipUnpackedSize(bytes, MAX_XLSX_UNPACKED)).toEqual({ ok: false, reason: "too_big" });
  });

  it("a zip that is not whole is unreadable, not an exception", async () => {
    expect(await zipUnpackedSize(new TextEncoder().encode("PK\u0003\u0004 not a zip"), 1000)).toEqual({ ok: false, reason: "unreadable" });
  });
});

describe("POST /admin/import: a spreadsheet that unpacks to far more than a list", () => {
  it("is refused with a Chinese message before it is parsed, and nothing is written", async () => {
    const bytes = await bomb(400_000);
    const before = [await count("units"), await count("accounts"), await count("audit_events")];
    const res = await upload(bytes);
    expect(res.status).toBe(400);
    expect((await bodyOf(res)).formError).toBe(
      "该 Excel 文件解压后超过 20 MB，不像一份单位或账号名单：请删去多余的工作表、图片和空行，或另存为 CSV UTF-8 后再导入",
    );
    expect([await count("units"), await count("accounts"), await count("audit_events")]).toEqual(before);
  });

  it("a full list of the largest size allowed still reads", async () => {
    const rows = Array.from({ length: MAX_IMPORT_ROWS }, (_, i) => [`K${i}`, `某县第${i}中心学校附属幼儿园`, "某某镇", "幼儿园"]);
    const sheet = await readSpreadsheet(await workbook([["单位代码", "单位名称", "所属乡镇", "单位类别"], ...rows]));
    expect(sheet.ok && sheet.rows.length).toBe(MAX_IMPORT_ROWS + 1);
  });
});
