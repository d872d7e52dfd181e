// The Word document of a notice: laid out after GB/T 9704, and the same bytes however often and
// whenever it is made (so a stored notice can be checked against its data).
import { describe, expect, it } from "vitest";
import { composeMonthlyBody, type NoticeDocument, type NoticeMonthRow } from "~/domain/notices";
import { noticeDocx, stampZipEntries } from "~/models/notice-docx.server";
import { expectSameBytesWhenever, unzip as readZip } from "../support/docx";

/** The entries of the notice's archive; every entry's central record carries the local header's time. */
function unzip(zip: Buffer) {
  const entries = readZip(zip);
  for (const [name, e] of entries) expect(e.centralTime, `${name}: central and local times agree`).toBe(e.time);
  return entries;
}

const row = (code: string, rank: number, status: NoticeMonthRow["status"], adopted: number): NoticeMonthRow => ({
  unitId: rank, code, name: `${code}中心学校`, kind: "township_central", kindName: "乡镇中心校", quota: 10, submitted: adopted + 1, adopted,
  late: status === "short" ? 1 : 0, completion: adopted / 10, status, points: 30 - rank * 3, rank, tied: false, movement: null,
});

const doc: NoticeDocument = {
  header: {
    title: "关于2026年10月全县教育信息报送情况的通报", docNumber: "X教体办〔2026〕12号", addressee: "各乡镇中心校、区直各学校、各幼儿园",
    opening: "现将2026年10月情况通报如下。", closing: "请各单位抓好整改。", issuer: "县教育和体育局办公室", signerName: "王局长",
    publishedAt: "2026-11-05T02:30:00.000Z",
  },
  body: composeMonthlyBody({
    month: "2026-10", closeId: 3, closedAt: "2026-11-05T02:00:00.000Z",
    tables: [{ kind: "township_central", kindName: "乡镇中心校", rows: [row("城关镇", 1, "met", 12), row("柳河镇", 2, "short", 3), row("石桥镇", 3, "none", 0)] }],
    thresholds: { commendTopN: 3, criticiseBelowCompletion: 0.5, criticiseMinLate: 3 }, adjustments: [],
  }),
};

describe("the Word document of a notice", () => {
  it("is the same bytes whenever it is made", async () => {
    await expectSameBytesWhenever(() => noticeDocx(doc));
  });

  it("carries the publishing instant in its properties and on every entry (Asia/Shanghai)", async () => {
    const entries = unzip(await noticeDocx(doc));
    const core = entries.get("docProps/core.xml")!.text;
    expect(core).toContain('<dcterms:created xsi:type="dcterms:W3CDTF">2026-11-05T02:30:00Z</dcterms:created>');
    expect(core).toContain('<dcterms:modified xsi:type="dcterms:W3CDTF">2026-11-05T02:30:00Z</dcterms:modified>');
    expect(core).toContain("<dc:subject>X教体办〔2026〕12号</dc:subject>");
    // 2026-11-05 10:30 in MS-DOS form.
    const time = (10 << 11) | (30 << 5);
    const date = ((2026 - 1980) << 9) | (11 << 5) | 5;
    for (const [name, e] of entries) expect([name, e.time, e.date]).toEqual([name, time, date]);
  });

  it("is laid out after GB/T 9704: A4, margins, 文号, 小标宋 title at 二号, 仿宋 body at 三号 on a 28 pt line, 落款 and date, tables with a repeated header", async () => {
    const xml = unzip(await noticeDocx(doc)).get("word/document.xml")!.text;
    const text = [...xml.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]).join("");
    // A4 portrait, 37/35/28/26 mm.
    expect(xml).toMatch(/<w:pgSz w:w="11906" w:h="16838"/);
    expect(xml).toMatch(/<w:pgMar w:top="2098" w:right="1474" w:bottom="1984" w:left="1587"/);
    expect(text).toContain("X教体办〔2026〕12号");
    expect(text).toContain("关于2026年10月全县教育信息报送情况的通报");
    expect(xml).toMatch(/w:eastAsia="方正小标宋简体"[^>]*\/>(?:<[^>]+>)*?<w:sz w:val="44"\/>/);
    expect(xml).toContain('w:eastAsia="仿宋_GB2312"');
    expect(xml).toMatch(/<w:spacing w:after="0" w:before="0" w:line="560" w:lineRule="exact"\/>|w:line="560" w:lineRule="exact"/);
    expect(xml).toContain('<w:sz w:val="32"/>');
    expect(text).toContain("各乡镇中心校、区直各学校、各幼儿园：");
    expect(text).toContain("城关镇中心学校（本类别第 1 名，完成月度任务）");
    expect(text).toContain("石桥镇中心学校（当月不报）");
    expect(text).toContain("附件：1. 乡镇中心校2026年10月信息报送情况排名表");
    expect(text).toContain("县教育和体育局办公室2026年11月5日");
    expect(xml).toContain("<w:tblHeader/>");
    expect(text).toContain("附件1");
  });

  it("opens with the red 版头: the 发文机关标志 from the header, then the 文号 above a red separator line", async () => {
    const withHead: NoticeDocument = { ...doc, header: { ...doc.header, letterhead: "临溪县教育和体育局办公室", issuer: "临溪县教育和体育局办公室" } };
    const xml = unzip(await noticeDocx(withHead)).get("word/document.xml")!.text;
    const paragraphs = [...xml.matchAll(/<w:p>(.*?)<\/w:p>|<w:p [^>]*>(.*?)<\/w:p>/gs)].map((m) => m[0]);
    const textOf = (p: string) => [...p.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]).join("");
    const head = paragraphs.findIndex((p) => textOf(p) === "临溪县教育和体育局办公室");
    const number = paragraphs.findIndex((p) => textOf(p) === "X教体办〔2026〕12号");
    expect(head).toBe(0);
    expect(paragraphs[head]).toMatch(/<w:color w:val="E60012"\/>/);
    expect(paragraphs[head]).toContain('w:eastAsia="方正小标宋简体"');
    expect(number).toBeGreaterThan(head);
    expect(paragraphs[number]).toMatch(/<w:bottom [^>]*w:color="E60012"/);
    // 12 characters fill the 156 mm line: 36.5 pt, larger than the 22 pt title.
    expect(paragraphs[head]).toContain('<w:sz w:val="73"/>');
    // Without a 版头 of its own (a notice frozen before the setting existed) the issuer stands there.
    const old = unzip(await noticeDocx(doc)).get("word/document.xml")!.text;
    expect(old).toMatch(/<w:color w:val="E60012"\/>.*?县教育和体育局办公室/s);
  });

  it("refuses a notice that is not published", async () => {
    await expect(noticeDocx({ ...doc, header: { ...doc.header, publishedAt: null } })).rejects.toThrow(/published/);
  });
});

describe("stamping a zip", () => {
  it("refuses bytes that are not a zip archive", async () => {
    await expect(stampZipEntries(new Uint8Array(100), new Date())).rejects.toThrow();
  });
});
